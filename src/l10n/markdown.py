"""The one Markdown dialect of the project, and the source positions we need from it.

Extraction, publishing and checks must all parse with the same rules, so the
parser is built here once: CommonMark + GFM tables + footnotes + YAML front
matter.  markdown-it-py keeps only line ranges on block tokens; reassembly
needs character offsets, so a few rules are wrapped to record them (data added
to `token.meta`, the rules themselves are untouched).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

BlockRule = Callable[[StateBlock, int, int, bool], bool]
InlineRule = Callable[[StateInline, bool], bool]

#: meta keys written on the first token a wrapped block rule pushes
LINE_STARTS = "l10n_line_starts"  # offset of the first non-blank char of each line
LINE_ENDS = "l10n_line_ends"  # offset of the end of each line (before "\n")
INDENT = "l10n_indent"  # columns the first line is indented beyond its container's content


def _record_lines(rule: BlockRule) -> BlockRule:
    """Wrap a block rule so its first token remembers where its lines start and end."""

    def wrapped(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        before = len(state.tokens)
        if not rule(state, start_line, end_line, silent):
            return False
        if not silent and len(state.tokens) > before:
            first = state.tokens[before]
            lines = range(start_line, state.line)
            first.meta[LINE_STARTS] = [state.bMarks[n] + state.tShift[n] for n in lines]
            first.meta[LINE_ENDS] = [state.eMarks[n] for n in lines]
            first.meta[INDENT] = max(0, state.sCount[start_line] - state.blkIndent)
        return True

    return wrapped


def _wrap_block_rule(md: MarkdownIt, name: str) -> None:
    ruler = md.block.ruler
    rule = ruler.__rules__[ruler.__find__(name)]
    ruler.at(name, _record_lines(rule.fn), {"alt": list(rule.alt)})


#: What ends a footnote label for mdit-py-plugins' `footnote_ref`: `]`, or a space or
#: newline (no label then).  Labels are at most 999 characters, as link labels are in
#: CommonMark.
_LABEL_STOP = re.compile(r"[ \n\]]")
MAX_LABEL = 999
_LABEL_SCAN = "l10n_footnote_label_scan"


def _label_stop(state: StateInline, pos: int) -> int:
    """Where the label that may start at `pos` stops (len(src) if nothing stops it).

    The stop found for one position holds for every later one before it, so a
    line of 12,000 `[^` is scanned once instead of once per opener.
    """
    src = state.src
    scan = state.env.get(_LABEL_SCAN)
    if scan is not None and scan[0] is src and scan[1] <= pos <= scan[2]:
        return int(scan[2])
    found = _LABEL_STOP.search(src, pos)
    stop = found.start() if found else len(src)
    state.env[_LABEL_SCAN] = (src, pos, stop)
    return stop


def bounded_footnote_ref(rule: InlineRule) -> InlineRule:
    """The footnote reference rule in linear time: it scans a label only when one is there.

    The plugin's rule scans from every `[^` to the next space or `]`, which is
    quadratic in a run of openers without either.
    """

    def guarded(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if not state.src.startswith("[^", start):
            return False
        stop = _label_stop(state, start + 2)
        if stop >= state.posMax or state.src[stop] != "]" or stop - start - 2 > MAX_LABEL:
            return False
        return rule(state, silent)

    return guarded


def new_parser() -> MarkdownIt:
    """A fresh parser of the project's dialect, with position tracking."""
    md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(footnote_plugin)
    for name in ("paragraph", "heading", "lheading", "table"):
        _wrap_block_rule(md, name)
    inline = md.inline.ruler
    footnote_ref = inline.__rules__[inline.__find__("footnote_ref")].fn
    inline.at("footnote_ref", bounded_footnote_ref(footnote_ref))
    return md


@cache
def parser() -> MarkdownIt:
    """The shared parser (rules are not mutated after construction)."""
    return new_parser()


@cache
def block_parser() -> MarkdownIt:
    """Blocks only: what segmenting needs, at about half the cost of a full parse.

    Inline markup stays as source text in the msgid, so inline parsing is not
    needed; without it the footnote plugin leaves each definition where it
    stands (`footnote_reference_open` … `_close`), in source order.
    """
    md = new_parser()
    md.disable(["inline", "footnote_tail", "text_join"])
    return md


def render_html(text: str, env: dict[str, Any] | None = None) -> str:
    """HTML of a Markdown text in the project's dialect (used to compare round trips)."""
    return parser().render(text, env if env is not None else {})
