"""Sentences of a segment, for the MT engines and the draft cache.

Translators see whole blocks; engines translate best, and a cache hits most
often, one sentence at a time.  The splitting is sentencex's (Wikimedia's
maintained rule-based segmenter: abbreviations such as "Lt. Gen.", "Dr.",
"U.S.", offline, fast); this module only makes the split lossless (every
character of the segment is either in a sentence or in a gap between two, so
joining translated sentences with the original gaps keeps spacing and line
breaks) and keeps closing marks with the sentence they close.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sentencex


@dataclass(frozen=True)
class Split:
    """A text as sentences and the gaps around them: gaps[0] s[0] gaps[1] … s[n-1] gaps[n]."""

    sentences: tuple[str, ...]
    gaps: tuple[str, ...]

    def join(self, sentences: list[str] | tuple[str, ...] | None = None) -> str:
        """The text again, with these sentences (translations) in place of the originals."""
        parts = list(self.sentences if sentences is None else sentences)
        if len(parts) != len(self.sentences):
            raise ValueError(f"{len(parts)} sentences for {len(self.sentences)} slots")
        out = [self.gaps[0]]
        for sentence, gap in zip(parts, self.gaps[1:], strict=True):
            out += [sentence, gap]
        return "".join(out)


_LINE_BREAK = re.compile(r"\s*\n\s*")
_EDGE_SPACE = re.compile(r"^(\s*)(.*?)(\s*)$", re.DOTALL)


def split(text: str, language: str = "en", closers: re.Pattern[str] | None = None) -> Split:
    """Split a text into sentences; line breaks always end a sentence.

    `closers` matches marks that belong to the sentence before them when a splitter
    puts them at the start of the next one, followed by a space or the end of the
    text: footnote references, closing emphasis, placeholders (`draft` passes its
    placeholder pattern).
    """
    sentences: list[str] = []
    gaps: list[str] = []
    pending = ""  # white space waiting to become a gap
    position = 0
    for line_break in [*_LINE_BREAK.finditer(text), None]:
        end = line_break.start() if line_break else len(text)
        for piece in _sentences(text[position:end], language, closers):
            lead, body, trail = _EDGE_SPACE.match(piece).groups()  # type: ignore[union-attr]
            if not body:
                pending += piece
                continue
            gaps.append(pending + lead)
            sentences.append(body)
            pending = trail
        if line_break:
            pending += line_break.group(0)
            position = line_break.end()
    gaps.append(pending)
    return Split(tuple(sentences), tuple(gaps))


def _sentences(line: str, language: str, closers: re.Pattern[str] | None) -> list[str]:
    if not line.strip():
        return [line]
    pieces = [p for p in sentencex.segment(language, line) if p]
    if "".join(pieces) != line:  # never lose a character, whatever the splitter did
        return [line]
    if closers is None:
        return pieces
    merged = [pieces[0]]
    for piece in pieces[1:]:
        lead = re.match(rf"(?:{closers.pattern}|[\"'”’)\]])+(?=\s|$)", piece)
        if lead and not merged[-1][-1:].isspace():
            merged[-1] += lead.group(0)
            piece = piece[lead.end() :]
        if piece.strip() or not merged:
            merged.append(piece)
        else:
            merged[-1] += piece
    return merged
