"""Which text each segment of a document gets in a localized edition, decided in one pass.

The policy decides what unfinished entries become: by default the source text
stands in for untranslated entries and drafts (fuzzy) are left out; `drafts`
uses them; `strict` refuses to publish anything that is not a reviewed
translation.  A translation that would break the document's structure is never
published as is.  The same pass counts what the edition holds, which the
edition prints as its status (a draft banner unless everything is reviewed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import polib

from ..comments import is_machine_draft, is_unconfirmed_memory_fill
from ..document import Document, render_document, structure_problem
from ..errors import L10nError
from ..pofile import entry_line
from ..review import State, state


class Policy(StrEnum):
    DEFAULT = "default"
    DRAFTS = "drafts"
    STRICT = "strict"

    @classmethod
    def choose(cls, drafts: bool = False, strict: bool = False) -> Policy:
        """`--strict` wins over `--drafts` (or `[publish] drafts = true`)."""
        if strict:
            return cls.STRICT
        return cls.DRAFTS if drafts else cls.DEFAULT


@dataclass
class Problem:
    """An entry that could not be published as written, located in its catalog."""

    catalog: str
    line: int
    msgid: str
    message: str

    def __str__(self) -> str:
        short = self.msgid if len(self.msgid) <= 60 else self.msgid[:59] + "…"
        return f"{self.catalog}:{self.line}: {self.message}: {short!r}"


class IncompleteEdition(L10nError):
    """`strict` publishing found unfinished or broken entries (exit code 1)."""

    def __init__(self, problems: list[Problem]):
        lines = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"not publishing: {len(problems)} entries are not finished\n{lines}{more}")
        self.problems = problems


class Origin(StrEnum):
    """Who wrote a draft, as its catalog comments say (`comments`): what the banner names."""

    MACHINE = "machine"  # an engine's draft nobody has edited since
    MEMORY = "memory"  # a translation-memory match not yet confirmed
    TRANSLATORS = "translators"  # written or edited by people


def origin(entry: polib.POEntry) -> Origin:
    if is_unconfirmed_memory_fill(entry):
        return Origin.MEMORY
    return Origin.MACHINE if is_machine_draft(entry) else Origin.TRANSLATORS


@dataclass(frozen=True)
class EditionStatus:
    """What a reader may trust: the catalog's entries counted by what the edition printed.

    Entries, not blocks, are counted (a block repeated in the document is one
    entry), so the numbers are those of `l10n status`.  `translated` counts
    every finished translation, reviewed or not; `reviewed` is the part of it
    that a reviewer approved; `drafts` were printed and split by who wrote
    them (`machine`, `memory`, the rest by translators); `untranslated`
    entries were printed in the source language, `held_back` of them drafts
    that the policy left out.  An edition is final when every entry is a
    reviewed translation; the source itself always is.
    """

    translated: int = 0
    reviewed: int = 0
    drafts: int = 0  # unreviewed drafts, printed with --drafts
    untranslated: int = 0  # printed in the source language
    original: bool = False
    machine: int = 0  # of the drafts: machine translations
    memory: int = 0  # of the drafts: translation-memory matches
    held_back: int = 0  # of the untranslated: drafts the policy did not print

    @property
    def total(self) -> int:
        return self.translated + self.drafts + self.untranslated

    @property
    def by_translators(self) -> int:
        return self.drafts - self.machine - self.memory

    @property
    def unreviewed(self) -> int:
        return self.translated - self.reviewed

    @property
    def is_final(self) -> bool:
        return self.original or (
            self.drafts == 0 and self.untranslated == 0 and self.reviewed == self.translated
        )


@dataclass
class Edition:
    """The text of one document in one language, and how it was put together."""

    text: str
    translated: int = 0  # finished translations printed (reviewed ones included)
    reviewed: int = 0
    drafts: int = 0
    source_fallback: int = 0  # entries printed in the source language
    problems: list[Problem] = field(default_factory=list)  # translations refused as broken
    original: bool = False  # the source itself
    origins: dict[Origin, int] = field(default_factory=dict)  # printed drafts by who wrote them
    held_back: int = 0  # drafts not printed under the policy

    @property
    def status(self) -> EditionStatus:
        return EditionStatus(
            self.translated,
            self.reviewed,
            self.drafts,
            self.source_fallback,
            self.original,
            machine=self.origins.get(Origin.MACHINE, 0),
            memory=self.origins.get(Origin.MEMORY, 0),
            held_back=self.held_back,
        )

    @classmethod
    def of_source(cls, doc: Document) -> Edition:
        return cls(text=doc.source, original=True)


_NOT_REVIEWED = {
    State.UNTRANSLATED: "untranslated",
    State.DRAFT: "draft (fuzzy)",
    State.TRANSLATED: "translated, not reviewed",
}


def build_edition(
    doc: Document, catalog: polib.POFile, catalog_label: str, policy: Policy = Policy.DEFAULT
) -> Edition:
    """Render the document through the catalog under the policy, counting as it goes.

    Under `strict`, every segment must be a reviewed translation that fits
    its block; otherwise IncompleteEdition lists each entry that is not.
    """
    entries = {e.msgid: e for e in catalog if not e.obsolete and e.msgctxt is None}
    stale = [seg for seg in doc.segments if seg.msgid not in entries]
    if stale:
        first = stale[0]
        raise L10nError(
            f"catalog does not match {doc.path}: {len(stale)} block(s) have no entry, first "
            f"at {doc.path}:{first.line}; run `l10n update`",
            catalog_label,
        )
    edition = Edition(text="")
    unfinished: dict[str, Problem] = {}  # by msgid: an entry used twice is listed once
    chosen: dict[int, str | None] = {}  # by segment start
    counted: set[str] = set()  # an entry printed in two places counts once, as in `l10n status`
    for seg in doc.segments:
        entry = entries[seg.msgid]
        current = state(entry)
        finished = current in (State.TRANSLATED, State.REVIEWED)
        text: str | None = None
        if finished or (current is State.DRAFT and policy is Policy.DRAFTS):
            text = entry.msgstr
        if text is not None and (problem := structure_problem(seg, text)):
            edition.problems.append(
                Problem(catalog_label, entry_line(entry), seg.msgid, f"not published: {problem}")
            )
            text = None
        elif policy is Policy.STRICT and current is not State.REVIEWED:
            why = _NOT_REVIEWED[current]
            where = entry_line(entry)
            unfinished.setdefault(seg.msgid, Problem(catalog_label, where, seg.msgid, why))
        chosen[seg.start] = text
        if seg.msgid not in counted:
            counted.add(seg.msgid)
            _count(edition, entry, current, text)
    if policy is Policy.STRICT and (unfinished or edition.problems):
        raise IncompleteEdition([*unfinished.values(), *edition.problems])
    edition.text = render_document(doc, lambda seg: chosen[seg.start])
    return edition


def _count(edition: Edition, entry: polib.POEntry, current: State, printed: str | None) -> None:
    if printed is None:
        edition.source_fallback += 1
        edition.held_back += current is State.DRAFT
    elif current in (State.TRANSLATED, State.REVIEWED):
        edition.translated += 1
        edition.reviewed += current is State.REVIEWED
    else:
        edition.drafts += 1
        who = origin(entry)
        edition.origins[who] = edition.origins.get(who, 0) + 1
