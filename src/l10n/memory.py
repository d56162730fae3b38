"""Translation memory: no sentence of the series is translated twice.

Every PO file of the project (and imported memories: TMX, other projects' PO
files) feeds one local SQLite file, `.l10n-cache/memory.sqlite3`.  Each unit
is a source, a translation, its state (reviewed / translated / draft), its
origin (`project`, `engine` for untouched machine drafts, `import`), the
document it came from and, where the catalog tells, when it was drafted and
last changed and who reviewed it; at segment level and, where source and
translation split into as many sentences, at sentence level too.  The file is a cache:
`refresh` re-reads only catalogs whose size or mtime changed, and deleting it
only costs one full rebuild.

Lookups rank exact before fuzzy, then reviewed > translated > draft, then
score minus the unit's penalty (imported memories may carry one).  Fuzzy
matching is rapidfuzz's `fuzz.ratio` over a prefiltered candidate set: units
sharing one of the query's four rarest words (an inverted index); rapidfuzz's
`score_cutoff` then drops, in C, sources whose length alone rules them out.
bench/memory_speed.py: ~9.5 ms a lookup in 100,000 units, 0.71 of the unfiltered scan (2026-12-01).

`fill_catalog` writes the matches into untranslated entries before any engine runs
(`drafting.draft` calls it first):
always fuzzy (unless --trust-exact and a reviewed exact match), with a
translator comment `memory: 87% from <doc>` and, for fuzzy matches, the
previous source as `#| msgid` so Poedit shows what changed.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import polib
from rapidfuzz import fuzz, process

from .catalog import catalog_language, po_files, read_catalog
from .comments import (
    MemoryFill,
    Notes,
    Problem,
    Provenance,
    is_machine_draft,
    is_unconfirmed_memory_fill,
    set_fuzzy,
)
from .languages import language
from .project import Missing, Project
from .review import State, state
from .sentences import split
from .settings import MEMORY_THRESHOLD, SOURCE_LANGUAGE
from .skeleton import CACHE_DIR

MEMORY_NAME = "memory.sqlite3"
DEFAULT_THRESHOLD = MEMORY_THRESHOLD
BANDS = ("100%", "95–99%", "85–94%", "75–84%", "no match")

#: Higher ranks first; untranslated entries are never units.
STATE_RANK = {State.REVIEWED.value: 3, State.TRANSLATED.value: 2, State.DRAFT.value: 1}
ORIGINS = ("project", "engine", "import")
LEVELS = ("segment", "sentence")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (key TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER);
CREATE TABLE IF NOT EXISTS units (
    file TEXT, source TEXT, target TEXT, lang TEXT, state TEXT, origin TEXT, doc TEXT,
    penalty REAL, level TEXT
);
CREATE INDEX IF NOT EXISTS units_file ON units (file);
CREATE INDEX IF NOT EXISTS units_lang_source ON units (lang, source);
"""
#: Columns added since the first schema; an older file gains them (empty) when opened,
#: so imported memories in it are kept.
_ADDED_COLUMNS = ("created", "changed", "reviewer")
_COLUMNS = "source, target, lang, state, origin, doc, penalty, level, created, changed, reviewer"
_WORD = re.compile(r"\w{3,}")
#: The rarest query words whose units are scored: more is slower, fewer misses more.
RARE_WORDS = 4


@dataclass(frozen=True)
class Unit:
    """One translation the memory knows; `file` groups units that are replaced together."""

    source: str
    target: str
    lang: str
    state: str
    origin: str
    doc: str
    penalty: float = 0.0
    level: str = "segment"
    created: str = ""  # ISO 8601 date or UTC time: when it was first drafted, if known
    changed: str = ""  # when it was last changed (a review, a draft, the catalog's revision)
    reviewer: str = ""  # who reviewed it, for reviewed units


@dataclass(frozen=True)
class Suggestion:
    """The best unit for a segment; `score` already has the unit's penalty taken off."""

    target: str
    score: float
    state: str
    origin: str
    doc: str
    source: str

    @property
    def exact(self) -> bool:
        return self.score >= 100


@dataclass
class _Index:
    """One language's units in memory: exact lookup, word postings, lengths."""

    by_source: dict[str, list[Unit]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    postings: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))


def _rank(unit: Unit, score: float) -> tuple[bool, int, float]:
    effective = score - unit.penalty
    return (effective >= 100, STATE_RANK.get(unit.state, 0), effective)


class TranslationMemory:
    """The SQLite memory; indexes for lookups are built per language on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.executescript(_SCHEMA)
        have = {row[1] for row in self._db.execute("PRAGMA table_info(units)")}
        with self._db:
            for column in _ADDED_COLUMNS:
                if column not in have:
                    self._db.execute(f"ALTER TABLE units ADD COLUMN {column} TEXT DEFAULT ''")
        self._indexes: dict[str, _Index] = {}

    @classmethod
    def for_project(cls, project: Project) -> TranslationMemory:
        return cls(project.config.root / CACHE_DIR / MEMORY_NAME)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ----------------------------------------------------------------------- filling

    def replace(self, key: str, units: Iterable[Unit], stamp: tuple[int, int] = (0, 0)) -> None:
        """Put `units` in place of everything stored before under `key` (a file)."""
        rows = [
            (key, u.source, u.target, u.lang, u.state, u.origin, u.doc, u.penalty, u.level,
             u.created, u.changed, u.reviewer)
            for u in units
        ]  # fmt: skip
        with self._db:
            self._db.execute("DELETE FROM units WHERE file = ?", (key,))
            self._db.executemany(
                f"INSERT INTO units (file, {_COLUMNS}) VALUES ({', '.join('?' * 12)})", rows
            )
            self._db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?)", (key, *stamp))
        self._indexes.clear()

    def forget(self, key: str) -> None:
        with self._db:
            self._db.execute("DELETE FROM units WHERE file = ?", (key,))
            self._db.execute("DELETE FROM files WHERE key = ?", (key,))
        self._indexes.clear()

    def refresh(self, project: Project) -> list[str]:
        """Re-read the catalogs changed since the last refresh; returns their keys."""
        seen: set[str] = set()
        changed = []
        known = dict(
            (key, (mtime, size)) for key, mtime, size in self._db.execute("SELECT * FROM files")
        )
        for found in project.catalogs(missing=Missing.SKIP):
            key = "project:" + found.label
            seen.add(key)
            info = found.path.stat()
            stamp = (info.st_mtime_ns, info.st_size)
            if known.get(key) == stamp:
                continue
            units = catalog_units(found.read(), found.lang.code, found.doc.doc_id)
            self.replace(key, units, stamp)
            changed.append(key)
        for key in known:
            if key.startswith("project:") and key not in seen:
                self.forget(key)
                changed.append(key)
        return changed

    def import_po(self, paths: Sequence[Path], penalty: float = 0.0) -> int:
        """Other projects' PO files as a memory (origin `import`); returns the units added."""
        added = 0
        for path in po_files(paths):
            catalog = read_catalog(path)
            units = catalog_units(catalog, catalog_language(catalog, path), path.name)
            units = [_imported(u, penalty) for u in units]
            self.replace(f"import:{path.resolve()}", units)
            added += len(units)
        return added

    # ----------------------------------------------------------------------- reading

    def units(self, lang: str | None = None) -> list[Unit]:
        query = f"SELECT {_COLUMNS} FROM units"
        rows = self._db.execute(
            query + (" WHERE lang = ?" if lang else ""), (lang,) if lang else ()
        )
        return [Unit(*row) for row in rows]

    def stats(self) -> dict[str, dict[str, int]]:
        """Units per language and state (segment level)."""
        found: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATE_RANK, 0))
        query = "SELECT lang, state, COUNT(*) FROM units WHERE level = 'segment' GROUP BY 1, 2"
        for lang, unit_state, count in self._db.execute(query):
            found[lang][unit_state] = count
        return dict(found)

    def _index(self, lang: str) -> _Index:
        index = self._indexes.get(lang)
        if index is None:
            index = _Index()
            for unit in self.units(lang):
                units = index.by_source.get(unit.source)
                if units is None:
                    units = index.by_source[unit.source] = []
                    number = len(index.sources)
                    index.sources.append(unit.source)
                    index.lengths.append(len(unit.source))
                    for word in set(_WORD.findall(unit.source.lower())):
                        index.postings[word].append(number)
                units.append(unit)
            self._indexes[lang] = index
        return index

    def exact(self, source: str, lang: str) -> Suggestion | None:
        units = self._index(lang).by_source.get(source)
        return _best([(u, 100.0) for u in units], 0) if units else None

    def suggest(
        self, msgid: str, lang: str, threshold: float = DEFAULT_THRESHOLD
    ) -> Suggestion | None:
        """The best unit for `msgid`: exact, else the best fuzzy match scoring ≥ threshold."""
        index = self._index(lang)
        scored = [(u, 100.0) for u in index.by_source.get(msgid, [])]
        for number, score in self._fuzzy(index, msgid, threshold):
            scored += [(u, score) for u in index.by_source[index.sources[number]]]
        return _best(scored, threshold)

    def _fuzzy(self, index: _Index, msgid: str, threshold: float) -> list[tuple[int, float]]:
        """Candidates sharing one of the query's rarest words, scored by rapidfuzz."""
        words = [w for w in set(_WORD.findall(msgid.lower())) if w in index.postings]
        words.sort(key=lambda w: len(index.postings[w]))
        numbers: set[int] = set()
        for word in words[:RARE_WORDS]:
            numbers.update(index.postings[word])
        # rapidfuzz's score_cutoff skips, in C, pairs whose lengths differ too much for it
        ordered = list(numbers)
        choices = [index.sources[n] for n in ordered]
        found = process.extract(msgid, choices, scorer=fuzz.ratio, score_cutoff=threshold, limit=10)
        return [(ordered[at], score) for text, score, at in found if text != msgid]


def _best(scored: list[tuple[Unit, float]], threshold: float) -> Suggestion | None:
    ranked = [(u, s) for u, s in scored if s - u.penalty >= threshold]
    if not ranked:
        return None
    unit, score = max(ranked, key=lambda pair: _rank(*pair))
    return Suggestion(
        unit.target, round(score - unit.penalty, 1), unit.state, unit.origin, unit.doc, unit.source
    )


def _imported(unit: Unit, penalty: float) -> Unit:
    return replace(unit, origin="import", penalty=penalty)


def catalog_units(catalog: polib.POFile, lang: str, doc: str) -> list[Unit]:
    """A catalog's translations: whole segments, and sentence pairs where they line up.

    Unconfirmed memory fills are left out: their text belongs to another source.
    """
    units: list[Unit] = []
    revised = _revision_day(catalog)
    for entry in catalog:
        if entry.obsolete or not entry.msgid or entry.msgid_plural:
            continue
        current = state(entry)
        if current == State.UNTRANSLATED:
            continue
        if is_unconfirmed_memory_fill(entry):
            continue
        origin = "engine" if is_machine_draft(entry) else "project"
        notes = Notes.of(entry)
        review = notes.reviewed_by(entry)
        drafted = notes.provenance.day if notes.provenance else ""
        changed = review.day if review else (drafted if origin == "engine" else revised)
        unit = Unit(
            entry.msgid, entry.msgstr, lang, current.value, origin, doc,
            created=drafted or changed, changed=changed, reviewer=review.name if review else "",
        )  # fmt: skip
        units.append(unit)
        units += _sentence_units(unit)
    return units


def _revision_day(catalog: polib.POFile) -> str:
    """The day of the catalog's `PO-Revision-Date` (editors set it on a save), if it has one."""
    found = re.match(r"\d{4}-\d{2}-\d{2}", catalog.metadata.get("PO-Revision-Date", ""))
    return found.group(0) if found else ""


def _sentence_units(segment: Unit) -> Iterator[Unit]:
    sources = split(segment.source, SOURCE_LANGUAGE).sentences
    if len(sources) < 2:
        return
    targets = split(segment.target, segment.lang.split("_")[0]).sentences
    if len(targets) != len(sources):
        return
    for s, t in zip(sources, targets, strict=True):
        yield replace(segment, source=s, target=t, level="sentence")


# --------------------------------------------------------------------------- use in draft


@dataclass
class LanguageFill:
    """What the memory filled for one language, in entries."""

    lang: str
    exact: int = 0
    fuzzy: int = 0
    sentences: int = 0  # assembled from sentence units
    untranslated: int = 0  # still empty: for the engines


def fill_catalog(
    memory: TranslationMemory,
    catalog: polib.POFile,
    fill: LanguageFill,
    threshold: float = DEFAULT_THRESHOLD,
    trust_exact: bool = False,
) -> bool:
    """Fill the empty msgstrs of one catalog from the memory; returns whether any changed.

    Translations already there are never touched.  A fill is fuzzy (unless
    `trust_exact` and a reviewed exact match), says where it came from, and a
    fuzzy match keeps the source it translated as `#| msgid`, so Poedit shows
    what changed.
    """
    changed = False
    for entry in catalog:
        if not fillable(entry):
            continue
        found = memory.suggest(entry.msgid, fill.lang, threshold)
        if found is not None:
            trusted = trust_exact and found.exact and found.state == State.REVIEWED
            origin = MemoryFill.of(found.score, found.doc)
            _write(entry, found.target, origin, None if found.exact else found.source, not trusted)
            if found.exact:
                fill.exact += 1
            else:
                fill.fuzzy += 1
        elif (text := _from_sentences(memory, entry.msgid, fill.lang)) is not None:
            _write(entry, text, MemoryFill("100% from sentences"), None, fuzzy=True)
            fill.sentences += 1
        else:
            fill.untranslated += 1
            continue
        changed = True
    return changed


def fillable(entry: polib.POEntry) -> bool:
    """An entry the memory may fill and counts in leverage: singular, and still empty."""
    return not (entry.obsolete or not entry.msgid or entry.msgid_plural or entry.msgstr)


def _write(
    entry: polib.POEntry, text: str, origin: MemoryFill, previous: str | None, fuzzy: bool
) -> None:
    """The fill replaces whatever an earlier fill or draft said about the entry."""
    entry.msgstr = text
    if fuzzy:
        set_fuzzy(entry)
    if previous is not None:
        entry.previous_msgid = previous
    Notes.of(entry).without(MemoryFill, Provenance, Problem).plus(origin).save(entry)


def _from_sentences(memory: TranslationMemory, msgid: str, lang: str) -> str | None:
    """A segment whose every sentence the memory knows exactly (human translations only)."""
    parts = split(msgid, SOURCE_LANGUAGE)
    if len(parts.sentences) < 2:
        return None
    targets = []
    for sentence in parts.sentences:
        found = memory.exact(sentence, lang)
        if found is None or found.state == State.DRAFT:
            return None
        targets.append(found.target)
    return parts.join(targets)


# --------------------------------------------------------------------------- leverage


def band(score: float | None) -> str:
    if score is None or score < 75:
        return BANDS[4]
    if score >= 100:
        return BANDS[0]
    return BANDS[1] if score >= 95 else BANDS[2] if score >= 85 else BANDS[3]


def leverage(
    project: Project, languages: Sequence[str] | None, memory: TranslationMemory
) -> dict[str, dict[str, int]]:
    """Words of untranslated entries per language and match band: what agencies quote on."""
    memory.refresh(project)
    codes = [language(c).code for c in languages or project.config.languages]
    catalogs = ((found.lang.code, found.read()) for found in project.catalogs(codes, Missing.SKIP))
    return leverage_of(memory, codes, catalogs)


def leverage_of(
    memory: TranslationMemory, codes: Sequence[str], catalogs: Iterable[tuple[str, polib.POFile]]
) -> dict[str, dict[str, int]]:
    """`leverage` of catalogs already read (language code, catalog); the memory is current."""
    found = {code: dict.fromkeys(BANDS, 0) for code in codes}
    for code, catalog in catalogs:
        for entry in catalog:
            if not fillable(entry):
                continue
            match = memory.suggest(entry.msgid, code, 75)
            found[code][band(match.score if match else None)] += len(entry.msgid.split())
    return found
