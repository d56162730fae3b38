"""An editor starts a new project for the next brief of the series."""

from __future__ import annotations

import pytest

from l10n.config import load_config
from l10n.errors import L10nError
from l10n.pipeline import init_project


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
    assert (tmp_path / ".gitignore").read_text("utf-8") == "*.pyc\n/dist/\n/.l10n-cache/\n"


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
