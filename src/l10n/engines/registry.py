"""Engines by name, post-edits by name, and the choice "engine+post-edit" written in l10n.toml."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import dari
from ..settings import choice_names
from .argos import (
    ArgosEngine,
    ArgosTranslateEngine,
    install_file,
    install_from_index,
    installed_packages,
)
from .base import DEFAULT_OPTIONS, Engine, EngineOptions, EngineUnavailable, ModelInfo
from .libretranslate import LibreTranslateEngine
from .nllb import NllbEngine, register
from .openai import OpenAIEngine

#: Every name of `settings.ENGINE_NAMES` (what l10n.toml may write) with its engine.
ENGINES: dict[str, Callable[[EngineOptions], Engine]] = {
    "argos": ArgosEngine,
    "argostranslate": ArgosTranslateEngine,
    "nllb": NllbEngine,
    "libretranslate": LibreTranslateEngine,
    "openai": OpenAIEngine,
}


@dataclass(frozen=True)
class PostEdit:
    """A fix applied to an engine's output, e.g. Persian made Afghan Dari."""

    name: str
    run: Callable[[str], str]
    explanation: str


#: Every name of `settings.POST_EDIT_NAMES` with its post-edit.
POST_EDITS: dict[str, PostEdit] = {
    "dari": PostEdit("dari", dari.post_edit, "Iranian Persian → Afghan Dari (data/dari.tsv)"),
}


@dataclass(frozen=True)
class Choice:
    """One engine with the post-edits its output goes through: "argos+dari"."""

    engine: str
    post_edits: tuple[str, ...] = ()

    def __str__(self) -> str:
        return "+".join((self.engine, *self.post_edits))


def parse_choice(text: str) -> Choice:
    """ "argos+dari" → Choice("argos", ("dari",)); ValueError names what is unknown."""
    engine, *edits = choice_names(text)
    return Choice(engine, tuple(edits))


def open_engines(options: EngineOptions = DEFAULT_OPTIONS) -> dict[str, Engine]:
    """One instance per engine for a run, so each model is loaded once."""
    return {name: make(options) for name, make in ENGINES.items()}


def installed_models(
    options: EngineOptions = DEFAULT_OPTIONS, use_argostranslate: bool | None = None
) -> list[ModelInfo]:
    """Every installed model of every engine (for `l10n models list`)."""
    models = [p.info() for p in installed_packages(options, use_argostranslate) if p.runnable]
    return models + NllbEngine(options).installed()


def install(
    what: str,
    path: Path | None = None,
    options: EngineOptions = DEFAULT_OPTIONS,
    sp_model: Path | None = None,
    name: str | None = None,
) -> ModelInfo:
    """`l10n models install`: "nllb" DIR, FILE.argosmodel, or an Argos index pair ("en-ur")."""
    if what == "nllb":
        if path is None:
            raise EngineUnavailable("l10n models install nllb DIR: the converted model directory")
        return register(path, sp_model, name)
    if what.endswith(".argosmodel") or Path(what).is_file():
        return install_file(Path(what), options).info()
    return install_from_index(what, options).info()
