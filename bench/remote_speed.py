"""Remote engines: LibreTranslate against the local argos engine, and k servers behind 50 ms.

Two measurements for the issue "Drafts from translation servers that scale":

  http     the brief (`source/a-road-untraveled.md`, Urdu, 166 sentences) drafted by
           the local `argos` engine and through one LibreTranslate server on
           127.0.0.1, both from the same generated Argos package (draft_speed.py's
           base-size echo model), beam 4, 16 sentences per batch and per request,
           one CTranslate2 replica per core.  Target: the server's time ≤ 1.3× the
           local engine's (the cost of the HTTP layer).  LibreTranslate decodes the
           texts of a request one CTranslate2 call each, so two more rows separate
           that from HTTP: the local engine with `batch_size = 1` (the same decoding
           work), and LibreTranslate's own code called in its venv on the same
           sentences, without HTTP or l10n.
  scaling  drafts against k = 1, 2, 4 server processes with 50 ms of added latency
           on every packet, in a network namespace of the benchmark's own
           (`ip netns add l10n-bench`, loopback only; servers and drafts run in
           it): llama.cpp's server (llama-cpp-python) with the tests' tiny GGUF
           model (engine `openai`, the brief in ps, fa_AF and ur, a one-line prompt
           without context: see SHORT_PROMPT), and LibreTranslate with the tiny
           echo package (ur, one sentence a request).  `in_flight` requests per
           server (default 2).  Target: throughput(k) ≥ 0.8 × k × throughput(1)
           while the servers are not CPU-bound; the CPU time of the servers, of
           this process and of every other process on the machine is measured, and
           a run during which other processes used more than `--max-others` of a
           core is measured again.  Figures for the whole `l10n.draft` call and for
           its engine phase (progress meter at 0 to its end: the requests alone).

The latency comes from `tc qdisc add dev lo root netem delay 50ms` inside the
namespace.  A kernel without netem (CONFIG_NET_SCH_NETEM) answers "Error:
Specified qdisc kind is unknown."; the script says so and, unless `--latency
netem`, holds every packet on the namespace's loopback for the same 50 ms with
netfilter instead: an iptables rule queues each outgoing packet (NFQUEUE) and a
small process of this script (`--delayer`) gives it back to the kernel 50 ms
later.  Both delay each packet once on `lo`, so a round trip takes 100 ms.  The
queued packet still counts against its socket (netem releases it), so TCP
autocorking would hold a request's body back until its headers left, one more
50 ms: the script turns autocorking off in the namespace, and measures a TCP
connect, an echo and an HTTP POST before the drafts (each ~100 ms).  The
namespace, and whatever still runs in it, is removed at the end, also when
something fails or the script is killed (SIGTERM).

Usage::

    python bench/remote_speed.py                    # both parts (scaling needs root)
    python bench/remote_speed.py --part http --runs 3
    python bench/remote_speed.py --part scaling --engines openai --in-flight 2
    python bench/remote_speed.py --part scaling --corpus 30000   # + a generated document
    python bench/remote_speed.py --small            # tiny model in part http: a smoke run

Every run drafts with `use_memory=False`, `overwrite_drafts=True` and `cache =
false`, so every sentence or segment really goes to the engine.  Figures: the
median of `--runs` timed runs after one untimed warm-up.  Results: tables on
stdout and bench/out/remote_speed.json (every run, settings, CPU times).
Needs LibreTranslate in `.ci/venvs/libretranslate` (tests/libretranslate_server.py
says how to make it), llama-cpp-python for the `openai` rows, and for the scaling
part root, iproute2 and (without netem) iptables; a part that cannot run is
skipped with the reason, word for word.
"""

from __future__ import annotations

import argparse
import contextlib
import heapq
import json
import os
import platform
import re
import select
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
WORK = OUT / "remote-work"
RESULTS = OUT / "remote_speed.json"
BRIEF = REPO / "source" / "a-road-untraveled.md"
NETNS = "l10n-bench"
QUEUE = 0  # the NFQUEUE number inside the namespace (the namespace is ours alone)
sys.path.insert(0, str(REPO / "tests"))

#: The bench's own prompt for the scaling rows: the packaged translate-v1 sends about 4,000
#: characters a segment (rules, variety, two neighbours each side), and the test model's
#: tokens are single characters, so one tiny server would be CPU-bound at one request in
#: flight.  This one sends the segment and one line of instruction.
SHORT_PROMPT = """\
{% macro system() %}Translate from {{ source_language }} into {{ language.english_name }}. \
Keep these placeholders: {{ placeholders | join(" ") }}. Answer with the translation only.\
{% endmacro %}
{% macro user() %}{{ text }}{% endmacro %}
{% macro retry(problems) %}Fix: {{ problems | join(" ") }}{% endmacro %}
"""


# --------------------------------------------------------------------------- shared


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its descendants still alive (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        child = int(entry.name)
        children.setdefault(int(fields[1]), []).append(child)
        times[child] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += times.get(current, 0.0)
        todo += children.get(current, [])
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of every core since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / tick, sum(values) / tick


def make_project(
    root: Path,
    engines: dict[str, str],
    settings: dict[str, Any],
    tables: dict[str, dict],
    corpus: int = 0,
) -> Path:
    """A project of the brief, extracted and merged: `engines` per language, `settings`
    added under [engines] (cache = false always), `tables` as [engines.<name>]; with
    `corpus`, also a generated document of about that many bytes (make_corpus.py)."""
    import l10n

    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    l10n.init_project(root, "bench")
    shutil.copy(BRIEF, root / "source")
    if corpus:
        from make_corpus import generate

        (root / "source" / "corpus.md").write_text(generate(corpus), "utf-8")
    shutil.copy(REPO / "glossary.yaml", root)
    write_settings(root, engines, settings, tables)
    project = l10n.Project.open(root)
    l10n.extract(project)
    l10n.update(project)
    return root


def write_settings(
    root: Path, engines: dict[str, str], settings: dict[str, Any], tables: dict[str, dict]
) -> None:
    toml, pristine = root / "l10n.toml", root / "l10n.toml.init"
    if not pristine.exists():  # what `l10n init` wrote: settings are always added to it
        shutil.copy(toml, pristine)
    text = pristine.read_text("utf-8").split("\n# [engines.", 1)[0]  # minus the examples
    for code, engine in engines.items():
        text = re.sub(rf"(?m)^{code} = .*$", f"{code} = {json.dumps(engine)}", text)
    lines = {"cache": False, **settings}
    text = text.replace(
        "[engines]\n",
        "[engines]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in lines.items()),
        1,
    )
    for name, table in tables.items():
        text += f"\n[engines.{name}]\n" + "".join(
            f"{k} = {json.dumps(v)}\n" for k, v in table.items()
        )
    toml.write_text(text, "utf-8")


def run_draft(root: Path, langs: Sequence[str]) -> tuple[float, Any, float]:
    """One timed `l10n.draft` of every entry (memory off, no cache, drafts overwritten):
    (seconds, report, seconds of the engine phase: from the progress meter's 0 to its end)."""
    import l10n

    (root / ".l10n-cache" / "drafts.sqlite3").unlink(missing_ok=True)
    project = l10n.Project.open(root)
    marks: dict[str, float] = {}

    def progress(done: int, total: int) -> None:
        marks.setdefault("first", time.perf_counter())
        if done == total:
            marks["last"] = time.perf_counter()

    started = time.perf_counter()
    report = l10n.draft(
        project, list(langs), overwrite_drafts=True, use_memory=False, progress=progress
    )
    seconds = time.perf_counter() - started
    return seconds, report, marks.get("last", 0.0) - marks.get("first", 0.0)


def drafts_of(root: Path, lang: str) -> dict[str, str]:
    import polib

    po = polib.pofile(str(root / "locales" / lang / BRIEF.with_suffix(".po").name))
    return {e.msgid: e.msgstr for e in po if e.msgid}


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --------------------------------------------------------------------------- part 1: http


#: LibreTranslate's own path for a `/translate` request of texts, called in its venv without
#: HTTP: each text through `hypotheses(text, 1)` (one CTranslate2 call per text, as the
#: server), then the server's formatting and unescaping; requests of `batch` texts are taken
#: by `in_flight` threads, as waitress's threads take them.
LT_IN_PROCESS = """
import json, sys, time
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from argostranslate import translate
from libretranslate.language import improve_translation_formatting
texts, batch, threads, runs = json.load(open(sys.argv[1])), *map(int, sys.argv[2:5])
langs = {lang.code: lang for lang in translate.get_installed_languages()}
translator = langs["en"].get_translation(langs["ur"])
def request(part):
    return [unescape(improve_translation_formatting(t, translator.hypotheses(t, 1)[0].value))
            for t in part]
parts = [texts[i : i + batch] for i in range(0, len(texts), batch)]
times = []
for _ in range(runs + 1):
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        answers = [a for part in pool.map(request, parts) for a in part]
    times.append(time.perf_counter() - started)
print(json.dumps({"times": times[1:], "answers": answers}))
"""


def part_http(args: argparse.Namespace) -> dict[str, Any]:
    """The brief through one LibreTranslate server vs the local argos engine, same package."""
    import l10n
    from draft_speed import BASE, SMALL, engine_sentences, model
    from l10n.engines import EngineOptions
    from l10n.engines.argos import install_file
    from libretranslate_server import (
        VENV,
        LibreTranslateServer,
        NotStarted,
        install_package,
        offline_env,
    )

    from tiny_models import engine_env

    work = WORK / "http"
    os.environ.update(engine_env(work / "home"))
    package = model(SMALL if args.small else BASE)
    packages = work / "argos-packages"
    install_file(package, EngineOptions(argos_packages=packages), use_argostranslate=False)
    argos = {"argos_packages": str(packages)}
    projects = {
        "argos": make_project(work / "local", {"ur": "argos"}, argos, {}),
        "argos batch_size 1": make_project(
            work / "local-1", {"ur": "argos"}, {**argos, "batch_size": 1}, {}
        ),
    }
    result: dict[str, Any] = {
        "model": "small" if args.small else "base (6+6 layers, d512, 32k vocab, int8, echo)",
        "cores": args.cores,
        "beam_size": 4,
        "batch": args.batch,
        "in_flight": args.lt_in_flight,
    }
    server = LibreTranslateServer(work / "lt-server", work / "lt-packages")
    # LibreTranslate's argostranslate decodes with ARGOS_BEAM_SIZE (4, as l10n) and one
    # CTranslate2 replica per ARGOS_INTER_THREADS: one per core, one thread each, as l10n's
    # workers = 0, threads = 1.
    decoding = {"ARGOS_INTER_THREADS": str(args.cores), "ARGOS_INTRA_THREADS": "1",
                "ARGOS_BEAM_SIZE": "4"}  # fmt: skip
    try:
        install_package(package, server.packages)
        with environment(**decoding):
            server.start()
    except NotStarted as exc:
        server.stop()
        print(f"LibreTranslate did not start, part http skipped: {exc}")
        return {**result, "error": f"LibreTranslate did not start: {exc}"}
    times: dict[str, list[float]] = {name: [] for name in [*projects, "libretranslate"]}
    sentences: dict[str, int] = {}
    server_cpu: list[float] = []
    others: dict[str, list[float]] = {name: [] for name in times}  # CPU not ours, in cores
    try:
        projects["libretranslate"] = make_project(
            work / "remote", {"ur": "libretranslate"}, {},
            {"libretranslate": {"urls": [server.url], "batch": args.batch,
                                "in_flight": args.lt_in_flight}},
        )  # fmt: skip
        for run in range(args.runs + 1):  # run 0: warm-up (files cached, the server's model loaded)
            for name, root in projects.items():
                pid = server.process.pid if server.process else 0
                before, busy, ours = cpu_seconds(pid), machine_busy()[0], time.process_time()
                seconds, report, _ = run_draft(root, ["ur"])
                ours = time.process_time() - ours + cpu_seconds(pid) - before
                others[name].append(max(0.0, machine_busy()[0] - busy - ours) / seconds)
                ur = report.languages[0]
                assert ur.engine is not None and ur.untranslated == 0, (name, ur)
                sentences[name] = ur.translated
                if run:
                    times[name].append(seconds)
                    if name == "libretranslate":
                        server_cpu.append(cpu_seconds(pid) - before)
                print(f"  {'warm-up' if not run else f'run {run}'}: {name:26} {seconds:6.2f} s")
    finally:
        server.stop()
    drafts = {name: drafts_of(root, "ur") for name, root in projects.items()}
    identical = {name: drafts[name] == drafts["argos"] for name in projects if name != "argos"}

    # the same sentences through LibreTranslate's code in its own venv: no HTTP, no l10n
    texts = sorted(engine_sentences(l10n.Project.open(projects["argos"])), key=len)
    (work / "sentences.json").write_text(json.dumps(texts, ensure_ascii=False))
    script = work / "lt_in_process.py"
    script.write_text(LT_IN_PROCESS)
    env = {**os.environ, **offline_env(server.home, server.packages), **decoding}
    done = subprocess.run(
        [str(VENV / "bin" / "python"), str(script), str(work / "sentences.json"),
         str(args.batch), str(args.lt_in_flight), str(args.runs)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode == 0:
        in_process = json.loads(done.stdout.strip().splitlines()[-1])
        times["libretranslate in-process"] = in_process["times"]
        sentences["libretranslate in-process"] = len(texts)
        for run, seconds in enumerate(in_process["times"], 1):
            print(f"  run {run}: {'libretranslate in-process':26} {seconds:6.2f} s")
    else:
        print(f"LibreTranslate in-process failed: {done.stderr.strip()[-1500:]}")
        result["in_process_error"] = done.stderr.strip()[-1500:]

    seconds = {name: median(values) for name, values in times.items()}
    lt = seconds["libretranslate"]
    ratios = {  # the target (≤ 1.3) is on these two
        "libretranslate / argos": lt / seconds["argos"],
        "libretranslate / argos batch_size 1": lt / seconds["argos batch_size 1"],
    }
    if "libretranslate in-process" in seconds:  # HTTP and l10n's draft stage, no target
        added = lt / seconds["libretranslate in-process"]
        result["libretranslate / libretranslate in-process"] = added
    result.update(
        runs=times, sentences=sentences, seconds=seconds, ratios=ratios,
        identical_to_argos=identical, server_cpu_seconds=server_cpu, others_cpu_share=others,
    )  # fmt: skip
    print(f"\n{'':36} {'seconds':>8} {'sent/s':>8}")
    for name, value in seconds.items():
        print(f"{name:36} {value:8.2f} {sentences[name] / value:8.2f}")
    print()
    for name, ratio in ratios.items():
        print(f"{name + ' (time)':48} {ratio:5.2f}  (target ≤ 1.3: "
              f"{'met' if ratio <= 1.3 else 'NOT met'})")  # fmt: skip
    if "libretranslate in-process" in seconds:
        print(f"{'libretranslate / libretranslate in-process (time)':48} {added:5.2f}  (what "
              "HTTP and l10n's draft stage add to LibreTranslate's own decoding)")  # fmt: skip
    print(f"drafts identical to the local argos engine's: {identical}; LibreTranslate server "
          f"CPU: {median(server_cpu):.1f} s over {lt:.1f} s; other processes on the machine: "
          f"at most {max(v for vs in others.values() for v in vs):.0%} of a core")  # fmt: skip
    return result


@contextlib.contextmanager
def environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# --------------------------------------------------------------------------- part 2: outside


def sh(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)


def in_netns(*command: str) -> list[str]:
    return ["ip", "netns", "exec", NETNS, *command]


class Failed(Exception):
    """A command of the setup failed; the message is the command and what it said."""


def must(*command: str) -> None:
    done = sh(*command)
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip()
        raise Failed(f"`{' '.join(command)}` exited with {done.returncode}: {said}")


def part_scaling(args: argparse.Namespace) -> dict[str, Any]:
    """Namespace, latency, the measurement inside it (a child process), and the cleanup."""
    result: dict[str, Any] = {"delay_ms": args.delay_ms, "netns": NETNS}
    why = None
    if os.geteuid() != 0:
        why = "a network namespace needs root (ip netns add)"
    elif not shutil.which("ip") or not shutil.which("tc"):
        why = "ip/tc missing: apt-get update && apt-get install -y iproute2"
    if why:
        print(f"part scaling skipped: {why}")
        return {**result, "error": why}
    delayer: subprocess.Popen[str] | None = None
    stats_file = WORK / "delayer.json"
    inner: subprocess.Popen[str] | None = None
    created = False
    try:
        if NETNS in sh("ip", "netns", "list").stdout.split():
            must("ip", "netns", "del", NETNS)  # left by a run that was killed -9
        must("ip", "netns", "add", NETNS)
        created = True
        must(*in_netns("ip", "link", "set", "lo", "up"))
        delay = f"{args.delay_ms:g}ms"
        netem = None
        if args.latency != "nfqueue":
            netem = sh(
                *in_netns("tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", delay)
            )
        if netem is not None and netem.returncode == 0:
            result["latency"] = f"tc qdisc add dev lo root netem delay {delay}"
        else:
            if netem is not None:
                result["netem_error"] = (
                    f"`tc qdisc add dev lo root netem delay {delay}` exited with "
                    f"{netem.returncode}: {netem.stderr.strip()}"
                )
                print(f"netem: {result['netem_error']}")
            if args.latency == "netem":
                raise Failed(result["netem_error"])
            if not shutil.which("iptables"):
                raise Failed("netem is missing and so is iptables: apt-get install -y iptables")
            # Autocorking holds a small write back while the socket's previous packet is
            # still queued; netem releases a packet's socket memory when it queues it, the
            # NFQUEUE hook does not, so every request body would wait one extra 50 ms.
            must(*in_netns("sysctl", "-w", "net.ipv4.tcp_autocorking=0"))
            delayer = start_delayer(args.delay_ms, stats_file)
            must(*in_netns("iptables", "-A", "OUTPUT", "-o", "lo", "-j", "NFQUEUE",
                           "--queue-num", str(QUEUE)))  # fmt: skip
            result["latency"] = (
                f"iptables -A OUTPUT -o lo -j NFQUEUE --queue-num {QUEUE}; every packet "
                f"given back to the kernel {args.delay_ms:g} ms after it came (--delayer)"
            )
        print(f"latency: {result['latency']}")
        rtt = subprocess.run(in_netns(sys.executable, __file__, "--probe-rtt"),
                             capture_output=True, text=True, check=True, timeout=60)  # fmt: skip
        result["loopback_rtt_ms"] = json.loads(rtt.stdout)
        print(f"round trips on lo in {NETNS}: {result['loopback_rtt_ms']}")
        inside = WORK / "scaling.json"
        inside.unlink(missing_ok=True)
        command = in_netns(
            sys.executable, __file__, "--inside", str(inside), "--runs", str(args.runs),
            "--servers", args.servers, "--engines", args.engines,
            "--in-flight", str(args.in_flight), "--prompt", args.prompt,
            "--corpus", str(args.corpus), "--max-others", str(args.max_others),
            "--repeat-disturbed", str(args.repeat_disturbed),
            "--delayer-pid", str(delayer.pid if delayer else 0),
        )  # fmt: skip
        inner = subprocess.Popen(command, text=True)
        if inner.wait() != 0:
            raise Failed(f"the measurement inside {NETNS} exited with {inner.returncode}")
        result.update(json.loads(inside.read_text()))
    except Failed as exc:
        print(f"part scaling failed: {exc}")
        result["error"] = str(exc)
    finally:
        if inner is not None and inner.poll() is None:
            inner.terminate()
            inner.wait(timeout=30)
        if created:
            end_namespace_processes(keep=delayer.pid if delayer else None)
        if delayer is not None:
            delayer.send_signal(signal.SIGTERM)
            delayer.wait(timeout=10)
            with contextlib.suppress(OSError, ValueError):
                result["delayer"] = json.loads(stats_file.read_text())
        if created:
            removed = sh("ip", "netns", "del", NETNS)
            result["netns_removed"] = removed.returncode == 0
            if removed.returncode:
                print(f"ip netns del {NETNS}: {removed.stderr.strip()}")
    return result


def start_delayer(delay_ms: float, stats: Path) -> subprocess.Popen[str]:
    """The NFQUEUE delayer inside the namespace, bound to its queue before any rule sends it
    packets (a queue nobody listens to drops them)."""
    stats.unlink(missing_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        in_netns(sys.executable, __file__, "--delayer", str(delay_ms), "--delayer-stats",
                 str(stats)),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if line != "ready":
        process.wait(timeout=10)
        said = (process.stderr.read() if process.stderr else "").strip()
        raise Failed(f"the NFQUEUE delayer did not start: {line} {said}".strip())
    return process


def end_namespace_processes(keep: int | None) -> None:
    """Stop what still runs in our namespace (servers of a killed measurement), by pid."""
    pids = [int(p) for p in sh("ip", "netns", "pids", NETNS).stdout.split() if p.isdigit()]
    for pid in pids:
        if pid != keep:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
    time.sleep(1 if pids else 0)
    for pid in pids:
        if pid != keep:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


# --------------------------------------------------------------------------- the delayer


def delayer(delay_ms: float, stats_file: Path) -> None:
    """Hold every packet NFQUEUE gives us for `delay_ms`, then accept it (nfnetlink_queue).

    Packets come as metadata only (their ids); verdicts go out in the order the
    packets came, each `delay_ms` after its arrival.  Prints "ready" once bound.
    """
    netlink_netfilter, subsys_queue = 12, 3
    packet, verdict, config = 0, 1, 2
    request, ack = 1, 4

    def attr(kind: int, data: bytes) -> bytes:
        size = 4 + len(data)
        return struct.pack("=HH", size, kind) + data + b"\0" * (-size % 4)

    def message(kind: int, payload: bytes, flags: int = request) -> bytes:
        body = struct.pack("=BBH", socket.AF_UNSPEC, 0, socket.htons(QUEUE)) + payload
        return struct.pack("=IHHII", 16 + len(body), (subsys_queue << 8) | kind, flags, 0, 0) + body

    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, netlink_netfilter)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    sock.bind((0, 0))
    for kind, data in (
        (1, struct.pack("=BBH", 1, 0, 0)),  # NFQA_CFG_CMD: bind the queue
        (2, struct.pack(">IB", 0, 1)),  # NFQA_CFG_PARAMS: copy metadata only
        (3, struct.pack(">I", 100_000)),  # NFQA_CFG_QUEUE_MAXLEN
    ):
        sock.send(message(config, attr(kind, data), request | ack))
        answer = sock.recv(65536)
        if struct.unpack_from("=H", answer, 4)[0] == 2:  # NLMSG_ERROR
            code = struct.unpack_from("=i", answer, 16)[0]
            if code:
                raise OSError(-code, os.strerror(-code))
    delay = delay_ms / 1000
    pending: list[tuple[float, int]] = []
    counts = {"packets": 0, "late_ms_max": 0.0, "late_ms_sum": 0.0, "enobufs": 0}
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("ready", flush=True)
    while not stop.is_set():
        wait = max(0.0, pending[0][0] - time.monotonic()) if pending else 0.5
        try:
            readable, _, _ = select.select([sock], [], [], wait)
        except InterruptedError:
            continue
        if readable:
            try:
                data = sock.recv(1 << 20)
            except OSError:  # ENOBUFS: the kernel dropped messages (and their packets)
                counts["enobufs"] += 1
                data = b""
            arrived, offset = time.monotonic(), 0
            while offset + 16 <= len(data):
                length, kind = struct.unpack_from("=IH", data, offset)
                if kind == (subsys_queue << 8) | packet:
                    at = offset + 20
                    while at + 4 <= offset + length:
                        size, attr_kind = struct.unpack_from("=HH", data, at)
                        if attr_kind & 0x7FFF == 1:  # NFQA_PACKET_HDR: the packet id
                            heapq.heappush(
                                pending,
                                (arrived + delay, struct.unpack_from(">I", data, at + 4)[0]),
                            )
                        at += max(4, (size + 3) & ~3)
                offset += max(16, (length + 3) & ~3)
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            due, packet_id = heapq.heappop(pending)
            sock.send(message(verdict, attr(2, struct.pack(">II", 1, packet_id))))  # NF_ACCEPT
            late = (now - due) * 1000
            counts["packets"] += 1
            counts["late_ms_sum"] += late
            counts["late_ms_max"] = max(counts["late_ms_max"], late)
    counts["late_ms_mean"] = counts["late_ms_sum"] / counts["packets"] if counts["packets"] else 0.0
    stats_file.write_text(json.dumps(counts))


def probe_rtt() -> None:
    """Round trips on 127.0.0.1 here: a TCP connect, the median of 5 one-byte echoes, and of
    5 HTTP POSTs through httpx (headers and body in two writes, as the engines send them)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def echo() -> None:
        conn, _ = server.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while data := conn.recv(64):
            conn.sendall(data)

    threading.Thread(target=echo, daemon=True).start()
    started = time.perf_counter()
    client = socket.create_connection(server.getsockname())
    connect = (time.perf_counter() - started) * 1000
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    echoes = []
    for _ in range(5):
        started = time.perf_counter()
        client.sendall(b"x")
        client.recv(64)
        echoes.append((time.perf_counter() - started) * 1000)
    print(json.dumps({
        "connect": round(connect, 1),
        "echo_median": round(median(echoes), 1),
        "http_post_median": round(median(http_posts()), 1),
    }))  # fmt: skip


def http_posts() -> list[float]:
    import http.server

    import httpx

    class Answer(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # as waitress and uvicorn: the probe measures the network

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    times = []
    with httpx.Client() as client:
        for n in range(6):
            started = time.perf_counter()
            client.post(url, json={"q": ["A sentence to translate."] * 4})
            if n:  # the first one also connects
                times.append((time.perf_counter() - started) * 1000)
    server.shutdown()
    return times


# --------------------------------------------------------------------------- part 2: inside


def inside(args: argparse.Namespace) -> None:
    """In the namespace: start the servers, draft against the first k of them, k = 1, 2, 4."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` stops servers
    ks = [int(k) for k in args.servers.split(",")]
    result: dict[str, Any] = {
        "servers": ks, "in_flight": args.in_flight, "corpus_bytes": args.corpus, "engines": {}
    }  # fmt: skip
    for engine in args.engines.split(","):
        print(f"\n{engine}: k = {', '.join(map(str, ks))} servers, in_flight {args.in_flight}")
        try:
            result["engines"][engine] = measure_engine(engine, ks, args)
        except Unavailable as exc:
            print(f"{engine} skipped: {exc}")
            result["engines"][engine] = {"error": str(exc)}
    Path(args.inside).write_text(json.dumps(result, indent=1, ensure_ascii=False))


class Unavailable(Exception):
    """A server cannot be used here; the message is what went wrong, word for word."""


def start_servers(engine: str, count: int, work: Path) -> tuple[list[Any], dict[str, Any], str]:
    """`count` servers; (servers, their settings table, what they serve)."""
    if engine == "openai":
        from llama_server import MODEL_NAME, LlamaServer, unavailable, write_tiny_model

        reason = unavailable()
        if reason:
            raise Unavailable(reason)
        model = write_tiny_model(work / "tiny.gguf")
        servers = [LlamaServer(model, work / f"llama-{n}.log") for n in range(count)]
        try:
            for server in servers:
                server.start()
        except RuntimeError as exc:
            stop_all(servers)
            raise Unavailable(str(exc)) from exc
        table = {"model": MODEL_NAME}
        return (
            servers,
            table,
            "llama-cpp-python server, tests' tiny GGUF (2 layers, 64 wide), 1 thread",
        )
    from draft_speed import SMALL, model
    from libretranslate_server import LibreTranslateServer, NotStarted, install_package

    packages = work / "lt-packages"
    servers = [LibreTranslateServer(work / f"lt-{n}", packages) for n in range(count)]
    try:
        install_package(model(SMALL), packages)
        with environment(ARGOS_INTER_THREADS="1", ARGOS_INTRA_THREADS="1", ARGOS_BEAM_SIZE="4"):
            for server in servers:
                server.start()
    except NotStarted as exc:
        stop_all(servers)
        raise Unavailable(str(exc)) from exc
    return servers, {"batch": 1}, "LibreTranslate 1.9.6, tiny echo package (2+2 layers, d64)"


def stop_all(servers: Sequence[Any]) -> None:
    for server in servers:
        server.stop()


def measure_engine(engine: str, ks: list[int], args: argparse.Namespace) -> dict[str, Any]:
    work = WORK / f"scaling-{engine}"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    from tiny_models import engine_env

    os.environ.update(engine_env(work / "home"))
    servers, table, what = start_servers(engine, max(ks), work)
    try:
        if engine == "openai":
            langs = ["ps", "fa_AF", "ur"]  # three languages: three requests per segment
            if args.prompt == "short":
                (work / "short.jinja").write_text(SHORT_PROMPT, "utf-8")
                table.update(prompt=str(work / "short.jinja"), context=0)
        else:
            langs = ["ur"]  # the generated package is en→ur
        table.update(in_flight=args.in_flight, timeout=120)
        engines = dict.fromkeys(langs, engine)
        urls = [server.url for server in servers]
        settings = {engine: {**table, "urls": urls}}
        root = make_project(work / "project", engines, {}, settings, args.corpus)
        pids = [server.process.pid for server in servers]
        rows: dict[int, list[dict[str, Any]]] = {k: [] for k in ks}
        for run in range(args.runs + 1):  # run 0: a warm-up of every server
            for k in ks if run else [max(ks)]:
                write_settings(root, engines, {}, {engine: {**table, "urls": urls[:k]}})
                label = "warm-up" if not run else f"run {run}"
                for attempt in range(1 + args.repeat_disturbed):
                    row = measured(root, langs, pids, k, args.delayer_pid)
                    row["disturbed_before"] = attempt  # attempts measured again
                    print(
                        f"  {label}: k={k} {row['seconds']:6.2f} s {row['per_second']:6.2f} "
                        f"{row['unit']}/s, busiest server {max(row['server_load']):.0%} of a "
                        f"core, machine {row['machine_busy']:.0%} busy, others "
                        f"{row['others_cpu_share']:.0%} of a core"
                    )
                    if not run or row["others_cpu_share"] <= args.max_others:
                        break
                    if attempt < args.repeat_disturbed:
                        print(f"    (other processes used more than {args.max_others:.0%} of "
                              "a core: measured again)")  # fmt: skip
                if run:
                    rows[k].append(row)
    finally:
        stop_all(servers)
    return summarise(rows, ks, what, table, langs, args.max_others)


def measured(
    root: Path, langs: Sequence[str], pids: Sequence[int], k: int, delayer_pid: int
) -> dict[str, Any]:
    """One draft against the first k servers, with the CPU time of everything involved."""
    before = [cpu_seconds(pid) for pid in pids]
    delayer_before = cpu_seconds(delayer_pid) if delayer_pid else 0.0
    client_before = time.process_time()
    busy_before = machine_busy()
    seconds, report, engine_seconds = run_draft(root, langs)
    busy_after = machine_busy()
    client = time.process_time() - client_before
    server_cpu = [cpu_seconds(pid) - b for pid, b in zip(pids, before, strict=True)]
    delayer_cpu = (cpu_seconds(delayer_pid) - delayer_before) if delayer_pid else 0.0
    assert all(r.untranslated == 0 and r.engine for r in report.languages), report.languages
    done = sum(r.translated for r in report.languages)
    unit = "segments" if report.languages[0].engine.startswith("openai") else "sentences"
    cores = os.cpu_count() or 1
    return {
        "k": k,
        "seconds": seconds,
        unit: done,
        "unit": unit,
        "per_second": done / seconds,
        "engine_seconds": engine_seconds,  # from the first request to the last answer
        "engine_per_second": done / engine_seconds,
        "requests": sum(st.requests for st in report.servers),
        "requests_per_server": [st.requests for st in report.servers],
        "retries": sum(st.retries for st in report.servers),
        "server_cpu_seconds": server_cpu,
        "server_load": [cpu / seconds for cpu in server_cpu[:k]],  # share of one core
        "idle_servers_cpu_seconds": sum(server_cpu[k:]),
        "client_cpu_seconds": client,
        "delayer_cpu_seconds": delayer_cpu,
        "machine_busy": (busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1]),
        # CPU of processes not ours (another job on the machine), as a share of one core
        "others_cpu_share": max(
            0.0, busy_after[0] - busy_before[0] - sum(server_cpu) - client - delayer_cpu
        )
        / seconds,
        "cores": cores,
    }


def summarise(
    rows: dict[int, list[dict[str, Any]]],
    ks: list[int],
    what: str,
    table: dict,
    langs: list[str],
    max_others: float,
) -> dict[str, Any]:
    """Medians per k; scaling against the first k (per server), for the whole draft and for
    its engine phase (what the pool does, without opening the project and writing catalogs)."""
    rate = {k: median([r["per_second"] for r in rows[k]]) for k in ks}
    engine_rate = {k: median([r["engine_per_second"] for r in rows[k]]) for k in ks}
    base, engine_base = rate[ks[0]] / ks[0], engine_rate[ks[0]] / ks[0]
    summary = []
    for k in ks:
        loads = [load for r in rows[k] for load in r["server_load"]]
        summary.append({
            "k": k,
            "seconds": median([r["seconds"] for r in rows[k]]),
            "per_second": rate[k],
            "scaling": rate[k] / base,
            "target": 0.8 * k,
            "met": rate[k] / base >= 0.8 * k,
            "engine_seconds": median([r["engine_seconds"] for r in rows[k]]),
            "engine_per_second": engine_rate[k],
            "engine_scaling": engine_rate[k] / engine_base,
            "engine_met": engine_rate[k] / engine_base >= 0.8 * k,
            "server_load_max": max(loads),
            "server_load_mean": statistics.mean(loads),
            "client_cpu_share": median([r["client_cpu_seconds"] / r["seconds"] for r in rows[k]]),
            "delayer_cpu_share": median([r["delayer_cpu_seconds"] / r["seconds"] for r in rows[k]]),
            "machine_busy": median([r["machine_busy"] for r in rows[k]]),
            "others_cpu_share": max(r["others_cpu_share"] for r in rows[k]),
            "requests": rows[k][0]["requests"],
            "measured_again": sum(r["disturbed_before"] for r in rows[k]),
            "still_disturbed": sum(r["others_cpu_share"] > max_others for r in rows[k]),
        })  # fmt: skip
    unit = rows[ks[0]][0]["unit"]
    print(f"each draft: {rows[ks[0]][0][unit]} {unit} of {', '.join(langs)}, "
          f"{rows[ks[0]][0]['requests']} requests")  # fmt: skip
    print(f"\n{'':2} {'whole draft':^30} {'engine phase':^30} {'CPU, share of one core':^30}")
    print(f"{'k':>2} {'s':>6} {unit + '/s':>13} {'scaling':>9} {'s':>6} {unit + '/s':>13} "
          f"{'scaling':>9} {'server max':>11} {'client':>7} {'others':>7} "
          f"{'machine':>8}")  # fmt: skip
    for s in summary:
        print(
            f"{s['k']:>2} {s['seconds']:6.2f} {s['per_second']:13.2f} {s['scaling']:5.3f} "
            f"{'ok' if s['met'] else 'NO':>3} {s['engine_seconds']:6.2f} "
            f"{s['engine_per_second']:13.2f} {s['engine_scaling']:5.3f} "
            f"{'ok' if s['engine_met'] else 'NO':>3} {s['server_load_max']:11.0%} "
            f"{s['client_cpu_share']:7.0%} {s['others_cpu_share']:7.0%} {s['machine_busy']:8.0%}"
        )
    print(f"(scaling: throughput ÷ the {ks[0]}-server figure per server; goal ≥ 0.8 × k. "
          "others: processes not ours, at most; machine: share of all cores busy)")  # fmt: skip
    again = sum(s["measured_again"] for s in summary)
    still = sum(s["still_disturbed"] for s in summary)
    if again or still:
        print(f"{again} runs measured again because other processes used more than "
              f"{max_others:.0%} of a core; {still} kept although still disturbed")  # fmt: skip
    settings = {key: value for key, value in table.items() if key not in ("prompt",)}
    if "model" in table:  # openai
        settings["prompt"] = "short (bench)" if "prompt" in table else "packaged translate-v1"
    return {"server": what, "languages": langs, "settings": settings, "unit": unit,
            "summary": summary, "runs": rows}  # fmt: skip


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0], epilog="See bench/README.md (remote_speed.py)."
    )
    parser.add_argument("--part", choices=["http", "scaling", "all"], default="all")
    parser.add_argument(
        "--runs", type=int, default=2, help="timed runs per row (median); default 2"
    )
    parser.add_argument("--cores", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--small", action="store_true", help="part http with the tiny model")
    parser.add_argument("--batch", type=int, default=16,
                        help="part http: texts per LibreTranslate request (default 16, as l10n's "
                             "batch_size)")  # fmt: skip
    parser.add_argument("--lt-in-flight", type=int, default=4,
                        help="part http: requests in flight to the server (default 4)")  # fmt: skip
    parser.add_argument("--servers", default="1,2,4", help="part scaling: values of k")
    parser.add_argument(
        "--engines",
        default="openai,libretranslate",
        help="part scaling: openai (llama.cpp), libretranslate, or both",
    )
    parser.add_argument("--in-flight", type=int, default=2,
                        help="part scaling: requests in flight per server (default 2)")  # fmt: skip
    parser.add_argument("--prompt", choices=["short", "packaged"], default="short",
                        help="part scaling, openai: the bench's one-line prompt without "
                             "context (default) or the packaged translate-v1")  # fmt: skip
    parser.add_argument(
        "--corpus",
        type=int,
        default=0,
        metavar="BYTES",
        help="part scaling: also draft a generated document of about BYTES "
        "(bench/make_corpus.py), so that fixed costs weigh less; default 0: the brief alone",
    )
    parser.add_argument(
        "--max-others",
        type=float,
        default=0.25,
        help="part scaling: a run during which processes not ours used more than this share "
        "of a core is measured again (default 0.25)",
    )
    parser.add_argument(
        "--repeat-disturbed",
        type=int,
        default=2,
        help="part scaling: how many times at most (default 2)",
    )
    parser.add_argument("--delay-ms", type=float, default=50.0)
    parser.add_argument(
        "--latency",
        choices=["auto", "netem", "nfqueue"],
        default="auto",
        help="auto: netem, else NFQUEUE (saying why); netem: fail without it; nfqueue: "
        "NFQUEUE only",
    )
    # internal: the parts of part scaling that run inside the namespace
    parser.add_argument("--inside", help=argparse.SUPPRESS)
    parser.add_argument("--delayer-pid", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--delayer", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--delayer-stats", help=argparse.SUPPRESS)
    parser.add_argument("--probe-rtt", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.delayer is not None:
        return delayer(args.delayer, Path(args.delayer_stats))
    if args.probe_rtt:
        return probe_rtt()
    if args.inside:
        return inside(args)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the cleanup on kill
    WORK.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    result: dict[str, Any] = {
        **previous,
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    if args.part in ("http", "all"):
        print("== part http: the brief, LibreTranslate (1 server) vs local argos")
        result["http"] = part_http(args)
    if args.part in ("scaling", "all"):
        print(f"\n== part scaling: k servers behind {args.delay_ms:g} ms, namespace {NETNS}")
        key = f"scaling with a {args.corpus}-byte corpus" if args.corpus else "scaling"
        part = part_scaling(args)
        if "engines" in part:  # an engine measured alone replaces only its own figures
            part["engines"] = {**result.get(key, {}).get("engines", {}), **part["engines"]}
        result[key] = part
    OUT.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(f"\nresults: {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
