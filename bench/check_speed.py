"""`l10n status` and `l10n check` on loose catalogs against Translate Toolkit.

One run each, on the same folder of PO files (a copy of the `*.po` files of
`--set`, so that no other file is in the way of either tool):

    l10n status DIR            vs  pocount DIR
    l10n check DIR             vs  pofilter DIR OUT     (its default checks)

The measure is CPU time (user + system) of the child process, from
`getrusage(RUSAGE_CHILDREN)` around it.  Each interpreter's bare start-up
(`python -c pass` in its environment) is measured too and reported, since the
two tools run from different Python environments whose site-packages cost
different amounts before the first line of either tool runs; so is a bare
typer app with `status`'s parameters, the floor of any command of ours.  The
targets are on the raw figures.  Results go to `bench/out/check_speed.json`.

    python bench/check_speed.py                      # /tmp/measuring-set
    python bench/check_speed.py --set DIR --tt-bin /tmp/ttvenv/bin
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from benchlib import DEFAULT_TT_BIN, OUT_DIR, find_l10n

#: What each comparison must meet: l10n's CPU time at most this many times the peer's.
TARGETS = {"status": ("pocount", 2.0), "check": ("pofilter", 1.0)}

#: The command line framework alone: a typer app with one command taking what
#: `l10n status` takes (paths and a repeatable option), run on the same folder.
FRAMEWORK_FLOOR = """
from pathlib import Path
from typing import Annotated
import typer
app = typer.Typer()
@app.command()
def status(
    paths: Annotated[list[Path] | None, typer.Argument()] = None,
    lang: Annotated[list[str] | None, typer.Option("--lang")] = None,
) -> None:
    print(len(paths or []))
@app.command()
def other() -> None:
    pass
app()
"""


@dataclass(frozen=True)
class Run:
    """One child process: its command, CPU seconds and exit code."""

    name: str
    cmd: list[str]
    cpu_seconds: float
    returncode: int


def cpu_run(name: str, cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """Run a command once, output discarded; its user + system CPU time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(name, [str(c) for c in cmd], round(cpu, 3), proc.returncode)


def copy_catalogs(source: Path, target: Path) -> int:
    """The `*.po` files of `source`, copied flat into a fresh `target`; how many."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    files = sorted(source.glob("*.po"))
    for file in files:
        shutil.copy2(file, target / file.name)
    return len(files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=Path("/tmp/measuring-set"))
    parser.add_argument("--tt-bin", type=Path, default=DEFAULT_TT_BIN)
    parser.add_argument("--l10n-cmd", help="command that runs l10n (default: found)")
    args = parser.parse_args()

    found = find_l10n(args.l10n_cmd)
    pocount, pofilter = args.tt_bin / "pocount", args.tt_bin / "pofilter"
    if found is None or not pocount.exists() or not pofilter.exists():
        print("needs l10n and Translate Toolkit (pocount, pofilter); see bench/README.md")
        return 1
    l10n, env = found
    work = OUT_DIR / "check-speed"
    catalogs = work / "catalogs"
    count = copy_catalogs(args.set, catalogs)
    if count == 0:
        print(f"no *.po files in {args.set}")
        return 1
    shutil.rmtree(work / "pofilter-out", ignore_errors=True)

    runs = [
        cpu_run("python start-up (l10n's environment)", [sys.executable, "-c", "pass"], env),
        cpu_run(
            "python start-up (Translate Toolkit's)", [str(args.tt_bin / "python"), "-c", "pass"]
        ),
        cpu_run(
            "a bare typer app (the framework)",
            [sys.executable, "-c", FRAMEWORK_FLOOR, "status", str(catalogs)],
            env,
        ),
        cpu_run("l10n --help", [*l10n, "--help"], env),
        cpu_run("status", [*l10n, "status", str(catalogs)], env),
        cpu_run("pocount", [str(pocount), str(catalogs)]),
        cpu_run("check", [*l10n, "check", str(catalogs)], env),
        cpu_run("pofilter", [str(pofilter), str(catalogs), str(work / "pofilter-out")]),
    ]
    by_name = {r.name: r for r in runs}
    print(f"{count} catalogs from {args.set}; CPU seconds (user + system), one run each")
    for run in runs:
        print(f"  {run.name:40} {run.cpu_seconds:7.3f}   exit {run.returncode}")
    verdicts = {}
    for ours, (peer, limit) in TARGETS.items():
        ratio = by_name[ours].cpu_seconds / max(by_name[peer].cpu_seconds, 1e-9)
        verdicts[ours] = {"peer": peer, "ratio": round(ratio, 2), "target": limit,
                          "met": ratio <= limit}  # fmt: skip
        print(f"  l10n {ours} ÷ {peer}: {ratio:.2f} (target ≤ {limit:g})")
    OUT_DIR.mkdir(exist_ok=True)
    result = {"catalogs": count, "set": str(args.set), "runs": [asdict(r) for r in runs],
              "ratios": verdicts}  # fmt: skip
    (OUT_DIR / "check_speed.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
