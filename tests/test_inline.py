"""One reading of inline markup: what in a msgid is markup, the same for every stage that asks.

Glossary matching, placeholders for engines, the Markdown checks and word
counts used to find markup with four sets of regexes that disagreed (a `[^3]`
in a code span was a footnote for some of them).  Now they all read the spans
of `l10n.inline`; these tests pin the spans down on real strings, then check
that the four consumers see the same markup.
"""

from __future__ import annotations

import polib
import pytest

from l10n.checks import check_entry
from l10n.glossary import glossary_from_data, mask_markup
from l10n.inline import MARKUP, Inline, read_inline
from l10n.languages import language
from l10n.protect import protect, restore
from l10n.status import count_words

from conftest import REPO


def spans(text: str) -> list[tuple[str, str, str]]:
    return [(s.kind, s.text, s.target) for s in read_inline(text).spans]


# --------------------------------------------------------------------------- each construct

CONSTRUCTS: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "a code span hides what looks like a footnote": (
        "Run `a [^3] b` first.",
        [("code", "`a [^3] b`", "a [^3] b")],
    ),
    "a footnote reference needs no definition": (
        "Trade grew by 12.5% in 2021.[^4]",
        [("footnote", "[^4]", "4")],
    ),
    "a link with a title points to its destination": (
        'See [the report](https://example.org/a_(b) "The title").',
        [("link", '[the report](https://example.org/a_(b) "The title")',
          "https://example.org/a_(b)")],
    ),
    "emphasis nests, outer span first": (
        "Some *nested **strong** text* here.",
        [("em", "*nested **strong** text*", ""), ("strong", "**strong**", "")],
    ),
    "triple stars are emphasis around strong emphasis": (
        "***Note***",
        [("em", "***Note***", ""), ("strong", "**Note**", "")],
    ),
    "an unpaired star is text": ("The *Taliban met.", []),
    "underscores inside a word are text": ("Run trade_stats now.", []),
    "a reference link, full or collapsed, keeps its label; a shortcut stays text": (
        "A [report][fes], the [fes][] site and [sic].",
        [("link", "[report][fes]", "fes"), ("link", "[fes][]", "fes")],
    ),
    "a bare URL stops before trailing punctuation": (
        "Visit https://example.org/path, or www.usip.org/publications.",
        [("url", "https://example.org/path", "https://example.org/path"),
         ("url", "www.usip.org/publications", "www.usip.org/publications")],
    ),
    "an e-mail address": ("Write to info@fes.de.", [("email", "info@fes.de", "info@fes.de")]),
    "a backslash escape stands for its character": (
        r"Not \*emphasis\* here.",
        [("escape", r"\*", "*"), ("escape", r"\*", "*")],
    ),
    "an autolink is a link": (
        "Available at <https://www.voanews.com/a/x_y>.",
        [("autolink", "<https://www.voanews.com/a/x_y>", "https://www.voanews.com/a/x_y")],
    ),
    "inline HTML, each tag apart": (
        "The <abbr>TAP</abbr> grew.",
        [("html", "<abbr>", "<abbr>"), ("html", "</abbr>", "</abbr>")],
    ),
    "an entity stands for its character": ("R&amp;D", [("entity", "&amp;", "&")]),
    "an image, with markup in its alt text": (
        "![Map of the *border*](img/map.png)",
        [("image", "![Map of the *border*](img/map.png)", "img/map.png"),
         ("em", "*border*", "")],
    ),
    "an inline footnote holds text to translate": (
        "Trade.^[See *the* report.]",
        [("inline_footnote", "^[See *the* report.]", ""), ("em", "*the*", "")],
    ),
    "a bare domain is noted, but is not markup": (
        "See afghanistan.fes.de.",
        [("domain", "afghanistan.fes.de", "afghanistan.fes.de")],
    ),
    "strikethrough is not in the dialect": ("~~gone~~", []),
}  # fmt: skip


@pytest.mark.parametrize("case", CONSTRUCTS, ids=list(CONSTRUCTS))
def test_each_construct_is_one_typed_span(case: str) -> None:
    text, expected = CONSTRUCTS[case]
    assert spans(text) == expected


def test_a_link_is_markup_around_a_label_to_translate() -> None:
    text = '**[the report](https://example.org/r "PDF")**'
    pieces = [(text[a:b], kind) for a, b, kind in read_inline(text).pieces()]
    assert pieces == [
        ("**", "strong"), ("[", "link"), ('](https://example.org/r "PDF")', "link"),
        ("**", "strong"),
    ]  # fmt: skip
    assert read_inline(text).masked() == "   the report".ljust(len(text))
    assert read_inline(text).of("link")[0].content == (3, 13)


def test_unpaired_emphasis_markers_are_the_ones_that_could_have_paired() -> None:
    assert read_inline("یہ *سرحد نہیں ہے۔").stray == (3,)
    assert read_inline("5 * 3 and snake_case").stray == ()
    assert read_inline("**a*").stray == (0,)  # the second and third pair as <em>


def test_masking_keeps_offsets() -> None:
    text = "See [a](u) and `code`, <b>x</b>, info@fes.de.[^1]"
    masked = read_inline(text).masked()
    assert len(masked) == len(text)
    assert masked.split() == ["See", "a", "and", ",", "x", ",", "."]


def test_a_string_is_read_once() -> None:
    text = "Read *once*, use [four](times)."
    assert read_inline(text) is read_inline(text)


# --------------------------------------------------------------------------- the consumers agree


def brief_msgids() -> list[str]:
    pot = polib.pofile(str(REPO / "locales" / "a-road-untraveled.pot"))
    return [e.msgid for e in pot if e.msgid]


HARD = [
    "Run `x [^3]` now.[^4]",
    '**[Bold link](http://x.org/y)** and ![alt *e*](img/p.png "t").',
    "A [report][fes] and [fes][] but [sic]; mail info@fes.de or https://fes.de/a.",
    r"Not \*emphasis\*, <abbr>TAP</abbr> &amp; <https://example.org>; a *stray star.",
    "Some *nested **strong** text* and __under__ with snake_case.",
]


def hidden(inline: Inline) -> set[int]:
    return {i for a, b, _ in inline.pieces(MARKUP) for i in range(a, b)}


@pytest.mark.parametrize("text", HARD + brief_msgids())
def test_glossary_placeholders_and_word_counts_see_the_same_markup(text: str) -> None:
    inline = read_inline(text)
    markup = hidden(inline)
    masked = mask_markup(text)  # what glossary matching reads
    assert {i for i, ch in enumerate(masked) if ch != text[i]} == {
        i for i in markup if text[i] != " "
    }
    protected = protect(text)  # what an engine is given
    assert "".join(slot.source for slot in protected.slots) == "".join(
        text[i] for i in sorted(markup)
    )
    assert restore(protected.text, protected).text == text
    words = inline.without(("link", "image", "footnote"))
    assert count_words(text) == len(words.split())


GLOSSARY = glossary_from_data({"terms": []}, "test")


def findings(msgid: str, msgstr: str, check: str) -> list[str]:
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr)
    return [f.message for f in check_entry(entry, language("ps"), GLOSSARY, [check])]


def test_a_footnote_in_a_code_span_is_code_for_every_stage() -> None:
    text = "Run `x [^3]` now.[^4]"
    assert [s.kind for s in protect(text).slots] == ["code", "footnote"]
    assert [s.source for s in protect(text).slots] == ["`x [^3]`", "[^4]"]
    assert mask_markup(text) == "Run          now.    "
    assert count_words(text) == 4  # Run, `x, [^3]`, now.
    assert findings(text, "`x [^3]` وچلوئ.", "footnotes") == [
        "footnote reference '[^4]' is missing"
    ]
    assert findings(text, "x وچلوئ.[^4]", "footnotes") == []
    assert findings(text, "x وچلوئ.[^4]", "code") == ["code span 'x [^3]' is missing"]


def test_placeholders_keep_links_emphasis_and_escapes_and_merge_what_touches() -> None:
    protected = protect(r"**[the report](https://example.org/r)** is \*final\*.")
    assert protected.text == "<x1>the report<x2> is <x3>final<x4>."
    assert [(s.kind, s.source) for s in protected.slots] == [
        ("markup", "**["), ("markup", "](https://example.org/r)**"),
        ("escape", r"\*"), ("escape", r"\*"),
    ]  # fmt: skip


def test_an_unpaired_star_goes_to_the_engine_as_text() -> None:
    assert protect("Significant at 5%* only").text == "Significant at 5%* only"


def test_a_dropped_reference_link_is_a_lost_link() -> None:
    assert findings("See [the report][fes].", "راپور وګورئ.", "links") == [
        "link to 'fes' is missing"
    ]
    assert findings("See [the report][fes].", "[راپور][fes] وګورئ.", "links") == []


def test_checks_count_what_the_spans_hold() -> None:
    text = HARD[1]
    inline = read_inline(text)
    assert inline.links == {"http://x.org/y": 1, "img/p.png": 1}
    assert inline.emphasis == {"strong": 1, "em": 1}
    assert findings(text, "Bold link and alt e.", "links") == [
        "link to 'http://x.org/y' is missing",
        "link to 'img/p.png' is missing",
    ]
