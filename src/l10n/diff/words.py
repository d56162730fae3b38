"""Two texts compared word by word, so a reviewer sees the one word that changed.

Words are found for the scripts we translate into, not only for Latin text:
an Arabic-script word keeps its diacritics and its zero-width non-joiners.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["equal", "insert", "delete"]
Segments = list[tuple[Op, str]]

# Arabic-script words carry combining marks (harakat, Urdu/Pashto diacritics) that `\w`
# does not match, and Dari/Persian words hold a zero-width non-joiner (ZWNJ) inside them.
_MARKS = (
    "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
)
_TOKEN = re.compile(rf"[\w\u200c\u200d{_MARKS}]+|\s+|.", re.S)


def tokens(text: str) -> list[str]:
    """Words, white-space runs and single punctuation marks; joined, they give the text back."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> Segments:
    """The change from `old` to `new` as (op, text) runs over whole words.

    The equal and deleted runs spell `old`, the equal and inserted runs spell
    `new`.  A space between two changed words is folded into the change, so
    two replaced neighbours read as one deletion and one insertion.
    """
    a, b = tokens(old), tokens(new)
    raw: Segments = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            raw.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            raw.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            raw.append(("insert", "".join(b[j1:j2])))
    result: Segments = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            result.append(("delete", "".join(deleted)))
        if inserted:
            result.append(("insert", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for index, (op, text) in enumerate(raw):
        between = (
            op == "equal"
            and text.isspace()
            and 0 < index < len(raw) - 1
            and raw[index + 1][0] != "equal"
        )
        if between:
            deleted.append(text)
            inserted.append(text)
        elif op == "equal":
            flush()
            result.append((op, text))
        elif op == "delete":
            deleted.append(text)
        else:
            inserted.append(text)
    flush()
    return result


def one_side(segments: Segments, side: Literal["old", "new"]) -> Segments:
    """What the old (or new) text looks like with its deletions (or insertions) marked.

    Spaces at the edges of a change are moved out of it, so a highlight
    starts and ends on a word.
    """
    hidden = "insert" if side == "old" else "delete"
    result: Segments = []
    for op, text in segments:
        core = text.strip()
        if op == hidden:
            continue
        if op == "equal" or not core:
            result.append((op, text))
            continue
        start = len(text) - len(text.lstrip())
        end = start + len(core)
        if start:
            result.append(("equal", text[:start]))
        result.append((op, core))
        if end < len(text):
            result.append(("equal", text[end:]))
    return result
