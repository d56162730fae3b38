"""A translation must fit the block it belongs to; the quick path never lets a bad one through."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from l10n.document import _SLOT_CHECKS, _plainly_fits, parse_document, structure_problem

DOC = parse_document("# Heading\n\nA paragraph.\n\n| a | b |\n|---|---|\n| cell | c |\n")
HEADING, PARAGRAPH, *CELLS = DOC.segments


@pytest.mark.parametrize(
    ("segment", "text"),
    [
        (PARAGRAPH, "پاکستان او افغانستان اوږده پوله لري."),  # Pashto
        (PARAGRAPH, "پاکستان و افغانستان سرحد طولانی دارند."),  # Dari
        (PARAGRAPH, "پاکستان اور افغانستان کی طویل سرحد ہے۔"),  # Urdu
        (PARAGRAPH, "د *ډیورنډ کرښه*[^2] او [TTP](https://example.org)"),
        (PARAGRAPH, "۱۹۴۷ کې"),  # Extended Arabic-Indic digits do not open a list
        (PARAGRAPH, "    کوډ نه دی"),  # outer whitespace is trimmed, so no code block
        (HEADING, "سرحدی تجارت"),
        (CELLS[2], "تورخم \\| چمن"),
    ],
)
def test_translations_that_keep_the_block_are_accepted(segment, text):
    assert structure_problem(segment, text) is None


@pytest.mark.parametrize(
    ("segment", "text", "message"),
    [
        (PARAGRAPH, "لومړی\n\nدویم", "blank line"),
        (PARAGRAPH, "# سرلیک", "heading"),
        (PARAGRAPH, "- توکی", "bullet_list"),
        (PARAGRAPH, "1986. کال", "ordered_list"),
        (PARAGRAPH, "[a]: https://example.org", "not as one paragraph"),
        (PARAGRAPH, "متن\n---", "heading"),
        (HEADING, "سرلیک\nدوهم", "one line"),
        (HEADING, "سرلیک #", "closing marks"),
        (CELLS[2], "تورخم | چمن", "unescaped '|'"),
    ],
)
def test_translations_that_break_the_block_are_refused(segment, text, message):
    problem = structure_problem(segment, text)
    assert problem is not None and message in problem


LINES = st.text(alphabet="ab د#*-+>`|\\[]:1.=~_<! \t", min_size=1, max_size=12)


@given(LINES, st.sampled_from(["paragraph", "heading", "cell", "setext"]))
def test_the_quick_path_only_accepts_what_the_parser_accepts(text, slot):
    body = text.strip()
    if body and _plainly_fits(slot, body):
        assert _SLOT_CHECKS[slot](body) is None
