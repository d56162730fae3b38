"""Drafting on several servers: the work is shared, busy and broken servers are retried or
left, and what a server says goes to the user without the API key."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from l10n.engines.remote import BadAnswer, ServerError, ServerPool, api_key, check_status


class Server:
    """A real HTTP server on 127.0.0.1 that upper-cases texts, after a scripted bad start."""

    def __init__(self, failures: list[tuple[int, dict[str, str]]] | None = None) -> None:
        self.failures = list(failures or [])  # (status, headers) answered before working
        self.seen: list[str] = []
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with owner.lock:
                    owner.seen.append(self.headers.get("Authorization", ""))
                    failure = owner.failures.pop(0) if owner.failures else None
                if failure:
                    status, headers = failure
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(b"busy, try later")
                    return
                answer = json.dumps({"text": body["text"].upper()}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> Server:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def upper(client: httpx.Client, url: str, text: str) -> str:
    response = client.post(f"{url}/upper", json={"text": text})
    check_status(response)
    return str(response.json()["text"])


@contextmanager
def servers(*failures: list[tuple[int, dict[str, str]]]) -> Iterator[list[Server]]:
    started = [Server(f) for f in failures]
    for server in started:
        server.__enter__()
    try:
        yield started
    finally:
        for server in started:
            server.__exit__()


TEXTS = [f"sentence {n}" for n in range(40)]


def test_two_servers_share_the_work_and_every_answer_comes_back_once():
    with servers([], []) as (a, b):
        pool = ServerPool("test", [a.url, b.url], in_flight=3, timeout=5)
        answers = dict(pool.run(TEXTS, upper))
    assert answers == {t: t.upper() for t in TEXTS}
    assert len(a.seen) + len(b.seen) == len(TEXTS)
    assert a.seen and b.seen  # both took part
    assert {s.url for s in pool.stats.values() if s.requests} == {a.url, b.url}


def test_a_busy_server_is_asked_again_when_it_says_so():
    with servers([(429, {"Retry-After": "1"}), (503, {})]) as (a,):
        pool = ServerPool("test", [a.url], in_flight=1, timeout=5, backoff=0.01)
        answers = dict(pool.run(["one", "two"], upper))
    assert answers == {"one": "ONE", "two": "TWO"}
    assert pool.stats[a.url].retries == 2


def test_an_unreachable_server_among_two_is_left_to_the_other(unused_port):
    with servers([]) as (a,):
        dead = f"http://127.0.0.1:{unused_port}"
        pool = ServerPool("test", [dead, a.url], in_flight=2, timeout=2, backoff=0.01)
        answers = dict(pool.run(TEXTS[:10], upper))
    assert answers == {t: t.upper() for t in TEXTS[:10]}
    assert pool.stats[dead].requests == 0 and pool.stats[dead].failures > 0


def test_a_server_that_keeps_failing_is_named_with_what_it_said(unused_port):
    with servers([(503, {})] * 10) as (a,):
        pool = ServerPool("test", [a.url], in_flight=1, timeout=2, retries=2, backoff=0.01)
        with pytest.raises(ServerError) as failure:
            list(pool.run(["one"], upper, describe=lambda text: f"the text {text!r}"))
    message = str(failure.value)
    assert a.url in message and "HTTP 503" in message and "the text 'one'" in message
    assert "failed 3 times" in message  # the first try and two retries


def test_an_answer_that_is_not_what_was_asked_is_not_retried():
    def strict(client: httpx.Client, url: str, text: str) -> str:
        raise BadAnswer("the answer has 2 texts for 1 asked")

    with servers([]) as (a,):
        pool = ServerPool("test", [a.url], in_flight=1, timeout=2)
        with pytest.raises(ServerError, match="2 texts for 1 asked"):
            list(pool.run(["one"], strict))
    assert pool.stats[a.url].retries == 0


def test_the_api_key_comes_from_the_environment_and_never_shows_in_an_error(monkeypatch):
    monkeypatch.setenv("L10N_TEST_KEY", "sk-secret-123")
    key = api_key("L10N_TEST_KEY")
    with servers([(500, {})] * 10) as (a,):
        pool = ServerPool(
            "test", [a.url], retries=1, timeout=2, backoff=0.01,
            headers={"Authorization": f"Bearer {key}"},
        )  # fmt: skip
        with pytest.raises(ServerError) as failure:
            list(pool.run(["one"], upper))
    assert a.seen[0] == "Bearer sk-secret-123"  # sent to the server
    assert "sk-secret" not in str(failure.value)
    monkeypatch.delenv("L10N_TEST_KEY")
    with pytest.raises(Exception, match="L10N_TEST_KEY is not set") as missing:
        api_key("L10N_TEST_KEY")
    assert "sk-secret" not in str(missing.value)


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
