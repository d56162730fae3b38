"""Review states, kept only in standard PO constructs so every PO tool preserves them.

untranslated: empty msgstr · draft: fuzzy · translated: not fuzzy ·
reviewed: translated, plus a translator comment
`reviewed-by: NAME, YYYY-MM-DD (fingerprint)`.  gettext has no "approved"
flag, and msgmerge drops unknown flags but keeps translator comments.  The
fingerprint is a short hash of msgid and msgstr: if either changes afterwards
(in Poedit, Weblate, a text editor), the review no longer counts and `update`
drops the stale comment.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import polib

_REVIEWED = re.compile(
    r"^reviewed-by: (?P<name>.+?), (?P<date>\d{4}-\d{2}-\d{2}) \((?P<print>[0-9a-f]{8})\)$"
)


class State(StrEnum):
    UNTRANSLATED = "untranslated"
    DRAFT = "draft"
    TRANSLATED = "translated"
    REVIEWED = "reviewed"


STATES = tuple(State)


@dataclass(frozen=True)
class Review:
    name: str
    day: str
    fingerprint: str


def fingerprint(entry: polib.POEntry) -> str:
    """Eight hex digits that change whenever the source or the translation changes."""
    text = "\0".join(
        [entry.msgctxt or "", entry.msgid, entry.msgid_plural or "", entry.msgstr]
        + [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def reviews(entry: polib.POEntry) -> list[Review]:
    """Every review comment of an entry, valid or stale."""
    found = []
    for line in (entry.tcomment or "").split("\n"):
        match = _REVIEWED.match(line.strip())
        if match:
            found.append(Review(match["name"], match["date"], match["print"]))
    return found


def is_complete(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def state(entry: polib.POEntry) -> State:
    """The entry's state; a review whose fingerprint no longer matches does not count."""
    if not is_complete(entry):
        return State.UNTRANSLATED
    if "fuzzy" in entry.flags:
        return State.DRAFT
    current = fingerprint(entry)
    if any(r.fingerprint == current for r in reviews(entry)):
        return State.REVIEWED
    return State.TRANSLATED


def mark_reviewed(entry: polib.POEntry, reviewer: str, day: date | None = None) -> None:
    """Record a review (replacing earlier ones); only for translated entries."""
    if state(entry) not in (State.TRANSLATED, State.REVIEWED):
        raise ValueError(f"only translated entries can be reviewed, not {state(entry)} ones")
    name = " ".join(reviewer.split()).replace(",", " ")
    stamp = f"reviewed-by: {name}, {(day or date.today()).isoformat()} ({fingerprint(entry)})"
    entry.tcomment = "\n".join([*_other_comment_lines(entry), stamp])


def drop_stale_reviews(entry: polib.POEntry) -> bool:
    """Remove review comments that no longer match the entry; returns whether any went."""
    current = fingerprint(entry)
    lines = (entry.tcomment or "").split("\n")
    keep = [
        line
        for line in lines
        if not ((match := _REVIEWED.match(line.strip())) and match["print"] != current)
    ]
    if len(keep) == len(lines):
        return False
    entry.tcomment = "\n".join(keep)
    return True


def _other_comment_lines(entry: polib.POEntry) -> list[str]:
    return [
        line for line in (entry.tcomment or "").split("\n") if line and not _REVIEWED.match(line)
    ]
