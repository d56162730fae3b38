"""Time against input size for hostile shapes: every stage must stay linear, or close to it.

Each shape is an input that outside files can hold (an unterminated PO string of
octal escapes, a msgstr of letters without a space or of backticks, a source of
footnote openers, ...), grown by doubling.  Each size is timed in a forked
child, killed after `--timeout` seconds, so a quadratic scan shows up as a
timeout instead of stalling the run.  The growth exponent is the slope of
log(time) against log(size): about 1 is linear, 2 quadratic.

    python bench/input_scaling.py                 # every shape, 4 sizes, best of 3
    python bench/input_scaling.py --shapes po-octal,check-letters --runs 1
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib

from l10n.catalog import parse_catalog
from l10n.checks import check_entry
from l10n.document import parse_document, render_document
from l10n.errors import L10nError
from l10n.glossary import Glossary
from l10n.inline import read_inline
from l10n.languages import language
from l10n.markdown import render_html

OUT = Path(__file__).parent / "out" / "input_scaling.json"
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ps\\n"\n\n'
#: growth exponent above which a shape counts as not linear
MAX_EXPONENT = 1.3


def _update_reads(text: str) -> None:
    """What `update` does first with a catalog: read and check it (refusals included)."""
    with contextlib.suppress(L10nError):
        parse_catalog(text, "bench.po")


def _check(msgstr: str) -> None:
    """What `check` does with one entry: every check, on a fresh reading of the text."""
    read_inline.cache_clear()
    entry = polib.POEntry(msgid="Trade passes through Torkham.", msgstr=msgstr)
    entry.comment = "paragraph"
    check_entry(entry, language("ps"), Glossary())


def _build(source: str) -> None:
    """What `build` does with a source: segment it, read each segment's inline
    markup (check, draft), write it back, and render it as HTML (publish)."""
    read_inline.cache_clear()
    try:
        doc = parse_document(source, "bench.md")
    except L10nError:
        return
    for segment in doc.segments:
        read_inline(segment.msgid)
    render_html(render_document(doc, {}))


@dataclass(frozen=True)
class Shape:
    name: str
    stage: str
    base: int  # the smallest size; each further size doubles it
    make: Callable[[int], str]
    run: Callable[[str], None]


SHAPES = [
    Shape("po-octal", "update", 20_000,
          lambda n: HEADER + 'msgid "a"\nmsgstr "' + "\\1234" * n + "\n", _update_reads),
    Shape("po-escapes", "update", 20_000,
          lambda n: HEADER + 'msgid "a"\nmsgstr "' + "\\xd9\\xbe" * n + '"\n', _update_reads),
    Shape("po-entries", "update", 2_000,
          lambda n: HEADER + "".join(f'msgid "m{i}"\nmsgstr "t{i}"\n\n' for i in range(n)),
          _update_reads),
    Shape("check-letters", "check", 50_000, lambda n: "a" * n, _check),
    Shape("check-backticks", "check", 3_000, lambda n: "`" * n, _check),
    Shape("check-footnote-openers", "check", 3_000, lambda n: "[^" * n, _check),
    Shape("check-emphasis", "check", 3_000, lambda n: "*a " * n, _check),
    Shape("check-deep-emphasis", "check", 1_000, lambda n: "*" * n + "a" + "*" * n, _check),
    Shape("build-footnote-openers", "build", 3_000, lambda n: "# T\n\n" + "[^" * n + "\n", _build),
    Shape("build-inline-footnotes", "build", 3_000, lambda n: "# T\n\n" + "^[" * n + "\n", _build),
    Shape("build-brackets", "build", 3_000, lambda n: "# T\n\n" + "[" * n + "\n", _build),
    Shape("build-images", "build", 3_000, lambda n: "# T\n\n" + "![" * n + "\n", _build),
    Shape("build-backticks", "build", 3_000, lambda n: "# T\n\n" + "`" * n + "\n", _build),
    Shape("build-paragraphs", "build", 1_000,
          lambda n: "".join(f"Paragraph *{i}* with a [link](x).\n\n" for i in range(n)), _build),
]  # fmt: skip


def _timed(shape: Shape, size: int, runs: int, send) -> None:
    text = shape.make(size)
    best = math.inf
    for _ in range(runs):
        start = time.process_time()  # CPU time: other processes on the machine do not count
        shape.run(text)
        best = min(best, time.process_time() - start)
    send.send(best)


def measure(shape: Shape, size: int, runs: int, timeout: float) -> float | None:
    """Best of `runs` seconds, or None when the child was still running after `timeout`."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_timed, args=(shape, size, runs, send))
    child.start()
    send.close()
    try:
        return receive.recv() if receive.poll(timeout) else None
    finally:
        child.kill()
        child.join()


def exponent(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(seconds) against log(size)."""
    usable = [(math.log(n), math.log(t)) for n, t in points if t > 0]
    if len(usable) < 2:
        return None
    mean_x = sum(x for x, _ in usable) / len(usable)
    mean_y = sum(y for _, y in usable) / len(usable)
    num = sum((x - mean_x) * (y - mean_y) for x, y in usable)
    den = sum((x - mean_x) ** 2 for x, _ in usable)
    return num / den


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shapes", help="comma-separated names (default: all)")
    parser.add_argument("--sizes", type=int, default=4, help="doublings per shape")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per size (best kept)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per size")
    args = parser.parse_args()
    chosen = set(args.shapes.split(",")) if args.shapes else None
    results = []
    heads = " ".join(f"{'size':>8} {'s':>7}" for _ in range(args.sizes))
    print(f"{'shape':<24} {'stage':<7} {heads}  exponent")
    for shape in SHAPES:
        if chosen and shape.name not in chosen:
            continue
        points: list[tuple[int, float]] = []
        cells = []
        timed_out = False
        for step in range(args.sizes):
            size = shape.base * 2**step
            seconds = None if timed_out else measure(shape, size, args.runs, args.timeout)
            if seconds is None:
                timed_out = True
                cells.append(f"{size:>8} {'timeout':>7}")
                continue
            points.append((size, seconds))
            cells.append(f"{size:>8} {seconds:>7.3f}")
        slope = exponent(points)
        verdict = "timeout" if timed_out else f"{slope:.2f}" if slope is not None else "-"
        linear = not timed_out and slope is not None and slope <= MAX_EXPONENT
        flag = "" if linear else "  <-- not linear"
        print(f"{shape.name:<24} {shape.stage:<7} {' '.join(cells)}  {verdict}{flag}", flush=True)
        results.append({"shape": shape.name, "stage": shape.stage, "points": points,
                        "timed_out": timed_out, "exponent": slope})  # fmt: skip
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"runs": args.runs, "results": results}, indent=1) + "\n")
    print(f"results: {OUT}")


if __name__ == "__main__":
    main()
