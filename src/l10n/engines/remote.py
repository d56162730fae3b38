"""Translation servers: several base URLs per engine, requests in flight, retries, resumable.

A remote engine (LibreTranslate, an OpenAI-compatible server) sends many small
requests, and it scales only if enough of them are in flight at once across
the servers behind it.  `ServerPool.run` keeps `in_flight` requests outstanding
per server: each server has that many workers pulling from one queue, so a
fast server takes more work than a slow one (least-loaded, with no bookkeeping).
429, 5xx and dropped connections are retried with exponential backoff, honouring
`Retry-After`; a server that keeps failing hands its request back to the
others.  Answers are yielded as they arrive, on the caller's thread, so the
caller can store each at once: an interrupted run loses nothing received.

API keys come only from the environment variable the settings name; they are
sent in a header and never appear in an error, a log or a cache key.
"""

from __future__ import annotations

import os
import queue
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Generic, TypeVar

import httpx

from .base import EngineUnavailable

T = TypeVar("T")
R = TypeVar("R")

#: Statuses worth another try: the server is busy or briefly broken.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
#: Consecutive failed attempts after which a server is left alone for `cooldown` seconds.
DOWN_AFTER = 3


class Retry(Exception):
    """A request failed in a way that another try may fix; `after` is the server's wish."""

    def __init__(self, why: str, after: float | None = None) -> None:
        super().__init__(why)
        self.why = why
        self.after = after


class BadAnswer(Exception):
    """The server answered, but not with what the engine asked for (no retry helps)."""


class ServerError(EngineUnavailable):
    """A server could not be used: which one, for which request, and what it said."""


def api_key(variable: str | None) -> str | None:
    """The key from the named environment variable; the error names the variable only."""
    if not variable:
        return None
    value = os.environ.get(variable, "").strip()
    if not value:
        raise EngineUnavailable(
            f"the API key variable {variable} is not set in the environment "
            "(l10n.toml names the variable; the key itself is never written to a file)"
        )
    return value


def check_status(response: httpx.Response) -> None:
    """Raise Retry for statuses worth retrying, BadAnswer for other failures."""
    if response.status_code in RETRY_STATUSES:
        raise Retry(f"HTTP {response.status_code}", retry_after(response))
    if response.status_code >= 400:
        raise BadAnswer(f"HTTP {response.status_code}: {excerpt(response.text)}")


def retry_after(response: httpx.Response) -> float | None:
    """Seconds the server asks to wait: `Retry-After` as seconds or an HTTP date."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def excerpt(text: str, lines: int = 3, width: int = 200) -> str:
    """The start of what a server said: a few short lines, enough to recognise it."""
    kept = [line[:width] for line in text.strip().splitlines()[:lines]]
    more = " …" if len(text.strip().splitlines()) > lines else ""
    return " | ".join(kept) + more if kept else "(empty)"


@dataclass
class ServerStats:
    """What one server did in a run (for the summary per server)."""

    url: str
    requests: int = 0  # answered
    retries: int = 0
    failures: int = 0  # attempts that failed, retried or not
    seconds: float = 0.0  # time spent waiting for its answers


@dataclass
class _Item(Generic[T]):
    index: int
    payload: T
    attempts: int = 0


#: Requests to send, by (priority, index): retried ones first; None stops a worker.
_Todo = queue.PriorityQueue[tuple[int, int, "_Item[T] | None"]]


@dataclass
class ServerPool:
    """The servers of one engine, and how hard to use them."""

    engine: str
    urls: Sequence[str]
    in_flight: int = 4
    timeout: float = 60.0
    retries: int = 4  # further attempts of one request, across servers
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    cooldown: float = 5.0  # seconds a failing server is left alone
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)  # may hold a key
    stats: dict[str, ServerStats] = field(init=False)

    def __post_init__(self) -> None:
        if not self.urls:
            raise EngineUnavailable(f"{self.engine}: no server URL configured")
        self.urls = [url.rstrip("/") for url in self.urls]
        self.stats = {url: ServerStats(url) for url in self.urls}

    def run(
        self,
        items: Sequence[T],
        send: Callable[[httpx.Client, str, T], R],
        describe: Callable[[T], str] = lambda _: "a request",
    ) -> Iterator[tuple[T, R]]:
        """Send every item through `send(client, base_url, item)`; yield (item, answer) as
        they arrive.  `send` raises Retry or BadAnswer (or httpx errors, retried).

        Raises ServerError when a request fails on every attempt, or a server answers
        nonsense; the answers yielded before stay the caller's.
        """
        if not items:
            return
        # Retried requests go first, most tried first: a dead server must not charge one
        # attempt (and a cooldown) to every request in turn before one has used its retries.
        todo: _Todo[T] = queue.PriorityQueue()
        for index, payload in enumerate(items):
            todo.put((0, index, _Item(index, payload)))
        done: queue.Queue[tuple[_Item[T], R | BaseException]] = queue.Queue()
        stop = threading.Event()
        limits = httpx.Limits(max_connections=len(self.urls) * self.in_flight)
        with httpx.Client(
            timeout=self.timeout, limits=limits, headers=dict(self.headers)
        ) as client:
            workers = [
                threading.Thread(
                    target=self._work, args=(client, url, send, todo, done, stop), daemon=True
                )
                for url in self.urls
                for _ in range(self.in_flight)
            ]
            for worker in workers:
                worker.start()
            try:
                for _ in range(len(items)):
                    item, answer = done.get()
                    if isinstance(answer, BaseException):
                        raise self._error(item, answer, describe) from answer
                    yield items[item.index], answer
            finally:
                stop.set()
                for number, _ in enumerate(workers):
                    todo.put((-(1 << 30), number, None))  # before any request
                for worker in workers:
                    worker.join(timeout=self.timeout + 1)

    def _work(
        self,
        client: httpx.Client,
        url: str,
        send: Callable[[httpx.Client, str, T], R],
        todo: _Todo[T],
        done: queue.Queue[tuple[_Item[T], R | BaseException]],
        stop: threading.Event,
    ) -> None:
        stats = self.stats[url]
        failing = 0
        while not stop.is_set():
            _, _, item = todo.get()
            if item is None or stop.is_set():
                return
            started = time.perf_counter()
            try:
                answer = send(client, url, item.payload)
            except (Retry, httpx.TransportError, httpx.DecodingError) as exc:
                stats.failures += 1
                failing += 1
                item.attempts += 1
                if item.attempts > self.retries:
                    done.put((item, ServerError(_why(exc), url)))
                    continue
                stats.retries += 1
                wait = exc.after if isinstance(exc, Retry) and exc.after is not None else None
                todo.put((-item.attempts, item.index, item))  # any server may take it
                pause = wait if wait is not None else self._backoff(item.attempts)
                if failing >= DOWN_AFTER:
                    pause = max(pause, self.cooldown)
                stop.wait(pause)
                continue
            except BadAnswer as exc:
                stats.failures += 1
                done.put((item, ServerError(str(exc), url)))
                continue
            except Exception as exc:  # a bug in `send` must not hang the run
                done.put((item, exc))
                continue
            failing = 0
            stats.requests += 1
            stats.seconds += time.perf_counter() - started
            done.put((item, answer))

    def _backoff(self, attempt: int) -> float:
        """Exponential, with jitter so that many workers do not return at once."""
        return self.backoff * (2 ** (attempt - 1)) * (0.5 + random.random())

    def _error(
        self, item: _Item[T], cause: BaseException, describe: Callable[[T], str]
    ) -> BaseException:
        if not isinstance(cause, ServerError):
            return cause
        server = cause.path or "?"
        tried = f" {item.attempts} times" if item.attempts > 1 else ""
        return ServerError(
            f"{self.engine} server {server} failed{tried} on {describe(item.payload)}: "
            f"{cause.message}",
        )


def _why(exc: BaseException) -> str:
    if isinstance(exc, Retry):
        return exc.why
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer in time ({type(exc).__name__})"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({exc})"
    return f"{type(exc).__name__}: {exc}"
