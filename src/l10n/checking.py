"""Running the checks over catalogs: the project's, or PO files from anywhere.

Kept apart from `pipeline` so that `l10n check FILES` loads the checks and
the catalogs, and nothing of drafting, engines or publishing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polib

from .catalog import LooseCatalog, markdown_catalog, plural_forms, read_catalog
from .checks import CHECK_IDS, Finding, check_entry
from .errors import L10nError
from .glossary import Glossary
from .languages import Language
from .pofile import entry_line

if TYPE_CHECKING:  # loose files need no project: it loads only to list a project's catalogs
    from .project import Project


@dataclass(frozen=True)
class Located:
    """A check finding with the catalog line of its entry."""

    catalog: str
    line: int
    lang: str
    msgid: str
    finding: Finding

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.catalog,
            "line": self.line,
            "language": self.lang,
            "check": self.finding.check,
            "severity": self.finding.severity,
            "message": self.finding.message,
            "msgid": self.msgid,
        }


def catalogs_to_check(
    project: Project, languages: Sequence[str] | None
) -> list[tuple[Path, str, Language]]:
    """(file, label, language) of every catalog of the project.

    PO files named on the command line are read by `read_loose` and checked
    by `check_loose`, so that one bad file fails alone.
    """
    from .project import Missing

    return [(f.path, f.label, f.lang) for f in project.catalogs(languages, Missing.SKIP)]


def check_catalogs(
    targets: Sequence[tuple[Path, str, Language]],
    glossary: Glossary,
    only: Sequence[str] | None = None,
) -> list[Located]:
    """Run the checks on every entry of every catalog, in file order."""
    _known_checks(only)
    results = []
    for path, label, lang in targets:
        results += _check_catalog(read_catalog(path, label, lang), label, lang, glossary, only)
    return results


def check_loose(
    catalogs: Sequence[LooseCatalog], glossary: Glossary, only: Sequence[str] | None = None
) -> list[Located]:
    """`check_catalogs` on catalogs `read_loose` has read (each file is read once)."""
    _known_checks(only)
    results = []
    for loose in catalogs:
        results += _check_catalog(loose.catalog, loose.label, loose.lang, glossary, only)
    return results


def _known_checks(only: Sequence[str] | None) -> None:
    unknown = [c for c in only or () if c not in CHECK_IDS]
    if unknown:
        raise L10nError(f"unknown check {unknown[0]!r}; known: {', '.join(CHECK_IDS)}")


def _check_catalog(
    catalog: polib.POFile,
    label: str,
    lang: Language,
    glossary: Glossary,
    only: Sequence[str] | None,
) -> list[Located]:
    rule, markdown = plural_forms(catalog), markdown_catalog(catalog)
    return [
        Located(label, entry_line(entry), lang.code, entry.msgid, finding)
        for entry in catalog
        for finding in check_entry(entry, lang, glossary, only, rule, markdown)
    ]
