"""How an edition is set: its settings, the digits it prints, the Latin runs it isolates.

babel formats numbers with a locale's separators but never in its native
digits, so the digits come from the language table (`Language.digits`) and the
separators from CLDR.  Only numbers that belong to the right-to-left text
change: a number inside a Latin-script run (CASA-1000, v2.1, a URL) is part of
that run and stays as written, and so is a number with two dots or more (a
version, an address).

Latin runs inside right-to-left text are isolated (HTML `<bdi>`): without it
the bidi algorithm lets neutral characters such as brackets, "+" and full stops
join the wrong side, and "C++" prints as "++C".  A run reaches from its first
Latin word to its last with only spaces, digits and punctuation between, so an
English phrase keeps its word order; brackets stay outside unless the run
opens them.  What belongs to the English text joins its run (a quoted title
whole, with its own "?" and its numbers: «… CASA 1000»); the marks of the
right-to-left sentence (، ؛ ؟ ۔) never do.  Hyphenated acronyms (IS-KP,
CASA-1000) are kept on one line: WeasyPrint otherwise breaks them at the
hyphen; so are a number and its word (۴ مارچ) and an acronym spelt in the
script (ٹی اے پی).  Web addresses break only after "/", "." or "-"
(`address_chunks`).  The functions here know
nothing of Markdown: callers hand in text and opaque items (inline elements)
with their kind, and get back events to render.

The choices a project makes (l10n.toml's `[publish]`: per language the type
style and the digits) are `settings.PublishSettings`; the digit styles are the
language table's (`languages.DIGITS`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Generic, TypeVar

from babel import Locale

from ..languages import edition_digits

T = TypeVar("T")

#: the CLDR numbering system whose separators go with each digit style
_NUMBERING_SYSTEMS = {"latin": "latn", "extended": "arabext"}

_DIGIT_VALUE = {
    char: value
    for digits in ("0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹")
    for value, char in enumerate(digits)
}
_ANY_DIGIT = "0-9٠-٩۰-۹"
_NUMBER = re.compile(rf"[{_ANY_DIGIT}]+(?:[.,٫٬][{_ANY_DIGIT}]+)*(?P<percent>[%٪])?")
_DECIMAL_POINTS = ".٫"
_GROUP_MARKS = ",٬"


@dataclass(frozen=True)
class Numerals:
    """How an edition writes numbers: ten digits and the separators CLDR gives them."""

    style: str
    digits: str
    group: str
    decimal: str
    percent: str

    @classmethod
    @cache
    def of(cls, locale: str, style: str) -> Numerals:
        digits = edition_digits(style)
        symbols = Locale.parse(locale).number_symbols[_NUMBERING_SYSTEMS[style]]
        return cls(
            style,
            digits,
            _plain(symbols["group"]),
            _plain(symbols["decimal"]),
            _plain(symbols["percentSign"]),
        )

    def number(self, value: int) -> str:
        """A whole number without separators (footnote marks, counts)."""
        return self.digits_of(str(value))

    def digits_of(self, text: str) -> str:
        """Every decimal digit of `text` in this style, whatever script it was written in."""
        return "".join(self.digits[_DIGIT_VALUE[c]] if c in _DIGIT_VALUE else c for c in text)

    def convert(self, text: str) -> str:
        """The numbers of a right-to-left text in this style; versions stay as written."""
        return _NUMBER.sub(self._convert_number, text)

    def _convert_number(self, match: re.Match[str]) -> str:
        number = match.group()
        if sum(number.count(point) for point in _DECIMAL_POINTS) > 1:
            return number
        parts = re.split(f"([{_DECIMAL_POINTS}{_GROUP_MARKS}])", number.rstrip("%٪"))
        out = [self.digits_of(parts[0])]
        for mark, group in zip(parts[1::2], parts[2::2], strict=True):
            if mark in _DECIMAL_POINTS:
                mark = self.decimal
            elif len(group) == 3:
                mark = self.group
            out.append(mark + self.digits_of(group))
        if match["percent"]:
            out.append(self.percent)
        return "".join(out)


def _plain(symbol: str) -> str:
    """CLDR wraps some symbols in direction marks; in running text the isolation does that."""
    return symbol.replace("\u200e", "").replace("\u200f", "")


class Kind(Enum):
    """What a piece of inline content means for the bidi algorithm."""

    LATIN = "latin"  # has left-to-right letters (bidi class L)
    RTL = "rtl"  # has right-to-left letters (R, AL)
    NEUTRAL = "neutral"  # digits and punctuation only
    SPACE = "space"
    BARRIER = "barrier"  # ends any run: a footnote mark, an image, a line break


#: the right-to-left sentence's own marks: a Latin run never reaches across one
_SENTENCE_MARKS = frozenset("،؛؟۔")


def kind_of_text(text: str) -> Kind:
    """RTL if a letter or mark is right-to-left, LATIN if a letter is left-to-right, else neutral.

    The Arabic comma is a common separator for the bidi algorithm, but it is
    the right-to-left sentence's punctuation, never the Latin text's.
    """
    classes = {unicodedata.bidirectional(c) for c in text}
    if classes & {"R", "AL"} or _SENTENCE_MARKS.intersection(text):
        return Kind.RTL
    if "L" in classes:
        return Kind.LATIN
    if text.isspace():
        return Kind.SPACE
    return Kind.NEUTRAL


@dataclass(frozen=True)
class Open:
    tag: str  # "isolate" or "nobreak"


@dataclass(frozen=True)
class Close:
    tag: str


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Keep(Generic[T]):
    """An opaque item passed through; `in_latin_run` if it sits inside an isolated run."""

    item: T
    in_latin_run: bool


@dataclass(frozen=True)
class Break:
    """A place where a line may break inside a word (HTML `<wbr>`)."""


Event = Open | Close | Text | Keep[T] | Break

ISOLATE = "isolate"
NOBREAK = "nobreak"

#: quotation marks and the mark that closes each
_QUOTES = {"«": "»", "“": "”", "‘": "’", "‹": "›", '"': '"', "„": "“"}
#: punctuation peeled off the edges of a word: it belongs to the sentence, not the word
_LEADING = set("([{«‹\"'“‘¿¡")
_TRAILING = set(")]}»›\"'”’.,;:!?،؛؟۔")
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_TOKENS = re.compile(r"\s+|\S+")
_ACRONYM = re.compile(r"(?<![\w-])(?=[\w-]*[A-Z])[A-Z0-9]+(?:-[A-Z0-9]+)+(?![\w-])")


@dataclass
class _Piece(Generic[T]):
    kind: Kind
    text: str | None = None  # None: an opaque item
    item: T | None = None


def _pieces(text: str) -> list[_Piece]:
    pieces: list[_Piece] = []
    for token in _TOKENS.findall(text):
        if token.isspace():
            pieces.append(_Piece(Kind.SPACE, token))
            continue
        start, end = 0, len(token)
        while start < end - 1 and token[start] in _LEADING:
            start += 1
        while end > start + 1 and token[end - 1] in _TRAILING:
            end -= 1
        core = token[start:end]
        if kind_of_text(core) is Kind.NEUTRAL:  # all punctuation and digits: one piece,
            start, end = 0, len(token)  # but quotation marks and the sentence's marks apart
            while start < end - 1 and token[start] in _QUOTES:
                start += 1
            while end > start + 1 and token[end - 1] in _QUOTE_ENDS:
                end -= 1
            core = token[start:end]
        pieces += [_Piece(kind_of_text(c), c) for c in token[:start]]
        pieces.append(_Piece(kind_of_text(core), core))
        pieces += [_Piece(kind_of_text(c), c) for c in token[end:]]
    return pieces


def _latin_runs(pieces: Sequence[_Piece]) -> list[tuple[int, int]]:
    """[start, end) piece ranges from a Latin word to the last Latin word before RTL text.

    A run then takes in what belongs to the Latin text: the whole inside of a
    quotation that holds no right-to-left letters (a title, with its own
    question mark and numbers), a "?" or "!" written against its last word,
    and a number that follows it up to the end of the clause (CASA 1000).
    """
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(pieces):
        if pieces[i].kind is not Kind.LATIN:
            i += 1
            continue
        last = j = i
        while j < len(pieces) and pieces[j].kind in (Kind.LATIN, Kind.NEUTRAL, Kind.SPACE):
            if pieces[j].kind is Kind.LATIN:
                last = j
            j += 1
        start, end = _balance(pieces, i, last + 1)
        start, end = _quotation(pieces, start, end)
        end = _belonging(pieces, end)
        runs.append((start, end))
        i = end
    return runs


def _quotation(pieces: Sequence[_Piece], start: int, end: int) -> tuple[int, int]:
    """Widen a run to the whole inside of the quotation it opens, if that is all Latin."""
    k = start - 1
    while k >= 0 and pieces[k].kind is Kind.SPACE and pieces[k].text is not None:
        k -= 1
    closing = _QUOTES.get(pieces[k].text or "") if k >= 0 else None
    if closing is None:
        return start, end
    for m in range(end, len(pieces)):
        piece = pieces[m]
        if piece.text == closing:
            last = m
            while pieces[last - 1].kind is Kind.SPACE:
                last -= 1
            return start, max(end, last)
        if piece.kind not in (Kind.LATIN, Kind.NEUTRAL, Kind.SPACE) or piece.text is None:
            break
    return start, end


_QUOTE_ENDS = frozenset(_QUOTES.values()) | _SENTENCE_MARKS
_OWN_MARKS = frozenset("?!")
_LATIN_NUMBER = re.compile(r"[0-9]+(?:[.,:/-][0-9]+)*")
_CLAUSE_ENDS = frozenset(".,;:!?)]}»›”’\"'") | _SENTENCE_MARKS


def _belonging(pieces: Sequence[_Piece], end: int) -> int:
    """The end of a run once it takes in a "?"/"!" on its last word and a number after it."""
    if end < len(pieces) and pieces[end].text in _OWN_MARKS:
        return end + 1
    number = end + 1
    if (
        number < len(pieces)
        and pieces[end].text == " "
        and _LATIN_NUMBER.fullmatch(pieces[number].text or "")
        and (number + 1 == len(pieces) or (pieces[number + 1].text or "?")[0] in _CLAUSE_ENDS)
    ):
        return number + 1
    return end


def _balance(pieces: Sequence[_Piece], start: int, end: int) -> tuple[int, int]:
    """Widen a run to take in the brackets it opens or closes, so each pair stays together."""
    depth: dict[str, int] = {}
    for piece in pieces[start:end]:
        for char in piece.text or "":
            if char in _OPENERS:
                depth[char] = depth.get(char, 0) + 1
            elif char in _CLOSERS:
                depth[_CLOSERS[char]] = depth.get(_CLOSERS[char], 0) - 1
    for opener, balance in depth.items():
        step, want = (1, _OPENERS[opener]) if balance > 0 else (-1, opener)
        k = end if step > 0 else start - 1
        while balance and 0 <= k < len(pieces) and pieces[k].kind in (Kind.NEUTRAL, Kind.SPACE):
            if pieces[k].text == want:
                balance -= step
                if step > 0:
                    end = k + 1
                else:
                    start = k
            k += step
    return start, end


def typeset(
    items: Sequence[str | T],
    kind: Callable[[T], Kind],
    numerals: Numerals | None,
    *,
    rtl: bool,
) -> list[Event]:
    """Events for a sequence of texts and opaque items that read as one line of text.

    rtl: the text around is right-to-left, so Latin runs are isolated and only
    the numbers outside them take `numerals` (None: numbers stay as written).
    """
    pieces: list[_Piece] = []
    for item in items:
        if isinstance(item, str):
            pieces += _pieces(item)
        else:
            pieces.append(_Piece(kind(item), None, item))
    runs = _latin_runs(pieces) if rtl else []
    glued = _glued(pieces, runs) if rtl else []
    starts = {start for start, _ in runs}
    ends = {end for _, end in runs}
    glue_starts = {start for start, _ in glued}
    glue_ends = {end for _, end in glued}
    events: list[Event] = []
    in_run = False
    for index, piece in enumerate(pieces):
        if index in glue_ends:
            events.append(Close(NOBREAK))
        if index in ends:
            events.append(Close(ISOLATE))
            in_run = False
        if index in starts:
            events.append(Open(ISOLATE))
            in_run = True
        if index in glue_starts:
            events.append(Open(NOBREAK))
        if piece.text is None:
            events.append(Keep(piece.item, in_run))
        elif piece.kind is Kind.LATIN:
            events += _nobreak(piece.text)
        elif numerals is not None and not in_run:
            events.append(Text(numerals.convert(piece.text)))
        else:
            events.append(Text(piece.text))
    if len(pieces) in glue_ends:
        events.append(Close(NOBREAK))
    if in_run:
        events.append(Close(ISOLATE))
    return _merge_texts(events)


#: English letters as Urdu and Pashto spell them: two or more in a row are an acronym (ٹی ٹی پی)
_LETTER_NAMES = frozenset((
    "اے", "بی", "سی", "ڈی", "ای", "ایف", "جی", "ایچ", "آئی", "جے", "کے", "ایل", "ایم", "این",
    "او", "پی", "کیو", "آر", "ایس", "ٹی", "یو", "وی", "ڈبلیو", "ایکس", "وائی", "زیڈ",
    "اې", "بي", "سي", "ډي", "اي", "جي", "ټي", "پي",
))  # fmt: skip
_STARTS_WITH_NUMBER = re.compile(rf"[{_ANY_DIGIT}]")
_PURE_NUMBER = re.compile(rf"[{_ANY_DIGIT}]+(?:[.,٫٬/:][{_ANY_DIGIT}]+)*[%٪]?")


def _glued(pieces: Sequence[_Piece], runs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """[start, end) piece ranges of right-to-left text that must not break across lines.

    A number stays with its word: with the word after it ("۴ مارچ"), or, when
    punctuation ends it, with the word before it ("مارچ ۲۰۱۳،"); an acronym spelt
    in the script ("ٹی اے پی") stays whole.  Nothing inside a Latin run is glued.
    """
    inside = {k for start, end in runs for k in range(start, end)}

    def word(k: int) -> bool:
        if not 0 <= k < len(pieces) or k in inside or pieces[k].kind is not Kind.RTL:
            return False
        return any(c.isalpha() for c in pieces[k].text or "")

    def space(k: int) -> bool:
        piece = pieces[k] if 0 <= k < len(pieces) else None
        return piece is not None and piece.kind is Kind.SPACE and piece.text == " "

    def letter(k: int) -> bool:
        return word(k) and pieces[k].text in _LETTER_NAMES

    spans: list[tuple[int, int]] = []
    for k, piece in enumerate(pieces):
        if k in inside or piece.kind is not Kind.NEUTRAL or piece.text is None:
            continue
        if not _STARTS_WITH_NUMBER.match(piece.text):
            continue
        if _PURE_NUMBER.fullmatch(piece.text) and space(k + 1) and word(k + 2):
            spans.append((k, k + 3))
        elif space(k - 1) and word(k - 2):
            spans.append((k - 2, k + 1))
    for k in range(len(pieces)):
        last = k
        while letter(last) and space(last + 1) and letter(last + 2):
            last += 2
        if last > k and not (space(k - 1) and letter(k - 2)):  # from the first letter only
            spans.append((k, last + 1))
    return _merged(spans)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _nobreak(word: str) -> list[Event]:
    if _BARE_ADDRESS.fullmatch(word):  # outside a link, only what cannot be an abbreviation
        return address_events(word)
    events: list[Event] = []
    cursor = 0
    for match in _ACRONYM.finditer(word):
        events += [Text(word[cursor : match.start()]), Open(NOBREAK), Text(match.group())]
        events.append(Close(NOBREAK))
        cursor = match.end()
    events.append(Text(word[cursor:]))
    return events


def _merge_texts(events: list[Event]) -> list[Event]:
    merged: list[Event] = []
    for event in events:
        if isinstance(event, Text):
            if not event.text:
                continue
            if merged and isinstance(merged[-1], Text):
                merged[-1] = Text(merged[-1].text + event.text)
                continue
        merged.append(event)
    return merged


#: what a link's text must look like to be set as an address: a scheme, www., or a domain
_ADDRESS = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+|[\w-]+(?:\.[\w-]+)*\.[a-z]+(?:/\S*)?", re.IGNORECASE
)
_BARE_ADDRESS = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:/*", re.I)
_AFTER_SEPARATORS = re.compile(r"(?<=[/.\-])(?=[^/.\-])")


def is_address(text: str) -> bool:
    """Whether a link's text is a web address (printed as such, not a phrase)."""
    return bool(_ADDRESS.fullmatch(text))


def address_chunks(address: str) -> list[str]:
    """An address cut where a line may break: after "/", "." or "-", never after the scheme.

    Each chunk is set unbreakable and the breaks between them are the only
    ones, so "https://" never ends a line alone and no word of a path is split.
    """
    scheme = _SCHEME.match(address)
    head = scheme.end() if scheme else 0
    chunks = _AFTER_SEPARATORS.split(address[head:]) if address[head:] else [""]
    chunks[0] = address[:head] + chunks[0]
    return [chunk for chunk in chunks if chunk]


def address_events(address: str) -> list[Event]:
    """An address as unbreakable chunks with a possible break between each two."""
    events: list[Event] = []
    for number, chunk in enumerate(address_chunks(address)):
        if number:
            events.append(Break())
        events += [Open(NOBREAK), Text(chunk), Close(NOBREAK)]
    return events
