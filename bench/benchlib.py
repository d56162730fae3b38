"""Shared helpers for the benchmark scripts: tool discovery, timing, HTML comparison."""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
DEFAULT_TT_BIN = Path("/tmp/ttvenv/bin")

# Options every po4a call gets: the text module in Markdown mode, UTF-8 master.
PO4A_OPTS: tuple[str, ...] = ("-f", "text", "-o", "markdown", "-M", "UTF-8")


@dataclass(frozen=True)
class Measurement:
    """Wall time and peak resident set size of one child process."""

    seconds: float
    peak_rss_kb: int
    returncode: int


def _gnu_time() -> str | None:
    """Path of GNU time (Debian package ``time``), not the shell keyword."""
    return shutil.which("time", path="/usr/bin:/bin")


def measure(
    cmd: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    timeout: float | None = None,
) -> Measurement:
    """Run ``cmd`` and return its wall time and peak RSS.

    Wall time is taken with ``perf_counter`` around the child.  Peak RSS comes
    from GNU ``time -f %M`` wrapped around the command: reading ``ru_maxrss``
    of a child forked straight from this (large) Python process would be
    wrong, because Linux folds the RSS of the pre-exec image, i.e. a copy of
    the harness, into the child's figure.  Without GNU time the ``wait4``
    figure is used as a (possibly inflated) fallback.  Output goes to ``log``.
    """
    argv = [str(c) for c in cmd]
    gnu_time = _gnu_time()
    rss_file: Path | None = None
    if gnu_time:
        fd, name = tempfile.mkstemp(prefix="bench-rss-")
        os.close(fd)
        rss_file = Path(name)
        argv = [gnu_time, "-f", "%M", "-o", name, *argv]
    with contextlib.ExitStack() as stack:
        out: int | IO[bytes] = subprocess.DEVNULL
        if log is not None:
            fh = stack.enter_context(log.open("ab"))
            fh.write(f"\n$ {' '.join(map(str, cmd))}\n".encode())
            fh.flush()
            out = fh
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = None if timeout is None else start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, 0 if deadline is None else os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    peak_kb = int(usage.ru_maxrss)  # Linux reports kilobytes
    if rss_file is not None:
        lines = rss_file.read_text(errors="replace").split()
        rss_file.unlink(missing_ok=True)
        if lines and lines[-1].isdigit():
            peak_kb = int(lines[-1])
    return Measurement(elapsed, peak_kb, proc.returncode)


def run_checked(
    cmd: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run an untimed preparation step; raise with its output if it fails."""
    proc = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n"
            f"{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
        )
    return proc


def identity_fill(pot: Path, po: Path) -> None:
    """Write ``po`` from ``pot`` with every msgstr equal to its msgid (gettext ``msgen``)."""
    run_checked(["msgen", "--force-po", "-o", po, pot])


def count_entries(po: Path) -> int:
    """Count the messages of a PO/POT file, header excluded."""
    n = 0
    with po.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.startswith("msgid "):
                n += 1
    return n - 1 if n else 0


# --------------------------------------------------------------------- tools
def find_l10n(override: str | None = None) -> tuple[list[str], dict[str, str]] | None:
    """Return the command prefix and environment that run the project's CLI, or None.

    Tries, in order: an explicit ``override`` (split on spaces), the ``l10n``
    console script on PATH, then ``python -m l10n`` with ``PYTHONPATH=src``.
    """
    env = dict(os.environ)
    candidates: list[tuple[list[str], dict[str, str]]] = []
    if override:
        candidates.append((override.split(), env))
    exe = shutil.which("l10n")
    if exe:
        candidates.append(([exe], env))
    src_env = dict(env)
    src_env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO_DIR / "src"), env.get("PYTHONPATH", "")) if p
    )
    candidates.append(([sys.executable, "-m", "l10n"], src_env))
    for prefix, cand_env in candidates:
        try:
            proc = subprocess.run(
                [*prefix, "--help"],
                env=cand_env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if proc.returncode == 0:
            return prefix, cand_env
    return None


def tool_version(cmd: Sequence[str]) -> str:
    """Return the first non-empty output line of a ``--version`` style command."""
    try:
        proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return "unavailable"
    for line in (proc.stdout + proc.stderr).splitlines():
        if line.strip():
            return line.strip()
    return "unknown"


# ------------------------------------------------------------------- parsing
def full_parser() -> MarkdownIt:
    """Return the project's parser configuration: CommonMark + tables + front matter + footnotes."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(footnote_plugin)


def commonmark_parser() -> MarkdownIt:
    """Return a plain CommonMark parser."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


_BLOCK_SPLIT = re.compile(r"(?=<(?:p|h[1-6]|li|blockquote|table|tr|pre|hr|section|ol|ul)\b)")
_TAG = re.compile(r"<(\w+)")


def html_blocks(html: str) -> list[str]:
    """Split rendered HTML into block-level chunks with whitespace collapsed."""
    flat = re.sub(r"\s+", " ", html)
    return [b.strip() for b in _BLOCK_SPLIT.split(flat) if b.strip()]


@dataclass
class Fidelity:
    """How far a published document's HTML is from the source's HTML."""

    identical_html: bool
    source_blocks: int
    differing_blocks: int
    by_tag: dict[str, int]

    def summary(self) -> str:
        """One-line human-readable summary."""
        if self.identical_html:
            return "identical HTML"
        if not self.differing_blocks:
            return "same HTML up to whitespace"
        tags = ", ".join(f"{k}:{v}" for k, v in sorted(self.by_tag.items(), key=lambda kv: -kv[1]))
        return f"{self.differing_blocks}/{self.source_blocks} blocks differ ({tags})"


def compare_html(source_html: str, published_html: str) -> Fidelity:
    """Compare two renderings block by block, ignoring whitespace differences."""
    if source_html == published_html:
        blocks = html_blocks(source_html)
        return Fidelity(True, len(blocks), 0, {})
    a = html_blocks(source_html)
    b = html_blocks(published_html)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    by_tag: Counter[str] = Counter()
    differing = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        differing += max(i2 - i1, j2 - j1)
        for block in a[i1:i2] or b[j1:j2]:
            m = _TAG.match(block)
            by_tag[m.group(1) if m else "text"] += 1
    return Fidelity(False, len(a), differing, dict(by_tag))
