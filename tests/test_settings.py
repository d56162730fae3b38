"""A project's settings: one home for every default, read from and written to l10n.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from l10n.config import load_config, settings_toml
from l10n.engines import ENGINES, POST_EDITS
from l10n.errors import L10nError
from l10n.languages import language
from l10n.pipeline import init_project
from l10n.settings import (
    DEFAULT_ENGINES,
    ENGINE_NAMES,
    POST_EDIT_NAMES,
    Config,
    EngineOptions,
    EngineSettings,
    ProjectSettings,
    PublishSettings,
    UpdateSettings,
)


def _modules_after(statement: str) -> set[str]:
    """The l10n modules a fresh interpreter has loaded after one import."""
    code = f"{statement}; import sys; print(' '.join(m for m in sys.modules if 'l10n' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_settings_import_no_feature_and_reading_them_loads_no_engine_or_renderer():
    assert _modules_after("import l10n.settings") == {
        "l10n",
        "l10n.errors",
        "l10n.languages",
        "l10n.settings",
    }
    loaded = _modules_after("import l10n.config")
    assert not {m for m in loaded if m.startswith(("l10n.engines", "l10n.publishing"))}


def test_the_names_l10n_toml_may_give_engines_are_the_registrys():
    assert tuple(ENGINES) == ENGINE_NAMES
    assert tuple(POST_EDITS) == POST_EDIT_NAMES


def test_a_misspelt_post_edit_is_refused_while_the_file_is_read(project: Path):
    toml = project / "l10n.toml"
    toml.write_text(toml.read_text("utf-8") + 'fa_AF = "argos+tajik"\n', "utf-8")
    toml.write_text(toml.read_text("utf-8").replace('fa_AF = ["argos+dari", "nllb"]\n', ""))
    with pytest.raises(L10nError, match=r"l10n.toml.*\[engines\] fa_AF: unknown post-edit 'tajik'"):
        load_config(project)


def test_languages_the_file_does_not_mention_keep_their_default_engines(project: Path):
    toml = project / "l10n.toml"
    text = toml.read_text("utf-8").replace('ur = ["argos", "nllb"]\n', 'ur = "none"\n')
    toml.write_text(text.replace('ps = "nllb"\n', ""), "utf-8")
    engines = load_config(project).engines
    assert engines.choices_for("ur") == () and engines.choices_for("ps") == ("nllb",)
    assert engines.choices_for("de") == ("argos", "nllb")


def test_settings_written_out_read_back_the_same(tmp_path: Path):
    root = tmp_path.resolve()
    custom = Config(
        root=root,
        project=ProjectSettings(name="series", source="docs", languages=("ur", "ps")),
        update=UpdateSettings(fuzzy_threshold=82.5),
        publish=PublishSettings(
            footnotes="end", formats=("md",), drafts=True, styles={"ur": "naskh"}
        ),
        engines=EngineSettings(
            choices={**DEFAULT_ENGINES, "ur": ("nllb",), "ps": ()},
            native_digits=("ur",),
            cache=False,
            options=EngineOptions(nllb_model=root / "models" / "nllb", beam_size=2, workers=3),
        ),
    )
    (tmp_path / "l10n.toml").write_text(settings_toml(custom), "utf-8")
    assert load_config(tmp_path) == custom


def test_a_language_knows_its_bcp47_tag():
    assert [language(code).tag for code in ("fa_AF", "prs", "ps", "ur")] == [
        "fa-AF",
        "fa-AF",
        "ps",
        "ur",
    ]


def test_init_writes_the_same_file_the_defaults_make(tmp_path: Path):
    init_project(tmp_path, "briefs")
    written = (tmp_path / "l10n.toml").read_text("utf-8")
    assert written == settings_toml(Config(root=tmp_path, project=ProjectSettings(name="briefs")))
