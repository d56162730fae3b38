"""The stages over a whole project: extract, update, publish, build.

Each stage reads and writes files a person can open; the real work lives in
`document`, `catalog` and `publish`, this module only walks the project.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import polib

from .catalog import (
    Counts,
    MergeReport,
    build_template,
    count_states,
    loose_language,
    merge,
    read_catalog,
    render_catalog,
    save_catalog,
    touch_header,
)
from .checking import Located, catalogs_to_check, check_catalogs
from .checks import check_entry
from .config import CONFIG_NAME, default_toml
from .drafting import DraftReport, ProgressCallback, draft
from .errors import L10nError
from .files import TEMPORARY_PATTERN, write_bytes_atomic, write_text_atomic
from .glossary import Glossary, Term, coverage, hints
from .languages import Language
from .lock import writes_file, writes_project
from .pofile import entry_line, entry_start
from .project import Missing, Project, SourceDoc
from .publishing.editions import Edition, Policy, Problem, build_edition
from .publishing.fetch import Reach
from .publishing.html import document_targets, render_html
from .publishing.pdf import render_pdf
from .review import State, mark_reviewed, state
from .settings import FORMATS, SOURCE_LANGUAGE, PublishSettings
from .skeleton import CACHE_DIR
from .termbase import Imported, read_exchange_file, write_import


def init_project(folder: Path, name: str | None = None) -> list[Path]:
    """Create l10n.toml, source/ and locales/; never overwrite an existing project."""
    config = folder / CONFIG_NAME
    if config.exists():
        raise L10nError(f"{CONFIG_NAME} already exists; not overwritten", config)
    write_text_atomic(config, default_toml(name or folder.resolve().name))
    created = [config]
    for sub in ("source", "locales"):
        (folder / sub).mkdir(exist_ok=True)
        created.append(folder / sub)
    if _ignore(folder / ".gitignore", (f"/{CACHE_DIR}/", "/dist/", TEMPORARY_PATTERN)):
        created.append(folder / ".gitignore")
    return created


def _ignore(gitignore: Path, patterns: Sequence[str]) -> bool:
    """Add what version control should not track (cache, editions, temporaries) to .gitignore."""
    text = gitignore.read_text(encoding="utf-8") if gitignore.is_file() else ""
    missing = [p for p in patterns if p not in text.split("\n")]
    if not missing:
        return False
    prefix = "" if not text or text.endswith("\n") else "\n"
    write_text_atomic(gitignore, text + prefix + "\n".join(missing) + "\n")
    return True


@dataclass
class Extracted:
    doc_id: str
    template: Path
    entries: int
    changed: bool  # written, or with write=False: would be
    catalog: polib.POFile | None = field(default=None, repr=False, compare=False)


@writes_project("extract", read_only_when=("write", False))
def extract(project: Project, write: bool = True) -> list[Extracted]:
    """Every source document → locales/<doc>.pot (rewritten only if it changed).

    All sources are parsed before any template is written, so one bad source
    leaves every template as it was.  With `write=False` nothing is written
    and `changed` says whether a template would be (`l10n extract --check`).
    """
    templates = []
    for doc in project.documents():
        segments = project.parse(doc).segments
        template = build_template(
            project.config.name, doc.doc_id, ((doc.label, seg) for seg in segments)
        )
        templates.append((doc, template))
    results = []
    for doc, template in templates:
        path = project.template_path(doc)
        changed = _save(template, path, write)
        results.append(Extracted(doc.doc_id, path, len(template), changed, template))
    return results


def _save(catalog: polib.POFile, path: Path, write: bool) -> bool:
    """Save a catalog if it changed; without `write`, only say whether it would change."""
    if write:
        return save_catalog(catalog, path)
    return _differs(path, render_catalog(catalog).encode("utf-8"))


def _differs(path: Path, data: bytes) -> bool:
    return not path.is_file() or path.read_bytes() != data


@dataclass
class Updated:
    doc_id: str
    lang: str
    catalog: Path
    report: MergeReport
    counts: Counts
    changed: bool


@writes_project("update", read_only_when=("write", False))
def update(
    project: Project,
    languages: Sequence[str] | None = None,
    write: bool = True,
    extracted: Sequence[Extracted] | None = None,
) -> list[Updated]:
    """Bring the templates up to date from the sources, then merge each into every
    language's catalog, creating missing catalogs.

    Extracting first means an edited source paragraph reaches the catalogs in
    one command (`extracted` passes templates `extract` has just built).  All
    catalogs are read and checked before any is written, so a malformed file
    stops the stage with nothing half-done.  With `write=False` nothing is
    written and `changed` says whether a catalog would be (`--check`).
    """
    if extracted is None:  # templates are written below, once every catalog has been read
        extracted = extract(project, write=False)
    templates = {e.doc_id: e.catalog for e in extracted if e.catalog is not None}
    plans = []
    for found in project.catalogs(languages, Missing.INCLUDE):
        if found.doc.doc_id not in templates:
            template_path = project.template_path(found.doc)
            templates[found.doc.doc_id] = read_catalog(template_path, project.label(template_path))
        existing = found.read() if found.exists else None
        plans.append((found, templates[found.doc.doc_id], existing))
    terms = project.glossary()
    if write:  # a template `extract` has written already is left alone (it did not change)
        for done in extracted:
            if done.catalog is not None:
                save_catalog(done.catalog, done.template)
    results = []
    for found, template, existing in plans:
        lang, doc_id = found.lang, found.doc.doc_id
        merged, report = merge(
            template,
            existing,
            lang,
            project.config.name,
            doc_id,
            project.config.fuzzy_threshold,
            partial(hints, terms, lang=lang.code),
        )
        changed = _save(merged, found.path, write)
        counts = count_states(merged)
        results.append(Updated(doc_id, lang.code, found.path, report, counts, changed))
    return results


@dataclass
class Published:
    doc_id: str
    lang: str
    outputs: list[Path]
    edition: Edition


@dataclass
class PublishReport:
    editions: list[Published] = field(default_factory=list)
    originals: list[Published] = field(default_factory=list)  # the English source as HTML/PDF
    changed: list[Path] = field(default_factory=list)  # written, or with write=False: would be
    left_over: list[Path] = field(default_factory=list)  # other formats' files, not rewritten

    @property
    def problems(self) -> list[Problem]:
        return [p for e in self.editions for p in e.edition.problems]


@writes_project("publish", read_only_when=("write", False))
def publish(
    project: Project,
    formats: Sequence[str] | None = None,
    languages: Sequence[str] | None = None,
    policy: Policy | None = None,
    write: bool = True,
) -> PublishReport:
    """Editions of every document in every language; nothing is written if any fails.

    `formats` defaults to md; HTML and PDF also get the English original
    beside them, for comparison.  With `write=False` nothing is written and
    `changed` lists the files that would be (`l10n publish --check`).
    `policy` defaults to the project's `[publish] drafts` setting; under
    `strict`, an edition must be entirely reviewed.
    """
    formats = tuple(formats or ("md",))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise L10nError(f"unknown format {unknown[0]!r}; known: {', '.join(FORMATS)}")
    settings = project.config.publish
    if policy is None:
        policy = Policy.choose(drafts=settings.drafts)
    pending: list[tuple[Path, bytes]] = []
    report = PublishReport()
    for found in project.catalogs(languages, Missing.ERROR):
        doc, code = found.doc, found.lang.code
        edition = build_edition(project.parse(doc), found.read(), found.label, policy)
        files = _renderings(edition, code, doc, formats, settings, _reach(project, doc))
        outputs = [project.output_path(doc, code, fmt) for fmt in files]
        pending += zip(outputs, files.values(), strict=True)
        report.editions.append(Published(doc.doc_id, code, outputs, edition))
        report.left_over += _left_over(project, doc, code, outputs)
    for doc in project.documents():
        original = Edition.of_source(project.parse(doc))
        files = _renderings(original, SOURCE_LANGUAGE, doc, formats, settings, _reach(project, doc))
        if files:
            outputs = [project.output_path(doc, SOURCE_LANGUAGE, fmt) for fmt in files]
            pending += zip(outputs, files.values(), strict=True)
            report.originals.append(Published(doc.doc_id, SOURCE_LANGUAGE, outputs, original))
            report.left_over += _left_over(project, doc, SOURCE_LANGUAGE, outputs)
    for out, data in pending:
        if write_bytes_atomic(out, data) if write else _differs(out, data):
            report.changed.append(out)
    return report


def _left_over(project: Project, doc: SourceDoc, lang: str, outputs: list[Path]) -> list[Path]:
    """Files of the formats not asked for this time: editions from an earlier run, now stale."""
    others = (project.output_path(doc, lang, fmt) for fmt in FORMATS)
    return [path for path in others if path not in outputs and path.is_file()]


def _reach(project: Project, doc: SourceDoc) -> Reach:
    """What the editions of `doc` may load: its own images, the project's files."""
    shown = document_targets(doc.path.read_text("utf-8"))
    config = project.config
    return Reach.of(config.root, config.source_dir, doc.path, shown, config.publish.network)


def _renderings(
    edition: Edition,
    lang: str,
    doc: SourceDoc,
    formats: Sequence[str],
    settings: PublishSettings,
    reach: Reach,
) -> dict[str, bytes]:
    """The files of one edition, by extension (the original has no Markdown copy)."""
    files: dict[str, bytes] = {}
    if "md" in formats and not edition.original:
        files["md"] = edition.text.encode("utf-8")
    if {"html", "pdf"} & set(formats):
        html = render_html(
            edition.text,
            lang,
            status=edition.status,
            source_label=doc.label,
            settings=settings,
            reach=reach,
            fonts="html" in formats,
        )
        if "html" in formats:
            files["html"] = html.encode("utf-8")
        if "pdf" in formats:
            files["pdf"] = render_pdf(html, base_url=doc.path.resolve().as_uri(), reach=reach)
    return files


def glossary_coverage(project: Project) -> list[tuple[Term, dict[str, int]]]:
    """Each term with its number of occurrences per document."""
    terms = project.glossary()
    texts = [
        (doc.doc_id, segment.msgid)
        for doc in project.documents()
        for segment in project.parse(doc).segments
    ]
    counts = coverage(terms, texts)
    return [(term, counts[term.id]) for term in terms.terms]


@writes_project("glossary import")
def import_glossary(
    project: Project, path: Path, fmt: str | None = None, lang: str | None = None
) -> Imported:
    """Merge a TBX or CSV glossary into glossary.yaml, changing only the entries it changes.

    Other tools' files count for the project's languages only; a source,target CSV
    names no language, so `lang` does.
    """
    found = read_exchange_file(path, fmt, lang, project.config.languages)
    return write_import(project.config.glossary_path, project.glossary(), found)


def check(
    project: Project, languages: Sequence[str] | None = None, only: Sequence[str] | None = None
) -> list[Located]:
    """`l10n check` on the project's catalogs (those not created yet have nothing to check)."""
    return check_catalogs(catalogs_to_check(project, languages), project.glossary(), only)


def _entry_at(entries: Sequence[polib.POEntry], line: int, label: str) -> polib.POEntry:
    """The entry a line belongs to, from its first comment to the line before the next."""
    starts = [entry_start(e) for e in entries]
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else float("inf")
        if start <= line < end:
            return entries[index]
    raise L10nError(f"no entry at line {line}", label, line)


#: Check errors an approval settles itself: the new review replaces a broken stamp.
_SETTLED_BY_APPROVAL = frozenset({"stamps"})


@dataclass
class Approval:
    catalog: str
    approved: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, why)


@writes_file("review approve")
def approve(
    path: Path,
    label: str,
    lang: Language | None,
    glossary: Glossary,
    reviewer: str,
    lines: Sequence[int] = (),
) -> Approval:
    """Mark translated entries reviewed: all of them, or those at the given lines.

    Drafts, untranslated entries and entries with check errors are refused and
    listed; nothing else changes in the file.  Without `lang`, the file's own
    header, name or folder says its language (`loose_language`).
    """
    catalog = read_catalog(path, label, lang)
    if lang is None:
        lang = loose_language(catalog, path, label)
    result = Approval(label)
    entries = [e for e in catalog if not e.obsolete]
    if lines:
        entries = [_entry_at(entries, line, label) for line in sorted(set(lines))]
    for entry in entries:
        current = state(entry)
        if current == State.REVIEWED:
            continue
        if current != State.TRANSLATED:
            result.refused.append((entry_line(entry), f"{current}, not translated"))
            continue
        errors = [
            f
            for f in check_entry(entry, lang, glossary)
            if f.severity == "error" and f.check not in _SETTLED_BY_APPROVAL
        ]
        if errors:
            result.refused.append(
                (entry_line(entry), f"check {errors[0].check}: {errors[0].message}")
            )
            continue
        mark_reviewed(entry, reviewer)
        result.approved += 1
    if result.approved:
        touch_header(catalog, lang, reviewer)
        save_catalog(catalog, path)
    return result


# --------------------------------------------------------------------------- the whole chain


@dataclass
class BuildReport:
    """What each stage of `build` did, in order."""

    extracted: list[Extracted]
    updated: list[Updated]
    drafted: DraftReport
    findings: list[Located]
    published: PublishReport


@writes_project("build")
def build(
    project: Project,
    languages: Sequence[str] | None = None,
    formats: Sequence[str] | None = None,
    policy: Policy | None = None,
    progress: ProgressCallback | None = None,
) -> BuildReport:
    """extract → update → draft (memory, then engines) → check → publish.

    What `l10n build` runs, as one writing command: the project's lock is held
    throughout, and `update` reads every source, catalog and the glossary
    before its first write, so a bad input anywhere leaves every file as it was.
    Drafts come from whatever memory and models there are (none installed: a
    note in the report, not an error); check findings are reported, not
    enforced, since publishing refuses what would break a document anyway.
    `formats` defaults to `[publish] formats`.
    """
    extracted = extract(project, write=False)  # update writes them, once it has read every input
    updated = update(project, languages, extracted=extracted)
    drafted = draft(project, languages, progress=progress)
    findings = check(project, languages)
    published = publish(project, formats or project.config.publish.formats, languages, policy)
    return BuildReport(extracted, updated, drafted, findings, published)
