"""`l10n diff`: what changed between two versions of a catalog, entry by entry.

A line diff of PO files is noise for a reviewer: entries move when the source
is reordered, re-wrapping touches every line, and a word changed in a long
paragraph shows as a whole new line.  Here entries are matched by their source
segment (`catalogs`), and a changed translation is compared word by word
(`words`).  Versions are files on disk or files at git revisions (`versions`),
read from the command line's forms (`plan`); `textconv` gives git a plain,
unwrapped view of a catalog for `git diff`, and `report` a page for the browser.
The terminal view belongs to the command line (`l10n.cli.diff_view`).
"""

from __future__ import annotations

from .catalogs import KINDS, SIMILARITY, CatalogDiff, EntryChange, Kind, diff_catalogs, translation
from .plan import USAGE, Comparison, DiffPlan, Version, plan_diff, run_plan
from .report import html_report
from .textconv import textconv, textconv_file
from .versions import is_revision, load_version, repo_root
from .words import Op, Segments, one_side, tokens, word_diff

__all__ = [
    "KINDS",
    "SIMILARITY",
    "USAGE",
    "CatalogDiff",
    "Comparison",
    "DiffPlan",
    "EntryChange",
    "Kind",
    "Op",
    "Segments",
    "Version",
    "diff_catalogs",
    "html_report",
    "is_revision",
    "load_version",
    "one_side",
    "plan_diff",
    "repo_root",
    "run_plan",
    "textconv",
    "textconv_file",
    "tokens",
    "translation",
    "word_diff",
]
