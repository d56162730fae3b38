"""Batched translation with CTranslate2 and SentencePiece, shared by the argos and nllb engines.

All sentences of a draft run go through `translate_batch` together: CTranslate2
sorts them by length, cuts them into batches of `batch_size` sentences and
decodes one batch per worker in parallel (one worker per core, one thread each:
measured on two cores with a base-size model, 1.6× the throughput of one worker
with two threads).  argostranslate sends one ~32-token batch (about one
sentence) at a time, which is several times slower.  The output is decoded
with SentencePiece alone, so underscores, placeholders and target prefixes come
out as the model wrote them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .base import Arrived, EngineOptions, EngineUnavailable

#: How often a running call reports the sentences finished so far (seconds).
POLL = 0.25


@dataclass(frozen=True)
class Decoding:
    """How to decode; the defaults are Argos Translate's, so both give the same text."""

    beam_size: int = 4
    length_penalty: float = 0.2
    batch_size: int = 16  # sentences per batch; batches run in parallel, one per worker
    max_decoding_length: int = 256
    replace_unknowns: bool = True


class CTranslate2Runner:
    """A CTranslate2 model and its SentencePiece model, loaded once and reused.

    `source_prefix`/`source_suffix` are tokens around every sentence (NLLB:
    [src_lang] … </s>); `target_prefix` starts every translation (NLLB:
    [tgt_lang]) and is removed from each output, not just the first.
    """

    def __init__(
        self,
        model_dir: Path,
        sp_model: Path,
        decoding: Decoding = Decoding(),
        workers: int = 0,
        threads: int = 1,
        device: str = "auto",
    ) -> None:
        try:
            import ctranslate2
            import sentencepiece
        except ImportError as exc:  # the `draft` extra: reviewers and publishers go without
            raise EngineUnavailable(
                f"machine drafting with local models needs {exc.name}, which is not installed: "
                "pip install 'l10n[draft]'"
            ) from exc
        self.model_dir = model_dir
        self.decoding = decoding
        self._sp = sentencepiece.SentencePieceProcessor(model_file=str(sp_model))
        self.device = pick_device(device, ctranslate2)
        self._translator: Any = ctranslate2.Translator(
            str(model_dir),
            device=self.device,
            compute_type="auto",
            inter_threads=workers or cores(),
            intra_threads=threads,
        )

    @classmethod
    def from_options(
        cls, model_dir: Path, sp_model: Path, options: EngineOptions
    ) -> CTranslate2Runner:
        decoding = Decoding(beam_size=options.beam_size, batch_size=options.batch_size)
        return cls(model_dir, sp_model, decoding, options.workers, options.threads, options.device)

    def tokenize(
        self, sentences: Sequence[str], prefix: Sequence[str] = (), suffix: Sequence[str] = ()
    ) -> list[list[str]]:
        pieces = self._sp.encode(list(sentences), out_type=str)
        return [[*prefix, *p, *suffix] for p in pieces]

    def translate(
        self,
        sentences: Sequence[str],
        source_prefix: Sequence[str] = (),
        source_suffix: Sequence[str] = (),
        target_prefix: Sequence[str] = (),
        arrived: Arrived | None = None,
    ) -> list[str]:
        """One translation per sentence; empty sentences are not sent to the model."""
        wanted = [i for i, s in enumerate(sentences) if s.strip()]
        results = [""] * len(sentences)
        if not wanted:
            return results
        tokens = self.tokenize([sentences[i] for i in wanted], source_prefix, source_suffix)
        relay = None
        if arrived is not None:

            def relay(indexes: Sequence[int], texts: Sequence[str]) -> None:
                arrived([wanted[i] for i in indexes], texts)

        outputs = self.translate_tokens(tokens, target_prefix, relay)
        for index, text in zip(wanted, outputs, strict=True):
            results[index] = text
        return results

    def translate_tokens(
        self,
        tokens: list[list[str]],
        target_prefix: Sequence[str] = (),
        arrived: Arrived | None = None,
    ) -> list[str]:
        """All sentences in one call (CTranslate2 sorts and batches them); with `arrived`,
        the call runs asynchronously and reports finished sentences every POLL seconds."""
        d = self.decoding
        prefix = [list(target_prefix)] * len(tokens) if target_prefix else None
        batch = self._translator.translate_batch(
            tokens,
            target_prefix=prefix,
            max_batch_size=d.batch_size,
            beam_size=d.beam_size,
            length_penalty=d.length_penalty,
            max_decoding_length=d.max_decoding_length,
            replace_unknowns=d.replace_unknowns,
            asynchronous=arrived is not None,
        )
        if arrived is None:
            return [self._text(result.hypotheses[0], target_prefix) for result in batch]
        texts: list[str | None] = [None] * len(batch)
        while True:
            fresh = [i for i, result in enumerate(batch) if texts[i] is None and result.done()]
            for i in fresh:
                texts[i] = self._text(batch[i].result().hypotheses[0], target_prefix)
            if fresh:
                arrived(fresh, [texts[i] or "" for i in fresh])
            if all(text is not None for text in texts):
                return [text or "" for text in texts]
            time.sleep(POLL)

    def _text(self, hypothesis: list[str], target_prefix: Sequence[str]) -> str:
        n = len(target_prefix)
        if n and hypothesis[:n] == list(target_prefix):
            hypothesis = hypothesis[n:]
        return str(self._sp.decode(hypothesis))


def pick_device(device: str, ctranslate2: Any) -> str:
    """ "auto": CUDA when CTranslate2 sees a GPU, else the CPU."""
    if device != "auto":
        return device
    try:
        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    except RuntimeError:  # a CPU-only build
        return "cpu"


def cores() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
