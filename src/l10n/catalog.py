"""Gettext catalogs: templates from segments, checked reading, merging, states, saving.

A translator's file must never be misread: it is parsed strictly (`pofile`),
then checked for duplicate entries and a header that fits its folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polib
from rapidfuzz import fuzz, process

from . import __version__
from .comments import drop_stale_reviews, set_fuzzy
from .document import Segment
from .errors import L10nError
from .files import read_text, write_text_atomic
from .languages import Language, language
from .pofile import entry_line, parse_po
from .review import state
from .settings import FUZZY_THRESHOLD

#: Catalogs are written unwrapped: one line per string, so a changed paragraph is a
#: one-line diff for reviewers, and writing 5 MB catalogs takes 0.3 s instead of 2 s.
#: Lines still break after each "\n" inside a string, as gettext does.
WRAP_WIDTH = 0

# --------------------------------------------------------------------------- reading

_PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*\d+\s*;\s*plural\s*=.+$")


def read_catalog(
    path: Path, label: str | None = None, lang: Language | None = None
) -> polib.POFile:
    """A PO/POT file, checked: syntax, duplicate entries, and its header."""
    name = label or str(path)
    return parse_catalog(read_text(path, name), name, lang)


def parse_catalog(text: str, label: str, lang: Language | None = None) -> polib.POFile:
    """Catalog text from anywhere (a file, a git revision), checked as `read_catalog` does."""
    catalog = parse_po(text, label)
    catalog.wrapwidth = WRAP_WIDTH
    seen: dict[tuple[str | None, str], int] = {}
    for entry in catalog:
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            raise L10nError(
                f"duplicate entry for msgid {_short(entry.msgid)!r} (first defined at line "
                f"{seen[key]})",
                label,
                entry.linenum,
            )
        seen[key] = entry_line(entry)
    _check_header(catalog, text, label, lang)
    return catalog


def _check_header(catalog: polib.POFile, text: str, name: str, lang: Language | None) -> None:
    def line_of(field_name: str) -> int:
        for number, line in enumerate(text.split("\n"), start=1):
            if line.startswith(f'"{field_name}:'):
                return number
        return 1

    content_type = catalog.metadata.get("Content-Type", "")
    charset = re.search(r"charset=([\w-]+)", content_type)
    if charset and charset.group(1).upper() not in ("UTF-8", "CHARSET"):
        raise L10nError(
            f"header declares charset {charset.group(1)}; catalogs must be UTF-8",
            name,
            line_of("Content-Type"),
        )
    plural = catalog.metadata.get("Plural-Forms")
    if plural and not _PLURAL_FORMS.match(plural) and "INTEGER" not in plural:
        raise L10nError(f"malformed Plural-Forms header {plural!r}", name, line_of("Plural-Forms"))
    declared = catalog.metadata.get("Language", "").strip()
    if lang and declared:
        try:
            same = language(declared).code == lang.code
        except L10nError:
            same = False
        if not same:
            raise L10nError(
                f"header says Language: {declared}, but the file is in the {lang.code} folder",
                name,
                line_of("Language"),
            )


def _short(text: str, width: int = 50) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def po_files(paths: Iterable[Path]) -> list[Path]:
    """PO files named, or found under folders; each once, in a stable order."""
    found: dict[Path, Path] = {}
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.po") if p.is_file())
            if not files:
                raise L10nError("no .po files in this folder", path)
        elif path.is_file():
            files = [path]
        else:
            raise L10nError("no such file or folder", path)
        for file in files:
            found.setdefault(file.resolve(), file)
    return list(found.values())


def catalog_language(catalog: polib.POFile, path: Path) -> str:
    """A catalog's language: its `Language:` header, or else its folder (`ur/x.po`)."""
    declared = catalog.metadata.get("Language", "").strip() or path.parent.name
    try:
        return language(declared).code
    except L10nError:
        return declared


# --------------------------------------------------------------------------- states


def has_translation(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


@dataclass
class Counts:
    """Entries of a catalog by review state."""

    untranslated: int = 0
    draft: int = 0
    translated: int = 0
    reviewed: int = 0
    obsolete: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.reviewed + self.draft + self.untranslated


def count_states(catalog: polib.POFile) -> Counts:
    counts = Counts()
    for entry in catalog:
        name = "obsolete" if entry.obsolete else str(state(entry))
        setattr(counts, name, getattr(counts, name) + 1)
    return counts


# --------------------------------------------------------------------------- templates


def build_template(
    project: str, doc_id: str, occurrences: Iterable[tuple[str, Segment]]
) -> polib.POFile:
    """The POT of one document: one entry per distinct msgid, in source order."""
    template = polib.POFile(wrapwidth=WRAP_WIDTH)
    template.header = f"Translation template for {doc_id} ({project}). Generated by l10n extract."
    template.metadata = {
        "Project-Id-Version": f"{project} {doc_id}",
        "Report-Msgid-Bugs-To": "",
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": f"l10n {__version__}",
    }
    entries: dict[str, polib.POEntry] = {}
    kinds: dict[str, list[str]] = {}
    for path, segment in occurrences:
        entry = entries.get(segment.msgid)
        if entry is None:
            entry = polib.POEntry(msgid=segment.msgid, msgstr="")
            entries[segment.msgid] = entry
            kinds[segment.msgid] = []
            template.append(entry)
        entry.occurrences.append((path, str(segment.line)))
        if segment.kind not in kinds[segment.msgid]:
            kinds[segment.msgid].append(segment.kind)
    for msgid, entry in entries.items():
        entry.comment = "; ".join(kinds[msgid])
    return template


def entry_kinds(entry: polib.POEntry) -> list[str]:
    """The block kinds of an entry, as `build_template` writes them: the first `#.` line,
    "; "-separated (a msgid used in two places has two), glossary hints below it."""
    first = (entry.comment or "").split("\n")[0]
    return [kind.strip() for kind in first.split("; ") if kind.strip()]


def render_catalog(catalog: polib.POFile) -> str:
    text = str(catalog)
    return text if text.endswith("\n") else text + "\n"


def save_catalog(catalog: polib.POFile, path: Path) -> bool:
    """Atomic write; returns whether the file changed."""
    return write_text_atomic(path, render_catalog(catalog))


# --------------------------------------------------------------------------- merging


@dataclass
class MergeReport:
    """What `update` did to one catalog; lists hold msgids."""

    created: bool = False
    added: list[str] = field(default_factory=list)
    fuzzy_matched: list[str] = field(default_factory=list)
    revived: list[str] = field(default_factory=list)
    obsoleted: list[str] = field(default_factory=list)


def new_catalog_header(lang: Language, project: str, doc_id: str) -> dict[str, str]:
    created = datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")
    return {
        "Project-Id-Version": f"{project} {doc_id}",
        "Report-Msgid-Bugs-To": "",
        "PO-Revision-Date": created,
        "Last-Translator": "",
        "Language-Team": f"{lang.english_name} ({lang.native_name})",
        "Language": lang.code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": lang.plural_forms,
        "X-Generator": f"l10n {__version__}",
    }


def restore_language(catalog: polib.POFile, lang: Language) -> bool:
    """Put back a `Language:` header another tool blanked or left out; returns whether it did."""
    if catalog.metadata.get("Language", "").strip():
        return False
    catalog.metadata["Language"] = lang.code
    return True


def touch_header(catalog: polib.POFile, lang: Language, translator: str | None = None) -> None:
    """What PO editors do on a save: `PO-Revision-Date` is now, `Last-Translator` who edited."""
    catalog.metadata["PO-Revision-Date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")
    if translator:
        catalog.metadata["Last-Translator"] = translator
    restore_language(catalog, lang)


def merge(
    template: polib.POFile,
    existing: polib.POFile | None,
    lang: Language,
    project: str,
    doc_id: str,
    fuzzy_threshold: float = FUZZY_THRESHOLD,
    annotate: Callable[[str], list[str]] | None = None,
) -> tuple[polib.POFile, MergeReport]:
    """Bring a language's catalog in line with the template without losing a translation.

    Same msgid: everything the translator wrote is kept, only source references
    and extracted comments follow the template.  New msgid: the translation of
    the most similar vanished or obsolete msgid is offered as fuzzy, with the
    old msgid kept as `#|`.  Vanished msgids with a translation become obsolete
    (`#~`), never deleted.  `annotate` adds extracted-comment lines for a
    msgid (the glossary's hints); they are recomputed on every merge, so they
    follow the glossary and are never duplicated.
    """
    report = MergeReport(created=existing is None)
    merged = polib.POFile(wrapwidth=WRAP_WIDTH)
    merged.metadata = (
        dict(existing.metadata) if existing else new_catalog_header(lang, project, doc_id)
    )
    merged.header = f"{lang.english_name} translation of {doc_id} ({project})."
    if existing is not None:
        restore_language(merged, lang)
        merged.metadata.setdefault("Plural-Forms", lang.plural_forms)
        merged.header = existing.header
    old_active = {(e.msgctxt, e.msgid): e for e in existing or [] if not e.obsolete}
    old_obsolete = {(e.msgctxt, e.msgid): e for e in existing or [] if e.obsolete}
    wanted = {(e.msgctxt, e.msgid) for e in template}
    vanished = [e for k, e in old_active.items() if k not in wanted and has_translation(e)]
    candidates = vanished + [e for k, e in old_obsolete.items() if k not in wanted]
    candidates = [e for e in candidates if has_translation(e)]
    revived: set[tuple[str | None, str]] = set()

    for source in template:
        key = (source.msgctxt, source.msgid)
        if key in old_active:
            entry = _copy(old_active[key])
        elif key in old_obsolete:
            entry = _copy(old_obsolete[key])
            entry.obsolete = False
            revived.add(key)
            report.revived.append(source.msgid)
        else:
            entry = polib.POEntry(msgid=source.msgid, msgctxt=source.msgctxt, msgstr="")
            match = _closest(source.msgid, candidates, fuzzy_threshold)
            if match is not None:
                entry.msgstr = match.msgstr
                entry.tcomment = match.tcomment
                entry.flags = list(match.flags)
                set_fuzzy(entry)
                entry.previous_msgid = match.msgid
                report.fuzzy_matched.append(source.msgid)
            else:
                report.added.append(source.msgid)
        drop_stale_reviews(entry)
        entry.occurrences = list(source.occurrences)
        extra = annotate(source.msgid) if annotate else []
        entry.comment = "\n".join([source.comment, *extra] if source.comment else extra)
        merged.append(entry)

    obsolete = {k: _copy(e) for k, e in old_obsolete.items() if k not in revived}
    for key, entry in old_active.items():
        if key not in wanted and has_translation(entry):
            gone = _copy(entry)  # newer than an obsolete twin, so it replaces it
            gone.obsolete = True
            gone.occurrences = []
            obsolete[key] = gone
            report.obsoleted.append(entry.msgid)
    for entry in obsolete.values():
        merged.append(entry)
    return merged, report


def _copy(entry: polib.POEntry) -> polib.POEntry:
    clone = polib.POEntry(
        msgid=entry.msgid,
        msgstr=entry.msgstr,
        msgid_plural=entry.msgid_plural,
        msgstr_plural=dict(entry.msgstr_plural),
        msgctxt=entry.msgctxt,
        comment=entry.comment,
        tcomment=entry.tcomment,
        occurrences=list(entry.occurrences),
        flags=list(entry.flags),
        previous_msgctxt=entry.previous_msgctxt,
        previous_msgid=entry.previous_msgid,
        previous_msgid_plural=entry.previous_msgid_plural,
        obsolete=entry.obsolete,
    )
    clone.linenum = entry.linenum
    return clone


def _closest(
    msgid: str, candidates: Sequence[polib.POEntry], threshold: float
) -> polib.POEntry | None:
    if not candidates:
        return None
    found = process.extractOne(
        msgid, [c.msgid for c in candidates], scorer=fuzz.ratio, score_cutoff=threshold
    )
    return candidates[found[2]] if found else None
