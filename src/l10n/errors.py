"""The one error type users see: a message that names the file and line at fault."""

from __future__ import annotations

from pathlib import Path


class L10nError(Exception):
    """Bad input or a refused operation; the CLI prints it and exits with code 2."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if self.path and self.line:
            where += f":{self.line}"
        return f"{where}: {self.message}" if where else self.message
