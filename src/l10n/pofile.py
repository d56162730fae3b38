"""A strict reader of PO files that produces polib objects.

polib's own parser is lenient (an unterminated string silently becomes an
empty msgstr, an unknown escape is kept) and slow on large catalogs.  This one
follows the PO grammar line by line, refuses anything else with its line
number, and is about four times faster; polib remains the data model and the
writer.
"""

from __future__ import annotations

import re
import sys

import polib

from .errors import L10nError

#: The escapes gettext's lexer knows (po-lex.c); `\'` and `\?` are C but not PO.
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
            "\\": "\\", '"': '"'}  # fmt: skip
#: A whole string token.  Possessive quantifiers: an unterminated string full of
#: octal escapes fails in linear time instead of trying every way to split the digits.
_STRING = re.compile(r'"((?:[^"\\]++|\\(?:[\\"abfnrtv]|[0-7]{1,3}+|x[0-9A-Fa-f]++))*+)"[ \t]*$')
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.))", re.S)
_PIECE = re.compile(
    r'(?P<text>[^"\\]++)|(?P<escape>\\(?:[\\"abfnrtv]|[0-7]{1,3}+|x[0-9A-Fa-f]++))'
    r'|(?P<bad>\\.?)|(?P<quote>")',
    re.S,
)
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)[ \t]+")

#: Numeric escapes give bytes, as in gettext: `\xd9\xbe` is the two UTF-8 bytes of
#: one letter, and only the last byte of a long escape counts (`\x141` is "A").
#: Bytes from 0x80 up are kept as the surrogates U+DC80–U+DCFF ("surrogateescape")
#: until the whole string is known, since a letter may be split across lines.
_BYTE_MARK = re.compile("[\udc80-\udcff]")
_STRING_FIELDS = ("msgctxt", "msgid", "msgid_plural", "msgstr", "previous_msgctxt",
                  "previous_msgid", "previous_msgid_plural")  # fmt: skip
NUL_MESSAGE = "a NUL byte ends the string for gettext, which would drop what follows; remove it"


def _byte(value: int) -> str:
    value &= 0xFF
    return chr(value) if value < 0x80 else chr(0xDC00 + value)


def _unescape(body: str) -> str:
    if "\\" not in body:
        return body

    def one(match: re.Match[str]) -> str:
        octal, hexa, char = match.groups()
        if octal:
            return _byte(int(octal, 8))
        if hexa:
            return _byte(int(hexa[-2:], 16))
        return _ESCAPES[char]

    return _ESCAPE.sub(one, body)


def decode_bytes(value: str) -> str | None:
    """A string whose numeric escapes were kept as bytes, read as UTF-8 (None: invalid)."""
    if not _BYTE_MARK.search(value):
        return value
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeError:
        return None


def _string_problem(text: str) -> str:
    """Why a line is not one PO string: the first piece that does not fit, left to right."""
    stripped = text.strip()
    if not stripped.startswith('"'):
        return "a string must start with '\"'"
    for piece in _PIECE.finditer(stripped, 1):
        if piece.lastgroup == "quote":
            return "unescaped '\"' inside a string"
        if piece.lastgroup == "bad":
            if piece.group() == "\\":
                break
            return f"invalid escape sequence '{piece.group()}'"
    return "unterminated string"


class LocatedEntry(polib.POEntry):
    """A polib entry that also knows the line it begins on, its first comment included.

    polib records only the line of `msgid`; `review approve --line N` must
    find an entry from any of its lines.
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.first_line = 0


def entry_line(entry: polib.POEntry) -> int:
    """The line of an entry's msgid in its file (0 for an entry made in memory)."""
    return entry.linenum or 0


def entry_start(entry: polib.POEntry) -> int:
    """The first line of an entry as read from its file (its msgid line for other entries)."""
    return entry.first_line if isinstance(entry, LocatedEntry) else entry_line(entry)


class _Reader:
    """Builds entries as the lines come; `field` is where continuation strings go."""

    def __init__(self, label: str):
        self.label = label
        self.catalog = polib.POFile(wrapwidth=0)
        self.entries: list[polib.POEntry] = []
        self.entry: LocatedEntry | None = None
        self.field: tuple[str, int | None] | None = None
        self.state = "comments"  # comments → msgctxt → msgid → plural → msgstr / msgstr[]
        self.msgid_line = 0
        self.pending = LocatedEntry()
        self.pending_start: int | None = None  # line of the pending entry's first comment
        self.byte_lines: list[int] = []  # lines whose strings hold numeric escapes of bytes

    def fail(self, message: str, line: int) -> L10nError:
        return L10nError(message, self.label, line)

    # -- entries

    def start_entry(self, number: int) -> LocatedEntry:
        if self.state in ("msgid", "plural"):
            raise self.fail("msgid without msgstr", self.msgid_line)
        entry = self.pending
        entry.linenum = number
        entry.first_line = self.pending_start or number  # where the entry begins, comments included
        self.pending = LocatedEntry()
        self.pending_start = None
        self.entries.append(entry)
        self.entry = entry
        return entry

    def keyword(
        self, keyword: str, index: str | None, value: str, number: int, obsolete: bool
    ) -> None:
        if keyword == "msgctxt" or (keyword == "msgid" and self.state != "msgctxt"):
            self.start_entry(number).obsolete = obsolete
        entry = self.entry
        if entry is None:
            raise self.fail(f"{keyword} before any msgid", number)
        if keyword == "msgctxt":
            entry.msgctxt = value
            self.state = "msgctxt"
        elif keyword == "msgid":
            entry.msgid = value
            self.state = "msgid"
            self.msgid_line = number
            entry.linenum = number
        elif keyword == "msgid_plural":
            if self.state != "msgid":
                raise self.fail("msgid_plural must follow msgid", number)
            entry.msgid_plural = value
            self.state = "plural"
        elif index is not None:
            if self.state not in ("plural", "msgstr[]"):
                raise self.fail(f"{keyword}[{index}] without msgid_plural", number)
            entry.msgstr_plural[int(index)] = value
            self.state = "msgstr[]"
        else:
            if self.state != "msgid":
                raise self.fail("msgstr without msgid", number)
            entry.msgstr = value
            self.state = "msgstr"
        self.field = (keyword.split("[")[0], int(index) if index is not None else None)

    def continuation(self, value: str, number: int) -> None:
        if self.field is not None and self.field[0].startswith("previous_"):
            name = self.field[0]  # "#|" strings belong to the entry still being read
            setattr(self.pending, name, getattr(self.pending, name) + value)
            return
        if self.field is None or self.entry is None:
            raise self.fail("a string that belongs to no keyword", number)
        name, index = self.field
        if name == "msgstr" and index is not None:
            self.entry.msgstr_plural[index] += value
        else:
            setattr(self.entry, name, getattr(self.entry, name) + value)

    # -- comments (they belong to the next entry)

    def comment(self, line: str, number: int) -> None:
        if self.state in ("msgid", "msgctxt", "plural"):
            raise self.fail("msgid without msgstr", self.msgid_line or number)
        self.state = "comments"
        if self.pending_start is None:
            self.pending_start = number
        kind, text = line[:2], line[2:]
        if kind != "#|":
            self.field = None
        pending = self.pending
        if kind == "#.":
            pending.comment = _join(pending.comment, text.strip())
        elif kind == "#:":
            for ref in text.split():
                path, sep, where = ref.rpartition(":")
                pending.occurrences.append((path, where) if sep and where.isdigit() else (ref, ""))
        elif kind == "#,":
            pending.flags.extend(f.strip() for f in text.split(",") if f.strip())
        elif kind == "#|":
            self.previous(text.strip(), number)
        else:
            pending.tcomment = _join(pending.tcomment, line[2:] if line[1:2] == " " else line[1:])

    def previous(self, text: str, number: int) -> None:
        match = _KEYWORD.match(text)
        if match and match.group(1) in ("msgctxt", "msgid", "msgid_plural"):
            value = self.string(text[match.end() :], number, match.group(1))
            name = f"previous_{match.group(1)}"
            setattr(self.pending, name, value)
            self.field = (name, None)
        elif text.startswith('"') and self.field and self.field[0].startswith("previous_"):
            self.continuation(self.string(text, number), number)
            self.state = "comments"
        else:
            raise self.fail("a #| line must hold a previous msgctxt, msgid or msgid_plural", number)

    def string(self, text: str, number: int, after: str | None = None) -> str:
        match = _STRING.match(text)
        if not match:
            problem = _string_problem(text)
            raise self.fail(f"{problem} after {after}" if after else problem, number)
        value = _unescape(match.group(1))
        if "\0" in value:
            raise self.fail(NUL_MESSAGE, number)
        if _BYTE_MARK.search(value):
            self.byte_lines.append(number)
        return value

    def decode_escaped_bytes(self) -> None:
        """Read the bytes that numeric escapes spell as UTF-8, the charset of every catalog."""
        starts = [entry_start(entry) for entry in self.entries] + [sys.maxsize]
        for index, entry in enumerate(self.entries):
            for name in _STRING_FIELDS:
                value = getattr(entry, name)
                if isinstance(value, str):
                    setattr(entry, name, self.decoded(value, starts[index], starts[index + 1]))
            for key, value in entry.msgstr_plural.items():
                entry.msgstr_plural[key] = self.decoded(value, starts[index], starts[index + 1])

    def decoded(self, value: str, start: int, end: int) -> str:
        text = decode_bytes(value)
        if text is None:
            line = next((n for n in self.byte_lines if start <= n < end), start)
            raise self.fail(
                "escape sequences spell bytes that are not valid UTF-8 "
                "(gettext reads \\x.. and octal escapes as bytes)",
                line,
            )
        return text

    def finish(self, last_line: int) -> polib.POFile:
        if self.state in ("msgid", "msgctxt", "plural"):
            raise self.fail("msgid without msgstr", self.msgid_line or last_line)
        if self.byte_lines:
            self.decode_escaped_bytes()
        catalog = self.catalog
        header_line = 0
        for entry in self.entries:
            if entry.msgid == "" and entry.msgctxt is None:
                if header_line:
                    raise self.fail(
                        f'a second header entry (msgid ""); the first is at line {header_line}',
                        entry.linenum,
                    )
                if entry.obsolete:  # gettext counts it as a header all the same
                    header_line = entry.linenum
                    catalog.append(entry)
                    continue
                header_line = entry.linenum
                catalog.header = entry.tcomment
                catalog.metadata_is_fuzzy = "fuzzy" in entry.flags
                for line in entry.msgstr.split("\n"):
                    key, sep, value = line.partition(":")
                    if sep:
                        catalog.metadata[key.strip()] = value.strip()
                continue
            _check_newlines(entry, self.label)
            catalog.append(entry)
        return catalog


def _check_newlines(entry: polib.POEntry, label: str) -> None:
    """msgfmt refuses a translation that does not begin and end with a newline as its
    msgid does (drafts, which msgfmt leaves out, excepted): so does every reader here."""
    if entry.obsolete or "fuzzy" in entry.flags:
        return
    pairs = [("msgid_plural", entry.msgid_plural)] if entry.msgid_plural else []
    pairs += [("msgstr", entry.msgstr)] if entry.msgstr else []
    pairs += [(f"msgstr[{n}]", text) for n, text in sorted(entry.msgstr_plural.items()) if text]
    for name, text in pairs:
        for where, test in (("begin", str.startswith), ("end", str.endswith)):
            if test(entry.msgid, "\n") != test(text, "\n"):
                raise L10nError(
                    f"msgid and {name} do not both {where} with a newline (\\n), "
                    "which msgfmt refuses",
                    label,
                    entry_line(entry),
                )


def _join(old: str, new: str) -> str:
    return f"{old}\n{new}" if old else new


def parse_po(text: str, label: str) -> polib.POFile:
    """Parse PO/POT text strictly; L10nError names the first bad line."""
    reader = _Reader(label)
    number = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw[:-1] if raw.endswith("\r") else raw
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].lstrip(" ")
            if line.startswith("|"):
                reader.comment("#|" + line[1:], number)
                continue
        if not line.strip():
            continue
        if line.startswith("#"):
            reader.comment(line, number)
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword = match.group(1)
            value = reader.string(line[match.end() :], number, keyword.split("[")[0])
            reader.keyword(keyword.split("[")[0], match.group(2), value, number, obsolete)
            continue
        if line.lstrip().startswith('"'):
            reader.continuation(reader.string(line, number), number)
            continue
        raise reader.fail(f"unknown keyword {line.split()[0]!r}", number)
    return reader.finish(number)
