"""The `openai` engine: a segment goes to an OpenAI-compatible chat server with what a good
translator would ask for (the variety, the register, the glossary, the document around it),
and every answer is checked, asked again once if it fails, and kept.

The server is llama.cpp's (`python -m llama_cpp.server`) serving a tiny random model that
tests/llama_server.py writes; its answers are random text, so they fail the checks for real.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import polib
import pytest

from l10n.config import load_config
from l10n.drafting import draft
from l10n.engines import ENGINES, EngineOptions, EngineUnavailable, openai
from l10n.engines.base import SegmentRequest, TermHint, is_segment_engine
from l10n.engines.openai import DEFAULT_PROMPT, OpenAIEngine, Prompt, api_base, clean_answer
from l10n.engines.remote import ServerError
from l10n.project import Project
from l10n.settings import ServerSettings

from conftest import start_project
from llama_server import MODEL_NAME, LlamaServer, unavailable, write_tiny_model

KEY_VARIABLE = "L10N_TEST_LLM_KEY"

#: A segment of a brief with its neighbours and glossary hints, as the draft stage builds it.
SEGMENT = SegmentRequest(
    text="The <x1>Taliban<x2> closed every girls' school in the district.<x3>",
    lang="fa_AF",
    before=("Access to education has collapsed.", "Teachers have not been paid.", "Since 2021:"),
    after=("Donors have pledged new funds.", "The next section looks at health."),
    terms=(TermHint("Taliban", None), TermHint("district", "ولسوالی"), TermHint("school", "مکتب")),
)


def openai_engine(urls: Sequence[str] = (), **settings: object) -> OpenAIEngine:
    table = ServerSettings(urls=tuple(urls), **settings)  # type: ignore[arg-type]
    return OpenAIEngine(EngineOptions(servers={"openai": table}))


def accept_everything(request: SegmentRequest, answer: str) -> list[str]:
    return []


# --------------------------------------------------------------------------- the request


@pytest.mark.parametrize(
    ("lang", "stated"),
    [
        ("ps", ["Afghan Pashto", "as written in Afghanistan"]),
        ("fa_AF", ["Dari", "not Iranian Persian", "شفاخانه not بیمارستان"]),
        ("ur", ["Pakistani Urdu", "as written in Pakistan"]),
    ],
)
def test_a_request_names_the_language_as_its_readers_write_it(lang: str, stated: list[str]):
    system, _ = Prompt.read().messages(SegmentRequest("Schools reopened.", lang), context=2)
    assert system["role"] == "system"
    for words in stated:
        assert words in system["content"]
    assert "policy publication" in system["content"] and "formal" in system["content"]


def test_a_request_carries_the_glossary_the_context_and_the_rules_of_markup():
    system, user = Prompt.read().messages(SEGMENT, context=2)
    rules = system["content"]
    assert "[^3]" in rules and "placeholder" in rules.lower() and "Never translate a URL" in rules
    assert "translation of the text only" in rules
    asked = user["content"]
    assert '"district" → "ولسوالی" (required)' in asked
    assert '"school" → "مکتب" (required)' in asked
    assert '"Taliban": keep, do not translate' in asked
    assert "Placeholders to keep: <x1> <x2> <x3>" in asked
    # two neighbours each side, as configured, marked as context and not as the text
    assert "Access to education" not in asked
    context, text = asked.split("Translate this text into")
    assert "do not translate" in context
    for neighbour in (*SEGMENT.before[-2:], *SEGMENT.after):
        assert neighbour in context
    assert text.strip().endswith(SEGMENT.text)


def test_a_segment_without_terms_or_neighbours_is_asked_plainly():
    _, user = Prompt.read().messages(SegmentRequest("Schools reopened.", "ps"), context=2)
    assert "Glossary" not in user["content"] and "Context" not in user["content"]
    assert user["content"].endswith("Schools reopened.")


def test_the_prompt_is_a_packaged_template_whose_version_and_hash_name_every_draft(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setenv(KEY_VARIABLE, "unused")
    engine = openai_engine(["http://127.0.0.1:9/v1"], model="qwen2.5-7b-instruct")
    engine._served.add("qwen2.5-7b-instruct")  # nothing listens on port 9: skip the check
    model = engine.model_for("en", "ps")
    assert model is not None
    assert (model.engine, model.model, model.version) == (
        "openai",
        "qwen2.5-7b-instruct",
        "translate-v1",
    )
    assert engine.prompt_version == "translate-v1" and DEFAULT_PROMPT == "translate-v1.jinja"
    text = (Path(openai.__file__).parent / "prompts" / DEFAULT_PROMPT).read_text(encoding="utf-8")
    assert model.fingerprint == Prompt.read().fingerprint and len(model.fingerprint) == 8
    assert "[engines.openai]" in text and "prompt =" in text  # it tells users how to replace it


def test_a_users_own_prompt_replaces_the_packaged_one_and_drafts_anew(tmp_path: Path):
    packaged = Prompt.read()
    mine = tmp_path / "house-style.jinja"
    mine.write_text(packaged.text.replace("formal, clear and neutral", "plain"), encoding="utf-8")
    engine = openai_engine(["http://127.0.0.1:9"], model="m", prompt=mine)
    assert engine.prompt_version.startswith("house-style-")
    assert engine.prompt.fingerprint != packaged.fingerprint  # another cache key
    system, _ = engine.prompt.messages(SegmentRequest("Hello.", "ur"), context=0)
    assert "plain register" in system["content"]


def test_a_prompt_without_the_retry_macro_is_refused_naming_the_file(tmp_path: Path):
    broken = tmp_path / "short.jinja"
    broken.write_text("{% macro system() %}x{% endmacro %}{% macro user() %}y{% endmacro %}")
    with pytest.raises(EngineUnavailable, match=r"short.jinja: .*no macro retry"):
        Prompt.read(broken)


def test_an_unconfigured_engine_has_no_model_and_says_in_one_line_how_to_configure_one():
    engine = ENGINES["openai"](EngineOptions())
    assert isinstance(engine, OpenAIEngine) and is_segment_engine(engine)
    assert engine.model_for("en", "ps") is None and engine.installed() == []
    hint = engine.install_hint("ps")
    assert "[engines.openai]" in hint and "urls" in hint and "model" in hint and "\n" not in hint
    no_model = openai_engine(["http://gpu-1:8000"])
    assert no_model.model_for("en", "ps") is None
    assert "names no model" in no_model.install_hint("ps")


def test_a_key_variable_named_in_settings_but_unset_is_an_error_naming_it(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    engine = openai_engine(["http://127.0.0.1:9"], model="m", api_key_env=KEY_VARIABLE)
    with pytest.raises(EngineUnavailable, match=f"{KEY_VARIABLE} is not set in the environment"):
        engine.model_for("en", "ps")


def test_base_urls_with_or_without_v1_mean_the_same_api():
    assert api_base("http://gpu-1:8000") == api_base("http://gpu-1:8000/v1/") == (
        "http://gpu-1:8000/v1"
    )  # fmt: skip
    assert api_base("http://lb.internal/llm") == "http://lb.internal/llm/v1"
    versioned = "https://generativelanguage.googleapis.com/v1beta/openai"
    assert api_base(versioned + "/") == versioned


@pytest.mark.parametrize(
    ("answer", "source", "translation"),
    [
        ("```markdown\nد ښوونځي <x1>\n```", "School <x1>", "د ښوونځي <x1>"),
        ('"مکتب‌ها باز شدند."', "Schools reopened.", "مکتب‌ها باز شدند."),
        ("«مکتب‌ها باز شدند.»", "Schools reopened.", "مکتب‌ها باز شدند."),
        ("<think>Dari, formal.</think>\nمکتب‌ها", "Schools", "مکتب‌ها"),
        ('"مکتب‌ها باز شدند."', '"Schools reopened."', '"مکتب‌ها باز شدند."'),
        ('"یک" و "دو"', "one and two", '"یک" و "دو"'),
    ],
)
def test_the_translation_is_taken_out_of_fences_and_quotes_unless_the_source_has_them(
    answer: str, source: str, translation: str
):
    assert clean_answer(answer, source) == translation


# --------------------------------------------------------------------------- a real server


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[LlamaServer]]]:
    """Two llama.cpp servers with the same tiny model and API key, for the whole session."""
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("llama")
    model = write_tiny_model(folder / "tiny.gguf")
    key = "sk-test-" + secrets.token_hex(12)
    started: list[LlamaServer] = []
    try:
        for number in (1, 2):
            server = LlamaServer(model, folder / f"server-{number}.log", api_key=key)
            started.append(server)
            server.start()
    except RuntimeError as exc:
        for server in started:
            server.stop()
        pytest.skip(str(exc))
    yield key, started
    for server in started:
        server.stop()


@pytest.fixture
def llama(
    servers: tuple[str, list[LlamaServer]], monkeypatch: pytest.MonkeyPatch
) -> list[LlamaServer]:
    key, started = servers
    monkeypatch.setenv(KEY_VARIABLE, key)
    return started


def llm_engine(servers: Sequence[LlamaServer], **settings: object) -> OpenAIEngine:
    defaults: dict[str, object] = {"model": MODEL_NAME, "api_key_env": KEY_VARIABLE}
    return openai_engine([s.url for s in servers], **{**defaults, **settings})


@pytest.mark.parametrize("suffix", ["", "/v1"])
def test_a_real_server_drafts_a_segment_after_confirming_it_serves_the_model(
    llama: list[LlamaServer], suffix: str
):
    engine = openai_engine(
        [llama[0].url + suffix], model=MODEL_NAME, api_key_env=KEY_VARIABLE, in_flight=1
    )
    model = engine.model_for("en", "fa_AF")
    assert model is not None and model.model == MODEL_NAME
    heard: list[tuple[int, str, Sequence[str]]] = []
    drafts = engine.draft_segments(
        [SEGMENT], model, accept_everything, lambda *a: heard.append(a)
    )  # fmt: skip
    (answer, problems), = drafts  # fmt: skip
    assert answer and problems == [] and heard == [(0, answer, [])]
    assert engine.pool.stats[llama[0].url + "/v1"].requests == 1
    # the same request, the same answer: temperature 0 and a fixed seed
    assert engine.draft_segments([SEGMENT], model, accept_everything) == drafts


def test_a_model_the_server_does_not_serve_is_refused_naming_the_ones_it_does(
    llama: list[LlamaServer],
):
    engine = llm_engine(llama[:1], model="llama-3.1-70b")
    with pytest.raises(
        EngineUnavailable, match=f"does not serve the model 'llama-3.1-70b'.*{MODEL_NAME}"
    ):
        engine.model_for("en", "ps")


def test_an_answer_that_fails_the_checks_is_asked_again_once_naming_the_problems_then_kept(
    llama: list[LlamaServer], monkeypatch: pytest.MonkeyPatch
):
    engine = llm_engine(llama[:1])
    asked: list[list[dict[str, str]]] = []
    real_ask = engine.ask

    def ask(client, url, messages, model, text):  # type: ignore[no-untyped-def]
        asked.append(list(messages))
        return real_ask(client, url, messages, model, text)

    monkeypatch.setattr(engine, "ask", ask)
    checked: list[str] = []

    def placeholders_kept(request: SegmentRequest, answer: str) -> list[str]:
        checked.append(answer)
        return [f"placeholder {p} is missing" for p in ("<x1>", "<x2>") if p not in answer]

    model = engine.model_for("en", "fa_AF")
    assert model is not None
    (answer, problems), = engine.draft_segments([SEGMENT], model, placeholders_kept)  # fmt: skip

    first, second = asked  # asked exactly twice
    assert second[: len(first)] == first  # the same conversation, continued
    assert second[len(first)]["role"] == "assistant" and second[-1]["role"] == "user"
    assert "placeholder <x1> is missing" in second[-1]["content"]
    assert "placeholder <x2> is missing" in second[-1]["content"]
    assert len(checked) == 2 and answer == checked[1]  # the second answer is kept
    assert problems == ["placeholder <x1> is missing", "placeholder <x2> is missing"]


def test_an_answer_that_passes_is_not_asked_again_and_a_fixed_one_keeps_no_problem(
    llama: list[LlamaServer],
):
    engine = llm_engine(llama[:1])
    answers: dict[str, list[str]] = {}

    def fails_only_the_first_time(request: SegmentRequest, answer: str) -> list[str]:
        seen = answers.setdefault(request.text, [])
        seen.append(answer)
        return ["the text is not Dari"] if len(seen) == 1 and request.text.startswith("A") else []

    requests = [SegmentRequest("A first segment.", "fa_AF"), SegmentRequest("Second.", "fa_AF")]
    model = engine.model_for("en", "fa_AF")
    assert model is not None
    drafts = engine.draft_segments(requests, model, fails_only_the_first_time)
    assert [len(answers[r.text]) for r in requests] == [2, 1]
    assert drafts == [(answers["A first segment."][1], []), (answers["Second."][0], [])]


def test_two_servers_share_the_work(llama: list[LlamaServer]):
    engine = llm_engine(llama, in_flight=1)
    requests = [SegmentRequest(f"Segment number {n} of the brief.", "ps") for n in range(8)]
    model = engine.model_for("en", "ps")
    assert model is not None
    drafts = engine.draft_segments(requests, model, accept_everything)
    assert len(drafts) == 8 and all(answer for answer, _ in drafts)
    served = {url: stats.requests for url, stats in engine.pool.stats.items()}
    assert sum(served.values()) == 8 and all(served.values()), served


def test_a_refused_key_is_reported_with_its_variable_and_never_the_key(
    llama: list[LlamaServer], monkeypatch: pytest.MonkeyPatch
):
    wrong = "sk-wrong-" + secrets.token_hex(12)
    monkeypatch.setenv(KEY_VARIABLE, wrong)
    engine = llm_engine(llama[:1], retries=0)
    with pytest.raises(EngineUnavailable) as refused:
        engine.model_for("en", "ps")
    assert "HTTP 401" in str(refused.value) and f"${KEY_VARIABLE}" in str(refused.value)

    with pytest.raises(ServerError) as failed:  # the chat request itself, too
        engine.draft_segments([SEGMENT], engine._info(), accept_everything)
    assert "HTTP 401" in str(failed.value) and llama[0].url in str(failed.value)
    for shown in (str(refused.value), str(failed.value), repr(failed.value), repr(engine.pool)):
        assert wrong not in shown
    assert wrong not in repr(engine._info())  # nor in the cache key


def test_the_sentence_path_translates_through_the_same_server(llama: list[LlamaServer]):
    engine = llm_engine(llama[:1])
    heard: list[tuple[list[int], list[str]]] = []
    sentences = ["Schools reopened.", "Clinics <x1> stayed closed."]
    drafts = engine.translate(sentences, "en", "ur", lambda i, t: heard.append((list(i), list(t))))
    assert len(drafts) == 2 and all(drafts)
    assert sorted(heard) == sorted(([n], [drafts[n]]) for n in range(2))


# --------------------------------------------------------------------------- l10n draft

SEGMENT_WITH_TERMS = "The district council met the Taliban in March."
BRIEF_SOURCE = f"""\
# Schools in Kandahar

{SEGMENT_WITH_TERMS}

Girls' schools stayed closed.[^1]

Teachers were not paid.

[^1]: Field notes, 2024.
"""


def test_l10n_draft_sends_only_untranslated_entries_and_writes_flagged_drafts_that_name_it(
    project: Path, llama: list[LlamaServer]
):
    (project / "glossary.yaml").write_text(
        "version: 1\nterms:\n"
        "  - {id: district, term: district,\n"
        "     translations: {ps: {term: ولسوالۍ, status: approved}}}\n"
        "  - {id: taliban, term: Taliban, do_not_translate: true}\n",
        encoding="utf-8",
    )
    toml = project / "l10n.toml"
    urls = ", ".join(f'"{s.url}"' for s in llama)
    toml.write_text(
        toml.read_text("utf-8").replace('ps = "nllb"', 'ps = "openai"')
        + f'\n[engines.openai]\nurls = [{urls}]\nmodel = "{MODEL_NAME}"\n'
        + f'api_key_env = "{KEY_VARIABLE}"\nin_flight = 2\n',
        encoding="utf-8",
    )
    started = start_project(project, BRIEF_SOURCE)
    po = project / "locales" / "ps" / "brief.po"
    catalog = polib.pofile(str(po))
    reviewed = catalog.find("Teachers were not paid.")
    assert reviewed is not None
    reviewed.msgstr = "ښوونکو ته معاش نه دی ورکړل شوی."
    catalog.save()
    untranslated = sum(1 for e in catalog if e.msgid and not e.msgstr)

    report = draft(started, ["ps"], today=date(2026, 12, 1))

    served = sum(s.requests for s in report.servers)
    assert served == untranslated  # the reviewed entry was never sent
    (ps,) = report.languages
    assert ps.drafted == untranslated and ps.engine == f"openai {MODEL_NAME} translate-v1"
    drafted = {e.msgid: e for e in polib.pofile(str(po)) if e.msgid}
    assert drafted["Teachers were not paid."].msgstr == "ښوونکو ته معاش نه دی ورکړل شوی."
    assert not drafted["Teachers were not paid."].fuzzy
    for entry in drafted.values():
        if entry.msgid != "Teachers were not paid.":
            assert entry.fuzzy and entry.msgstr
            assert f"machine-draft: openai {MODEL_NAME} translate-v1, 2026-12-01" in entry.tcomment
    # the random answers break what the checks guard, and the drafts say so
    problems = {msgid: entry.tcomment for msgid, entry in drafted.items()}
    assert "'district' should be rendered 'ولسوالۍ'" in problems[SEGMENT_WITH_TERMS]
    assert "'Taliban' must stay as it is" in problems[SEGMENT_WITH_TERMS]
    assert "footnote reference '[^1]' was lost" in problems["Girls' schools stayed closed.[^1]"]

    again = draft(Project(load_config(project)), ["ps"], overwrite_drafts=True)
    assert sum(s.requests for s in again.servers) == 0  # every answer came from the cache


def test_a_server_killed_mid_run_loses_nothing_and_the_next_run_sends_only_the_rest(
    project: Path, tmp_path: Path
):
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    server = LlamaServer(write_tiny_model(tmp_path / "tiny.gguf"), tmp_path / "server.log")
    server.start()
    try:
        toml = project / "l10n.toml"
        toml.write_text(
            toml.read_text("utf-8").replace('ps = "nllb"', 'ps = "openai"')
            + f'\n[engines.openai]\nurls = ["{server.url}"]\nmodel = "{MODEL_NAME}"\n'
            + "in_flight = 1\nretries = 1\ntimeout = 5\n",
            encoding="utf-8",
        )
        paragraphs = [f"Paragraph {n} of the report on district schools." for n in range(30)]
        started = start_project(project, "\n\n".join(paragraphs) + "\n")
        po = project / "locales" / "ps" / "brief.po"

        def kill_after_three(done: int, total: int) -> None:
            if done >= 3 and server.process is not None and server.process.poll() is None:
                server.process.kill()
                server.process.wait()

        with pytest.raises(ServerError, match=server.url) as failure:
            draft(started, ["ps"], progress=kill_after_three, use_memory=False)
        assert "run `l10n draft` again" in str(failure.value)
        first = {e.msgid for e in polib.pofile(str(po)) if e.msgstr}
        assert 3 <= len(first) < 30  # what arrived was written, whole

        server.start()
        again = draft(Project(load_config(project)), ["ps"], use_memory=False)  # engine only
        (ps,) = again.languages
        assert ps.candidates == 30 - len(first) and ps.translated == 30 - len(first)
        assert ps.from_cache == 0  # nothing received before was asked again
        assert all(e.msgstr for e in polib.pofile(str(po)) if e.msgid)
    finally:
        server.stop()
