"""`l10n.toml`: where a project keeps its sources, catalogs and editions, and its policies."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .document import DEFAULT_FRONT_MATTER_KEYS
from .engines import Choice, EngineOptions, parse_choice
from .errors import L10nError
from .glossary import STATUS_VALUES
from .languages import DEFAULT_LANGUAGES, language
from .publish.typography import PublishSettings, publish_settings

CONFIG_NAME = "l10n.toml"

#: Engines per language, in order of preference, when l10n.toml names none: Argos has
#: en→ur and en→fa (made Dari by the post-edit table) but no Pashto; NLLB-200 has all three.
DEFAULT_ENGINES: dict[str, tuple[str, ...]] = {
    "ps": ("nllb",),
    "fa_AF": ("argos+dari", "nllb"),
    "ur": ("argos", "nllb"),
}
_OTHER_LANGUAGES = ("argos", "nllb")


@dataclass(frozen=True)
class EngineSettings:
    """`[engines]`: which engine drafts each language, where models are, how drafts are made."""

    choices: dict[str, tuple[Choice, ...]] = field(default_factory=dict)
    options: EngineOptions = field(default_factory=EngineOptions)
    native_digits: tuple[str, ...] = ()  # languages whose drafts write ۰–۹
    protect_numbers: bool = False  # numbers pass the engine as placeholders
    glossary: tuple[str, ...] = ("approved",)  # rendering statuses put into drafts
    cache: bool = True  # reuse translated sentences (.l10n-cache/drafts.sqlite3)

    def choices_for(self, lang: str) -> tuple[Choice, ...]:
        """The engines to try for a language, best first; empty: no drafts for it."""
        if lang in self.choices:
            return self.choices[lang]
        return tuple(map(parse_choice, DEFAULT_ENGINES.get(lang, _OTHER_LANGUAGES)))


@dataclass(frozen=True)
class Config:
    """Settings of one project; paths are absolute."""

    root: Path
    name: str
    source_dir: Path
    locales_dir: Path
    output_dir: Path
    languages: tuple[str, ...]
    front_matter_keys: tuple[str, ...]
    fuzzy_threshold: float  # 0–100: how alike an old msgid must be to carry its translation
    glossary_path: Path
    engines: EngineSettings = field(default_factory=EngineSettings)
    publish: PublishSettings = field(default_factory=PublishSettings)


def default_toml(name: str) -> str:
    """The file `l10n init` writes: every setting spelled out with its default."""
    langs = ", ".join(f'"{code}"' for code in DEFAULT_LANGUAGES)
    keys = ", ".join(f'"{key}"' for key in DEFAULT_FRONT_MATTER_KEYS)
    return f"""# l10n project settings
[project]
name = "{name}"
source = "source"      # Markdown documents to translate (source/**/*.md)
locales = "locales"    # <doc>.pot templates and <lang>/<doc>.po catalogs
output = "dist"        # published editions: <output>/<lang>/<doc>.md
# Target languages: ps (Pashto), fa_AF (Dari; "prs" is accepted), ur (Urdu)
languages = [{langs}]

[extract]
# Front-matter keys whose text is translated (strings, or lists of strings)
front_matter_keys = [{keys}]

[update]
# A changed block gets the old translation of the most similar removed block,
# as fuzzy, when the two source texts are at least this similar (0-100)
fuzzy_threshold = 70

[glossary]
# Terminology shown to translators as hints and enforced by the glossary check
file = "glossary.yaml"

[publish]
formats = ["md", "html", "pdf"]   # what `l10n build` publishes; pdf needs the pdf extra
drafts = false         # true: publish fuzzy drafts too (the editions carry a draft banner)
footnotes = "bottom"   # PDF notes at the foot of each page, or "end" (endnotes)
page_size = "A4"       # CSS page size: "A4", "A5", "letter", "160mm 240mm"

[publish.ur]
style = "nastaliq"     # or "naskh": Naskh PDFs can be searched and copied, Nastaliq ones cannot
digits = "extended"    # ۰۱۲۳ (Extended Arabic-Indic), or "latin" (0123)
# [publish.ps] / [publish.fa_AF] accept style = "naskh", digits = "extended" | "latin"

[engines]
# Machine drafts (`l10n draft`): the engine for each language, best first.
# argos: Argos Translate packages (en→ur, en→fa); nllb: NLLB-200 converted to
# CTranslate2 (all three); "+dari" makes Persian output Afghan Dari; "none": no drafts.
ps = "nllb"
fa_AF = ["argos+dari", "nllb"]
ur = ["argos", "nllb"]
native_digits = []          # languages whose drafts write ۰–۹ instead of 0–9
protect_numbers = false     # true: numbers pass the engine untouched, as placeholders
glossary = ["approved"]     # glossary renderings put into drafts ("proposed" too?)
# nllb_model = "/path/to/nllb-200-distilled-600M-ct2"   # default: `l10n models install nllb DIR`
# argos_packages = "/path/to/packages"                 # default: argostranslate's own folder

"""


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds an l10n.toml."""
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise L10nError(f"no {CONFIG_NAME} in {start} or above; run `l10n init` to create a project")


def load_config(start: Path) -> Config:
    """Read and check the project's settings; errors name the file."""
    root = find_root(start.resolve())
    path = root / CONFIG_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise L10nError(f"cannot read settings: {exc}", path) from exc
    project = _table(data, "project", path)
    extract = _table(data, "extract", path)
    update = _table(data, "update", path)
    glossary = _table(data, "glossary", path)
    codes = project.get("languages", list(DEFAULT_LANGUAGES))
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise L10nError("[project] languages must be a list of language codes", path)
    try:
        languages = tuple(dict.fromkeys(language(code).code for code in codes))
    except L10nError as exc:
        raise L10nError(f"[project] languages: {exc.message}", path) from exc
    threshold = update.get("fuzzy_threshold", 70)
    if not isinstance(threshold, int | float) or not 0 < threshold <= 100:
        raise L10nError("[update] fuzzy_threshold must be a number from 1 to 100", path)
    return Config(
        root=root,
        name=str(project.get("name", root.name)),
        source_dir=root / str(project.get("source", "source")),
        locales_dir=root / str(project.get("locales", "locales")),
        output_dir=root / str(project.get("output", "dist")),
        languages=languages,
        front_matter_keys=tuple(extract.get("front_matter_keys", DEFAULT_FRONT_MATTER_KEYS)),
        fuzzy_threshold=float(threshold),
        glossary_path=root / str(glossary.get("file", "glossary.yaml")),
        engines=_engines(_table(data, "engines", path), root, path),
        publish=_publish(_table(data, "publish", path), path),
    )


def _publish(table: dict, path: Path) -> PublishSettings:
    try:
        return publish_settings(table)
    except L10nError as exc:
        raise L10nError(exc.message, path) from exc


def _table(data: dict, name: str, path: Path) -> dict:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise L10nError(f"[{name}] must be a table", path)
    return value


_ENGINE_SETTINGS = {
    "nllb_model", "argos_packages", "native_digits", "protect_numbers", "glossary",
    "beam_size", "batch_size", "workers", "threads", "cache",
}  # fmt: skip


def _engines(table: dict, root: Path, path: Path) -> EngineSettings:
    """`[engines]`: language keys name engines; the other keys are the settings above."""

    def fail(message: str) -> L10nError:
        return L10nError(f"[engines] {message}", path)

    choices: dict[str, tuple[Choice, ...]] = {}
    for key, value in table.items():
        if key in _ENGINE_SETTINGS:
            continue
        try:
            code = language(key).code
        except L10nError:
            known = ", ".join(sorted(_ENGINE_SETTINGS))
            raise fail(f"{key!r} is neither a language code nor a setting ({known})") from None
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise fail(f"{key} must be an engine name or a list of them")
        try:
            choices[code] = tuple(parse_choice(n) for n in names if n != "none")
        except ValueError as exc:
            raise fail(f"{key}: {exc}") from None
    digits = table.get("native_digits", [])
    if not isinstance(digits, list) or not all(isinstance(d, str) for d in digits):
        raise fail("native_digits must be a list of language codes")
    statuses = table.get("glossary", ["approved"])
    if not isinstance(statuses, list) or not set(statuses) <= set(STATUS_VALUES):
        raise fail(f"glossary must be a list of statuses: {', '.join(STATUS_VALUES)}")
    numbers = {}
    for name, default in (("beam_size", 4), ("batch_size", 16), ("workers", 0), ("threads", 1)):
        value = table.get(name, default)
        if not isinstance(value, int) or value < (0 if name in ("workers", "threads") else 1):
            raise fail(f"{name} must be a whole number")
        numbers[name] = value
    flags = {}
    for name, default in (("protect_numbers", False), ("cache", True)):
        flags[name] = table.get(name, default)
        if not isinstance(flags[name], bool):
            raise fail(f"{name} must be true or false")
    try:
        native = tuple(language(d).code for d in digits)
    except L10nError as exc:
        raise fail(f"native_digits: {exc.message}") from None
    options = EngineOptions(
        argos_packages=_path(table, "argos_packages", root),
        nllb_model=_path(table, "nllb_model", root),
        **numbers,
    )
    return EngineSettings(
        choices, options, native, flags["protect_numbers"], tuple(statuses), flags["cache"]
    )


def _path(table: dict, key: str, root: Path) -> Path | None:
    value = table.get(key)
    return (root / Path(value).expanduser()) if isinstance(value, str) and value else None
