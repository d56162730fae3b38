"""What a placeholder is, by the entry's gettext format flag, and whether a translation keeps them.

gettext marks an entry whose msgid is a format string with a flag (`c-format`,
`python-format`, `python-brace-format`, `qt-format`, `sh-format`, …; `no-X-format`
says it is not one), and `msgfmt --check-format` compares the msgstr's
directives with the msgid's by argument, not by text: `%2$d %1$s` translates
`%s %d`, the GNU flag `%Id` (locale digits, common in Persian) translates `%d`,
and `%%` is a percent sign.  Weblate checks the same way.  The parsers here
follow `msgfmt -c`'s verdicts (the tests compare them with it).

An entry with no format flag (a Markdown block, a strftime string, a string
from an extractor that sets no flags) is read loosely: every `%` directive a C
or strftime format could mean (`%Oe`, `%-d`, `%lu`), `%(name)s`, `{name}` and
`${NAME}` count, by conversion (`I`, `O`, `n$` and widths set aside).  A date
format may be rewritten for the language as long as it shows what the source
shows (day, month, year, hour, …).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Directive:
    """One placeholder: as written, the argument it takes, and what it expects of it."""

    text: str
    start: int
    end: int
    arg: str = ""  # "1", "2", … or a name; "" for a directive that takes none
    type: str = ""  # compared between msgid and msgstr; "" accepts any


@dataclass(frozen=True)
class Reading:
    """A string read as one format: its directives, or why it is not valid in that format."""

    directives: tuple[Directive, ...]
    invalid: str = ""


Parser = Callable[[str], Reading]


# --------------------------------------------------------------------------- C (and PHP, JS)

_C = re.compile(
    r"%(?P<pos>\d+\$)?(?P<flags>[-+ #0'I]*)"
    r"(?P<width>\*(?:\d+\$)?|\d+)?(?:\.(?P<prec>\*(?:\d+\$)?|\d*))?"
    r"(?:<PRI(?P<pri>[diouxX])\w*>|(?P<size>hh|h|ll|l|L|q|j|z|Z|t)?(?P<conv>[diouxXeEfFgGaAcCsSpnm%]))"
)
_C_CLASS = {**dict.fromkeys("di", "int"), **dict.fromkeys("ouxX", "unsigned"),
            **dict.fromkeys("eEfFgGaA", "float"), "c": "char", "C": "lchar",
            "s": "string", "S": "lstring", "p": "pointer", "n": "count"}  # fmt: skip
_C_SIZE = {"q": "ll", "Z": "z"}


def read_c(text: str) -> Reading:
    """C's printf as gettext's c-format knows it: positions, GNU `I`, `<PRId64>`, `%m`."""
    found: list[Directive] = []
    numbered = unnumbered = 0
    argtypes: dict[int, str] = {}
    for index in _percents(text):
        m = _C.match(text, index)
        if m is None:
            return Reading((), f"{text[index : index + 2]!r} is not a valid c-format directive")
        conv = m.group("conv")
        if conv == "%":
            continue
        stars = (m.group("width"), m.group("prec"))
        takes = [part[1:-1] for part in stars if part and part[0] == "*"]  # `*` or `*2$`
        kinds = ["int"] * len(takes)
        if m.group("pri"):
            takes.append(m.group("pos")[:-1] if m.group("pos") else "")
            kinds.append("pri-" + _C_CLASS[m.group("pri")])
        elif conv != "m":  # glibc's %m prints strerror(errno) and takes no argument
            size = m.group("size") or ""
            takes.append(m.group("pos")[:-1] if m.group("pos") else "")
            kinds.append(_C_SIZE.get(size, size) + _C_CLASS[conv])
        for written, kind in zip(takes, kinds, strict=True):
            if written:
                numbered += 1
                number = int(written)
            else:
                unnumbered += 1
                number = unnumbered
            if argtypes.setdefault(number, kind) != kind:
                return Reading((), f"argument {number} is used with two different types")
            found.append(Directive(m.group(0), m.start(), m.end(), str(number), kind))
        if not takes:
            found.append(Directive(m.group(0), m.start(), m.end()))
    if numbered and unnumbered:
        return Reading((), "mixes numbered (%1$s) and unnumbered (%s) directives")
    missing = [n for n in range(1, max(argtypes, default=0) + 1) if n not in argtypes]
    if missing:
        return Reading((), f"refers to argument {max(argtypes)} but ignores argument {missing[0]}")
    return Reading(tuple(found))


def _percents(text: str) -> Iterable[int]:
    """Offsets of each `%` that starts a directive (the second of `%%` does not)."""
    index = text.find("%")
    while index >= 0:
        yield index
        index = text.find("%", index + (2 if text.startswith("%%", index) else 1))


# --------------------------------------------------------------------------- Python

_PYTHON = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[-+ #0]*(?P<width>\*|\d+)?(?:\.(?P<prec>\*|\d+))?[hlL]?"
    r"(?P<conv>[diouxXeEfFgGcrsa%])"
)
_PYTHON_CLASS = {**dict.fromkeys("diouxX", "int"), **dict.fromkeys("eEfFgG", "float"),
                 "c": "char", **dict.fromkeys("rsa", "any")}  # fmt: skip


def read_python(text: str) -> Reading:
    """Python's `%` formatting: named (`%(name)s`) or sequential, never both."""
    found: list[Directive] = []
    named = unnamed = 0
    for index in _percents(text):
        m = _PYTHON.match(text, index)
        if m is None:
            shown = text[index : index + 2]
            return Reading((), f"{shown!r} is not a valid python-format directive")
        if m.group("conv") != "%":
            if m.group("name") is not None:
                named += 1
                arg = m.group("name")
            else:
                unnamed += 1
                arg = str(unnamed)
            kind = _PYTHON_CLASS[m.group("conv")]
            found.append(Directive(m.group(0), m.start(), m.end(), arg, kind))
    if named and unnamed:
        return Reading((), "mixes named (%(name)s) and unnamed (%s) directives")
    return Reading(tuple(found))


# --------------------------------------------------------------------------- braces

_BRACE = re.compile(r"\{\{|\}\}|\{(?P<field>[^{}]*)\}|[{}]")
_FIELD_NAME = re.compile(r"[^.\[!:]*")


def read_braces(text: str) -> Reading:
    """`{0}`, `{name}`, `{name!r:>10}`, `{}` (numbered in order); `{{` and `}}` are braces."""
    found: list[Directive] = []
    automatic = 0
    for m in _BRACE.finditer(text):
        if m.group(0) in ("{{", "}}"):
            continue
        field = m.group("field")
        if field is None:
            return Reading((), f"an unmatched {m.group(0)!r}")
        name = _FIELD_NAME.match(field).group(0).strip()  # type: ignore[union-attr]
        if not name:
            name = str(automatic)
            automatic += 1
        found.append(Directive(m.group(0), m.start(), m.end(), name))
    return Reading(tuple(found))


# --------------------------------------------------------------------------- Qt, KDE, shell

_QT = re.compile(r"%L?(\d{1,2})")


def read_qt(text: str) -> Reading:
    """Qt's `QString::arg` markers `%1`…`%99` (and `%L1`); a marker may appear twice."""
    return Reading(tuple(
        Directive(m.group(0), m.start(), m.end(), str(int(m.group(1)))) for m in _QT.finditer(text)
    ))  # fmt: skip


_SH = re.compile(r"\$(?:\{(?P<braced>[^}]*)\}|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))")


def read_sh(text: str) -> Reading:
    """Shell variables `$NAME` and `${NAME}`; a name must be ASCII."""
    found = []
    for m in _SH.finditer(text):
        name = m.group("braced") if m.group("braced") is not None else m.group("bare")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            return Reading((), f"{m.group(0)!r} is not a shell variable (names are ASCII)")
        found.append(Directive(m.group(0), m.start(), m.end(), name))
    return Reading(tuple(found))


# --------------------------------------------------------------------------- no flag

_LOOSE = re.compile(
    r"%%"
    r"|%(?:\d+\$)?[-+#0'I_^EO]*(?:\d+|\*)?(?:\.(?:\d+|\*))?"
    r"(?P<size>hh|h|ll|l|L|q|j|z|Z|t)?(?P<conv>[a-zA-Z])(?![a-z]{2})"  # not "%-encoding"
    r"|%\(\w+\)[-+#0 ]*\d*(?:\.\d+)?[a-zA-Z]"
    r"|\$\{[^{}\s]*\}"
    r"|\{[\w.]*\}"
)


def read_loose(text: str) -> Reading:
    """Whatever a C, strftime, Python or shell format would take, for entries with no flag.

    A `%` directive counts by its length and conversion only: position (`%2$s`),
    flags (`%Id`, `%-d`), width and strftime's alternative forms (`%Od`, `%Ey`)
    are the translator's to choose.  A `%` that starts a word (`%-encoding`) is text.
    """
    found = []
    for m in _LOOSE.finditer(text):
        written = m.group(0)
        if written == "%%":
            continue
        key = f"%{m.group('size') or ''}{m.group('conv')}" if m.group("conv") else written
        found.append(Directive(written, m.start(), m.end(), key))
    return Reading(tuple(found))


def _compare_loose(src: Reading, dst: Reading, may_omit: bool) -> list[str]:
    written = {d.arg: d.text for d in (*dst.directives, *src.directives)}
    lost = Counter(d.arg for d in src.directives) - Counter(d.arg for d in dst.directives)
    added = Counter(d.arg for d in dst.directives) - Counter(d.arg for d in src.directives)
    problems = [] if may_omit else [f"placeholder {written[a]!r} is missing" for a in lost]
    return problems + [f"placeholder {written[a]!r} is not in the source" for a in added]


# --------------------------------------------------------------------------- dates

#: What each strftime conversion shows.  A translator may rewrite a date format for
#: the language (`%b %e` → `%Oe %B`, `%R` → `%OH:%OM`, `%l:%M %p` → `%OH:%OM`); what
#: matters is that nothing the source shows is lost.  AM/PM goes with a 12-hour clock.
_DATE_FIELDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys("aAuw", ("weekday",)), **dict.fromkeys("dej", ("day",)),
    **dict.fromkeys("bBhm", ("month",)), **dict.fromkeys("yYCgG", ("year",)),
    **dict.fromkeys("HIkl", ("hour",)), "M": ("minute",), "S": ("second",),
    "s": ("time",), **dict.fromkeys("Zz", ("time zone",)), **dict.fromkeys("UVW", ("week",)),
    "R": ("hour", "minute"), **dict.fromkeys("TrX", ("hour", "minute", "second")),
    **dict.fromkeys("DFx", ("day", "month", "year")),
    "c": ("weekday", "day", "month", "year", "hour", "minute", "second"),
    **dict.fromkeys("pPnt", ()),
}  # fmt: skip
#: conversions only strftime has (printf has the others too)
_DATE_ONLY = frozenset("bBhHIklmMRTyYZzjCDFrUVW")


def _is_date_format(text: str, reading: Reading) -> bool:
    """A strftime format: `%` directives only, one that printf lacks, or no words around."""
    keys = [d.arg for d in reading.directives]
    if not keys or not all(k.startswith("%") and len(k) == 2 for k in keys):
        return False
    words = re.sub(r"%\S*?[a-zA-Z]", "", text)
    return any(k[1] in _DATE_ONLY for k in keys) or not re.search(r"[a-zA-Z]", words)


def _compare_dates(src: Reading, dst: Reading) -> list[str]:
    def shown(reading: Reading) -> dict[str, str]:
        fields: dict[str, str] = {}
        for d in reading.directives:
            for field in _DATE_FIELDS.get(d.arg[1], (d.arg,)):
                fields.setdefault(field, d.text)
        return fields

    source, target = shown(src), shown(dst)
    return [f"the date format loses the {f} ({d!r})" for f, d in source.items() if f not in target]


# --------------------------------------------------------------------------- the table

#: gettext's format names (the `X` of `X-format`) and how each is read; formats not
#: listed (lisp, boost, lua, …) are not checked.
FORMATS: dict[str, Parser] = {
    "c": read_c, "objc": read_c, "php": read_c, "javascript": read_c, "gcc-internal": read_c,
    "python": read_python,
    "python-brace": read_braces, "perl-brace": read_braces, "csharp": read_braces,
    "java": read_braces, "java-printf": read_c,
    "qt": read_qt, "qt-plural": read_qt, "kde": read_qt, "kde-kuit": read_qt,
    "sh": read_sh,
}  # fmt: skip
LOOSE = "loose"
_FLAG = re.compile(r"(?:possible-)?(?P<name>[\w-]+)-format")


def formats_of(flags: Iterable[str]) -> list[str]:
    """The formats an entry's flags declare (`no-c-format` withdraws `c`).

    No format declared: ["loose"]; only formats this module does not read: none.
    """
    declared, withdrawn = [], set()
    for flag in flags:
        m = _FLAG.fullmatch(flag.strip())
        if m is None:
            continue
        name = m.group("name")
        if name.startswith("no-"):
            withdrawn.add(name[3:])
        else:
            declared.append(name)
    live = [n for n in declared if n not in withdrawn]
    known = [n for n in live if n in FORMATS]
    if known:
        return known
    return [] if live else [LOOSE]


def read(fmt: str, text: str) -> Reading:
    return read_loose(text) if fmt == LOOSE else FORMATS[fmt](text)


_FORMAT_CHARACTERS = re.compile(r"[%{}$]")


def compare(fmt: str, source: str, target: str, may_omit: bool = False) -> list[str]:
    """Why `target` does not take the arguments `source` does, as `msgfmt -c` would say.

    `may_omit`: a plural form used for a few numbers only may leave the number
    out ("one file" for "%d files"), as gettext allows.
    """
    if not _FORMAT_CHARACTERS.search(source) and not _FORMAT_CHARACTERS.search(target):
        return []  # every directive of every format starts with one of them
    src = read(fmt, source)
    if src.invalid:  # not this format after all: compare what either could mean
        return compare(LOOSE, source, target, may_omit) if fmt != LOOSE else []
    dst = read(fmt, target)
    if dst.invalid:
        return [f"the translation is not a valid {fmt}-format string: {dst.invalid}"]
    if fmt == LOOSE:
        problems = _compare_loose(src, dst, may_omit)
        if problems and _is_date_format(source, src):
            return _compare_dates(src, dst)
        return problems
    wanted = {d.arg: d for d in src.directives if d.arg}
    given = {d.arg: d for d in dst.directives if d.arg}
    problems = []
    if not may_omit:
        gone = [d for arg, d in wanted.items() if arg not in given]
        problems += [f"placeholder {d.text!r} is missing" for d in gone]
    for arg, d in given.items():
        if arg not in wanted:
            problems.append(f"placeholder {d.text!r} is not in the source")
        elif d.type and wanted[arg].type and d.type != wanted[arg].type:
            problems.append(f"placeholder {d.text!r} does not take what {wanted[arg].text!r} takes")
    return problems


def spans(flags: Iterable[str], text: str) -> list[tuple[int, int]]:
    """Where the placeholders of a string are, by every format its flags declare."""
    found = []
    for fmt in formats_of(flags):
        reading = read(fmt, text)
        found += [(d.start, d.end) for d in reading.directives if d.end > d.start]
    return found
