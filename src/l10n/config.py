"""`l10n.toml`: read into the settings types (`settings`), and written out for `l10n init`.

Reading checks every value and names the file and table at fault.  The file
`l10n init` writes is made from the settings' defaults and field comments, so
it cannot drift from what a project without the file would get.
"""

from __future__ import annotations

import json
import re
import textwrap
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import Field, fields
from pathlib import Path
from typing import Any

from .errors import L10nError
from .glossary import STATUS_VALUES
from .languages import DIGITS, Language, edition_digits, language
from .settings import (
    DEVICES,
    NO_ENGINE,
    SERVER_ENGINES,
    Config,
    EngineOptions,
    EngineSettings,
    ExtractSettings,
    GlossarySettings,
    ProjectSettings,
    PublishSettings,
    ServerSettings,
    Settings,
    Toml,
    UpdateSettings,
    choice_names,
)

CONFIG_NAME = "l10n.toml"

__all__ = ["CONFIG_NAME", "Config", "default_toml", "find_root", "load_config", "publish_settings"]


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
    try:
        return Config(root=root, **read_settings(data, root))
    except L10nError as exc:
        raise L10nError(exc.message, path) from exc


def read_settings(data: Mapping[str, Any], root: Path) -> dict[str, Any]:
    """Every table of a parsed l10n.toml as its settings type; paths are made absolute."""
    return {
        "project": _project(_table(data, "project")),
        "extract": _extract(_table(data, "extract")),
        "update": _update(_table(data, "update")),
        "glossary": _glossary(_table(data, "glossary")),
        "engines": _engines(_table(data, "engines"), root),
        "publish": publish_settings(_table(data, "publish")),
    }


def _table(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, Mapping):
        raise L10nError(f"[{name}] must be a table")
    return value


def _project(table: Mapping[str, Any]) -> ProjectSettings:
    default = ProjectSettings()
    codes = table.get("languages", list(default.languages))
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise L10nError("[project] languages must be a list of language codes")
    try:
        languages = tuple(dict.fromkeys(language(code).code for code in codes))
    except L10nError as exc:
        raise L10nError(f"[project] languages: {exc.message}") from exc
    folders = {
        key: str(table.get(key, getattr(default, key))) for key in ("source", "locales", "output")
    }
    return ProjectSettings(name=str(table.get("name", "")), languages=languages, **folders)


def _extract(table: Mapping[str, Any]) -> ExtractSettings:
    keys = table.get("front_matter_keys", ExtractSettings().front_matter_keys)
    return ExtractSettings(front_matter_keys=tuple(keys))


def _update(table: Mapping[str, Any]) -> UpdateSettings:
    threshold = table.get("fuzzy_threshold", UpdateSettings().fuzzy_threshold)
    if not isinstance(threshold, int | float) or not 0 < threshold <= 100:
        raise L10nError("[update] fuzzy_threshold must be a number from 1 to 100")
    return UpdateSettings(fuzzy_threshold=float(threshold))


def _glossary(table: Mapping[str, Any]) -> GlossarySettings:
    return GlossarySettings(file=str(table.get("file", GlossarySettings().file)))


# --------------------------------------------------------------------------- [publish]

#: Per-language settings of `[publish.<code>]`: the value checked and made canonical.
_PUBLISH_CHECKS: dict[str, Callable[[Language, str], str]] = {
    "style": lambda lang, name: lang.type_style(name).name,
    "digits": lambda lang, name: _digits(name),
}


def _digits(name: str) -> str:
    edition_digits(name)  # refuses an unknown name
    return name


def publish_settings(table: Mapping[str, Any]) -> PublishSettings:
    """Settings from l10n.toml's `[publish]` table and its per-language sub-tables.

    Errors name the table: "[publish.ur] style: Urdu has no type style 'kufi'…".
    """
    by_language: dict[str, dict[str, str]] = {_key(f): {} for f in _language_tables()}
    plain = {}
    for key, value in table.items():
        if not isinstance(value, Mapping):
            plain[key] = value
            continue
        try:
            lang = language(key)
            unknown = set(value) - set(_PUBLISH_CHECKS)
            if unknown:
                raise L10nError(f"no setting {sorted(unknown)[0]!r} ({', '.join(_PUBLISH_CHECKS)})")
            for name, text in value.items():
                by_language[name][lang.code] = _PUBLISH_CHECKS[name](lang, str(text))
        except L10nError as exc:
            raise L10nError(f"[publish.{key}] {exc.message}") from exc
    default = PublishSettings()
    try:
        known = [f.name for f in _values(PublishSettings)]
        unknown = set(plain) - set(known)
        if unknown:
            raise L10nError(f"no setting {sorted(unknown)[0]!r} ({', '.join(known)})")
        if not isinstance(plain.get("drafts", default.drafts), bool):
            raise L10nError("drafts must be true or false")
        if not isinstance(plain.get("network", default.network), bool):
            raise L10nError("network must be true or false")
        formats = plain.get("formats", list(default.formats))
        if not isinstance(formats, list):
            raise L10nError('formats must be a list such as ["md", "html", "pdf"]')
        return PublishSettings(
            footnotes=str(plain.get("footnotes", default.footnotes)),
            page_size=str(plain.get("page_size", default.page_size)),
            formats=tuple(str(f) for f in formats),
            drafts=plain.get("drafts", default.drafts),
            network=plain.get("network", default.network),
            **{f.name: by_language[_key(f)] for f in _language_tables()},
        )
    except L10nError as exc:
        raise L10nError(f"[publish] {exc.message}") from exc


# --------------------------------------------------------------------------- [engines]


def _engines(table: Mapping[str, Any], root: Path) -> EngineSettings:
    """`[engines]`: language keys name engines; the other keys are settings."""

    def fail(message: str) -> L10nError:
        return L10nError(f"[engines] {message}")

    settings = {f.name for f in _values(EngineSettings)} | {f.name for f in _values(EngineOptions)}
    default = EngineSettings()
    choices = dict(default.choices)
    servers: dict[str, ServerSettings] = {}
    for key, value in table.items():
        if key in settings:
            continue
        if key in SERVER_ENGINES:
            servers[key] = _server(key, value, root)
            continue
        try:
            code = language(key).code
        except L10nError:
            known = ", ".join(sorted(settings))
            raise fail(f"{key!r} is neither a language code nor a setting ({known})") from None
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise fail(f"{key} must be an engine name or a list of them")
        try:
            choices[code] = tuple("+".join(choice_names(n)) for n in names if n != NO_ENGINE)
        except ValueError as exc:
            raise fail(f"{key}: {exc}") from None
    digits = table.get("native_digits", list(default.native_digits))
    if not isinstance(digits, list) or not all(isinstance(d, str) for d in digits):
        raise fail("native_digits must be a list of language codes")
    statuses = table.get("glossary", list(default.glossary))
    if not isinstance(statuses, list) or not set(statuses) <= set(STATUS_VALUES):
        raise fail(f"glossary must be a list of statuses: {', '.join(STATUS_VALUES)}")
    numbers = {}
    for f in _values(EngineOptions):
        minimum = _toml(f).minimum
        if minimum is None:
            continue
        value = table.get(f.name, f.default)
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise fail(f"{f.name} must be a whole number")
        numbers[f.name] = value
    flags = {}
    for name in ("protect_numbers", "cache"):
        flags[name] = table.get(name, getattr(default, name))
        if not isinstance(flags[name], bool):
            raise fail(f"{name} must be true or false")
    try:
        native = tuple(language(d).code for d in digits)
    except L10nError as exc:
        raise fail(f"native_digits: {exc.message}") from None
    device = table.get("device", EngineOptions().device)
    if device not in DEVICES:
        raise fail(f"device must be one of {', '.join(DEVICES)}, not {device!r}")
    options = EngineOptions(
        argos_packages=_path(table, "argos_packages", root),
        nllb_model=_path(table, "nllb_model", root),
        device=device,
        servers=servers,
        **numbers,
    )
    return EngineSettings(
        choices=choices,
        native_digits=native,
        glossary=tuple(statuses),
        options=options,
        **flags,
    )


def _path(table: Mapping[str, Any], key: str, root: Path) -> Path | None:
    value = table.get(key)
    return (root / Path(value).expanduser()) if isinstance(value, str) and value else None


# --------------------------------------------------------------------------- writing

_COMMENT_COLUMN = 22  # where comments beside short settings start
_WIDTH = 88


def default_toml(name: str) -> str:
    """The file `l10n init` writes: every setting spelled out with its default."""
    return settings_toml(Settings(project=ProjectSettings(name=name)))


def settings_toml(settings: Settings) -> str:
    """l10n.toml for these settings with their comments; tuning at its default is a comment."""
    lines = ['# l10n project settings, each at its default ("# key = …" too: uncomment to change)']
    for section in fields(Settings):
        lines.append(f"[{section.name}]")
        lines += _table_lines(section.name, getattr(settings, section.name), settings)
        lines.append("")
    return "\n".join(lines)


def _table_lines(table: str, values: Any, settings: Settings) -> list[str]:
    lines: list[str] = []
    for f in fields(values):
        lines += _WRITERS[_toml(f).layout](f, getattr(values, f.name), settings)
    tables = _language_tables(type(values))
    if tables:
        lines += _per_language_lines(table, tables, values, settings)
    return lines


def _value_lines(f: Field, value: Any, settings: Settings) -> list[str]:
    toml = _toml(f)
    at_default = value == f.default
    if value is None and not (toml.commented and toml.example is not None):
        return []
    shown = toml.example if value is None else value
    return _assignment(_key(f), shown, toml.comment, commented=toml.commented and at_default)


def _language_key_lines(
    f: Field, value: Mapping[str, tuple[str, ...]], settings: Settings
) -> list[str]:
    lines = _comment(_toml(f).comment)
    for code, names in value.items():
        shown = names[0] if len(names) == 1 else list(names) or NO_ENGINE
        lines.append(f"{code} = {_toml_value(shown)}")
    return lines


def _inline_lines(f: Field, value: Any, settings: Settings) -> list[str]:
    return [
        line
        for g in fields(value)
        for line in _WRITERS[_toml(g).layout](g, getattr(value, g.name), settings)
    ]


def _server(name: str, table: object, root: Path) -> ServerSettings:
    """`[engines.<name>]` of a server engine; errors name the table."""

    def fail(message: str) -> L10nError:
        return L10nError(f"[engines.{name}] {message}")

    if not isinstance(table, Mapping):
        raise fail("must be a table")
    known = {f.name for f in fields(ServerSettings)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise fail(f"no setting {unknown[0]!r} ({', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    for f in fields(ServerSettings):
        if f.name not in table:
            continue
        value = table[f.name]
        if f.name == "urls":
            urls = [value] if isinstance(value, str) else value
            if not isinstance(urls, list) or not urls or not all(_is_url(u) for u in urls):
                raise fail("urls must be a list of http:// or https:// base URLs")
            values["urls"] = tuple(urls)
        elif f.name == "prompt":
            if not isinstance(value, str) or not value:
                raise fail("prompt must be the path of a template file")
            values["prompt"] = root / Path(value).expanduser()
        elif isinstance(f.default, int):
            minimum = _toml(f).minimum or 0
            if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
                raise fail(f"{f.name} must be a whole number of at least {minimum}")
            values[f.name] = value
        else:
            if not isinstance(value, str):
                raise fail(f"{f.name} must be a string")
            if f.name == "api_key_env" and value and not _ENV_NAME.fullmatch(value):
                raise fail(
                    "api_key_env names an environment variable (the key is never written here)"
                )
            values[f.name] = value
    return ServerSettings(**values)


def _is_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _server_lines(f: Field, value: Mapping[str, ServerSettings], settings: Settings) -> list[str]:
    """Each server engine's table: as configured, or a commented example of it."""
    lines: list[str] = []
    examples = {
        "libretranslate": ServerSettings(urls=("http://127.0.0.1:5000",)),
        "openai": ServerSettings(
            urls=("http://127.0.0.1:8000/v1",),
            model="your-model",
            api_key_env="OPENAI_API_KEY",
            prompt=Path("prompts/my-translate.jinja"),
        ),
    }
    for name in SERVER_ENGINES:
        server = value.get(name)
        commented = server is None
        shown = server or examples[name]
        lines += ["", ("# " if commented else "") + f"[engines.{name}]"]
        for g in fields(ServerSettings):
            item = getattr(shown, g.name)
            if item is None or (item in ("", ()) and g.name != "urls"):
                continue
            lines += _assignment(g.name, item, _toml(g).comment, commented=commented)
    return lines


def _skip(f: Field, value: Any, settings: Settings) -> list[str]:
    return []  # written after the table's own keys, in its sub-tables


_WRITERS: dict[str, Callable[[Field, Any, Settings], list[str]]] = {
    "value": _value_lines,
    "languages": _language_key_lines,
    "inline": _inline_lines,
    "language tables": _skip,
    "server tables": _server_lines,
}

#: A language's own choice of a per-language setting first, then the others it may take.
_LANGUAGE_CHOICES: dict[str, Callable[[Language], tuple[str, ...]]] = {
    "style": lambda lang: tuple(style.name for style in lang.type_styles),
    "digits": lambda lang: (lang.digits, *(d for d in DIGITS if d != lang.digits)),
}


def _per_language_lines(
    table: str, tables: list[Field], values: Any, settings: Settings
) -> list[str]:
    """`[table.<code>]` of each project language: its settings, or commented, the language's own."""
    lines = ["", f"# Per language, a [{table}.<code>] table may set (shown: the language's own):"]
    lines += [f"# {_key(f)}: {_toml(f).comment}" for f in tables]
    for code in settings.project.languages:
        chosen = {_key(f): getattr(values, f.name).get(code) for f in tables}
        commented = not any(chosen.values())
        lines.append(("# " if commented else "") + f"[{table}.{code}]")
        for key, value in chosen.items():
            if value is None and not commented:
                continue
            allowed = _LANGUAGE_CHOICES[key](language(code))
            shown = value or allowed[0]
            others = ", ".join(f'"{v}"' for v in allowed if v != shown)
            lines += _assignment(key, shown, others and f"or {others}", commented=commented)
    return lines


def _assignment(key: str, value: object, comment: str, *, commented: bool) -> list[str]:
    line = ("# " if commented else "") + f"{key} = {_toml_value(value)}"
    if not comment:
        return [line]
    beside = f"{line.ljust(_COMMENT_COLUMN)}  # {comment}"
    return [beside] if len(beside) <= _WIDTH else [*_comment(comment), line]


def _comment(text: str) -> list[str]:
    return [f"# {line}" for line in textwrap.wrap(text, _WIDTH - 2)]


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(map(_toml_value, value)) + "]"
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


# --------------------------------------------------------------------------- field facts


def _toml(f: Field) -> Toml:
    return f.metadata["toml"]


def _key(f: Field) -> str:
    return _toml(f).key or f.name


def _values(kind: type) -> Iterator[Field]:
    """The fields of a settings type written `key = value` in its own table."""
    return (f for f in fields(kind) if _toml(f).layout == "value")


def _language_tables(kind: type = PublishSettings) -> list[Field]:
    return [f for f in fields(kind) if _toml(f).layout == "language tables"]
