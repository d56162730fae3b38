"""Review states, kept only in standard PO constructs so every PO tool preserves them.

untranslated: empty msgstr · draft: fuzzy · translated: not fuzzy ·
reviewed: translated, plus a translator comment
`reviewed-by: NAME, YYYY-MM-DD (fingerprint)` (`comments.Review`).  gettext has
no "approved" flag, and msgmerge drops unknown flags but keeps translator
comments.  The fingerprint is a short hash of msgid and msgstr: if either
changes afterwards (in Poedit, Weblate, a text editor), the review no longer
counts and `update` drops the stale comment.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import polib

from .comments import Damaged, Notes, Review


class State(StrEnum):
    UNTRANSLATED = "untranslated"
    DRAFT = "draft"
    TRANSLATED = "translated"
    REVIEWED = "reviewed"


STATES = tuple(State)


def is_complete(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def state(entry: polib.POEntry) -> State:
    """The entry's state; a review whose fingerprint no longer matches does not count."""
    if not is_complete(entry):
        return State.UNTRANSLATED
    if entry.fuzzy:
        return State.DRAFT
    if Notes.of(entry).reviewed_by(entry) is not None:
        return State.REVIEWED
    return State.TRANSLATED


def mark_reviewed(entry: polib.POEntry, reviewer: str, day: date | None = None) -> None:
    """Record a review (replacing earlier ones); only for translated entries.

    Stamps another editor broke (`Damaged`) go too: the new review is what counts.
    """
    current = state(entry)
    if current not in (State.TRANSLATED, State.REVIEWED):
        raise ValueError(f"only translated entries can be reviewed, not {current} ones")
    review = Review.of(entry, reviewer, day or date.today())
    Notes.of(entry).without(Review, Damaged).plus(review).save(entry)


def reviewer(entry: polib.POEntry) -> Review | None:
    """The review that holds for the entry as it is now, if any."""
    return Notes.of(entry).reviewed_by(entry)
