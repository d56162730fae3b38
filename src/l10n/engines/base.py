"""The one interface every MT engine offers, and what a draft records about its model."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
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


#: Called as translations arrive, before a call returns: (indexes into the call's
#: sentences, their translations).  The draft stage stores them at once, so an
#: interrupted run keeps them and the next run does not send them again.
Arrived = Callable[[Sequence[int], Sequence[str]], None]


class Engine(Protocol):
    """An MT engine: finds its model for a language pair and translates sentences in batches."""

    name: str

    def model_for(self, src: str, tgt: str) -> ModelInfo | None:
        """The model that would translate src → tgt (project codes); None if not installed."""
        ...

    def translate(
        self, sentences: Sequence[str], src: str, tgt: str, arrived: Arrived | None = None
    ) -> list[str]:
        """One translation per sentence, in order; `arrived` hears of each as it comes."""
        ...

    def install_hint(self, tgt: str) -> str:
        """How to install a model (or configure a server) for SOURCE_LANGUAGE → tgt."""
        ...

    def installed(self) -> list[ModelInfo]:
        """Every installed model of this engine (for `l10n models list`)."""
        ...


@dataclass(frozen=True)
class TermHint:
    """A glossary term of a segment, as a request to an LLM states it."""

    source: str  # the English term
    target: str | None  # the required rendering; None: keep `source` (do not translate)
    status: str = "approved"  # "approved" or "proposed"


@dataclass(frozen=True)
class SegmentRequest:
    """One whole segment for an engine that translates in context (an LLM).

    `text` is the segment with its markup as placeholders (`<x1>` …, see
    `protect`); glossary terms stay as words, since `terms` says how to render
    them and an LLM inflects them where a placeholder could not.  `before` and
    `after` are the neighbouring source segments of the document, as context.
    """

    text: str
    lang: str  # project code: "ps", "fa_AF", "ur"
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    terms: tuple[TermHint, ...] = ()

    @property
    def key(self) -> str:
        """What decides the answer besides the engine: the cache key's text part."""
        parts = [self.lang, self.text, *self.before, "\x1f", *self.after]
        parts += [f"{t.source}\x1e{t.target}\x1e{t.status}" for t in self.terms]
        return "\x1d".join(parts)


#: The problems of an answer, by the checks the draft stage applies to any draft
#: (placeholders, structure, glossary, letters, Dari vocabulary); empty: it is fine.
Validator = Callable[[SegmentRequest, str], list[str]]
#: Called as segments arrive: (index into the call's requests, the answer, its problems).
SegmentArrived = Callable[[int, str, Sequence[str]], None]


class SegmentEngine(Engine, Protocol):
    """An engine that drafts whole segments with their context, validating each answer.

    An answer with problems is asked again once, naming the problems; if the
    second answer still has problems it is kept, with them.  `prompt_version`
    is part of every cache key, so a changed prompt never reuses old answers.
    """

    unit: str  # "segment"
    prompt_version: str

    def draft_segments(
        self,
        requests: Sequence[SegmentRequest],
        model: ModelInfo,
        validate: Validator,
        arrived: SegmentArrived | None = None,
    ) -> list[tuple[str, list[str]]]:
        """(answer, problems) per request, in order."""
        ...


def is_segment_engine(engine: Engine) -> bool:
    return getattr(engine, "unit", "sentence") == "segment"


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
