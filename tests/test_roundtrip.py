"""The fidelity contract: publishing through the catalog keeps the document."""

from __future__ import annotations

from pathlib import Path

import pytest

from l10n.document import parse_document, render_document

from conftest import BRIEF, ROUNDTRIP
from markup import normalized_html, pashto_letters, tag_sequence, uppercase

CORPUS = [*ROUNDTRIP, BRIEF]
ids = [p.name for p in CORPUS]


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("path", CORPUS, ids=ids)
def test_identity_translation_reproduces_the_source_byte_for_byte(path):
    text = read(path)
    doc = parse_document(text, path.name)
    assert render_document(doc, {s.msgid: s.msgid for s in doc.segments}) == text


@pytest.mark.parametrize("path", CORPUS, ids=ids)
def test_rewriting_every_segment_with_its_msgid_renders_the_same_html(path):
    text = read(path)
    doc = parse_document(text, path.name)
    rewritten = render_document(doc, lambda s: s.msgid, keep_unchanged=False)
    assert normalized_html(rewritten) == normalized_html(text)
    unwrapped = all(
        s.msgid == doc.source[s.start : s.end] for s in doc.segments if s.slot != "yaml"
    )
    if unwrapped and not any(s.slot == "yaml" for s in doc.segments):
        assert rewritten == text


@pytest.mark.parametrize("change", [uppercase, pashto_letters], ids=["upper", "pashto"])
@pytest.mark.parametrize("path", CORPUS, ids=ids)
def test_changed_text_with_the_same_markup_keeps_the_structure(path, change):
    text = read(path)
    doc = parse_document(text, path.name)
    translated = render_document(doc, change)
    assert translated != text or not doc.segments
    assert tag_sequence(translated) == tag_sequence(text)


def test_the_corpus_covers_every_construct():
    seen = set()
    for path in CORPUS:
        seen |= set(tag_sequence(read(path)))
    for tag in (
        "h1",
        "h2",
        "h6",
        "p",
        "ul",
        "ol",
        "li",
        "blockquote",
        "pre",
        "code",
        "em",
        "strong",
        "a",
        "img",
        "table",
        "th",
        "td",
        "br",
        "hr",
        "sup",
        "section",
        "div",
    ):
        assert tag in seen, tag


def test_a_table_of_translations_is_looked_up_by_msgid():
    doc = parse_document("# Border trade\n\nTrade passes through Torkham.\n")
    translated = render_document(doc, {"Border trade": "سرحدی تجارت"})
    assert translated == "# سرحدی تجارت\n\nTrade passes through Torkham.\n"


def test_windows_line_endings_are_kept():
    text = "# Border trade\r\n\r\nTrade passes\r\nthrough Torkham.\r\n"
    doc = parse_document(text)
    assert render_document(doc, {}) == text
    assert render_document(doc, {"Trade passes through Torkham.": "تجارت\nطورخم"}) == (
        "# Border trade\r\n\r\nتجارت\r\nطورخم\r\n"
    )
