"""Rich tables for the terminal: what the commands print, built from the library's reports.

Nothing here decides anything; each function lays out one report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..review import STATES
from ..status import CatalogStatus

if TYPE_CHECKING:  # drafting, the engines and the pipeline load only for commands that use them
    from ..drafting import DraftReport
    from ..engines.remote import ServerStats
    from ..memory import LanguageFill
    from ..pipeline import Updated
    from ..project import Project


def status_table(statuses: Sequence[CatalogStatus]) -> Table:
    """One row per catalog, a totals row when there are several, a hint for missing ones.

    Eleven columns need about 120 characters; on narrower terminals names and
    headers fold rather than lose a column or a number.  The errors column is
    there only when the checks ran (`l10n status --checks`).
    """
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    table.add_column("document", overflow="fold", min_width=14)
    table.add_column("lang", overflow="fold", min_width=5)
    checked = any(s.check_errors is not None for s in statuses)
    headers = ("entries", "untr.", "draft", "trans.", "rev.", "words u/d/t/r", "% done",
               "% rev.", "errors")[: None if checked else -1]  # fmt: skip
    for header in headers:
        table.add_column(header, justify="right", no_wrap=True)
    for status in statuses:
        if status.missing:
            cells: list[Text | str] = [Text("missing", style="yellow")]
            cells += ["–"] * (len(headers) - 1)
            table.add_row(Text(status.doc), Text(status.lang), *cells)
        else:
            table.add_row(Text(status.doc), Text(status.lang), *_count_cells(status, checked))
    present = [s for s in statuses if not s.missing]
    if len(statuses) > 1:
        total = CatalogStatus(f"total ({len(statuses)})", "", "")
        for status in present:
            for kind in STATES:
                total.entries[kind] += status.entries[kind]
                total.words[kind] += status.words[kind]
        errors = [s.check_errors for s in present]
        if errors and None not in errors:
            total.check_errors = sum(e for e in errors if e is not None)
        table.add_section()
        table.add_row(Text(total.doc, style="bold"), "", *_count_cells(total, checked))
    missing = len(statuses) - len(present)
    if missing:
        plural = "s" if missing > 1 else ""
        table.caption = f"{missing} catalog{plural} missing: run `l10n update`"
    return table


def _count_cells(status: CatalogStatus, checked: bool) -> list[str]:
    words = "/".join(_compact(status.words[kind]) for kind in STATES)
    errors = "–" if status.check_errors is None else str(status.check_errors)
    return [
        str(status.total),
        *(str(status.entries[kind]) for kind in STATES),
        words,
        f"{status.percent_translated:.1f}",
        f"{status.percent_reviewed:.1f}",
        *([errors] if checked else []),
    ]


def _compact(n: int) -> str:
    """1234 → 1.2k, 56789 → 56k: word counts are for orientation, not accounting."""
    if n < 1000:
        return str(n)
    if n < 10_000:
        return f"{n // 100 / 10:.1f}k"
    if n < 1_000_000:
        return f"{n // 1000}k"
    return f"{n // 100_000 / 10:.1f}M"


def checks_table() -> Table:
    """`l10n check --list`."""
    from ..checks import CHECKS  # the checks load only for the commands that run them

    table = Table("id", "severity", "what it checks")
    for c in CHECKS:
        scope = f" ({', '.join(c.languages)} only)" if c.languages else ""
        table.add_row(c.id, c.severity, c.explanation + scope)
    return table


def drafted_table(report: DraftReport) -> Table:
    """Machine drafts per language: engine, drafts, flagged, left, cache use."""
    table = Table(
        "language", "engine", "drafted", "flagged", "untranslated", "sentences from cache"
    )
    for r in report.languages:
        table.add_row(
            r.lang,
            escape(r.engine) if r.engine else "[yellow]no model installed[/]",
            str(r.drafted),
            str(r.flagged),
            str(r.untranslated),
            f"{r.from_cache}/{r.sentences}",
        )
    return table


def memory_table(fills: Sequence[LanguageFill]) -> Table:
    table = Table("language", "memory 100%", "memory fuzzy", "from sentences", "left for engines")
    for r in fills:
        table.add_row(r.lang, str(r.exact), str(r.fuzzy), str(r.sentences), str(r.untranslated))
    return table


def leverage_table(bands: dict[str, dict[str, int]]) -> Table:
    """The agencies' leverage table: words of untranslated entries per match band."""
    from ..memory import BANDS  # the memory loads only for the commands that use it

    table = Table("language", *BANDS, "total words")
    for code, words in bands.items():
        table.add_row(code, *(str(words[b]) for b in BANDS), str(sum(words.values())))
    return table


def memory_stats_table(stats: dict[str, dict[str, int]]) -> Table:
    """Units that are whole entries; the sentence units inside them are not counted here."""
    table = Table("language", "reviewed", "translated", "draft")
    table.title = "Memory units: whole entries, by state"
    table.caption = (
        "Not counted: the sentences of those entries, which the memory also keeps as "
        "units for fuzzy matches (`l10n memory export` writes both)."
    )
    for code, counts in sorted(stats.items()):
        table.add_row(code, *(str(counts[s]) for s in ("reviewed", "translated", "draft")))
    return table


def updated_table(project: Project, results: Sequence[Updated]) -> Table:
    """`l10n update`: each catalog's states and what this run did to it."""
    table = Table("untranslated", "draft", "translated", "reviewed", "obsolete", "this run")
    table.add_column("catalog", overflow="fold")
    for r in results:
        did = []
        if r.report.created:
            did.append("created")
        for label, items in (
            ("new", r.report.added),
            ("fuzzy-matched", r.report.fuzzy_matched),
            ("revived", r.report.revived),
            ("made obsolete", r.report.obsoleted),
        ):
            if items and not r.report.created:
                did.append(f"{len(items)} {label}")
        c = r.counts
        table.add_row(
            str(c.untranslated),
            str(c.draft),
            str(c.translated),
            str(c.reviewed),
            str(c.obsolete),
            ", ".join(did) or ("unchanged" if not r.changed else "references updated"),
            project.label(r.catalog),
        )
    return table


def servers_table(stats: Sequence[ServerStats]) -> Table:
    """What each translation server did: answers, retries, time waited."""
    table = Table("server", "answers", "retries", "failed tries", "seconds")
    for st in stats:
        table.add_row(
            escape(st.url), str(st.requests), str(st.retries), str(st.failures), f"{st.seconds:.1f}"
        )
    return table
