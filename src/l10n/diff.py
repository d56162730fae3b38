"""`l10n diff`: what changed between two versions of a catalog, entry by entry.

A line diff of PO files is noise for a reviewer: entries move when the source
is reordered, re-wrapping touches every line, and a word changed in a long
paragraph shows as a whole new line.  Here entries are matched by their source
segment, and a changed translation is compared word by word.  Versions are
files on disk or files at git revisions; `textconv` gives git a plain,
unwrapped view of a catalog for `git diff`.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Literal

import polib
from rapidfuzz import fuzz, process
from rich.console import Console, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .config import find_root, load_config
from .errors import L10nError
from .pofile import parse_po
from .review import State, fingerprint, reviews, state

Kind = Literal["added", "removed", "source-changed", "translation-changed", "state-changed"]
KINDS: tuple[Kind, ...] = (
    "added",
    "removed",
    "source-changed",
    "translation-changed",
    "state-changed",
)
Op = Literal["equal", "insert", "delete"]
Segments = list[tuple[Op, str]]

#: How alike (rapidfuzz ratio, 0-100) a removed and a new source text must be to count as
#: one edited segment; the same default as `update` uses to carry a translation.
SIMILARITY = 70

# --------------------------------------------------------------------------- words

# Arabic-script words carry combining marks (harakat, Urdu/Pashto diacritics) that `\w`
# does not match, and Dari/Persian words hold a zero-width non-joiner (ZWNJ) inside them.
_MARKS = (
    "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
)
_TOKEN = re.compile(rf"[\w\u200c\u200d{_MARKS}]+|\s+|.", re.S)


def tokens(text: str) -> list[str]:
    """Words, white-space runs and single punctuation marks; joined, they give the text back."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> Segments:
    """The change from `old` to `new` as (op, text) runs over whole words.

    The equal and deleted runs spell `old`, the equal and inserted runs spell
    `new`.  A space between two changed words is folded into the change, so
    two replaced neighbours read as one deletion and one insertion.
    """
    a, b = tokens(old), tokens(new)
    raw: Segments = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            raw.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            raw.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            raw.append(("insert", "".join(b[j1:j2])))
    result: Segments = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            result.append(("delete", "".join(deleted)))
        if inserted:
            result.append(("insert", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for index, (op, text) in enumerate(raw):
        between = (
            op == "equal"
            and text.isspace()
            and 0 < index < len(raw) - 1
            and raw[index + 1][0] != "equal"
        )
        if between:
            deleted.append(text)
            inserted.append(text)
        elif op == "equal":
            flush()
            result.append((op, text))
        elif op == "delete":
            deleted.append(text)
        else:
            inserted.append(text)
    flush()
    return result


# --------------------------------------------------------------------------- catalogs


@dataclass(frozen=True)
class EntryChange:
    """One changed entry.  `msgid` is the current source (the old one if removed);
    `old_msgid` is the source it had before (None if added).  `words` compares the
    translations, `source_words` the sources."""

    kind: Kind
    msgid: str
    old_msgid: str | None
    old_msgstr: str | None
    new_msgstr: str | None
    old_state: State | None
    new_state: State | None
    occurrences: list[tuple[str, str]]
    words: Segments
    source_words: Segments = field(default_factory=list)
    msgctxt: str | None = None

    @property
    def references(self) -> list[str]:
        return [f"{path}:{line}" if line else path for path, line in self.occurrences]


@dataclass
class CatalogDiff:
    """The changes between two versions of one catalog, in document order."""

    changes: list[EntryChange]
    language: str = ""  # the catalog's Language header (new version, else old)
    old_label: str = "old"
    new_label: str = "new"

    def summary(self) -> dict[Kind, int]:
        """How many changes of each kind, every kind listed."""
        counts = dict.fromkeys(KINDS, 0)
        for change in self.changes:
            counts[change.kind] += 1
        return counts


Key = tuple[str | None, str]


def translation(entry: polib.POEntry) -> str:
    """The entry's translation as one text; plural forms one per line, numbered."""
    if entry.msgid_plural:
        return "\n".join(f"[{n}] {entry.msgstr_plural[n]}" for n in sorted(entry.msgstr_plural))
    return entry.msgstr


def diff_catalogs(
    old: polib.POFile, new: polib.POFile, old_label: str = "old", new_label: str = "new"
) -> CatalogDiff:
    """Compare two versions of a catalog by source segment, never by line.

    Obsolete entries count as absent.  A new segment is the edited form of a
    removed one if its `#| msgid` names it (as `update` writes), or failing
    that if it is the most similar removed segment (ratio ≥ SIMILARITY); each
    old segment pairs at most once.  Unchanged entries are left out.
    """
    old_active = {(e.msgctxt, e.msgid): e for e in old if not e.obsolete}
    new_entries = [e for e in new if not e.obsolete]
    new_keys = {(e.msgctxt, e.msgid) for e in new_entries}
    gone = {k: e for k, e in old_active.items() if k not in new_keys}
    pairs = _pair_edits([e for e in new_entries if (e.msgctxt, e.msgid) not in old_active], gone)

    # Each removed segment goes right after the last surviving segment that preceded it.
    position: dict[Key, int] = {}
    for index, entry in enumerate(new_entries):
        key = (entry.msgctxt, entry.msgid)
        position[pairs.get(key, key)] = index
    removed_after: dict[int, list[polib.POEntry]] = {}
    last = -1
    paired = set(pairs.values())
    for key, entry in old_active.items():
        if key in position:
            last = position[key]
        elif key not in paired:
            removed_after.setdefault(last, []).append(entry)

    changes: list[EntryChange] = [_removed(e) for e in removed_after.get(-1, [])]
    for index, entry in enumerate(new_entries):
        key = (entry.msgctxt, entry.msgid)
        before = old_active.get(pairs.get(key, key))
        change = _compare(before, entry, edited=key in pairs)
        if change is not None:
            changes.append(change)
        changes.extend(_removed(e) for e in removed_after.get(index, []))
    language = new.metadata.get("Language", "") or old.metadata.get("Language", "")
    return CatalogDiff(changes, language.strip(), old_label, new_label)


def _pair_edits(added: list[polib.POEntry], gone: dict[Key, polib.POEntry]) -> dict[Key, Key]:
    """New key → old key for segments that were edited rather than replaced."""
    pairs: dict[Key, Key] = {}
    taken: set[Key] = set()
    for entry in added:
        if entry.previous_msgid is None:
            continue
        candidates = [(entry.previous_msgctxt, entry.previous_msgid)]
        candidates.append((entry.msgctxt, entry.previous_msgid))
        for old_key in candidates:
            if old_key in gone and old_key not in taken:
                pairs[(entry.msgctxt, entry.msgid)] = old_key
                taken.add(old_key)
                break
    left = [k for k in gone if k not in taken]
    choices = [k[1] for k in left]
    scored = []
    for new_index, entry in enumerate(added):
        if (entry.msgctxt, entry.msgid) in pairs or not left:
            continue
        found = process.extract(
            entry.msgid, choices, scorer=fuzz.ratio, score_cutoff=SIMILARITY, limit=None
        )
        scored.extend((-score, new_index, old_index) for _, score, old_index in found)
    for _, new_index, old_index in sorted(scored):  # best pairs first, then document order
        new_key = (added[new_index].msgctxt, added[new_index].msgid)
        if new_key not in pairs and left[old_index] not in taken:
            pairs[new_key] = left[old_index]
            taken.add(left[old_index])
    return pairs


def _removed(entry: polib.POEntry) -> EntryChange:
    text = translation(entry)
    return EntryChange(
        kind="removed",
        msgid=entry.msgid,
        old_msgid=entry.msgid,
        old_msgstr=text,
        new_msgstr=None,
        old_state=state(entry),
        new_state=None,
        occurrences=list(entry.occurrences),
        words=[("delete", text)] if text else [],
        source_words=[("delete", entry.msgid)],
        msgctxt=entry.msgctxt,
    )


def _compare(
    before: polib.POEntry | None, after: polib.POEntry, edited: bool
) -> EntryChange | None:
    new_text, new_state = translation(after), state(after)
    if before is None:
        return EntryChange(
            kind="added",
            msgid=after.msgid,
            old_msgid=None,
            old_msgstr=None,
            new_msgstr=new_text,
            old_state=None,
            new_state=new_state,
            occurrences=list(after.occurrences),
            words=[("insert", new_text)] if new_text else [],
            source_words=[("insert", after.msgid)],
            msgctxt=after.msgctxt,
        )
    old_text, old_state = translation(before), state(before)
    if edited:
        kind: Kind = "source-changed"
    elif old_text != new_text:
        kind = "translation-changed"
    elif old_state != new_state:
        kind = "state-changed"
    else:
        return None
    return EntryChange(
        kind=kind,
        msgid=after.msgid,
        old_msgid=before.msgid,
        old_msgstr=old_text,
        new_msgstr=new_text,
        old_state=old_state,
        new_state=new_state,
        occurrences=list(after.occurrences),
        words=word_diff(old_text, new_text),
        source_words=word_diff(before.msgid, after.msgid),
        msgctxt=after.msgctxt,
    )


# --------------------------------------------------------------------------- versions


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    if not cwd.is_dir():
        raise L10nError("no such folder", cwd)
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise L10nError("git is not installed; comparing revisions needs it") from exc


def repo_root(folder: Path) -> Path:
    """The top of the git working tree that holds `folder`."""
    done = _git(["rev-parse", "--show-toplevel"], folder)
    if done.returncode != 0:
        raise L10nError(f"{folder} is not inside a git repository", folder)
    return Path(done.stdout.decode("utf-8").strip())


def is_revision(spec: str, repo: Path) -> bool:
    done = _git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{spec}^{{commit}}"], repo
    )
    return done.returncode == 0


def _check_revision(spec: str, repo: Path) -> None:
    if not is_revision(spec, repo):
        raise L10nError(f"unknown git revision {spec!r}")


def _in_repo(path: str | Path, repo: Path, root: Path) -> str:
    """`path` (relative to `repo`, or absolute) as git names it: relative to the root."""
    full = (repo / path).resolve()
    try:
        return full.relative_to(root.resolve()).as_posix()
    except ValueError:
        raise L10nError(f"{path} is outside the git repository {root}") from None


def load_version(spec: str | Path, path: str | Path, repo: Path) -> polib.POFile:
    """A catalog as it is in one version.

    `spec` is a git revision (a str): `path` (relative to `repo`) at that
    revision, an empty catalog if the file did not exist then.  Or it is a
    file on disk (a Path, relative to `repo`): read as it is now, an empty
    catalog if it is gone.  Parsed strictly; errors name `REV:PATH`.
    """
    if isinstance(spec, Path):
        file = repo / spec
        if not file.exists():
            return polib.POFile(wrapwidth=0)
        return _parse(file.read_bytes(), str(spec))
    root = repo_root(repo)
    _check_revision(spec, root)
    name = _in_repo(path, repo, root)
    label = f"{spec}:{name}"
    if _git(["cat-file", "-e", f"{spec}:{name}"], root).returncode != 0:
        return polib.POFile(wrapwidth=0)
    done = _git(["show", "--no-textconv", f"{spec}:{name}"], root)
    if done.returncode != 0:
        raise L10nError(f"git show failed: {done.stderr.decode('utf-8', 'replace').strip()}", label)
    return _parse(done.stdout, label)


def _parse(data: bytes, label: str) -> polib.POFile:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise L10nError("not valid UTF-8; catalogs must be UTF-8", label, line) from exc
    catalog = parse_po(text, label)
    catalog.wrapwidth = 0
    return catalog


# --------------------------------------------------------------------------- arguments


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
    if ".." not in args[0]:
        done = _git(["rev-parse", "--show-toplevel"], base)
        if done.returncode != 0 or not is_revision(args[0], base):
            raise L10nError(f"{args[0]!r} is neither a file nor a known git revision; {USAGE}")
    return _revisions(args[0], args[1:], base)


def _revisions(spec: str, files: list[str], base: Path) -> DiffPlan:
    """REV (against the working tree), A..B, or A...B (from where B left A)."""
    root = repo_root(base)
    new: str | None = None
    if "..." in spec:
        left, right = (side or "HEAD" for side in spec.split("...", 1))
        _check_revision(left, root)
        _check_revision(right, root)
        done = _git(["merge-base", left, right], root)
        if done.returncode != 0:
            raise L10nError(f"{left} and {right} have no common ancestor")
        old, new = done.stdout.decode().strip(), right
        old_label = f"{left}...{right} ({old[:10]})"
    elif ".." in spec:
        old, new = (side or "HEAD" for side in spec.split("..", 1))
        old_label = old
    else:
        old = old_label = spec
    _check_revision(old, root)
    if new is not None:
        _check_revision(new, root)
    paths = [Path(f) for f in files] or _changed_catalogs(old, new, base, root)
    comparisons = []
    for path in paths:
        name = _in_repo(path, base, root)
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
    return any(
        _git(["cat-file", "-e", f"{rev}:{name}"], root).returncode == 0
        for rev in (old, new)
        if rev is not None
    )


def _changed_catalogs(old: str, new: str | None, base: Path, root: Path) -> list[Path]:
    """Every PO file under the project's locales folder that differs between the versions."""
    try:
        start = find_root(base.resolve())
    except L10nError:
        locales = base.resolve() / "locales"
    else:
        locales = load_config(start).locales_dir
    where = _in_repo(locales, base, root)
    args = ["diff", "--name-only", "--no-renames", "-z", old, *([new] if new else []), "--", where]
    done = _git(args, root)
    if done.returncode != 0:
        raise L10nError(f"git diff failed: {done.stderr.decode('utf-8', 'replace').strip()}")
    names = done.stdout.decode("utf-8").split("\0")
    if new is None:  # the working tree may hold catalogs git does not track yet
        others = ["ls-files", "--others", "--exclude-standard", "-z", "--", where]
        names += _git(others, root).stdout.decode("utf-8").split("\0")
    return [root / n for n in dict.fromkeys(names) if n.endswith(".po")]


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


# --------------------------------------------------------------------------- terminal

_KIND_STYLE: dict[Kind, str] = {
    "added": "green",
    "removed": "red",
    "source-changed": "yellow",
    "translation-changed": "cyan",
    "state-changed": "magenta",
}
_OP_STYLE: dict[Op, str] = {"equal": "", "delete": "red strike", "insert": "green underline"}
#: Without colours (a pipe, NO_COLOR) changes are bracketed as `git diff --word-diff` does.
_OP_MARKS: dict[Op, tuple[str, str]] = {"equal": ("", ""), "delete": ("[-", "-]"),
                                        "insert": ("{+", "+}")}  # fmt: skip


def one_side(segments: Segments, side: Literal["old", "new"]) -> Segments:
    """What the old (or new) text looks like with its deletions (or insertions) marked.

    Spaces at the edges of a change are moved out of it, so a highlight
    starts and ends on a word.
    """
    hidden = "insert" if side == "old" else "delete"
    result: Segments = []
    for op, text in segments:
        core = text.strip()
        if op == hidden:
            continue
        if op == "equal" or not core:
            result.append((op, text))
            continue
        start = len(text) - len(text.lstrip())
        end = start + len(core)
        result.extend(
            [*([("equal", text[:start])] if start else []), (op, core)]
            + ([("equal", text[end:])] if end < len(text) else [])
        )
    return result


def states(change: EntryChange) -> str:
    """`draft → translated`; one state when it did not change."""
    if change.old_state == change.new_state:
        return str(change.new_state)
    return f"{change.old_state or '—'} → {change.new_state or '—'}"


def _words(segments: Segments, plain: bool) -> Text:
    text = Text()
    for op, part in segments:
        if plain:
            before, after = _OP_MARKS[op]
            text.append(f"{before}{part}{after}")
        else:
            text.append(part, style=_OP_STYLE[op])
    if not text.plain:
        text.append("(untranslated)", style="dim italic")
    return text


def terminal_report(diff: CatalogDiff, plain: bool = False) -> list[RenderableType]:
    """Rich renderables for one catalog's changes; `plain` marks changes without colour.

    Terminals do their own bidirectional layout (or none), so right-to-left
    translations are printed in logical order, never reversed here.
    """
    counts = ", ".join(f"{n} {kind}" for kind, n in diff.summary().items() if n)
    items: list[RenderableType] = [
        Rule(Text(f"{diff.old_label} → {diff.new_label}", style="bold"), align="left"),
        Text(counts or "no changes", style="bold" if counts else "dim"),
    ]
    for change in diff.changes:
        head = Text()
        head.append(change.kind, style=f"bold {_KIND_STYLE[change.kind]}")
        if change.references:
            head.append("  " + " ".join(change.references), style="dim")
        head.append("  " + states(change))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        if change.msgctxt is not None:
            grid.add_row("context", Text(change.msgctxt))
        if change.kind == "source-changed":
            grid.add_row("old source", _words(one_side(change.source_words, "old"), plain))
            grid.add_row("source", _words(one_side(change.source_words, "new"), plain))
        else:
            grid.add_row("source", Text(change.msgid))
        if change.kind == "state-changed":
            grid.add_row("translation", Text(change.new_msgstr or ""))
        else:
            grid.add_row("translation", _words(change.words, plain))
        items.extend([Text(""), head, grid])
    return items


def print_diffs(diffs: Sequence[CatalogDiff], console: Console) -> None:
    """Every catalog's changes; brackets instead of colours when the console has none."""
    plain = console.no_color or console.color_system is None
    for diff in diffs:
        for item in terminal_report(diff, plain):
            console.print(item)
        console.print()
    if not diffs:
        console.print("no catalogs changed", style="dim")


# --------------------------------------------------------------------------- textconv


def _field(name: str, text: str) -> str:
    """`name: text` on one line, `\n` shown as ⏎, no trailing space when empty."""
    value = text.replace("\r", "").replace("\n", "⏎")
    return f"{name}: {value}" if value else f"{name}:"


def textconv(catalog: polib.POFile) -> str:
    """A catalog as plain lines for `git diff`: one line per string, never wrapped.

    Entries in file order, obsolete ones last; each as its references, state,
    source and translation, so a changed translation is one changed line.
    """
    lines = [_field(f"header {key}", value) for key, value in catalog.metadata.items()]
    active = [e for e in catalog if not e.obsolete]
    obsolete = [e for e in catalog if e.obsolete]
    for entry in [*active, *obsolete]:
        lines.append("")
        if entry.occurrences:
            refs = (f"{path}:{line}" if line else path for path, line in entry.occurrences)
            lines.append("#: " + " ".join(refs))
        if entry.obsolete:
            lines.append("state: obsolete")
        else:
            current = fingerprint(entry)
            by = [f" (by {r.name}, {r.day})" for r in reviews(entry) if r.fingerprint == current]
            lines.append(f"state: {state(entry)}{by[-1] if by else ''}")
        if entry.msgctxt is not None:
            lines.append(_field("msgctxt", entry.msgctxt))
        if entry.previous_msgid is not None:
            lines.append(_field("previous msgid", entry.previous_msgid))
        lines.append(_field("msgid", entry.msgid))
        if entry.msgid_plural:
            lines.append(_field("msgid_plural", entry.msgid_plural))
            lines.extend(_field(f"msgstr[{n}]", v) for n, v in sorted(entry.msgstr_plural.items()))
        else:
            lines.append(_field("msgstr", entry.msgstr))
    return "\n".join(lines).lstrip("\n") + "\n" if lines else ""


def textconv_file(path: Path) -> str:
    """`textconv` of a file as git hands it over; text that is not PO is passed through,
    marked, so `git diff` still works on a broken catalog."""
    data = path.read_bytes()
    try:
        return textconv(_parse(data, str(path)))
    except L10nError as exc:
        return f"# l10n diff --textconv: not read as PO ({exc})\n" + data.decode("utf-8", "replace")
