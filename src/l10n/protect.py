"""Placeholders: what an MT engine must not see or change, taken out and put back.

Footnote references, link brackets and destinations, code spans, inline HTML,
autolinks, URLs, e-mail addresses, backslash escapes, entities, emphasis markers,
numbers (if asked) and glossary terms become `<x1>`, `<x2>`, … before
translation and come back afterwards: markup exactly as it was, a glossary term
as its approved rendering.  What is markup is `inline`'s reading, the one the
checks use: a `*` that pairs with nothing is text and goes to the engine, and a
`[^3]` inside a code span is part of the code span.

Why `<xN>`: placeholders have to pass SentencePiece unchanged.  Measured with
the generated models (tests/test_engines.py): every ASCII form (`<x1>`, `XX1XX`,
`[1]`, `{1}`) survives both an argos-style vocabulary with byte fallback and an
NLLB-style one without; forms with non-ASCII brackets (`⟦1⟧`, `⟨1⟩`, `【1】`)
become <unk> without byte fallback, and full-width forms are folded to ASCII by
NFKC.  Of the ASCII forms, `[1]` and `__1__` are Markdown, argostranslate turns
`_` into spaces, `{1}` is what the placeholders check looks for, and letters such
as `XX` invite transliteration; `<x1>` is none of these, and engines trained on
web text copy tags.  Reading back is lenient: spaces inside the brackets and
Arabic-Indic digits are accepted, since engines add both.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .glossary import Glossary
from .inline import Kind, read_inline
from .languages import DIGIT_CLASS, TO_ASCII_DIGITS

#: A placeholder as engines may give it back: `<x3>`, `< x3 >`, `<X۳>`.
PLACEHOLDER = re.compile(rf"<\s*[xX]\s*([{DIGIT_CLASS}]+)\s*>")
#: A placeholder as this module writes it (for the sentence splitter).
EXACT_PLACEHOLDER = re.compile(r"<x\d+>")


def placeholder(number: int) -> str:
    return f"<x{number}>"


def placeholder_number(match: re.Match[str]) -> int:
    return int(match.group(1).translate(TO_ASCII_DIGITS))


# --------------------------------------------------------------------------- what is protected

#: The inline markup an engine must not touch (every kind `inline` reads but bare
#: domains), and what its slot is called; adjacent pieces of different names
#: become one slot called "markup".
SLOT_KINDS: dict[Kind, str] = {
    "code": "code", "html": "html", "autolink": "link", "link": "link", "image": "link",
    "footnote": "footnote", "inline_footnote": "footnote", "em": "emphasis",
    "strong": "emphasis", "escape": "escape", "hardbreak": "escape", "entity": "entity",
    "url": "url", "email": "email",
}  # fmt: skip
_NUMBER = re.compile(r"(?<!\w)\d+(?:[.,]\d+)*(?!\w)")


@dataclass(frozen=True)
class Slot:
    """One protected piece: what the source had, and what the translation gets."""

    number: int
    kind: str  # a SLOT_KINDS name, "markup", "term" or "number"
    source: str
    target: str

    @property
    def is_text(self) -> bool:
        """Terms and numbers read as words of the translation; markup does not."""
        return _is_text(self.kind)


@dataclass(frozen=True)
class Protected:
    """A source text with placeholders, and the slots they stand for."""

    text: str
    slots: tuple[Slot, ...] = ()

    def slot(self, number: int) -> Slot | None:
        return self.slots[number - 1] if 0 < number <= len(self.slots) else None


def protect(
    text: str,
    glossary: Glossary | None = None,
    lang: str | None = None,
    statuses: Iterable[str] = ("approved",),
    numbers: bool = False,
) -> Protected:
    """Replace markup, glossary terms and (if asked) numbers with placeholders.

    A glossary term is protected when it must stay English (do not translate) or
    when `lang` has a rendering of one of `statuses`; the engine then never sees
    it, and the rendering is put in its place.  Adjacent markup (`**[`) becomes
    one placeholder, since every placeholder is a word the engine must carry.
    """
    spans: list[tuple[int, int, str, str]] = []  # start, end, kind, target
    for piece in read_inline(text).pieces(SLOT_KINDS):
        spans.append(
            (piece.start, piece.end, SLOT_KINDS[piece.kind], text[piece.start : piece.end])
        )
    wanted = set(statuses)
    for found in glossary.find(text) if glossary else []:
        term = found.term
        rendering = term.translations.get(lang or "")
        if term.do_not_translate:
            target = found.text
        elif rendering is not None and rendering.status in wanted:
            target = rendering.term
        else:
            continue
        if not _overlaps(spans, found.start, found.end):
            spans.append((found.start, found.end, "term", target))
    if numbers:
        for match in _NUMBER.finditer(text):
            if not _overlaps(spans, match.start(), match.end()):
                spans.append((match.start(), match.end(), "number", match.group(0)))
    spans.sort()
    merged: list[list] = []
    for start, end, kind, target in spans:
        last = merged[-1] if merged else None
        if last and last[1] == start and not _is_text(kind) and not _is_text(last[2]):
            last[1], last[3] = end, last[3] + target
            last[2] = kind if kind == last[2] else "markup"
        else:
            merged.append([start, end, kind, target])
    out: list[str] = []
    slots: list[Slot] = []
    position = 0
    for start, end, kind, target in merged:
        slots.append(Slot(len(slots) + 1, kind, text[start:end], target))
        out += [text[position:start], placeholder(len(slots))]
        position = end
    out.append(text[position:])
    return Protected("".join(out), tuple(slots))


def _is_text(kind: str) -> bool:
    return kind in ("term", "number")


def _overlaps(spans: list[tuple[int, int, str, str]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e, _, _ in spans)


# --------------------------------------------------------------------------- putting back


@dataclass
class Restoration:
    """A translation with placeholders put back, and what did not come back right."""

    text: str
    found: Counter[int] = field(default_factory=Counter)
    unknown: list[str] = field(default_factory=list)  # placeholders the source never had


def restore(
    text: str, protected: Protected, select: Callable[[Slot], bool] = lambda slot: True
) -> Restoration:
    """Put back the selected slots; placeholders of unselected slots stay for a later pass.

    A placeholder the source did not have is dropped (it would publish as stray
    HTML) and reported.
    """
    result = Restoration(text)

    def put_back(match: re.Match[str]) -> str:
        slot = protected.slot(placeholder_number(match))
        if slot is None:
            result.unknown.append(match.group(0))
            return ""
        if not select(slot):
            return match.group(0)
        result.found[slot.number] += 1
        return slot.target

    result.text = PLACEHOLDER.sub(put_back, text)
    return result


def renumber(text: str) -> tuple[str, dict[int, int]]:
    """Placeholders numbered from 1 within one sentence, with the map back to the segment's.

    So a sentence is the same engine input (and the same cache key) wherever it
    stands in its paragraph.
    """
    local: dict[int, int] = {}

    def number(match: re.Match[str]) -> str:
        global_number = placeholder_number(match)
        local.setdefault(global_number, len(local) + 1)
        return placeholder(local[global_number])

    renumbered = PLACEHOLDER.sub(number, text)
    return renumbered, {n: g for g, n in local.items()}


def number_back(text: str, mapping: dict[int, int]) -> str:
    """Undo `renumber` on an engine's output; an invented placeholder becomes `<x0>`."""
    return PLACEHOLDER.sub(lambda m: placeholder(mapping.get(placeholder_number(m), 0)), text)


def outside_placeholders(text: str, change: Callable[[str], str]) -> str:
    """Apply a text change (digits, post-edits) everywhere but inside placeholders."""
    parts = PLACEHOLDER.split(text)
    # re.split with one group: text, number, text, number, …; rebuild the placeholders.
    out = []
    for i, part in enumerate(parts):
        out.append(
            change(part) if i % 2 == 0 else placeholder(int(part.translate(TO_ASCII_DIGITS)))
        )
    return "".join(out)
