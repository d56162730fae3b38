"""A reader finds every note at the foot of the page that carries its mark.

Measured in the brief's real PDFs (Pashto, Dari, Urdu in Nastaliq and in Naskh,
English): WeasyPrint writes every element id as a named destination, so the PDF
itself says on which page each mark (`fnref3`) and each note (`fnprint3`)
starts.  The control lays out the same page with WeasyPrint alone, which moves
notes away from their marks: the measurement can fail.
"""

from __future__ import annotations

import re
import shutil
from io import BytesIO
from pathlib import Path

import pypdf
import pytest

from l10n.config import load_config
from l10n.pipeline import publish
from l10n.project import Project

from conftest import REPO

pytestmark = pytest.mark.slow

_NOTE_ANCHOR = re.compile(r"fn(ref|print)(\d+)")


def note_pages(pdf: bytes) -> dict[int, dict[str, int]]:
    """Note number → {"ref": page of its mark, "print": page its text starts on} (1-based)."""
    reader = pypdf.PdfReader(BytesIO(pdf))
    pages: dict[int, dict[str, int]] = {}
    for name, destination in reader.named_destinations.items():
        if match := _NOTE_ANCHOR.fullmatch(str(name)):
            page = reader.get_destination_page_number(destination) + 1
            pages.setdefault(int(match[2]), {})[match[1]] = page
    return pages


def notes_off_their_page(pdf: bytes) -> dict[int, dict[str, int]]:
    return {n: where for n, where in note_pages(pdf).items() if where["ref"] != where["print"]}


def brief_project(folder: Path, urdu_style: str) -> Project:
    for name in ("source", "locales"):
        shutil.copytree(REPO / name, folder / name)
    shutil.copy(REPO / "glossary.yaml", folder / "glossary.yaml")
    config = (REPO / "l10n.toml").read_text("utf-8")
    config = re.sub(r'(?m)^style = "\w+"', f'style = "{urdu_style}"', config)
    (folder / "l10n.toml").write_text(config, "utf-8")
    return Project(load_config(folder))


@pytest.fixture(scope="module")
def brief_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The brief's PDFs as `l10n publish` writes them: ps, fa_AF, ur (Nastaliq, Naskh), en."""
    pdfs: dict[str, bytes] = {}
    for style, languages in (("nastaliq", None), ("naskh", ["ur"])):
        project = brief_project(tmp_path_factory.mktemp(style), style)
        report = publish(project, formats=["html", "pdf"], languages=languages)
        for published in report.editions + (report.originals if languages is None else []):
            key = f"ur-{style}" if published.lang == "ur" else published.lang
            pdf = next(p for p in published.outputs if p.suffix == ".pdf")
            pdfs[key] = pdf.read_bytes()
            pdfs[key + ".html"] = pdf.with_suffix(".html").read_bytes()
    return pdfs


@pytest.mark.parametrize("edition", ["ps", "fa_AF", "ur-nastaliq", "ur-naskh", "en"])
def test_every_note_starts_on_the_page_of_its_mark(brief_pdfs, edition):
    pages = note_pages(brief_pdfs[edition])
    assert sorted(pages) == list(range(1, 35))  # all 34 notes, each mark and each text found
    assert notes_off_their_page(brief_pdfs[edition]) == {}


def test_control_weasyprint_alone_moves_notes_away_from_their_marks(brief_pdfs):
    """The same pages laid out by WeasyPrint without our rule: some marks stay on one page
    while their notes go to the next (as the issue saw it), so the measurement above can fail."""
    import weasyprint

    off = {}
    for edition in ("ps", "fa_AF", "ur-nastaliq"):
        html = brief_pdfs[edition + ".html"].decode("utf-8")
        pdf = weasyprint.HTML(string=html, base_url=str(REPO)).write_pdf()
        off[edition] = notes_off_their_page(pdf)
    assert any(off.values()), off
