"""Mutated catalogs and sources, fed to the real CLI: every outcome is a clean one.

A seeded mutator breaks a small project's PO file and Markdown source in the
ways outside files break (escapes, stray quotes, NUL bytes, header entries,
truncation, long runs of markup, nested emphasis, impossible dates).  For every
input: the exit code is 0, 1 or 2 and never a traceback; the command finishes
before a time bound (it runs in a forked child that is killed when the bound
passes); a refused input leaves every file as it was; and `update` never
changes what gettext reads in a translation (`msgfmt` then `msgunfmt`, before
and after), nor writes a catalog that `msgfmt` rejects.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import traceback
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from test_hostile_input import gettext_reading, msgfmt_accepts, snapshot

SOURCE = """\
---
title: Border trade
date: 2021-12
---

# Border trade

Trade passes through *Torkham* and [Chaman](https://example.org).[^1]

- Fruit, `cement` and **coal**
- Transit goods

| Crossing | Trucks |
| --- | --- |
| Torkham | 1,300 |

[^1]: Customs data, 2021.
"""
#: the suite runs one fixed seed; L10N_FUZZ_SEED and L10N_FUZZ_CASES explore further
SEED = int(os.environ.get("L10N_FUZZ_SEED", "16"))
PO_CASES = int(os.environ.get("L10N_FUZZ_CASES", "24"))
SOURCE_CASES = PO_CASES // 2
#: seconds a command may take on these inputs of a few kilobytes (a busy 2-core machine)
BOUND = 60

#: pieces that outside catalogs hold, valid or not
PO_PIECES = [
    r"\xd9\xbe", r"\331\276", r"\x141", r"\x00d9", r"\777", r"\xff", r"\xd9", r"\0", "\0",
    r"\x", r"\?", r"\'", r"\q", '"', "\\", r"\n", r"\t", "\t", "\r", "\u202e", "\ufeff",
    "پ", "ښ", 'msgid ""\nmsgstr ""\n', '#~ msgid "gone"\n#~ msgstr "رفت"\n',
    '#| msgid "old"\n', "#, fuzzy\n", 'msgstr[0] "x"\n', 'msgid_plural "x"\n',
    'msgctxt "c"\n', "[^1]", "`", "*", "](", "<b>", "&amp;",
]  # fmt: skip
MD_PIECES = [
    "*", "**", "_", "`", "[^", "[^1]", "^[", "[", "](", "<", "&#", "\\", "\0", "\r", "\t",
    "---\n", "```\n", "> ", "- ", "1. ", "| x |\n", "[^2]: n\n", "\ufeff", "\u202e",
    "date: 2021-13\n", "date: 2021-02-30\n", "x: 0000-01-01\n", "title: [a, {b: c}]\n",
]  # fmt: skip
RUNS = ["*", "`", "[^", "a", "_a ", "\\1", "[", "^["]


def _insert(rng: random.Random, text: str, piece: str) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + piece + text[at:]


def _po_mutation(rng: random.Random, text: str) -> str:
    choice = rng.randrange(6)
    if choice == 0:
        return _insert(rng, text, rng.choice(PO_PIECES))
    if choice == 1:  # a piece inside a translation
        at = text.rfind('msgstr "', 0, rng.randrange(len(text) + 1))
        at = at + len('msgstr "') if at >= 0 else rng.randrange(len(text) + 1)
        return text[:at] + rng.choice(PO_PIECES) + text[at:]
    if choice == 2:  # a long run inside a translation
        at = text.rfind('msgstr "')
        return text[: at + 8] + rng.choice(RUNS) * rng.choice([500, 5000]) + text[at + 8 :]
    if choice == 3:
        lines = text.split("\n")
        line = rng.randrange(len(lines))
        lines.insert(line, lines[rng.randrange(len(lines))])
        return "\n".join(lines)
    if choice == 4:
        return text[: rng.randrange(len(text) + 1)]
    at = rng.randrange(len(text) + 1)
    return text[:at] + text[at + rng.randrange(1, 5) :]


def _source_mutation(rng: random.Random, text: str) -> str:
    choice = rng.randrange(4)
    if choice == 0:
        return _insert(rng, text, rng.choice(MD_PIECES))
    if choice == 1:
        depth = rng.choice([3, 60, 2500])
        mark = rng.choice(["*", "_", "**"])
        return _insert(rng, text, mark * depth + "deep" + mark * depth)
    if choice == 2:
        return _insert(rng, text, rng.choice(RUNS) * rng.choice([500, 5000]))
    at = rng.randrange(len(text) + 1)
    return text[:at] + text[at + rng.randrange(1, 8) :]


def _child(connection, project: str, args: list[str]) -> None:
    from typer.testing import CliRunner

    from l10n.cli import app

    try:
        result = CliRunner().invoke(app, ["-C", project, *args])
        crash = result.exception if not isinstance(result.exception, SystemExit) else None
        trace = "".join(traceback.format_exception(crash)) if crash else ""
        connection.send((result.exit_code, result.output, trace))
    except BaseException as exc:  # reported to the parent as a crash
        connection.send((-1, "", "".join(traceback.format_exception(exc))))


def run_cli(project: Path, *args: str) -> tuple[int, str]:
    """The real CLI, in a forked child killed after BOUND seconds (a hang fails the test)."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, str(project), list(args)))
    child.start()
    send.close()
    try:
        if not receive.poll(BOUND):
            pytest.fail(f"l10n {' '.join(args)} still running after {BOUND} s in {project}")
        code, output, trace = receive.recv()
    finally:
        child.kill()
        child.join()
    assert not trace, f"l10n {' '.join(args)} crashed in {project}:\n{trace}"
    assert code in (0, 1, 2), f"l10n {' '.join(args)} exited {code}: {output}"
    return code, output


@pytest.fixture(scope="module")
def template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from l10n.pipeline import init_project

    folder = tmp_path_factory.mktemp("fuzz-template")
    init_project(folder, "fuzz")
    (folder / "source" / "brief.md").write_text(SOURCE, encoding="utf-8")
    assert run_cli(folder, "build", "-f", "md")[0] == 0
    catalog = folder / "locales" / "ps" / "brief.po"
    text = catalog.read_text("utf-8")  # translate every entry, so there is text to protect
    catalog.write_text(text.replace('msgstr ""\n\n', 'msgstr "ترجمه"\n\n'), "utf-8")
    return folder


def _copy(template: Path, where: Path) -> Path:
    shutil.copytree(template, where)
    return where


def _cases(count: int, seed: int, mutate: Callable[[random.Random, str], str], text: str):
    rng = random.Random(seed)
    for number in range(count):
        mutated = text
        for _ in range(rng.randint(1, 3)):
            mutated = mutate(rng, mutated)
        yield number, mutated


def test_mutated_catalogs_are_read_as_gettext_reads_them_or_refused(template_project, tmp_path):
    original = (template_project / "locales" / "ps" / "brief.po").read_text("utf-8")
    outcomes = {0: 0, 1: 0, 2: 0}
    for number, mutated in _cases(PO_CASES, SEED, _po_mutation, original):
        project = _copy(template_project, tmp_path / f"po{number}")
        catalog = project / "locales" / "ps" / "brief.po"
        catalog.write_bytes(mutated.encode("utf-8", "surrogatepass"))
        before_files = snapshot(project)
        before = gettext_reading(catalog, tmp_path)
        code, output = run_cli(project, "update")
        outcomes[code] += 1
        if code == 2:
            assert "brief.po:" in output, output  # names the file and line
            assert snapshot(project) == before_files, f"case {number}: refused but written"
            continue
        if catalog.read_bytes() != before_files["locales/ps/brief.po"]:
            assert msgfmt_accepts(catalog), f"case {number}: wrote what msgfmt rejects"
        after = gettext_reading(catalog, tmp_path) or {}
        template = polib.pofile(str(project / "locales" / "brief.pot"))
        wanted = {(entry.msgctxt, entry.msgid) for entry in template}
        for key, msgstr in (before or {}).items():
            if key in wanted:  # a block still in the source keeps what gettext read
                assert after.get(key) == msgstr, f"case {number}: gettext reads {key} differently"
        run_cli(project, "check")
    assert outcomes[0] and outcomes[2], outcomes  # the mutator makes both kinds of input


def test_mutated_sources_build_or_are_refused_with_nothing_written(template_project, tmp_path):
    outcomes = {0: 0, 1: 0, 2: 0}
    for number, mutated in _cases(SOURCE_CASES, SEED, _source_mutation, SOURCE):
        project = _copy(template_project, tmp_path / f"md{number}")
        (project / "source" / "brief.md").write_text(mutated, encoding="utf-8")
        before_files = snapshot(project)
        code, output = run_cli(project, "build", "-f", "md")
        outcomes[code] += 1
        if code == 2:
            assert "brief" in output, output
            assert snapshot(project) == before_files, f"case {number}: refused but written"
    assert outcomes[0] and outcomes[2], outcomes
