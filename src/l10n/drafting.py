"""The draft stage: untranslated entries filled from the translation memory, then by engines.

`draft` is the one entry point: it reads every catalog once, lets the memory
(`memory.fill_catalog`) fill what it knows, sends the rest to the engines, and
writes each changed catalog once.  Translators review drafts; they never lose
their own work to one.  A machine draft goes
only into an empty msgstr (with --overwrite-drafts also over an earlier machine
draft that nobody has edited since), is always `#, fuzzy`, and names its
engine, model, version and date in a translator comment, the one kind of
comment msgmerge keeps:

    # machine-draft: argos translate-en_ur 1.9, 2026-11-29 (3f9a1c2e)
    # machine-draft-problem: footnote reference [^3] was lost; copy it from the source

The eight hex digits fingerprint the msgstr as drafted: once someone edits the
text, it is theirs.  Each segment is protected (placeholders for markup and
glossary terms, `protect`), split into sentences (`sentences`), and every
sentence of every catalog and language goes to its engine in large batches;
sentences translated before come from a cache keyed by engine, model and
sentence, so after an edit only the edited sentences are translated again.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polib

from .catalog import save_catalog
from .comments import MemoryFill, Notes, Problem, Provenance, is_machine_draft, set_fuzzy
from .engines import (
    POST_EDITS,
    SOURCE_LANGUAGE,
    Choice,
    Engine,
    EngineUnavailable,
    ModelInfo,
    open_engines,
    parse_choice,
)
from .errors import L10nError
from .glossary import Glossary, check_translation
from .languages import Language, language
from .memory import DEFAULT_THRESHOLD, LanguageFill, TranslationMemory, fill_catalog, leverage
from .pofile import entry_line
from .project import CatalogFile, Project
from .protect import (
    EXACT_PLACEHOLDER,
    Protected,
    Slot,
    number_back,
    outside_placeholders,
    protect,
    renumber,
    restore,
)
from .sentences import Split, split
from .settings import EngineSettings
from .skeleton import CACHE_DIR

CACHE_NAME = "drafts.sqlite3"

#: (done, total) sentences sent to engines; called before the first batch and after each.
ProgressCallback = Callable[[int, int], None]


class MissingEngine(L10nError):
    """--require-engine and a language has no installed model."""


# --------------------------------------------------------------------------- report


@dataclass
class LanguageReport:
    """What `draft` did (or would do) for one language; sentence counts are distinct sentences."""

    lang: str
    engine: str | None = None  # "argos translate-en_ur 1.9 + dari"; None: nothing installed
    hint: str | None = None  # how to install a model, when there is none
    candidates: int = 0  # entries that wanted a draft
    drafted: int = 0
    flagged: int = 0  # drafts with a machine-draft-problem comment
    untranslated: int = 0  # entries still empty afterwards
    sentences: int = 0
    from_cache: int = 0
    translated: int = 0  # sentences the engine translated in this run


@dataclass(frozen=True)
class Planned:
    """An entry a dry run would draft."""

    catalog: str
    line: int
    lang: str
    msgid: str


@dataclass
class DraftReport:
    """What `draft` did: the memory's fills, then each language's machine drafts."""

    languages: list[LanguageReport] = field(default_factory=list)
    memory: list[LanguageFill] = field(default_factory=list)  # empty: the memory was not used
    leverage: dict[str, dict[str, int]] | None = None  # a dry run's words per match band
    written: list[Path] = field(default_factory=list)
    planned: list[Planned] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def missing(self) -> list[LanguageReport]:
        return [r for r in self.languages if r.engine is None]

    @property
    def sentences_per_second(self) -> float:
        done = sum(r.translated for r in self.languages)
        return done / self.seconds if self.seconds else 0.0


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class LanguagePlan:
    lang: Language
    choice: Choice
    engine: Engine
    model: ModelInfo

    @property
    def label(self) -> str:
        return " + ".join((self.model.label, *self.choice.post_edits))

    @property
    def cache_scope(self) -> str:
        """Everything that decides an engine's output besides the sentence itself."""
        m = self.model
        return "\0".join((m.engine, m.model, m.version, m.fingerprint, self.lang.code))


def choices_for(settings: EngineSettings, lang: str, override: str | None) -> tuple[Choice, ...]:
    """The configured engines, or the --engine one (keeping the post-edits configured for it)."""
    configured = tuple(map(parse_choice, settings.choices_for(lang)))
    if override is None:
        return configured
    choice = parse_choice(override)
    if not choice.post_edits:
        same = next((c for c in configured if c.engine == choice.engine), None)
        choice = same or choice
    return (choice,)


def plan_language(
    lang: Language, settings: EngineSettings, engines: dict[str, Engine], override: str | None
) -> LanguagePlan | str:
    """The first configured engine with a model for the language, or the install hints."""
    hints = []
    for choice in choices_for(settings, lang.code, override):
        engine = engines[choice.engine]
        model = engine.model_for(SOURCE_LANGUAGE, lang.code)
        if model is not None:
            return LanguagePlan(lang, choice, engine, model)
        hints.append(f"{choice.engine}: {engine.install_hint(lang.code)}")
    return "; or ".join(hints) or f"no engine configured for {lang.code} in l10n.toml [engines]"


# --------------------------------------------------------------------------- entries


def wants_draft(entry: polib.POEntry, overwrite_drafts: bool) -> bool:
    if entry.obsolete or not entry.msgid or entry.msgid_plural:
        return False
    if not entry.msgstr:
        return True
    return overwrite_drafts and is_machine_draft(entry)


def write_draft(
    entry: polib.POEntry, text: str, source: str, problems: Sequence[str], day: date
) -> None:
    """Fill an entry with a draft: fuzzy, its provenance and problems replacing earlier ones."""
    entry.msgstr = text
    set_fuzzy(entry)
    notes = Notes.of(entry).without(Provenance, Problem, MemoryFill)
    notes.plus(Provenance.of(source, text, day), *map(Problem, problems)).save(entry)


# --------------------------------------------------------------------------- text work


@dataclass
class Job:
    """One entry to draft in one language: its protected text, split into sentences."""

    plan: LanguagePlan
    entry: polib.POEntry
    protected: Protected
    split: Split
    local: list[tuple[str, dict[int, int]]]  # each sentence numbered on its own, with the map


def prepare(plan: LanguagePlan, entry: polib.POEntry, glossary: Glossary, s: EngineSettings) -> Job:
    protected = protect(entry.msgid, glossary, plan.lang.code, s.glossary, s.protect_numbers)
    parts = split(protected.text, SOURCE_LANGUAGE, closers=EXACT_PLACEHOLDER)
    return Job(plan, entry, protected, parts, [renumber(p) for p in parts.sentences])


_ARABIC_LETTER = "[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"
_NATIVE_DIGITS = str.maketrans("0123456789٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶۷۸۹")


def native_punctuation(text: str, lang: Language) -> str:
    """Latin ? , ; (and . in Urdu) after the language's own letters become its marks."""
    for latin, native in lang.punctuation:
        after = r"(?=\s|$|<x\d+>|\[)" if latin == "." else ""
        text = re.sub(f"(?<={_ARABIC_LETTER}){re.escape(latin)}{after}", native, text)
    return text


def finish(
    job: Job, translations: Sequence[str], settings: EngineSettings
) -> tuple[str, list[str], list[Slot]]:
    """Engine output → the draft: post-edits, terms, typography, markup; and its problems."""
    plan, protected = job.plan, job.protected
    text = job.split.join(
        [number_back(t, mapping) for t, (_, mapping) in zip(translations, job.local, strict=True)]
    )
    for name in plan.choice.post_edits:  # engine text only: terms and markup are still hidden
        text = outside_placeholders(text, POST_EDITS[name].run)
    words = restore(text, protected, select=lambda slot: slot.is_text)
    text = native_punctuation(words.text, plan.lang)
    if plan.lang.code in settings.native_digits:
        text = outside_placeholders(text, lambda part: part.translate(_NATIVE_DIGITS))
    markup = restore(text, protected)
    found = words.found + markup.found
    problems = [p for slot in protected.slots if (p := _lost(slot, found[slot.number]))]
    problems += [f"the engine added {p!r}, which was removed" for p in markup.unknown]
    lost = [slot for slot in protected.slots if not found[slot.number]]
    return markup.text, problems, lost


_SLOT_NAMES = {
    "footnote": "footnote reference", "link": "link markup", "code": "code span",
    "html": "inline HTML", "url": "URL", "email": "e-mail address", "escape": "escape",
    "emphasis": "emphasis marker", "markup": "markup", "term": "glossary term", "number": "number",
}  # fmt: skip


def _lost(slot: Slot, count: int) -> str | None:
    what = f"{_SLOT_NAMES.get(slot.kind, slot.kind)} {slot.source!r}"
    if count == 0 and slot.kind == "term":
        return f"{what} was lost; write {slot.target!r}"
    if count == 0:
        return f"{what} was lost; copy it from the source"
    if count > 1:
        return f"{what} appears {count} times; the source has it once"
    return None


def glossary_problems(
    glossary: Glossary, lang: str, msgid: str, draft: str, lost: Sequence[Slot] = ()
) -> list[str]:
    """Glossary errors of a draft, except for terms already reported as lost placeholders."""
    reported = {
        m.term.id for slot in lost if slot.kind == "term" for m in glossary.find(slot.source)
    }
    return [
        f"glossary: {p.message}"
        for p in check_translation(glossary, lang, msgid, draft)
        if p.severity == "error" and p.term.id not in reported
    ]


# --------------------------------------------------------------------------- cache


class DraftCache:
    """Sentence translations keyed by engine, model, language and source sentence (SQLite)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS drafts (key TEXT PRIMARY KEY, source TEXT, target TEXT)"
            )

    @staticmethod
    def key(scope: str, sentence: str) -> str:
        return hashlib.sha256(f"{scope}\0{sentence}".encode()).hexdigest()

    def get_many(self, scope: str, sentences: Sequence[str]) -> dict[str, str]:
        if self._db is None:
            return {}
        found: dict[str, str] = {}
        keys = {self.key(scope, s): s for s in sentences}
        items = list(keys)
        for start in range(0, len(items), 500):  # SQLite's limit on query parameters
            chunk = items[start : start + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT key, target FROM drafts WHERE key IN ({marks})"
            for key, target in self._db.execute(query, chunk):
                found[keys[key]] = target
        return found

    def put_many(self, scope: str, pairs: Sequence[tuple[str, str]]) -> None:
        if self._db is None:
            return
        rows = [(self.key(scope, s), s, t) for s, t in pairs]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO drafts VALUES (?, ?, ?)", rows)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


@contextmanager
def _cache(project: Project, settings: EngineSettings, dry_run: bool) -> Iterator[DraftCache]:
    path = project.config.root / CACHE_DIR / CACHE_NAME
    if not settings.cache or (dry_run and not path.is_file()):
        path = None  # type: ignore[assignment]
    with closing(DraftCache(path)) as cache:
        yield cache


# --------------------------------------------------------------------------- the stage


def draft(
    project: Project,
    languages: Sequence[str] | None = None,
    *,
    engine: str | None = None,
    overwrite_drafts: bool = False,
    dry_run: bool = False,
    require_engine: bool = False,
    use_memory: bool = True,
    memory_threshold: float = DEFAULT_THRESHOLD,
    trust_exact: bool = False,
    progress: ProgressCallback | None = None,
    today: date | None = None,
) -> DraftReport:
    """Fill untranslated entries: from the translation memory first, then with machine drafts.

    Every catalog is read and checked before anything is translated or
    written, and each changed catalog is written once, at the end.  With
    `dry_run` nothing is translated or written: the report holds the memory's
    leverage and the entries the engines would draft.  A language without an
    installed model is reported with how to install one, and is not an error
    unless `require_engine`.
    """
    started = time.perf_counter()
    settings = project.config.engines
    langs = [language(code) for code in languages or project.config.languages]
    plans = _plans(langs, settings, engine)
    report = DraftReport(dry_run=dry_run, languages=[LanguageReport(lang.code) for lang in langs])
    reports = {r.lang: r for r in report.languages}
    for code, plan in plans.items():
        if isinstance(plan, LanguagePlan):
            reports[code].engine = plan.label
        else:
            reports[code].hint = plan
    if require_engine and report.missing:
        raise MissingEngine(
            "no machine translation model for "
            + "; ".join(f"{r.lang} ({r.hint})" for r in report.missing)
        )

    catalogs = [(found, found.read()) for found in project.catalogs([c.code for c in langs])]
    touched: set[int] = set()
    if use_memory:
        touched |= _from_memory(project, catalogs, report, memory_threshold, trust_exact)

    glossary = project.glossary()
    day = today or date.today()
    jobs: list[Job] = []
    for index, (found, catalog) in enumerate(catalogs):
        plan, counts = plans[found.lang.code], reports[found.lang.code]
        for entry in catalog:
            if not wants_draft(entry, overwrite_drafts):
                continue
            counts.candidates += 1
            if isinstance(plan, LanguagePlan):
                jobs.append(prepare(plan, entry, glossary, settings))
                report.planned.append(
                    Planned(found.label, entry_line(entry), found.lang.code, entry.msgid)
                )
                touched.add(index)

    with _cache(project, settings, dry_run) as cache:
        translations = _translate(jobs, cache, reports, dry_run, progress)
    for job in [] if dry_run else jobs:
        outputs = [translations[job.plan.cache_scope][s] for s, _ in job.local]
        text, problems, lost = finish(job, outputs, settings)
        lang_code, msgid = job.plan.lang.code, job.entry.msgid
        problems += glossary_problems(glossary, lang_code, msgid, text, lost)
        write_draft(job.entry, text, job.plan.label, problems, day)
        reports[lang_code].drafted += 1
        reports[lang_code].flagged += bool(problems)
    for index, (found, catalog) in enumerate(catalogs):
        empty = sum(1 for e in catalog if not e.obsolete and e.msgid and not e.msgstr)
        reports[found.lang.code].untranslated += empty
        if not dry_run and index in touched and save_catalog(catalog, found.path):
            report.written.append(found.path)
    if dry_run:  # what a real run would fill
        for job in jobs:
            reports[job.plan.lang.code].untranslated -= not job.entry.msgstr
    else:
        report.planned = []
    report.seconds = time.perf_counter() - started
    return report


def _from_memory(
    project: Project,
    catalogs: Sequence[tuple[CatalogFile, polib.POFile]],
    report: DraftReport,
    threshold: float,
    trust_exact: bool,
) -> set[int]:
    """The memory's fills, in the catalogs as read (a dry run only measures its leverage);
    returns the indexes of the catalogs it changed."""
    codes = [r.lang for r in report.languages]
    touched: set[int] = set()
    with TranslationMemory.for_project(project) as memory:
        if report.dry_run:
            report.leverage = leverage(project, codes, memory)
            return touched
        memory.refresh(project)
        fills = {code: LanguageFill(code) for code in codes}
        for index, (found, catalog) in enumerate(catalogs):
            if fill_catalog(memory, catalog, fills[found.lang.code], threshold, trust_exact):
                touched.add(index)
        report.memory = list(fills.values())
    return touched


def _plans(
    langs: Sequence[Language], settings: EngineSettings, override: str | None
) -> dict[str, LanguagePlan | str]:
    try:
        engines = open_engines(settings.options)
        return {lang.code: plan_language(lang, settings, engines, override) for lang in langs}
    except ValueError as exc:  # an unknown --engine
        raise L10nError(str(exc)) from None


#: Sentences per engine call: CTranslate2 sorts and batches inside a call; between calls
#: the progress bar moves and the cache is written, so an interrupted run loses little.
CHUNK = 256


def _translate(
    jobs: Sequence[Job],
    cache: DraftCache,
    reports: dict[str, LanguageReport],
    dry_run: bool,
    progress: ProgressCallback | None,
) -> dict[str, dict[str, str]]:
    """Every distinct sentence once per model: from the cache, or in large engine batches."""
    wanted: dict[str, tuple[LanguagePlan, dict[str, None]]] = {}
    for job in jobs:
        _, sentences = wanted.setdefault(job.plan.cache_scope, (job.plan, {}))
        sentences.update((s, None) for s, _ in job.local)
    done: dict[str, dict[str, str]] = {}
    todo: list[tuple[LanguagePlan, list[str]]] = []
    for scope, (plan, sentences) in wanted.items():
        done[scope] = cache.get_many(scope, list(sentences))
        missing = sorted((s for s in sentences if s not in done[scope]), key=len)
        counts = reports[plan.lang.code]
        counts.sentences += len(sentences)
        counts.from_cache += len(sentences) - len(missing)
        if missing:
            todo.append((plan, missing))
    if dry_run:
        return done
    total = sum(len(m) for _, m in todo)
    finished = 0
    if progress and total:
        progress(0, total)
    for plan, missing in todo:
        scope = plan.cache_scope
        for start in range(0, len(missing), CHUNK):
            chunk = missing[start : start + CHUNK]
            try:
                outputs = plan.engine.translate(chunk, SOURCE_LANGUAGE, plan.lang.code)
            except EngineUnavailable as exc:
                raise L10nError(f"{plan.lang.code}: {exc}") from exc
            pairs = list(zip(chunk, outputs, strict=True))
            cache.put_many(scope, pairs)
            done[scope].update(pairs)
            reports[plan.lang.code].translated += len(chunk)
            finished += len(chunk)
            if progress:
                progress(finished, total)
    return done
