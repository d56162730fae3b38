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


@pytest.fixture(scope="session")
def models(tmp_path_factory: pytest.TempPathFactory):
    """Tiny real CTranslate2 models (echo and random; argos and NLLB flavours), made once."""
    from tiny_models import tiny_models

    return tiny_models(tmp_path_factory.getbasetemp() / "tiny-models")


@pytest.fixture
def engine_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Model installs go to a temporary home, never the user's."""
    from tiny_models import engine_env

    home = tmp_path / "engine-home"
    for name, value in engine_env(home).items():
        monkeypatch.setenv(name, value)
    return home
