"""Reading and writing files so that bad input is named and no file is ever half-written.

While a command that writes runs (`writing_command`), a file it has read is
only written back if it is still what the command first read: a translator who
saves a catalog while `update` runs keeps their version, and the command stops
naming the file (`ChangedOnDisk`).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import L10nError

#: every temporary ends so; `l10n init` tells git to ignore the pattern
TEMPORARY_SUFFIX = ".l10n.tmp"
TEMPORARY_PATTERN = f"*{TEMPORARY_SUFFIX}"


class ChangedOnDisk(L10nError):
    """A file changed between the command reading it and writing it back; nothing was written."""


#: while a writing command runs: what each file it read held when first read (sha256),
#: by real path (a later read of the same file does not count: the command may be
#: writing what it made of the first)
_seen: dict[str, bytes] | None = None


@contextmanager
def writing_command() -> Iterator[None]:
    """The extent of one command that writes (nested: the outermost counts)."""
    global _seen
    outermost = _seen is None
    if outermost:
        _seen = {}
    try:
        yield
    finally:
        if outermost:
            _seen = None


def read_text(path: Path, label: str | None = None) -> str:
    """UTF-8 text of a file; invalid bytes are reported with their line and column.

    What was read is remembered, so that writing the file back can tell
    whether someone else changed it in between.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise L10nError(f"cannot read: {exc.strerror or exc}", label or path) from exc
    text = decode_text(data, label or path)
    if _seen is not None:
        _seen.setdefault(_key(path), _digest(data))
    return text


def decode_text(data: bytes, label: str | Path) -> str:
    """UTF-8 text of bytes read elsewhere (from git, say), refused as `read_text` refuses."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise L10nError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); "
            "save the file as UTF-8",
            label,
            line,
        ) from exc


def write_text_atomic(path: Path, text: str) -> bool:
    """Write UTF-8 text atomically (see write_bytes_atomic)."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> bool:
    """Write through a temporary file and a rename; skip the write if nothing changed.

    Returns whether the file was written, so unchanged catalogs keep their
    timestamps and version control sees no noise.  Within a writing command,
    a file the command read (`read_text`) that has changed on disk since is
    not written: `ChangedOnDisk` names it.  A failed write removes its temporary file; a
    killed one cannot, so each write sweeps the stale temporaries of the same
    file, and a command that takes the project's lock those of the whole
    project (`remove_stale_temporaries`).
    """
    _remove_stale_temporaries(path)
    key = _key(path)
    try:
        current: bytes | None = path.read_bytes()
        before = os.stat(path)
    except FileNotFoundError:
        current, before = None, None
    if current == data:
        return False  # whoever changed it meanwhile wrote the same: nothing to lose
    expected = _seen.get(key) if _seen is not None else None
    if expected is not None and (current is None or _digest(current) != expected):
        raise _changed(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=_temporary_prefix(path), suffix=TEMPORARY_SUFFIX, dir=path.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, before.st_mode & 0o777 if before else 0o644)
        if expected is not None and _stamp(path) != _stamp_of(before):
            raise _changed(path)  # saved by someone else while the temporary was written
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if _seen is not None and expected is not None:
        _seen[key] = _digest(data)  # later stages of the command build on this version
    return True


def _changed(path: Path) -> ChangedOnDisk:
    return ChangedOnDisk(
        "changed on disk since this command read it (saved by someone else meanwhile?); "
        "left as it is and not written: run the command again",
        path,
    )


def _key(path: Path) -> str:
    return os.path.realpath(path)


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        return _stamp_of(os.stat(path))
    except FileNotFoundError:
        return None


def _stamp_of(st: os.stat_result | None) -> tuple[int, int, int] | None:
    return None if st is None else (st.st_ino, st.st_size, st.st_mtime_ns)


#: when this process began writing files; temporaries last touched before it are not ours
_STARTED = time.time()


def _temporary_prefix(path: Path) -> str:
    """`.name.<pid>.`: hidden, tied to its file, and naming the process that writes it."""
    return f".{path.name}.{os.getpid()}."


#: any writer's temporary: `.name.<pid>.<random>.l10n.tmp` (`.tmp` alone before 0.x)
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[a-z0-9_]+" + re.escape(TEMPORARY_SUFFIX))


def _remove_stale_temporaries(path: Path) -> None:
    """Delete what writers of `path` killed mid-write (`kill -9`, power loss) left behind.

    A temporary is stale when the process named in it is no longer running and
    it was last written before this process started (the pid alone could
    belong to another machine sharing the folder).  Where liveness cannot be
    asked (not POSIX), nothing is deleted.
    """
    if os.name != "posix" or not path.parent.is_dir():
        return
    pattern = re.compile(re.escape(f".{path.name}.") + r"(\d+)\.[^.]+\.(?:l10n\.)?tmp")
    for entry in os.scandir(path.parent):
        match = pattern.fullmatch(entry.name)
        if match:
            _remove_if_stale(entry.path, int(match[1]))


def remove_stale_temporaries(trees: Iterable[Path], folders: Iterable[Path] = ()) -> list[Path]:
    """Sweep the stale temporaries of every file under `trees`, and in `folders` (not below).

    For temporaries next to files that are never written again (an edition of
    a removed document, a folder the command does not touch this time), which
    the sweep of each write cannot reach.  Returns what was removed.
    """
    removed: list[Path] = []
    if os.name != "posix":
        return removed
    walks: list[Iterable[tuple[str, list[str], list[str]]]] = [os.walk(tree) for tree in trees]
    walks += [[next(os.walk(folder), (str(folder), [], []))] for folder in folders]
    for walk in walks:
        for parent, _, names in walk:
            for name in names:
                match = _TEMPORARY.fullmatch(name)
                path = os.path.join(parent, name)
                if match and _remove_if_stale(path, int(match["pid"])):
                    removed.append(Path(path))
    return removed


def _remove_if_stale(path: str, pid: int) -> bool:
    if _running(pid):
        return False
    try:
        if os.lstat(path).st_mtime < _STARTED:
            os.unlink(path)
            return True
    except FileNotFoundError:
        pass  # another writer swept it first
    return False


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process, or not a pid we can ask about
    return True
