"""The command line on a first day: every trap a new user fell into, run as they ran it.

Most tests call the real typer app in-process (typer's CliRunner); the ones about
the installed script, pipes, the network or a missing library run `l10n` (or
Python) as a subprocess.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import requires, version
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner, Result

from l10n import cli

from conftest import start_project

SOURCE = """\
# The road

The first paragraph talks about trade across the border.

The second paragraph talks about water and rivers.
"""
DOC = "brief"
L10N = shutil.which("l10n") or "l10n"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli.app, [str(a) for a in args])


@pytest.fixture
def here(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A started project as the current folder (restored after the test: -C changes it)."""
    start_project(project, SOURCE, DOC)
    monkeypatch.chdir(project)
    return project


def translate_all(project: Path, lang: str = "ur", fuzzy: bool = False) -> None:
    path = project / "locales" / lang / f"{DOC}.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    for entry in catalog:
        entry.msgstr = f"ترجمہ {entry.msgid}"
        if fuzzy:
            entry.flags.append("fuzzy")
    catalog.save(str(path))


def edit_source(project: Path) -> None:
    source = project / "source" / f"{DOC}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("about water", "about water and dams"), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


# --------------------------------------------------------------------------- --check for CI


def test_extract_check_names_the_stale_template_exits_1_and_writes_nothing(here: Path):
    edit_source(here)
    before = snapshot(here / "locales")
    result = run("extract", "--check")
    assert result.exit_code == 1
    assert "would change: locales/brief.pot" in result.stderr
    assert snapshot(here / "locales") == before
    assert run("extract").exit_code == 0  # control: once extracted, the check passes
    result = run("extract", "--check")
    assert result.exit_code == 0, result.output
    assert "would change" not in result.stderr


def test_update_check_names_template_and_catalogs_and_writes_nothing(here: Path):
    edit_source(here)
    before = snapshot(here / "locales")
    result = run("update", "--check")
    assert result.exit_code == 1
    for label in ("locales/brief.pot", "locales/ps/brief.po", "locales/ur/brief.po"):
        assert f"would change: {label}" in result.stderr
    assert snapshot(here / "locales") == before
    assert run("update").exit_code == 0
    assert run("update", "--check").exit_code == 0


def test_publish_check_names_the_editions_it_would_write_and_writes_none(here: Path):
    result = run("publish", "--check", "--format", "md")
    assert result.exit_code == 1
    assert "would change: dist/ur/brief.md" in result.stderr
    assert not (here / "dist").exists()
    assert run("publish", "--format", "md").exit_code == 0
    assert run("publish", "--check", "--format", "md").exit_code == 0
    translate_all(here)  # a translator's work makes the published edition stale again
    result = run("publish", "--check", "--format", "md")
    assert result.exit_code == 1
    assert "would change: dist/ur/brief.md" in result.stderr
    assert "dist/ps/brief.md" not in result.stderr


# --------------------------------------------------------------------------- an edited paragraph


def test_update_alone_brings_an_edited_paragraph_into_the_catalogs_and_publish_works(here: Path):
    translate_all(here)
    edit_source(here)
    template = (here / "locales" / "brief.pot").read_text(encoding="utf-8")
    assert "dams" not in template  # the template is stale: the trap
    result = run("update")
    assert result.exit_code == 0, result.output
    assert "locales/brief.pot" in result.stdout
    catalog = polib.pofile(str(here / "locales" / "ur" / "brief.po"))
    edited = catalog.find("The second paragraph talks about water and dams and rivers.")
    assert edited is not None and edited.fuzzy
    assert edited.previous_msgid == "The second paragraph talks about water and rivers."
    assert edited.msgstr.startswith("ترجمہ")  # the translation carried over, for review
    assert run("publish", "--format", "md").exit_code == 0


def test_publish_of_a_stale_catalog_points_to_update_which_fixes_it(here: Path):
    edit_source(here)
    run("extract")  # the template is current, the catalogs are not
    result = run("publish", "--format", "md")
    assert result.exit_code == 2
    assert "run `l10n update`" in result.stderr
    assert run("update").exit_code == 0
    assert run("publish", "--format", "md").exit_code == 0


# --------------------------------------------------------------------------- --lang


@pytest.mark.parametrize(
    ("code", "suggestion"), [("fa", "did you mean fa_AF?"), ("de", "add it to [project] languages")]
)
def test_update_refuses_a_language_the_project_does_not_use(here: Path, code, suggestion):
    result = run("update", "--lang", code)
    assert result.exit_code == 2
    assert f"the project does not translate into '{code}'" in result.stderr
    assert suggestion in result.stderr
    assert not (here / "locales" / code).exists()


def test_an_alias_of_a_project_language_is_accepted(here: Path):
    result = run("update", "--lang", "prs")
    assert result.exit_code == 0, result.output
    assert "locales/fa_AF/brief.po" in result.stdout
    assert "locales/ur/brief.po" not in result.stdout


def test_draft_refuses_a_language_the_project_does_not_use(here: Path):
    result = run("draft", "--lang", "fa", "--dry-run")
    assert result.exit_code == 2
    assert "did you mean fa_AF?" in result.stderr


# --------------------------------------------------------------------------- a deleted source


def test_a_document_whose_source_was_deleted_is_named_by_check_status_and_update(here: Path):
    assert run("check").exit_code == 0  # control: with its source, nothing to say
    assert "no source" not in run("check").stderr
    (here / "source" / f"{DOC}.md").unlink()
    result = run("check")
    assert result.exit_code == 1
    assert "0 errors, 0 warnings" in result.stdout
    assert "locales/brief.pot" in result.stderr and "locales/ur/brief.po" in result.stderr
    assert "the document has no source (source/brief.md is missing)" in result.stderr
    assert "delete these files" in result.stderr
    for command in ("status", "update", "extract", "publish"):
        result = run(command)
        assert "the document has no source" in result.stderr, command
    assert (here / "locales" / "ur" / "brief.po").is_file()  # nothing was deleted


# --------------------------------------------------------------------------- models and hints


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_models_install_without_a_network_says_so_in_one_line(tmp_path: Path, engine_home):
    port = closed_port()
    env = {**os.environ, "ARGOS_PACKAGE_INDEX": f"http://127.0.0.1:{port}/"}
    done = subprocess.run(
        [L10N, "models", "install", "en-ur"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"cannot read the Argos package index at http://127.0.0.1:{port}/index.json" in lines[0]
    assert "Traceback" not in done.stderr and "recursion" not in done.stderr


@pytest.fixture
def argos_index(tmp_path: Path, models) -> Iterator[str]:
    """A package index served over HTTP, as the public one is, offering the tiny en→ur package."""
    folder = tmp_path / "index"
    folder.mkdir()
    shutil.copy(models.argos_ur, folder / "en_ur.argosmodel")
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(folder))
    )
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    meta = {"from_code": "en", "to_code": "ur", "package_version": "0.0.1", "type": "translate"}
    index = [
        {**meta, "package_version": "0.0.0", "links": [url + "missing.argosmodel"]},
        {**meta, "links": [url + "gone.argosmodel", url + "en_ur.argosmodel"]},
    ]
    (folder / "index.json").write_text(json.dumps(index), encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


def test_models_install_takes_the_newest_package_from_the_index(
    here: Path, engine_home, argos_index: str, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", argos_index)
    result = run("models", "install", "en-ur")
    assert result.exit_code == 0, result.output
    assert "installed" in result.stdout and "0.0.1" in result.stdout
    listed = run("models", "list")
    assert "en→ur" in listed.stdout
    result = run("models", "install", "en-ps")
    assert result.exit_code == 2
    assert "has no en-ps package (it has en-ur, en-ur)" in result.stderr
    result = run("models", "install", "en-prs")  # Dari's drafts come from Persian packages
    assert "has no en-fa package" in result.stderr


def test_draft_prints_no_install_hints_when_nothing_needs_drafting(here: Path, engine_home):
    for lang in ("ps", "fa_AF", "ur"):
        translate_all(here, lang)
    result = run("draft")
    assert result.exit_code == 0, result.output
    assert "untranslated (no model installed)" not in result.stderr
    assert "l10n models install" not in result.output
    assert "nothing to draft" in result.stdout
    # control: with one language left untranslated, one line for it and none for the others
    catalog = polib.pofile(str(here / "locales" / "ur" / "brief.po"))
    for entry in catalog:
        entry.msgstr = ""
    catalog.save()
    result = run("draft")
    assert result.exit_code == 0, result.output
    hints = [line for line in result.stderr.splitlines() if "no model installed" in line]
    assert len(hints) == 1 and hints[0].startswith("ur: 3 entries left untranslated"), hints


# --------------------------------------------------------------------------- -C, --version, -q, -v


def test_dash_c_works_before_and_after_the_command(here: Path, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    os.chdir(elsewhere)
    before = run("-C", here, "status")
    assert before.exit_code == 0, before.output
    assert "brief" in before.stdout and "ur" in before.stdout
    after = run("status", "-C", here)
    assert after.exit_code == 0 and after.stdout == before.stdout
    assert run("-C", elsewhere / "nowhere", "status").exit_code == 2
    os.chdir(elsewhere)
    assert run("status").exit_code == 2  # control: without -C, no project here


def test_the_installed_script_takes_dash_c_before_the_command(here: Path, tmp_path: Path):
    done = subprocess.run(
        [L10N, "-C", str(here), "status"], cwd=tmp_path.parent, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "brief" in done.stdout


def test_version_and_completion():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"l10n {version('l10n')}"
    help_text = run("--help").stdout
    assert "--install-completion" in help_text and "--show-completion" in help_text
    assert (
        "_l10n_completion()"
        in subprocess.run(
            [L10N, "--show-completion", "bash"], capture_output=True, text=True, check=True
        ).stdout
    )


@pytest.mark.parametrize(
    ("words", "expected"), [("l10n up", "update"), ("l10n models in", "install")]
)
def test_bash_completes_commands_and_subcommands(words: str, expected: str):
    """What bash's completion function asks the script (as `--show-completion bash` sets up)."""
    env = {**os.environ, "_L10N_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - 1)}  # fmt: skip
    done = subprocess.run([L10N], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == [expected]


def test_quiet_prints_nothing_on_stdout_and_keeps_the_exit_code(here: Path):
    assert run("status").stdout.strip()  # control: the table
    quiet = run("-q", "status")
    assert quiet.exit_code == 0 and quiet.stdout == ""
    catalog = here / "locales" / "ur" / "brief.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('msgstr ""\n\n', 'msgstr "%s"\n\n', 1), encoding="utf-8")
    failing = run("-q", "check", "--fail-on", "warning")
    assert failing.exit_code == 1 and failing.stdout == ""


def test_verbose_adds_the_cause_of_an_error(here: Path):
    (here / "source" / f"{DOC}.md").write_bytes(b"# Caf\xe9\n")
    plain = run("extract")
    assert plain.exit_code == 2 and "caused by" not in plain.stderr
    verbose = run("-v", "extract")
    assert verbose.exit_code == 2
    assert "caused by UnicodeDecodeError" in verbose.stderr


# --------------------------------------------------------------------------- output


def long_named_project(project: Path) -> Path:
    """A document deep in folders: its catalog paths alone are wider than 80 columns."""
    deep = "reports/2026/quarterly-security-and-border-trade-assessment"
    (project / "source" / "reports" / "2026").mkdir(parents=True)
    (project / "source" / f"{deep}.md").write_text(SOURCE, encoding="utf-8")
    return project


def test_piped_tables_keep_every_column_and_each_path_on_one_line(project: Path):
    long_named_project(project)
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    run_piped = partial(
        subprocess.run, cwd=project, env=env, capture_output=True, text=True, check=True
    )
    update = run_piped([L10N, "update"]).stdout
    path = "locales/ur/reports/2026/quarterly-security-and-border-trade-assessment.po"
    assert any(path in line for line in update.splitlines()), update
    assert max(len(line) for line in update.splitlines()) > 80  # control: it is wide
    status = run_piped([L10N, "status"]).stdout
    header = next(line for line in status.splitlines() if "document" in line)
    for column in ("entries", "untr.", "draft", "trans.", "rev.", "words u/d/t/r", "% done"):
        assert column in header, header
    assert any(
        "quarterly-security-and-border-trade-assessment" in line for line in status.splitlines()
    )


def test_check_findings_and_summary_go_to_stdout(here: Path):
    catalog = here / "locales" / "ur" / "brief.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('msgstr ""\n\n', 'msgstr "سڑك"\n\n', 1), encoding="utf-8")
    result = run("check")  # ك is the Arabic kaf, not the Urdu ک: an error of [letters]
    assert "locales/ur/brief.po:" in result.stdout
    assert "error" in result.stdout and "errors," in result.stdout
    assert "locales/ur/brief.po:" not in result.stderr


def test_status_and_publish_count_the_same_entries(here: Path):
    source = here / "source" / f"{DOC}.md"
    source.write_text(SOURCE + "\nThe first paragraph talks about trade across the border.\n")
    run("update")  # 4 blocks, one of them twice: 3 entries
    status = json.loads(run("status", "--json", "--lang", "ur").stdout)
    assert status[0]["entries"]["total"] == 3
    published = run("publish", "--format", "md", "--lang", "ur").stdout
    assert "dist/ur/brief.md: 3 entries: 0 translated, 0 drafts, 3 in the source language" in (
        published
    )


def test_memory_stats_says_what_it_counts(here: Path):
    translate_all(here)
    result = run("memory", "stats")
    assert result.exit_code == 0, result.output
    assert "whole entries" in result.stdout and "sentences" in result.stdout


# --------------------------------------------------------------------------- options and the file


def test_no_drafts_on_the_command_line_wins_over_drafts_true_in_l10n_toml(here: Path):
    translate_all(here, fuzzy=True)
    toml = here / "l10n.toml"
    toml.write_text(set_publish(toml.read_text(), "drafts = true"), encoding="utf-8")
    with_file = run("publish", "--format", "md", "--lang", "ur")
    assert "3 drafts" in with_file.stdout  # control: the file's setting applies
    assert "ترجمہ" in (here / "dist" / "ur" / "brief.md").read_text(encoding="utf-8")
    result = run("publish", "--no-drafts", "--format", "md", "--lang", "ur")
    assert result.exit_code == 0, result.output
    assert "0 drafts, 3 in the source language" in result.stdout
    assert "ترجمہ" not in (here / "dist" / "ur" / "brief.md").read_text(encoding="utf-8")


def set_publish(toml: str, line: str) -> str:
    """l10n.toml with one [publish] setting changed (`l10n init` writes each one)."""
    key = line.split("=")[0].strip()
    changed, count = re.subn(rf"(?m)^{key} = .*$", line, toml, count=1)
    assert count == 1
    return changed


def test_publish_follows_the_formats_in_l10n_toml_and_names_files_left_from_before(here: Path):
    toml = here / "l10n.toml"
    toml.write_text(set_publish(toml.read_text(), 'formats = ["md", "html"]'), encoding="utf-8")
    result = run("publish", "--lang", "ur")
    assert result.exit_code == 0, result.output
    assert (here / "dist" / "ur" / "brief.html").is_file()
    assert (here / "dist" / "en" / "brief.html").is_file()
    assert "from an earlier run" not in result.stderr
    only_md = run("publish", "--lang", "ur", "--format", "md")
    assert only_md.exit_code == 0
    note = next(line for line in only_md.stderr.splitlines() if "from an earlier run" in line)
    assert "dist/ur/brief.html" in note and "dist/en/brief.html" not in note


# --------------------------------------------------------------------------- install


def test_the_base_install_does_not_need_ctranslate2_or_numpy():
    base = [r for r in requires("l10n") or [] if "extra ==" not in r]
    assert not [r for r in base if r.split(">")[0].split("=")[0].strip() in
                ("ctranslate2", "sentencepiece", "numpy")], base  # fmt: skip
    draft = [r for r in requires("l10n") or [] if 'extra == "draft"' in r]
    assert any(r.startswith("ctranslate2") for r in draft)
    assert any(r.startswith("l10n[draft]") and 'extra == "argos"' in r for r in requires("l10n"))


#: Python code that makes these imports fail, as in an install without the draft extra.
BLOCKED = (
    "import sys\n"
    "for name in ('ctranslate2', 'sentencepiece', 'numpy'):\n"
    "    sys.modules[name] = None\n"
)


def run_without_ctranslate2(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI in a Python where ctranslate2, sentencepiece and numpy cannot be imported."""
    code = BLOCKED + "from l10n.cli import app\napp(prog_name='l10n')\n"
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_a_reviewer_without_the_draft_extra_can_update_check_and_publish(here: Path, engine_home):
    for args in (["update"], ["check"], ["status"], ["publish", "-f", "md"], ["draft"]):
        done = run_without_ctranslate2(args, here)
        assert done.returncode == 0, (args, done.stderr)


def test_drafting_with_a_local_model_but_without_the_extra_names_the_extra(
    here: Path, engine_home, models
):
    assert run("models", "install", models.argos_ur).exit_code == 0
    done = run_without_ctranslate2(["draft", "--lang", "ur"], here)
    assert done.returncode == 2
    assert "pip install 'l10n[draft]'" in done.stderr
    assert "Traceback" not in done.stderr
    assert run("draft", "--lang", "ur").exit_code == 0  # control: with it, the model drafts
