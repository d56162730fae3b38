"""Identity round trip over the CommonMark spec examples.

For every example of the CommonMark spec (0.31.2): extract to PO, set every
msgstr to its msgid, reassemble, then compare the HTML of the original and of
the reassembled Markdown, with a plain CommonMark parser and with the
project's full parser (CommonMark + tables + front matter + footnotes).

The spec examples are not part of the repository: they are fetched at run
time from a registry package that ships ``spec.txt`` (the sdist of ``marko``
on PyPI, or else the npm package ``commonmark-spec``) and cached under
``bench/out/spec/``.

Usage::

    python bench/spec_roundtrip.py [--tools l10n,po4a,po4a-neverwrap,tt] [--show N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from benchlib import (
    DEFAULT_TT_BIN,
    OUT_DIR,
    PO4A_OPTS,
    REPO_DIR,
    commonmark_parser,
    full_parser,
)

SPEC_VERSION = "0.31.2"
SPEC_CACHE = OUT_DIR / "spec" / f"commonmark-{SPEC_VERSION}.json"
# Registry packages known to ship spec.txt for SPEC_VERSION, tried in order.
PIP_SOURCE = ("marko==2.2.4", "tests/spec/commonmark.txt")
NPM_SOURCE = (f"commonmark-spec@{SPEC_VERSION}", "package/spec.txt")
FENCE = "`" * 32
ALL_TOOLS = ("l10n", "l10n-rewrite", "po4a", "po4a-neverwrap", "tt")
PARSERS = ("commonmark", "full")
PER_EXAMPLE_TIMEOUT = 10


# ------------------------------------------------------------ spec examples
def parse_spec_txt(text: str) -> list[dict[str, Any]]:
    """Extract the examples of a CommonMark ``spec.txt`` (``→`` stands for a tab)."""
    examples: list[dict[str, Any]] = []
    section = ""
    state = "prose"
    md_lines: list[str] = []
    html_lines: list[str] = []
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\n")
        if state == "prose":
            if stripped == "<!-- END TESTS -->":
                break
            if stripped.startswith(FENCE) and stripped.endswith(" example"):
                state, md_lines, html_lines = "markdown", [], []
            elif stripped.startswith("#"):
                section = stripped.lstrip("#").strip()
        elif state == "markdown":
            if stripped == ".":
                state = "html"
            else:
                md_lines.append(line)
        elif stripped == FENCE:
            examples.append(
                {
                    "example": len(examples) + 1,
                    "section": section,
                    "markdown": "".join(md_lines).replace("→", "\t"),
                    "html": "".join(html_lines).replace("→", "\t"),
                }
            )
            state = "prose"
        else:
            html_lines.append(line)
    return examples


def _spec_from_pip(tmp: Path) -> str:
    """Download the sdist named in PIP_SOURCE and return its spec.txt."""
    requirement, member = PIP_SOURCE
    pip = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
    subprocess.run(
        [*pip, requirement, "-d", str(tmp), "-q"],
        check=True,
        capture_output=True,
    )
    archive = next(tmp.glob("*.tar.gz"))
    with tarfile.open(archive) as tar:
        for info in tar.getmembers():
            if info.name.endswith("/" + member):
                fh = tar.extractfile(info)
                if fh is not None:
                    return fh.read().decode("utf-8")
    raise FileNotFoundError(f"{member} not in {archive.name}")


def _spec_from_npm(tmp: Path) -> str:
    """Fetch the npm package named in NPM_SOURCE and return its spec.txt."""
    package, member = NPM_SOURCE
    subprocess.run(
        ["npm", "pack", package, "--pack-destination", str(tmp), "--silent"],
        check=True,
        capture_output=True,
    )
    archive = next(tmp.glob("*.tgz"))
    with tarfile.open(archive) as tar:
        fh = tar.extractfile(member)
        if fh is None:
            raise FileNotFoundError(member)
        return fh.read().decode("utf-8")


def load_examples(refresh: bool = False) -> list[dict[str, Any]]:
    """Return the spec examples, fetching and caching them on first use."""
    if SPEC_CACHE.exists() and not refresh:
        cached: list[dict[str, Any]] = json.loads(SPEC_CACHE.read_text(encoding="utf-8"))
        return cached
    errors = []
    for name, fetch in (("pip", _spec_from_pip), ("npm", _spec_from_npm)):
        with tempfile.TemporaryDirectory() as tmp:
            try:
                text = fetch(Path(tmp))
            except (
                OSError,
                KeyError,
                StopIteration,
                subprocess.CalledProcessError,
                tarfile.TarError,
            ) as exc:
                errors.append(f"{name}: {exc}")
                continue
        if f"version: '{SPEC_VERSION}'" not in text[:500]:
            errors.append(f"{name}: spec.txt is not version {SPEC_VERSION}")
            continue
        examples = parse_spec_txt(text)
        SPEC_CACHE.parent.mkdir(parents=True, exist_ok=True)
        SPEC_CACHE.write_text(json.dumps(examples, ensure_ascii=False, indent=1), "utf-8")
        print(f"fetched {len(examples)} examples via {name} -> {SPEC_CACHE}", file=sys.stderr)
        return examples
    raise SystemExit("could not obtain the CommonMark spec:\n  " + "\n  ".join(errors))


# ---------------------------------------------------------------- compare
@dataclass
class ToolResult:
    """Round-trip outcome of one tool over all examples."""

    tool: str
    available: bool = True
    message: str = ""
    outputs: dict[int, str | None] = field(default_factory=dict)  # None = crashed
    crashes: dict[int, str] = field(default_factory=dict)


def classify(examples: list[dict[str, Any]], result: ToolResult) -> dict[str, dict[str, list[int]]]:
    """Sort example numbers into same / differs / crashed for each parser."""
    renderers = {"commonmark": commonmark_parser(), "full": full_parser()}
    table: dict[str, dict[str, list[int]]] = {
        p: {"same": [], "differs": [], "crashed": []} for p in PARSERS
    }
    for ex in examples:
        n = ex["example"]
        out = result.outputs.get(n)
        for name, md in renderers.items():
            if out is None:
                table[name]["crashed"].append(n)
            elif _same(md.render(ex["markdown"]), md.render(out), result.tool == "l10n-rewrite"):
                table[name]["same"].append(n)
            else:
                table[name]["differs"].append(n)
    return table


_PRE = re.compile(r"(<pre>.*?</pre>)", re.S)


def _same(expected: str, actual: str, collapse_space: bool) -> bool:
    if not collapse_space:
        return expected == actual

    def squeeze(html: str) -> str:
        parts = _PRE.split(html)
        return "".join(p if p.startswith("<pre>") else re.sub(r"\s+", " ", p) for p in parts)

    return squeeze(expected) == squeeze(actual)


def ranges(numbers: Iterable[int]) -> str:
    """Compress sorted numbers into ``1-3, 7`` form."""
    parts: list[str] = []
    run: list[int] = []
    for n in sorted(numbers):
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            parts.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
        run = [n]
    if run:
        parts.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
    return ", ".join(parts) or "none"


# ------------------------------------------------------------------ tools
class _Timeout(Exception):
    """Raised by the alarm handler when one example takes too long."""


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise _Timeout(f"took more than {PER_EXAMPLE_TIMEOUT} s")


def run_l10n(examples: list[dict[str, Any]], rewrite: bool = False) -> ToolResult:
    """Identity round trip through the project's Python API.

    With `rewrite`, every segment is written back through the translation path
    (soft-wrapped paragraphs come back joined), and HTML is compared with white
    space collapsed outside <pre>, as a browser shows it.
    """
    result = ToolResult("l10n-rewrite" if rewrite else "l10n")
    src = str(REPO_DIR / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    try:
        from l10n.document import parse_document, render_document
    except Exception as exc:  # any import-time failure means "not ready yet"
        result.available = False
        result.message = f"l10n.document not importable yet: {type(exc).__name__}: {exc}"
        return result
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        for ex in examples:
            n = ex["example"]
            signal.alarm(PER_EXAMPLE_TIMEOUT)
            try:
                doc = parse_document(ex["markdown"], path="example")
                result.outputs[n] = render_document(
                    doc, lambda seg: seg.msgid, keep_unchanged=not rewrite
                )
            except Exception as exc:
                result.outputs[n] = None
                last = traceback.extract_tb(exc.__traceback__)[-1]
                where = f"{Path(last.filename).name}:{last.lineno}"
                result.crashes[n] = f"{type(exc).__name__}: {exc} ({where})"
            finally:
                signal.alarm(0)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return result


def _write_inputs(examples: list[dict[str, Any]], folder: Path) -> None:
    """Write each example to ``folder/NNN.md``."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for ex in examples:
        (folder / f"{ex['example']:03d}.md").write_text(ex["markdown"], encoding="utf-8")


def _sh(
    cmd: list[str | Path], timeout: float = PER_EXAMPLE_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """Run a peer command, capturing output; never raises (a timeout gives exit -9)."""
    argv = [str(c) for c in cmd]
    try:
        return subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env=dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8"),
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(argv, -9, "", f"timed out after {timeout} s")


def run_po4a(examples: list[dict[str, Any]], work: Path, variant: str, jobs: int) -> ToolResult:
    """po4a-updatepo, msgen, po4a-translate per example (in parallel)."""
    result = ToolResult(variant)
    if not shutil.which("po4a-updatepo"):
        result.available, result.message = False, "po4a not installed"
        return result
    opts = [*PO4A_OPTS, "-o", "neverwrap"] if variant == "po4a-neverwrap" else [*PO4A_OPTS]
    base = work / variant
    shutil.rmtree(base, ignore_errors=True)
    _write_inputs(examples, base / "in")
    (base / "po").mkdir()
    (base / "out").mkdir()

    def one(ex: dict[str, Any]) -> tuple[int, str | None, str]:
        n = ex["example"]
        src = base / "in" / f"{n:03d}.md"
        pot, po = base / "po" / f"{n:03d}.pot", base / "po" / f"{n:03d}.po"
        out = base / "out" / f"{n:03d}.md"
        steps: list[list[str | Path]] = [
            ["po4a-updatepo", *opts, "-m", src, "-p", pot],
            ["msgen", "--force-po", "-o", po, pot],
            ["po4a-translate", *opts, "-m", src, "-p", po, "-l", out, "-k", "0"],
        ]
        for cmd in steps:
            proc = _sh(cmd)
            if proc.returncode != 0:
                lines = [x for x in proc.stderr.splitlines() if x.strip() and "deprecated" not in x]
                return n, None, f"{cmd[0]} exit {proc.returncode}: {' '.join(lines)[:240]}"
        if not out.exists():
            return n, None, "no output written"
        return n, out.read_text(encoding="utf-8"), ""

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for n, text, err in pool.map(one, examples):
            result.outputs[n] = text
            if err:
                result.crashes[n] = err
    return result


def run_tt(examples: list[dict[str, Any]], work: Path, bindir: Path) -> ToolResult:
    """Translate Toolkit md2po / po2md in directory mode (one process each)."""
    result = ToolResult("translate-toolkit")
    md2po, po2md = bindir / "md2po", bindir / "po2md"
    if not (md2po.exists() and po2md.exists()):
        result.available, result.message = False, f"{md2po} not found"
        return result
    base = work / "tt"
    shutil.rmtree(base, ignore_errors=True)
    _write_inputs(examples, base / "in")
    pot_dir, out_dir = base / "po", base / "out"
    slow = PER_EXAMPLE_TIMEOUT * len(examples)
    _sh([md2po, "--progress=none", "--pot", "-i", base / "in", "-o", pot_dir], timeout=slow)
    for pot in sorted(pot_dir.glob("*.pot")):
        _sh(["msgen", "--force-po", "-o", pot.with_suffix(".po"), pot])
        pot.unlink()
    proc = _sh(
        [po2md, "--progress=none", "-t", base / "in", "-i", pot_dir, "-o", out_dir], timeout=slow
    )
    for ex in examples:
        n = ex["example"]
        out = out_dir / f"{n:03d}.md"
        if out.exists():
            result.outputs[n] = out.read_text(encoding="utf-8")
        else:
            result.outputs[n] = None
            missing = "no PO" if not (pot_dir / f"{n:03d}.po").exists() else "no output"
            result.crashes[n] = missing
    if proc.returncode != 0:
        result.message = f"po2md exit {proc.returncode}"
    return result


# ------------------------------------------------------------------- main
def show(examples: list[dict[str, Any]], number: int) -> None:
    """Print one example's source, l10n output and both HTML renderings."""
    ex = next(e for e in examples if e["example"] == number)
    result = run_l10n([ex])
    print(f"example {number} ({ex['section']})\n--- source\n{ex['markdown']}", end="")
    if not result.available:
        print(f"--- {result.message}")
        return
    out = result.outputs.get(number)
    if out is None:
        print(f"--- crashed: {result.crashes.get(number)}")
        return
    print(f"--- reassembled\n{out}", end="")
    for name, md in (("commonmark", commonmark_parser()), ("full", full_parser())):
        a, b = md.render(ex["markdown"]), md.render(out)
        print(f"--- {name}: {'same' if a == b else 'DIFFERS'}")
        if a != b:
            print(f"source HTML:\n{a}reassembled HTML:\n{b}", end="")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tools", default="l10n", help=f"comma-separated subset of {','.join(ALL_TOOLS)}"
    )
    parser.add_argument("--jobs", type=int, default=2, help="parallel po4a processes")
    parser.add_argument("--tt-bin", type=Path, default=DEFAULT_TT_BIN, help="TT venv bin dir")
    parser.add_argument("--refresh", action="store_true", help="fetch the spec again")
    parser.add_argument("--show", type=int, metavar="N", help="detail example N for l10n")
    parser.add_argument("--json", type=Path, default=OUT_DIR / "spec_results.json")
    args = parser.parse_args(argv)

    examples = load_examples(args.refresh)
    if args.show is not None:
        show(examples, args.show)
        return 0
    md = commonmark_parser()
    conform = sum(md.render(e["markdown"]) == e["html"] for e in examples)
    print(
        f"CommonMark {SPEC_VERSION}: {len(examples)} examples; "
        f"markdown-it-py matches the spec HTML on {conform}"
    )

    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = sorted(set(tools) - set(ALL_TOOLS))
    if unknown:
        parser.error(f"unknown tools: {', '.join(unknown)}")
    work = OUT_DIR / "spec" / "work"
    runners: dict[str, Callable[[], ToolResult]] = {
        "l10n": lambda: run_l10n(examples),
        "l10n-rewrite": lambda: run_l10n(examples, rewrite=True),
        "po4a": lambda: run_po4a(examples, work, "po4a", args.jobs),
        "po4a-neverwrap": lambda: run_po4a(examples, work, "po4a-neverwrap", args.jobs),
        "tt": lambda: run_tt(examples, work, args.tt_bin),
    }
    report: dict[str, Any] = {"spec_version": SPEC_VERSION, "examples": len(examples)}
    for tool in tools:
        result = runners[tool]()
        print(f"\n== {result.tool}")
        if not result.available:
            print(f"   skipped: {result.message}")
            report[result.tool] = {"skipped": result.message}
            continue
        if result.message:
            print(f"   note: {result.message}")
        table = classify(examples, result)
        for name in PARSERS:
            t = table[name]
            print(
                f"   {name:<10} same {len(t['same']):>4} | differs {len(t['differs']):>4} "
                f"| crashed {len(t['crashed']):>4}"
            )
            print(f"              differing: {ranges(t['differs'])}")
        if result.crashes:
            print(f"   crashed: {ranges(result.crashes)}")
            for n, msg in list(result.crashes.items())[:10]:
                print(f"     {n}: {msg}")
        report[result.tool] = {name: {k: v for k, v in table[name].items()} for name in PARSERS} | {
            "crash_messages": {str(k): v for k, v in result.crashes.items()}
        }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"\nresults written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
