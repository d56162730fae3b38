from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

FIXTURES = Path(__file__).parent / "fixtures"
ROUNDTRIP = sorted(p for p in (FIXTURES / "roundtrip").glob("*.md") if p.name != "README.md")
REPO = Path(__file__).parent.parent
BRIEF = REPO / "source" / "a-road-untraveled.md"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty l10n project in a temporary folder."""
    from l10n.pipeline import init_project

    init_project(tmp_path, "test")
    return tmp_path


def start_project(project: Path, source: str, name: str = "brief"):
    """A project with one source document, extracted and merged into every language."""
    from l10n.config import load_config
    from l10n.pipeline import extract, update
    from l10n.project import Project

    (project / "source" / f"{name}.md").write_text(source, encoding="utf-8")
    started = Project(load_config(project))
    extract(started)
    update(started)
    return started
