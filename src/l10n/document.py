"""A Markdown document as translatable segments plus the skeleton around them.

The skeleton is the source itself: a segment is a character span of the
source, so everything that is not a segment (container markers, indentation,
code blocks, HTML blocks, link definitions, footnote labels, blank lines) is
copied byte for byte.  Publishing replaces each span by its translation; a
span whose translation equals its msgid is copied as it was, so the identity
translation reproduces the source exactly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import yaml
from markdown_it.common.utils import MD_TRIM_CHARS
from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .errors import L10nError
from .markdown import INDENT, LINE_ENDS, LINE_STARTS, block_parser, parser
from .settings import DEFAULT_FRONT_MATTER_KEYS

#: How a span is written back and which translations fit in it.
Slot = Literal["paragraph", "heading", "setext", "cell", "alt", "yaml"]

#: The kind of an underlined (setext) heading ends so, e.g. "heading 2 (underlined)".
UNDERLINED = " (underlined)"
#: Kinds (as translators read them in the catalog) by how they start, and their slots;
#: every other kind (paragraph, list item, block quote, footnote) is a paragraph.
_SLOT_OF_KIND: tuple[tuple[str, Slot], ...] = (
    ("front matter", "yaml"),
    ("image alt text", "alt"),
    ("table", "cell"),
    ("heading", "heading"),
)


def slot_of(kind: str) -> Slot:
    """The slot of a block kind: decided here only, for extraction, publishing and checks.

    The kind is written into each catalog entry (`#.`), so a check of a lone
    catalog judges a translation by the same rule that publishing applies.
    """
    if kind.startswith("heading") and kind.endswith(UNDERLINED):
        return "setext"
    return next((slot for start, slot in _SLOT_OF_KIND if kind.startswith(start)), "paragraph")


_CONTAINERS = {
    "blockquote_open": "block quote",
    "list_item_open": "list item",
    "footnote_reference_open": "footnote",
    "th_open": "table header cell",
    "td_open": "table cell",
}


_OPENERS = frozenset(_CONTAINERS) | {"table_open", "tr_open"}
_CLOSERS = frozenset(t.removesuffix("_open") + "_close" for t in _OPENERS)


@dataclass(frozen=True)
class Segment:
    """One translatable block: what translators see, and where it sits in the source."""

    msgid: str
    kind: str  # for translators, e.g. "heading 2", "list item", "footnote [^3]"
    slot: Slot
    line: int  # 1-based source line of the block's first line
    start: int  # span of the source replaced by the translation
    end: int
    continuation: str = ""  # prefix for each further line of a multi-line translation


@dataclass
class Document:
    """Source text, its segments in source order, and the newline style to write back."""

    path: str
    source: str
    segments: list[Segment] = field(default_factory=list)
    newline: str = "\n"


def normalize_newlines(text: str) -> tuple[str, str]:
    """Text with LF newlines (as markdown-it sees it) and the style to restore."""
    newline = "\r\n" if "\r\n" in text else "\n"
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd"), newline


def parse_document(
    text: str,
    path: str = "<string>",
    front_matter_keys: Iterable[str] = DEFAULT_FRONT_MATTER_KEYS,
) -> Document:
    """Split a Markdown text into segments; raise L10nError on unreadable front matter."""
    source, newline = normalize_newlines(text)
    env: dict = {}
    tokens = block_parser().parse(source, env)
    builder = _SegmentBuilder(source, path, tuple(front_matter_keys))
    builder.walk(tokens)
    segments = sorted(builder.segments, key=lambda s: s.start)
    for segment in segments:
        deep = nesting_problem(segment.msgid) if segment.slot != "yaml" else None
        if deep is not None:
            raise L10nError(deep, path, segment.line)
    return Document(path=path, source=source, segments=segments, newline=newline)


Lookup = Callable[[Segment], "str | None"]


def render_document(
    doc: Document, translations: Mapping[str, str] | Lookup, keep_unchanged: bool = True
) -> str:
    """The document with each segment replaced by its translation (None keeps the source).

    `translations` maps msgids to translations, or is a function of the segment.

    A translation equal to its msgid keeps the source span as written (line
    wrapping included) unless `keep_unchanged` is False, which tests use to
    exercise the writing path with known text.
    """
    if isinstance(translations, Mapping):
        table = translations

        def by_msgid(seg: Segment) -> str | None:
            return table.get(seg.msgid)

        lookup: Lookup = by_msgid
    else:
        lookup = translations
    out: list[str] = []
    cursor = 0
    for seg in doc.segments:
        out.append(doc.source[cursor : seg.start])
        text = lookup(seg)
        if text is None or not text.strip() or (keep_unchanged and text == seg.msgid):
            out.append(doc.source[seg.start : seg.end])
        else:
            out.append(encode(seg, text, doc.source[seg.start : seg.end]))
        cursor = seg.end
    out.append(doc.source[cursor:])
    result = "".join(out)
    return result.replace("\n", doc.newline) if doc.newline != "\n" else result


def encode(seg: Segment, text: str, original: str) -> str:
    """A translation as it is written into its span."""
    if seg.slot == "yaml":
        trailing = original[len(original.rstrip()) :]
        return json.dumps(text, ensure_ascii=False) + trailing
    if seg.slot == "alt":
        return text
    text = text.strip(MD_TRIM_CHARS)
    if seg.slot in ("heading", "cell"):
        return text
    return ("\n" + seg.continuation).join(text.split("\n"))


# --------------------------------------------------------------------------- checks


def structure_problem(seg: Segment, text: str) -> str | None:
    """Why a translation would break the block it belongs to, or None if it fits."""
    return slot_problem(seg.slot, seg.msgid, text)


def slot_problem(slot: Slot, msgid: str, text: str) -> str | None:
    """Why `text` cannot stand in a slot in place of `msgid`: the rule publishing applies,
    and the one `l10n check` applies to a catalog entry (by `slot_of` its kinds)."""
    if slot == "yaml" or not text.strip() or text == msgid:
        return None
    deep = nesting_problem(text)
    if deep is not None:
        return deep
    if _plainly_fits(slot, text.strip(MD_TRIM_CHARS)):
        return None
    return _SLOT_CHECKS[slot](text)


#: Inline markup nested deeper than this is refused in a source and in a translation:
#: rendering walks the nesting recursively (as do HTML and PDF engines), and no prose
#: nests emphasis or links more than a few levels.
MAX_NESTING = 50


def nesting_problem(text: str) -> str | None:
    """Why a text nests its inline markup too deeply to be published, or None.

    Every level of emphasis or link takes at least one `*`, `_` or `[`, so only
    a text with more of them than the limit is parsed to measure its depth.
    """
    if text.count("*") + text.count("_") + text.count("[") <= MAX_NESTING:
        return None
    depth = deepest = 0
    for token in parser().parseInline(text, {})[0].children or []:
        depth += token.nesting
        deepest = max(deepest, depth)
    if deepest <= MAX_NESTING:
        return None
    return f"inline markup nested {deepest} levels deep (at most {MAX_NESTING} can be published)"


#: First characters with which a line can start something other than paragraph text.
_BLOCK_STARTERS = frozenset("#>-+*_=`~<[|: \t0123456789")


def _plainly_fits(slot: Slot, body: str) -> bool:
    """A one-line text that cannot open a block: no need to parse it (the common case)."""
    if "\n" in body or not body or body[0] in _BLOCK_STARTERS:
        return False
    if slot == "paragraph" or slot == "setext":
        return True
    if slot == "heading":
        return not body.endswith("#")
    if slot == "cell":
        return "|" not in body
    return False


def _block_types(markdown: str) -> list[str]:
    return [t.type for t in block_parser().parse(markdown, {}) if t.nesting >= 0]


def _check_paragraph(text: str) -> str | None:
    body = text.strip(MD_TRIM_CHARS)
    if "\n\n" in body.replace(" ", "").replace("\t", ""):
        return "contains a blank line, which would split the block in two"
    types = _block_types(body)
    if types != ["paragraph_open", "inline"]:
        return f"would be read as {_describe(types)}, not as one paragraph"
    return None


def _check_heading(text: str) -> str | None:
    body = text.strip(MD_TRIM_CHARS)
    if "\n" in body:
        return "a heading must stay on one line"
    tokens = block_parser().parse("# " + body, {})
    if [t.type for t in tokens] != ["heading_open", "inline", "heading_close"]:
        return "would not stay a single heading"
    if tokens[1].content != body:
        return "ends with '#', which Markdown reads as the heading's closing marks"
    return None


def _check_setext(text: str) -> str | None:
    body = text.strip(MD_TRIM_CHARS)
    tokens = block_parser().parse(body + "\n===", {})
    if [t.type for t in tokens] != ["heading_open", "inline", "heading_close"]:
        return "would not stay a single heading"
    return None


def _check_cell(text: str) -> str | None:
    body = text.strip(MD_TRIM_CHARS)
    if "\n" in body:
        return "a table cell must stay on one line"
    row = f"| {body} |"
    if len(cell_spans(row, 0, len(row))) != 1:
        return "contains an unescaped '|', which splits the table cell (write \\|)"
    return None


def _check_alt(text: str) -> str | None:
    tokens = parser().parse(f"![{text}](x)", {})
    children = tokens[1].children if len(tokens) == 3 and tokens[1].children else []
    if [c.type for c in children] != ["image"]:
        return "unbalanced brackets would break the image"
    return None


def _describe(types: Sequence[str]) -> str:
    names = [t.removesuffix("_open") for t in types if t != "inline"]
    return " + ".join(dict.fromkeys(names)) or "nothing"


_SLOT_CHECKS: dict[Slot, Callable[[str], str | None]] = {
    "paragraph": _check_paragraph,
    "heading": _check_heading,
    "setext": _check_setext,
    "cell": _check_cell,
    "alt": _check_alt,
}


# --------------------------------------------------------------------------- extraction


class _SegmentBuilder:
    """Walks the token stream once, keeping the stack of open containers."""

    def __init__(self, source: str, path: str, front_matter_keys: tuple[str, ...]):
        self.source = source
        self.path = path
        self.front_matter_keys = front_matter_keys
        self.segments: list[Segment] = []
        self.line_offsets = [0] + [m.end() for m in re.finditer("\n", source)]
        self._row_spans: dict[int, list[tuple[int, int]]] = {}  # the current table row's cells

    def walk(self, tokens: Sequence[Token]) -> None:
        stack: list[Token] = []
        block: Token | None = None  # the paragraph/heading/table whose inline comes next
        row_cells: list[int] = []  # per open table row: index of the next cell
        for token in tokens:
            if token.type == "front_matter":
                self._front_matter(token)
            elif token.type in _OPENERS:
                stack.append(token)
                if token.type == "tr_open":
                    row_cells.append(0)
            elif token.type in _CLOSERS:
                stack.pop()
                if token.type == "tr_close":
                    row_cells.pop()
            elif token.type in ("paragraph_open", "heading_open"):
                block = token
            elif token.type == "inline" and stack and stack[-1].type in ("th_open", "td_open"):
                self._cell(token, stack, row_cells[-1])
                row_cells[-1] += 1
            elif token.type == "inline" and block is not None:
                self._block(token, block, stack)
                block = None

    # -- blocks

    def _block(self, inline: Token, block: Token, stack: list[Token]) -> None:
        starts, ends = block.meta[LINE_STARTS], block.meta[LINE_ENDS]
        first_line = _first_line(inline)
        if block.type == "heading_open":
            setext = block.markup in ("=", "-")
            kind = f"heading {block.tag[1]}"
            if setext:
                starts, ends = starts[:-1], ends[:-1]  # the underline is not content
                kind += UNDERLINED
        else:
            setext = False
            kind = self._kind(stack)
        start = starts[0]
        end = ends[-1]
        while end > start and self.source[end - 1] in MD_TRIM_CHARS:
            end -= 1
        if block.type == "heading_open" and not setext:
            start, end = self._atx_content(start, ends[0], inline.content)
        if not inline.content:
            return
        if not setext and block.type == "paragraph_open" and _image_only(inline.content):
            self._alt(inline, start, first_line)
            return
        slot = slot_of(kind)
        msgid = join_soft_breaks(inline.content)
        if msgid != inline.content and (
            not _joins_safely(inline.content, msgid)
            or slot_problem(slot, inline.content, msgid) is not None  # "**" + "*" is a rule
        ):
            msgid = inline.content
        self._check_span(start, end, inline.content, first_line)
        prefix = self.source[self.line_offsets[first_line] : start]
        self.segments.append(
            Segment(
                msgid=msgid,
                kind=kind,
                slot=slot,
                line=first_line + 1,
                start=start,
                end=end,
                continuation=_continuation(prefix, stack, block.meta.get(INDENT, 0)),
            )
        )

    def _atx_content(self, start: int, line_end: int, content: str) -> tuple[int, int]:
        pos = start
        while pos < line_end and self.source[pos] == "#":
            pos += 1
        while pos < line_end and self.source[pos] in MD_TRIM_CHARS:
            pos += 1
        return pos, pos + len(content)

    def _check_span(self, start: int, end: int, content: str, line: int) -> None:
        """Guard the offsets: the span must begin and end with the parsed content."""
        span = self.source[start:end]
        first, last = content.split("\n")[0], content.split("\n")[-1]
        if not (span.startswith(first.strip(MD_TRIM_CHARS)) and span.endswith(last.strip())):
            raise L10nError(
                "internal error: could not locate this block in the source", self.path, line + 1
            )

    def _alt(self, inline: Token, start: int, line: int) -> None:
        content = inline.content
        state = StateInline(content, parser(), {}, [])
        label_end = parseLinkLabel(state, 1, True)
        if label_end < 0 or not content[2:label_end].strip() or "\n" in content[2:label_end]:
            return
        self.segments.append(
            Segment(
                msgid=content[2:label_end],
                kind="image alt text",
                slot=slot_of("image alt text"),
                line=line + 1,
                start=start + 2,
                end=start + label_end,
            )
        )

    def _cell(self, inline: Token, stack: list[Token], index: int) -> None:
        table = next(t for t in reversed(stack) if t.type == "table_open")
        row = _first_line(inline) - _first_line(table)
        starts, ends = table.meta[LINE_STARTS], table.meta[LINE_ENDS]
        if starts[row] not in self._row_spans:
            self._row_spans = {starts[row]: cell_spans(self.source, starts[row], ends[row])}
        spans = self._row_spans[starts[row]]
        if index >= len(spans):
            return  # a cell the row does not have: markdown-it renders it empty
        start, end = spans[index]
        if start == end:
            return
        self.segments.append(
            Segment(
                msgid=self.source[start:end],
                kind=_CONTAINERS[stack[-1].type],
                slot=slot_of(_CONTAINERS[stack[-1].type]),
                line=_first_line(inline) + 1,
                start=start,
                end=end,
            )
        )

    def _kind(self, stack: list[Token]) -> str:
        for token in reversed(stack):
            if token.type == "footnote_reference_open":
                return f"footnote [^{token.meta.get('label', '')}]"
            if token.type in _CONTAINERS:
                return _CONTAINERS[token.type]
        return "paragraph"

    # -- front matter

    def _front_matter(self, token: Token) -> None:
        opening = _first_line(token)
        base = self.line_offsets[opening + 1]
        text = self.source[base : base + len(token.content)]
        try:
            node = yaml.compose(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = opening + 2 + (mark.line if mark else 0)
            raise L10nError(f"front matter is not valid YAML: {exc}", self.path, line) from exc
        if node is None:
            return
        _check_values(node, self.path, opening + 2)
        if not isinstance(node, yaml.MappingNode):
            return
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in self.front_matter_keys:
                continue
            items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for item in items:
                if _is_text(item):
                    self.segments.append(
                        Segment(
                            msgid=item.value,
                            kind=f"front matter: {key}",
                            slot=slot_of(f"front matter: {key}"),
                            line=opening + 2 + item.start_mark.line,
                            start=base + item.start_mark.index,
                            end=base + item.end_mark.index,
                        )
                    )


#: A year and month, the other form of date the title block reads ("2021-12").
_YEAR_MONTH = re.compile(r"\s*(\d{4})-(\d{2})\s*")


def _check_values(root: yaml.Node, path: str, first_line: int) -> None:
    """Refuse front matter that YAML reads but cannot turn into values, with its line.

    `2021-02-30` or `0000-01-01` unquoted are timestamps that do not exist, and
    an integer of 5,000 digits exceeds Python's limit: a YAML loader raises a
    bare ValueError on them.  A `date` of the form YYYY-MM must name a month.
    """
    loader = yaml.SafeLoader("")
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str | None]] = [(root, None)]
    while stack:
        node, key = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack += [(item, None) for item in node.value]
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                stack += [(key_node, None), (value_node, name if node is root else None)]
        elif isinstance(node, yaml.ScalarNode):
            line = first_line + node.start_mark.line
            try:
                value = loader.construct_object(node)
            except (ValueError, OverflowError, yaml.YAMLError) as exc:
                raise L10nError(
                    f"front matter value {_short(node.value)!r} cannot be read ({exc}); "
                    "quote it to keep it as text",
                    path,
                    line,
                ) from exc
            dated = key == "date" and isinstance(value, str)
            month = _YEAR_MONTH.fullmatch(value) if dated else None
            if month and not (int(month[1]) >= 1 and 1 <= int(month[2]) <= 12):
                raise L10nError(
                    f"date {value.strip()!r} is not a month; write YYYY-MM or YYYY-MM-DD",
                    path,
                    line,
                )


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _first_line(token: Token) -> int:
    """The 0-based source line of a block-level token (markdown-it maps every one)."""
    if token.map is None:
        raise L10nError(f"internal error: markdown-it gave no position for {token.type}")
    return token.map[0]


def _is_text(node: yaml.Node) -> bool:
    return (
        isinstance(node, yaml.ScalarNode)
        and node.tag == "tag:yaml.org,2002:str"
        and bool(node.value.strip())
    )


def _continuation(prefix: str, stack: Sequence[Token], indent: int = 0) -> str:
    """Prefix for further lines: the first line's container markers, blanked out.

    Columns are kept (each marker character becomes one space, tabs become the
    spaces they stand for), so a continuation line lands in the same container
    as the first line; block quote markers are kept so the quote does not rely
    on lazy continuation.  The block's own indentation (`indent` columns beyond
    the container's) is not repeated, and a quote marker is followed by the
    space it may swallow: markdown-it keeps a line's further white space, which
    a code span reads as text.
    """
    in_quote = any(t.type == "blockquote_open" for t in stack)
    keep = "> \t" if in_quote else " \t"
    blanked = "".join(c if c in keep else " " for c in prefix).expandtabs(4)
    own = min(indent, len(blanked) - len(blanked.rstrip(" ")))
    blanked = blanked[: len(blanked) - own]
    return blanked + " " if blanked.endswith(">") else blanked


_LINE_BREAK = re.compile(r"( *)(\\*)\n([ \t]*)")


def join_soft_breaks(content: str) -> str:
    """One line for translators: soft line breaks become spaces; hard breaks stay.

    A newline is a hard break after two spaces or an unescaped backslash
    (inside a code span such a newline is kept too, which is what the source
    had).  Every other newline renders as white space wherever it stands, so it
    is joined, and the next line's indentation dropped.
    """

    def join(match: re.Match[str]) -> str:
        spaces, backslashes, indent = match.groups()
        if len(backslashes) % 2 == 1 or (not backslashes and len(spaces) >= 2):
            return spaces + backslashes + "\n" + indent  # the indent can matter: "\t=" is text
        if not backslashes and spaces and not _escaped(match.string, match.start()):
            spaces = spaces[:-1]  # the one space before a soft break is not rendered
        return spaces + backslashes + " "

    return _LINE_BREAK.sub(join, content) if "\n" in content else content


def _escaped(text: str, pos: int) -> bool:
    """Whether an odd run of backslashes ends at `pos`: markdown-it reads "\\ " as one
    token, so the space it escapes stays before a soft break."""
    start = pos
    while start and text[start - 1] == "\\":
        start -= 1
    return (pos - start) % 2 == 1


_BACKTICKS = re.compile(r"`+")


def _breaks_inside_markup(content: str) -> bool:
    """Whether some newline may stand inside `<…>` or a code span (cheap, conservative)."""
    if "<" not in content and "`" not in content:
        return False
    if "pre>" in content.lower() or "\\`" in content:  # an escaped backtick opens nothing
        return True
    angles = code = 0  # code: length of the backtick run that opened a code span
    for line in content.split("\n")[:-1]:
        angles += line.count("<") - line.count(">")
        for run in _BACKTICKS.findall(line):
            code = len(run) if not code else (0 if len(run) == code else code)
        if angles > 0 or code:
            return True
    return False


def _joins_safely(content: str, joined: str) -> bool:
    """Whether joining lines kept the meaning of a block with raw HTML or code spans.

    A newline inside `<…>` or a code span is not a soft break: joining it can
    turn text into a link, or a paragraph into an HTML block.  Such blocks are
    rendered inline both ways (white space collapsed, as a browser shows it,
    except around <pre>), and the joined line must still be one paragraph with
    the same code spans (their white space is their text: a span broken after
    "make " holds "make  all", with two spaces); otherwise they keep their line
    breaks.  Plain prose never needs the check.
    """
    if not _breaks_inside_markup(content):
        return True
    if _block_types(joined) != ["paragraph_open", "inline"]:
        return False
    before, after = parser().renderInline(content), parser().renderInline(joined)
    if "pre>" in content.lower():  # white space matters inside a <pre> opened elsewhere
        return before == after
    if "`" in content and _code_spans(content) != _code_spans(joined):
        return False
    return " ".join(before.split()) == " ".join(after.split())


def _code_spans(content: str) -> list[str]:
    children = parser().parseInline(content, {})[0].children or []
    return [token.content for token in children if token.type == "code_inline"]


def _image_only(content: str) -> bool:
    """A paragraph that is just one image: its alt text is the segment (cheap test first)."""
    if not content.startswith("![") or not content.endswith((")", "]")):
        return False
    tokens = parser().parseInline(content, {})
    children = [c for c in tokens[0].children or [] if not (c.type == "text" and not c.content)]
    return len(children) == 1 and children[0].type == "image"


def cell_spans(source: str, line_start: int, line_end: int) -> list[tuple[int, int]]:
    """Source spans of a table row's cells, split as markdown-it splits them.

    Pipes escaped with a backslash stay inside a cell; leading and trailing
    empty columns (the optional outer pipes) are dropped; each span is trimmed.
    """
    start, end = line_start, line_end
    while start < end and source[start] in MD_TRIM_CHARS:
        start += 1
    while end > start and source[end - 1] in MD_TRIM_CHARS:
        end -= 1
    columns: list[tuple[int, int]] = []
    column_start = start
    escaped = False
    for pos in range(start, end):
        ch = source[pos]
        if ch == "|" and not escaped:
            columns.append((column_start, pos))
            column_start = pos + 1
        escaped = ch == "\\"
    columns.append((column_start, end))
    if columns and columns[0][0] == columns[0][1]:
        columns.pop(0)
    if columns and columns[-1][0] == columns[-1][1]:
        columns.pop()
    trimmed = []
    for a, b in columns:
        while a < b and source[a] in MD_TRIM_CHARS:
            a += 1
        while b > a and source[b - 1] in MD_TRIM_CHARS:
            b -= 1
        trimmed.append((a, b))
    return trimmed
