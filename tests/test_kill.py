"""`kill -9` at random moments of the writing commands: nothing is lost, nothing is left over.

Real `l10n` processes on a copy of the brief kept in git.  Each command is
given work to do (an author's edit, entries for the memory to fill, drafts a
translator confirmed, an import), then killed at a seeded random moment of
that work, then run again to the end.  After every kill: every catalog passes
`msgfmt --check`, every translation that was there is still there, and git
sees no new file.  After every run to the end: no temporary anywhere, and the
memory is a sound SQLite database.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest

from l10n.config import load_config
from l10n.pipeline import extract, init_project
from l10n.project import Project

REPO = Path(__file__).parent.parent
DOC = "a-road-untraveled"
LANGS = ("ps", "fa_AF", "ur")
SEED = 20261201
ROUNDS = 2
GIT = ("git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org")

pytestmark = pytest.mark.skipif(os.name != "posix", reason="kill -9 is a POSIX signal")


@dataclass
class Command:
    """A writing command, what makes it have work to do, and the exits of a full run."""

    args: tuple[str, ...]
    prepare: Callable[[Path, int], None]
    exits: tuple[int, ...] = (0,)
    work: float = 0.5  # seconds from taking the lock to the end, last measured
    round: int = 0


def author_edits(root: Path, round_: int) -> None:
    """A new paragraph, close to one the catalogs translate, so the memory can fill it later."""
    source = root / "source" / f"{DOC}.md"
    text = source.read_text("utf-8")
    paragraph = next(p for p in text.split("\n\n") if len(p) > 200 and p[0].isalpha())
    source.write_text(f"{text.rstrip()}\n\n{paragraph} (Revised {round_ + 1}.)\n", "utf-8")
    extract(Project(load_config(root)))


def nothing_to_prepare(root: Path, round_: int) -> None:
    """The entries `update` left untranslated are the work (draft), or the changed catalogs
    (publish)."""


def translator_confirms(root: Path, round_: int) -> None:
    """A translator takes the fuzzy mark off a few drafts, as an editor saves the file."""
    catalog = root / "locales" / "ps" / f"{DOC}.po"
    po = polib.pofile(str(catalog), wrapwidth=0)
    drafts = [e for e in po if not e.obsolete and "fuzzy" in e.flags and e.msgstr]
    for entry in drafts[round_ * 5 : round_ * 5 + 5]:
        entry.flags.remove("fuzzy")
        entry.previous_msgid = None
    catalog.write_text(str(po), "utf-8")


def writing_commands(imports: Path) -> dict[str, Command]:
    return {
        "update": Command(("update",), author_edits),
        "draft": Command(("draft",), nothing_to_prepare),
        "review approve": Command(
            ("review", "approve", f"locales/ps/{DOC}.po", "--reviewer", "Nasrin"),
            translator_confirms,
            exits=(0, 1),  # 1: some entries refused (drafts, check errors), the rest approved
        ),
        "publish": Command(("publish", "-f", "md"), nothing_to_prepare),
        "memory import": Command(
            ("memory", "import", str(imports), "--penalty", "{round}"), nothing_to_prepare
        ),
    }


def brief_in_git(root: Path) -> Path:
    init_project(root, "briefs")
    shutil.copy(REPO / "source" / f"{DOC}.md", root / "source")
    shutil.copy(REPO / "glossary.yaml", root)
    for lang in LANGS:
        (root / "locales" / lang).mkdir()
        shutil.copy(REPO / "locales" / lang / f"{DOC}.po", root / "locales" / lang)
    extract(Project(load_config(root)))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*GIT, "-C", str(root), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(root), "commit", "-q", "-m", "the brief"], check=True)
    return root


def catalogs(root: Path) -> list[Path]:
    return sorted((root / "locales").rglob("*.po")) + sorted((root / "locales").glob("*.pot"))


def translations(root: Path) -> dict[str, set[tuple[str | None, str, str]]]:
    """(context, source, translation) of every translated entry, obsolete ones too, by file."""
    return {
        path.relative_to(root).as_posix(): {
            (e.msgctxt, e.msgid, e.msgstr) for e in polib.pofile(str(path), wrapwidth=0) if e.msgstr
        }
        for path in catalogs(root)
    }


def leftovers(root: Path) -> list[str]:
    """Temporaries of any writer: ours, SQLite's rollback journals, editors' `.tmp` files."""
    names = ("*.tmp", "*-journal", "*-wal")
    return sorted(
        {
            p.relative_to(root).as_posix()
            for pattern in names
            for p in root.rglob(pattern)
            if ".git" not in p.relative_to(root).parts
        }
    )


def untracked(root: Path) -> list[str]:
    status = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line for line in status.splitlines() if line.startswith("??")]


def lock_taken_by(root: Path, pid: int) -> bool:
    try:
        return (root / ".l10n-cache" / "lock").read_text().startswith(f"{pid}\t")
    except FileNotFoundError:
        return False


@dataclass
class Run:
    returncode: int
    killed: bool  # still running when the signal was sent
    working: bool = False  # ...and past taking the project's lock: its work had begun
    stderr: str = ""


@dataclass
class Tally:
    kills: int = 0
    mid_run: int = 0
    working: int = 0
    aimed: int = 0  # killed when a write was seen
    left_temporaries: int = 0  # kills that left one behind (for the next command to sweep)


def run(root: Path, command: Command, kill_after: float | None, aim: bool = False) -> Run:
    """Start the command; with `kill_after`, send SIGKILL that long after it took the lock
    (`memory import`, which takes none: after it started); with `aim`, the moment it is
    seen writing a temporary or a rollback journal instead."""
    process = subprocess.Popen(
        ["l10n", *(a.format(round=command.round) for a in command.args)],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    started = time.monotonic()
    if aim:
        while process.poll() is None and not writing(root):
            time.sleep(0.0002)
        return _kill(root, process)
    while process.poll() is None and not lock_taken_by(root, process.pid):
        if command.args[0] == "memory" and kill_after is not None:
            break  # `memory import` writes only the memory, which SQLite locks itself
        time.sleep(0.002)
    locked = time.monotonic()
    if kill_after is None:
        _, stderr = process.communicate()
        if lock_taken_by(root, process.pid):
            command.work = time.monotonic() - locked
        elif command.args[0] == "memory":
            command.work = time.monotonic() - started
        return Run(process.returncode, killed=False, stderr=stderr)
    time.sleep(kill_after)
    return _kill(root, process)


def _kill(root: Path, process: subprocess.Popen[str]) -> Run:
    alive = process.poll() is None
    working = alive and lock_taken_by(root, process.pid)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    return Run(process.returncode, killed=alive, working=working)


def writing(root: Path) -> bool:
    """A temporary or a rollback journal exists where the commands write."""
    folders = [root / "locales", root / ".l10n-cache"]
    folders += [root / folder / lang for folder in ("locales", "dist") for lang in LANGS]
    for folder in folders:
        try:
            with os.scandir(folder) as entries:
                if any(e.name.endswith((".l10n.tmp", "-journal")) for e in entries):
                    return True
        except FileNotFoundError:
            continue
    return False


def msgfmt_check(path: Path) -> str:
    done = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True
    )
    return "" if done.returncode == 0 else done.stderr


def test_kill_9_at_random_moments_loses_no_translation_and_leaves_no_temporary(tmp_path: Path):
    started = time.monotonic()
    root = brief_in_git(tmp_path / "project")
    imports = tmp_path / "other-project"  # a memory to import, outside the project
    shutil.copytree(REPO / "locales" / "ur", imports)
    commands = writing_commands(imports)
    rng = random.Random(SEED)
    tally = Tally()
    for round_ in range(ROUNDS):
        for index, (name, command) in enumerate(commands.items()):
            command.round = round_
            command.prepare(root, round_)
            before = translations(root)
            state_before = state(root)
            moment = rng.uniform(0, command.work)
            aim = (round_ + index) % 2 == 1  # every other kill: when a write is seen
            killed = run(root, command, kill_after=moment, aim=aim)
            tally.kills += 1
            tally.mid_run += killed.killed
            tally.working += killed.working
            tally.aimed += aim and killed.killed

            when = "while writing" if aim else f"{moment:.3f} s after it began its work"
            where = f"{name}, round {round_ + 1}, killed {when}"
            broken = {p.name: e for p in catalogs(root) if (e := msgfmt_check(p))}
            assert not broken, f"{where}: {broken}"
            after = translations(root)
            for label, kept in before.items():
                lost = kept - after.get(label, set())
                assert not lost, f"{where}: {label} lost {sorted(lost)[:3]}"
            assert untracked(root) == [], where  # git shows no temporary, even before a rerun
            tally.left_temporaries += bool(leftovers(root))

            again = run(root, command, kill_after=None)
            assert again.returncode in command.exits, f"{name} after the kill: {again.stderr}"
            assert leftovers(root) == [], f"{name} run again after the kill"
            assert untracked(root) == []
            assert memory_is_sound(root)
            # the control: the command had work to do, so the kill could interrupt it
            assert state(root) != state_before, f"{where}: the command did nothing ({again})"
    print(f"{tally}, {time.monotonic() - started:.1f} s")
    # the kills landed in the commands' lives, not after their end
    assert tally.mid_run >= tally.kills * 3 // 4, tally


def state(root: Path) -> tuple[dict[str, bytes], list[tuple[object, ...]]]:
    """The catalogs, the editions and the memory's units."""
    files = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in ("locales", "dist")
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }
    path = root / ".l10n-cache" / "memory.sqlite3"
    units: list[tuple[object, ...]] = []
    if path.is_file():
        memory = sqlite3.connect(path)
        units = sorted(memory.execute("SELECT * FROM units"), key=repr)
        memory.close()
    return files, units


def memory_is_sound(root: Path) -> bool:
    path = root / ".l10n-cache" / "memory.sqlite3"
    if not path.is_file():
        return True
    memory = sqlite3.connect(path)
    try:
        return memory.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        memory.close()


#: a writer of a large edition, in a process of its own so that it can be killed mid-write
WRITER = """
import sys
from pathlib import Path
from l10n.files import write_bytes_atomic
write_bytes_atomic(Path(sys.argv[1]), b"an edition line\\n" * 4_000_000)
"""


def test_a_temporary_no_later_write_would_reach_is_swept_by_the_next_command(tmp_path: Path):
    """An edition of a document since removed: nothing writes next to it again."""
    root = brief_in_git(tmp_path / "project")
    gone = root / "dist" / "ps" / "removed-document.md"
    gone.parent.mkdir(parents=True)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(gone)])
    deadline = time.monotonic() + 60
    while not list(gone.parent.glob("*.l10n.tmp")) and time.monotonic() < deadline:
        assert writer.poll() is None, "the writer ended before it was seen writing"
        time.sleep(0.001)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    (stale,) = gone.parent.glob("*.l10n.tmp")
    assert stale.name.startswith(f".removed-document.md.{writer.pid}.")
    assert untracked(root) == []  # ignored by the pattern `l10n init` wrote
    # the control: a temporary of a writer still running (this test) is not touched
    alive = root / "locales" / "ps" / f".{DOC}.po.{os.getpid()}.k2j4x8q1.l10n.tmp"
    alive.write_bytes(b"half")

    done = subprocess.run(["l10n", "update"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not stale.exists()
    assert leftovers(root) == [alive.relative_to(root).as_posix()]


def test_after_build_git_sees_nothing_new_and_after_a_second_build_nothing_at_all(
    tmp_path: Path,
):
    root = brief_in_git(tmp_path / "project")
    source = root / "source" / f"{DOC}.md"
    source.write_text(source.read_text("utf-8") + "\nA paragraph the author added.\n", "utf-8")
    first = subprocess.run(["l10n", "build", "-f", "md"], cwd=root, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert (root / "dist" / "ps" / f"{DOC}.md").is_file()
    assert (root / ".l10n-cache" / "lock").is_file()
    assert untracked(root) == []  # cache, memory, lock and editions are all ignored
    assert "A paragraph the author added." in (root / "locales" / "ur" / f"{DOC}.po").read_text()
    subprocess.run([*GIT, "-C", str(root), "commit", "-q", "-a", "-m", "built"], check=True)
    second = subprocess.run(["l10n", "build", "-f", "md"], cwd=root, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    status = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert status.stdout == ""
