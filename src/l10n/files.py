"""Reading and writing files so that bad input is named and no file is ever half-written."""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

from .errors import L10nError


def read_text(path: Path, label: str | None = None) -> str:
    """UTF-8 text of a file; invalid bytes are reported with their line and column."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise L10nError(f"cannot read: {exc.strerror or exc}", label or path) from exc
    return decode_text(data, label or path)


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
    timestamps and version control sees no noise.  A failed write removes its
    temporary file; a killed one cannot, so each write also sweeps the stale
    temporaries of the same file (see `_remove_stale_temporaries`).
    """
    _remove_stale_temporaries(path)
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=_temporary_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


#: when this process began writing files; temporaries last touched before it are not ours
_STARTED = time.time()


def _temporary_prefix(path: Path) -> str:
    """`.name.<pid>.`: hidden, tied to its file, and naming the process that writes it."""
    return f".{path.name}.{os.getpid()}."


def _remove_stale_temporaries(path: Path) -> None:
    """Delete what writers of `path` killed mid-write (`kill -9`, power loss) left behind.

    A temporary is stale when the process named in it is no longer running and
    it was last written before this process started (the pid alone could
    belong to another machine sharing the folder).  Where liveness cannot be
    asked (not POSIX), nothing is deleted.
    """
    if os.name != "posix" or not path.parent.is_dir():
        return
    pattern = re.compile(re.escape(f".{path.name}.") + r"(\d+)\.[^.]+\.tmp")
    for entry in os.scandir(path.parent):
        match = pattern.fullmatch(entry.name)
        if not match or _running(int(match[1])):
            continue
        try:
            if entry.stat(follow_symlinks=False).st_mtime < _STARTED:
                os.unlink(entry.path)
        except FileNotFoundError:
            pass  # another writer swept it first


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
