"""The target languages: codes, aliases and what CLDR (through babel) says of them.

Only what CLDR does not know is typed here (Dari's own name, aliases such as
`prs`, the digits and typefaces an edition is set in); names, text direction
and plural rules come from babel.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cache, cached_property
from typing import cast

from babel import Locale, UnknownLocaleError

from .errors import L10nError


@dataclass(frozen=True)
class TypeStyle:
    """One way to set a language's text: a font stack and the leading its letters need.

    Nastaliq stacks letters diagonally, so its lines need far more height than
    Naskh; its PDFs do not extract as text (the Noto font's glyphs are not
    mapped back to letters), so a language written in Nastaliq offers Naskh too.
    """

    name: str
    fonts: tuple[str, ...]  # CSS families, preferred first; Debian's Noto font, then local ones
    line_height: float
    size: float = 1.0  # relative to the body size: Nastaliq reads small at the same size
    latin_size: float = 1.0  # Latin words inside the text, relative to it
    extractable: bool = True  # `pdftotext` gets the letters back


#: Latin letters are absent from the Arabic-script Noto fonts; they fall through to Noto Serif.
_LATIN_FALLBACK = ("Noto Serif", "DejaVu Serif", "serif")
SERIF = TypeStyle("serif", ("Noto Serif", "DejaVu Serif", "Georgia", "serif"), 1.5)
NASKH = TypeStyle(
    "naskh",
    ("Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", *_LATIN_FALLBACK),
    1.9,
    latin_size=0.9,  # Noto Serif looks larger than Naskh at the same size
)
NASTALIQ = TypeStyle(
    "nastaliq",
    ("Noto Nastaliq Urdu", "Jameel Noori Nastaleeq", "Noto Naskh Arabic", *_LATIN_FALLBACK),
    2.75,  # the least at which no glyph of the brief reaches into the next line (2.6 did)
    size=1.05,
    extractable=False,
)


@dataclass(frozen=True)
class Language:
    """A target language as the project names it (folder, PO `Language:` header)."""

    code: str  # folder name and PO Language header, e.g. "fa_AF"
    babel_locale: str
    aliases: tuple[str, ...] = ()
    #: letters that belong to another orthography, with the letter this language uses
    letter_fixes: tuple[tuple[str, str], ...] = ()
    #: Latin punctuation after this script's letters, with the native mark
    punctuation: tuple[tuple[str, str], ...] = ()
    #: digits of published editions: "latin" (0-9) or "extended" (Extended Arabic-Indic ۰-۹)
    digits: str = "latin"
    #: the ways an edition may be set, the default first
    type_styles: tuple[TypeStyle, ...] = (SERIF,)

    def type_style(self, name: str | None = None) -> TypeStyle:
        """The named style (the default if None); L10nError names the ones there are."""
        if name is None:
            return self.type_styles[0]
        for style in self.type_styles:
            if style.name == name:
                return style
        known = ", ".join(s.name for s in self.type_styles)
        raise L10nError(f"{self.english_name} has no type style {name!r}; known: {known}")

    @property
    def tag(self) -> str:
        """The BCP 47 tag (HTML `lang`, TMX and TBX `xml:lang`): fa_AF → fa-AF."""
        return bcp47(self.code)

    # Names and direction come from CLDR's data for the locale, which babel loads
    # (a pickle per locale) only when asked: reading and counting catalogs never
    # asks, so `l10n status` on files in five languages loads none of it.

    @cached_property
    def english_name(self) -> str:
        return str(_facts(self.code).get("english_name") or self._locale.english_name)

    @cached_property
    def native_name(self) -> str:
        return str(_facts(self.code).get("native_name") or self._locale.display_name)

    @cached_property
    def direction(self) -> str:
        """Which way the script runs: rtl or ltr."""
        return "rtl" if self._locale.character_order == "right-to-left" else "ltr"

    @cached_property
    def plural_forms(self) -> str:
        from babel.messages.plurals import get_plural  # babel.messages is slow to import

        return str(get_plural(self._locale).plural_forms)

    @property
    def _locale(self) -> Locale:
        return Locale.parse(self.babel_locale)


_ARABIC_PUNCTUATION = (("?", "؟"), (",", "،"), (";", "؛"))

#: Facts CLDR lacks: babel calls fa_AF "Persian (Afghanistan)"; its speakers call it
#: Dari.  Iranian Persian (`fa`, `fa_IR`) is a language of its own here, so
#: catalogs from Iranian projects are never checked against Dari usage.
#: Letters: Persian, Dari and Urdu write ی and ک, never Arabic ي ك ى; Pashto
#: has its own ي (a distinct letter) but writes ک; Urdu writes ہ/ھ, not Arabic ه.
#: Urdu ends sentences with ۔ (U+06D4); Pashto and Dari with a full stop.
#: Publishing: babel has no native digits (its `arabext` only changes separators),
#: so the digits are typed here: Extended Arabic-Indic for all three (Urdu may
#: switch to Latin, common in Pakistani print); Pashto and Dari are set in
#: Naskh; Urdu in Nastaliq, with Naskh for PDFs whose text must be copyable.
_OVERRIDES: dict[str, dict[str, object]] = {
    "fa_AF": {
        "english_name": "Dari",
        "native_name": "دری",
        "aliases": ("prs", "fa-AF", "prs_AF"),
        "letter_fixes": (("ي", "ی"), ("ك", "ک"), ("ى", "ی")),
        "punctuation": _ARABIC_PUNCTUATION,
        "digits": "extended",
        "type_styles": (NASKH,),
    },
    "fa": {
        "english_name": "Persian",
        "native_name": "فارسی",
        "aliases": ("fa_IR", "fa-IR", "pes", "fas", "per"),
        "letter_fixes": (("ي", "ی"), ("ك", "ک"), ("ى", "ی")),
        "punctuation": _ARABIC_PUNCTUATION,
        "digits": "extended",
        "type_styles": (NASKH,),
    },
    "ps": {
        "aliases": ("pbt", "ps_AF"),
        "letter_fixes": (("ك", "ک"), ("ى", "ی")),
        "punctuation": _ARABIC_PUNCTUATION,
        "digits": "extended",
        "type_styles": (NASKH,),
    },
    "ur": {
        "aliases": ("ur_PK",),
        "letter_fixes": (("ي", "ی"), ("ك", "ک"), ("ى", "ی"), ("ه", "ہ")),
        "punctuation": (*_ARABIC_PUNCTUATION, (".", "۔")),
        "digits": "extended",
        "type_styles": (NASTALIQ, NASKH),
    },
}

DEFAULT_LANGUAGES: tuple[str, ...] = ("ps", "fa_AF", "ur")

#: Every digit the three languages may write (ASCII, Arabic-Indic ٠–٩, Extended ۰–۹),
#: as a regex character class body, and a table that reads any of them as ASCII.
DIGIT_CLASS = "0-9\u0660-\u0669\u06f0-\u06f9"
TO_ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
#: A letter of the Arabic script (its blocks and presentation forms), as a regex class.
ARABIC_LETTER = "[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"

#: The digits an edition may print, by the name `Language.digits` and l10n.toml give them.
DIGITS: dict[str, str] = {
    "latin": "0123456789",
    "extended": "۰۱۲۳۴۵۶۷۸۹",  # Extended Arabic-Indic, U+06F0–06F9
}


def edition_digits(style: str) -> str:
    """The ten digits of a named style; L10nError names the styles there are."""
    if style not in DIGITS:
        raise L10nError(f"unknown digits {style!r}; known: {', '.join(DIGITS)}")
    return DIGITS[style]


def bcp47(code: str) -> str:
    """A language code as BCP 47 writes it (fa_AF → fa-AF), known to CLDR or not."""
    return code.replace("_", "-")


def _facts(code: str) -> dict[str, object]:
    return _OVERRIDES.get(code, {})


def _alias_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, facts in _OVERRIDES.items():
        for alias in cast(tuple[str, ...], facts.get("aliases", ())):
            table[_key(alias)] = code
    return table


def _key(code: str) -> str:
    """Codes compare without case and with `-` as `_`: ur-PK, ur_pk and ur_PK are one."""
    return code.replace("-", "_").lower()


@cache
def language(code: str) -> Language:
    """The language for a code or alias (`prs` → fa_AF); L10nError if CLDR does not know it."""
    canonical = _alias_table().get(_key(code), code.replace("-", "_"))
    try:
        locale = Locale.parse(canonical)
    except (UnknownLocaleError, ValueError) as exc:
        raise L10nError(f"unknown language code {code!r}") from exc
    canonical = str(locale)
    facts = _facts(canonical)
    return Language(
        code=canonical,
        babel_locale=canonical,
        aliases=tuple(facts.get("aliases", ())),  # type: ignore[arg-type]
        letter_fixes=tuple(facts.get("letter_fixes", ())),  # type: ignore[arg-type]
        punctuation=tuple(facts.get("punctuation", ())),  # type: ignore[arg-type]
        digits=str(facts.get("digits", "latin")),
        type_styles=tuple(facts.get("type_styles", (SERIF,))),  # type: ignore[arg-type]
    )


def primary_subtag(tag: str) -> str:
    """The language of a tag without region or script (`EN-US` → en, `fa_AF` → fa)."""
    return tag.strip().replace("_", "-").split("-")[0].lower()


def project_language(tag: str, codes: Collection[str]) -> str | None:
    """The project language another tool's tag stands for: by its code, an alias or its
    primary subtag (`ps-AF` → ps, `UR-PK` → ur, `prs-AF` → fa_AF); None if none of `codes`."""
    tag = tag.strip().replace("_", "-")
    for candidate in (tag, primary_subtag(tag)):
        try:
            code = language(candidate).code
        except L10nError:
            continue
        if code in codes:
            return code
    return None
