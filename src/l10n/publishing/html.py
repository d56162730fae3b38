"""HTML editions: one self-contained page per document and language, for screens and print.

The page is the edition's Markdown rendered in the project's one dialect, in a
template with `lang` and `dir` on the document, a title block from the front
matter, the translation status, the footnotes as numbered notes with links
back, and print CSS that WeasyPrint turns into the PDF (`publish.pdf`).  No
scripts, no external styles; fonts are named by family, Debian's Noto first.

Raw HTML: a msgstr is written by translators and machines, so nothing in it
may become markup.  Raw HTML renders as text (what markdown-it does with its
`html` option off), except an allow-list of inert inline tags without
attributes (`<sub>`, `<br>`, …) that Markdown cannot express; comments are
dropped.  The same rule holds for the source, so every edition renders alike.
Links and images keep only http(s), mailto and relative targets.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from html import escape
from importlib import resources
from pathlib import PurePosixPath
from typing import Any

import jinja2
import yaml
from babel.dates import format_date
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markupsafe import Markup

from ..errors import L10nError
from ..languages import Language, TypeStyle, language
from ..markdown import new_parser
from ..settings import SOURCE_LANGUAGE, PublishSettings
from .editions import EditionStatus
from .fetch import Reach
from .fonts import web_fonts
from .typography import (
    ISOLATE,
    Break,
    Close,
    Event,
    Keep,
    Kind,
    Numerals,
    Open,
    Text,
    address_events,
    is_address,
    kind_of_text,
    typeset,
)


@dataclass(frozen=True)
class Phrases:
    """The few words an edition prints around the text, in its language."""

    draft_word: str  # the note at the top of each PDF page
    status: str
    complete: str  # {total}
    notes: str
    back: str  # the label of a link from a note back to the text
    banner: dict[str, str]  # one line per kind of unfinished text (`_BANNER_KINDS`)
    counts: dict[str, str]  # the items of the status line, {n} each (`_COUNTS`)


@cache
def phrases() -> dict[str, Phrases]:
    """The phrases of every language, from `templates/phrases.toml` (reviewers edit it there)."""
    text = resources.files(__package__).joinpath("templates", "phrases.toml").read_text("utf-8")
    return {code: Phrases(**table) for code, table in tomllib.loads(text).items()}


@dataclass(frozen=True)
class _Page:
    """Everything about one edition that rendering needs, decided once."""

    lang: Language
    style: TypeStyle
    numerals: Numerals
    phrases: Phrases
    settings: PublishSettings

    @property
    def rtl(self) -> bool:
        return self.lang.direction == "rtl"

    @property
    def tag(self) -> str:
        return self.lang.tag

    @classmethod
    def of(cls, lang: Language, settings: PublishSettings) -> _Page:
        digits = settings.digits.get(lang.code, lang.digits)
        return cls(
            lang=lang,
            style=lang.type_style(settings.styles.get(lang.code)),
            numerals=Numerals.of(lang.babel_locale, digits),
            phrases=phrases().get(lang.code, phrases()["en"]),
            settings=settings,
        )


# --------------------------------------------------------------------------- safety

#: inline tags with no attributes and no behaviour, kept when they come in pairs
_INERT_TAGS = frozenset({"b", "i", "u", "s", "sub", "sup", "small", "mark", "kbd", "bdi"})
_TAG = re.compile(r"<(/?)([a-z]+)\s*(/?)>", re.IGNORECASE)
_COMMENT = re.compile(r"\s*(<!--.*?-->\s*)+", re.DOTALL)
#: http(s), mailto, and relative URLs (no scheme: no ':' before the first '/', '?' or '#'),
#: but not protocol-relative ones ('//host/…'); the cases live in tests/fixtures/hostile_links.txt
_SAFE_URL = re.compile(r"(?:https?:|mailto:|(?![/\\]{2})[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)
#: pictures carried in the page itself, in formats that cannot hold scripts (SVG can)
_SAFE_IMAGE = re.compile(r"data:image/(?:png|gif|jpeg|webp);", re.IGNORECASE)


def _safe_url(url: str, image: bool = False) -> bool:
    """Whether an edition may link to `url` (or show it, as an image).

    `url` is what markdown-it made of the destination: entities decoded, then
    spaces and control characters percent-encoded, so `&#106;avascript:` arrives
    as `javascript:` and ` javascript:` as `%20javascript:`; both are refused.
    An allow-list, because schemes come and go (`intent:`, `ms-settings:`).
    A protocol-relative URL is refused: an edition opened from disk resolves it
    to `file://host/…`, which Windows fetches over SMB with the reader's
    credentials, and an image would reach that host without a click.
    """
    return bool(_SAFE_URL.match(url)) or (image and bool(_SAFE_IMAGE.match(url)))


def _validate_link(url: str) -> bool:
    """markdown-it's hook: a target no edition may print makes no link, image or definition.

    The hook cannot tell a link from an image, so it lets pictures through;
    `_secure` takes them off links.  What it refuses stays as written, in plain
    text, where a reviewer sees it.
    """
    return _safe_url(url, image=True)


def _mark_inert(children: Sequence[Token]) -> None:
    """Mark the html_inline tokens that may stay: `<br>`, and inert tags closed in the block.

    An opening tag remembers its closing token, so typesetting can treat the
    pair as one element (H<sub>2</sub>O is one Latin run).
    """
    open_at: dict[tuple[str, int], list[Token]] = {}
    depth = 0  # pairs must not straddle the edge of emphasis or a link
    for token in children:
        depth += token.nesting
        match = _TAG.fullmatch(token.content) if token.type == "html_inline" else None
        if not match:
            continue
        closing, name, empty = match[1], match[2].lower(), match[3]
        if name == "br" and not closing:
            token.meta["inert"] = True
        elif name in _INERT_TAGS and not empty:
            if not closing:
                open_at.setdefault((name, depth), []).append(token)
            elif open_at.get((name, depth)):
                opening = open_at[(name, depth)].pop()
                opening.meta.update(inert=True, closed_by=token)
                token.meta["inert"] = True


def _secure(tokens: Sequence[Token]) -> None:
    """Mark the raw HTML that may stay; a link to a picture (`data:image/…`) loses its target.

    Every other target was refused while parsing (`_validate_link`).
    """
    for token in tokens:
        if token.type == "inline" and token.children:
            _mark_inert(token.children)
            _secure(token.children)
        elif token.type == "link_open" and not _safe_url(str(token.attrGet("href") or "")):
            del token.attrs["href"]


def _keep_within(tokens: Sequence[Token], reach: Reach) -> None:
    """An image the edition may not show becomes its alt text; a link it may not point to
    keeps its text and loses its target (`fetch.Reach`)."""
    for token in tokens:
        if token.children:
            _keep_within(token.children, reach)
        if token.type == "image" and not reach.may_show(str(token.attrGet("src") or "")):
            token.type, token.tag, token.attrs, token.children = "text", "", {}, None
        elif token.type == "link_open" and not reach.may_link(str(token.attrGet("href") or "#")):
            del token.attrs["href"]


def _html_block(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    content = tokens[idx].content
    if _COMMENT.fullmatch(content):
        return ""
    return f'<pre class="raw-html">{escape(content)}</pre>\n'


def _html_inline(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    if token.meta.get("inert"):
        return token.content
    if _COMMENT.fullmatch(token.content):
        return ""
    return escape(token.content)


# --------------------------------------------------------------------------- footnotes


def _footnote_caption(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return env[_PAGE].numerals.number(tokens[idx].meta["id"] + 1)


def _footnote_ref(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    number = meta["id"] + 1
    sub = meta.get("subId", 0)
    ref_id = f"fnref{number}" + (f":{sub}" if sub else "")
    caption = self.rules["footnote_caption"](tokens, idx, options, env)
    html = f'<sup class="footnote-ref"><a href="#fn{number}" id="{ref_id}">{caption}</a></sup>'
    body = env[_NOTES].get(meta["id"]) if sub == 0 else None
    if body is not None:  # the note itself, floated to the foot of the page in print
        # its own id, so a PDF names the page the note starts on (`fnprint3`) as it does the mark's
        html += f'<span class="footnote-print" id="fnprint{number}">{body}</span>'
    return html


def _footnote_block_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    notes = escape(env[_PAGE].phrases.notes)
    return (
        '<section class="footnotes" aria-labelledby="notes-title">\n'
        f'<h2 id="notes-title">{notes}</h2>\n<ol class="footnotes-list">\n'
    )


def _footnote_block_close(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    return "</ol>\n</section>\n"


def _footnote_anchor(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    ref_id = f"fnref{meta['id'] + 1}" + (f":{meta['subId']}" if meta.get("subId") else "")
    back = escape(env[_PAGE].phrases.back, quote=True)
    return f' <a href="#{ref_id}" class="footnote-backref" aria-label="{back}">↑</a>'


def _inline(md: MarkdownIt, tokens: Sequence[Token], env: dict[str, Any]) -> str:
    """Inline tokens as HTML (markdown-it types its renderer as a protocol without this)."""
    renderer = md.renderer
    if not isinstance(renderer, RendererHTML):
        raise TypeError(f"an HTML renderer is needed, not {type(renderer).__name__}")
    return renderer.renderInline(tokens, md.options, env)


def _footnote_bodies(tokens: Sequence[Token], md: MarkdownIt, env: dict) -> dict[int, str]:
    """Each note's text as inline HTML, to be placed at its first reference for print."""
    bodies: dict[int, list[str]] = {}
    current: int | None = None
    for token in tokens:
        if token.type == "footnote_open":
            current = token.meta["id"]
            bodies[current] = []
        elif token.type == "footnote_close":
            current = None
        elif token.type == "inline" and current is not None:
            bodies[current].append(_inline(md, token.children or [], env))
    return {key: "<br>".join(parts) for key, parts in bodies.items()}


# --------------------------------------------------------------------------- renderer

_PAGE = "l10n_page"
_NOTES = "l10n_notes"

_RULES = {
    "html_block": _html_block,
    "html_inline": _html_inline,
    "footnote_caption": _footnote_caption,
    "footnote_ref": _footnote_ref,
    "footnote_block_open": _footnote_block_open,
    "footnote_block_close": _footnote_block_close,
    "footnote_anchor": _footnote_anchor,
}


@cache
def _markdown() -> MarkdownIt:
    """The project's dialect with the publishing rules: the link allow-list and the renderers.

    Only publishing parses with it: extraction and checks keep markdown-it's own
    link rules, so the segments of a document do not depend on the policy.
    """
    md = new_parser()
    md.validateLink = _validate_link  # type: ignore[method-assign]
    for name, rule in _RULES.items():
        md.add_render_rule(name, rule)
    return md


def document_targets(markdown_text: str) -> set[str]:
    """The targets of a document's images and links, as markdown-it reads them (what
    `fetch.Reach` is asked about)."""
    targets: set[str] = set()
    stack = list(_markdown().parse(markdown_text, {_PAGE: None, _NOTES: {}}))
    while stack:
        token = stack.pop()
        stack += token.children or []
        target = token.attrGet("src") if token.type == "image" else token.attrGet("href")
        if target is not None:
            targets.add(str(target))
    return targets


# --------------------------------------------------------------------------- typesetting

_BARRIERS = frozenset({"footnote_ref", "image", "hardbreak", "html_inline"})


@dataclass
class _Element:
    """An inline element (emphasis, link…) with its contents, typeset as one unit."""

    open: Token
    children: list[Token]
    close: Token


def _text_of(tokens: Sequence[Token]) -> str:
    return "".join(t.content for t in tokens if t.type in ("text", "code_inline"))


def _kind(item: object) -> Kind:
    """The kind of an inline item for typesetting (`typeset` hands back what it was given)."""
    if isinstance(item, _Element):
        return kind_of_text(_text_of(item.children)) if item.children else Kind.NEUTRAL
    if not isinstance(item, Token):
        return Kind.NEUTRAL
    if item.type == "softbreak":
        return Kind.SPACE
    if item.type in _BARRIERS:
        return Kind.BARRIER
    return kind_of_text(item.content) if item.content else Kind.NEUTRAL


def _items(children: Sequence[Token]) -> list[str | Token | _Element]:
    """Texts, elements with their contents, and single tokens, in order."""
    items: list[str | Token | _Element] = []
    index = 0
    while index < len(children):
        token = children[index]
        if token.type == "text":
            if items and isinstance(items[-1], str):
                items[-1] += token.content
            else:
                items.append(token.content)
        elif token.nesting == 1 or "closed_by" in token.meta:
            end = _closing(children, index)
            items.append(_Element(token, list(children[index + 1 : end]), children[end]))
            index = end
        else:
            items.append(token)
        index += 1
    return items


def _closing(children: Sequence[Token], index: int) -> int:
    """The index of the token that closes the element opened at `index`."""
    partner = children[index].meta.get("closed_by")
    if partner is not None:
        return next(i for i in range(index + 1, len(children)) if children[i] is partner)
    depth, end = 1, index
    while depth:
        end += 1
        depth += children[end].nesting
    return end


def _wrapper(tag: str, attrs: dict[str, str]) -> tuple[Token, Token]:
    opening = Token(f"{tag}_open", tag, 1)
    for name, value in attrs.items():
        opening.attrSet(name, value)
    return opening, Token(f"{tag}_close", tag, -1)


_TAGS = {ISOLATE: ("bdi", {"dir": "ltr"}), "nobreak": ("span", {"class": "nobreak"})}


def _typeset_inline(
    children: Sequence[Token], numerals: Numerals | None, *, rtl: bool
) -> list[Token]:
    """Inline tokens with Latin runs isolated, acronyms unbreakable and numbers localized."""
    out: list[Token] = []
    for event in typeset(_items(children), _kind, numerals, rtl=rtl):
        if not isinstance(event, Keep):
            out += _tokens([event])
        elif isinstance(event.item, _Element) and _address(event.item):
            item = event.item
            out += [item.open, *_address_tokens(_text_of(item.children)), item.close]
        elif isinstance(event.item, _Element):
            inside_rtl = rtl and not event.in_latin_run
            inner = _typeset_inline(
                event.item.children, numerals if inside_rtl else None, rtl=inside_rtl
            )
            out += [event.item.open, *inner, event.item.close]
        else:
            out.append(event.item)
    return out


def _tokens(events: Sequence[Event]) -> list[Token]:
    """Typesetting's own events as tokens: text, isolates and unbreakable spans, `<wbr>`."""
    tokens: list[Token] = []
    for event in events:
        if isinstance(event, Text):
            token = Token("text", "", 0)
            token.content = event.text
        elif isinstance(event, Break):
            token = Token("html_inline", "", 0)
            token.content = "<wbr>"
            token.meta["inert"] = True
        elif isinstance(event, Open | Close):
            token = _wrapper(*_TAGS[event.tag])[0 if isinstance(event, Open) else 1]
        else:
            raise TypeError(f"not a typesetting event of its own: {event!r}")
        tokens.append(token)
    return tokens


def _address(item: object) -> str | None:
    """The web address a link shows as its text, if that is what it shows."""
    if not (isinstance(item, _Element) and item.open.type == "link_open"):
        return None
    if not all(token.type == "text" for token in item.children):
        return None
    text = _text_of(item.children)
    return text if is_address(text) else None


def _address_tokens(address: str) -> list[Token]:
    """An address in unbreakable chunks with a break opportunity (`<wbr>`) between them."""
    return _tokens(address_events(address))


def _reads_as_source(children: Sequence[Token]) -> bool:
    """Latin letters and no right-to-left ones: a block left in the source language.

    Web addresses do not count: a line that holds only an address (an
    imprint's) belongs to the edition and aligns with its text.
    """
    items = [item for item in _items(children) if _address(item) is None]
    words = [t for item in items for t in _tokens_of(item)]
    return kind_of_text(_text_of(words)) is Kind.LATIN


def _tokens_of(item: str | Token | _Element) -> list[Token]:
    if isinstance(item, str):
        token = Token("text", "", 0)
        token.content = item
        return [token]
    if isinstance(item, _Element):
        return item.children
    return [item]


def _typeset_blocks(tokens: list[Token], page: _Page) -> None:
    """Typeset every block; in a right-to-left edition, tag the blocks left in English."""
    for index, token in enumerate(tokens):
        if token.type == "inline" and token.children:
            if page.rtl and _reads_as_source(token.children):
                token.children = _typeset_inline(token.children, None, rtl=False)
                _tag_source(tokens, index)
            else:
                numerals = page.numerals if page.rtl else None
                token.children = _typeset_inline(token.children, numerals, rtl=page.rtl)
        elif token.type in ("th_open", "td_open"):
            _logical_alignment(token)


_SOURCE_ATTRS = {"lang": SOURCE_LANGUAGE, "dir": "ltr", "class": "source-text"}


def _tag_source(tokens: list[Token], index: int) -> None:
    block = tokens[index - 1]
    if block.type == "paragraph_open" and block.hidden:  # tight list item: no <p> to tag
        opening, closing = _wrapper("span", _SOURCE_ATTRS)
        tokens[index].children = [opening, *(tokens[index].children or []), closing]
        return
    for name, value in _SOURCE_ATTRS.items():
        block.attrSet(name, value)


def _logical_alignment(cell: Token) -> None:
    """A column aligned `---:` in English means aligned to the end of the line, in any script."""
    style = str(cell.attrGet("style") or "")
    if style:
        style = style.replace("text-align:left", "text-align:start")
        cell.attrSet("style", style.replace("text-align:right", "text-align:end"))


def _inline_html(text: str, page: _Page, env: dict) -> Markup:
    """A front-matter value as HTML, typeset like the body."""
    token = Token("text", "", 0)
    token.content = text
    rtl = page.rtl and not _reads_as_source([token])
    children = _typeset_inline([token], page.numerals if rtl else None, rtl=rtl)
    md = _markdown()
    html = _inline(md, children, env)
    if page.rtl and not rtl:
        html = f'<span lang="{SOURCE_LANGUAGE}" dir="ltr">{html}</span>'
    return Markup(html)


def _plain_text(text: str, page: _Page) -> str:
    """A front-matter value as plain text (the page title), its numbers as printed."""
    rtl = page.rtl and kind_of_text(text) is not Kind.LATIN
    events = typeset([text], _kind, page.numerals if rtl else None, rtl=rtl)
    return "".join(event.text for event in events if isinstance(event, Text))


# --------------------------------------------------------------------------- title block

_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"\d{4}")


def _localized_date(value: object, page: _Page) -> tuple[str, str] | None:
    """(machine-readable, localized) for a front-matter date: "2021-12" → December 2021."""
    locale = page.lang.babel_locale
    if isinstance(value, date):
        shown = format_date(value, "long", locale=locale)
        machine = value.isoformat()
    elif isinstance(value, str) and (match := _YEAR_MONTH.fullmatch(value.strip())):
        day = date(int(match[1]), int(match[2]), 1)
        shown = format_date(day, "LLLL y", locale=locale)
        machine = value.strip()
    elif isinstance(value, str | int) and _YEAR.fullmatch(str(value).strip()):
        shown = machine = str(value).strip()
    elif isinstance(value, str):
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError:
            return None
        return _localized_date(parsed, page)
    else:
        return None
    return machine, page.numerals.convert(shown) if page.rtl else shown


def _front_matter(tokens: Sequence[Token], label: str) -> dict[str, Any]:
    """The edition's front matter as data; `label` names the edition's source in errors."""
    for token in tokens:
        if token.type == "front_matter":
            try:
                data = yaml.safe_load(token.content) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                line = (token.map[0] if token.map else 0) + 2 + (mark.line if mark else 0)
                raise L10nError(f"cannot read the front matter: {exc}", label, line) from exc
            return data if isinstance(data, dict) else {}
    return {}


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, str | int | float) and str(v).strip()]
    return []


#: what the status line counts, in order; reviewed is always said, the rest when not zero
_COUNTS: tuple[tuple[str, Callable[[EditionStatus], int]], ...] = (
    ("reviewed", lambda s: s.reviewed),
    ("unreviewed", lambda s: s.unreviewed),
    ("translators", lambda s: s.by_translators),
    ("machine", lambda s: s.machine),
    ("memory", lambda s: s.memory),
    ("held_back", lambda s: s.held_back),
    ("in_english", lambda s: s.untranslated - s.held_back),
)
#: the banner's lines: a kind of unfinished text is named when the edition prints some
_BANNER_KINDS: tuple[tuple[str, Callable[[EditionStatus], int]], ...] = (
    ("machine", lambda s: s.machine),
    ("memory", lambda s: s.memory),
    ("translators", lambda s: s.by_translators),
    ("unreviewed", lambda s: s.unreviewed),
    ("source", lambda s: s.untranslated),
)


def _status_line(status: EditionStatus, page: _Page) -> str | None:
    """Counts of the catalog's entries by what the edition printed, in the edition's digits."""
    if status.original:
        return None
    number = page.numerals.number
    if status.is_final:
        return page.phrases.complete.format(total=number(status.total))
    comma = dict(page.lang.punctuation).get(",", ",") + " "
    items = [
        page.phrases.counts[key].format(n=number(count(status)))
        for key, count in _COUNTS
        if key == "reviewed" or count(status)
    ]
    passages = page.phrases.counts["passages"].format(n=number(status.total))
    return f"{passages}: {comma.join(items)}"


def _banner(status: EditionStatus, page: _Page) -> tuple[str, str] | None:
    """(in the edition's language, in English): each kind of unfinished text it prints, named."""
    if status.is_final:
        return None
    kinds = [kind for kind, count in _BANNER_KINDS if count(status)]
    english = phrases()["en"].banner
    return (
        " · ".join(page.phrases.banner[kind] for kind in kinds),
        " · ".join(english[kind] for kind in kinds),
    )


# --------------------------------------------------------------------------- page


@cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("l10n.publishing", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


_GENERIC_FAMILIES = frozenset({"serif", "sans-serif", "monospace"})


def _font_list(fonts: Sequence[str]) -> str:
    return ", ".join(f if f in _GENERIC_FAMILIES else f'"{f}"' for f in fonts)


def _css_string(text: str) -> str:
    return "".join(c if c.isalnum() or c in " ·—-" else f"\\{ord(c):x} " for c in text)


def _draft_note(page: _Page) -> str:
    words = dict.fromkeys([page.phrases.draft_word, phrases()["en"].draft_word])
    return " · ".join(words)


def _css(page: _Page, final: bool) -> Markup:
    style = page.style
    css = (
        _templates()
        .get_template("edition.css")
        .render(
            fonts=Markup(_font_list(style.fonts)),
            latin_fonts=Markup(_font_list(language(SOURCE_LANGUAGE).type_style().fonts)),
            size=style.size,
            latin_size=style.latin_size,
            line_height=style.line_height,
            heading_line_height=round(max(1.25, style.line_height - 0.5), 2),
            digits=page.numerals.digits,
            page_size=page.settings.page_size,
            footnotes=page.settings.footnotes,
            draft_note=None if final else Markup(_css_string(_draft_note(page))),
            end_side="left" if page.rtl else "right",
            # a note or list number ends with the language's full stop (Urdu ۔)
            number_suffix=Markup(_css_string(dict(page.lang.punctuation).get(".", ".") + " ")),
        )
    )
    return Markup(css)


def _document_name(source_label: str) -> str:
    """An untitled document's name for the page title: no file path goes into an edition."""
    return PurePosixPath(source_label).stem


def render_html(
    markdown_text: str,
    lang: str,
    *,
    status: EditionStatus,
    source_label: str,
    settings: PublishSettings | None = None,
    reach: Reach | None = None,
    fonts: bool = False,
) -> str:
    """The edition as one self-contained HTML page (`lang` "en" for the original).

    `reach` decides which images the page may show and which files it may link to;
    `fonts` embeds subsets of its fonts, for devices without them (`fonts.web_fonts`).
    """
    page = _Page.of(language(lang), settings or PublishSettings())
    md = _markdown()
    env: dict[str, Any] = {_PAGE: page, _NOTES: {}}
    tokens = md.parse(markdown_text, env)
    meta = _front_matter(tokens, source_label)
    tokens = [t for t in tokens if t.type != "front_matter"]
    _secure(tokens)
    if reach is not None:
        _keep_within(tokens, reach)
    _typeset_blocks(tokens, page)
    if page.settings.footnotes == "bottom":
        env[_NOTES] = _footnote_bodies(tokens, md, env)
    body = md.renderer.render(tokens, md.options, env)
    titles = _texts(meta.get("title"))
    html = (
        _templates()
        .get_template("edition.html")
        .render(
            lang=page.tag,
            dir=page.lang.direction,
            style=page.style.name,
            footnotes=page.settings.footnotes,
            css=_css(page, status.is_final),
            plain_title=_plain_text(titles[0], page) if titles else _document_name(source_label),
            title=_inline_html(titles[0], page, env) if titles else None,
            subtitle=[_inline_html(t, page, env) for t in _texts(meta.get("subtitle"))],
            authors=[_inline_html(t, page, env) for t in _texts(meta.get("authors"))],
            plain_authors=", ".join(_texts(meta.get("authors"))),
            author_separator=dict(page.lang.punctuation).get(",", ",") + " ",
            full_stop=dict(page.lang.punctuation).get(".", "."),
            publisher=[_inline_html(t, page, env) for t in _texts(meta.get("publisher"))],
            rights=[_inline_html(t, page, env) for t in _texts(meta.get("rights"))],
            date=_localized_date(meta.get("date"), page),
            final=status.is_final,
            phrases=page.phrases,
            english=phrases()["en"],
            status_line=_status_line(status, page),
            banner=_banner(status, page),
            status=status,
            body=Markup(body),
        )
    )
    return _with_fonts(html, page) if fonts else html


def _with_fonts(html: str, page: _Page) -> str:
    """The page with `@font-face` rules carrying the letters it uses (list numbers too)."""
    families = (*page.style.fonts, *language(SOURCE_LANGUAGE).type_style().fonts)
    rules = web_fonts(html, families, extra=page.numerals.digits)
    return html.replace("</style>", f"{rules}\n</style>", 1) if rules else html
