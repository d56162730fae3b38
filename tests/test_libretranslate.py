"""Drafts from LibreTranslate servers: real servers, started here, offline, with our own package.

Each server is LibreTranslate 1.9.6 from its own virtualenv (`.ci/run` makes
it), serving only the echo en→ur package tests/tiny_models.py generates, so its
drafts can be compared with the local `argos` engine's from the same package.
Without the virtualenv, or when a server does not start, the tests skip with
what went wrong.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import polib
import pytest

import l10n
from l10n.engines.argos import install_file
from l10n.engines.base import EngineOptions, EngineUnavailable
from l10n.engines.libretranslate import Batch, LibreTranslateEngine
from l10n.engines.remote import BadAnswer, ServerError
from l10n.settings import ServerSettings
from libretranslate_server import LibreTranslateServer, NotStarted, free_port, install_package

from conftest import BRIEF

pytestmark = pytest.mark.usefixtures("engine_home")


# --------------------------------------------------------------------------- servers


@pytest.fixture(scope="session")
def lt_packages(tmp_path_factory: pytest.TempPathFactory, models) -> Path:
    """A packages folder holding only the generated echo en→ur package."""
    folder = tmp_path_factory.mktemp("libretranslate") / "packages"
    try:
        install_package(models.argos_ur, folder)
    except NotStarted as exc:
        pytest.skip(f"LibreTranslate cannot be used: {exc}")
    return folder


def started(*servers: LibreTranslateServer) -> list[LibreTranslateServer]:
    try:
        return [server.start() for server in servers]
    except NotStarted as exc:
        for server in servers:
            server.stop()
        pytest.skip(f"LibreTranslate did not start: {exc}")


@pytest.fixture(scope="session")
def two_servers(
    tmp_path_factory: pytest.TempPathFactory, lt_packages: Path
) -> Iterator[list[LibreTranslateServer]]:
    """Two servers for the tests that only translate (shared: each takes seconds to start)."""
    root = tmp_path_factory.mktemp("lt-servers")
    servers = started(*(LibreTranslateServer(root / name, lt_packages) for name in "ab"))
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture
def server(two_servers: list[LibreTranslateServer]) -> LibreTranslateServer:
    return two_servers[0]


@pytest.fixture
def own_server(tmp_path: Path, lt_packages: Path) -> Iterator[LibreTranslateServer]:
    """A server of the test's own, which it may kill."""
    server = LibreTranslateServer(tmp_path / "own-server", lt_packages)
    yield server
    server.stop()


def dead_url() -> str:
    """A URL where nothing listens."""
    return f"http://127.0.0.1:{free_port()}"


# --------------------------------------------------------------------------- projects


def brief_project(root: Path, ur: str, **server: object) -> l10n.Project:
    """A project of the brief, extracted and merged, drafting Urdu with `ur` (the engine);
    `server` are the keys of its [engines.libretranslate] table."""
    l10n.init_project(root, "brief")
    toml = root / "l10n.toml"
    text = re.sub(r"(?m)^ur = .*$", f"ur = {json.dumps(ur)}", toml.read_text("utf-8"))
    if server:
        text += "\n[engines.libretranslate]\n"
        text += "".join(f"{key} = {json.dumps(value)}\n" for key, value in server.items())
    toml.write_text(text, "utf-8")
    (root / "source" / BRIEF.name).write_bytes(BRIEF.read_bytes())
    project = l10n.Project.open(root)
    l10n.extract(project)
    l10n.update(project)
    return l10n.Project.open(root)


def catalog(root: Path) -> polib.POFile:
    return polib.pofile(str(root / "locales" / "ur" / BRIEF.with_suffix(".po").name))


def drafts(root: Path) -> dict[str, str]:
    return {e.msgid: e.msgstr for e in catalog(root) if e.msgid and e.msgstr}


@pytest.fixture(scope="session")
def argos_drafts(tmp_path_factory: pytest.TempPathFactory, models) -> dict[str, str]:
    """The brief's Urdu drafts by the local `argos` engine from the same package."""
    root = tmp_path_factory.mktemp("argos-brief")
    packages = root.parent / f"{root.name}-packages"
    install_file(models.argos_ur, EngineOptions(argos_packages=packages), use_argostranslate=False)
    project = brief_project(root, "argos")
    toml = root / "l10n.toml"
    toml.write_text(
        toml.read_text("utf-8").replace(
            "[engines]\n", f"[engines]\nargos_packages = {json.dumps(str(packages))}\n", 1
        ),
        "utf-8",
    )
    report = l10n.draft(l10n.Project.open(root), ["ur"])
    assert report.languages[0].engine == "argos translate-en_ur 0.0.1", project
    return drafts(root)


# --------------------------------------------------------------------------- drafting


def test_the_briefs_drafts_through_libretranslate_equal_the_local_argos_engines(
    tmp_path, server, argos_drafts
):
    project = brief_project(tmp_path, "libretranslate", urls=[server.url])
    report = l10n.draft(project, ["ur"])
    ur = report.languages[0]
    assert ur.engine is not None and ur.engine.startswith("libretranslate en-ur ")
    assert ur.untranslated == 0 and ur.drafted == ur.candidates == len(argos_drafts)
    assert drafts(tmp_path) == argos_drafts
    provenance = next(e.tcomment for e in catalog(tmp_path) if e.msgid)
    assert re.match(r"machine-draft: libretranslate en-ur [0-9a-f]{8}, ", provenance)


def test_markup_placeholders_pass_libretranslate_intact_in_text_format(server):
    engine = LibreTranslateEngine(EngineOptions(servers={"libretranslate": ServerSettings(
        urls=(server.url,))}))  # fmt: skip
    heard: list[tuple[list[int], list[str]]] = []
    texts = ["See <x1>the report<x2>, <x3> and <x4>TAP<x5>.", "", "Line <x12>."]
    assert engine.translate(texts, "en", "ur", lambda i, t: heard.append((list(i), list(t)))) == [
        "See <x1>the report<x2>, <x3> and <x4>TAP<x5>.", "", "Line <x12>."
    ]  # fmt: skip
    assert sorted(i for indexes, _ in heard for i in indexes) == [0, 1, 2]
    # What LibreTranslate itself changes, and why the draft stage hides such text in
    # placeholders: its argostranslate fork turns `_` into a space, and it decodes entities.
    assert engine.translate(["snake_case &amp; co."], "en", "ur") == ["snake case & co."]


def test_two_servers_share_the_work(tmp_path, two_servers, argos_drafts):
    a, b = two_servers
    before = {s.url: s.translated_requests() for s in two_servers}
    project = brief_project(tmp_path, "libretranslate", urls=[a.url, b.url], batch=2, in_flight=2)
    report = l10n.draft(project, ["ur"])
    assert drafts(tmp_path) == argos_drafts
    answered = {st.url: st.requests for st in report.servers}
    assert answered[a.url] > 0 and answered[b.url] > 0
    sentences = report.languages[0].translated
    assert sum(answered.values()) == (sentences + 1) // 2  # two texts a request
    counted = {s.url: s.translated_requests() - before[s.url] for s in two_servers}
    assert counted == answered  # what the servers say they answered, each


def test_an_unreachable_server_among_two_is_left_out(tmp_path, server, argos_drafts):
    down = dead_url()
    project = brief_project(tmp_path, "libretranslate", urls=[down, server.url])
    report = l10n.draft(project, ["ur"])
    assert drafts(tmp_path) == argos_drafts
    stats = {st.url: st for st in report.servers}
    assert stats[down].requests == 0 and stats[down].failures == 1  # its /languages
    assert stats[server.url].requests > 0


def test_a_server_that_dies_mid_run_costs_only_what_it_had_not_answered(
    tmp_path, own_server, argos_drafts
):
    server = started(own_server)[0]
    settings = {"urls": [server.url], "batch": 1, "in_flight": 1, "retries": 1, "timeout": 10}
    project = brief_project(tmp_path, "libretranslate", **settings)

    def kill_after_forty(done: int, total: int) -> None:
        if done >= 40:
            server.kill()

    with pytest.raises(ServerError, match=re.escape(server.url)) as failed:
        l10n.draft(project, ["ur"], progress=kill_after_forty, use_memory=False)
    assert "run `l10n draft` again" in str(failed.value)
    kept = drafts(tmp_path)
    assert 0 < len(kept) < len(argos_drafts)  # the entries complete before the kill are written
    assert all(argos_drafts[msgid] == text for msgid, text in kept.items())

    server.start()  # the same port: the URL in l10n.toml is right again
    report = l10n.draft(l10n.Project.open(tmp_path), ["ur"], use_memory=False)  # engine only
    ur = report.languages[0]
    assert ur.drafted == len(argos_drafts) - len(kept) and ur.untranslated == 0
    # sentences of entries half-received at the kill come from the cache (there may be none)
    assert ur.translated == ur.sentences - ur.from_cache
    assert server.translated_requests() == ur.translated  # one text a request: nothing twice
    assert drafts(tmp_path) == argos_drafts


def test_a_refused_api_key_or_request_is_an_error_naming_the_server(
    tmp_path, own_server, argos_drafts, monkeypatch
):
    own_server.flags = ("--api-keys", "--api-keys-db-path", "db/api_keys.db", "--batch-limit", "4")
    server = started(own_server)[0]
    server.add_api_key("right-key-4f1c")
    monkeypatch.setenv("LT_TEST_KEY", "wrong-key-9a2e")
    settings = {"urls": [server.url], "api_key_env": "LT_TEST_KEY", "batch": 4}
    project = brief_project(tmp_path, "libretranslate", **settings)
    with pytest.raises(ServerError) as refused:
        l10n.draft(project, ["ur"])
    message = str(refused.value)
    assert server.url in message and "HTTP 403" in message and "Invalid API key" in message
    assert "the API key in $LT_TEST_KEY" in message and "wrong-key-9a2e" not in message
    assert drafts(tmp_path) == {}

    monkeypatch.setenv("LT_TEST_KEY", "right-key-4f1c")
    (tmp_path / "l10n.toml").write_text(
        (tmp_path / "l10n.toml").read_text("utf-8").replace("batch = 4", "batch = 8"), "utf-8"
    )
    with pytest.raises(ServerError, match=r"HTTP 400: .*exceeds text limit \(4\)") as too_many:
        l10n.draft(l10n.Project.open(tmp_path), ["ur"])
    assert server.url in str(too_many.value) and "right-key-4f1c" not in str(too_many.value)

    (tmp_path / "l10n.toml").write_text(
        (tmp_path / "l10n.toml").read_text("utf-8").replace("batch = 8", "batch = 4"), "utf-8"
    )
    l10n.draft(l10n.Project.open(tmp_path), ["ur"])
    assert drafts(tmp_path) == argos_drafts


# --------------------------------------------------------------------------- no server


def test_no_answering_server_leaves_the_language_undrafted_and_names_the_url(tmp_path):
    down = dead_url()
    report = l10n.draft(brief_project(tmp_path, "libretranslate", urls=[down]), ["ur"])
    (ur,) = report.missing
    assert ur.drafted == 0 and ur.untranslated == ur.candidates > 0
    assert ur.hint is not None and f"{down}: cannot connect" in ur.hint
    assert "[engines.libretranslate] urls" in ur.hint


def test_a_language_the_servers_do_not_offer_says_what_they_offer(tmp_path, server):
    project = brief_project(tmp_path, "libretranslate", urls=[server.url])
    toml = tmp_path / "l10n.toml"
    toml.write_text(re.sub(r"(?m)^fa_AF = .*$", 'fa_AF = "libretranslate+dari"',
                           toml.read_text("utf-8")), "utf-8")  # fmt: skip
    report = l10n.draft(l10n.Project.open(tmp_path), ["fa_AF"])
    (fa,) = report.missing
    assert fa.hint is not None
    assert f"no LibreTranslate server offers en→fa: {server.url} offer en→ur" in fa.hint
    assert project.config.languages == ("ps", "fa_AF", "ur")


def test_build_without_a_server_runs_offline_and_says_how_to_configure_one(tmp_path):
    brief_project(tmp_path, "libretranslate")
    done = subprocess.run(
        ["l10n", "build", "--format", "md"], cwd=tmp_path, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = {lang: [line for line in done.stderr.splitlines() if line.startswith(f"{lang}:")]
             for lang in ("ps", "fa_AF", "ur")}  # fmt: skip
    assert all(len(found) == 1 for found in lines.values()), done.stderr
    assert "[engines.libretranslate] urls" in lines["ur"][0]
    assert all("[engines." in found[0] for found in lines.values())
    assert (tmp_path / "dist" / "ur" / BRIEF.name).is_file()


# --------------------------------------------------------------------------- answers


def answer(status: int, body: object) -> httpx.Response:
    return httpx.Response(status, json=body)


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"translatedText": ["one"]}, "asked for 2 translations, translatedText holds a list of 1"),
        ({"translatedText": "one two"}, "translatedText holds a str"),
        ({"translatedText": ["one", 2]}, "translatedText holds a list of 2"),
        ({"error": "nope"}, "not a LibreTranslate answer"),
    ],
)
def test_an_answer_of_the_wrong_shape_is_a_bad_answer(body, said):
    engine = LibreTranslateEngine()
    batch = Batch((0, 1), ("One.", "Two."), 2, ("en", "ur"))
    with pytest.raises(BadAnswer, match=re.escape(said)):
        engine._answer(answer(200, body), batch, None)


def test_without_urls_the_engine_offers_nothing_and_says_how_to_configure_it():
    engine = LibreTranslateEngine()
    assert engine.model_for("en", "ur") is None
    assert engine.install_hint("ur").startswith("configure a server in l10n.toml")
    with pytest.raises(EngineUnavailable, match=r"\[engines.libretranslate\] urls"):
        engine.translate(["One."], "en", "ur")


@pytest.mark.parametrize(
    ("source", "answered", "kept"),
    [
        ("Are you well?", "کیا آپ ٹھیک ہیں؟?", "کیا آپ ٹھیک ہیں؟"),
        ("The border is long.", "سرحد طویل ہے۔.", "سرحد طویل ہے۔"),
        ("The border is long.", "سرحد طویل ہے.", "سرحد طویل ہے."),  # one mark: ours to fix
        ("Is it?", "Is it?", "Is it?"),
    ],
)
def test_a_mark_libretranslate_appends_after_an_urdu_one_is_dropped(source, answered, kept):
    """LibreTranslate copies the source's last mark onto a translation that does not end in
    it, knowing only Latin and CJK marks (its issue #776: "هل أنت بخير؟?")."""
    batch = Batch((0,), (source,), 1, ("en", "ur"))
    answer_ = answer(200, {"translatedText": [answered]})
    assert LibreTranslateEngine()._answer(answer_, batch, None) == [kept]
