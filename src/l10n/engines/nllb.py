"""NLLB-200 converted to CTranslate2: the one engine with Pashto, Dari and Urdu from English.

NLLB marks languages with tokens: the source is [src_lang] + pieces + ["</s>"],
the translation starts with target_prefix [tgt_lang], which is dropped from
the output.  A model directory is registered once (`l10n models install nllb
DIR`) in a small JSON file in the user's data folder, because a 2.5 GB model
is shared by every project; `[engines] nllb_model` in l10n.toml overrides it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from functools import cache
from pathlib import Path

from ..files import write_text_atomic
from .base import (
    DEFAULT_OPTIONS,
    SOURCE_LANGUAGE,
    Arrived,
    EngineOptions,
    EngineUnavailable,
    ModelInfo,
    data_dir,
    file_fingerprint,
)
from .ctranslate2_runner import CTranslate2Runner

#: Project language → NLLB-200 language token.
NLLB_CODES: dict[str, str] = {
    "en": "eng_Latn",
    "ps": "pbt_Arab",  # Southern Pashto
    "fa_AF": "prs_Arab",  # Dari
    "fa": "pes_Arab",  # Western (Iranian) Persian
    "ur": "urd_Arab",
}
_SP_NAMES = ("sentencepiece.bpe.model", "sentencepiece.model", "spm.model")
_VOCABULARIES = ("shared_vocabulary.json", "shared_vocabulary.txt", "target_vocabulary.json")
REGISTRY_NAME = "models.json"


def registry_path() -> Path:
    return data_dir() / REGISTRY_NAME


def sentencepiece_model(model_dir: Path) -> Path | None:
    """The SentencePiece model kept with a converted NLLB model (--copy_files)."""
    return next((model_dir / n for n in _SP_NAMES if (model_dir / n).is_file()), None)


def vocabulary(model_dir: Path) -> set[str]:
    for name in _VOCABULARIES:
        path = model_dir / name
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            return set(json.loads(text)) if name.endswith(".json") else set(text.split("\n"))
    return set()


def check_model_dir(model_dir: Path, sp_model: Path | None = None) -> Path:
    """The SentencePiece model of a usable NLLB directory; EngineUnavailable says what is wrong."""
    if not (model_dir / "model.bin").is_file() or not (model_dir / "config.json").is_file():
        raise EngineUnavailable(
            f"{model_dir} is not a CTranslate2 model (no model.bin/config.json); convert NLLB-200 "
            "with ct2-transformers-converter (README: Machine drafts)"
        )
    sp = sp_model or sentencepiece_model(model_dir)
    if sp is None or not sp.is_file():
        raise EngineUnavailable(
            f"no SentencePiece model in {model_dir} ({', '.join(_SP_NAMES)}); convert with "
            "--copy_files sentencepiece.bpe.model, or pass the file with --sp-model"
        )
    missing = sorted({NLLB_CODES["en"], NLLB_CODES["ps"]} - vocabulary(model_dir))
    if missing:
        raise EngineUnavailable(
            f"{model_dir} has no NLLB language tokens ({', '.join(missing)}): not an NLLB model"
        )
    return sp


def register(model_dir: Path, sp_model: Path | None = None, name: str | None = None) -> ModelInfo:
    """Record a converted NLLB-200 model directory as the one drafts use."""
    model_dir = model_dir.resolve()
    sp = check_model_dir(model_dir, sp_model).resolve()
    record = {
        "path": str(model_dir),
        "sp_model": str(sp),
        "name": name or model_dir.name,
        "registered": date.today().isoformat(),
    }
    data = _read_registry()
    data["nllb"] = record
    write_text_atomic(registry_path(), json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return _info(model_dir, sp, record["name"])


def registered() -> tuple[Path, Path, str] | None:
    """(model dir, SentencePiece model, name) of the registered model, if any."""
    record = _read_registry().get("nllb")
    if not isinstance(record, dict) or "path" not in record:
        return None
    path = Path(record["path"])
    sp = Path(record.get("sp_model") or sentencepiece_model(path) or path / _SP_NAMES[0])
    return path, sp, str(record.get("name") or path.name)


def _read_registry() -> dict:
    try:
        data = json.loads(registry_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@cache
def _info_cached(model_dir: Path, sp: Path, name: str, stamp: int) -> ModelInfo:
    fingerprint = file_fingerprint(model_dir / "model.bin", sp)
    pairs = tuple((NLLB_CODES["en"], code) for code in NLLB_CODES.values() if code != "eng_Latn")
    return ModelInfo("nllb", name, fingerprint, model_dir, pairs, fingerprint)


def _info(model_dir: Path, sp: Path, name: str) -> ModelInfo:
    return _info_cached(model_dir, sp, name, (model_dir / "model.bin").stat().st_mtime_ns)


class NllbEngine:
    """NLLB-200 through our batched CTranslate2 runner."""

    name = "nllb"

    def __init__(self, options: EngineOptions = DEFAULT_OPTIONS) -> None:
        self.options = options
        self._runner: CTranslate2Runner | None = None

    def _model(self) -> tuple[Path, Path, str] | None:
        if self.options.nllb_model is not None:
            path = self.options.nllb_model
            sp = sentencepiece_model(path)
            return (path, sp, path.name) if sp else None
        return registered()

    def model_for(self, src: str, tgt: str) -> ModelInfo | None:
        model = self._model()
        if model is None or src not in NLLB_CODES or tgt not in NLLB_CODES:
            return None
        path, sp, name = model
        if not (path / "model.bin").is_file() or not sp.is_file():
            return None
        return _info(path, sp, name)

    def translate(
        self, sentences: Sequence[str], src: str, tgt: str, arrived: Arrived | None = None
    ) -> list[str]:
        model = self._model()
        if model is None or self.model_for(src, tgt) is None:
            raise EngineUnavailable(self.install_hint(tgt))
        path, sp, _ = model
        if self._runner is None or self._runner.model_dir != path:
            self._runner = CTranslate2Runner.from_options(path, sp, self.options)
        return self._runner.translate(
            sentences,
            source_prefix=[NLLB_CODES[src]],
            source_suffix=["</s>"],
            target_prefix=[NLLB_CODES[tgt]],
            arrived=arrived,
        )

    def install_hint(self, tgt: str) -> str:
        return (
            f"convert NLLB-200 for {SOURCE_LANGUAGE}→{NLLB_CODES.get(tgt, tgt)} "
            "(README: Machine drafts), then: l10n models install nllb DIR"
        )

    def installed(self) -> list[ModelInfo]:
        info = self.model_for("en", "ps")
        return [info] if info else []
