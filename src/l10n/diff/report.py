"""The `l10n diff --html` report: one self-contained page a reviewer opens in a browser.

Terminals cannot lay out right-to-left text; browsers can, given `dir` and
`lang` on each cell.  The page has no scripts, no external fonts or styles, and
every text from a catalog is escaped, so a hostile msgstr shows as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Literal

from ..errors import L10nError
from ..languages import language
from .catalogs import KINDS, CatalogDiff, EntryChange
from .words import Segments, one_side

_CSS = """
body { font-family: system-ui, "DejaVu Sans", sans-serif; margin: 1.5rem; color: #1b1b1b;
       background: #fff; }
h1 { font-size: 1.4rem; margin: 0 0 .8rem; }
h2 { font-size: 1.1rem; margin: 2rem 0 .5rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid #c8c8c8; padding: .35rem .6rem; vertical-align: top; }
table.summary td.n { text-align: right; font-variant-numeric: tabular-nums; }
table.entries { width: 100%; table-layout: fixed; }
table.entries th { background: #f3f3f3; text-align: left; font-weight: 600; }
tbody.entry { border-top: 3px solid #8a8a8a; }
tr.head td { background: #f7f7f7; font-size: .9rem; }
tr.source td, tr.translation td { white-space: pre-wrap; overflow-wrap: anywhere; }
td.absent { background: #f0f0f0; }
.kind { font-weight: 700; padding: 0 .4rem; border-radius: .2rem; color: #fff; }
.added .kind { background: #1f7a1f; }
.removed .kind { background: #b00020; }
.source-changed .kind { background: #8a5a00; }
.translation-changed .kind { background: #005a9c; }
.state-changed .kind { background: #6a3d9a; }
.ref, .label { color: #555; }
.none { color: #777; font-style: italic; }
del { color: #9b0000; background: #ffe3e3; text-decoration: line-through; }
ins { color: #005700; background: #dcf5dc; text-decoration: underline; }
td:lang(ps), td:lang(fa) { font-family: "Noto Naskh Arabic", sans-serif; font-size: 1.15em;
                           line-height: 1.9; }
td:lang(ur) { font-family: "Noto Nastaliq Urdu", "Noto Naskh Arabic", sans-serif;
              font-size: 1.1em; line-height: 2.4; }
"""


def _target(code: str) -> tuple[str | None, str]:
    """The BCP 47 tag and direction of the catalog's language; unknown: let the browser guess."""
    if not code:
        return None, "auto"
    try:
        lang = language(code)
    except L10nError:
        return None, "auto"
    return lang.tag, lang.direction


def _side(segments: Segments, side: Literal["old", "new"]) -> str:
    """The old side marks what was deleted, the new side what was inserted."""
    tag = "del" if side == "old" else "ins"
    return "".join(
        escape(text) if op == "equal" else f"<{tag}>{escape(text)}</{tag}>"
        for op, text in one_side(segments, side)
    )


def _cell(side: str, body: str | None, lang: str | None, direction: str) -> str:
    if body is None:
        return f'<td class="{side} absent"></td>'
    if not body:
        body = '<span class="none" lang="en" dir="ltr">(untranslated)</span>'
    lang_attr = f' lang="{escape(lang)}"' if lang else ""
    return f'<td class="{side}"{lang_attr} dir="{direction}">{body}</td>'


def _version(change: EntryChange, side: Literal["old", "new"]) -> tuple[str, str]:
    """Source and translation cells of one side: word-diffed, or as is for a state change."""
    source = _side(change.source_words, side)
    if change.kind == "state-changed":
        return source, escape((change.old_msgstr if side == "old" else change.new_msgstr) or "")
    return source, _side(change.words, side)


def _entry(change: EntryChange, lang: str | None, direction: str) -> str:
    refs = " ".join(change.references)
    context = ""
    if change.msgctxt is not None:
        context = f' <span class="label">context:</span> {escape(change.msgctxt)}'
    head = (
        f'<tr class="head"><td colspan="2"><span class="kind">{escape(change.kind)}</span> '
        f'<span class="ref">{escape(refs)}</span> '
        f'<span class="states">{escape(change.states)}</span>'
        f"{context}</td></tr>"
    )
    old_source, old_text = _version(change, "old") if change.kind != "added" else (None, None)
    new_source, new_text = _version(change, "new") if change.kind != "removed" else (None, None)
    source = (
        f'<tr class="source">{_cell("old", old_source, "en", "ltr")}'
        f"{_cell('new', new_source, 'en', 'ltr')}</tr>"
    )
    target = (
        f'<tr class="translation">{_cell("old", old_text, lang, direction)}'
        f"{_cell('new', new_text, lang, direction)}</tr>"
    )
    return f'<tbody class="entry {escape(change.kind)}">{head}{source}{target}</tbody>'


def _summary(diffs: Sequence[CatalogDiff]) -> str:
    header = "".join(f"<th>{kind}</th>" for kind in KINDS)
    rows = []
    totals = dict.fromkeys(KINDS, 0)
    for diff in diffs:
        counts = diff.summary()
        for kind, n in counts.items():
            totals[kind] += n
        cells = "".join(f'<td class="n">{counts[kind]}</td>' for kind in KINDS)
        name = f"{escape(diff.old_label)} → {escape(diff.new_label)}"
        rows.append(f"<tr><td>{name}</td>{cells}</tr>")
    if len(diffs) > 1:
        cells = "".join(f'<td class="n">{totals[kind]}</td>' for kind in KINDS)
        rows.append(f"<tr><th>all catalogs</th>{cells}</tr>")
    if not diffs:
        rows.append(f'<tr><td colspan="{len(KINDS) + 1}">no catalogs changed</td></tr>')
    return f'<table class="summary"><tr><th>catalog</th>{header}</tr>{"".join(rows)}</table>'


def _catalog(diff: CatalogDiff) -> str:
    lang, direction = _target(diff.language)
    title = f"<h2>{escape(diff.old_label)} → {escape(diff.new_label)}</h2>"
    if not diff.changes:
        return f'<section class="catalog">{title}<p class="none">no changes</p></section>'
    heads = (
        f'<thead><tr><th>old <span class="label">{escape(diff.old_label)}</span></th>'
        f'<th>new <span class="label">{escape(diff.new_label)}</span></th></tr></thead>'
    )
    body = "\n".join(_entry(change, lang, direction) for change in diff.changes)
    return (
        f'<section class="catalog">{title}<table class="entries">{heads}\n{body}</table></section>'
    )


def html_report(diffs: Sequence[CatalogDiff], title: str = "l10n diff") -> str:
    """The whole page: a summary, then each catalog's changes old | new, side by side."""
    sections = "\n".join(_catalog(diff) for diff in diffs)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n{_summary(diffs)}\n"
        '<p class="legend"><del>deleted words</del> <ins>inserted words</ins></p>\n'
        f"{sections}\n</body>\n</html>\n"
    )
