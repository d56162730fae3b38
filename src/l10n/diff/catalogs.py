"""Two versions of one catalog compared by source segment, never by line.

Entries move when the source is reordered and every line changes when a file
is re-wrapped; neither is a change a reviewer needs to see.  An edited source
segment is paired with the one it replaced, so its translation is compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import polib
from rapidfuzz import fuzz, process

from ..review import State, state
from ..settings import FUZZY_THRESHOLD
from .words import Segments, word_diff

Kind = Literal["added", "removed", "source-changed", "translation-changed", "state-changed"]
KINDS: tuple[Kind, ...] = (
    "added",
    "removed",
    "source-changed",
    "translation-changed",
    "state-changed",
)

#: How alike (rapidfuzz ratio, 0-100) a removed and a new source text must be to count as
#: one edited segment: the default with which `update` carries a translation over.
SIMILARITY = FUZZY_THRESHOLD


@dataclass(frozen=True)
class EntryChange:
    """One changed entry.  `msgid` is the current source (the old one if removed);
    `old_msgid` is the source it had before (None if added).  `words` compares the
    translations, `source_words` the sources."""

    kind: Kind
    msgid: str
    old_msgid: str | None
    old_msgstr: str | None
    new_msgstr: str | None
    old_state: State | None
    new_state: State | None
    occurrences: list[tuple[str, str]]
    words: Segments
    source_words: Segments = field(default_factory=list)
    msgctxt: str | None = None

    @property
    def references(self) -> list[str]:
        return [f"{path}:{line}" if line else path for path, line in self.occurrences]

    @property
    def states(self) -> str:
        """`draft → translated`; one state when it did not change (every view shows this)."""
        if self.old_state == self.new_state:
            return str(self.new_state)
        return f"{self.old_state or '—'} → {self.new_state or '—'}"


@dataclass
class CatalogDiff:
    """The changes between two versions of one catalog, in document order."""

    changes: list[EntryChange]
    language: str = ""  # the catalog's Language header (new version, else old)
    old_label: str = "old"
    new_label: str = "new"

    def summary(self) -> dict[Kind, int]:
        """How many changes of each kind, every kind listed."""
        counts = dict.fromkeys(KINDS, 0)
        for change in self.changes:
            counts[change.kind] += 1
        return counts


Key = tuple[str | None, str]


def translation(entry: polib.POEntry) -> str:
    """The entry's translation as one text; plural forms one per line, numbered."""
    if entry.msgid_plural:
        return "\n".join(f"[{n}] {entry.msgstr_plural[n]}" for n in sorted(entry.msgstr_plural))
    return entry.msgstr


def diff_catalogs(
    old: polib.POFile, new: polib.POFile, old_label: str = "old", new_label: str = "new"
) -> CatalogDiff:
    """Compare two versions of a catalog by source segment, never by line.

    Obsolete entries count as absent.  A new segment is the edited form of a
    removed one if its `#| msgid` names it (as `update` writes), or failing
    that if it is the most similar removed segment (ratio ≥ SIMILARITY); each
    old segment pairs at most once.  Unchanged entries are left out.
    """
    old_active: dict[Key, polib.POEntry] = {(e.msgctxt, e.msgid): e for e in old if not e.obsolete}
    new_entries = [e for e in new if not e.obsolete]
    new_keys = {(e.msgctxt, e.msgid) for e in new_entries}
    gone = {k: e for k, e in old_active.items() if k not in new_keys}
    pairs = _pair_edits([e for e in new_entries if (e.msgctxt, e.msgid) not in old_active], gone)

    # Each removed segment goes right after the last surviving segment that preceded it.
    position: dict[Key, int] = {}
    for index, entry in enumerate(new_entries):
        new_key: Key = (entry.msgctxt, entry.msgid)
        position[pairs.get(new_key, new_key)] = index
    removed_after: dict[int, list[polib.POEntry]] = {}
    last = -1
    paired = set(pairs.values())
    for key, entry in old_active.items():
        if key in position:
            last = position[key]
        elif key not in paired:
            removed_after.setdefault(last, []).append(entry)

    changes: list[EntryChange] = [_removed(e) for e in removed_after.get(-1, [])]
    for index, entry in enumerate(new_entries):
        key = (entry.msgctxt, entry.msgid)
        before = old_active.get(pairs.get(key, key))
        change = _compare(before, entry, edited=key in pairs)
        if change is not None:
            changes.append(change)
        changes.extend(_removed(e) for e in removed_after.get(index, []))
    language = new.metadata.get("Language", "") or old.metadata.get("Language", "")
    return CatalogDiff(changes, language.strip(), old_label, new_label)


def _pair_edits(added: list[polib.POEntry], gone: dict[Key, polib.POEntry]) -> dict[Key, Key]:
    """New key → old key for segments that were edited rather than replaced."""
    pairs: dict[Key, Key] = {}
    taken: set[Key] = set()
    for entry in added:
        if entry.previous_msgid is None:
            continue
        candidates = [(entry.previous_msgctxt, entry.previous_msgid)]
        candidates.append((entry.msgctxt, entry.previous_msgid))
        for old_key in candidates:
            if old_key in gone and old_key not in taken:
                pairs[(entry.msgctxt, entry.msgid)] = old_key
                taken.add(old_key)
                break
    left = [k for k in gone if k not in taken]
    choices = [k[1] for k in left]
    scored: list[tuple[float, int, int]] = []  # (-score, new index, old index)
    for new_index, entry in enumerate(added):
        if (entry.msgctxt, entry.msgid) in pairs or not left:
            continue
        found = process.extract(
            entry.msgid, choices, scorer=fuzz.ratio, score_cutoff=SIMILARITY, limit=None
        )
        scored.extend((-score, new_index, old_index) for _, score, old_index in found)
    for _, new_index, old_index in sorted(scored):  # best pairs first, then document order
        new_key = (added[new_index].msgctxt, added[new_index].msgid)
        if new_key not in pairs and left[old_index] not in taken:
            pairs[new_key] = left[old_index]
            taken.add(left[old_index])
    return pairs


def _removed(entry: polib.POEntry) -> EntryChange:
    text = translation(entry)
    return EntryChange(
        kind="removed",
        msgid=entry.msgid,
        old_msgid=entry.msgid,
        old_msgstr=text,
        new_msgstr=None,
        old_state=state(entry),
        new_state=None,
        occurrences=list(entry.occurrences),
        words=[("delete", text)] if text else [],
        source_words=[("delete", entry.msgid)],
        msgctxt=entry.msgctxt,
    )


def _compare(
    before: polib.POEntry | None, after: polib.POEntry, edited: bool
) -> EntryChange | None:
    new_text, new_state = translation(after), state(after)
    if before is None:
        return EntryChange(
            kind="added",
            msgid=after.msgid,
            old_msgid=None,
            old_msgstr=None,
            new_msgstr=new_text,
            old_state=None,
            new_state=new_state,
            occurrences=list(after.occurrences),
            words=[("insert", new_text)] if new_text else [],
            source_words=[("insert", after.msgid)],
            msgctxt=after.msgctxt,
        )
    old_text, old_state = translation(before), state(before)
    if edited:
        kind: Kind = "source-changed"
    elif old_text != new_text:
        kind = "translation-changed"
    elif old_state != new_state:
        kind = "state-changed"
    else:
        return None
    return EntryChange(
        kind=kind,
        msgid=after.msgid,
        old_msgid=before.msgid,
        old_msgstr=old_text,
        new_msgstr=new_text,
        old_state=old_state,
        new_state=new_state,
        occurrences=list(after.occurrences),
        words=word_diff(old_text, new_text),
        source_words=word_diff(before.msgid, after.msgid),
        msgctxt=after.msgctxt,
    )
