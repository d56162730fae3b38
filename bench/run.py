"""Speed/memory benchmark: l10n vs po4a vs Translate Toolkit vs a bare markdown-it parse.

Generates the corpus (``make_corpus.py``), then times every step N times in
fresh processes, taking the median wall time and the peak RSS of the child.
Publishing is always fed an identity PO (msgstr == msgid, via ``msgen``).

Usage::

    python bench/run.py [--runs 3] [--size 5000000] [--tools bare,po4a,tt,l10n]

Results are printed as a table and written to ``bench/out/results.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchlib import (
    DEFAULT_TT_BIN,
    OUT_DIR,
    PO4A_OPTS,
    Fidelity,
    Measurement,
    compare_html,
    count_entries,
    find_l10n,
    full_parser,
    identity_fill,
    measure,
    run_checked,
    tool_version,
)
from make_corpus import DEFAULT_SEED, DEFAULT_SIZE, generate

ALL_TOOLS = ("bare", "po4a", "po4a-neverwrap", "tt", "l10n")
L10N_LANGS = ("ps", "fa_AF", "ur")
# Where l10n caches parsed sources between runs (project root); deleted for "cold" runs.
L10N_CACHE_DIR = ".l10n-cache"
PEERS = ("po4a", "po4a-neverwrap", "translate-toolkit")
# Targets from the issue "Markdown ⇄ PO with full fidelity".
TARGET_VS_PEER = 0.75
TARGET_EXTRACT_VS_PARSE = 1.5
TARGET_RSS_MIB = 500.0


@dataclass
class Row:
    """One timed step of one tool."""

    tool: str
    step: str
    command: str
    runs: list[Measurement] = field(default_factory=list)
    divisor: int = 1  # > 1 when a run covers several languages
    entries: int | None = None
    fidelity: Fidelity | None = None
    error: str | None = None
    note: str = ""
    median_override: float | None = None  # for figures not measured as a process

    @property
    def median_s(self) -> float | None:
        """Median wall time per run (divided by ``divisor``)."""
        if self.median_override is not None:
            return self.median_override
        if not self.runs or self.error:
            return None
        return statistics.median(m.seconds for m in self.runs) / self.divisor

    @property
    def peak_rss_mib(self) -> float | None:
        """Largest peak RSS over the runs, in MiB."""
        if not self.runs:
            return None
        return max(m.peak_rss_kb for m in self.runs) / 1024


class Bench:
    """Holds the configuration, the work directory and the collected rows."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.runs: int = args.runs
        self.work: Path = args.workdir.resolve()
        self.logs = self.work / "logs"
        self.rows: list[Row] = []
        self.env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
        self.corpus = self.work / "big.md"
        self._source_html: str | None = None

    # ----------------------------------------------------------- plumbing
    def say(self, msg: str) -> None:
        """Progress message on stderr."""
        print(msg, file=sys.stderr, flush=True)

    def fresh_dir(self, name: str) -> Path:
        """Return an emptied sub-directory of the work directory."""
        path = self.work / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path

    def timed(
        self,
        tool: str,
        step: str,
        cmd: Sequence[str | os.PathLike[str]],
        *,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        before: Callable[[], None] | None = None,
        divisor: int = 1,
    ) -> Row:
        """Run ``cmd`` ``self.runs`` times (``before`` each run) and record a row."""
        row = Row(tool, step, " ".join(map(str, cmd)), divisor=divisor)
        self.rows.append(row)
        for i in range(self.runs):
            if before is not None:
                before()
            log = self.logs / f"{tool}-{step}-{i}.log".replace(" ", "_")
            log.unlink(missing_ok=True)
            m = measure(cmd, cwd=cwd, env=env or self.env, log=log)
            self.say(
                f"  {tool:<18} {step:<22} run {i + 1}/{self.runs}: "
                f"{m.seconds:7.2f} s  {m.peak_rss_kb / 1024:7.1f} MiB  rc={m.returncode}"
            )
            row.runs.append(m)
            if m.returncode != 0:
                tail = log.read_text(encoding="utf-8", errors="replace")[-1500:]
                row.error = f"exit {m.returncode}; see {log}\n{tail}"
                self.say(f"  !! {tool} {step} failed: {row.error}")
                break
        return row

    def check(self, row: Row, published: Path) -> None:
        """Attach an HTML fidelity comparison of ``published`` against the corpus."""
        if self.args.no_check or row.error or not published.exists():
            return
        md = full_parser()
        if self._source_html is None:
            self._source_html = md.render(self.corpus.read_text(encoding="utf-8"))
        row.fidelity = compare_html(self._source_html, md.render(published.read_text("utf-8")))
        self.say(f"  {row.tool} publish fidelity: {row.fidelity.summary()}")

    # ------------------------------------------------------------- corpus
    def make_corpus(self) -> None:
        """Write (or copy) the benchmark document to the work directory."""
        self.work.mkdir(parents=True, exist_ok=True)
        self.logs.mkdir(exist_ok=True)
        if self.args.corpus:
            shutil.copyfile(self.args.corpus, self.corpus)
        else:
            self.corpus.write_text(generate(self.args.size, self.args.seed), encoding="utf-8")
        self.say(f"corpus: {self.corpus} ({self.corpus.stat().st_size:,} bytes)")

    # -------------------------------------------------------------- tools
    def bench_bare(self) -> None:
        """Bare markdown-it-py parse: whole process, and in-process parse only."""
        self.say("bare markdown-it-py parse")
        script = Path(__file__).resolve().parent / "bare_parse.py"
        row = self.timed("markdown-it-py", "parse (process)", [sys.executable, script, self.corpus])
        row.note = "fresh process incl. imports"
        parse_times: list[float] = []
        for i in range(len(row.runs)):
            log = self.logs / f"markdown-it-py-parse_(process)-{i}.log"
            lines = [x for x in log.read_text().splitlines() if x.startswith("{")]
            if lines:
                parse_times.append(json.loads(lines[-1])["parse_s"])
        if parse_times:
            self.rows.append(
                Row(
                    "markdown-it-py",
                    "parse (in-process)",
                    "MarkdownIt(...).parse(text)",
                    median_override=statistics.median(parse_times),
                    note="md.parse() only, no import/read",
                )
            )

    def bench_po4a(self, variant: str) -> None:
        """po4a's text module in Markdown mode (deprecated single-file front ends)."""
        if not shutil.which("po4a-updatepo"):
            self.say("SKIP po4a: not installed (apt-get install -y po4a gettext)")
            return
        opts = [*PO4A_OPTS, "-o", "neverwrap"] if variant == "po4a-neverwrap" else [*PO4A_OPTS]
        self.say(variant)
        d = self.fresh_dir(variant)
        pot, po, out = d / "big.pot", d / "big.po", d / "out.md"
        # po4a-updatepo msgmerges into an existing POT: delete it so every run extracts afresh.
        row = self.timed(
            variant,
            "extract",
            ["po4a-updatepo", *opts, "-m", self.corpus, "-p", pot],
            before=lambda: pot.unlink(missing_ok=True),
        )
        if row.error:
            return
        row.entries = count_entries(pot)
        identity_fill(pot, po)
        row = self.timed(
            variant,
            "publish",
            ["po4a-translate", *opts, "-m", self.corpus, "-p", po, "-l", out, "-k", "0"],
        )
        self.check(row, out)

    def bench_tt(self) -> None:
        """Translate Toolkit's md2po / po2md from a separate virtualenv."""
        bindir: Path = self.args.tt_bin
        md2po, po2md = bindir / "md2po", bindir / "po2md"
        if not (md2po.exists() and po2md.exists()):
            self.say(
                f"SKIP translate-toolkit: {md2po} not found "
                "(python3 -m venv /tmp/ttvenv && /tmp/ttvenv/bin/pip install translate-toolkit)"
            )
            return
        self.say("translate-toolkit")
        d = self.fresh_dir("tt")
        pot, po, out = d / "big.pot", d / "big.po", d / "out.md"
        row = self.timed(
            "translate-toolkit",
            "extract",
            [md2po, "--progress=none", "--pot", "-i", self.corpus, "-o", pot],
        )
        if row.error:
            return
        row.entries = count_entries(pot)
        identity_fill(pot, po)
        row = self.timed(
            "translate-toolkit",
            "publish",
            [po2md, "--progress=none", "-t", self.corpus, "-i", po, "-o", out],
        )
        self.check(row, out)

    def bench_l10n(self) -> None:
        """The project's own CLI, in a project folder made with ``l10n init``."""
        found = find_l10n(self.args.l10n_cmd)
        if found is None:
            self.say(
                "SKIP l10n: neither an `l10n` console script nor `python -m l10n` "
                "(PYTHONPATH=src) answers --help yet"
            )
            self.rows.append(Row("l10n", "-", "", error="l10n CLI not available: skipped"))
            return
        prefix, env = found
        env = dict(env, LC_ALL="C.UTF-8", LANG="C.UTF-8")
        self.say(f"l10n ({' '.join(prefix)})")
        proj = self.fresh_dir("l10n")
        try:
            run_checked([*prefix, "init"], cwd=proj, env=env, timeout=120)
        except RuntimeError as exc:
            self.rows.append(Row("l10n", "init", "l10n init", error=str(exc)))
            self.say(f"  !! l10n init failed: {exc}")
            return
        if not (proj / "l10n.toml").exists():
            self.say("  !! `l10n init` did not create l10n.toml")
        (proj / "source").mkdir(exist_ok=True)
        doc = proj / "source" / "big.md"
        shutil.copyfile(self.corpus, doc)

        cache = proj / L10N_CACHE_DIR

        def drop_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        def run(step: str, args: list[str], cold: bool = False) -> Row:
            return self.timed(
                "l10n",
                step,
                [*prefix, *args],
                cwd=proj,
                env=env,
                before=drop_cache if cold else None,
            )

        # Cold: the cache of parsed sources is deleted before every run.
        row = run("extract", ["extract"], cold=True)
        if row.error:
            return
        row.note = f"{L10N_CACHE_DIR} deleted before each run"
        pot = proj / "locales" / "big.pot"
        if pot.exists():
            row.entries = count_entries(pot)
        else:
            row.note += f"; {pot} not found"
        run("extract (warm cache)", ["extract"]).note = "source unchanged since last run"
        row = run("update", ["update"])
        if row.error:
            return
        pos = sorted((proj / "locales").glob("*/big.po"))
        row.note = f"{len(pos)} PO files: {', '.join(p.parent.name for p in pos)}"
        for po in pos:
            identity_fill(po, po)
        langs = len(pos) or len(L10N_LANGS)
        publish = ["publish", "--format", "md"]
        row = run(f"publish ({langs} langs)", publish)
        if row.error:
            return
        row.note = "one run publishes every language; warm cache"
        help_text = run_checked([*prefix, "publish", "--help"], env=env).stdout
        if "--lang" in help_text:
            one = run("publish", [*publish, "--lang", "ps"])
            one.note = "--lang ps; warm cache (as after extract)"
            self.check(one, proj / "dist" / "ps" / "big.md")
            cold = run("publish (cold cache)", [*publish, "--lang", "ps"], cold=True)
            cold.note = f"--lang ps; {L10N_CACHE_DIR} deleted before each run"
            self.check(cold, proj / "dist" / "ps" / "big.md")
        else:
            note = f"no --lang option: per-language = run time / {langs}"
            one = Row("l10n", "publish", row.command, runs=row.runs, divisor=langs, note=note)
            self.rows.append(one)
            self.check(one, proj / "dist" / "ps" / "big.md")
            cold = run(f"publish ({langs} langs, cold)", publish, cold=True)
            cold.note = f"{L10N_CACHE_DIR} deleted before each run"
            if not cold.error:
                self.rows.append(
                    Row(
                        "l10n",
                        "publish (cold cache)",
                        cold.command,
                        runs=cold.runs,
                        divisor=langs,
                        note=f"per-language = cold run time / {langs}",
                    )
                )

    # ------------------------------------------------------------ results
    def reference(self, tool: str, step: str) -> float | None:
        """Median of the given row, if measured."""
        for row in self.rows:
            if row.tool == tool and row.step == step and row.median_s:
                return row.median_s
        return None

    def fastest_peer(self, step: str) -> tuple[str, float] | None:
        """The fastest peer for ``step`` (extract or publish)."""
        best = [(t, s) for t in PEERS if (s := self.reference(t, step)) is not None]
        return min(best, key=lambda ts: ts[1]) if best else None

    def table(self) -> list[dict[str, Any]]:
        """Rows as dictionaries with ratios, for printing and JSON."""
        bare = self.reference("markdown-it-py", "parse (process)")
        out = []
        for row in self.rows:
            med = row.median_s
            # Only per-document steps are comparable with po4a (one language per run).
            po4a = self.reference("po4a", base_step(row.step))
            out.append(
                {
                    "tool": row.tool,
                    "step": row.step,
                    "median_s": med,
                    "peak_rss_mib": row.peak_rss_mib,
                    "ratio_vs_po4a": med / po4a if med and po4a else None,
                    "ratio_vs_bare_parse": med / bare if med and bare else None,
                    "entries": row.entries,
                    "fidelity": row.fidelity.summary() if row.fidelity else None,
                    "fidelity_detail": asdict(row.fidelity) if row.fidelity else None,
                    "runs": [asdict(m) for m in row.runs],
                    "divisor": row.divisor,
                    "command": row.command,
                    "note": row.note,
                    "error": row.error,
                }
            )
        return out

    def targets(self) -> list[dict[str, Any]]:
        """Evaluate the issue's speed and memory targets for l10n."""
        checks: list[dict[str, Any]] = []
        bare = self.reference("markdown-it-py", "parse (process)")
        for step in ("extract", "publish", "publish (cold cache)"):
            ours = self.reference("l10n", step)
            po4a = self.reference("po4a", base_step(step))
            if ours is not None and po4a is not None:
                ratio = ours / po4a
                checks.append(
                    {
                        "target": f"{step} <= {TARGET_VS_PEER}x po4a",
                        "value": round(ratio, 3),
                        "ok": ratio <= TARGET_VS_PEER,
                    }
                )
            peer = self.fastest_peer(base_step(step))
            if ours is not None and peer is not None:
                ratio = ours / peer[1]
                checks.append(
                    {
                        "target": f"{step} faster than every peer configuration ({peer[0]})",
                        "value": round(ratio, 3),
                        "ok": ratio < 1.0,
                    }
                )
        ours = self.reference("l10n", "extract")
        if ours is not None and bare:
            ratio = ours / bare
            checks.append(
                {
                    "target": f"extract <= {TARGET_EXTRACT_VS_PARSE}x bare parse (process)",
                    "value": round(ratio, 3),
                    "ok": ratio <= TARGET_EXTRACT_VS_PARSE,
                }
            )
        rss = [r.peak_rss_mib for r in self.rows if r.tool == "l10n" and r.peak_rss_mib]
        if rss:
            checks.append(
                {
                    "target": f"peak RSS < {TARGET_RSS_MIB:.0f} MiB (every l10n step)",
                    "value": round(max(rss), 1),
                    "ok": max(rss) < TARGET_RSS_MIB,
                }
            )
        return checks


def base_step(step: str) -> str:
    """Map ``publish (cold cache)`` etc. to the peer step it compares with."""
    for base in ("extract", "publish"):
        if step == base or (step.startswith(base + " (") and "langs" not in step):
            return base
    return step


def fmt(value: float | None, spec: str) -> str:
    """Format a number, or a dash padded to the same width."""
    width = int(spec.split(".")[0].rstrip("df"))
    return "-".rjust(width) if value is None else format(value, spec)


def print_table(rows: list[dict[str, Any]], checks: list[dict[str, Any]]) -> None:
    """Print the results table and the target checks."""
    head = (
        f"{'tool':<18} {'step':<20} {'median s':>9} {'peak MiB':>8} "
        f"{'x po4a':>7} {'x parse':>8} {'entries':>8}  fidelity"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        if r["error"]:
            first = r["error"].splitlines()[0]
            print(f"{r['tool']:<18} {r['step']:<20} {'ERROR: ' + first}")
            continue
        print(
            f"{r['tool']:<18} {r['step']:<20} {fmt(r['median_s'], '9.2f')} "
            f"{fmt(r['peak_rss_mib'], '8.1f')} {fmt(r['ratio_vs_po4a'], '7.2f')} "
            f"{fmt(r['ratio_vs_bare_parse'], '8.2f')} {fmt(r['entries'], '8d')}  "
            f"{r['fidelity'] or ''}"
        )
    if checks:
        print("\ntargets for l10n:")
        for c in checks:
            print(f"  [{'PASS' if c['ok'] else 'FAIL'}] {c['target']}: {c['value']}")


def meta(bench: Bench) -> dict[str, Any]:
    """Environment and corpus description stored with the results."""
    import markdown_it
    import mdit_py_plugins

    data = bench.corpus.read_bytes()
    tt = bench.args.tt_bin / "md2po"
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "runs": bench.runs,
        "corpus": {
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "seed": None if bench.args.corpus else bench.args.seed,
            "source": str(bench.args.corpus or "make_corpus.py"),
        },
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
        },
        "versions": {
            "markdown-it-py": markdown_it.__version__,
            "mdit-py-plugins": mdit_py_plugins.__version__,
            "po4a": tool_version(["po4a-updatepo", "--version"]),
            "translate-toolkit": tool_version([str(tt), "--version"]) if tt.exists() else None,
        },
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per step (median is kept)")
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="corpus size in bytes")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="corpus random seed")
    parser.add_argument("--corpus", type=Path, help="use this Markdown file instead")
    parser.add_argument(
        "--tools",
        default=",".join(ALL_TOOLS),
        help=f"comma-separated subset of {','.join(ALL_TOOLS)}",
    )
    parser.add_argument("--tt-bin", type=Path, default=DEFAULT_TT_BIN, help="TT venv bin dir")
    parser.add_argument("--l10n-cmd", help="command that runs the l10n CLI (default: auto)")
    parser.add_argument("--workdir", type=Path, default=OUT_DIR / "work", help="scratch dir")
    parser.add_argument("--no-check", action="store_true", help="skip HTML fidelity checks")
    parser.add_argument("--json", type=Path, default=OUT_DIR / "results.json", help="output")
    args = parser.parse_args(argv)

    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = sorted(set(tools) - set(ALL_TOOLS))
    if unknown:
        parser.error(f"unknown tools: {', '.join(unknown)}")
    if not shutil.which("msgen"):
        parser.error("gettext's msgen is required (apt-get install -y gettext)")

    bench = Bench(args)
    bench.make_corpus()
    actions: dict[str, Callable[[], None]] = {
        "bare": bench.bench_bare,
        "po4a": lambda: bench.bench_po4a("po4a"),
        "po4a-neverwrap": lambda: bench.bench_po4a("po4a-neverwrap"),
        "tt": bench.bench_tt,
        "l10n": bench.bench_l10n,
    }
    for tool in tools:
        actions[tool]()

    rows = bench.table()
    checks = bench.targets()
    print()
    print_table(rows, checks)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"meta": meta(bench), "results": rows, "targets": checks}, indent=2) + "\n",
        encoding="utf-8",
    )
    print(f"\nresults written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
