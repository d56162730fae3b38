"""Readers print the editions: fonts embedded, notes at the foot of the page, pages numbered.

The PDFs are read back as a reader's tools would: `pdffonts`, `pdfinfo`,
`pdftotext` (poppler-utils) and pictures from `pdftoppm` measured with Pillow.
Each PDF is rendered once per module; the module is marked slow.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from l10n.languages import language
from l10n.publishing.editions import EditionStatus
from l10n.publishing.html import PublishSettings, render_html
from l10n.publishing.pdf import render_pdf

from conftest import BRIEF, FIXTURES

pytest.importorskip("weasyprint", reason="PDF editions need WeasyPrint (pip install 'l10n[pdf]')")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not shutil.which("pdftotext"), reason="needs Debian's poppler-utils (pdftotext, pdffonts)"
    ),
]

PUBLISH = FIXTURES / "publish"
DRAFT = EditionStatus(translated=20, reviewed=5, drafts=3, untranslated=2)
FINAL = EditionStatus(translated=25, reviewed=25)
ORIGINAL = EditionStatus(original=True)
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
EXTENDED = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

Render = Callable[..., Path]


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Render:
    """pdf(lang, status=…, footnotes=…, style=…, brief=False) → the PDF file, made once."""
    folder = tmp_path_factory.mktemp("pdf")
    made: dict[tuple, Path] = {}

    def render(
        lang: str,
        status: EditionStatus = DRAFT,
        footnotes: str = "bottom",
        style: str | None = None,
        brief: bool = False,
    ) -> Path:
        key = (lang, status, footnotes, style, brief)
        if key not in made:
            path = folder / f"{len(made)}-{lang}.pdf"
            path.write_bytes(render_pdf(html(lang, status, footnotes, style, brief)))
            made[key] = path
        return made[key]

    return render


def html(
    lang: str,
    status: EditionStatus = DRAFT,
    footnotes: str = "bottom",
    style: str | None = None,
    brief: bool = False,
) -> str:
    if brief:
        text = BRIEF.read_text(encoding="utf-8")
    elif lang == "en":
        text = (PUBLISH / "border-trade.md").read_text(encoding="utf-8")
    else:
        text = (PUBLISH / f"border-trade.{lang}.md").read_text(encoding="utf-8")
    settings = PublishSettings(footnotes=footnotes, styles={lang: style} if style else {})
    return render_html(text, lang, status=status, source_label="source/doc.md", settings=settings)


def run(*command: str | Path) -> str:
    return subprocess.run(
        [str(c) for c in command], check=True, capture_output=True, text=True, timeout=120
    ).stdout


def text_of(path: Path, page: int | None = None) -> str:
    """The PDF's text with bidi controls removed and white space collapsed.

    pdftotext keeps right-to-left words whole but moves the spaces and
    punctuation around the numbers, so tests look for words, not phrases.
    """
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return " ".join(BIDI_CONTROLS.sub("", run("pdftotext", *pages, path, "-")).split())


def pages(path: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", path), re.M)[1])


def embedded_fonts(path: Path) -> dict[str, str]:
    """Font name (subset prefix removed) → the `emb` column of pdffonts."""
    rows = run("pdffonts", path).splitlines()[2:]
    return {row.split()[0].split("+")[-1]: row.split()[-5] for row in rows}


# --------------------------------------------------------------------------- fonts and text


@pytest.mark.parametrize(
    ("lang", "style", "font"),
    [
        ("ps", None, "Noto-Naskh-Arabic"),
        ("fa_AF", None, "Noto-Naskh-Arabic"),
        ("ur", None, "Noto-Nastaliq-Urdu"),
        ("ur", "naskh", "Noto-Naskh-Arabic"),
        ("en", None, "Noto-Serif"),
    ],
)
def test_each_pdf_embeds_the_font_of_its_script(pdf, lang, style, font):
    status = ORIGINAL if lang == "en" else DRAFT
    fonts = embedded_fonts(pdf(lang, status, style=style))
    assert fonts.get(font) == "yes", fonts
    assert all(embedded == "yes" for embedded in fonts.values())
    if lang != "en":
        assert fonts.get("Noto-Serif") == "yes"  # the Latin runs: TTP, CASA-1000, URLs


@pytest.mark.parametrize(
    ("lang", "style", "words"),
    [
        ("ps", None, ["راهیسې", "سوداګري", "بریدونو", "محصولونه", "۱۹۴۷", "۱٬۳۰۰", "۲۰۲۵"]),
        ("fa_AF", None, ["گذرگاهها", "بازبینی", "تجارت", "۱۹۴۷", "۱٬۳۰۰", "۲۰۲۵"]),
        ("ur", "naskh", ["گزرگاہوں", "تجارت", "منحصر", "۱۹۴۷", "۱٬۳۰۰", "۲۰۲۵"]),
    ],
)
def test_naskh_pdfs_give_their_words_back_in_the_languages_digits(pdf, lang, style, words):
    text = text_of(pdf(lang, style=style))
    for word in words:  # Dari's zero-width non-joiners are dropped by extraction
        assert word in text
    for latin in ("CASA-1000", "IS-KP", "TTP", "ASYCUDA++", "https://casa-1000.org", "v2.1"):
        assert latin in text
    assert "1947" not in text and "2021" not in text.replace("trade-2021", "")


def test_urdu_in_nastaliq_does_not_give_its_words_back_which_is_why_naskh_is_offered(pdf):
    urdu = language("ur")
    assert [(s.name, s.extractable) for s in urdu.type_styles] == [
        ("nastaliq", False),
        ("naskh", True),
    ]
    assert "گزرگاہوں" in text_of(pdf("ur", style="naskh"))
    nastaliq = text_of(pdf("ur"))
    assert "گزرگاہوں" not in nastaliq
    assert "CASA-1000" in nastaliq  # the Latin runs are set in Noto Serif and do extract


def test_the_same_edition_prints_the_same_bytes_so_unchanged_pdfs_are_not_rewritten():
    page = html("fa_AF")
    assert render_pdf(page) == render_pdf(page)  # no creation date, no random document id


# --------------------------------------------------------------------------- notes and pages


def test_notes_print_once_each_at_the_foot_of_the_page_or_all_at_the_end(pdf):
    notes = ("خان", "پېښور", "casa-1000.org")  # a word of each of the three notes
    bottom = pdf("ps")
    assert pages(bottom) == 1
    text = text_of(bottom, 1)
    for note in notes:
        assert text.count(note) == 1
        assert text.index(note) > text.index("جدولونه")  # below the last paragraph
    assert "یادښتونه" not in text
    end = pdf("ps", footnotes="end")
    assert pages(end) == 2
    assert "یادښتونه" not in text_of(end, 1) and all(n not in text_of(end, 1) for n in notes)
    assert "یادښتونه" in text_of(end, 2) and all(text_of(end, 2).count(n) == 1 for n in notes)


@pytest.mark.parametrize("lang", ["en", "ps"])
def test_all_34_notes_of_the_brief_are_printed_once_each(pdf, lang):
    source = BRIEF.read_text(encoding="utf-8")
    bodies = re.findall(r"^\[\^\d+\]: (.+)$", source, re.M)
    assert len(bodies) == 34
    # the first two words: a longer start may be split at a hyphen at the end of a line
    starts = Counter(
        " ".join(re.sub(r"[*\[\]]|\(http[^)]*\)|<|>", "", b).split()[:2]) for b in bodies
    )
    status = ORIGINAL if lang == "en" else EditionStatus(untranslated=200)
    text = text_of(pdf(lang, status, brief=True))
    for start, times in starts.items():
        assert text.count(start) == times, start
    if lang == "ps":  # in order, page after page, numbered in Extended Arabic-Indic digits
        brief = pdf(lang, status, brief=True)
        numbers = [
            re.findall(
                r"^([۰-۹]+)\. ",
                BIDI_CONTROLS.sub("", run("pdftotext", "-f", n, "-l", n, brief, "-")),
                re.M,
            )
            for n in range(1, pages(brief) + 1)
        ]
        expected = [str(n).translate(EXTENDED) for n in range(1, 35)]
        assert [n for page in numbers for n in page] == expected


def test_pages_are_numbered_in_the_languages_digits_under_a_running_title(pdf):
    brief = pdf("ps", EditionStatus(untranslated=200), brief=True)
    count = pages(brief)
    assert 5 <= count <= 12
    for page in range(1, count + 1):
        lines = [line for line in run("pdftotext", "-f", page, "-l", page, brief, "-").split("\n")]
        lines = [BIDI_CONTROLS.sub("", line).strip() for line in lines if line.strip()]
        assert lines[-1] == str(page).translate(EXTENDED)
        assert ("A Road Untraveled" in lines[:3]) == (page > 1)  # not over the title block


@pytest.mark.parametrize("lang", ["ps", "fa_AF", "ur"])
def test_every_page_of_a_draft_says_draft_and_no_page_of_a_final_edition_does(pdf, lang):
    draft = pdf(lang, EditionStatus(untranslated=200), brief=True)
    word = {"ps": "مسوده", "fa_AF": "مسوده", "ur": "Draft"}[lang]  # Nastaliq: Latin only
    for page in range(1, pages(draft) + 1):
        assert "Draft" in text_of(draft, page) and word in text_of(draft, page)
    final = pdf(lang, EditionStatus(translated=200, reviewed=200), brief=True)
    assert "Draft" not in text_of(final)


# --------------------------------------------------------------------------- what the eye sees


def picture(document: str, tmp_path: Path, dpi: int = 150):
    from PIL import Image

    source = tmp_path / "probe.pdf"
    source.write_bytes(render_pdf(document))
    run("pdftoppm", "-png", "-r", dpi, "-singlefile", "-f", 1, "-l", 1, source, tmp_path / "probe")
    return Image.open(tmp_path / "probe.png").convert("RGB")


def is_red(p: tuple[int, int, int]) -> bool:
    return p[0] > 140 and p[2] < 120 and p[0] - p[2] > 60


def is_blue(p: tuple[int, int, int]) -> bool:
    return p[2] > 140 and p[0] < 120 and p[2] - p[0] > 60


def columns(image, colour: Callable) -> tuple[int, int]:
    px = image.load()
    xs = [x for x in range(image.width) for y in range(image.height) if colour(px[x, y])]
    assert xs, "colour not found"
    return min(xs), max(xs)


def clearance(image) -> int:
    """The smallest vertical distance, in pixels, between the ink of a red and a blue line."""
    px = image.load()
    smallest = image.height
    for x in range(image.width):
        last_red = last_blue = None
        for y in range(image.height):
            if is_red(px[x, y]):
                if last_blue is not None:
                    smallest = min(smallest, y - last_blue)
                last_red = y
            elif is_blue(px[x, y]):
                if last_red is not None:
                    smallest = min(smallest, y - last_red)
                last_blue = y
    return smallest


URDU_LINES = [
    "پیچیدگیوں کے باوجود سمجھتے ہیں کہ تجارتی گزرگاہیں کھلی رہیں گی۔",
    "ٹھیکیداروں کی پیشگیاں، مستحکم نستعلیق، بحیثیت منتخبہ تحقیقات۔",
    "چھوٹے تاجروں کے لیے محصولات کم کیے جائیں تو نتیجے بہتر ہوں گے۔",
    "شمالی پہاڑیوں میں بچھائی گئی بجلی کی لائنیں ٹوٹ چکی ہیں۔",
] * 2


@pytest.mark.parametrize(("line_height", "clear"), [(None, True), ("1.9", False)])
def test_stacked_nastaliq_letters_of_one_line_keep_clear_of_the_next(tmp_path, line_height, clear):
    pytest.importorskip("PIL", reason="the pages are measured with Pillow")
    text = "\n\n".join(URDU_LINES) + "\n"
    document = render_html(text, "ur", status=FINAL, source_label="probe")
    probe = "main p { margin: 0; white-space: nowrap; } main p:nth-child(odd) { color: #f00; }"
    probe += "main p:nth-child(even) { color: #00f; }"
    if line_height:  # the control: Naskh's leading is too tight for Nastaliq
        probe += f"body {{ line-height: {line_height} !important; }}"
    image = picture(document.replace("</style>", probe + "</style>"), tmp_path)
    assert (clearance(image) >= 3) == clear


def test_latin_runs_keep_their_reading_order_in_print(tmp_path):
    pytest.importorskip("PIL", reason="the pages are measured with Pillow")
    coloured = '<span style="color:#00f">ASYCUDA</span><span style="color:#f00">++</span>'
    document = html("ps", FINAL).replace("ASYCUDA++", coloured)
    assert f'<bdi dir="ltr">{coloured}</bdi>' in document
    blue, red = (
        columns(picture(document, tmp_path), is_blue),
        columns(picture(document, tmp_path), is_red),
    )
    assert blue[1] < red[0]  # "++" right after "ASYCUDA", read left to right
    bare = document.replace(f'<bdi dir="ltr">{coloured}</bdi>', coloured)  # the control
    image = picture(bare, tmp_path)
    assert columns(image, is_red)[1] < columns(image, is_blue)[0]  # "++ASYCUDA"


def test_hyphenated_acronyms_never_break_at_their_hyphen(tmp_path):
    words = ["د", "او", "خبرې", "پوله", "سوداګري", "بریدونه", "راهیسې"]
    text = " ".join(f"{words[k % 7]} IS-KP {words[k * 3 % 7]} CASA-1000" for k in range(60))
    document = render_html(text, "ps", status=FINAL, source_label="probe")

    def acronyms(document: str, width: int) -> set[str]:
        """The Latin pieces of the printed lines: whole acronyms, or parts of broken ones."""
        narrow = f"@page {{ size: {width}mm 250mm; margin: 5mm; }}"
        path = tmp_path / "narrow.pdf"
        path.write_bytes(render_pdf(document.replace("</style>", narrow + "</style>")))
        return set(re.findall(r"[A-Z0-9-]+", run("pdftotext", path, "-")))

    widths = range(40, 70, 5)  # some line ends fall inside an acronym at one width or another
    assert all(acronyms(document, width) == {"IS-KP", "CASA-1000"} for width in widths)
    bare = document.replace('<span class="nobreak">', "<span>")  # the control
    assert any(acronyms(bare, width) >= {"IS-", "KP"} for width in widths)
