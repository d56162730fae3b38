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
    catalog_language,
    count_states,
    merge,
    po_files,
    read_catalog,
    save_catalog,
)
from .checks import CHECK_IDS, Finding, check_entry
from .config import CONFIG_NAME, default_toml
from .document import Document
from .errors import L10nError
from .files import write_bytes_atomic, write_text_atomic
from .glossary import Glossary, Term, coverage, dump_glossary, hints
from .languages import Language, language
from .project import Project, SourceDoc
from .publish.editions import Edition, IncompleteEdition, Policy, Problem, build_edition
from .publish.html import EditionStatus, edition_status, render_html
from .publish.pdf import render_pdf
from .publish.typography import PublishSettings
from .review import State, mark_reviewed, state
from .skeleton import CACHE_DIR
from .termbase import merge_glossaries, read_exchange_file

FORMATS = ("md", "html", "pdf")
SOURCE_LANGUAGE = "en"


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
    if _ignore(folder / ".gitignore", (f"/{CACHE_DIR}/", "/dist/")):
        created.append(folder / ".gitignore")
    return created


def _ignore(gitignore: Path, patterns: Sequence[str]) -> bool:
    """Add what version control should not track (the parse cache, editions) to .gitignore."""
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
    changed: bool


def extract(project: Project) -> list[Extracted]:
    """Every source document → locales/<doc>.pot (rewritten only if it changed).

    All sources are parsed before any template is written, so one bad source
    leaves every template as it was.
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
        results.append(Extracted(doc.doc_id, path, len(template), save_catalog(template, path)))
    return results


@dataclass
class Updated:
    doc_id: str
    lang: str
    catalog: Path
    report: MergeReport
    counts: Counts
    changed: bool


def update(project: Project, languages: Sequence[str] | None = None) -> list[Updated]:
    """Merge each template into every language's catalog, creating missing catalogs.

    All catalogs are read and checked before any is written, so a malformed
    file stops the stage with nothing half-done.
    """
    plans = []
    for doc in project.documents():
        template_path = project.template_path(doc)
        if not template_path.is_file():
            raise L10nError(
                f"no template for {doc.label}; run `l10n extract` first",
                project.label(template_path),
            )
        template = read_catalog(template_path, project.label(template_path))
        for code in languages or project.config.languages:
            lang = language(code)
            path = project.catalog_path(doc, lang.code)
            existing = read_catalog(path, project.label(path), lang) if path.is_file() else None
            plans.append((doc, lang, path, template, existing))
    terms = project.glossary()
    results = []
    for doc, lang, path, template, existing in plans:
        merged, report = merge(
            template,
            existing,
            lang,
            project.config.name,
            doc.doc_id,
            project.config.fuzzy_threshold,
            partial(hints, terms, lang=lang.code),
        )
        changed = save_catalog(merged, path)
        results.append(Updated(doc.doc_id, lang.code, path, report, count_states(merged), changed))
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

    @property
    def problems(self) -> list[Problem]:
        return [p for e in self.editions for p in e.edition.problems]


def publish(
    project: Project,
    formats: Sequence[str] = ("md",),
    languages: Sequence[str] | None = None,
    policy: Policy = Policy.DEFAULT,
) -> PublishReport:
    """Editions of every document in every language; nothing is written if any fails.

    HTML and PDF also get the English original beside them, for comparison.
    Under `strict`, an edition must be entirely reviewed.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise L10nError(f"unknown format {unknown[0]!r}; known: {', '.join(FORMATS)}")
    settings = project.config.publish
    pending: list[tuple[Path, str | bytes]] = []
    report = PublishReport()
    for doc in project.documents():
        parsed = project.parse(doc)
        for code in languages or project.config.languages:
            lang = language(code)
            path = project.catalog_path(doc, lang.code)
            label = project.label(path)
            if not path.is_file():
                raise L10nError(f"no catalog for {doc.label}; run `l10n update`", label)
            catalog = read_catalog(path, label, lang)
            edition = build_edition(parsed, catalog, label, policy)
            status = edition_status(edition, parsed, catalog)
            if policy is Policy.STRICT and not status.is_final:
                raise IncompleteEdition(_unreviewed(parsed, catalog, label))
            files = _renderings(edition.text, lang.code, status, doc, formats, settings)
            outputs = [project.output_path(doc, lang.code, fmt) for fmt in files]
            pending += zip(outputs, files.values(), strict=True)
            report.editions.append(Published(doc.doc_id, lang.code, outputs, edition))
        original = EditionStatus(original=True)
        files = _renderings(parsed.source, SOURCE_LANGUAGE, original, doc, formats, settings)
        if files:
            outputs = [project.output_path(doc, SOURCE_LANGUAGE, fmt) for fmt in files]
            pending += zip(outputs, files.values(), strict=True)
            report.originals.append(
                Published(doc.doc_id, SOURCE_LANGUAGE, outputs, Edition(text=parsed.source))
            )
    for out, data in pending:
        write_bytes_atomic(out, data if isinstance(data, bytes) else data.encode("utf-8"))
    return report


def _renderings(
    text: str,
    lang: str,
    status: EditionStatus,
    doc: SourceDoc,
    formats: Sequence[str],
    settings: PublishSettings,
) -> dict[str, str | bytes]:
    """The files of one edition, by extension (the original has no Markdown copy)."""
    files: dict[str, str | bytes] = {}
    if "md" in formats and lang != SOURCE_LANGUAGE:
        files["md"] = text
    if {"html", "pdf"} & set(formats):
        html = render_html(text, lang, status=status, source_label=doc.label, settings=settings)
        if "html" in formats:
            files["html"] = html
        if "pdf" in formats:
            files["pdf"] = render_pdf(html, base_url=doc.path.resolve().as_uri())
    return files


_NOT_REVIEWED = {State.DRAFT: "draft (fuzzy)", State.TRANSLATED: "translated, not reviewed"}


def _unreviewed(doc: Document, catalog: polib.POFile, label: str) -> list[Problem]:
    """Entries of the document not reviewed yet: what `--strict` refuses."""
    entries = {e.msgid: e for e in catalog if not e.obsolete and e.msgctxt is None}
    problems: dict[str, Problem] = {}
    for seg in doc.segments:
        entry = entries[seg.msgid]
        current = state(entry)
        if current is not State.REVIEWED and seg.msgid not in problems:
            why = _NOT_REVIEWED.get(current, str(current))
            problems[seg.msgid] = Problem(label, entry.linenum, seg.msgid, why)
    return list(problems.values())


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


def import_glossary(project: Project, path: Path, fmt: str | None = None) -> tuple[int, int]:
    """Merge an exchange file into the project's glossary; returns (added, replaced)."""
    current = project.glossary()
    imported = read_exchange_file(path, fmt)
    known = {t.id for t in current.terms}
    replaced = sum(1 for t in imported.terms if t.id in known)
    write_text_atomic(
        project.config.glossary_path, dump_glossary(merge_glossaries(current, imported))
    )
    return len(imported.terms) - replaced, replaced


@dataclass(frozen=True)
class Located:
    """A check finding with the catalog line of its entry."""

    catalog: str
    line: int
    lang: str
    msgid: str
    finding: Finding

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.catalog,
            "line": self.line,
            "language": self.lang,
            "check": self.finding.check,
            "severity": self.finding.severity,
            "message": self.finding.message,
            "msgid": self.msgid,
        }


def catalogs_to_check(
    project: Project | None, paths: Sequence[Path], languages: Sequence[str] | None
) -> list[tuple[Path, str, Language]]:
    """(file, label, language) for explicit PO files/folders, or every project catalog."""
    found: list[tuple[Path, str, Language]] = []
    if paths:
        for file in po_files(paths):
            catalog = read_catalog(file, str(file))
            found.append((file, str(file), language(catalog_language(catalog, file))))
        return found
    assert project is not None
    for doc in project.documents():
        for code in languages or project.config.languages:
            lang = language(code)
            path = project.catalog_path(doc, lang.code)
            if path.is_file():
                found.append((path, project.label(path), lang))
    return found


def check(
    targets: Sequence[tuple[Path, str, Language]],
    glossary: Glossary,
    only: Sequence[str] | None = None,
) -> list[Located]:
    """Run the checks on every entry of every catalog, in file order."""
    unknown = [c for c in only or () if c not in CHECK_IDS]
    if unknown:
        raise L10nError(f"unknown check {unknown[0]!r}; known: {', '.join(CHECK_IDS)}")
    results = []
    for path, label, lang in targets:
        catalog = read_catalog(path, label, lang)
        for entry in catalog:
            for finding in check_entry(entry, lang, glossary, only):
                results.append(Located(label, entry.linenum, lang.code, entry.msgid, finding))
    return results


def _entry_at(entries: Sequence[polib.POEntry], line: int, label: str) -> polib.POEntry:
    """The entry a line belongs to, from its first comment to the line before the next."""
    starts = [getattr(e, "first_line", e.linenum) for e in entries]
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else float("inf")
        if start <= line < end:
            return entries[index]
    raise L10nError(f"no entry at line {line}", label, line)


@dataclass
class Approval:
    catalog: str
    approved: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, why)


def approve(
    path: Path,
    label: str,
    lang: Language,
    glossary: Glossary,
    reviewer: str,
    lines: Sequence[int] = (),
) -> Approval:
    """Mark translated entries reviewed: all of them, or those at the given lines.

    Drafts, untranslated entries and entries with check errors are refused and
    listed; nothing else changes in the file.
    """
    catalog = read_catalog(path, label, lang)
    result = Approval(label)
    entries = [e for e in catalog if not e.obsolete]
    if lines:
        entries = [_entry_at(entries, line, label) for line in sorted(set(lines))]
    for entry in entries:
        current = state(entry)
        if current == State.REVIEWED:
            continue
        if current != State.TRANSLATED:
            result.refused.append((entry.linenum, f"{current}, not translated"))
            continue
        errors = [f for f in check_entry(entry, lang, glossary) if f.severity == "error"]
        if errors:
            result.refused.append((entry.linenum, f"check {errors[0].check}: {errors[0].message}"))
            continue
        mark_reviewed(entry, reviewer)
        result.approved += 1
    if result.approved:
        save_catalog(catalog, path)
    return result
