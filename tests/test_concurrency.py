"""Two writers at once: one l10n command per project; a translator's save is never overwritten."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest

from l10n.config import load_config
from l10n.drafting import draft
from l10n.files import ChangedOnDisk, read_text, write_bytes_atomic
from l10n.pipeline import extract, init_project, update
from l10n.project import Project

REPO = Path(__file__).parent.parent
DOC = "a-road-untraveled"
LANGS = ("ps", "fa_AF", "ur")

pytestmark = pytest.mark.skipif(os.name != "posix", reason="flock(2) and kill -9 are POSIX")


def brief_project(root: Path) -> Path:
    """The brief with its three catalogs, as a project of its own."""
    init_project(root, "briefs")
    shutil.copy(REPO / "source" / f"{DOC}.md", root / "source")
    shutil.copy(REPO / "glossary.yaml", root)
    shutil.copy(REPO / "locales" / f"{DOC}.pot", root / "locales")
    for lang in LANGS:
        (root / "locales" / lang).mkdir()
        shutil.copy(REPO / "locales" / lang / f"{DOC}.po", root / "locales" / lang)
    return root


def l10n(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["l10n", *args], cwd=root, capture_output=True, text=True, check=False)


def user_files(root: Path) -> dict[str, bytes]:
    """Everything a user owns or reads: sources, catalogs, editions (not the parse cache)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".l10n-cache" not in p.parts
    }


#: another l10n command, stopped while it holds the project's lock
HOLDER = """
import sys
from pathlib import Path
from l10n.lock import project_lock
with project_lock(Path(sys.argv[1]), "update"):
    print("holding", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    root = brief_project(tmp_path / "project")
    assert l10n(root, "update").returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline() == "holding\n"
    yield root, process
    process.kill()
    process.wait()


WRITERS = {
    "update": ["update"],
    "build": ["build", "-f", "md"],
    "draft": ["draft"],
    "publish": ["publish", "-f", "md"],
    "review approve": ["review", "approve", f"locales/ps/{DOC}.po", "--reviewer", "Nasrin"],
}


@pytest.mark.parametrize("command", list(WRITERS))
def test_a_second_writer_is_refused_naming_the_first_and_touches_nothing(holder, command):
    root, first = holder
    before = user_files(root)
    second = l10n(root, *WRITERS[command])
    assert second.returncode == 2, second.stderr
    assert f"another l10n is writing this project (l10n update, pid {first.pid}, since" in (
        second.stderr
    )
    assert user_files(root) == before


def test_readers_need_no_lock_and_a_killed_holder_leaves_none(holder):
    root, first = holder
    assert l10n(root, "status").returncode == 0
    assert "another l10n" not in l10n(root, "check").stderr
    first.send_signal(signal.SIGKILL)
    assert first.wait() == -signal.SIGKILL
    # the lock file stays, but the kernel released the lock with its holder
    assert (root / ".l10n-cache" / "lock").read_text().startswith(f"{first.pid}\tupdate\t")
    again = l10n(root, "publish", "-f", "md")
    assert again.returncode == 0, again.stderr
    assert (root / "dist" / "ps" / f"{DOC}.md").is_file()


# --------------------------------------------------------------------------- saved meanwhile


@dataclass
class SavedMidway(Project):
    """The brief's project, with a translator who saves one catalog while a stage runs.

    The save happens at the `nth` call of `moment` (`glossary`: after `update`
    has read every catalog; the 2nd `catalogs`: when `draft` refreshes the
    memory, after reading the catalogs it will write).
    """

    moment: str = "glossary"
    nth: int = 1
    catalog: Path | None = None
    saved: bytes = b""
    _calls: int = 0

    def _tick(self, name: str) -> None:
        if name != self.moment or self.catalog is None:
            return
        self._calls += 1
        if self._calls == self.nth:
            self.catalog.write_bytes(self.saved)  # the editor's own save, not ours

    def glossary(self):  # type: ignore[no-untyped-def]
        self._tick("glossary")
        return super().glossary()

    def catalogs(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._tick("catalogs")
        return super().catalogs(*args, **kwargs)


def translators_version(catalog: Path) -> bytes:
    """The catalog with its first untranslated-or-draft entry translated by hand."""
    po = polib.pofile(str(catalog), wrapwidth=0)
    entry = next(e for e in po if not e.obsolete and e.msgid)
    entry.msgstr = "د ژباړونکي خپله ژباړه"
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    return str(po).encode("utf-8")


def test_a_translator_saving_while_update_runs_keeps_their_version(tmp_path: Path):
    root = brief_project(tmp_path)
    source = root / "source" / f"{DOC}.md"
    source.write_text(source.read_text("utf-8") + "\nA paragraph the author added.\n", "utf-8")
    catalog = root / "locales" / "ps" / f"{DOC}.po"
    saved = translators_version(catalog)
    project = SavedMidway(load_config(root), moment="glossary", catalog=catalog, saved=saved)
    extract(project)
    with pytest.raises(ChangedOnDisk) as refused:
        update(project)
    assert Path(refused.value.path or "").resolve() == catalog.resolve()
    assert "changed on disk since this command read it" in str(refused.value)
    assert catalog.read_bytes() == saved
    assert not list(root.rglob("*.l10n.tmp"))

    # run again, the translator's text is what update builds on
    update(Project(load_config(root)))
    assert "د ژباړونکي خپله ژباړه" in catalog.read_text("utf-8")
    assert "A paragraph the author added." in catalog.read_text("utf-8")


def test_without_a_save_meanwhile_the_same_update_goes_through(tmp_path: Path):
    """The control: the refusal above comes from the save, not from the hook."""
    root = brief_project(tmp_path)
    source = root / "source" / f"{DOC}.md"
    source.write_text(source.read_text("utf-8") + "\nA paragraph the author added.\n", "utf-8")
    project = SavedMidway(load_config(root), moment="glossary")
    extract(project)
    update(project)
    catalog = root / "locales" / "ps" / f"{DOC}.po"
    assert "A paragraph the author added." in catalog.read_text("utf-8")


def test_a_save_before_draft_refreshes_the_memory_is_not_overwritten(tmp_path: Path):
    """`draft` reads the catalogs, then the memory reads them again: the first read counts."""
    root = brief_project(tmp_path)
    catalog = root / "locales" / "ps" / f"{DOC}.po"
    shutil.copy(root / "source" / f"{DOC}.md", root / "source" / "copy.md")
    shutil.copy(catalog, root / "locales" / "ps" / "copy.po")  # the memory's exact matches
    po = polib.pofile(str(catalog), wrapwidth=0)
    for entry in po[:3]:
        entry.msgstr = ""
    catalog.write_text(str(po), "utf-8")
    saved = translators_version(catalog)
    project = SavedMidway(load_config(root), moment="catalogs", nth=2, catalog=catalog, saved=saved)
    with pytest.raises(ChangedOnDisk) as refused:
        draft(project, ["ps"])
    assert Path(refused.value.path or "").resolve() == catalog.resolve()
    assert catalog.read_bytes() == saved

    # the control: the same draft, with nobody saving meanwhile, fills the two left empty
    draft(Project(load_config(root)), ["ps"])
    refilled = polib.pofile(str(catalog), wrapwidth=0)
    assert refilled[0].msgstr == "د ژباړونکي خپله ژباړه"
    assert all(entry.msgstr for entry in refilled[1:3])


def test_outside_a_command_a_write_does_not_ask_what_was_read(tmp_path: Path):
    """Library callers that read and write on their own keep plain atomic writes."""
    catalog = tmp_path / "brief.po"
    catalog.write_bytes(b"one\n")
    read_text(catalog)
    catalog.write_bytes(b"two\n")
    assert write_bytes_atomic(catalog, b"three\n") is True


def test_build_holds_the_lock_between_its_stages(tmp_path: Path, monkeypatch):
    """A second writer that starts while `build` is between two stages (at its check,
    which writes nothing and takes no lock of its own) is still refused."""
    from l10n import pipeline

    root = brief_project(tmp_path / "briefs")
    seen: list[subprocess.CompletedProcess[str]] = []
    check = pipeline.check

    def check_while_another_updates(*args, **kwargs):
        seen.append(l10n(root, "update"))
        return check(*args, **kwargs)

    monkeypatch.setattr(pipeline, "check", check_while_another_updates)
    pipeline.build(Project.open(root), formats=["md"])
    assert len(seen) == 1
    assert seen[0].returncode == 2, seen[0].stdout + seen[0].stderr
    assert "another l10n is writing this project" in seen[0].stderr + seen[0].stdout
    assert l10n(root, "update").returncode == 0  # control: once build is done, update runs
