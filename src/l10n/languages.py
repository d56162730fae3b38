"""The target languages: codes, aliases and what CLDR (through babel) says of them.

Only what CLDR does not know is typed here (Dari's own name, aliases such as
`prs`); names, text direction and plural rules come from babel.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

from .errors import L10nError


@dataclass(frozen=True)
class Language:
    """A target language as the project names it (folder, PO `Language:` header)."""

    code: str  # folder name and PO Language header, e.g. "fa_AF"
    babel_locale: str
    english_name: str
    native_name: str
    direction: str  # "rtl" or "ltr"
    plural_forms: str
    aliases: tuple[str, ...] = ()
    #: letters that belong to another orthography, with the letter this language uses
    letter_fixes: tuple[tuple[str, str], ...] = ()
    #: Latin punctuation after this script's letters, with the native mark
    punctuation: tuple[tuple[str, str], ...] = ()


_ARABIC_PUNCTUATION = (("?", "؟"), (",", "،"), (";", "؛"))

#: Facts CLDR lacks: babel calls fa_AF "Persian (Afghanistan)"; its speakers call it
#: Dari.  Letters: Dari and Urdu write Persian ی and ک, never Arabic ي ك ى; Pashto
#: has its own ي (a distinct letter) but writes ک; Urdu writes ہ/ھ, not Arabic ه.
#: Urdu ends sentences with ۔ (U+06D4); Pashto and Dari with a full stop.
_OVERRIDES: dict[str, dict[str, object]] = {
    "fa_AF": {
        "english_name": "Dari",
        "native_name": "دری",
        "aliases": ("prs", "fa-AF", "prs_AF"),
        "letter_fixes": (("ي", "ی"), ("ك", "ک"), ("ى", "ی")),
        "punctuation": _ARABIC_PUNCTUATION,
    },
    "ps": {
        "aliases": ("pbt", "ps_AF"),
        "letter_fixes": (("ك", "ک"), ("ى", "ی")),
        "punctuation": _ARABIC_PUNCTUATION,
    },
    "ur": {
        "aliases": ("ur_PK",),
        "letter_fixes": (("ي", "ی"), ("ك", "ک"), ("ى", "ی"), ("ه", "ہ")),
        "punctuation": (*_ARABIC_PUNCTUATION, (".", "۔")),
    },
}

DEFAULT_LANGUAGES: tuple[str, ...] = ("ps", "fa_AF", "ur")


def _alias_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, facts in _OVERRIDES.items():
        for alias in facts.get("aliases", ()):  # type: ignore[union-attr]
            table[str(alias).lower()] = code
    return table


@cache
def language(code: str) -> Language:
    """The language for a code or alias (`prs` → fa_AF); L10nError if CLDR does not know it."""
    canonical = _alias_table().get(code.lower(), code.replace("-", "_"))
    try:
        locale = Locale.parse(canonical)
    except (UnknownLocaleError, ValueError) as exc:
        raise L10nError(f"unknown language code {code!r}") from exc
    canonical = str(locale)
    facts = _OVERRIDES.get(canonical, {})
    return Language(
        code=canonical,
        babel_locale=canonical,
        english_name=str(facts.get("english_name", locale.english_name)),
        native_name=str(facts.get("native_name", locale.display_name)),
        direction="rtl" if locale.character_order == "right-to-left" else "ltr",
        plural_forms=get_plural(locale).plural_forms,
        aliases=tuple(facts.get("aliases", ())),  # type: ignore[arg-type]
        letter_fixes=tuple(facts.get("letter_fixes", ())),  # type: ignore[arg-type]
        punctuation=tuple(facts.get("punctuation", ())),  # type: ignore[arg-type]
    )
