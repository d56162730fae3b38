"""One reading of inline Markdown: which characters of a string are markup, and of what kind.

Glossary matching, placeholders, the Markdown checks and word counts all need
to tell the words of a msgid from its markup.  They read it here, from the
spans markdown-it finds with the project's dialect, so that a `[^3]` inside a
code span is code for all of them and a footnote for none.

markdown-it's inline tokens carry no source positions, so a dedicated parser
wraps each inline rule to note where it matched (as `markdown` does for block
rules); emphasis is known only after the pairing pass, so one more pass, just
before the text fragments are joined, notes which delimiter characters found a
partner.

A msgid stands alone, without the definitions the document has elsewhere:
footnote references always match, and reference labels used in the full
(`[text][label]`) or collapsed (`[label][]`) form are taken as defined; a
shortcut `[sic]` stays text.  Bare URLs and e-mail addresses, which the dialect
does not link, are found in the text outside the other spans; so are bare
domains (`afghanistan.fes.de`), which only some checks set aside.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache, partial
from typing import Literal, NamedTuple

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote.index import footnote_ref

from .markdown import bounded_footnote_ref, new_parser

Kind = Literal[
    "code",  # `code`; target: its content as rendered
    "html",  # <abbr>, </abbr>, <!-- … -->; target: the tag
    "autolink",  # <https://…>, <info@fes.de>; target: the link
    "link",  # [label](dest "title"), [label][ref]; target: dest, or the reference label
    "image",  # ![alt](src "title"); target: src
    "footnote",  # [^3]; target: the label
    "inline_footnote",  # ^[a note written in place]
    "em",  # *text*, _text_
    "strong",  # **text**, __text__
    "escape",  # \*; target: the character
    "hardbreak",  # the backslash of a backslash line break
    "entity",  # &amp;, &#169;; target: the character
    "url",  # a bare https://… or www.…
    "email",  # a bare info@fes.de
    "domain",  # a bare afghanistan.fes.de (not markup: only some checks set it aside)
]

#: Every kind that is markup: what a translator copies rather than translates.
MARKUP: frozenset[Kind] = frozenset(
    ("code", "html", "autolink", "link", "image", "footnote", "inline_footnote", "em",
     "strong", "escape", "hardbreak", "entity", "url", "email")
)  # fmt: skip
#: Links of every form: the targets the `links` check compares.
LINKS: frozenset[Kind] = frozenset(("link", "image", "autolink"))

Range = tuple[int, int]


@dataclass(frozen=True)
class Span:
    """One piece of inline syntax: where it is, what it points to, which characters are markup.

    A link, an image, an inline footnote or an emphasis holds translatable
    content between its markup pieces (`[` … `](dest)`, `*` … `*`); every other
    kind is markup from end to end.
    """

    kind: Kind
    start: int
    end: int
    text: str
    target: str = ""
    markup: tuple[Range, ...] = ()

    @property
    def content(self) -> Range:
        """The characters between the opening and the closing markup (empty for a leaf)."""
        if len(self.markup) < 2:
            return (self.end, self.end)
        return (self.markup[0][1], self.markup[-1][0])


class Piece(NamedTuple):
    """A run of markup characters, as protected or masked."""

    start: int
    end: int
    kind: Kind


@dataclass(frozen=True)
class Inline:
    """A string read once: its spans, outer before inner, and its unpaired emphasis markers."""

    text: str
    spans: tuple[Span, ...] = ()
    #: offsets of `*` and `_` that could open or close emphasis but found no partner,
    #: so they would show as literal characters
    stray: tuple[int, ...] = ()
    _masks: dict[tuple[frozenset[str], frozenset[str]], str] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def of(self, *kinds: Kind) -> tuple[Span, ...]:
        return tuple(s for s in self.spans if s.kind in kinds)

    def pieces(self, kinds: Collection[Kind] = MARKUP) -> list[Piece]:
        """The markup characters of the given kinds, left to right (they never overlap)."""
        found = [Piece(a, b, s.kind) for s in self.spans if s.kind in kinds for a, b in s.markup]
        return sorted(found)

    def masked(self, kinds: Collection[Kind] = MARKUP, whole: Collection[Kind] = ()) -> str:
        """The text with the markup of `kinds` blanked out, and spans of `whole` entirely.

        Same length, so offsets found in it hold in the text.
        """
        key = (frozenset(kinds), frozenset(whole))
        if key not in self._masks:
            ranges = [(p.start, p.end) for p in self.pieces(kinds)]
            ranges += [(s.start, s.end) for s in self.spans if s.kind in whole]
            self._masks[key] = _blank(self.text, ranges)
        return self._masks[key]

    def without(self, kinds: Collection[Kind]) -> str:
        """The text with the markup of `kinds` cut out (offsets do not hold)."""
        out, position = [], 0
        for start, end, _ in self.pieces(kinds):
            out.append(self.text[position:start])
            position = end
        out.append(self.text[position:])
        return "".join(out)

    def _count(self, kinds: Collection[Kind], key: Callable[[Span], str]) -> Counter[str]:
        # a new Counter each time: the Inline is shared through the cache
        return Counter(key(s) for s in self.spans if s.kind in kinds)

    @property
    def links(self) -> Counter[str]:
        """Destinations of links, images and autolinks (a reference link's is its label)."""
        return self._count(LINKS, lambda s: s.target)

    @property
    def code(self) -> Counter[str]:
        return self._count({"code"}, lambda s: s.target)

    @property
    def html(self) -> Counter[str]:
        return self._count({"html"}, lambda s: s.target)

    @property
    def footnotes(self) -> Counter[str]:
        """Footnote references as written (`[^3]`)."""
        return self._count({"footnote"}, lambda s: s.text)

    @property
    def emphasis(self) -> Counter[str]:
        """How many `em` and `strong` spans."""
        return self._count({"em", "strong"}, lambda s: s.kind)

    @property
    def urls(self) -> Counter[str]:
        """Bare URLs (not those of links, autolinks or code)."""
        return self._count({"url"}, lambda s: s.text)

    @property
    def emails(self) -> Counter[str]:
        """Bare e-mail addresses."""
        return self._count({"email"}, lambda s: s.text)


@lru_cache(maxsize=8192)
def read_inline(text: str) -> Inline:
    """The inline spans of a string, read once: every stage asks again for the same strings."""
    if not markup_characters(text):  # words only (most strings of a UI catalog)
        return Inline(text, tuple(sorted(_bare(text, []), key=lambda s: (s.start, -s.end))))
    recorder = _Recorder(text)
    env = {"references": _references(text), _RECORDER: recorder}
    md = _parser()
    md.inline.parse(text, md, env, [])
    spans = [span for match in recorder.matches for span in _SPANS[match.rule](match, text)]
    emphasis, stray = recorder.emphasis(text)
    spans += emphasis
    for span in [s for s in spans if s.kind in ("image", "inline_footnote")]:
        start, end = span.content
        nested = read_inline(text[start:end])  # markdown-it re-parses these apart
        spans += [_shifted(s, start) for s in nested.spans if s.kind != "domain"]
        stray += [start + offset for offset in nested.stray]
    spans += _bare(text, spans)
    spans.sort(key=lambda s: (s.start, -s.end))
    return Inline(text, tuple(spans), tuple(sorted(stray)))


# --------------------------------------------------------------------------- the parser

_RECORDER = "l10n_inline"
#: the characters at which a recorded rule of the dialect can match; a string without
#: any has no markup for markdown-it to find
_RULE_STARTS = re.compile(r"[\\`*_\[\]!<&^]")


def markup_characters(text: str) -> bool:
    """Whether a string has a character at which inline markup could start."""
    return _RULE_STARTS.search(text) is not None


InlineRule = Callable[[StateInline, bool], bool]
#: the rules that make markup; "text" and "newline" make words and white space
_RECORDED = ("escape", "backticks", "emphasis", "link", "image", "footnote_inline",
             "footnote_ref", "autolink", "html_inline", "entity")  # fmt: skip


@dataclass
class _Match:
    rule: str
    start: int
    end: int
    token: Token | None  # the first token the rule pushed
    label_end: int = -1  # links and images: the offset of the `]` closing the label


@dataclass
class _Delimiter:
    position: int
    token: Token
    can_pair: bool  # could open or close emphasis
    role: str = ""  # after pairing: em_open … strong_close, "inner" (of ** or __), or "" (unpaired)


@dataclass
class _Recorder:
    """What the wrapped rules saw in the string being read (not in re-parsed alt texts)."""

    src: str
    matches: list[_Match] = field(default_factory=list)
    delimiters: list[_Delimiter] = field(default_factory=list)

    def owns(self, state: StateInline) -> bool:
        return state.src is self.src

    def matched(self, rule: str, state: StateInline, start: int, token: int, delim: int) -> None:
        if rule == "emphasis":  # one text token per character, paired later
            for offset, d in enumerate(state.delimiters[delim:]):
                self.delimiters.append(
                    _Delimiter(start + offset, state.tokens[d.token], d.open or d.close)
                )
            return
        first = state.tokens[token] if token < len(state.tokens) else None
        match = _Match(rule, start, state.pos, first)
        if rule in ("link", "image"):  # the rule does not say where its label ended
            match.label_end = parseLinkLabel(state, start + (rule == "image"), rule == "link")
        self.matches.append(match)

    def paired(self) -> None:
        """Read what the emphasis pass made of each delimiter, before fragments are joined."""
        for d in self.delimiters:
            if d.token.type != "text":
                d.role = d.token.type
            elif d.token.content == "":
                d.role = "inner"

    def emphasis(self, text: str) -> tuple[list[Span], list[int]]:
        """Emphasis spans from the paired delimiters; the positions of unpaired ones."""
        spans: list[Span] = []
        stray: list[int] = []
        opened: list[tuple[Kind, Range]] = []
        for d in sorted(self.delimiters, key=lambda d: d.position):
            p = d.position
            if d.role == "em_open":
                opened.append(("em", (p, p + 1)))
            elif d.role == "strong_open":  # the outer character is the emptied one
                opened.append(("strong", (p - 1, p + 1)))
            elif d.role in ("em_close", "strong_close"):
                kind: Kind = "em" if d.role == "em_close" else "strong"
                closer = (p, p + (1 if kind == "em" else 2))
                # the innermost opener of the kind: the last one, found from the end (a
                # search from the start made emphasis nested n deep cost n²)
                i = next((i for i in range(len(opened) - 1, -1, -1) if opened[i][0] == kind), -1)
                if i < 0:  # markdown-it nests its pairs; never expected
                    continue
                opener = opened.pop(i)[1]
                a, b = opener[0], closer[1]
                spans.append(Span(kind, a, b, text[a:b], "", (opener, closer)))
            elif not d.role and d.can_pair:
                stray.append(p)
        return spans, stray


def _recording(name: str, rule: InlineRule) -> InlineRule:
    """Wrap an inline rule so a match on the string being read is noted with its offsets."""

    def wrapped(state: StateInline, silent: bool) -> bool:
        recorder = state.env.get(_RECORDER)
        if silent or recorder is None or not recorder.owns(state):
            return rule(state, silent)
        start, delimiters = state.pos, len(state.delimiters)
        token = len(state.tokens) + (1 if state.pending else 0)  # a push flushes pending text
        if not rule(state, silent):
            return False
        recorder.matched(name, state, start, token, delimiters)
        return True

    return wrapped


def _paired(state: StateInline) -> None:
    recorder = state.env.get(_RECORDER)
    if recorder is not None and recorder.owns(state):
        recorder.paired()


@cache
def _parser() -> MarkdownIt:
    """The project's dialect, footnote references matched without definitions, rules recorded."""
    md = new_parser()
    ruler = md.inline.ruler
    ruler.at("footnote_ref", bounded_footnote_ref(partial(footnote_ref, always_match=True)))
    for rule in list(ruler.__rules__):
        if rule.name in _RECORDED:
            ruler.at(rule.name, _recording(rule.name, rule.fn), {"alt": list(rule.alt)})
    md.inline.ruler2.before("fragments_join", "l10n_paired", _paired)
    return md


#: `[text][label]` and `[label][]`: labels a lone string uses without their definitions
#: (never `^…`, which would be a footnote)
_FULL_REFERENCE = re.compile(r"\]\[(?!\^)((?:[^\[\]\\]|\\.){1,999})\]")
_COLLAPSED_REFERENCE = re.compile(r"\[(?!\^)((?:[^\[\]\\]|\\.){1,999})\]\[\]")


def _references(text: str) -> dict[str, dict[str, str]]:
    """Reference definitions for the labels used in the full and collapsed forms.

    The destination stands for itself as the label, so a translation keeps a
    reference link by keeping its label.
    """
    found: dict[str, dict[str, str]] = {}
    if "][" not in text:
        return found
    for pattern in (_FULL_REFERENCE, _COLLAPSED_REFERENCE):
        for match in pattern.finditer(text):
            key = normalizeReference(match.group(1))
            if key:
                found.setdefault(key, {"href": match.group(1), "title": ""})
    return found


# --------------------------------------------------------------------------- spans of each rule


#: the spans one recorded match makes
SpansOf = Callable[[_Match, str], list[Span]]


def _leaf(kind: Kind, target: Callable[[Token], str]) -> SpansOf:
    """A span that is markup from end to end."""

    def spans(match: _Match, text: str) -> list[Span]:
        if match.token is None:  # e.g. a backtick run without its closing run is text
            return []
        a, b = match.start, match.end
        return [Span(kind, a, b, text[a:b], target(match.token), ((a, b),))]

    return spans


def _escape(match: _Match, text: str) -> list[Span]:
    token, a = match.token, match.start
    if token is None:
        return []
    if token.type == "hardbreak":  # the line break itself stays white space
        return [Span("hardbreak", a, a + 1, "\\", "", ((a, a + 1),))]
    if token.content == token.markup:  # `\a`: not punctuation, the backslash is literal
        return []
    return [Span("escape", a, match.end, text[a : match.end], token.content, ((a, match.end),))]


def _container(kind: Kind, opener: int, closer: int, target: Callable[[Token], str]) -> SpansOf:
    """A link-like span: `opener` characters of markup, content, then the closing markup."""

    def spans(match: _Match, text: str) -> list[Span]:
        a, b = match.start, match.end
        close = match.label_end if match.label_end >= 0 else b - closer
        pieces = ((a, a + opener), (close, b))
        token_target = target(match.token) if match.token is not None else ""
        return [Span(kind, a, b, text[a:b], token_target, pieces)]

    return spans


def _attr(name: str) -> Callable[[Token], str]:
    return lambda token: str(token.attrs.get(name, ""))


_SPANS: dict[str, SpansOf] = {
    "escape": _escape,
    "backticks": _leaf("code", lambda t: t.content),
    "html_inline": _leaf("html", lambda t: t.content),
    "autolink": _leaf("autolink", _attr("href")),
    "entity": _leaf("entity", lambda t: t.content),
    "footnote_ref": _leaf("footnote", lambda t: str(t.meta.get("label", ""))),
    "link": _container("link", 1, 1, _attr("href")),
    "image": _container("image", 2, 1, _attr("src")),
    "footnote_inline": _container("inline_footnote", 2, 1, lambda t: ""),
}


def _shifted(span: Span, offset: int) -> Span:
    return replace(
        span,
        start=span.start + offset,
        end=span.end + offset,
        markup=tuple((a + offset, b + offset) for a, b in span.markup),
    )


# --------------------------------------------------------------------------- left as text

_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"“”‘’«»]")
#: Each pattern can start only where its run of characters starts, and its runs are
#: possessive: a 200,000-letter word without "@" is scanned once, not once per letter.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]+\.[\w.-]*\w")
_DOMAIN = re.compile(r"(?<![\w.])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:/[^\s)\]]*)?(?!\w)")
#: found in this order, each in the text the ones before left
_BARE: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    ("url", _URL), ("email", _EMAIL), ("domain", _DOMAIN)
)  # fmt: skip


def _bare(text: str, spans: Iterable[Span]) -> list[Span]:
    """URLs, e-mail addresses and domains written as plain text, outside every other span."""
    visible = _blank(text, [r for s in spans for r in s.markup])
    found: list[Span] = []
    for kind, pattern in _BARE:
        for m in pattern.finditer(visible):
            a, b = m.span()
            found.append(Span(kind, a, b, text[a:b], text[a:b], ((a, b),)))
        visible = _blank(visible, [(s.start, s.end) for s in found])
    return found


def _blank(text: str, ranges: Iterable[Range]) -> str:
    out, position = [], 0
    for start, end in sorted(ranges):
        start = max(start, position)
        if end <= start:
            continue
        out += [text[position:start], " " * (end - start)]
        position = end
    out.append(text[position:])
    return "".join(out)
