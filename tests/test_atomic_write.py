"""A catalog or an edition is never half-written, whatever happens during the write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from l10n.files import write_bytes_atomic

OLD = 'msgid "Border trade"\nmsgstr "د پولې سوداګري"\n'.encode()

#: a writer of a large file, in a process of its own so that it can be killed mid-write
WRITER = """
import sys
from pathlib import Path
from l10n.files import write_bytes_atomic
write_bytes_atomic(Path(sys.argv[1]), b"new catalog line\\n" * int(sys.argv[2]))
"""


def leftovers(folder: Path, keep: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p != keep)


def run_writer(target: Path, lines: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target), str(lines)], stderr=subprocess.PIPE
    )


def test_a_write_whose_rename_fails_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    catalog = tmp_path / "brief.po"
    catalog.write_bytes(OLD)

    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("l10n.files.os.replace", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_bytes_atomic(catalog, b'msgid "Border trade"\nmsgstr ""\n')
    assert catalog.read_bytes() == OLD
    assert leftovers(tmp_path, catalog) == []


def wait_for_the_write_to_begin(folder: Path, target: Path, writer: subprocess.Popen) -> None:
    """Until the writer touched the folder: a temporary appears, or the target itself changes."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if leftovers(folder, target) or target.read_bytes() != OLD:
            return
        if writer.poll() is not None:
            pytest.fail(f"the writer ended before it was seen writing: {writer.stderr.read()!r}")
        time.sleep(0.0005)
    pytest.fail("the writer never started writing")


@pytest.mark.skipif(os.name != "posix", reason="kill -9 is a POSIX signal")
def test_a_writer_killed_mid_write_leaves_the_old_file_intact_and_the_next_write_sweeps_up(
    tmp_path: Path,
):
    catalog = tmp_path / "brief.po"
    catalog.write_bytes(OLD)
    writer = run_writer(catalog, 4_000_000)  # 68 MB: the kill lands long before the rename
    wait_for_the_write_to_begin(tmp_path, catalog, writer)
    writer.send_signal(signal.SIGKILL)
    assert writer.wait() == -signal.SIGKILL
    assert catalog.read_bytes() == OLD
    # a killed process cannot clean up: its temporary stays, named after the file and the pid
    (stale,) = leftovers(tmp_path, catalog)
    assert stale.startswith(f".brief.po.{writer.pid}.") and stale.endswith(".tmp")

    # the next run that writes the catalog removes it
    again = run_writer(catalog, 2)
    assert again.wait() == 0, again.stderr.read()
    assert catalog.read_bytes() == b"new catalog line\n" * 2
    assert leftovers(tmp_path, catalog) == []


@pytest.mark.skipif(os.name != "posix", reason="pids are asked with kill(pid, 0)")
def test_the_sweep_spares_running_writers_and_other_files(tmp_path: Path):
    catalog = tmp_path / "brief.po"
    catalog.write_bytes(OLD)
    alive = f".brief.po.{os.getpid()}.k2j4x8q1.tmp"  # this test's process is still writing
    other = f".water.po.{2**22 + 1}.k2j4x8q1.tmp"  # another file's, from a process long gone
    unrelated = "brief.po.99999.notes.tmp"  # not hidden: not one of ours
    for name in (alive, other, unrelated):
        (tmp_path / name).write_bytes(b"half")
    writer = run_writer(catalog, 2)
    assert writer.wait() == 0, writer.stderr.read()
    assert catalog.read_bytes() == b"new catalog line\n" * 2
    assert leftovers(tmp_path, catalog) == sorted([alive, other, unrelated])


def test_an_unchanged_file_is_not_rewritten(tmp_path: Path):
    catalog = tmp_path / "brief.po"
    catalog.write_bytes(OLD)
    os.utime(catalog, (1_000_000_000, 1_000_000_000))
    assert write_bytes_atomic(catalog, OLD) is False
    assert catalog.stat().st_mtime == 1_000_000_000
    assert write_bytes_atomic(catalog, b"changed\n") is True
    assert catalog.read_bytes() == b"changed\n"
    assert leftovers(tmp_path, catalog) == []


def test_a_temporary_written_since_this_run_began_is_left_alone(tmp_path: Path):
    """Its pid may be a process on another machine that shares the folder, still writing."""
    catalog = tmp_path / "brief.po"
    catalog.write_bytes(OLD)
    elsewhere = f".brief.po.{2**22 + 1}.k2j4x8q1.tmp"
    (tmp_path / elsewhere).write_bytes(b"half")
    assert write_bytes_atomic(catalog, b"changed\n") is True
    assert leftovers(tmp_path, catalog) == [elsewhere]
