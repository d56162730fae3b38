"""How an edition reads, measured where readers read it: in Chromium and in the PDF.

The test document (`fixtures/publish/reading.<lang>.md`) holds each case readers
found in the brief, in Pashto, Dari and Urdu: a quoted English title that ends
with its own question mark, an English title and an acronym apart from each
other by the Urdu comma, a number inside an English title, dates whose number
must stay with the month, an acronym spelt in Urdu letters, long web addresses,
an imprint address, "ibid." in emphasis, and numbered notes.

Both engines print to PDF (Chromium with `--print-to-pdf`, WeasyPrint through
`publishing.pdf`); `pdftotext -bbox` gives where each word was drawn.  Naskh
text extracts as written; Nastaliq does not, so the Urdu Nastaliq measures
use the Latin words' positions, and the line-breaking checks print Urdu in
Naskh (`style = "naskh"`), which breaks lines by the same rules.  Every
measure is first shown to fail on the rendering the editions used to make.
"""

from __future__ import annotations

import html as html_text
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest

from l10n.publishing.editions import EditionStatus
from l10n.publishing.html import render_html
from l10n.publishing.typography import Close, Numerals, Open, Text, typeset
from l10n.settings import PublishSettings

from browser import CHROMIUM, print_to_pdf
from conftest import BRIEF, FIXTURES

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext") or CHROMIUM is None,
    reason="needs Debian's poppler-utils and chromium",
)

LANGS = ("ps", "fa_AF", "ur")
ENGINES = ("chromium", "weasyprint")
FINAL = EditionStatus(translated=9, reviewed=9)
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
RTL_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")


def edition(lang: str, style: str | None = None) -> str:
    text = (FIXTURES / "publish" / f"reading.{lang}.md").read_text("utf-8")
    settings = PublishSettings(styles={lang: style} if style else {})
    return render_html(text, lang, status=FINAL, source_label="reading.md", settings=settings)


@dataclass(frozen=True)
class Word:
    left: float
    top: float
    right: float
    text: str


Printer = Callable[[str, str], Path]


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Printer:
    """printed(html, engine) → the PDF file, each page printed once."""
    folder = tmp_path_factory.mktemp("reading")
    made: dict[tuple[str, str], Path] = {}

    def print_(html: str, engine: str) -> Path:
        key = (html, engine)
        if key not in made:
            pdf = folder / f"{len(made)}-{engine}.pdf"
            if engine == "weasyprint":
                from l10n.publishing.pdf import render_pdf

                pdf.write_bytes(render_pdf(html))
            else:
                page = pdf.with_suffix(".html")
                page.write_text(html, "utf-8")
                print_to_pdf(page, pdf, folder / "profile")
            made[key] = pdf
        return made[key]

    return print_


def words(pdf: Path) -> list[Word]:
    out = subprocess.run(
        ["pdftotext", "-bbox", pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', out
    )
    return [
        Word(float(a), float(b), float(c), _logical(html_text.unescape(t))) for a, b, c, t in found
    ]


def _logical(word: str) -> str:
    """pdftotext gives a right-to-left word's letters in the order they were drawn."""
    return word[::-1] if RTL_LETTER.search(word) else word


def lines(pdf: Path) -> list[str]:
    """The printed lines, bidi controls out and spaces normalised."""
    out = subprocess.run(["pdftotext", pdf, "-"], check=True, capture_output=True, text=True)
    return [" ".join(BIDI_CONTROLS.sub("", line).split()) for line in out.stdout.split("\n")]


def one(found: list[Word], text: str) -> Word:
    matches = [w for w in found if text in w.text]
    assert len(matches) == 1, f"{text!r} printed {len(matches)} times"
    return matches[0]


def same_line(a: Word, b: Word) -> bool:
    return abs(a.top - b.top) < 8


# --------------------------------------------------------------------------- Latin titles


def question_mark_ends_the_title(found: list[Word]) -> bool:
    """ "Taliban?": the question mark drawn right after the last word of the English title."""
    return any("Taliban?" in w.text for w in found)


def acronym_follows_the_title(found: list[Word]) -> bool:
    """Right to left, the title comes first: USIP is drawn after it (to its left, or below)."""
    title = one(found, "Future")
    return any(
        (same_line(usip, title) and usip.right < title.left) or usip.top > title.top + 8
        for usip in found
        if usip.text.strip("،,") == "USIP" and usip.top > title.top - 8
    ) and not any(
        same_line(usip, title) and usip.left > title.right
        for usip in found
        if usip.text.strip("،,") == "USIP"
    )


def number_stays_in_the_title(found: list[Word]) -> bool:
    """ "CASA 1000": the Latin digits drawn right after CASA, on its line, left to right."""
    return any(
        0 <= number.left - casa.right < 8
        for casa in found
        if casa.text == "CASA"
        for number in found
        if number.text.startswith("1000") and same_line(number, casa)
    )


TITLE_MEASURES = (
    question_mark_ends_the_title,
    acronym_follows_the_title,
    number_stays_in_the_title,
)


def as_it_used_to_be(html: str) -> str:
    """The three titles as the editions printed them before: each mistake put back."""
    html = html.replace("Taliban?</bdi>", "Taliban</bdi>?")
    html = html.replace("CASA 1000</bdi>", "CASA</bdi> ۱۰۰۰")
    return re.sub(r'</em></bdi>، <bdi dir="ltr">USIP</bdi>', "</em>، USIP</bdi>", html)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("lang", LANGS)
def test_an_english_title_keeps_its_question_mark_its_number_and_its_place(printed, engine, lang):
    html = edition(lang)
    found = words(printed(html, engine))
    for measure in TITLE_MEASURES:
        assert measure(found), measure.__name__
    before = words(printed(as_it_used_to_be(html), engine))
    for measure in TITLE_MEASURES:
        assert not measure(before), f"{measure.__name__} cannot tell the old rendering"


def brief_edition(lang: str) -> str:
    """The brief as `l10n build` prints it: its catalogs' drafts, its own settings."""
    from l10n.config import load_config
    from l10n.project import Project
    from l10n.publishing.editions import Policy, build_edition

    project = Project(load_config(BRIEF.parent.parent))
    doc = project.documents()[0]
    catalog = polib.pofile(str(project.catalog_path(doc, lang)))
    built = build_edition(project.parse(doc), catalog, "brief.po", Policy.DRAFTS)
    return render_html(
        built.text, lang, status=built.status, source_label=doc.label,
        settings=project.config.publish,
    )  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
def test_the_brief_prints_its_english_titles_whole(printed, lang):
    """Notes 7, 26 and 27 of the brief, in print, as readers found them and as they are now."""
    # Pashto and Dari cite note 26 the English way ("Relations. USIP"): one run, USIP after
    measures = TITLE_MEASURES if lang == "ur" else TITLE_MEASURES[::2]
    html = brief_edition(lang)
    found = words(printed(html, "weasyprint"))
    for measure in measures:
        assert measure(found), measure.__name__
    before = words(printed(as_it_used_to_be(html), "weasyprint"))
    assert not any(measure(before) for measure in measures)


# --------------------------------------------------------------------------- breaks

#: widths at which the dates paragraph is printed: one of them splits a date without the rule
WIDTHS = (95, 105, 115, 125)


def at_width(html: str, millimetres: int) -> str:
    return html.replace("</style>", f"@page {{ size: {millimetres}mm 420mm; }}\n</style>", 1)


def without_glue(html: str) -> str:
    """The page as it was before numbers and spelt acronyms were glued to their words."""
    return re.sub(r'<span class="nobreak">((?:(?!</?span).)*?)</span>', r"\1", html)


def drawn_lines(found: list[Word], strip: str = "،۔.:;()«»“”") -> list[list[str]]:
    """The words of each printed line, right to left, without the punctuation around them."""
    rows: dict[int, list[Word]] = {}
    for word in found:
        rows.setdefault(round(word.top / 4), []).append(word)
    return [
        [w.text.strip(strip) for w in sorted(row, key=lambda w: -w.right)]
        for _, row in sorted(rows.items())
    ]


def split_dates(found: list[Word]) -> list[list[str]]:
    """Lines where the month stands without its day: the number ended the line before."""
    return [
        line
        for line in drawn_lines(found)
        for k, token in enumerate(line)
        if token == "مارچ" and not (k > 0 and line[k - 1][-1:].isdigit())
    ]


def split_acronyms(found: list[Word]) -> list[list[str]]:
    """Lines holding a piece of ٹی اے پی without the rest."""
    return [
        line
        for line in drawn_lines(found)
        if len({line.count("ٹی"), line.count("اے"), line.count("پی")}) > 1
    ]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("lang", LANGS)
def test_a_number_never_ends_a_line_without_its_word(printed, engine, lang):
    html = edition(lang, "naskh" if lang == "ur" else None)
    for width in WIDTHS:
        assert split_dates(words(printed(at_width(html, width), engine))) == [], width
    before = [split_dates(words(printed(at_width(without_glue(html), w), engine))) for w in WIDTHS]
    assert any(before), "no width split a date even without the rule"


@pytest.mark.parametrize("engine", ENGINES)
def test_an_acronym_spelt_in_urdu_letters_stays_on_one_line(printed, engine):
    html = edition("ur", "naskh")
    for width in WIDTHS:
        assert split_acronyms(words(printed(at_width(html, width), engine))) == [], width
    before = [
        split_acronyms(words(printed(at_width(without_glue(html), w), engine))) for w in WIDTHS
    ]
    assert any(before), "no width split an acronym even without the rule"


ADDRESS = "https://gandhara.rferl.org/a/afghanista-entral-asia-tapi-casa-1000/27722356.html"


def address_breaks(found: list[Word]) -> list[str]:
    """The pieces of the long address as lines end them (the sentence's marks dropped)."""
    pieces = []
    for word in found:
        piece = word.text.strip("۔،“”«»")
        if piece not in ADDRESS and piece[:-1] in ADDRESS:  # the full stop after it
            piece = piece[:-1]
        if not re.search(r"\w", piece) or piece not in ADDRESS:
            continue
        if any(m in piece for m in "/.-") or ADDRESS.endswith(piece):
            pieces.append(piece)
    return pieces


def well_broken(pieces: list[str]) -> bool:
    return all(piece[-1] in "/.-" for piece in pieces[:-1]) and "https://" not in pieces


def unchunked(html: str) -> str:
    """The addresses as plain text again, left to the line breaker (WeasyPrint then breaks
    after "https://" alone; Chromium happens to break this one well)."""
    html = html.replace("<wbr>", "")
    return re.sub(r'<span class="nobreak">([^<]*[/.-])</span>', r"\1", html)


def scheme_alone(html: str) -> str:
    """The long address with its only break after the scheme: what the measure must catch."""
    chunked = re.compile(r'<span class="nobreak">https://gandhara\.</span>.*?>html</span>')
    rest = ADDRESS.removeprefix("https://")
    html, found = chunked.subn(
        f'<span class="nobreak">https://</span><wbr><span class="nobreak">{rest}</span>', html
    )
    assert found >= 1  # in the text of the note, and once more where print places it
    return html


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("lang", LANGS)
def test_a_web_address_breaks_only_after_a_slash_a_dot_or_a_hyphen(printed, engine, lang):
    html = edition(lang)
    for width in WIDTHS:
        pieces = address_breaks(words(printed(at_width(html, width), engine)))
        assert "".join(pieces) == ADDRESS and len(pieces) >= 2, (width, pieces)  # it did break
        assert well_broken(pieces), (width, pieces)
    controls = [scheme_alone(html)] + ([unchunked(html)] if engine == "weasyprint" else [])
    for control in controls:
        before = [address_breaks(words(printed(at_width(control, w), engine))) for w in WIDTHS]
        assert not all(well_broken(pieces) for pieces in before), before


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("lang", LANGS)
def test_the_imprint_address_aligns_with_the_right_to_left_text(printed, engine, lang):
    html = edition(lang)
    found = words(printed(html, engine))
    address = one(found, "afghanistan.fes.de")
    right_edge = max(w.right for w in found)
    assert right_edge - address.right < 3
    before = html.replace(
        '<p><bdi dir="ltr"><a href="https://afghanistan.fes.de">',
        '<p lang="en" dir="ltr" class="source-text"><bdi dir="ltr"><a href="https://afghanistan.fes.de">',
    )
    assert before != html
    assert right_edge - one(words(printed(before, engine)), "afghanistan.fes.de").right > 100


# --------------------------------------------------------------------------- notes


def note_marks(found: list[Word]) -> list[str]:
    """The number that starts each note with the mark after it ("۱۔"), in reading order."""
    marks = []
    for line in drawn_lines(found, strip=""):
        if re.fullmatch(r"[۱-۵]\W", line[0]):
            marks.append(line[0])
        elif re.fullmatch(r"\W[۱-۵]", line[0]):  # no letter to tell pdftotext the direction
            marks.append(line[0][::-1])
    return marks


def test_urdu_note_numbers_end_with_the_urdu_full_stop_in_print(printed):
    """WeasyPrint sets each note at the foot of its page, numbered by `::footnote-marker`."""
    engine = "weasyprint"
    html = edition("ur", "naskh")
    found = words(printed(html, engine))
    assert note_marks(found) == ["۱۔", "۲۔", "۳۔", "۴۔", "۵۔"], drawn_lines(found, strip="")
    latin = html.replace('"\\6d4  "', '"\\2e  "')
    assert latin != html
    assert note_marks(words(printed(latin, engine))) == ["۱.", "۲.", "۳.", "۴.", "۵."]


def fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", pdf], check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("lang", LANGS)
def test_ibid_is_set_in_the_face_of_its_note_and_english_titles_keep_their_italic(printed, lang):
    html = edition(lang)
    used = fonts(printed(html, "weasyprint"))
    assert "Oblique" not in used and "Noto-Serif-Italic" in used
    slanted = html.replace('html[dir="rtl"] em, html[dir="rtl"] i { font-style: normal; }', "")
    assert slanted != html
    assert "Oblique" in fonts(printed(slanted, "weasyprint"))  # a slanted copy of the face


# --------------------------------------------------------------------------- the rules


@pytest.mark.parametrize(
    ("text", "isolated"),
    [
        ("«Who Is Responsible for the Taliban?»، ۱ مارچ", ["Who Is Responsible for the Taliban?"]),
        ("«The prospects of TAPI and CASA 1000»، ۸ مۍ", ["The prospects of TAPI and CASA 1000"]),
        ("The Future، USIP، 2015۔", ["The Future", "USIP"]),  # the Urdu comma is outside
        ("د IWPS. په 2021 کې", ["IWPS"]),  # the sentence's full stop stays outside
        ("پروژه CASA 1000، ده", ["CASA 1000"]),
        ("پروژه CASA 1000 ده", ["CASA"]),  # a number before more Pashto belongs to the Pashto
        ("(TTP) او IS-KP", ["TTP", "IS-KP"]),
    ],
)
def test_what_belongs_to_a_latin_run(text, isolated):
    numerals = Numerals.of("ps", "extended")
    events = typeset([text], lambda item: None, numerals, rtl=True)
    runs, current = [], None
    for event in events:
        if isinstance(event, Open) and event.tag == "isolate":
            current = ""
        elif isinstance(event, Text) and current is not None:
            current += event.text
        elif isinstance(event, Close) and event.tag == "isolate":
            runs.append(current)
            current = None
    assert runs == isolated
