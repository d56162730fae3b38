"""What `l10n diff` was asked to compare, read from its command line as git would read it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import find_root, load_config
from ..errors import L10nError
from .catalogs import CatalogDiff, diff_catalogs
from .versions import (
    changed_files,
    exists_at,
    in_work_tree,
    is_revision,
    load_version,
    merge_base,
    repo_path,
    repo_root,
    require_revision,
)


@dataclass(frozen=True)
class Version:
    """One side of a comparison: `path` (relative to the base folder) on disk, or at `rev`."""

    path: Path
    rev: str | None
    label: str


@dataclass(frozen=True)
class Comparison:
    old: Version
    new: Version


@dataclass(frozen=True)
class DiffPlan:
    """What `l10n diff` was asked to do: print one catalog for git, or compare pairs."""

    comparisons: tuple[Comparison, ...] = ()
    textconv: Path | None = None  # relative to the base folder


USAGE = (
    "use `l10n diff OLD.po NEW.po`, `l10n diff REV -- FILE…`, `l10n diff --rev A..B [-- FILE…]` "
    "or `l10n diff --textconv FILE`"
)


def plan_diff(
    arguments: Sequence[str], rev: str | None = None, textconv: bool = False, base: Path = Path(".")
) -> DiffPlan:
    """Read the command line as git would.

    click swallows `--`, so the first argument decides: an existing file
    followed by another is the two-files form, an existing file alone is
    compared with HEAD, anything else must be a revision (`REV` against the
    working tree, `A..B`, `A...B`) followed by catalogs; with none, every
    catalog under locales/ that changed.  Paths are relative to `base`.
    """
    args = list(arguments)
    if textconv:
        if rev is not None or len(args) != 1:
            raise L10nError("--textconv takes exactly one file (the one git passes)")
        return DiffPlan(textconv=Path(args[0]))
    if rev is not None:
        return _revisions(rev, args, base)
    if not args:
        raise L10nError(f"nothing to compare; {USAGE}")
    if (base / args[0]).is_file():
        if len(args) == 1:
            return _revisions("HEAD", args, base)
        if len(args) > 2:
            raise L10nError(f"two files to compare, not {len(args)}; {USAGE}")
        if not (base / args[1]).is_file():
            raise L10nError(f"{args[1]}: no such file")
        old, new = (Version(Path(a), None, a) for a in args)
        return DiffPlan((Comparison(old, new),))
    if ".." not in args[0] and not (in_work_tree(base) and is_revision(args[0], base)):
        raise L10nError(f"{args[0]!r} is neither a file nor a known git revision; {USAGE}")
    return _revisions(args[0], args[1:], base)


def _revisions(spec: str, files: list[str], base: Path) -> DiffPlan:
    """REV (against the working tree), A..B, or A...B (from where B left A)."""
    root = repo_root(base)
    new: str | None = None
    if "..." in spec:
        left, right = (side or "HEAD" for side in spec.split("...", 1))
        require_revision(left, root)
        require_revision(right, root)
        old, new = merge_base(left, right, root), right
        old_label = f"{left}...{right} ({old[:10]})"
    elif ".." in spec:
        old, new = (side or "HEAD" for side in spec.split("..", 1))
        old_label = old
    else:
        old = old_label = spec
    require_revision(old, root)
    if new is not None:
        require_revision(new, root)
    paths = [Path(f) for f in files] or _changed_catalogs(old, new, base, root)
    comparisons = []
    for path in paths:
        name = repo_path(path, base, root)
        if files and not _somewhere(name, old, new, base / path, root):
            where = f"at {old} or {new}" if new else f"at {old} or in the working tree"
            raise L10nError(f"{path}: no such file {where}")
        here = str(path) if not path.is_absolute() else name
        old_side = Version(path, old, f"{old_label}:{name}")
        new_side = Version(path, new, f"{new}:{name}" if new else here)
        comparisons.append(Comparison(old_side, new_side))
    return DiffPlan(tuple(comparisons))


def _somewhere(name: str, old: str, new: str | None, on_disk: Path, root: Path) -> bool:
    """Whether a file named on the command line exists in either version."""
    if new is None and on_disk.exists():
        return True
    return any(exists_at(rev, name, root) for rev in (old, new) if rev is not None)


def _changed_catalogs(old: str, new: str | None, base: Path, root: Path) -> list[Path]:
    """Every PO file under the project's locales folder that differs between the versions."""
    try:
        start = find_root(base.resolve())
    except L10nError:
        locales = base.resolve() / "locales"
    else:
        locales = load_config(start).locales_dir
    names = changed_files(old, new, repo_path(locales, base, root), root)
    return [root / name for name in names if name.endswith(".po")]


def run_plan(plan: DiffPlan, base: Path = Path(".")) -> list[CatalogDiff]:
    """Load both versions of every catalog in the plan and compare them."""
    diffs = []
    for pair in plan.comparisons:
        old, new = (
            load_version(v.rev if v.rev is not None else v.path, v.path, base)
            for v in (pair.old, pair.new)
        )
        diffs.append(diff_catalogs(old, new, pair.old.label, pair.new.label))
    return diffs
