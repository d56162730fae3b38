"""Machine translation engines behind one interface: argos and nllb, over one CTranslate2 runner.

`registry` maps names to engines; `base` holds the interface and the model
descriptor every draft names in its provenance.
"""

from __future__ import annotations

from .base import SOURCE_LANGUAGE, Engine, EngineOptions, EngineUnavailable, ModelInfo
from .registry import (
    ENGINES,
    POST_EDITS,
    Choice,
    install,
    installed_models,
    open_engines,
    parse_choice,
)

__all__ = [
    "ENGINES",
    "POST_EDITS",
    "SOURCE_LANGUAGE",
    "Choice",
    "Engine",
    "EngineOptions",
    "EngineUnavailable",
    "ModelInfo",
    "install",
    "installed_models",
    "open_engines",
    "parse_choice",
]
