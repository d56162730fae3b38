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
