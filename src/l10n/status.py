"""`l10n status`: how far each catalog is, in entries and source words, by review state.

States are `review.state`'s.  The counts are meant to agree with
`msgfmt --statistics` (its "translated" = our translated + reviewed, its
"fuzzy" = our draft), so a team can check our numbers with gettext itself:
the header entry (msgid "" without msgctxt, fuzzy or not) and obsolete `#~`
entries are not counted, and a fuzzy entry with an empty translation is
untranslated.  One case differs on purpose: a plural entry with an empty form
is untranslated for us, while msgfmt only looks at `msgstr[0]`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polib

from .catalog import (
    LooseCatalog,
    from_markdown,
    language_named,
    markdown_catalog,
    plural_forms,
    read_loose,
)
from .errors import L10nError
from .languages import language
from .review import STATES, State, state

if TYPE_CHECKING:  # loose files need no project: it loads only for `project_status`
    from .glossary import Glossary
    from .project import Project

#: The check errors of a catalog in a language, or None when it cannot be checked;
#: `check_error_counter` makes one from `l10n check`, tests pass their own.
ErrorCounter = Callable[[polib.POFile, str], int | None]

_DONE = (State.TRANSLATED, State.REVIEWED)


def count_words(text: str) -> int:
    """Source words: whitespace-separated tokens once link destinations and footnotes go.

    A link keeps its text but loses `](url "title")`, and a footnote reference
    `[^3]` disappears: translators copy those, they do not translate them.
    Punctuation and Markdown markers stay attached to their words, so
    `*Trade statistics*,` is two words.  Markup is `inline`'s reading, the one
    the checks and placeholders use: a `[^3]` inside a code span is code.
    """
    if not _LINK_MARKUP.search(text):  # most strings of most catalogs: no parse needed
        return len(text.split())
    from .inline import read_inline  # loads markdown-it: only for text that may need it

    return len(read_inline(text).without(("link", "image", "footnote")).split())


#: What a link, image or footnote reference needs (brackets or `<…>`), or what
#: could hide one (a code span, an escape); text without any of them has none.
_LINK_MARKUP = re.compile(r"[\[\]<`\\]")


def _zeros() -> dict[State, int]:
    return dict.fromkeys(STATES, 0)


def _percent(part: int, whole: int) -> float:
    """Rounded down to a tenth, so 100.0 only ever means complete; an empty catalog is."""
    return 100.0 if whole == 0 else (1000 * part // whole) / 10


@dataclass
class CatalogStatus:
    """One catalog's progress; `entries` and `words` hold every state, zero when unused.

    `words` counts the words of each entry's msgid (not msgid_plural).  A
    `missing` catalog has not been created yet: no counts, no percentages.
    """

    doc: str
    lang: str
    path: str
    entries: dict[State, int] = field(default_factory=_zeros)
    words: dict[State, int] = field(default_factory=_zeros)
    obsolete: int = 0
    check_errors: int | None = None
    missing: bool = False

    @property
    def total(self) -> int:
        return sum(self.entries.values())

    @property
    def total_words(self) -> int:
        return sum(self.words.values())

    @property
    def done(self) -> int:
        """Translated or reviewed entries: what msgfmt calls translated."""
        return sum(self.entries[s] for s in _DONE)

    @property
    def percent_translated(self) -> float | None:
        return None if self.missing else _percent(self.done, self.total)

    @property
    def percent_reviewed(self) -> float | None:
        return None if self.missing else _percent(self.entries[State.REVIEWED], self.total)

    def as_dict(self) -> dict[str, object]:
        """The JSON object of `status_json` (its docstring lists the keys)."""

        def by_state(counts: dict[State, int], total: int) -> dict[str, int] | None:
            return (
                None if self.missing else {"total": total, **{s.value: counts[s] for s in STATES}}
            )

        return {
            "document": self.doc,
            "language": self.lang,
            "path": self.path,
            "missing": self.missing,
            "entries": by_state(self.entries, self.total),
            "words": by_state(self.words, self.total_words),
            "obsolete": None if self.missing else self.obsolete,
            "percent_translated": self.percent_translated,
            "percent_reviewed": self.percent_reviewed,
            "check_errors": self.check_errors,
        }


def catalog_status(
    catalog: polib.POFile,
    label: str,
    doc: str,
    lang: str,
    *,
    count_errors: ErrorCounter | None = None,
) -> CatalogStatus:
    """Count a catalog's entries and source words by state; obsolete entries apart.

    The header is never among a polib catalog's entries, so it is not counted.
    """
    status = CatalogStatus(doc, lang, label)
    markdown = markdown_catalog(catalog)
    for entry in catalog:
        if entry.obsolete:
            status.obsolete += 1
            continue
        current = state(entry)
        status.entries[current] += 1
        if markdown or (markdown is None and from_markdown(entry)):
            status.words[current] += count_words(entry.msgid)
        else:  # another project's string: brackets and backticks are text, not Markdown
            status.words[current] += len(entry.msgid.split())
    if count_errors is not None:
        status.check_errors = count_errors(catalog, lang)
    return status


def check_error_counter(glossary: Glossary) -> ErrorCounter:
    """`l10n check`'s error findings in a catalog; warnings are not counted.

    The checks are imported only here: counting entries needs none of them,
    so `l10n status` without `--checks` never loads them.  A catalog in a
    language the project cannot name is not checked: its column shows "–".
    """
    from .checks import check_entry

    def count(catalog: polib.POFile, code: str) -> int | None:
        try:
            lang = language(code)
        except L10nError:
            return None
        rule, markdown = plural_forms(catalog), markdown_catalog(catalog)
        return sum(
            1
            for entry in catalog
            for finding in check_entry(entry, lang, glossary, None, rule, markdown)
            if finding.severity == "error"
        )

    return count


# --------------------------------------------------------------------------- sources


def project_status(
    project: Project,
    languages: Sequence[str] | None = None,
    count_errors: ErrorCounter | None = None,
) -> list[CatalogStatus]:
    """Every document × language of the project; a catalog not created yet is `missing`.

    Every catalog is read (strictly) before anything is reported, so a
    malformed one stops the command with its file and line.
    """
    from .project import Missing

    statuses = []
    for found in project.catalogs(languages, Missing.INCLUDE):
        doc, code = found.doc.doc_id, found.lang.code
        if not found.exists:
            statuses.append(CatalogStatus(doc, code, found.label, missing=True))
            continue
        status = catalog_status(found.read(), found.label, doc, code, count_errors=count_errors)
        statuses.append(status)
    return statuses


def paths_status(
    paths: Sequence[Path],
    languages: Sequence[str] | None = None,
    count_errors: ErrorCounter | None = None,
) -> list[CatalogStatus]:
    """PO files, or folders searched for *.po, from any project; the first bad file raises.

    The document is the file name without `.po`; the language is
    `catalog.loose_language`'s (header, file name, folder).  `languages` keeps
    only catalogs in those languages.  `l10n status FILES` reads with
    `read_loose` and `loose_status` instead, so one bad file fails alone.
    """
    loose = read_loose(paths)
    loose.raise_first()
    wanted = {language(c).code for c in languages} if languages else None
    kept = [c for c in loose.read if wanted is None or c.lang.code in wanted]
    return loose_status(kept, count_errors)


def loose_status(
    catalogs: Iterable[LooseCatalog], count_errors: ErrorCounter | None = None
) -> list[CatalogStatus]:
    """The status of catalogs `catalog.read_loose` has read, in their order."""
    return [
        catalog_status(
            c.catalog, c.label, loose_document(c.path), c.lang.code, count_errors=count_errors
        )
        for c in catalogs
    ]


#: Folders that hold catalogs rather than name a document: `po/`, `locale/fa/LC_MESSAGES/`.
_CATALOG_FOLDERS = frozenset({"po", "LC_MESSAGES", "locale", "locales", "languages", "i18n"})


def loose_document(path: Path) -> str:
    """The document a loose catalog translates: its file name without a language code
    it ends with (`theme-fa.po` → theme, `app.ur-PK.po` → app), or, for a file named
    only after its language (`po/ps.po`), the nearest folder that is not a catalog
    folder or a language (`archive-tool/po/ps.po` → archive-tool)."""
    stem = path.name.removesuffix(".po")
    for parts in (1, 2):  # `-fa`, `.ur`; `-ur-PK`
        pieces = re.split(r"([.-])", stem)
        base, code = "".join(pieces[: -2 * parts]), "".join(pieces[-2 * parts + 1 :])
        if base and language_named(code) is not None:
            return base
    if language_named(stem) is None:
        return stem
    for folder in path.resolve().parents:
        name = folder.name
        if name and name not in _CATALOG_FOLDERS and language_named(name) is None:
            return name
    return stem


# --------------------------------------------------------------------------- gates


@dataclass(frozen=True)
class Shortfall:
    """A catalog below a publishing threshold; `percent` is None for a missing catalog."""

    status: CatalogStatus
    measure: str  # "translated" or "reviewed"
    percent: float | None
    threshold: float

    def __str__(self) -> str:
        have = "missing (run `l10n update`)" if self.percent is None else f"{self.percent:g}%"
        return f"{self.status.path}: {have} {self.measure}, below the required {self.threshold:g}%"


def below_thresholds(
    statuses: Iterable[CatalogStatus],
    min_translated: float | None = None,
    min_reviewed: float | None = None,
) -> list[Shortfall]:
    """The catalogs under `--min-translated` / `--min-reviewed` (percent of entries).

    Compared exactly on the counts, so 99.95% never passes a 100% gate; a
    missing catalog is at 0%.
    """
    shortfalls = []
    for status in statuses:
        for measure, threshold, have in (
            ("translated", min_translated, status.done),
            ("reviewed", min_reviewed, status.entries[State.REVIEWED]),
        ):
            if threshold is None:
                continue
            if status.missing:
                short = threshold > 0
                percent = None
            else:
                short = have * 100 < threshold * status.total
                percent = _percent(have, status.total)
            if short:
                shortfalls.append(Shortfall(status, measure, percent, threshold))
    return shortfalls


# --------------------------------------------------------------------------- output


def status_json(statuses: Iterable[CatalogStatus]) -> str:
    """A JSON list, one object per catalog, always with these keys.

    - `document`, `language`, `path`: strings (`path` as given or relative to the project)
    - `missing`: true when the catalog does not exist yet (`l10n update` creates it);
      then `entries`, `words` and `obsolete` are null and the percentages too
    - `entries`, `words`: objects with `total`, `untranslated`, `draft`, `translated`,
      `reviewed`; `translated` excludes reviewed entries, words are the msgids' words
    - `obsolete`: the number of `#~` entries, which no other count includes
    - `percent_translated` (translated + reviewed) and `percent_reviewed`: percent of
      entries, rounded down to a tenth; 100.0 for a catalog without entries
    - `check_errors`: a number, or null when no check ran
    """
    data = [s.as_dict() for s in statuses]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
