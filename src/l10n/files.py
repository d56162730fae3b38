"""Reading and writing files so that bad input is named and no file is ever half-written."""

from __future__ import annotations

import os
import tempfile
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
    timestamps and version control sees no noise.
    """
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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
