"""Helpers the tests share: HTML comparison and markup-preserving text transforms."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from html.parser import HTMLParser
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from l10n.document import Segment
from l10n.markdown import new_parser, render_html

# Markup that a translator keeps as it is: footnote refs, link destinations and
# reference labels (a shortcut reference's text is its label), autolinks/HTML,
# entities, code spans, escapes.
PROTECTED = re.compile(
    r"\[\^[^\]]*\]"
    r"|\[[^\]\[]*\](?:\[\])?(?![(\[])"
    r"|\]\([^)]*\)"
    r"|\]\[[^\]]*\]"
    r"|<[^>]*>"
    r"|&#?\w+;"
    r"|(`+).*?\1"
    r"|\\."
    r"|\[[^\]]*\]$",
    re.S,
)


def transform_text(text: str, change) -> str:
    """Apply `change` to the prose of a msgid, leaving markup untouched."""
    out, cursor = [], 0
    for match in PROTECTED.finditer(text):
        out.append(change(text[cursor : match.start()]))
        out.append(match.group(0))
        cursor = match.end()
    out.append(change(text[cursor:]))
    return "".join(out)


def uppercase(seg: Segment) -> str:
    return transform_text(seg.msgid, str.upper)


_PASHTO = dict(zip("abcdefghijklmnopqrstuvwxyz", "ابپتټثجچحخدډذرړزژسشصضطظعغف", strict=False))


def pashto_letters(seg: Segment) -> str:
    """Latin letters swapped for Pashto ones: a right-to-left text with the same markup."""
    return transform_text(seg.msgid, lambda s: "".join(_PASHTO.get(c.lower(), c) for c in s))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        self.tags.append("/" + tag)


def tag_sequence(markdown: str) -> list[str]:
    """The HTML elements a Markdown text renders to, in order (the document's structure)."""
    parser = _Tags()
    parser.feed(render_html(markdown))
    return parser.tags


_PRE = re.compile(r"(<pre>.*?</pre>)", re.S)


def normalized_html(markdown: str) -> str:
    """Rendered HTML with runs of whitespace outside <pre> collapsed.

    A soft line break renders as "\\n" and the joined line as " "; browsers
    display both the same way, so this is the equality the round trip promises
    for soft-wrapped paragraphs.
    """
    parts = _PRE.split(render_html(markdown))
    return "".join(p if p.startswith("<pre>") else re.sub(r"\s+", " ", p) for p in parts)


def _as_displayed(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A soft line break is written as the space it is displayed as."""
    return " "


def _tag_as_displayed(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Inside an inline HTML tag, white space is one space: `<span\\nclass>` is `<span class>`."""
    return re.sub(r"\s+", " ", tokens[idx].content)


@cache
def _reader() -> MarkdownIt:
    md = new_parser()
    md.add_render_rule("softbreak", _as_displayed)
    md.add_render_rule("html_inline", _tag_as_displayed)
    return md


def html_as_read(markdown: str) -> str:
    """`render_html` with the only two differences a joined msgid may make written alike.

    A msgid joins soft-wrapped lines, so a soft break (rendered "\\n") comes
    back as a space, and a tag broken over lines comes back on one.  Browsers
    show both the same; every other byte of the HTML (text, entities, code,
    hard breaks, attributes, white space in <pre>, structure) must match.
    """
    return _reader().render(markdown, {})
