"""`l10n diff` in the terminal: each catalog's changes, changed words coloured.

Without colours (a pipe, NO_COLOR) changes are bracketed as `git diff
--word-diff` does, so the output still says which words changed.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..diff import CatalogDiff, Kind, Op, Segments, one_side

_KIND_STYLE: dict[Kind, str] = {
    "added": "green",
    "removed": "red",
    "source-changed": "yellow",
    "translation-changed": "cyan",
    "state-changed": "magenta",
}
_OP_STYLE: dict[Op, str] = {"equal": "", "delete": "red strike", "insert": "green underline"}
_OP_MARKS: dict[Op, tuple[str, str]] = {"equal": ("", ""), "delete": ("[-", "-]"),
                                        "insert": ("{+", "+}")}  # fmt: skip


def _words(segments: Segments, plain: bool) -> Text:
    text = Text()
    for op, part in segments:
        if plain:
            before, after = _OP_MARKS[op]
            text.append(f"{before}{part}{after}")
        else:
            text.append(part, style=_OP_STYLE[op])
    if not text.plain:
        text.append("(untranslated)", style="dim italic")
    return text


def terminal_report(diff: CatalogDiff, plain: bool = False) -> list[RenderableType]:
    """Rich renderables for one catalog's changes; `plain` marks changes without colour.

    Terminals do their own bidirectional layout (or none), so right-to-left
    translations are printed in logical order, never reversed here.
    """
    counts = ", ".join(f"{n} {kind}" for kind, n in diff.summary().items() if n)
    items: list[RenderableType] = [
        Rule(Text(f"{diff.old_label} → {diff.new_label}", style="bold"), align="left"),
        Text(counts or "no changes", style="bold" if counts else "dim"),
    ]
    for change in diff.changes:
        head = Text()
        head.append(change.kind, style=f"bold {_KIND_STYLE[change.kind]}")
        if change.references:
            head.append("  " + " ".join(change.references), style="dim")
        head.append("  " + change.states)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        if change.msgctxt is not None:
            grid.add_row("context", Text(change.msgctxt))
        if change.kind == "source-changed":
            grid.add_row("old source", _words(one_side(change.source_words, "old"), plain))
            grid.add_row("source", _words(one_side(change.source_words, "new"), plain))
        else:
            grid.add_row("source", Text(change.msgid))
        if change.kind == "state-changed":
            grid.add_row("translation", Text(change.new_msgstr or ""))
        else:
            grid.add_row("translation", _words(change.words, plain))
        items.extend([Text(""), head, grid])
    return items


def print_diffs(diffs: Sequence[CatalogDiff], console: Console) -> None:
    """Every catalog's changes; brackets instead of colours when the console has none."""
    plain = console.no_color or console.color_system is None
    for diff in diffs:
        for item in terminal_report(diff, plain):
            console.print(item)
        console.print()
    if not diffs:
        console.print("no catalogs changed", style="dim")
