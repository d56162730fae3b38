"""The first document of the series: the brief "A Road Untraveled"."""

from __future__ import annotations

import re

from l10n.document import parse_document, render_document
from l10n.markdown import render_html

from conftest import BRIEF


def test_the_brief_keeps_all_34_footnotes_as_references_and_definitions():
    text = BRIEF.read_text(encoding="utf-8")
    html = render_html(text)
    assert sorted(map(int, re.findall(r'<a href="#fn(\d+)" id="fnref\1">', html))) == list(
        range(1, 35)
    )
    assert html.count('<li id="fn') == 34
    assert "[^" not in html


def test_the_brief_splits_into_blocks_translators_recognise():
    doc = parse_document(BRIEF.read_text(encoding="utf-8"), "brief")
    kinds = [s.kind for s in doc.segments]
    assert kinds.count("list item") == 12
    assert kinds.count("block quote") == 1
    assert sum(k.startswith("footnote") for k in kinds) == 34
    assert {"front matter: title", "front matter: subtitle", "heading 2"} <= set(kinds)
    joined = next(s.msgid for s in doc.segments if "Interior Minister Moinuddin Haidar" in s.msgid)
    assert "Islamic Emirate" in joined  # the paragraph cut by a page break is whole again
    assert not any(s.msgid.startswith("[^") for s in doc.segments)


def test_publishing_the_brief_untranslated_gives_back_the_source():
    text = BRIEF.read_text(encoding="utf-8")
    doc = parse_document(text, "brief")
    assert render_document(doc, {}) == text
