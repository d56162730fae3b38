"""A reviewer can approve what publishing takes: `l10n check` and `publish` judge a
translation by the same rule, for every kind of block a document has."""

from __future__ import annotations

import pytest

from l10n.catalog import entry_kinds
from l10n.checks import check_entry
from l10n.document import parse_document, slot_of
from l10n.glossary import Glossary
from l10n.languages import language
from l10n.publishing.editions import build_edition

from conftest import start_project

EVERY_BLOCK = """---
title: A title
---

# An ATX heading

A setext heading
================

Another setext heading
----------------------

A paragraph of text.[^1]

- A list item.

> A quoted line.

| Head | Other |
|------|-------|
| Cell | More |

![Alt text](image.png)

[^1]: A footnote.
"""

#: Translations that fit some blocks and break others.
CANDIDATES = [
    "متن",
    "د متن\n\nدوهم",  # a blank line
    "# سرلیک",  # a heading marker
    "سرلیک #",  # closing marks of an ATX heading
    "الف | ب",  # a cell separator
    "[نیمګړی",  # an unbalanced bracket
    "لومړۍ کرښه\nدوهمه کرښه",  # two lines
    "---",  # a thematic break (or a setext underline)
    "- توکی",  # a list item
    "> اقتباس",  # a block quote
    "1. لومړی",  # an ordered list
]


def test_every_block_kind_has_the_slot_extraction_gave_it():
    doc = parse_document(EVERY_BLOCK)
    assert {seg.slot for seg in doc.segments} == {
        "yaml", "heading", "setext", "paragraph", "cell", "alt"
    }  # fmt: skip
    for seg in doc.segments:
        assert slot_of(seg.kind) == seg.slot, seg.kind
    underlined = [seg.kind for seg in doc.segments if seg.slot == "setext"]
    assert underlined == ["heading 1 (underlined)", "heading 2 (underlined)"]


@pytest.mark.parametrize("candidate", CANDIDATES)
def test_check_reports_exactly_what_publishing_refuses(project, candidate):
    p = start_project(project, EVERY_BLOCK)
    doc = p.parse(p.documents()[0])
    found = next(iter(p.catalogs(["ps"])))
    catalog = found.read()
    for entry in catalog:
        entry.msgstr = candidate
    refused = {problem.msgid for problem in build_edition(doc, catalog, found.label).problems}
    flagged = {
        entry.msgid
        for entry in catalog
        if any(f.check == "structure" for f in check_entry(entry, language("ps"), Glossary()))
    }
    assert flagged == refused
    kinds = {seg.msgid: seg.kind for seg in doc.segments}
    assert all(entry_kinds(entry) == [kinds[entry.msgid]] for entry in catalog)


def test_the_setext_heading_that_check_once_refused_is_accepted_by_both(project):
    """A setext heading may end with '#': Markdown keeps it, unlike in an ATX heading."""
    p = start_project(project, "Trade and the border #\n=====================\n")
    found = next(iter(p.catalogs(["ps"])))
    catalog = found.read()
    (entry,) = catalog
    entry.msgstr = "سوداګري او پوله #"
    edition = build_edition(p.parse(p.documents()[0]), catalog, found.label)
    assert not edition.problems and "سوداګري او پوله #\n===" in edition.text
    assert not [f for f in check_entry(entry, language("ps"), Glossary()) if f.check == "structure"]


def test_an_entry_used_in_two_blocks_must_fit_both(project):
    p = start_project(project, "# Trade\n\nTrade\n")
    found = next(iter(p.catalogs(["ps"])))
    (entry,) = found.read()
    assert entry_kinds(entry) == ["heading 1", "paragraph"]
    entry.msgstr = "سوداګري #"  # fine in the paragraph, the heading would lose the '#'
    findings = check_entry(entry, language("ps"), Glossary())
    assert [f.check for f in findings if f.check == "structure"] == ["structure"]
