"""Web fonts carried by the HTML edition: WOFF2 subsets of the fonts its text is set in.

A page that only names its fonts looks right only where they are installed:
without Noto Nastaliq Urdu a browser falls back to a Naskh font and shows
Persian ۴ and ۷ in Urdu text.  So the HTML edition carries, as `data:` URLs,
each font of its type style that sets some of its letters, cut down with
fontTools to the characters the page uses (and the glyphs its shaping rules
reach from them), regular and bold.  `local()` comes first, so a reader who
has the font installed loads nothing, and WeasyPrint takes the system font.

Subsetting a Nastaliq font takes seconds (its contextual forms reach most of
its 1,100 glyphs), so each subset is kept in a cache folder keyed by the font
file and the characters; a page whose text adds no new character reuses it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

from ..files import write_bytes_atomic

#: elements whose text is set in bold by edition.css
_BOLD_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "th"})
_BOLD_CLASSES = frozenset({"authors", "draft-banner", "label"})
#: elements whose text is not drawn
_HIDDEN_TAGS = frozenset({"style", "script", "title", "head"})
_VOID_TAGS = frozenset({"br", "img", "meta", "link", "hr", "input", "wbr"})
WEIGHTS = {False: 400, True: 700}


class _Letters(HTMLParser):
    """The characters a page draws, split by weight (regular, bold)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[bool, bool]] = []  # (bold, hidden) of each open element
        self.chars: dict[bool, set[str]] = {False: set(), True: set()}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            alt = dict(attrs).get("alt")
            if tag == "img" and alt:
                self.handle_data(alt)
            return
        classes = set((dict(attrs).get("class") or "").split())
        bold_here = tag in _BOLD_TAGS or bool(classes & _BOLD_CLASSES)
        bold, hidden = self.open[-1] if self.open else (False, False)
        self.open.append((bold or bold_here, hidden or tag in _HIDDEN_TAGS))

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID_TAGS and self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        bold, hidden = self.open[-1] if self.open else (False, False)
        if not hidden:
            self.chars[bold].update(data)


def page_letters(html: str, extra: Iterable[str] = ()) -> dict[bool, set[str]]:
    """{bold: characters} of a page; `extra` are drawn by the style (list numbers)."""
    parser = _Letters()
    parser.feed(html)
    parser.close()
    parser.chars[False].update("".join(extra))
    parser.chars[False] |= parser.chars[True]  # a family without bold is emboldened from these
    # spaces stay: a space from a fallback font is wider, and the lines would break elsewhere
    return {bold: {c for c in chars if c >= " "} for bold, chars in parser.chars.items()}


@cache
def font_file(family: str, bold: bool) -> Path | None:
    """The installed file of `family` at that weight (fontconfig), or None."""
    pattern = f"{family}:weight={'bold' if bold else 'regular'}"
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{family}\n%{weight}\n%{file}", pattern],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return None
    if len(found) < 3 or family not in found[0].split(","):
        return None  # fontconfig's fallback, not the family asked for
    if bold and int(float(found[1] or 0)) < 150:  # fontconfig's bold is 200
        return None  # no bold face: the browser emboldens the regular one
    return Path(found[2])


@cache
def _characters_of(path: Path) -> frozenset[str]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(chr(code) for code in font.getBestCmap())


@dataclass(frozen=True)
class Face:
    """One font file of the page with the characters it sets."""

    family: str
    bold: bool
    path: Path
    chars: frozenset[str]


def faces(families: Sequence[str], letters: dict[bool, set[str]]) -> list[Face]:
    """The fonts that set the page: each character goes to the first family that has it."""
    found: list[Face] = []
    for bold, chars in letters.items():
        left = set(chars)
        for family in families:
            path = font_file(family, bold) or (font_file(family, False) if bold else None)
            if path is None or not left:
                continue
            mine = left & _characters_of(path)
            left -= mine
            if mine and font_file(family, bold) is not None:
                found.append(Face(family, bold, path, frozenset(mine)))
    return found


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "l10n" / "fonts"


def subset_woff2(path: Path, chars: Iterable[str]) -> bytes:
    """A WOFF2 of `path` with just `chars` and the glyphs its shaping reaches (cached)."""
    from fontTools import subset, version

    text = "".join(sorted(set(chars)))
    stat = path.stat()
    key = hashlib.sha256(
        f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{version}\0{text}".encode()
    ).hexdigest()
    cached = _cache_dir() / f"{key}.woff2"
    if cached.is_file():
        return cached.read_bytes()
    options = subset.Options()
    options.hinting = False  # browsers hint (or not) by themselves; a quarter smaller
    options.flavor = "woff2"
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: fontTools warns it cannot subset them
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = BytesIO()
    subset.save_font(font, out, options)
    data = out.getvalue()
    with suppress(OSError):  # a read-only home: the next run subsets again
        write_bytes_atomic(cached, data)
    return data


def _css_name(name: str) -> str:
    return name.replace("\\", "").replace('"', "")


def font_face_css(found: Sequence[Face]) -> str:
    """`@font-face` rules: the installed font first, else the subset carried in the page."""
    rules = []
    for face in found:
        data = base64.b64encode(subset_woff2(face.path, face.chars)).decode("ascii")
        local = _css_name(face.family) + (" Bold" if face.bold else "")
        rules.append(
            f'@font-face {{ font-family: "{_css_name(face.family)}"; '
            f"font-weight: {WEIGHTS[face.bold]}; font-style: normal; "
            f'src: local("{local}"), url(data:font/woff2;base64,{data}) format("woff2"); }}'
        )
    return "\n".join(rules)


def web_fonts(html: str, families: Sequence[str], extra: Iterable[str] = ()) -> str:
    """The `@font-face` rules a page needs to look the same on a device without its fonts."""
    return font_face_css(faces(families, page_letters(html, extra)))
