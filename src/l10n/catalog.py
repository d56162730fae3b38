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
from typing import TYPE_CHECKING

import polib

from . import __version__
from .comments import drop_stale_reviews, set_fuzzy
from .errors import L10nError
from .files import read_text, write_text_atomic
from .languages import Language, language
from .pofile import entry_line, parse_po
from .review import state
from .settings import FUZZY_THRESHOLD

if TYPE_CHECKING:  # reading catalogs needs no Markdown parser; templates are built elsewhere
    from .document import Segment

#: Catalogs are written unwrapped: one line per string, so a changed paragraph is a
#: one-line diff for reviewers, and writing 5 MB catalogs takes 0.3 s instead of 2 s.
#: Lines still break after each "\n" inside a string, as gettext does.
WRAP_WIDTH = 0

# --------------------------------------------------------------------------- reading

#: msgfmt looks for `nplurals=` and `plural=` anywhere in the Plural-Forms value, so
#: `Plural-Forms: Plural-Forms: nplurals=2; …` (written by some tools, found in GNOME,
#: Xfce and LXDE catalogs) is read; so is the `nplurals=INTEGER` of an unfilled template.
_NPLURALS = re.compile(r"\bnplurals\s*=\s*(\d+|INTEGER)\b")
_PLURAL = re.compile(r"\bplural\s*=\s*([^;]*[^;\s])")


def read_catalog(
    path: Path, label: str | None = None, lang: Language | None = None
) -> polib.POFile:
    """A PO/POT file, checked: syntax, duplicate entries, and its header."""
    name = label or str(path)
    return parse_catalog(read_text(path, name), name, lang)


def parse_catalog(
    text: str, label: str, lang: Language | None = None, decoded: bool = False
) -> polib.POFile:
    """Catalog text from anywhere (a file, a git revision), checked as `read_catalog` does.

    `decoded`: the text was decoded from the charset its header declares (a
    loose file), so any charset is fine; otherwise catalogs are UTF-8.
    """
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
    _check_header(catalog, text, label, lang, decoded)
    return catalog


def _header_line(text: str, field_name: str) -> int:
    """The line of a header field (1 when it is not found), for messages."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith(f'"{field_name}:'):
            return number
    return 1


def _check_header(
    catalog: polib.POFile, text: str, name: str, lang: Language | None, decoded: bool = False
) -> None:
    def line_of(field_name: str) -> int:
        return _header_line(text, field_name)

    content_type = catalog.metadata.get("Content-Type", "")
    charset = re.search(r"charset=([\w-]+)", content_type)
    if charset and not decoded and charset.group(1).upper() not in ("UTF-8", "CHARSET"):
        raise L10nError(
            f"header declares charset {charset.group(1)}; catalogs must be UTF-8",
            name,
            line_of("Content-Type"),
        )
    plural = catalog.metadata.get("Plural-Forms", "").strip()
    if plural and not (_NPLURALS.search(plural) and _PLURAL.search(plural)):
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
        for file in _po_files_at(path):
            found.setdefault(file.resolve(), file)
    return list(found.values())


def _po_files_at(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.po") if p.is_file())
        if not files:
            raise L10nError("no .po files in this folder", path)
        return files
    if path.is_file():
        return [path]
    raise L10nError("no such file or folder", path)


@dataclass(frozen=True)
class LooseCatalog:
    """A PO file from anywhere (another project, Weblate, a laptop), read, in its language.

    `warnings` name what gettext reads but a careful tool would point out
    (`file:line: message`); they never stop anything.
    """

    path: Path
    label: str
    lang: Language
    catalog: polib.POFile = field(repr=False, compare=False)
    warnings: tuple[str, ...] = ()


@dataclass
class LooseCatalogs:
    """Loose PO files as read: the good ones, and one error (naming the file) per bad one."""

    read: list[LooseCatalog] = field(default_factory=list)
    failed: list[L10nError] = field(default_factory=list)

    def raise_first(self) -> None:
        """For callers that take one bad file as the end of the command."""
        if self.failed:
            raise self.failed[0]


def read_loose(
    paths: Iterable[Path], languages: str | Sequence[str] | None = None
) -> LooseCatalogs:
    """Every PO file named or found under the folders named; a bad one fails alone.

    Each file is read as gettext reads it (`parse_catalog`); its language is
    the one `languages` names (the user's `--lang`: one language, perhaps by
    two of its names) or else `loose_language`'s.  A path that does not exist,
    a malformed file, a file in no known language: one error each, and the
    other files are still read.
    """
    result = LooseCatalogs()
    named = [languages] if isinstance(languages, str) else list(languages or ())
    if len({language(code).code for code in named}) > 1:
        raise L10nError("with PO files named, --lang gives their one language")
    forced = language(named[0]) if named else None
    seen: set[Path] = set()
    for path in paths:
        try:
            files = _po_files_at(path)
        except L10nError as exc:
            result.failed.append(exc)
            continue
        for file in files:
            if file.resolve() in seen:
                continue
            seen.add(file.resolve())
            try:
                result.read.append(_read_loose_file(file, forced))
            except L10nError as exc:
                result.failed.append(exc)
    return result


def _read_loose_file(path: Path, forced: Language | None) -> LooseCatalog:
    label = str(path)
    text, charset = _loose_text(path, label)
    catalog = parse_catalog(text, label, decoded=charset is not None)
    found = forced or loose_language(catalog, path, label)
    plural = catalog.metadata.get("Plural-Forms", "")
    warnings = []
    if charset:
        warnings.append(f"{label}: read as {charset}, as its header declares (not UTF-8)")
    if plural.lstrip().startswith("Plural-Forms:"):
        line = _header_line(text, "Plural-Forms")
        warnings.append(
            f"{label}:{line}: the Plural-Forms header repeats its name; read as gettext reads it"
        )
    return LooseCatalog(path, label, found, catalog, tuple(warnings))


#: A header's charset, found in the raw bytes before they can be decoded.
_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")


def _loose_text(path: Path, label: str) -> tuple[str, str | None]:
    """A loose file's text, and the charset it was decoded from when that is not UTF-8.

    msgfmt reads a catalog in the charset its header declares (old Persian and
    Urdu catalogs are in windows-1256); so does this.  Bytes that are not in
    that charset, or not UTF-8 when the header names none, get `read_text`'s
    error, with line and column.
    """
    charset = _declared_charset(path)
    if charset is None:
        return read_text(path, label), None
    try:
        return path.read_bytes().decode(charset), charset
    except (LookupError, UnicodeDecodeError):
        return read_text(path, label), None  # UTF-8 after all, or its error says where


def _declared_charset(path: Path) -> str | None:
    """The charset a file's header declares, unless it is UTF-8 (or msginit's `CHARSET`)."""
    try:
        with path.open("rb") as file:
            found = _CHARSET.search(file.read(8192))
    except OSError:
        return None  # `read_text` says why, with the file's name
    name = found.group(1).decode("ascii") if found else None
    return None if name is None or name.upper() in ("UTF-8", "UTF8", "CHARSET") else name


def plural_forms(catalog: polib.POFile) -> str | None:
    """The catalog's plural rule as gettext reads it (`nplurals=2; plural=n != 1;`).

    None when the header has none, or only the template's `nplurals=INTEGER`.
    """
    value = catalog.metadata.get("Plural-Forms", "")
    count, rule = _NPLURALS.search(value), _PLURAL.search(value)
    if not count or not rule or not count.group(1).isdigit():
        return None
    return f"nplurals={count.group(1)}; plural={rule.group(1)};"


#: A language code as file names carry it: `ps`, `ur_PK`, `ur-PK`, `fa_IR`, `prs`.
_CODE = re.compile(r"^[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?$")


def language_named(name: str) -> Language | None:
    """The language a file or folder name stands for when it is a language code."""
    if not _CODE.match(name):
        return None
    try:
        return language(name)
    except L10nError:
        return None


def _language_candidates(catalog: polib.POFile, path: Path) -> list[tuple[str, str]]:
    """Where a loose catalog may say its language, most trusted first: (code, from where).

    The `Language:` header; the file name (`ps.po`, `ur-PK.po`, `app-fa.po`,
    `app.fa.po`); the folder (`ur/x.po`, `ur/LC_MESSAGES/x.po`).
    """
    found = []
    declared = catalog.metadata.get("Language", "").strip()
    if declared:
        found.append((declared, "its Language header"))
    stem = path.name.removesuffix(".po")
    names = [stem, *reversed(re.split(r"[.-]", stem)[1:])]
    parts = stem.split("-")
    if len(parts) > 2:
        names.insert(1, "-".join(parts[-2:]))  # app-ur-PK
    found += [(name, "its file name") for name in names if _CODE.match(name)]
    folder = path.resolve().parent
    if folder.name == "LC_MESSAGES":
        folder = folder.parent
    if _CODE.match(folder.name):
        found.append((folder.name, "its folder"))
    return found


def loose_language(catalog: polib.POFile, path: Path, label: str | None = None) -> Language:
    """The language of a PO file from anywhere; L10nError naming the file if none is known."""
    candidates = _language_candidates(catalog, path)
    for code, _ in candidates:
        try:
            return language(code)
        except L10nError:
            continue
    tried = "; ".join(f"{code!r} from {where}" for code, where in candidates)
    why = (
        f"no known language ({tried})"
        if tried
        else "no Language header, and no language code in its name or folder"
    )
    raise L10nError(f"{why}; name it with --lang", label or path)


def catalog_language(catalog: polib.POFile, path: Path) -> str:
    """A catalog's language code as `loose_language` finds it; else what its header says."""
    try:
        return loose_language(catalog, path).code
    except L10nError:
        return catalog.metadata.get("Language", "").strip() or path.parent.name


# --------------------------------------------------------------------------- states


_MARKDOWN_FILES = (".md", ".markdown", ".mdown", ".mkd")


def from_markdown(entry: polib.POEntry) -> bool:
    """Whether an entry comes from a Markdown document (l10n's own catalogs say where)."""
    return not entry.occurrences or any(
        path.lower().endswith(_MARKDOWN_FILES) for path, _ in entry.occurrences
    )


def markdown_catalog(catalog: polib.POFile) -> bool | None:
    """Whether a catalog holds Markdown: True if l10n wrote it; None if each entry's
    references say (`from_markdown`); False if it has none at all.

    A catalog stripped of its references (compiled and decompiled, or exported
    without them) is taken for another project's.
    """
    if catalog.metadata.get("X-Generator", "").startswith("l10n"):
        return True
    return None if any(entry.occurrences for entry in catalog) else False


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


def save_edited(
    catalog: polib.POFile, path: Path, lang: Language, translator: str | None = None
) -> bool:
    """Save a catalog l10n edited: if an entry changed, the header says when (and who)
    first, as a PO editor's save does; returns whether the file changed."""
    if path.is_file() and path.read_text("utf-8") == render_catalog(catalog):
        return False
    touch_header(catalog, lang, translator)
    return save_catalog(catalog, path)


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
    from rapidfuzz import fuzz, process  # only merging needs it; status and check do not

    found = process.extractOne(
        msgid, [c.msgid for c in candidates], scorer=fuzz.ratio, score_cutoff=threshold
    )
    return candidates[found[2]] if found else None
