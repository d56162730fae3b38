"""`l10n.toml`: where a project keeps its sources, catalogs and editions, and its policies."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .document import DEFAULT_FRONT_MATTER_KEYS
from .errors import L10nError
from .languages import DEFAULT_LANGUAGES, language

CONFIG_NAME = "l10n.toml"


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
    )


def _table(data: dict, name: str, path: Path) -> dict:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise L10nError(f"[{name}] must be a table", path)
    return value
