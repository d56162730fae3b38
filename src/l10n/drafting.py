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

from .catalog import save_edited
from .checks import check_entry
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
from .engines.base import SegmentRequest, TermHint, is_segment_engine
from .engines.remote import ServerError, ServerStats
from .errors import L10nError
from .glossary import Glossary, Term, check_translation
from .languages import ARABIC_LETTER, Language, language
from .lock import writes_project
from .memory import DEFAULT_THRESHOLD, LanguageFill, TranslationMemory, fill_catalog, leverage_of
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
from .settings import SERVER_ENGINES, EngineSettings
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
    """An entry a dry run would draft, and where it would go (servers, for remote engines)."""

    catalog: str
    line: int
    lang: str
    msgid: str
    engine: str = ""
    servers: tuple[str, ...] = ()


@dataclass
class DraftReport:
    """What `draft` did: the memory's fills, then each language's machine drafts."""

    languages: list[LanguageReport] = field(default_factory=list)
    memory: list[LanguageFill] = field(default_factory=list)  # empty: the memory was not used
    leverage: dict[str, dict[str, int]] | None = None  # a dry run's words per match band
    servers: list[ServerStats] = field(default_factory=list)  # what each server did
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
    choices = choices_for(settings, lang.code, override)
    for choice in choices:
        engine = engines[choice.engine]
        model = engine.model_for(SOURCE_LANGUAGE, lang.code)
        if model is not None:
            return LanguagePlan(lang, choice, engine, model)
        hints.append(f"{choice.engine}: {engine.install_hint(lang.code)}")
    if not hints:
        return f"no engine configured for {lang.code} in l10n.toml [engines]"
    if not {c.engine for c in choices} & set(SERVER_ENGINES):
        hints.append(
            f'a server: {lang.code} = "openai" (or "libretranslate") under [engines] in '
            "l10n.toml, with [engines.openai] urls and model (README: Machine drafts)"
        )
    return "; or ".join(hints)


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
    entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
    notes = Notes.of(entry).without(Provenance, Problem, MemoryFill)
    notes.plus(Provenance.of(source, text, day), *map(Problem, problems)).save(entry)


# --------------------------------------------------------------------------- text work


@dataclass
class Job:
    """One entry to draft in one language: its protected text, split into sentences.

    For an engine that drafts whole segments in context (`request` set), the
    one "sentence" is the segment, and its cache text is the request's key.
    """

    plan: LanguagePlan
    entry: polib.POEntry
    protected: Protected
    split: Split
    local: list[tuple[str, dict[int, int]]]  # each sentence numbered on its own, with the map
    request: SegmentRequest | None = None

    @property
    def keys(self) -> list[str]:
        """What the engine is asked, as cache texts: the sentences, or the segment's request."""
        return [self.request.key] if self.request else [text for text, _ in self.local]


def prepare(plan: LanguagePlan, entry: polib.POEntry, glossary: Glossary, s: EngineSettings) -> Job:
    protected = protect(entry.msgid, glossary, plan.lang.code, s.glossary, s.protect_numbers)
    parts = split(protected.text, SOURCE_LANGUAGE, closers=EXACT_PLACEHOLDER)
    return Job(plan, entry, protected, parts, [renumber(p) for p in parts.sentences])


def prepare_segment(
    plan: LanguagePlan,
    entry: polib.POEntry,
    neighbours: Neighbours,
    glossary: Glossary,
    s: EngineSettings,
) -> Job:
    """A whole segment for an engine that translates in context: markup as placeholders,
    terms left as words and stated in the request, the neighbouring segments beside it."""
    protected = protect(entry.msgid, None, plan.lang.code, (), s.protect_numbers)
    terms = tuple(_term_hint(term, plan.lang.code) for term in glossary.terms_in(entry.msgid))
    request = SegmentRequest(
        protected.text,
        plan.lang.code,
        before=neighbours[0],
        after=neighbours[1],
        terms=tuple(t for t in terms if t is not None),
    )
    whole = Split((protected.text,), ("", ""))
    identity = {slot.number: slot.number for slot in protected.slots}
    return Job(plan, entry, protected, whole, [(protected.text, identity)], request)


def _term_hint(term: Term, lang: str) -> TermHint | None:
    if term.do_not_translate:
        return TermHint(term.term, None)
    rendering = term.translations.get(lang)
    return TermHint(term.term, rendering.term, rendering.status) if rendering else None


Neighbours = tuple[tuple[str, ...], tuple[str, ...]]


def neighbours_of(catalog: polib.POFile, context: int) -> dict[int, Neighbours]:
    """For each entry (by id), the `context` source segments before and after it, in order."""
    entries = [e for e in catalog if not e.obsolete and e.msgid]
    found: dict[int, Neighbours] = {}
    for index, entry in enumerate(entries):
        before = tuple(e.msgid for e in entries[max(0, index - context) : index])
        after = tuple(e.msgid for e in entries[index + 1 : index + 1 + context])
        found[id(entry)] = (before, after)
    return found


_NATIVE_DIGITS = str.maketrans("0123456789٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶۷۸۹")


def native_punctuation(text: str, lang: Language) -> str:
    """Latin ? , ; (and . in Urdu) after the language's own letters become its marks."""
    for latin, native in lang.punctuation:
        after = r"(?=\s|$|<x\d+>|\[)" if latin == "." else ""
        text = re.sub(f"(?<={ARABIC_LETTER}){re.escape(latin)}{after}", native, text)
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


@writes_project("draft", read_only_when=("dry_run", True))
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
    langs = [language(code) for code in project.languages(languages)]
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
        if not isinstance(plan, LanguagePlan):
            counts.candidates += sum(1 for e in catalog if wants_draft(e, overwrite_drafts))
            continue
        in_context = is_segment_engine(plan.engine)
        server = settings.options.server(plan.choice.engine)
        neighbours = neighbours_of(catalog, server.context) if in_context else {}
        servers = server.urls if plan.choice.engine in SERVER_ENGINES else ()
        for entry in catalog:
            if not wants_draft(entry, overwrite_drafts):
                continue
            counts.candidates += 1
            if in_context:
                jobs.append(prepare_segment(plan, entry, neighbours[id(entry)], glossary, settings))
            else:
                jobs.append(prepare(plan, entry, glossary, settings))
            report.planned.append(
                Planned(
                    found.label, entry_line(entry), found.lang.code, entry.msgid, plan.label,
                    servers,
                )
            )  # fmt: skip
            touched.add(index)

    failure: BaseException | None = None
    translations: dict[str, dict[str, str]] = {}
    noted: dict[str, list[str]] = {}  # problems segment engines reported, by request key
    with _cache(project, settings, dry_run) as cache:
        try:
            _translate(
                jobs, cache, reports, dry_run, progress, translations, glossary, settings, noted
            )
        except (ServerError, KeyboardInterrupt) as exc:
            failure = exc  # what arrived is cached; the drafts complete so far are written
    engines = {id(plan.engine): plan for plan in plans.values() if isinstance(plan, LanguagePlan)}
    report.servers = [st for plan in engines.values() for st in _server_stats(plan)]
    for job in [] if dry_run else jobs:
        known = translations.get(job.plan.cache_scope, {})
        if not all(key in known for key in job.keys):
            continue  # not received before a failure: the next run asks again
        text, problems = draft_text(job, [known[key] for key in job.keys], glossary, settings)
        said = noted.get(job.keys[0], []) if job.request else []  # what only the engine saw
        problems += [p for p in said if p not in problems]
        lang_code = job.plan.lang.code
        write_draft(job.entry, text, job.plan.label, problems, day)
        reports[lang_code].drafted += 1
        reports[lang_code].flagged += bool(problems)
    for index, (found, catalog) in enumerate(catalogs):
        empty = sum(1 for e in catalog if not e.obsolete and e.msgid and not e.msgstr)
        reports[found.lang.code].untranslated += empty
        if not dry_run and index in touched and save_edited(catalog, found.path, found.lang):
            report.written.append(found.path)
    if dry_run:  # what a real run would fill
        for job in jobs:
            reports[job.plan.lang.code].untranslated -= not job.entry.msgstr
    else:
        report.planned = []
    report.seconds = time.perf_counter() - started
    if failure is not None:
        if isinstance(failure, ServerError):
            raise ServerError(_failed(report, failure)) from failure
        raise failure
    return report


def _failed(report: DraftReport, failure: ServerError) -> str:
    kept = sum(r.drafted for r in report.languages)
    written = f"; {kept} drafts received before it were written" if kept else ""
    return f"{failure.message}{written}; run `l10n draft` again to continue where it stopped"


def _server_stats(plan: LanguagePlan | str) -> list[ServerStats]:
    if not isinstance(plan, LanguagePlan):
        return []
    stats = getattr(plan.engine, "server_stats", None)
    return list(stats()) if callable(stats) else []


def draft_text(
    job: Job, outputs: Sequence[str], glossary: Glossary, settings: EngineSettings
) -> tuple[str, list[str]]:
    """The draft an engine's output makes, and its problems (what the comment will say).

    A segment drafted in context is judged by the checks a translation must pass
    (structure, letters, Dari vocabulary, …), since an LLM may do anything;
    sentence engines are judged on what they could lose: placeholders and terms.
    """
    text, problems, lost = finish(job, outputs, settings)
    lang_code, msgid = job.plan.lang.code, job.entry.msgid
    problems += glossary_problems(glossary, lang_code, msgid, text, lost)
    if job.request is not None:
        problems += [p for p in _check_problems(job, text, glossary) if p not in problems]
    return text, problems


#: Checks an answer in context must pass, besides placeholders and the glossary.
_ANSWER_CHECKS = ("structure", "letters", "bidi-controls", "dari-vocabulary", "numbers", "urls")


def _check_problems(job: Job, text: str, glossary: Glossary) -> list[str]:
    probe = polib.POEntry(msgid=job.entry.msgid, msgstr=text, comment=job.entry.comment)
    findings = check_entry(probe, job.plan.lang, glossary, _ANSWER_CHECKS)
    return [f"{f.check}: {f.message}" for f in findings]


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
        memory.refresh(project)
        if report.dry_run:  # the catalogs as read, not read again
            pairs = ((found.lang.code, catalog) for found, catalog in catalogs)
            report.leverage = leverage_of(memory, codes, pairs)
            return touched
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
    done: dict[str, dict[str, str]],
    glossary: Glossary,
    settings: EngineSettings,
    noted: dict[str, list[str]],
) -> None:
    """Every distinct sentence (or segment request) once per model, into `done`: from the
    cache, or from the engine, each stored in the cache the moment it arrives."""
    wanted: dict[str, tuple[LanguagePlan, dict[str, Job]]] = {}
    for job in jobs:
        _, keys = wanted.setdefault(job.plan.cache_scope, (job.plan, {}))
        keys.update((key, job) for key in job.keys if key not in keys)
    todo: list[tuple[LanguagePlan, list[str], dict[str, Job]]] = []
    for scope, (plan, keys) in wanted.items():
        done[scope] = cache.get_many(scope, list(keys))
        missing = sorted((k for k in keys if k not in done[scope]), key=len)
        counts = reports[plan.lang.code]
        counts.sentences += len(keys)
        counts.from_cache += len(keys) - len(missing)
        if missing:
            todo.append((plan, missing, keys))
    if dry_run:
        return
    total = sum(len(m) for _, m, _ in todo)
    meter = _Meter(progress, total)
    for plan, missing, owners in todo:
        scope, lang = plan.cache_scope, plan.lang.code

        def store(keys: Sequence[str], outputs: Sequence[str], scope: str = scope) -> None:
            pairs = list(zip(keys, outputs, strict=True))
            cache.put_many(scope, pairs)
            done[scope].update(pairs)
            meter.add(len(pairs))

        try:
            if is_segment_engine(plan.engine):
                _segments(plan, missing, owners, store, glossary, settings, noted)
            else:
                _sentences(plan, missing, store)
        except ServerError:
            raise
        except EngineUnavailable as exc:
            raise L10nError(f"{lang}: {exc}") from exc
        reports[lang].translated += sum(1 for key in missing if key in done[scope])


Store = Callable[[Sequence[str], Sequence[str]], None]


def _sentences(plan: LanguagePlan, missing: Sequence[str], store: Store) -> None:
    """A sentence engine, in large calls; what arrives inside a call is stored at once."""
    for start in range(0, len(missing), CHUNK):
        chunk = list(missing[start : start + CHUNK])
        arrival = _Arrival(chunk, store)
        outputs = plan.engine.translate(chunk, SOURCE_LANGUAGE, plan.lang.code, arrival)
        arrival(range(len(chunk)), outputs)  # whatever the engine did not announce


@dataclass
class _Arrival:
    """Stores each sentence of one engine call once, whenever the engine hands it over."""

    chunk: list[str]
    store: Store
    received: set[int] = field(default_factory=set)

    def __call__(self, indexes: Sequence[int], outputs: Sequence[str]) -> None:
        fresh = [(i, o) for i, o in zip(indexes, outputs, strict=True) if i not in self.received]
        self.received.update(i for i, _ in fresh)
        if fresh:
            self.store([self.chunk[i] for i, _ in fresh], [o for _, o in fresh])


def _segments(
    plan: LanguagePlan,
    missing: Sequence[str],
    owners: dict[str, Job],
    store: Store,
    glossary: Glossary,
    settings: EngineSettings,
    noted: dict[str, list[str]],
) -> None:
    """A segment engine: each request with its context, each answer validated by the
    checks a draft must pass (the engine asks once more, naming the problems)."""
    requests = [r for key in missing if (r := owners[key].request) is not None]

    def validate(request: SegmentRequest, answer: str) -> list[str]:
        return draft_text(owners[request.key], [answer], glossary, settings)[1]

    def arrived(index: int, answer: str, problems: Sequence[str]) -> None:
        noted[missing[index]] = list(problems)
        store([missing[index]], [answer])

    answers = plan.engine.draft_segments(  # type: ignore[attr-defined]
        requests, plan.model, validate, arrived
    )
    rest = [i for i, key in enumerate(missing) if key not in noted]  # never announced
    for i in rest:
        noted[missing[i]] = list(answers[i][1])
    store([missing[i] for i in rest], [answers[i][0] for i in rest])


class _Meter:
    """Progress in sentences (or segments), reported at most a few times a second."""

    def __init__(self, progress: ProgressCallback | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0
        self.last = 0.0
        if progress and total:
            progress(0, total)

    def add(self, count: int) -> None:
        self.done = min(self.total, self.done + count)
        now = time.perf_counter()
        if self.progress and (now - self.last >= 0.2 or self.done == self.total):
            self.progress(self.done, self.total)
            self.last = now
