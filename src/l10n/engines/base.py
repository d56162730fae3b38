"""The one interface every MT engine offers, and what a draft records about its model."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..errors import L10nError
from ..settings import SOURCE_LANGUAGE as SOURCE_LANGUAGE  # the engines import it from here
from ..settings import EngineOptions


@dataclass(frozen=True)
class ModelInfo:
    """Which model translates a language pair: named in every draft's provenance and cache key."""

    engine: str  # registry name: "argos", "nllb", …
    model: str  # package or model name: "translate-en_ur-1_9", "nllb-200-distilled-600M"
    version: str  # package version, or a fingerprint of the model files
    path: Path
    pairs: tuple[tuple[str, str], ...] = ()  # (engine source code, engine target code)
    fingerprint: str = ""  # of the model files: a changed model never reuses cached drafts

    @property
    def label(self) -> str:
        return f"{self.engine} {self.model} {self.version}"


DEFAULT_OPTIONS = EngineOptions()


class Engine(Protocol):
    """An MT engine: finds its model for a language pair and translates sentences in batches."""

    name: str

    def model_for(self, src: str, tgt: str) -> ModelInfo | None:
        """The model that would translate src → tgt (project codes); None if not installed."""
        ...

    def translate(self, sentences: Sequence[str], src: str, tgt: str) -> list[str]:
        """One translation per sentence, in order."""
        ...

    def install_hint(self, tgt: str) -> str:
        """How to install a model for SOURCE_LANGUAGE → tgt, as commands to type."""
        ...

    def installed(self) -> list[ModelInfo]:
        """Every installed model of this engine (for `l10n models list`)."""
        ...


class EngineUnavailable(L10nError):
    """An engine's library or model is missing or unusable; the message says how to fix it."""


def data_dir() -> Path:
    """Where l10n keeps per-user data (registered models): $L10N_DATA_DIR, or the XDG data dir."""
    if os.environ.get("L10N_DATA_DIR"):
        return Path(os.environ["L10N_DATA_DIR"])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "l10n"


def file_fingerprint(*paths: Path) -> str:
    """Eight hex digits for model files: sizes and first MiB (hashing 2.5 GB takes seconds)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.stat().st_size).encode())
        with path.open("rb") as handle:
            digest.update(handle.read(1 << 20))
    return digest.hexdigest()[:8]
