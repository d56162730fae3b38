"""Where the versions of a catalog come from: the working tree, or git revisions.

Every version goes through the checked reader (`catalog.parse_catalog`), so a
catalog at a revision is refused for what would refuse it on disk, and named
`REV:PATH:LINE`.  Git's own textconv is bypassed: l10n reads the file itself.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

import polib

from ..catalog import WRAP_WIDTH, parse_catalog, read_catalog
from ..errors import L10nError
from ..files import decode_text


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    if not cwd.is_dir():
        raise L10nError("no such folder", cwd)
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise L10nError("git is not installed; comparing revisions needs it") from exc


def _failed(what: str, done: subprocess.CompletedProcess[bytes]) -> str:
    return f"{what} failed: {done.stderr.decode('utf-8', 'replace').strip()}"


def in_work_tree(folder: Path) -> bool:
    """Whether `folder` is inside a git working tree (not merely a repository)."""
    return _git(["rev-parse", "--show-toplevel"], folder).returncode == 0


def repo_root(folder: Path) -> Path:
    """The top of the git working tree that holds `folder`."""
    done = _git(["rev-parse", "--show-toplevel"], folder)
    if done.returncode != 0:
        raise L10nError(f"{folder} is not inside a git repository", folder)
    return Path(done.stdout.decode("utf-8").strip())


def is_revision(spec: str, repo: Path) -> bool:
    """Whether `spec` names a commit; `--end-of-options` keeps a spec from reading as an option."""
    done = _git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{spec}^{{commit}}"], repo
    )
    return done.returncode == 0


def require_revision(spec: str, repo: Path) -> None:
    if not is_revision(spec, repo):
        raise L10nError(f"unknown git revision {spec!r}")


def merge_base(left: str, right: str, root: Path) -> str:
    """The commit where `right` left `left`, as `git diff A...B` compares from."""
    done = _git(["merge-base", left, right], root)
    if done.returncode != 0:
        raise L10nError(f"{left} and {right} have no common ancestor")
    return done.stdout.decode().strip()


def repo_path(path: str | Path, repo: Path, root: Path) -> str:
    """`path` (relative to `repo`, or absolute) as git names it: relative to the root."""
    full = (repo / path).resolve()
    try:
        return full.relative_to(root.resolve()).as_posix()
    except ValueError:
        raise L10nError(f"{path} is outside the git repository {root}") from None


def exists_at(rev: str, name: str, root: Path) -> bool:
    """Whether the file `name` (as git names it) exists at revision `rev`."""
    return _git(["cat-file", "-e", f"{rev}:{name}"], root).returncode == 0


def changed_files(old: str, new: str | None, where: str, root: Path) -> list[str]:
    """Files under `where` that differ between two revisions, or between `old` and the
    working tree (new None), which may also hold files git does not track yet."""
    args = ["diff", "--name-only", "--no-renames", "-z", old, *([new] if new else []), "--", where]
    done = _git(args, root)
    if done.returncode != 0:
        raise L10nError(_failed("git diff", done))
    names = done.stdout.decode("utf-8").split("\0")
    if new is None:
        others = ["ls-files", "--others", "--exclude-standard", "-z", "--", where]
        names += _git(others, root).stdout.decode("utf-8").split("\0")
    return [name for name in dict.fromkeys(names) if name]


def load_version(spec: str | Path, path: str | Path, repo: Path) -> polib.POFile:
    """A catalog as it is in one version.

    `spec` is a git revision (a str): `path` (relative to `repo`) at that
    revision, an empty catalog if the file did not exist then.  Or it is a
    file on disk (a Path, relative to `repo`): read as it is now, an empty
    catalog if it is gone.  Checked as `l10n update` checks; errors name `REV:PATH`.
    """
    if isinstance(spec, Path):
        file = repo / spec
        if not file.exists():
            return polib.POFile(wrapwidth=WRAP_WIDTH)
        return read_catalog(file, str(spec))
    root = repo_root(repo)
    require_revision(spec, root)
    name = repo_path(path, repo, root)
    if not exists_at(spec, name, root):
        return polib.POFile(wrapwidth=WRAP_WIDTH)
    label = f"{spec}:{name}"
    done = _git(["show", "--no-textconv", label], root)
    if done.returncode != 0:
        raise L10nError(_failed("git show", done), label)
    return parse_catalog(decode_text(done.stdout, label), label)
