"""One writing command per project at a time.

`extract`, `update`, `draft`, `publish`, `build`, `review approve` and the glossary
import hold the project's lock (`.l10n-cache/lock`) while they run; a second
one is refused at once, naming the first.  The lock is `flock(2)` on that
file, so the kernel releases it when its holder dies, even by `kill -9`: a
lock is never stale, and the file itself is left in place (deleting it would
let two commands lock two different files).  Read-only commands (`status`,
`check`, `diff`) take no lock.

Whoever takes the lock is the only l10n writer of the project, so it also
sweeps the temporaries that killed commands left anywhere in the project.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from .config import CONFIG_NAME
from .errors import L10nError
from .files import remove_stale_temporaries, writing_command
from .skeleton import CACHE_DIR

if TYPE_CHECKING:
    from .project import Project

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: commands run unlocked
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "lock"

P = ParamSpec("P")
R = TypeVar("R")


class Busy(L10nError):
    """Another l10n command is writing the project; nothing was done."""


@dataclass
class _Held:
    fd: int
    depth: int


#: the locks this process holds, by project root: a stage inside `build` takes it again
_held: dict[str, _Held] = {}


@dataclass(frozen=True)
class Sweep:
    """Where killed writers may have left temporaries: `trees` recursively, `folders` not."""

    trees: tuple[Path, ...] = ()
    folders: tuple[Path, ...] = ()


@contextmanager
def project_lock(root: Path, command: str, sweep: Sweep = Sweep()) -> Iterator[None]:
    """Hold the lock of the project at `root` (taken again freely by the same process).

    Once it is held, the stale temporaries of `sweep` are removed, and the
    files the command reads are written back only if nobody changed them
    meanwhile (`files.writing_command`).
    """
    key = os.path.realpath(root)
    held = _held.get(key)
    if held is not None:
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
        return
    fd = _acquire(root, command)
    _held[key] = _Held(fd, 1)
    try:
        remove_stale_temporaries(sweep.trees, sweep.folders)
        with writing_command():
            yield
    finally:
        del _held[key]
        os.close(fd)  # releases the flock


def _acquire(root: Path, command: str) -> int:
    path = root / CACHE_DIR / LOCK_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    if fcntl is None:  # pragma: no cover
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 512, 0).decode("utf-8", "replace").strip()
        os.close(fd)
        raise Busy(_busy_message(holder), root / CACHE_DIR / LOCK_NAME) from None
    except BaseException:
        os.close(fd)
        raise
    stamp = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\t{command}\t{stamp}\n".encode(), 0)
    return fd


def _busy_message(holder: str) -> str:
    """Who holds the lock, as its holder wrote it (`pid<TAB>command<TAB>since`)."""
    parts = holder.split("\t")
    if len(parts) == 3 and parts[0].isdigit():
        pid, command, since = parts
        who = f"l10n {command}, pid {pid}, since {since}"
    else:
        who = "it has not written its pid yet"
    return (
        f"another l10n is writing this project ({who}); "
        "nothing was done: run the command again when it has finished"
    )


def project_sweep(project: Project) -> Sweep:
    """Where a project's commands write, so where killed ones may have left temporaries."""
    config = project.config
    return Sweep(
        trees=(config.locales_dir, config.output_dir, config.root / CACHE_DIR),
        folders=(config.root, config.glossary_path.parent),
    )


def writes_project(
    command: str, read_only_when: tuple[str, object] | None = None
) -> Callable[[Callable[Concatenate[Project, P], R]], Callable[Concatenate[Project, P], R]]:
    """Run a stage whose first argument is the project while holding the project's lock.

    `read_only_when` names a keyword argument and the value with which the
    stage writes nothing (`("dry_run", True)`): such a run takes no lock.
    """

    def decorate(
        stage: Callable[Concatenate[Project, P], R],
    ) -> Callable[Concatenate[Project, P], R]:
        @functools.wraps(stage)
        def run(project: Project, /, *args: P.args, **kwargs: P.kwargs) -> R:
            if read_only_when and kwargs.get(read_only_when[0]) == read_only_when[1]:
                return stage(project, *args, **kwargs)
            with project_lock(project.config.root, command, project_sweep(project)):
                return stage(project, *args, **kwargs)

        return run

    return decorate


def writes_file(
    command: str,
) -> Callable[[Callable[Concatenate[Path, P], R]], Callable[Concatenate[Path, P], R]]:
    """Run a function whose first argument is a file it writes while holding `file_lock`."""

    def decorate(stage: Callable[Concatenate[Path, P], R]) -> Callable[Concatenate[Path, P], R]:
        @functools.wraps(stage)
        def run(path: Path, /, *args: P.args, **kwargs: P.kwargs) -> R:
            with file_lock(path, command):
                return stage(path, *args, **kwargs)

        return run

    return decorate


@contextmanager
def file_lock(path: Path, command: str) -> Iterator[None]:
    """The lock of the project a file belongs to (the nearest l10n.toml above it), if any."""
    folder = path.resolve().parent
    for root in (folder, *folder.parents):
        if (root / CONFIG_NAME).is_file():
            with project_lock(root, command, Sweep(folders=(folder,))):
                yield
            return
    with writing_command():
        yield
