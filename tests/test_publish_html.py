"""Readers open an edition in a browser: their language, their script's direction, their digits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import polib
import pytest

from l10n.config import load_config, publish_settings
from l10n.document import parse_document
from l10n.errors import L10nError
from l10n.pipeline import extract, update
from l10n.project import Project
from l10n.publishing.editions import EditionStatus, Policy, build_edition
from l10n.publishing.html import PublishSettings, render_html
from l10n.review import mark_reviewed

from browser import needs_chromium, painted_extent, screenshot
from conftest import BRIEF, FIXTURES

PUBLISH = FIXTURES / "publish"
SOURCE = PUBLISH / "border-trade.md"
LANGUAGES = ("ps", "fa_AF", "ur")
DRAFT = EditionStatus(translated=20, reviewed=5, drafts=3, untranslated=2)
FINAL = EditionStatus(translated=25, reviewed=25)
ORIGINAL = EditionStatus(original=True)


def edition_text(lang: str) -> str:
    path = SOURCE if lang == "en" else PUBLISH / f"border-trade.{lang}.md"
    return path.read_text(encoding="utf-8")


def render(
    lang: str,
    status: EditionStatus = DRAFT,
    settings: PublishSettings | None = None,
    text: str | None = None,
) -> str:
    return render_html(
        edition_text(lang) if text is None else text,
        lang,
        status=status,
        source_label="source/border-trade.md",
        settings=settings or PublishSettings(),
    )


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""  # all text inside, children included
    ancestors: tuple[str, ...] = ()


@dataclass
class Page(HTMLParser):
    """The elements of a page, each with its text, and the text outside any isolated run."""

    elements: list[Element] = field(default_factory=list)
    stack: list[Element] = field(default_factory=list)
    unisolated: str = ""  # text in right-to-left context (outside <bdi dir=ltr>, code, head)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link"})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, "", tuple(e.tag for e in self.stack))
        self.elements.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.text += data
        inside = {e.tag for e in self.stack}
        latin = any(e.attrs.get("dir") == "ltr" for e in self.stack)
        if not latin and not inside & {"code", "head", "style", "title"}:
            self.unisolated += data

    def find(self, tag: str, **attrs: str) -> list[Element]:
        want = {k.rstrip("_"): v for k, v in attrs.items()}
        return [
            e
            for e in self.elements
            if e.tag == tag and all(v in e.attrs.get(k, "").split() for k, v in want.items())
        ]


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


# --------------------------------------------------------------------------- language, direction


@pytest.mark.parametrize(
    ("lang", "tag", "direction"),
    [("ps", "ps", "rtl"), ("fa_AF", "fa-AF", "rtl"), ("ur", "ur", "rtl"), ("en", "en", "ltr")],
)
def test_each_edition_declares_its_language_and_direction(lang, tag, direction):
    page = parse(render(lang, ORIGINAL if lang == "en" else DRAFT))
    [root] = page.find("html")
    assert (root.attrs["lang"], root.attrs["dir"]) == (tag, direction)
    [title] = page.find("h1", class_="title")
    assert title.text.strip()


def test_the_title_block_shows_the_front_matter_with_the_date_in_the_readers_calendar_words():
    page = parse(render("ps"))
    [title] = page.find("h1", class_="title")
    assert title.text == "له ۲۰۲۱ وروسته د پولې سوداګري"
    [authors] = page.find("p", class_="authors")
    assert authors.text == "مریم جامي، رجب طیب"
    [publisher] = page.find("p", class_="publisher")
    assert publisher.text == "د جګړې او سولې د مطالعاتو انستیتوت (IWPS)"
    [time] = page.find("time")
    assert (time.attrs["datetime"], time.text) == ("2021-12", "دسمبر ۲۰۲۱")
    [english] = parse(render("en", ORIGINAL)).find("time")
    assert english.text == "December 2021"
    assert "<title>له ۲۰۲۱ وروسته د پولې سوداګري</title>" in render("ps")


# --------------------------------------------------------------------------- digits


def test_numbers_take_the_languages_digits_but_urls_versions_and_acronyms_do_not():
    html = render("ps")
    page = parse(html)
    for native in ("له ۱۹۴۷ راهیسې", "۱٬۳۰۰", "تر ۲۰۲۵ مخکې", "۲۶ نومبر ۲۰۲۱", "مخ ۱۲"):
        assert native in page.unisolated
    assert not any(c.isascii() and c.isdigit() for c in page.unisolated)
    text = re.sub("<[^>]+>", "", html)  # an address is printed in unbreakable chunks
    for latin in ("CASA-1000", "https://casa-1000.org", "v2.1", "https://example.org/trade-2021"):
        assert latin in text
    [link] = page.find("a", href="https://example.org/trade-2021")
    assert link.text == "https://example.org/trade-2021"
    cells = [cell.text for cell in page.find("td")]
    assert cells == ["تورخم", "۱٬۲۰۰", "۲۰۲۱", "چمن", "۸۰۰", "۲۰۲۱"]


def test_urdu_may_be_printed_in_latin_digits_even_where_the_translator_wrote_native_ones():
    latin = PublishSettings(digits={"ur": "latin"})
    text = edition_text("ur").replace("1947 سے", "۱۹۴۷ سے")
    page = parse(render("ur", settings=latin, text=text))
    assert "1947 سے" in page.unisolated
    assert "1,300 " in page.unisolated and "۱" not in page.unisolated
    assert "@counter-style edition-digits" in render("ur", settings=latin)
    assert '"۰" "۱" "۲"' in render("ur") and '"0" "1" "2"' in render("ur", settings=latin)


def test_list_numbers_page_numbers_and_note_marks_count_in_the_languages_digits():
    html = render("fa_AF")
    assert 'symbols: "۰" "۱" "۲" "۳" "۴" "۵" "۶" "۷" "۸" "۹"' in html
    assert "ol { list-style-type: edition-digits; }" in html
    assert "counter(page, edition-digits)" in html
    marks = [sup.text for sup in parse(html).find("sup", class_="footnote-ref")]
    assert marks == ["۱", "۲", "۳", "۱"]


# --------------------------------------------------------------------------- bidi


@pytest.mark.parametrize("lang", LANGUAGES)
def test_latin_runs_are_isolated_and_hyphenated_acronyms_stay_on_one_line(lang):
    html = render(lang)
    assert '<bdi dir="ltr"><span class="nobreak">IS-KP</span></bdi>' in html
    assert '<bdi dir="ltr"><span class="nobreak">CASA-1000</span></bdi>' in html
    assert '<bdi dir="ltr">ASYCUDA++</bdi>' in html
    assert '<bdi dir="ltr">MW</bdi>' in html
    assert ".nobreak { white-space: nowrap; }" in html


def test_an_english_phrase_keeps_its_word_order_and_its_brackets():
    text = "ډله د Islamic State-Khorasan Province (IS-KP) په نوم یادېږي، او (TAPI) او (C++) هم.\n"
    html = render("ps", text=text)
    assert (
        '<bdi dir="ltr">Islamic State-Khorasan Province (<span class="nobreak">IS-KP</span>)</bdi>'
        in html
    )
    assert '(<bdi dir="ltr">TAPI</bdi>)' in html
    assert '(<bdi dir="ltr">C++</bdi>)' in html


def test_a_block_left_in_english_reads_left_to_right_inside_a_pashto_edition():
    text = "د پولې سوداګري.\n\nTrade stopped in 2021.\n\n- Lower the fees.\n- فیسونه راټیټ کړئ.\n"
    page = parse(render("ps", text=text))
    [english] = [p for p in page.find("p") if p.text.startswith("Trade")]
    assert (english.attrs["lang"], english.attrs["dir"]) == ("en", "ltr")
    assert "2021" in english.text
    [item] = page.find("span", lang="en")
    assert item.text == "Lower the fees." and item.attrs["dir"] == "ltr"
    assert "li" in item.ancestors


def test_the_english_original_is_typeset_left_to_right_with_no_isolation_and_no_status():
    html = render("en", ORIGINAL)
    assert "<bdi" not in html
    assert '<span class="nobreak">IS-KP</span>' in html
    page = parse(html)
    assert not page.find("aside") and not page.find("p", class_="status")


# --------------------------------------------------------------------------- footnotes


def test_footnotes_are_a_numbered_section_with_links_back_from_every_mark():
    page = parse(render("ps"))
    [section] = page.find("section", class_="footnotes")
    [heading] = page.find("h2", id="notes-title")
    assert heading.text == "یادښتونه"
    notes = page.find("li", class_="footnote-item")
    assert [n.attrs["id"] for n in notes] == ["fn1", "fn2", "fn3"]
    backs = [a.attrs["href"] for a in page.find("a", class_="footnote-backref")]
    assert backs == ["#fnref1", "#fnref1:1", "#fnref2", "#fnref3"]
    marks = {a.attrs["id"] for a in page.find("a") if a.attrs.get("id", "").startswith("fnref")}
    assert marks == {href[1:] for href in backs}
    assert "section" in notes[0].ancestors and section.attrs["aria-labelledby"] == "notes-title"


def test_for_print_each_note_travels_once_to_its_first_mark_unless_notes_go_at_the_end():
    page = parse(render("ps"))
    printed = [span.text for span in page.find("span", class_="footnote-print")]
    assert printed == ["خان، ۲۰۲۱، مخ ۱۲.", *printed[1:]] and len(printed) == 3
    end = render("ps", settings=PublishSettings(footnotes="end"))
    assert "footnote-print" not in end.split("</style>")[1]
    with pytest.raises(L10nError, match="footnotes must be one of bottom, end"):
        PublishSettings(footnotes="side")


# --------------------------------------------------------------------------- drafts


@pytest.mark.parametrize(
    ("lang", "native"),
    [
        ("ps", "مسوده — ماشیني ژباړه چې لا نه ده کتل شوې"),
        ("fa_AF", "مسوده — ترجمهٔ ماشینی که هنوز بازبینی نشده است"),
        ("ur", "مسودہ — مشینی ترجمہ جس کا ابھی جائزہ نہیں لیا گیا"),
    ],
)
def test_a_draft_carries_a_banner_in_its_language_and_in_english_and_a_final_edition_does_not(
    lang, native
):
    machine_drafts = EditionStatus(translated=20, reviewed=5, drafts=3, untranslated=2, machine=3)
    page = parse(render(lang, machine_drafts))
    [banner] = page.find("aside", class_="draft-banner")
    assert native in banner.text
    assert "Draft — machine translation, not yet reviewed" in banner.text
    [status] = page.find("p", class_="status")
    assert "۲۵" in status.text and "۵" in status.text
    assert "source/" not in render(lang, machine_drafts)  # no file paths in an edition
    final = render(lang, FINAL)
    assert not parse(final).find("aside") and "@top-left" not in final
    assert "@top-left" in render(lang, DRAFT)  # "draft" printed at the top of every page


def test_an_editions_status_is_counted_from_its_catalog_and_final_once_everything_is_reviewed(
    project,
):
    """The real path: extract, update, translate from the Pashto fixture, publish."""
    (project / "source" / "border-trade.md").write_text(SOURCE.read_text("utf-8"), "utf-8")
    p = Project(load_config(project))
    extract(p)
    update(p, ["ps"])
    pashto = parse_document(edition_text("ps")).segments
    english = parse_document(SOURCE.read_text("utf-8")).segments
    translation = {en.msgid: ps.msgid for en, ps in zip(english, pashto, strict=True)}
    path = p.catalog_path(p.documents()[0], "ps")
    catalog = polib.pofile(str(path))
    for number, entry in enumerate(catalog):
        entry.msgstr = translation[entry.msgid]
        if number < 3:
            entry.flags.append("fuzzy")
        elif number < 10:
            mark_reviewed(entry, "Reviewer")
    catalog.save()

    def publish(policy: Policy) -> tuple[EditionStatus, Page]:
        doc = p.parse(p.documents()[0])
        current = polib.pofile(str(path))
        edition = build_edition(doc, current, "ps.po", policy)
        return edition.status, parse(render("ps", edition.status, text=edition.text))

    status, page = publish(Policy.DEFAULT)
    entries = len(catalog)
    assert (status.drafts, status.reviewed) == (0, 7)
    assert status.untranslated == status.total - status.translated > 0
    assert status.translated == status.total - status.untranslated >= entries - 3
    assert page.find("aside", class_="draft-banner")
    assert publish(Policy.DRAFTS)[0].drafts > 0
    for entry in catalog:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        mark_reviewed(entry, "Reviewer")
    catalog.save()
    status, page = publish(Policy.STRICT)
    assert status.is_final and status.reviewed == status.total
    assert not page.find("aside")
    [line] = page.find("p", class_="status")
    assert f"ټولې {status.total}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in line.text


# --------------------------------------------------------------------------- safety

HOSTILE = [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    "[اوس وګورئ](javascript:alert(1))",
    "<a href=\"javascript:alert('x')\">وګورئ</a>",
    "<style>body { display: none }</style>",
    "<iframe src=https://example.org></iframe>",
    "![انځور](javascript:alert(1))",
    "<https://example.org/ok>",
    '<sup onclick="alert(1)">x</sup>',
]


def test_nothing_a_translator_writes_can_inject_scripts_styles_or_event_handlers(project):
    source = "---\ntitle: Trade\n---\n\n" + "".join(
        f"Sentence {n} of the brief.\n\n" for n in range(len(HOSTILE))
    )
    (project / "source" / "brief.md").write_text(source, encoding="utf-8")
    p = Project(load_config(project))
    extract(p)
    update(p, ["ps"])
    path = p.catalog_path(p.documents()[0], "ps")
    catalog = polib.pofile(str(path))
    for entry in catalog:
        if entry.msgid == "Trade":
            entry.msgstr = "<script>alert(1)</script> سوداګري"
        else:
            number = int(entry.msgid.split()[1])
            entry.msgstr = f"د راپور {number} جمله {HOSTILE[number]} ده."
    catalog.save()
    edition = build_edition(p.parse(p.documents()[0]), polib.pofile(str(path)), "ps.po")
    assert edition.translated == len(HOSTILE) + 1 and not edition.problems
    html = render("ps", text=edition.text)
    page = parse(html)
    tags = {e.tag for e in page.elements}
    assert not tags & {"script", "iframe", "img", "object", "embed"}
    assert len(page.find("style")) == 1 and page.find("style")[0].ancestors == ("html", "head")
    for element in page.elements:
        for name, value in element.attrs.items():
            assert not name.startswith("on"), element
            assert "javascript:" not in value.lower(), element
    assert [a.attrs.get("href") for a in page.find("a")] == ["https://example.org/ok"]
    shown = page.find("main")[0].text
    assert '<script>alert("x")</script>' in shown  # the reviewer sees what was written
    assert "<img src=x onerror=alert(1)>" in shown
    assert "<script>alert(1)</script> سوداګري" in page.find("h1")[0].text


def test_inert_inline_tags_in_pairs_are_kept_and_comments_dropped():
    text = "اوبه H<sub>2</sub>O دي.<!-- note --> بله<br>کرښه. <sub>نیمګړې\n\n<!-- a comment -->\n"
    html = render("ps", text=text).split("<main>")[1]
    assert "H<sub>2</sub>O" in html and "<br>" in html
    assert "&lt;sub&gt;نیمګړې" in html
    assert "note" not in html and "comment" not in html


# --------------------------------------------------------------------------- settings


def test_publish_settings_come_from_the_publish_table_of_l10n_toml():
    settings = publish_settings(
        {"footnotes": "end", "page_size": "A5", "ur": {"style": "naskh", "digits": "latin"}}
    )
    assert settings == PublishSettings(
        footnotes="end", styles={"ur": "naskh"}, digits={"ur": "latin"}, page_size="A5"
    )
    assert publish_settings({}) == PublishSettings()
    for bad, message in [
        ({"ur": {"style": "kufi"}}, "^.publish.ur. Urdu has no type style 'kufi'; known: nastal"),
        ({"ps": {"digits": "roman"}}, "^.publish.ps. unknown digits 'roman'; known: latin, exte"),
        ({"ps": {"font": "x"}}, r"^\[publish.ps\] no setting 'font' \(style, digits\)"),
        ({"colour": "red"}, r"^\[publish\] no setting 'colour' \(footnotes, page_size, "),
        ({"xx-nope": {"style": "naskh"}}, r"^\[publish.xx-nope\] unknown language code"),
        ({"page_size": "A4; } body {"}, r"^\[publish\] page_size must be a CSS page size"),
    ]:
        with pytest.raises(L10nError, match=message):
            publish_settings(bad)


def test_urdu_is_set_in_nastaliq_with_room_between_lines_or_in_naskh_on_request():
    nastaliq = render("ur")
    assert 'font-family: "Noto Nastaliq Urdu"' in nastaliq and "line-height: 2.75;" in nastaliq
    naskh = render("ur", settings=PublishSettings(styles={"ur": "naskh"}))
    assert 'font-family: "Noto Naskh Arabic"' in naskh and "line-height: 1.9;" in naskh
    assert 'class="edition draft style-naskh' in naskh


def test_the_brief_renders_in_every_language_even_untranslated():
    text = BRIEF.read_text(encoding="utf-8")
    for lang in (*LANGUAGES, "en"):
        status = ORIGINAL if lang == "en" else EditionStatus(untranslated=200)
        page = parse(render(lang, status, text=text))
        assert len(page.find("li", class_="footnote-item")) == 34
        assert len(page.find("span", class_="footnote-print")) == 34


# --------------------------------------------------------------------------- in a browser


@needs_chromium
@pytest.mark.parametrize("lang", [*LANGUAGES, "en"])
def test_in_a_browser_headings_hug_the_right_edge_in_rtl_and_the_left_edge_in_english(
    lang, tmp_path
):
    pytest.importorskip("PIL", reason="the screenshot is measured with Pillow")
    from PIL import Image

    html = render(lang, ORIGINAL if lang == "en" else DRAFT)
    painted = html.replace("</style>", "main > h2 { background: #ffff00; }</style>")
    image = Image.open(screenshot(painted, tmp_path, lang)).convert("RGB")
    left, right, ink_left, ink_right = painted_extent(image, (255, 255, 0))
    left_gap, right_gap = ink_left - left, right - ink_right
    if lang == "en":
        assert left_gap < 12 < 200 < right_gap
    else:
        assert right_gap < 12 < 200 < left_gap
