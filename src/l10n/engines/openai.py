"""OpenAI-compatible chat servers (vLLM, llama.cpp, TGI, Ollama, hosted APIs) drafting segments.

A large language model can follow a glossary and read the document around a
segment, which a sentence-level engine cannot, so this engine sends each
segment whole, in the words of a prompt template (`prompts/translate-v1.jinja`):
the target variety, the register, the glossary entries of the segment, its
neighbours.  The template is a file users read and may replace; its version
names the model in every draft's provenance, and a hash of its text is in every
cache key, so an edited prompt never reuses the old prompt's answers.

Each answer goes through the draft stage's checks.  One that fails is asked
again once, in the same conversation, with the problems named; the second
answer is kept either way, with whatever problems it still has.  The API key
is read from the environment variable the settings name, sent as a Bearer
header, and kept out of every error.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import jinja2

from ..languages import language
from ..protect import EXACT_PLACEHOLDER
from .base import (
    DEFAULT_OPTIONS,
    SOURCE_LANGUAGE,
    Arrived,
    EngineOptions,
    EngineUnavailable,
    ModelInfo,
    SegmentArrived,
    SegmentRequest,
    Validator,
)
from .remote import BadAnswer, ServerPool, ServerStats, api_key, check_status, excerpt

#: The packaged prompt; its file name (without .jinja) is its version.
DEFAULT_PROMPT = "translate-v1.jinja"
#: The macros a prompt template must define: the messages of a conversation.
PROMPT_MACROS = ("system", "user", "retry")
#: Sent with every request: a server that honours it answers a request the same way twice.
SEED = 20261201
#: Seconds to wait for `GET /models` when a run starts: a check, never a reason to stall.
MODELS_TIMEOUT = 5.0
#: Statuses that mean the key was refused, not that the request was wrong.
REFUSED_KEY = frozenset({401, 403})

Message = dict[str, str]


def max_tokens(text: str) -> int:
    """Room for a translation of `text` in any script; a stop for a model that loops."""
    return 200 + 2 * len(text)


def api_base(url: str) -> str:
    """The URL requests are made under: "http://host:8000" and ".../v1" both mean ".../v1".

    A URL whose path already names a version ("/v1", "/v1beta/openai", as some
    hosted APIs publish theirs) is used as it is.
    """
    url = url.rstrip("/")
    if re.search(r"/v\d+[a-z0-9]*(/|$)", urlsplit(url).path):
        return url
    return f"{url}/v1"


@dataclass(frozen=True)
class Prompt:
    """A prompt template: its macros write the messages of one segment's conversation."""

    version: str  # "translate-v1"; a user's template: its file name and hash
    text: str
    origin: str  # the file it was read from, for error messages
    template: jinja2.Template = field(repr=False, compare=False)

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()[:8]

    @classmethod
    def read(cls, path: Path | None = None) -> Prompt:
        """The user's template at `path`, or the packaged one; errors name the file and line."""
        if path is None:
            packaged = resources.files(__package__).joinpath("prompts", DEFAULT_PROMPT)
            text, origin = packaged.read_text(encoding="utf-8"), f"l10n's {DEFAULT_PROMPT}"
            version = DEFAULT_PROMPT.removesuffix(".jinja")
        else:
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise EngineUnavailable(
                    f"[engines.openai] prompt: cannot read {path} ({exc.strerror})"
                ) from exc
            origin = str(path)
            version = f"{path.name.removesuffix('.jinja')}-{_digest(text)}"
        environment = jinja2.Environment(
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            autoescape=False,
        )
        try:
            template = environment.from_string(text)
            defined = {m.name for m in environment.parse(text).find_all(jinja2.nodes.Macro)}
        except jinja2.TemplateError as exc:
            line = getattr(exc, "lineno", None)
            raise EngineUnavailable(f"prompt template: {exc}", origin, line) from exc
        missing = [name for name in PROMPT_MACROS if name not in defined]
        if missing:
            raise EngineUnavailable(
                f"the prompt template defines no macro {', '.join(missing)} "
                f"(it needs {', '.join(PROMPT_MACROS)}; see {DEFAULT_PROMPT})",
                origin,
            )
        return cls(version, text, origin, template)

    def messages(self, request: SegmentRequest, context: int) -> list[Message]:
        """The first messages for a segment, with `context` neighbours either side."""
        macros = self._macros(request, context)
        return _conversation(("system", macros.system()), ("user", macros.user()))

    def retry(
        self,
        request: SegmentRequest,
        context: int,
        messages: Sequence[Message],
        answer: str,
        problems: Sequence[str],
    ) -> list[Message]:
        """The conversation continued: the answer, then what was wrong with it."""
        macros = self._macros(request, context)
        return [*messages, *_conversation(("assistant", answer), ("user", macros.retry(problems)))]

    def _macros(self, request: SegmentRequest, context: int) -> Any:
        target = language(request.lang)
        values = {
            "language": target,
            "source_language": language(SOURCE_LANGUAGE).english_name,
            "text": request.text,
            "placeholders": EXACT_PLACEHOLDER.findall(request.text),
            "renderings": [t for t in request.terms if t.target is not None],
            "keep": [t for t in request.terms if t.target is None],
            "before": list(request.before[-context:]) if context else [],
            "after": list(request.after[:context]),
        }
        try:
            return self.template.make_module(values)
        except jinja2.TemplateError as exc:
            raise EngineUnavailable(
                f"prompt template: {exc}", self.origin, getattr(exc, "lineno", None)
            ) from exc


def _conversation(*messages: tuple[str, str]) -> list[Message]:
    """Messages with text; a macro that renders nothing sends nothing."""
    return [{"role": role, "content": str(text).strip()} for role, text in messages if text.strip()]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


_FENCE = re.compile(r"\A(`{3,}|~{3,})[^\n`]*\n(?P<body>.*?)\n?\1\Z", re.DOTALL)
_THINKING = re.compile(r"\A\s*<think>.*?</think>", re.DOTALL)
_QUOTES = (('"', '"'), ("“", "”"), ("«", "»"), ("„", "“"), ("'", "'"))


def clean_answer(answer: str, source: str) -> str:
    """The translation in a model's answer: without a reasoning block, a code fence or
    quotation marks around it, unless the source itself is fenced or quoted."""
    text = _THINKING.sub("", answer).strip()
    fenced = _FENCE.match(text)
    if fenced and not _FENCE.match(source.strip()):
        text = fenced.group("body").strip()
    for opening, closing in _QUOTES:
        if (
            len(text) > 1
            and text.startswith(opening)
            and text.endswith(closing)
            and opening not in text[1:-1]
            and closing not in text[1:-1]
            and not source.lstrip().startswith(opening)
        ):
            return text[1:-1].strip()
    return text


class _Headers(dict[str, str]):
    """Request headers whose printed form hides the key (a pool may be printed)."""

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{name!r}: '…'" for name in self) + "}"


@dataclass
class _Exchange:
    """One segment's conversation; the first answer is kept across the pool's retries,
    so a request that failed over to another server is never answered twice."""

    index: int
    request: SegmentRequest
    messages: list[Message]
    first: str | None = None
    first_problems: list[str] = field(default_factory=list)


class OpenAIEngine:
    """Any server that speaks OpenAI's `/v1/chat/completions`, one request per segment."""

    name = "openai"
    unit = "segment"

    def __init__(self, options: EngineOptions = DEFAULT_OPTIONS) -> None:
        # Every run opens every engine: nothing here may fail or reach a server.
        self.settings = options.server("openai")
        self.urls = tuple(api_base(url) for url in self.settings.urls)
        self._served: set[str] = set()  # models confirmed, or that no server could list
        self._seedless: set[str] = set()  # servers that refused the seed field

    @cached_property
    def prompt(self) -> Prompt:
        return Prompt.read(self.settings.prompt)

    @property
    def prompt_version(self) -> str:
        return self.prompt.version

    @cached_property
    def _key(self) -> str | None:
        return api_key(self.settings.api_key_env)

    @cached_property
    def pool(self) -> ServerPool:
        """The servers, for the whole run: `pool.stats` tells what each one did."""
        s = self.settings
        return ServerPool(
            self.name,
            self.urls,
            in_flight=s.in_flight,
            timeout=float(s.timeout),
            retries=s.retries,
            headers=self._headers(),
        )

    def server_stats(self) -> list[ServerStats]:
        """What each server did in this run (none if nothing was sent)."""
        return list(self.pool.stats.values()) if "pool" in self.__dict__ else []

    def _headers(self) -> _Headers:
        return _Headers({"Authorization": f"Bearer {self._key}"} if self._key else {})

    # ------------------------------------------------------------------ Engine

    def model_for(self, src: str, tgt: str) -> ModelInfo | None:
        """The configured model, once a server that lists its models confirms it."""
        if not self.urls or not self.settings.model:
            return None
        self._confirm(self.settings.model)
        return self._info()

    def _info(self) -> ModelInfo:
        prompt = self.prompt
        return ModelInfo(
            self.name,
            self.settings.model,
            prompt.version,
            Path(self.urls[0]),
            fingerprint=prompt.fingerprint,
        )

    def install_hint(self, tgt: str) -> str:
        if self.urls and not self.settings.model:
            return (
                f'[engines.openai] in l10n.toml names no model: add model = "…", '
                f"as {self.urls[0]}/models lists it"
            )
        return (
            "configure a server in l10n.toml: [engines.openai] "
            'urls = ["http://127.0.0.1:8000/v1"], model = "…" (README: OpenAI-compatible servers)'
        )

    def installed(self) -> list[ModelInfo]:
        """The configured model (no server is asked)."""
        return [self._info()] if self.urls and self.settings.model else []

    def translate(
        self, sentences: Sequence[str], src: str, tgt: str, arrived: Arrived | None = None
    ) -> list[str]:
        """Sentences one request each, without context or checks (the sentence path)."""
        model = self.model_for(src, tgt)
        if model is None:
            raise EngineUnavailable(f"openai: {self.install_hint(tgt)}")

        def heard(index: int, answer: str, problems: Sequence[str]) -> None:
            if arrived is not None:
                arrived([index], [answer])

        requests = [SegmentRequest(sentence, tgt) for sentence in sentences]
        drafts = self.draft_segments(requests, model, lambda request, answer: [], heard)
        return [answer for answer, _ in drafts]

    # ------------------------------------------------------------ SegmentEngine

    def draft_segments(
        self,
        requests: Sequence[SegmentRequest],
        model: ModelInfo,
        validate: Validator,
        arrived: SegmentArrived | None = None,
    ) -> list[tuple[str, list[str]]]:
        """(answer, problems) per request; a failing answer is asked again once."""
        context = self.settings.context
        exchanges = [
            _Exchange(i, request, self.prompt.messages(request, context))
            for i, request in enumerate(requests)
        ]
        checking = threading.Lock()  # the draft stage's checks need not be thread-safe

        def check(request: SegmentRequest, answer: str) -> list[str]:
            with checking:
                return list(validate(request, answer))

        def send(client: httpx.Client, url: str, exchange: _Exchange) -> tuple[str, list[str]]:
            request = exchange.request
            if exchange.first is None:
                first, cut = self.ask(client, url, exchange.messages, model.model, request.text)
                exchange.first_problems = cut + check(request, first)
                exchange.first = first
            if not exchange.first_problems:
                return exchange.first, []
            again = self.prompt.retry(
                request, context, exchange.messages, exchange.first, exchange.first_problems
            )
            answer, cut = self.ask(client, url, again, model.model, request.text)
            return answer, cut + check(request, answer)

        results: list[tuple[str, list[str]]] = [("", [])] * len(requests)
        for exchange, (answer, problems) in self.pool.run(exchanges, send, _describe):
            results[exchange.index] = (answer, problems)
            if arrived is not None:
                arrived(exchange.index, answer, problems)
        return results

    # ------------------------------------------------------------------ HTTP

    def ask(
        self, client: httpx.Client, url: str, messages: Sequence[Message], model: str, text: str
    ) -> tuple[str, list[str]]:
        """One chat completion: the cleaned answer, and a problem if it was cut off."""
        body: dict[str, Any] = {
            "model": model,
            "messages": list(messages),
            "temperature": 0,
            "max_tokens": max_tokens(text),
            "stream": False,
        }
        if url not in self._seedless:
            body["seed"] = SEED
        response = client.post(f"{url}/chat/completions", json=body)
        if response.status_code in (400, 422) and "seed" in body and "seed" in response.text:
            self._seedless.add(url)  # a server that takes no seed: ask it without one
            del body["seed"]
            response = client.post(f"{url}/chat/completions", json=body)
        self._check(response)
        content, finish = _first_choice(response)
        problems = []
        if finish == "length":
            problems.append(
                f"the answer stopped at the length limit ({body['max_tokens']} tokens) "
                "before the translation was complete"
            )
        return clean_answer(content, text), problems

    def _check(self, response: httpx.Response) -> None:
        """check_status, with a refused key said plainly and the key never repeated."""
        if response.status_code in REFUSED_KEY:
            raise BadAnswer(self._refusal(response))
        try:
            check_status(response)
        except BadAnswer as exc:
            raise BadAnswer(self._redact(str(exc))) from None

    def _refusal(self, response: httpx.Response) -> str:
        variable = self.settings.api_key_env
        whose = f"the key in ${variable}" if variable else "a request without a key (api_key_env)"
        said = f"HTTP {response.status_code}: the server refused {whose}: {excerpt(response.text)}"
        return self._redact(said)

    def _redact(self, text: str) -> str:
        key = self._key
        return text.replace(key, "[API key]") if key else text

    def _confirm(self, model: str) -> None:
        """Ask the first reachable server which models it serves; refuse a model it lacks.

        A server that is down, or does not list models, is not a reason to stop
        here: the run says which server failed when it sends the first segment.
        """
        if model in self._served:
            return
        headers = self._headers()
        for url in self.urls:
            try:
                response = httpx.get(f"{url}/models", headers=headers, timeout=MODELS_TIMEOUT)
            except httpx.HTTPError:
                continue
            if response.status_code in REFUSED_KEY:
                raise EngineUnavailable(f"openai server {url}: {self._refusal(response)}")
            served = list(_model_ids(response))
            if served and model not in served:
                raise EngineUnavailable(
                    f"openai server {url} does not serve the model {model!r} that "
                    f"[engines.openai] names; it serves: {', '.join(served[:10])}"
                )
            break
        self._served.add(model)


def _first_choice(response: httpx.Response) -> tuple[str, str | None]:
    """The first choice's message content and finish reason; BadAnswer if there is none."""
    try:
        data = response.json()
        choice = data["choices"][0]
        content = choice["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise BadAnswer(f"not a chat completion: {excerpt(response.text)}") from None
    if not isinstance(content, str):
        raise BadAnswer(f"a chat completion without text: {excerpt(response.text)}")
    finish = choice.get("finish_reason") if isinstance(choice, Mapping) else None
    return content, finish if isinstance(finish, str) else None


def _model_ids(response: httpx.Response) -> Iterator[str]:
    """The model ids of a `GET /models` answer; none if it is not such a list."""
    if response.status_code != 200:
        return
    try:
        data = response.json().get("data")
    except (ValueError, AttributeError):
        return
    for item in data if isinstance(data, list) else ():
        if isinstance(item, Mapping) and isinstance(item.get("id"), str):
            yield item["id"]


def _describe(exchange: _Exchange) -> str:
    text = exchange.request.text
    short = text if len(text) <= 60 else text[:57] + "…"
    return f"segment {exchange.index + 1} ({exchange.request.lang}) {short!r}"
