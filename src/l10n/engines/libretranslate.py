"""LibreTranslate servers drafting sentences: a self-hosted fleet instead of a local model.

LibreTranslate runs Argos packages behind an HTTP API, so a team can share
one server, or a fleet behind a load balancer, instead of installing models
on every laptop.  The draft stage treats it like the local `argos` engine:
sentences with markup and terms already replaced by placeholders (`<x1>`),
which LibreTranslate's own processing leaves intact with `format: "text"`.

Each server is asked `GET /languages` once per run, so a server that is down
is left out before any text is sent, and a language no server offers is
reported with how to configure one.  LibreTranslate does not say which
package version it runs; the cache key therefore holds a hash of the servers'
`/languages` answers, so a server that gains or loses languages never reuses
drafts cached from the old one.

Texts go in `POST /translate` requests of `batch` texts each, through
`ServerPool` (several servers, requests in flight, retries); each answer is
handed to the draft stage as it arrives.  The API key, if any, is read from
the environment variable the settings name, sent in the request body, and
kept out of every error.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from ..settings import ServerSettings
from .argos import ARGOS_CODES
from .base import (
    DEFAULT_OPTIONS,
    SOURCE_LANGUAGE,
    Arrived,
    EngineOptions,
    EngineUnavailable,
    ModelInfo,
)
from .remote import (
    RETRY_STATUSES,
    BadAnswer,
    Retry,
    ServerPool,
    ServerStats,
    api_key,
    excerpt,
    retry_after,
)

NAME = "libretranslate"
#: Seconds to wait for `GET /languages` when a run starts: a survey, never a reason to stall.
LANGUAGES_TIMEOUT = 10.0
#: Statuses LibreTranslate answers for a missing, wrong or banned API key.
REFUSED_KEY = frozenset({401, 403})
#: Where the README tells how to run and configure a server.
CONFIGURE = (
    f'configure a server in l10n.toml: [engines.{NAME}] urls = ["http://127.0.0.1:5000"] '
    "(README: LibreTranslate)"
)


def engine_code(code: str) -> str:
    """Project code → LibreTranslate code: LibreTranslate serves Argos packages (fa_AF → fa)."""
    return ARGOS_CODES.get(code, code)


# --------------------------------------------------------------------------- /languages


@dataclass(frozen=True)
class Offer:
    """What one server said to `GET /languages`: its pairs, and the answer to fingerprint."""

    pairs: frozenset[tuple[str, str]]
    answer: str  # canonical JSON of the answer


def read_offer(data: Any) -> Offer:
    """`[{"code": "en", "targets": ["ur"]}, …]` → its pairs; ValueError if it is not that."""
    if not isinstance(data, list):
        raise ValueError("not a list of languages")
    pairs: set[tuple[str, str]] = set()
    for item in data:
        if not isinstance(item, dict) or not isinstance(item.get("code"), str):
            raise ValueError("a language without a code")
        targets = item.get("targets", [])
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            raise ValueError(f"language {item['code']!r}: targets is not a list of codes")
        pairs.update((item["code"], target) for target in targets if target != item["code"])
    return Offer(frozenset(pairs), json.dumps(data, sort_keys=True, ensure_ascii=False))


def ask_languages(url: str, timeout: float) -> Offer | str:
    """A server's offer, or why it could not be read (said to the user as it is)."""
    try:
        response = httpx.get(f"{url}/languages", timeout=timeout)
    except httpx.TimeoutException:
        return f"no answer in {timeout:g} s"
    except httpx.HTTPError as exc:
        return f"cannot connect ({exc})"
    if response.status_code != 200:
        return f"HTTP {response.status_code}: {excerpt(response.text)}"
    try:
        return read_offer(response.json())
    except ValueError as exc:
        return f"not LibreTranslate's /languages ({exc}): {excerpt(response.text)}"


@dataclass(frozen=True)
class Survey:
    """Every configured server's offer, or why it gave none."""

    offers: dict[str, Offer]
    failures: dict[str, str]

    @classmethod
    def of(cls, urls: Sequence[str], timeout: float) -> Survey:
        """All servers at once: a fleet's dead servers cost one timeout, not one each."""
        if not urls:
            return cls({}, {})
        with ThreadPoolExecutor(max_workers=min(len(urls), 16)) as workers:
            answers = list(workers.map(lambda url: ask_languages(url, timeout), urls))
        offers = {u: a for u, a in zip(urls, answers, strict=True) if isinstance(a, Offer)}
        failures = {u: a for u, a in zip(urls, answers, strict=True) if isinstance(a, str)}
        return cls(offers, failures)

    def servers_for(self, pair: tuple[str, str]) -> tuple[str, ...]:
        return tuple(url for url, offer in self.offers.items() if pair in offer.pairs)

    def fingerprint(self, servers: Sequence[str]) -> str:
        """Eight hex digits of the servers' distinct answers: the same for a fleet whichever
        of its identical servers happen to be up, changed when their languages change."""
        answers = sorted({self.offers[url].answer for url in servers})
        return hashlib.sha256("\0".join(answers).encode()).hexdigest()[:8]


# --------------------------------------------------------------------------- translating


@dataclass(frozen=True)
class Batch:
    """One `/translate` request: texts and where they are in the engine call."""

    indexes: tuple[int, ...]
    texts: tuple[str, ...]
    of: int  # texts in the engine call
    pair: tuple[str, str]


def describe(batch: Batch) -> str:
    first = batch.texts[0] if len(batch.texts[0]) <= 60 else batch.texts[0][:57] + "…"
    span = f"{batch.indexes[0] + 1}-{batch.indexes[-1] + 1}" if len(batch.indexes) > 1 else ""
    where = span or str(batch.indexes[0] + 1)
    return f"texts {where} of {batch.of} ({'→'.join(batch.pair)}, starting {first!r})"


class LibreTranslateEngine:
    """LibreTranslate's `/translate`, in batches of texts, over the configured servers."""

    name = NAME

    def __init__(self, options: EngineOptions = DEFAULT_OPTIONS) -> None:
        # Every run opens every engine: nothing here may fail or reach a server.
        self.settings: ServerSettings = options.server(NAME)
        self.urls = tuple(url.rstrip("/") for url in self.settings.urls)
        self._survey: Survey | None = None
        self._pools: dict[tuple[str, ...], ServerPool] = {}

    @property
    def survey(self) -> Survey:
        """The servers' `/languages`, asked once per run (once per engine instance)."""
        if self._survey is None:
            timeout = min(LANGUAGES_TIMEOUT, float(self.settings.timeout))
            self._survey = Survey.of(self.urls, timeout)
        return self._survey

    def pair(self, src: str, tgt: str) -> tuple[str, str]:
        return engine_code(src), engine_code(tgt)

    # ------------------------------------------------------------------ Engine

    def model_for(self, src: str, tgt: str) -> ModelInfo | None:
        """The servers' pair, named by a hash of what they offer; None if no server has it."""
        if not self.urls:
            return None
        pair = self.pair(src, tgt)
        servers = self.survey.servers_for(pair)
        if not servers:
            return None
        digest = self.survey.fingerprint(servers)
        return ModelInfo(NAME, "-".join(pair), digest, Path(servers[0]), (pair,), digest)

    def install_hint(self, tgt: str) -> str:
        """Which server failed, or which lacks the language, and where to configure one."""
        if not self.urls:
            return CONFIGURE
        survey, pair = self.survey, self.pair(SOURCE_LANGUAGE, tgt)
        failed = "; ".join(f"{url}: {why}" for url, why in survey.failures.items())
        if not survey.offers:
            return (
                f"no LibreTranslate server answered ({failed}); start one, or fix "
                f"[engines.{NAME}] urls in l10n.toml (README: LibreTranslate)"
            )
        offered = sorted({t for url in survey.offers for s, t in survey.offers[url].pairs
                          if s == pair[0]})  # fmt: skip
        also = f" ({failed})" if failed else ""
        return (
            f"no LibreTranslate server offers {pair[0]}→{pair[1]}: "
            f"{', '.join(survey.offers)} offer {pair[0]}→{', '.join(offered) or 'nothing'}{also}; "
            f"start one with an {pair[0]}→{pair[1]} Argos package and "
            f"--load-only {pair[0]},{pair[1]}"
        )

    def installed(self) -> list[ModelInfo]:
        """Every pair from the source language the reachable servers offer."""
        pairs = sorted({p for offer in self.survey.offers.values() for p in offer.pairs})
        found = (self.model_for(s, t) for s, t in pairs if s == engine_code(SOURCE_LANGUAGE))
        return [info for info in found if info is not None]

    def translate(
        self, sentences: Sequence[str], src: str, tgt: str, arrived: Arrived | None = None
    ) -> list[str]:
        """One translation per sentence; `arrived` hears of each request's texts as they come.

        Empty texts are not sent (their translation is empty, as with the local
        engines).  A request that fails on every server raises ServerError, naming
        the server, the request and what it said; the answers heard before are
        the caller's.
        """
        pair = self.pair(src, tgt)
        servers = self.survey.servers_for(pair) if self.urls else ()
        if not servers:
            raise EngineUnavailable(f"{NAME}: {self.install_hint(tgt)}")
        key = api_key(self.settings.api_key_env)
        results = [""] * len(sentences)
        blank = [i for i, text in enumerate(sentences) if not text.strip()]
        if blank and arrived is not None:
            arrived(blank, [""] * len(blank))
        wanted = [i for i, text in enumerate(sentences) if text.strip()]
        size = self.settings.batch
        batches = [
            Batch(tuple(part), tuple(sentences[i] for i in part), len(sentences), pair)
            for part in (wanted[start : start + size] for start in range(0, len(wanted), size))
        ]

        def send(client: httpx.Client, url: str, batch: Batch) -> list[str]:
            body: dict[str, Any] = {
                "q": list(batch.texts),
                "source": pair[0],
                "target": pair[1],
                "format": "text",
            }
            if key:
                body["api_key"] = key
            response = client.post(f"{url}/translate", json=body)
            return self._answer(response, batch, key)

        for batch, translations in self.pool(servers).run(batches, send, describe):
            for index, text in zip(batch.indexes, translations, strict=True):
                results[index] = text
            if arrived is not None:
                arrived(batch.indexes, translations)
        return results

    def pool(self, servers: tuple[str, ...]) -> ServerPool:
        """The pool of these servers, one for the whole run (its stats count the whole run)."""
        if servers not in self._pools:
            s = self.settings
            self._pools[servers] = ServerPool(
                NAME, servers, in_flight=s.in_flight, timeout=float(s.timeout), retries=s.retries
            )
        return self._pools[servers]

    def server_stats(self) -> list[ServerStats]:
        """What each server did in this run, for the draft report's summary; a server that
        did not answer `/languages` is there too, with that one failure."""
        merged: dict[str, ServerStats] = {}
        if self._survey is not None:
            for url in self._survey.failures:
                merged[url] = ServerStats(url, failures=1)
        for pool in self._pools.values():
            for url, stats in pool.stats.items():
                total = merged.setdefault(url, ServerStats(url))
                total.requests += stats.requests
                total.retries += stats.retries
                total.failures += stats.failures
                total.seconds += stats.seconds
        return list(merged.values())

    # ------------------------------------------------------------------ HTTP

    def _answer(self, response: httpx.Response, batch: Batch, key: str | None) -> list[str]:
        """The translations of a `/translate` answer; Retry or BadAnswer saying what came."""

        def redacted(text: str) -> str:
            return text.replace(key, "[API key]") if key else text

        said = redacted(excerpt(response.text))
        status = response.status_code
        if status in REFUSED_KEY:
            variable = self.settings.api_key_env
            whose = (
                f"the API key in ${variable}"
                if variable
                else f"a request without an API key (set api_key_env in [engines.{NAME}])"
            )
            raise BadAnswer(f"HTTP {status}: the server refused {whose}: {said}")
        if status in RETRY_STATUSES:
            raise Retry(f"HTTP {status}: {said}", retry_after(response))
        if status >= 400:
            raise BadAnswer(f"HTTP {status}: {said}")
        try:
            translated = response.json()["translatedText"]
        except (ValueError, KeyError, TypeError):
            raise BadAnswer(f"not a LibreTranslate answer: {said}") from None
        if (
            not isinstance(translated, list)
            or len(translated) != len(batch.texts)
            or not all(isinstance(text, str) for text in translated)
        ):
            raise BadAnswer(
                f"asked for {len(batch.texts)} translations, translatedText holds "
                f"{_shape(translated)}: {said}"
            )
        pairs = zip(batch.texts, translated, strict=True)
        return [unappend_mark(source, text) for source, text in pairs]


#: Arabic-script marks, by the Latin mark LibreTranslate appends after them.
NATIVE_MARKS: dict[str, str] = {".": "۔", "?": "؟", ",": "،", ";": "؛"}


def unappend_mark(source: str, translation: str) -> str:
    """Undo LibreTranslate's end-punctuation "fix" where it doubles a mark.

    When the source ends in `. ? , ;` and the translation does not end in that
    same character, LibreTranslate appends it (`improve_translation_formatting`),
    knowing only Latin and CJK marks: Urdu "…ہیں؟" becomes "…ہیں؟?"
    (LibreTranslate issue #776).  The appended mark is dropped again.
    """
    mark = source.rstrip()[-1:]
    native = NATIVE_MARKS.get(mark)
    if native and translation.endswith(native + mark):
        return translation[: -len(mark)]
    return translation


def _shape(value: object) -> str:
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return f"a {type(value).__name__}"
