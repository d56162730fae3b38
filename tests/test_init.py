"""An editor starts a new project for the next brief of the series."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from l10n.config import load_config
from l10n.errors import L10nError
from l10n.languages import DEFAULT_LANGUAGES
from l10n.pipeline import init_project
from l10n.settings import (
    DEFAULT_ENGINES,
    SERVER_ENGINES,
    Config,
    ProjectSettings,
    ServerSettings,
    Settings,
)


def test_init_creates_settings_with_the_three_languages_and_the_folders(tmp_path):
    init_project(tmp_path, "briefs")
    config = load_config(tmp_path)
    assert config.languages == ("ps", "fa_AF", "ur")
    assert config.name == "briefs"
    assert config.source_dir == tmp_path / "source" and config.source_dir.is_dir()
    assert config.locales_dir == tmp_path / "locales" and config.locales_dir.is_dir()
    assert config.output_dir == tmp_path / "dist"
    assert "title" in config.front_matter_keys and config.fuzzy_threshold == 70


def test_init_keeps_an_existing_gitignore_and_adds_only_what_is_missing(tmp_path):
    (tmp_path / ".gitignore").write_text("*.pyc\n/dist/", encoding="utf-8")
    init_project(tmp_path)
    assert (tmp_path / ".gitignore").read_text("utf-8") == (
        "*.pyc\n/dist/\n/.l10n-cache/\n*.l10n.tmp\n"
    )


def test_settings_with_an_unknown_language_are_refused_naming_the_file(tmp_path):
    init_project(tmp_path)
    toml = tmp_path / "l10n.toml"
    toml.write_text(toml.read_text("utf-8").replace('"ur"]', '"xx-nonsense"]'), "utf-8")
    with pytest.raises(L10nError) as failure:
        load_config(tmp_path)
    assert "l10n.toml" in str(failure.value) and "xx-nonsense" in str(failure.value)


def test_dari_may_be_configured_as_prs(tmp_path):
    init_project(tmp_path)
    toml = tmp_path / "l10n.toml"
    toml.write_text(toml.read_text("utf-8").replace('"fa_AF"', '"prs"'), "utf-8")
    assert load_config(tmp_path).languages == ("ps", "fa_AF", "ur")


def test_a_new_projects_file_holds_exactly_the_default_settings(tmp_path):
    init_project(tmp_path, "briefs")
    root = tmp_path.resolve()
    assert load_config(tmp_path) == Config(root=root, project=ProjectSettings(name="briefs"))


def test_the_file_init_writes_names_every_setting_with_a_comment(tmp_path):
    init_project(tmp_path)
    text = (tmp_path / "l10n.toml").read_text("utf-8")
    for table in fields(Settings):
        assert f"[{table.name}]" in text
        for key in _keys(type(getattr(Settings(), table.name))):
            assert re.search(rf"(?m)^(# )?{key} = .*", text), key
    for code in DEFAULT_ENGINES:
        assert re.search(rf"(?m)^{code} = ", text)
    for code in DEFAULT_LANGUAGES:
        assert f"# [publish.{code}]" in text
    for name in SERVER_ENGINES:  # examples, commented out until a server is configured
        assert f"# [engines.{name}]" in text


def test_a_project_name_with_quotes_survives_the_file(tmp_path):
    init_project(tmp_path, 'The "Road" briefs\\2026')
    assert load_config(tmp_path).name == 'The "Road" briefs\\2026'


def _keys(kind: type) -> list[str]:
    """The keys a settings type is written with; an inline type's keys are its fields'."""
    keys = []
    for f in fields(kind):
        spelling = f.metadata["toml"]
        if spelling.layout == "inline":
            keys += _keys(type(getattr(kind(), f.name)))
        elif spelling.layout == "server tables":
            keys += _keys(ServerSettings)
        elif spelling.layout != "languages":
            keys.append(spelling.key or f.name)
    return keys
