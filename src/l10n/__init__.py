"""l10n: localize Markdown publications through gettext catalogs.

The stages the command line runs, for scripts, notebooks and benchmarks:

    import l10n

    project = l10n.Project.open(".")
    l10n.extract(project)                  # source/*.md → locales/*.pot
    l10n.update(project)                   # → locales/<lang>/*.po, never losing a translation
    l10n.draft(project, ["ur"])            # the memory, then machine drafts (fuzzy)
    findings = l10n.check(project)         # QA findings with file and line
    l10n.publish(project, ["md", "html"])  # → dist/<lang>/
    l10n.build(project)                    # all of the above, as `l10n build`

Every function reads and checks all its inputs before it writes anything and
raises `L10nError` (file and line in its message) on bad input.  The names are
loaded on first use, so `import l10n.errors` stays as cheap as that module.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name → the module that holds it
_API = {
    "BuildReport": "pipeline",
    "approve": "pipeline",
    "build": "pipeline",
    "check": "pipeline",
    "check_catalogs": "pipeline",
    "extract": "pipeline",
    "init_project": "pipeline",
    "publish": "pipeline",
    "update": "pipeline",
    "DraftReport": "drafting",
    "draft": "drafting",
    "L10nError": "errors",
    "Project": "project",
    "IncompleteEdition": "publishing.editions",
    "Policy": "publishing.editions",
    "paths_status": "status",
    "project_status": "status",
}

__all__ = [
    "BuildReport",
    "DraftReport",
    "IncompleteEdition",
    "L10nError",
    "Policy",
    "Project",
    "__version__",
    "approve",
    "build",
    "check",
    "check_catalogs",
    "draft",
    "extract",
    "init_project",
    "paths_status",
    "project_status",
    "publish",
    "update",
]

if TYPE_CHECKING:
    from .drafting import DraftReport, draft
    from .errors import L10nError
    from .pipeline import (
        BuildReport,
        approve,
        build,
        check,
        check_catalogs,
        extract,
        init_project,
        publish,
        update,
    )
    from .project import Project
    from .publishing.editions import IncompleteEdition, Policy
    from .status import paths_status, project_status


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module 'l10n' has no attribute {name!r}")
    return getattr(import_module(f".{_API[name]}", __name__), name)
