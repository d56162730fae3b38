"""Memory speed: one `suggest` lookup in a 100,000-unit translation memory.

A deterministic synthetic memory (varied English sentences built from word
lists, pseudo targets) goes into a fresh SQLite file; then 200 queries, half
near-duplicates of stored sources (a word changed or dropped) and half new
sentences, are looked up three ways:

  suggest          TranslationMemory.suggest: exact dict, then rapidfuzz over candidates
                   sharing a rare word and within ±30% of the length
  no prefilter     rapidfuzz process.extractOne(fuzz.ratio, score_cutoff=75) over every
                   source of the language: the baseline the prefilter must beat

It also reports how often the prefilter finds the baseline's best score (recall).

Usage::

    python bench/memory_speed.py [--units 100000] [--queries 200]

Results: a table on stdout and bench/out/memory_speed.json.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process

from l10n.memory import TranslationMemory, Unit

OUT = Path(__file__).resolve().parent / "out" / "memory_speed.json"

SUBJECTS = (
    "officials traders farmers teachers refugees students elders doctors drivers journalists "
    "engineers families women children soldiers merchants"
)
VERBS = (
    "reported described rejected welcomed discussed questioned postponed announced criticised "
    "supported reviewed delayed expanded reduced organised documented"
)
OBJECTS = (
    "the new customs rules|a joint committee|the border closure|rising flour prices|"
    "the school curriculum|a water agreement|the election results|local health clinics|"
    "the trade corridor|winter fuel shortages|the road to Jalalabad|a ceasefire proposal|"
    "seasonal migration|the exchange rate|mobile phone coverage|mine clearance work"
)
PLACES = (
    "Kabul Herat Kandahar Peshawar Quetta Mazar Jalalabad Torkham Chaman Lahore Karachi "
    "Kunduz Ghazni Bamyan Khost Gardez Islamabad Faizabad Zaranj Spin-Boldak"
)
TIMES = (
    "on Monday|last week|in March|after three weeks|before the winter|during the talks|"
    "this year|in 2021|at dawn|for the first time|again|despite the rain"
)


def sentence(rng: random.Random) -> str:
    words = [
        rng.choice(SUBJECTS.split()).capitalize(),
        "in",
        rng.choice(PLACES.split()),
        rng.choice(VERBS.split()),
        rng.choice(OBJECTS.split("|")),
        rng.choice(TIMES.split("|")),
    ]
    if rng.random() < 0.6:
        words += ["and", rng.choice(VERBS.split()), rng.choice(OBJECTS.split("|"))]
    if rng.random() < 0.5:
        words += ["near", rng.choice(PLACES.split()), f"({rng.randrange(1, 10_000)})"]
    return " ".join(words) + "."


def pseudo_target(text: str) -> str:
    return " ".join(word[::-1] for word in text.split())


def near_duplicate(text: str, rng: random.Random) -> str:
    words = text.split()
    at = rng.randrange(len(words))
    if rng.random() < 0.5:
        del words[at]
    else:
        words[at] = rng.choice(VERBS.split())
    return " ".join(words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(7)
    sources = list(dict.fromkeys(sentence(rng) for _ in range(args.units * 2)))[: args.units]
    units = [Unit(s, pseudo_target(s), "ur", "translated", "project", "bench") for s in sources]
    queries = [near_duplicate(rng.choice(sources), rng) for _ in range(args.queries // 2)]
    queries += [sentence(random.Random(10_000 + i)) for i in range(args.queries - len(queries))]

    with (
        tempfile.TemporaryDirectory() as folder,
        TranslationMemory(Path(folder) / "memory.sqlite3") as memory,
    ):
        started = time.perf_counter()
        memory.replace("bench", units)
        stored = time.perf_counter() - started
        started = time.perf_counter()
        memory.suggest("warm up: load the index", "ur")
        indexed = time.perf_counter() - started
        found, timings = [], []
        for query in queries:
            started = time.perf_counter()
            found.append(memory.suggest(query, "ur"))
            timings.append(time.perf_counter() - started)

    baseline_timings, baseline = [], []
    for query in queries:
        started = time.perf_counter()
        best = process.extractOne(query, sources, scorer=fuzz.ratio, score_cutoff=75)
        baseline_timings.append(time.perf_counter() - started)
        baseline.append(best[1] if best else None)
    agree = sum(
        (f.score if f else None) == (round(b, 1) if b is not None else None)
        for f, b in zip(found, baseline, strict=True)
    )
    result = {
        "units": len(units),
        "queries": len(queries),
        "store_seconds": round(stored, 2),
        "index_seconds": round(indexed, 2),
        "suggest_ms_median": round(statistics.median(timings) * 1000, 3),
        "suggest_ms_mean": round(statistics.mean(timings) * 1000, 3),
        "suggest_ms_max": round(max(timings) * 1000, 3),
        "no_prefilter_ms_median": round(statistics.median(baseline_timings) * 1000, 3),
        "no_prefilter_ms_mean": round(statistics.mean(baseline_timings) * 1000, 3),
        "matched": sum(f is not None for f in found),
        "same_best_score_as_baseline": agree,
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
