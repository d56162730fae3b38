"""Real LibreTranslate servers for the tests, started offline with a package our generator made.

LibreTranslate 1.9.6 pins rich<13, polib 1.1.1 and numpy 1.26.4 and brings its
own argostranslate fork (argos-translate-lt), so it lives in a virtualenv of
its own, `.ci/venvs/libretranslate`, which `.ci/run` creates.  Each server here
runs from that venv on 127.0.0.1 with nothing that reaches the network:

- its Argos packages folder holds only the .argosmodel the tests generate,
  installed by the fork's own `package.install_from_path`;
- sentences are split by the blank spaCy pipeline inside that package
  (`ARGOS_CHUNK_TYPE=SPACY`, spaCy installed in the venv).  The fork's default,
  MiniSBD, downloads `en.onnx` on the first translation: every `/translate`
  then answers HTTP 500 (`URLError: Name or service not known`);
- with fewer than two packages installed LibreTranslate updates its package
  index at start; `ARGOS_PACKAGE_INDEX` points at a local empty index, and
  `--load-only en,ur` then stops it before it would download MiniSBD models
  ("Cannot update models (normal if you're offline): Unavailable language
  codes: en,ur.").  Against an unreachable index URL the fork instead recurses
  until a RecursionError, and starts all the same;
- `--metrics` counts the requests each server answered (`/metrics`), so a test
  can see what reached a server.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).parent.parent
VENV = REPO / ".ci" / "venvs" / "libretranslate"
EXECUTABLE = VENV / "bin" / "libretranslate"
#: What `.ci/run` installs (README: LibreTranslate); spaCy splits sentences offline.
INSTALL = (
    "python -m venv .ci/venvs/libretranslate && .ci/venvs/libretranslate/bin/pip install "
    "libretranslate==1.9.6 spacy==3.8.18 'rich<13'"
)
#: Seconds a server may take to answer `/languages` after it was started (about 3 here).
START_TIMEOUT = 60.0


class NotStarted(Exception):
    """The server could not be started; the message is what it said."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def require_venv() -> None:
    if not EXECUTABLE.is_file():
        raise NotStarted(f"{EXECUTABLE} is missing; create it: {INSTALL}")


def install_package(package: Path, packages: Path) -> None:
    """Install a .argosmodel the way LibreTranslate's argostranslate fork does it (and
    find spaCy there: without it every translation would fail with HTTP 500)."""
    require_venv()
    packages.mkdir(parents=True, exist_ok=True)
    script = "import sys, spacy, argostranslate.package as p; p.install_from_path(sys.argv[1])"
    env = {**os.environ, **offline_env(packages.parent, packages)}
    done = subprocess.run(
        [str(VENV / "bin" / "python"), "-c", script, str(package)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise NotStarted(f"installing {package.name} failed: {done.stderr.strip()[-2000:]}")


def offline_env(home: Path, packages: Path) -> dict[str, str]:
    """Everything LibreTranslate and its argostranslate read, kept inside `home`."""
    index = home / "empty-index"
    index.mkdir(parents=True, exist_ok=True)
    (index / "index.json").write_text("[]\n")
    spacy_cache = home / "cache" / "argos-translate" / "spacy" / "senter" / "model"
    spacy_cache.mkdir(parents=True, exist_ok=True)  # no xx_sent_ud_sm download
    return {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "ARGOS_PACKAGES_DIR": str(packages),
        "ARGOS_PACKAGE_INDEX": index.as_uri() + "/",
        "ARGOS_CHUNK_TYPE": "SPACY",
        "ARGOS_DEVICE_TYPE": "cpu",
        "PYTHONWARNINGS": "ignore",
    }


@dataclass
class LibreTranslateServer:
    """One LibreTranslate process on 127.0.0.1; `kill` and `start` again on the same port."""

    home: Path
    packages: Path
    flags: tuple[str, ...] = ()
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    started_in: float = 0.0  # seconds from start to the first answer of /languages

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.home / "server.log"

    def command(self) -> list[str]:
        return [
            str(EXECUTABLE), "--host", "127.0.0.1", "--port", str(self.port),
            "--load-only", "en,ur", "--disable-web-ui", "--disable-files-translation",
            "--metrics", *self.flags,
        ]  # fmt: skip

    def start(self) -> LibreTranslateServer:
        """Start the process and wait until it answers `/languages`; NotStarted says why not."""
        require_venv()
        self.home.mkdir(parents=True, exist_ok=True)
        metrics = self.home / f"metrics-{time.monotonic_ns()}"  # counts start at 0 each start
        metrics.mkdir()
        env = {**os.environ, **offline_env(self.home, self.packages)}
        env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics)
        began = time.perf_counter()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(), cwd=self.home, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        while time.perf_counter() - began < START_TIMEOUT:
            if self.process.poll() is not None:
                raise NotStarted(
                    f"libretranslate exited with {self.process.returncode}: {self.said()}"
                )
            try:
                if httpx.get(f"{self.url}/languages", timeout=2).status_code == 200:
                    self.started_in = time.perf_counter() - began
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise NotStarted(f"libretranslate did not answer in {START_TIMEOUT:g} s: {self.said()}")

    def said(self, lines: int = 15) -> str:
        """The end of the server's log, without argostranslate's INFO chatter."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        kept = [line for line in text.splitlines() if not line.startswith("INFO:")]
        return "\n".join(kept[-lines:])

    def kill(self) -> None:
        """As a crash would: SIGKILL, no goodbye to clients in flight."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def add_api_key(self, key: str) -> None:
        """Give the server's key database (`--api-keys-db-path`) a key, as its operator would."""
        database = next(f for f in self.flags if f.endswith(".db"))
        done = subprocess.run(
            [str(VENV / "bin" / "ltmanage"), "keys", "--api-keys-db-path", database,
             "add", "1000", "--key", key],
            cwd=self.home, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise NotStarted(f"ltmanage keys add failed: {done.stdout}{done.stderr}")

    def translated_requests(self) -> int:
        """`/translate` requests this process answered with 200 since it started."""
        text = httpx.get(f"{self.url}/metrics", timeout=5).text
        pattern = (
            r'libretranslate_http_request_duration_seconds_count\{[^}]*endpoint="/translate"'
            r'[^}]*status="200"[^}]*\} (\d+(?:\.\d+)?)'
        )
        return sum(int(float(n)) for n in re.findall(pattern, text))


@contextmanager
def running(*servers: LibreTranslateServer) -> Iterator[list[LibreTranslateServer]]:
    """Started servers, stopped afterwards, also when a start fails."""
    try:
        yield [server.start() for server in servers]
    finally:
        for server in servers:
            server.stop()
