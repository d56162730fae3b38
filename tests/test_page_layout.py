"""A reader finds every note at the foot of the page that carries its mark.

Measured in the brief's real PDFs (Pashto, Dari, Urdu in Nastaliq and in Naskh,
English): WeasyPrint writes every element id as a named destination, so the PDF
itself says on which page each mark (`fnref3`) and each note (`fnprint3`)
starts.  The control lays out the same page with WeasyPrint alone, which moves
notes away from their marks: the measurement can fail.
"""

from __future__ import annotations

import itertools
import re
import shutil
from io import BytesIO
from pathlib import Path
from typing import Any

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


# --------------------------------------------------------------------------- Nastaliq lines
#
# Measured on WeasyPrint's layout of the page (`pdf.lay_out`, what `render_pdf` writes):
# the line boxes give the line spacing; each glyph's ink rectangle comes from Pango, at
# the position the PDF draws it (the line's baseline, the glyph's advance and offsets).


def _pages(html: str) -> list[Any]:
    from l10n.publishing.pdf import lay_out

    return [page._page_box for page in lay_out(html, base_url=str(REPO)).pages]


def _regions(page_box: Any) -> list[Any]:
    """The body and the notes at the foot of one page (not the running header and footer)."""
    from weasyprint.formatting_structure import boxes

    return [box for box in page_box.children if not isinstance(box, boxes.MarginBox)]


def line_spacing(html: str) -> dict[str, set[float]]:
    """Distances between the tops of consecutive lines: in each body paragraph, and in the
    notes (within a note and from one note to the next)."""
    from weasyprint.formatting_structure import boxes

    def lines(block: Any) -> list[Any]:
        return [line for line in block.children if isinstance(line, boxes.LineBox)]

    spacing: dict[str, set[float]] = {"body": set(), "notes": set()}
    for page_box in _pages(html):
        for region in _regions(page_box):
            if isinstance(region, boxes.FootnoteAreaBox):
                runs = [[line for note in region.children for line in lines(note)]]
                kind = "notes"
            else:
                runs = [lines(b) for b in region.descendants() if b.element_tag == "p"]
                kind = "body"
            for run in runs:
                for above, below in itertools.pairwise(run):
                    spacing[kind].add(round(below.position_y - above.position_y, 1))
    return spacing


def _glyph_ink(text_box: Any) -> list[tuple[float, float, float, float]]:
    """Ink rectangles (left, top, right, bottom) of the glyphs of one text box, in CSS px."""
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango

    layout = text_box.pango_layout
    if not hasattr(layout, "layout"):  # WeasyPrint frees the Pango layout after layout
        layout.reactivate(text_box.style)
    line, _ = layout.get_first_line()
    rect = ffi.new("PangoRectangle *")
    x, baseline = text_box.position_x, text_box.position_y + text_box.baseline
    inks = []
    run = line.runs
    while run != ffi.NULL:
        item = ffi.cast("PangoGlyphItem *", run.data)
        for index in range(item.glyphs.num_glyphs):
            glyph = item.glyphs.glyphs[index]
            real = not glyph.glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG
            if real and glyph.glyph != pango.PANGO_GLYPH_EMPTY:
                pango.pango_font_get_glyph_extents(
                    item.item.analysis.font, glyph.glyph, rect, ffi.NULL
                )
                if rect.width and rect.height:
                    left = x + (glyph.geometry.x_offset + rect.x) * FROM_UNITS
                    top = baseline + (glyph.geometry.y_offset + rect.y) * FROM_UNITS
                    inks.append(
                        (left, top, left + rect.width * FROM_UNITS, top + rect.height * FROM_UNITS)
                    )
            x += glyph.geometry.width * FROM_UNITS
        run = run.next
    return inks


def touching_lines(html: str) -> list[tuple[int, float]]:
    """(page, overlap in px) for each pair of consecutive lines where a glyph's ink rectangle
    reaches into one of the next line's: conservative, a rectangle is larger than its ink."""
    from weasyprint.formatting_structure import boxes

    found = []
    for number, page_box in enumerate(_pages(html), start=1):
        for region in _regions(page_box):
            lines = []
            for line in region.descendants():
                if isinstance(line, boxes.LineBox):
                    texts = [b for b in line.descendants() if isinstance(b, boxes.TextBox)]
                    if inks := [ink for text in texts for ink in _glyph_ink(text)]:
                        lines.append((line.position_y, inks))
            lines.sort(key=lambda line: line[0])
            for (_, above), (_, below) in itertools.pairwise(lines):
                overlaps = [
                    a[3] - b[1]
                    for a in above
                    for b in below
                    if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
                ]
                if overlaps:
                    found.append((number, round(max(overlaps), 1)))
    return found


def test_nastaliq_lines_are_evenly_spaced_with_or_without_latin_in_them(brief_pdfs):
    spacing = line_spacing(brief_pdfs["ur-nastaliq.html"].decode("utf-8"))
    assert len(spacing["body"]) == 1, spacing
    assert len(spacing["notes"]) == 1, spacing  # notes 3 and 4 as far apart as any two lines


def test_control_latin_runs_at_the_lines_height_make_some_lines_taller(brief_pdfs):
    html = brief_pdfs["ur-nastaliq.html"].decode("utf-8")
    before = html.replace("em; line-height: 1; }", "em; }", 1)  # the Latin-run rule as it was
    assert before != html
    assert len(line_spacing(before)["notes"]) > 1


def test_no_nastaliq_glyph_reaches_into_the_next_line(brief_pdfs):
    html = brief_pdfs["ur-nastaliq.html"].decode("utf-8")
    assert touching_lines(html) == []


def test_control_at_the_old_line_height_glyphs_of_neighbouring_lines_overlap(brief_pdfs):
    html = brief_pdfs["ur-nastaliq.html"].decode("utf-8")
    tighter = html.replace("</style>", "@media print { body { line-height: 2.6 } }</style>", 1)
    assert touching_lines(tighter) != []


# --------------------------------------------------------------------------- full pages


def page_gaps(html: str) -> list[float]:
    """For every page but the last: the empty height between the body's last line and the
    notes at the foot of the page (or the bottom of the page), in CSS px."""
    from weasyprint.formatting_structure import boxes

    gaps = []
    for page_box in _pages(html)[:-1]:
        body, *rest = _regions(page_box)
        notes = [box for box in rest if isinstance(box, boxes.FootnoteAreaBox)]
        limit = notes[0].position_y if notes else page_box.content_box_y() + page_box.height
        lines = [line for line in body.descendants() if isinstance(line, boxes.LineBox)]
        gaps.append(limit - max(line.position_y + line.height for line in lines))
    return gaps


@pytest.mark.parametrize("edition", ["ps", "fa_AF", "ur-nastaliq", "ur-naskh", "en"])
def test_no_page_is_left_short_by_more_than_two_lines(brief_pdfs, edition):
    html = brief_pdfs[f"{edition}.html"].decode("utf-8")
    line = min(line_spacing(html)["body"])  # the common line; a few are taller
    assert max(page_gaps(html)) < 2 * line


def test_control_keeping_two_lines_together_leaves_a_page_a_third_empty(brief_pdfs):
    html = brief_pdfs["ur-nastaliq.html"].decode("utf-8")
    line = min(line_spacing(html)["body"])  # the common line; a few are taller
    pairs = html.replace("orphans: 1; widows: 1;", "orphans: 2; widows: 2;")
    assert pairs != html
    assert max(page_gaps(pairs)) > 3 * line
