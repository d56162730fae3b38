"""What the translator comments of a PO entry say: one parser, one writer.

gettext has one state of its own (`#, fuzzy`); everything else l10n records
about an entry travels in translator comments (`# …`), the one kind of
comment every PO tool keeps (msgmerge drops unknown flags and replaces `#.`
comments).  Each line is one of:

    # reviewed-by: NAME, 2026-11-29 (3f9a1c2e)           a review (fingerprint of the entry)
    # machine-draft: argos translate-en_ur 1.9, 2026-11-29 (0a1b2c3d)   who drafted it
    # machine-draft-problem: footnote reference [^3] was lost; copy it from the source
    # memory: 87% from other-brief                        a translation-memory fill
    # l10n-ignore: copied, latin-text                     checks the entry silences
    # anything else                                       the translator's own remark

`Notes.parse` reads a comment into typed lines once, in their order;
`Notes.text` writes them back.  Writers replace the lines of one kind and
append the new ones, so lines they do not own (a translator's remark, a
review) keep their place and a file round-trips byte for byte.

Other editors may fold a long stamp: polib's default `save()` (width 78) and
Babel's `write_po` wrap translator comments, breaking at spaces and after
hyphens.  A stamp ends with its date and fingerprint, so the reader knows
when it is whole: a `reviewed-by:`/`machine-draft:` line that does not end
so takes the following lines as its continuation (joined by a space, or by
nothing after a hyphen) until it does, and is then written back on one line
(l10n writes with no wrapping).  A stamp that cannot be made whole again, or
that another tool glued onto other text, is `Damaged`: it keeps its lines as
they are, counts for nothing, and the `stamps` check names it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar, TypeVar

import polib

_DAY = r"\d{4}-\d{2}-\d{2}"
_PRINT = r"[0-9a-f]{8}"


def entry_fingerprint(entry: polib.POEntry) -> str:
    """Eight hex digits that change whenever the source or the translation changes."""
    text = "\0".join(
        [entry.msgctxt or "", entry.msgid, entry.msgid_plural or "", entry.msgstr]
        + [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def text_fingerprint(msgstr: str) -> str:
    """Eight hex digits of a translation as drafted: once someone edits it, it is theirs."""
    return hashlib.sha256(msgstr.encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True)
class Review:
    """`reviewed-by:` a reviewer approved the entry as it was when `fingerprint` was taken."""

    name: str
    day: str
    fingerprint: str

    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        rf"^reviewed-by: (?P<name>.+?), (?P<day>{_DAY}) \((?P<print>{_PRINT})\)$"
    )
    KEYWORD: ClassVar[str] = "reviewed-by:"

    @classmethod
    def parse(cls, line: str) -> Review | None:
        m = cls.PATTERN.match(line)
        return cls(m["name"], m["day"], m["print"]) if m else None

    @classmethod
    def of(cls, entry: polib.POEntry, reviewer: str, day: date) -> Review:
        """A review of the entry as it is now; commas would end the name, so they go."""
        name = " ".join(reviewer.replace(",", " ").split())
        return cls(name, day.isoformat(), entry_fingerprint(entry))

    def holds_for(self, entry: polib.POEntry) -> bool:
        return self.fingerprint == entry_fingerprint(entry)

    def render(self) -> str:
        return f"reviewed-by: {self.name}, {self.day} ({self.fingerprint})"


@dataclass(frozen=True)
class Provenance:
    """`machine-draft:` what produced a draft (engine, model, version; or the memory), and when."""

    source: str
    day: str
    fingerprint: str  # of the msgstr as drafted

    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        rf"^machine-draft: (?P<source>.+), (?P<day>{_DAY}) \((?P<print>{_PRINT})\)$"
    )
    KEYWORD: ClassVar[str] = "machine-draft:"

    @classmethod
    def parse(cls, line: str) -> Provenance | None:
        m = cls.PATTERN.match(line)
        return cls(m["source"], m["day"], m["print"]) if m else None

    @classmethod
    def of(cls, source: str, msgstr: str, day: date) -> Provenance:
        return cls(source, day.isoformat(), text_fingerprint(msgstr))

    def untouched(self, msgstr: str) -> bool:
        """Whether the msgstr is still exactly what the machine wrote."""
        return self.fingerprint == text_fingerprint(msgstr)

    def render(self) -> str:
        return f"machine-draft: {self.source}, {self.day} ({self.fingerprint})"


@dataclass(frozen=True)
class Problem:
    """`machine-draft-problem:` what a translator must fix in a machine draft."""

    message: str

    PREFIX: ClassVar[str] = "machine-draft-problem: "

    @classmethod
    def parse(cls, line: str) -> Problem | None:
        return cls(line[len(cls.PREFIX) :]) if line.startswith(cls.PREFIX) else None

    def render(self) -> str:
        return self.PREFIX + self.message


@dataclass(frozen=True)
class MemoryFill:
    """`memory:` the msgstr came from the translation memory, not yet confirmed by anyone."""

    origin: str  # "87% from other-brief", "100% from sentences"

    PREFIX: ClassVar[str] = "memory: "

    @classmethod
    def parse(cls, line: str) -> MemoryFill | None:
        return cls(line[len(cls.PREFIX) :]) if line.startswith(cls.PREFIX) else None

    @classmethod
    def of(cls, score: float, doc: str) -> MemoryFill:
        return cls(f"{score:g}% from {doc}")

    def render(self) -> str:
        return self.PREFIX + self.origin


@dataclass(frozen=True)
class Ignore:
    """`l10n-ignore:` check ids the entry silences."""

    checks: tuple[str, ...]

    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"^l10n-ignore:\s*([\w\-, ]+)$")

    @classmethod
    def parse(cls, line: str) -> Ignore | None:
        m = cls.PATTERN.match(line)
        if not m:
            return None
        return cls(tuple(part.strip() for part in m.group(1).split(",") if part.strip()))

    def render(self) -> str:
        return "l10n-ignore: " + ", ".join(self.checks)


@dataclass(frozen=True)
class Remark:
    """Any other line: the translator's own, kept as written."""

    text: str

    @classmethod
    def parse(cls, line: str) -> Remark:
        return cls(line)

    def render(self) -> str:
        return self.text


@dataclass(frozen=True)
class Damaged:
    """A review or provenance stamp that cannot be read whole: it counts for nothing.

    `lines` are kept exactly as found, so the file is not changed by reading it;
    `line` is where the stamp starts, counted from the comment's first line (1).
    A new review replaces the broken line; the lines after it stay, as they may be
    the translator's.
    """

    kind: str  # the keyword, "reviewed-by:" or "machine-draft:"
    lines: tuple[str, ...]
    line: int = 1
    following: tuple[str, ...] = ()  # lines that may be its rest, left as remarks

    def render(self) -> str:
        return "\n".join(self.lines)

    @property
    def problem(self) -> str:
        what = "review" if self.kind == Review.KEYWORD else "provenance"
        text = " ".join(part.strip() for part in (*self.lines, *self.following))
        return (
            f"damaged {what} stamp in comment line {self.line}, not counted "
            f"(folded or re-wrapped by another tool and not whole again): {text!r}"
        )


Line = Review | Provenance | Problem | MemoryFill | Ignore | Remark | Damaged
#: Tried in order on each line (stripped); the first that reads it wins, Remark always does.
_KINDS: tuple[Callable[[str], Line | None], ...] = (
    Review.parse, Provenance.parse, Problem.parse, MemoryFill.parse, Ignore.parse,
)  # fmt: skip
#: Stamps whose end (", DAY (PRINT)") tells when a folded one is whole again.
_STAMPS: dict[str, Callable[[str], Review | Provenance | None]] = {
    Review.KEYWORD: Review.parse, Provenance.KEYWORD: Provenance.parse,
}  # fmt: skip
#: How many lines a folded stamp may span (textwrap at width 10 gives about 12).
_MAX_FOLD = 40

L = TypeVar("L", Review, Provenance, Problem, MemoryFill, Ignore, Remark, Damaged)


def _read(raw: str) -> Line:
    stripped = raw.strip()
    for parse in _KINDS:
        found = parse(stripped)
        if found is not None:
            return found
    return Remark(raw)


def _stamp_keyword(text: str) -> str | None:
    """The stamp a line starts, also when a fold broke its keyword after a hyphen."""
    for keyword in _STAMPS:
        if text.startswith(keyword) or (text.endswith("-") and keyword.startswith(text)):
            return keyword
    return None


def _unfold(pieces: list[str]) -> str:
    """Folded pieces joined as textwrap split them: at a space, or right after a hyphen."""
    text = pieces[0]
    for piece in pieces[1:]:
        text += piece if text.endswith("-") else " " + piece
    return text


_STAMP_END = re.compile(rf", {_DAY} \({_PRINT}\)(?=\s|$)")


def _whole_stamp(text: str) -> tuple[Review | Provenance, str] | None:
    """A stamp at the start of `text`, and what another tool glued after it."""
    for end in _STAMP_END.finditer(text):
        for parse in _STAMPS.values():
            stamp = parse(text[: end.end()])
            if stamp is not None:
                return stamp, text[end.end() :].strip()
    return None


def _read_all(raws: list[str]) -> list[Line]:
    """Typed lines; a folded stamp is reassembled, a broken one kept as `Damaged`."""
    lines: list[Line] = []
    at = 0
    while at < len(raws):
        line = _read(raws[at])
        stripped = raws[at].strip()
        keyword = _stamp_keyword(stripped) if isinstance(line, Remark) else None
        if keyword is None:
            if isinstance(line, Remark) and any(k in stripped for k in _STAMPS):
                line = Damaged(next(k for k in _STAMPS if k in stripped), (raws[at],), at + 1)
            lines.append(line)
            at += 1
            continue
        pieces = [stripped]
        found = _whole_stamp(stripped)
        ahead = at + 1
        while found is None and ahead < len(raws) and ahead - at < _MAX_FOLD:
            following = raws[ahead].strip()
            if not following or _read(following).__class__ is not Remark:
                break
            if any(following.startswith(k) for k in _STAMPS):
                break  # the next stamp begins
            pieces.append(following)
            ahead += 1
            found = _whole_stamp(_unfold(pieces))
        if found is None:  # the lines it might have spanned stay the translator's remarks
            lines.append(Damaged(keyword, (raws[at],), at + 1, tuple(raws[at + 1 : ahead])))
            at += 1
            continue
        stamp, rest = found
        lines.append(stamp)
        if rest:  # what an editor glued after it: read like any other line
            lines += _read_all([rest])
        at = ahead
    return lines


@dataclass(frozen=True)
class Notes:
    """An entry's translator comment as typed lines, in file order."""

    lines: tuple[Line, ...] = field(default_factory=tuple)

    @classmethod
    def parse(cls, tcomment: str | None) -> Notes:
        """Every line, blank ones included, so a rewrite changes only what it means to."""
        return cls(tuple(_read_all(tcomment.split("\n")))) if tcomment else cls()

    @classmethod
    def of(cls, entry: polib.POEntry) -> Notes:
        return cls.parse(entry.tcomment)

    def text(self) -> str:
        return "\n".join(line.render() for line in self.lines)

    def save(self, entry: polib.POEntry) -> None:
        entry.tcomment = self.text()

    # -- reading

    def all(self, kind: type[L]) -> list[L]:
        return [line for line in self.lines if isinstance(line, kind)]

    @property
    def reviews(self) -> list[Review]:
        return self.all(Review)

    @property
    def provenance(self) -> Provenance | None:
        found = self.all(Provenance)
        return found[-1] if found else None

    @property
    def problems(self) -> list[str]:
        return [p.message for p in self.all(Problem)]

    @property
    def memory(self) -> MemoryFill | None:
        found = self.all(MemoryFill)
        return found[-1] if found else None

    @property
    def ignored(self) -> set[str]:
        return {check for line in self.all(Ignore) for check in line.checks}

    @property
    def damaged(self) -> list[Damaged]:
        return self.all(Damaged)

    def reviewed_by(self, entry: polib.POEntry) -> Review | None:
        """The last review that still holds for the entry as it is now."""
        current = entry_fingerprint(entry)
        valid = [r for r in self.reviews if r.fingerprint == current]
        return valid[-1] if valid else None

    # -- writing

    def without(self, *kinds: type) -> Notes:
        return Notes(tuple(line for line in self.lines if not isinstance(line, kinds)))

    def keep(self, wanted: Callable[[Line], bool]) -> Notes:
        return Notes(tuple(line for line in self.lines if wanted(line)))

    def plus(self, *lines: Line) -> Notes:
        return Notes((*self.lines, *lines))


# --------------------------------------------------------------------------- entries


def set_fuzzy(entry: polib.POEntry, fuzzy: bool = True) -> None:
    """gettext's one state, through polib's own property (it keeps the flag first)."""
    entry.fuzzy = fuzzy  # type: ignore[misc]  # polib 1.2 has the setter; its stubs do not


def is_machine_draft(entry: polib.POEntry) -> bool:
    """Fuzzy, with a provenance whose fingerprint still matches: nobody has edited it."""
    if not entry.fuzzy:
        return False
    return any(p.untouched(entry.msgstr) for p in Notes.of(entry).all(Provenance))


def is_unconfirmed_memory_fill(entry: polib.POEntry) -> bool:
    """A fuzzy memory fill: its text belongs to another source until someone confirms it."""
    return entry.fuzzy and Notes.of(entry).memory is not None


def drop_stale_reviews(entry: polib.POEntry) -> bool:
    """Remove reviews that no longer match the entry; returns whether any went."""
    notes = Notes.of(entry)
    current = entry_fingerprint(entry)
    kept = notes.keep(lambda line: not (isinstance(line, Review) and line.fingerprint != current))
    if kept == notes:
        if len(notes.lines) != (entry.tcomment or "").count("\n") + bool(entry.tcomment):
            notes.save(entry)  # stamps another tool folded or joined: one line each again
        return False
    kept.save(entry)
    return True
