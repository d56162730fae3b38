"""Which text each segment of a document gets in a localized edition.

The policy decides what unfinished entries become: by default the source text
stands in for untranslated entries and drafts (fuzzy) are left out; `drafts`
uses them; `strict` refuses to publish anything unfinished.  A translation that
would break the document's structure is never published as is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import polib

from ..document import Document, render_document, structure_problem
from ..errors import L10nError
from ..review import State, state


class Policy(StrEnum):
    DEFAULT = "default"
    DRAFTS = "drafts"
    STRICT = "strict"


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


@dataclass
class Edition:
    """The text of one document in one language, and how it was put together."""

    text: str
    translated: int = 0
    drafts: int = 0
    source_fallback: int = 0
    problems: list[Problem] = field(default_factory=list)


def build_edition(
    doc: Document, catalog: polib.POFile, catalog_label: str, policy: Policy = Policy.DEFAULT
) -> Edition:
    """Render the document through the catalog under the policy."""
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
    unfinished: list[Problem] = []
    chosen: dict[int, str | None] = {}  # by segment start
    for seg in doc.segments:
        entry = entries[seg.msgid]
        current = state(entry)
        finished = current in (State.TRANSLATED, State.REVIEWED)
        text: str | None = None
        if finished or (current is State.DRAFT and policy is Policy.DRAFTS):
            text = entry.msgstr
        elif policy is Policy.STRICT:
            why = "draft (fuzzy)" if current is State.DRAFT else "untranslated"
            unfinished.append(Problem(catalog_label, entry.linenum, seg.msgid, why))
        if text is not None:
            problem = structure_problem(seg, text)
            if problem:
                edition.problems.append(
                    Problem(catalog_label, entry.linenum, seg.msgid, f"not published: {problem}")
                )
                text = None
        if text is None:
            edition.source_fallback += 1
        elif finished:
            edition.translated += 1
        else:
            edition.drafts += 1
        chosen[seg.start] = text
    if policy is Policy.STRICT and (unfinished or edition.problems):
        raise IncompleteEdition(unfinished + edition.problems)
    edition.text = render_document(doc, lambda seg: chosen[seg.start])
    return edition
