"""Draft speed: `l10n draft` against argostranslate and against bare CTranslate2, side by side.

One generated Argos package of base size (6+6 layers, d_model 512, FFN 2048,
8 heads, 32k vocabulary, int8, echo weights, so outputs are checkable and as
long as real ones) translates the brief's segments into Urdu three ways:

  argostranslate  argostranslate.translate.translate() once per segment (paragraph)
  l10n draft      the whole draft stage: read catalogs, protect, split, translate in
                  large batches, restore, write; no cache (every sentence translated)
  raw CTranslate2 Translator.translate_batch on the same pre-split, pre-tokenized
                  sentences that l10n sends, same decoding settings

Targets (issue "l10n draft"): l10n ≥ 4× argostranslate with identical text where
argos is correct, and ≥ 0.9× raw CTranslate2.  All use every core: l10n and raw
CTranslate2 one worker per core (inter_threads), argostranslate its one worker
with a thread per core (ARGOS_INTRA_THREADS).

Usage::

    python bench/draft_speed.py [--runs 2] [--cores 2] [--small]

`--small` uses a tiny model (a smoke run in seconds).  Measured 2026-12-01 on
2 cores (base model, medians of 2 runs): l10n draft 12.04 sentences/s, raw
CTranslate2 12.78 (l10n ÷ raw 0.94), argostranslate 0.89 (l10n ÷ argos 13.46);
identical text on the 80 of 84 segments argos gets right.  Results: a table on
stdout and bench/out/draft_speed.json.  Needs the `argos` extra for the
argostranslate column (skipped, and said so, without it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
WORK = OUT / "draft-work"
sys.path.insert(0, str(REPO / "tests"))

BASE = {"layers": (6, 6), "d_model": 512, "ffn": 2048, "heads": 8, "vocab_size": 32000}
SMALL = {"layers": (2, 2), "d_model": 64, "ffn": 128, "heads": 4, "vocab_size": 600}


def environment(cores: int) -> None:
    """Keep argostranslate's folders inside bench/out, offline, using every core.

    argostranslate reads these when imported, so this runs before any import of it.
    """
    from tiny_models import engine_env

    os.environ.update(engine_env(WORK / "home"))
    os.environ["ARGOS_INTRA_THREADS"] = str(cores)  # as many threads as l10n uses


def model(size: dict[str, Any]) -> Path:
    """The generated .argosmodel, built once and kept in bench/out/models."""
    from tiny_models import build

    tag = "base" if size is BASE else "small"
    folder = OUT / "models" / tag
    package = folder / "argos-copy-ur.argosmodel"
    if not package.is_file():
        started = time.perf_counter()
        build(folder, "argos", quantization="int8", **size)
        print(f"generated the {tag} model in {time.perf_counter() - started:.0f} s")
    return package


def project() -> Any:
    from l10n.config import load_config
    from l10n.pipeline import extract, init_project, update
    from l10n.project import Project

    root = WORK / "project"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    init_project(root, "bench")
    shutil.copy(REPO / "source" / "a-road-untraveled.md", root / "source")
    shutil.copy(REPO / "glossary.yaml", root)
    toml = root / "l10n.toml"
    toml.write_text(toml.read_text("utf-8") + "cache = false\n", "utf-8")
    p = Project(load_config(root))
    extract(p)
    update(p, ["ur"])
    return Project(load_config(root))


def run_draft(p: Any) -> tuple[float, dict[str, str], int]:
    from l10n.drafting import draft

    started = time.perf_counter()
    # use_memory=False: draft fills from the translation memory first by default, which
    # would add its refresh to the timing and, from the second run on, could fill entries
    # before the engine sees them; this benchmark measures the engine path alone.
    report = draft(p, ["ur"], overwrite_drafts=True, use_memory=False)
    seconds = time.perf_counter() - started
    catalog = next(iter(p.documents()))
    import polib

    po = polib.pofile(str(p.catalog_path(catalog, "ur")))
    return seconds, {e.msgid: e.msgstr for e in po if e.msgid}, report.languages[0].translated


def engine_sentences(p: Any) -> list[str]:
    """Exactly the sentences `draft` sends to the engine (protected, numbered per sentence)."""
    from l10n.catalog import read_catalog
    from l10n.drafting import plan_language, prepare
    from l10n.engines import open_engines
    from l10n.languages import language

    settings = p.config.engines
    plan = plan_language(language("ur"), settings, open_engines(settings.options), None)
    doc = next(iter(p.documents()))
    entries = [e for e in read_catalog(p.catalog_path(doc, "ur")) if e.msgid]
    unique: dict[str, None] = {}
    for entry in entries:
        unique.update((s, None) for s, _ in prepare(plan, entry, p.glossary(), settings).local)
    return list(unique)


def run_raw(package_dir: Path, sentences: list[str], cores: int) -> float:
    """translate_batch alone, configured as l10n's runner: one worker per core, same batches."""
    import ctranslate2
    import sentencepiece as spm

    from l10n.engines import EngineOptions
    from l10n.engines.ctranslate2_runner import Decoding

    options = EngineOptions()
    sp = spm.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
    tokens = sp.encode(sentences, out_type=str)
    translator = ctranslate2.Translator(
        str(package_dir / "model"), compute_type="auto", inter_threads=options.workers or cores,
        intra_threads=options.threads,
    )  # fmt: skip
    d = Decoding(beam_size=options.beam_size, batch_size=options.batch_size)
    started = time.perf_counter()
    translator.translate_batch(
        tokens, max_batch_size=d.batch_size, beam_size=d.beam_size,
        length_penalty=d.length_penalty, max_decoding_length=d.max_decoding_length,
        replace_unknowns=d.replace_unknowns,
    )  # fmt: skip
    return time.perf_counter() - started


def run_argostranslate(segments: list[str]) -> tuple[float, list[str]] | None:
    try:
        import argostranslate.translate as argos
    except ImportError:
        return None
    argos.translate("Warm up.", "en", "ur")  # loads the model, as our runs do once
    started = time.perf_counter()
    outputs = [argos.translate(text, "en", "ur") for text in segments]
    return time.perf_counter() - started, outputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=2, help="runs of l10n and raw (median)")
    parser.add_argument("--cores", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--small", action="store_true", help="tiny model: a smoke run")
    args = parser.parse_args()
    environment(args.cores)
    package = model(SMALL if args.small else BASE)

    from l10n.engines import EngineOptions
    from l10n.engines.argos import install_file

    installed = install_file(package, EngineOptions())
    p = project()
    sentences = engine_sentences(p)
    segments = p.parse(next(iter(p.documents()))).segments
    msgids = list(dict.fromkeys(s.msgid for s in segments))
    print(f"{len(msgids)} segments, {len(sentences)} distinct sentences, {args.cores} cores")

    ours, raw, drafted, translated = [], [], {}, 0
    for _ in range(args.runs):
        seconds, drafted, translated = run_draft(p)
        ours.append(seconds)
        raw.append(run_raw(installed.path, sentences, args.cores))
    assert translated == len(sentences), (translated, len(sentences))
    argos = run_argostranslate(msgids)

    rows = {"l10n draft": statistics.median(ours), "raw CTranslate2": statistics.median(raw)}
    result: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "cores": args.cores,
        "model": "small" if args.small else "base (6+6 layers, d512, 32k vocab, int8, echo)",
        "segments": len(msgids),
        "sentences": len(sentences),
        "runs": {"l10n draft": ours, "raw CTranslate2": raw},
    }
    if argos is not None:
        seconds, outputs = argos
        rows["argostranslate per segment"] = seconds
        same = [drafted[m] == out for m, out in zip(msgids, outputs, strict=True)]
        argos_correct = [out == m for m, out in zip(msgids, outputs, strict=True)]
        result["identical"] = sum(same)
        result["argos_correct"] = sum(argos_correct)
        result["identical_where_argos_correct"] = all(
            s for s, ok in zip(same, argos_correct, strict=True) if ok
        )
        result["differences"] = [
            {"source": m, "argostranslate": out, "l10n": drafted[m]}
            for m, out, s in zip(msgids, outputs, same, strict=True)
            if not s
        ]
    throughput = {name: len(sentences) / seconds for name, seconds in rows.items()}
    result["seconds"] = rows
    result["sentences_per_second"] = throughput
    ours_rate = throughput["l10n draft"]
    result["l10n_vs_raw"] = ours_rate / throughput["raw CTranslate2"]
    print(f"\n{'':28} {'seconds':>8} {'sent/s':>8}")
    for name, seconds in rows.items():
        print(f"{name:28} {seconds:8.2f} {throughput[name]:8.2f}")
    print(f"\nl10n ÷ raw CTranslate2: {result['l10n_vs_raw']:.2f}  (target ≥ 0.9)")
    if argos is not None:
        result["l10n_vs_argostranslate"] = ours_rate / throughput["argostranslate per segment"]
        print(
            f"l10n ÷ argostranslate:  {result['l10n_vs_argostranslate']:.2f}  (target ≥ 4); "
            f"identical text: {result['identical']}/{len(msgids)} segments; argos correct on "
            f"{result['argos_correct']}, and l10n identical on all of those: "
            f"{result['identical_where_argos_correct']}"
        )
    else:
        print("argostranslate is not installed: pip install torch==2.13.0 'l10n[argos]'")
    OUT.mkdir(exist_ok=True)
    (OUT / "draft_speed.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
