"""Command line: parse arguments, run one stage, print what happened. No logic here."""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from .. import engines, pipeline
from ..config import load_config
from ..diff import html_report, plan_diff, run_plan, textconv_file
from ..drafting import DraftReport, MissingEngine, ProgressCallback
from ..drafting import draft as draft_stage
from ..engines.remote import ServerError
from ..errors import L10nError
from ..files import write_text_atomic
from ..glossary import Glossary
from ..languages import language
from ..memory import DEFAULT_THRESHOLD, TranslationMemory, leverage
from ..project import Project
from ..publishing.editions import IncompleteEdition, Policy
from ..status import (
    below_thresholds,
    check_error_counter,
    paths_status,
    project_status,
    status_json,
)
from ..termbase import export_glossary
from ..tmx import export_tmx, import_tmx
from .diff_view import print_diffs
from .tables import (
    checks_table,
    drafted_table,
    leverage_table,
    memory_stats_table,
    memory_table,
    servers_table,
    status_table,
    updated_table,
)

app = typer.Typer(
    help="Localize Markdown publications through gettext PO catalogs.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

ProjectDir = Annotated[
    Path, typer.Option("--project", "-C", help="Project folder (default: current folder).")
]
Languages = Annotated[
    list[str] | None,
    typer.Option("--lang", "-l", help="Only these languages (repeatable; prs = fa_AF)."),
]


Formats = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="Comma-separated: md, html, pdf (html/pdf also write dist/en/<doc>.* from the source)",
    ),
]
Drafts = Annotated[bool, typer.Option(help="Use fuzzy drafts instead of the source.")]
Strict = Annotated[bool, typer.Option(help="Refuse anything not reviewed (exit 1).")]
Footnotes = Annotated[
    str | None,
    typer.Option(help="PDF notes: 'bottom' of each page or 'end'; default from l10n.toml."),
]


@contextmanager
def _reported() -> Iterator[None]:
    """Bad input ends the command with its message: exit 2; 1 for an incomplete edition, a
    missing engine or a server that failed (the input was fine, the work was not done)."""
    try:
        yield
    except L10nError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, soft_wrap=True)
        unfinished = IncompleteEdition | MissingEngine | ServerError
        raise typer.Exit(1 if isinstance(exc, unfinished) else 2) from None
    except KeyboardInterrupt:
        err.print("interrupted: every draft received so far is kept; run the command again")
        raise typer.Exit(130) from None


def _project(folder: Path, footnotes: str | None = None) -> Project:
    config = load_config(folder)
    if footnotes is not None:
        publish = dataclasses.replace(config.publish, footnotes=footnotes)
        config = dataclasses.replace(config, publish=publish)
    return Project(config)


@app.command()
def init(
    folder: ProjectDir = Path("."),
    name: Annotated[str | None, typer.Option(help="Project name (default: folder name).")] = None,
) -> None:
    """Create a project here: l10n.toml, source/ and locales/."""
    with _reported():
        for path in pipeline.init_project(folder, name):
            out.print(f"created {path}")


@app.command()
def extract(folder: ProjectDir = Path(".")) -> None:
    """Write locales/<doc>.pot for every source/**/*.md."""
    with _reported():
        project = _project(folder)
        _print_extracted(project, pipeline.extract(project))


@app.command()
def update(folder: ProjectDir = Path("."), lang: Languages = None) -> None:
    """Merge the templates into locales/<lang>/<doc>.po, keeping every translation."""
    with _reported():
        project = _project(folder)
        out.print(updated_table(project, pipeline.update(project, lang)))


@app.command()
def publish(
    folder: ProjectDir = Path("."),
    lang: Languages = None,
    format: Formats = "md",
    drafts: Drafts = False,
    strict: Strict = False,
    footnotes: Footnotes = None,
) -> None:
    """Write dist/<lang>/<doc>.<format> from the sources and the catalogs."""
    with _reported():
        _publish(_project(folder, footnotes), lang, format, drafts, strict)


@app.command()
def build(
    folder: ProjectDir = Path("."),
    lang: Languages = None,
    format: Annotated[
        str | None,
        typer.Option("--format", "-f", help="Comma-separated: md, html, pdf (default: l10n.toml)"),
    ] = None,
    drafts: Drafts = False,
    strict: Strict = False,
    footnotes: Footnotes = None,
) -> None:
    """Run the whole chain: extract, update, draft, check (report only), publish."""
    with _reported():
        project = _project(folder, footnotes)
        policy = Policy.choose(drafts or project.config.publish.drafts, strict)
        with _progress() as progress:
            report = pipeline.build(
                project, lang, _formats(format) if format else None, policy, progress
            )
        _print_extracted(project, report.extracted)
        out.print(updated_table(project, report.updated))
        _print_drafted(project, report.drafted)
        _print_findings(report.findings)
        _print_published(project, report.published)


@app.command()
def check(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="PO files or folders (default: the project's).")
    ] = None,
    folder: ProjectDir = Path("."),
    lang: Languages = None,
    only: Annotated[
        str | None, typer.Option(help="Comma-separated check ids to run (default: all).")
    ] = None,
    fail_on: Annotated[
        str, typer.Option(help="Exit 1 on 'error' (default) or also on 'warning'.")
    ] = "error",
    as_json: Annotated[bool, typer.Option("--json", help="Findings as JSON.")] = False,
    list_checks: Annotated[bool, typer.Option("--list", help="Show the checks.")] = False,
) -> None:
    """Check translations: Markdown, numbers, glossary, typography. Exit 1 on errors."""
    with _reported():
        if list_checks:
            out.print(checks_table())
            return
        if fail_on not in ("error", "warning"):
            raise L10nError("--fail-on takes 'error' or 'warning'")
        findings = _run_checks(folder, paths or [], lang, only)
        if as_json:
            sys.stdout.write(
                json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=1)
            )
            sys.stdout.write("\n")
        else:
            _print_findings(findings)
        failing = {"error"} if fail_on == "error" else {"error", "warning"}
        if any(f.finding.severity in failing for f in findings):
            raise typer.Exit(1)


def _run_checks(
    folder: Path, paths: list[Path], lang: list[str] | None, only: str | None
) -> list[pipeline.Located]:
    project = _project(folder) if not paths else None
    glossary = project.glossary() if project else _optional_glossary(folder)
    targets = pipeline.catalogs_to_check(project, paths, lang)
    return pipeline.check_catalogs(targets, glossary, _formats(only) if only else None)


def _optional_glossary(folder: Path) -> Glossary:
    """Checking loose files: use the project's glossary if there is a project here."""
    try:
        return _project(folder).glossary()
    except L10nError:
        return Glossary()


def _print_findings(findings: list[pipeline.Located]) -> None:
    for f in findings:
        colour = "red" if f.finding.severity == "error" else "yellow"
        short = f.msgid if len(f.msgid) <= 50 else f.msgid[:49] + "…"
        err.print(
            f"{escape(f.catalog)}:{f.line}: [{colour}]{f.finding.severity}[/] "
            f"\\[{f.finding.check}] {escape(f.finding.message)}  ({escape(repr(short))})",
            markup=True,
            soft_wrap=True,
        )
    errors = sum(1 for f in findings if f.finding.severity == "error")
    out.print(f"{errors} errors, {len(findings) - errors} warnings")


@app.command()
def status(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="PO files or folders (searched for *.po) from any project; "
            "default: this project's catalogs.",
            show_default=False,
        ),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print a JSON list instead of the table.")
    ] = False,
    min_reviewed: Annotated[
        float | None,
        typer.Option(min=0, max=100, help="Exit 1 if a catalog has less reviewed (percent)."),
    ] = None,
    min_translated: Annotated[
        float | None,
        typer.Option(min=0, max=100, help="Exit 1 if a catalog has less translated (percent)."),
    ] = None,
    lang: Languages = None,
    folder: ProjectDir = Path("."),
) -> None:
    """Entries and words untranslated, draft, translated and reviewed, per document and language."""
    with _reported():
        if paths:
            counter = check_error_counter(_optional_glossary(folder))
            statuses = paths_status(paths, lang, counter)
        else:
            project = _project(folder)
            statuses = project_status(project, lang, check_error_counter(project.glossary()))
        if json_output:
            sys.stdout.write(status_json(statuses))
        else:
            out.print(status_table(statuses))
        shortfalls = below_thresholds(statuses, min_translated, min_reviewed)
        for shortfall in shortfalls:
            err.print(f"[bold red]below threshold:[/] {escape(str(shortfall))}", soft_wrap=True)
        if shortfalls:
            raise typer.Exit(1)


@app.command()
def diff(
    versions: Annotated[
        list[str] | None,
        typer.Argument(
            help="OLD.po NEW.po, or REV [-- FILE…] (REV against the working tree), "
            "or A..B [-- FILE…]; FILE alone compares HEAD with the working tree.",
            show_default=False,
        ),
    ] = None,
    rev: Annotated[
        str | None,
        typer.Option(
            "--rev",
            "-r",
            help="Compare two revisions (A..B, A...B) or one with the working tree (A); "
            "without FILE, every catalog under locales/ that changed.",
        ),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Also write a side-by-side HTML report to this file."),
    ] = None,
    textconv: Annotated[
        bool,
        typer.Option(
            "--textconv",
            help="Print one catalog as plain unwrapped lines (for git's diff.<driver>.textconv).",
        ),
    ] = False,
    folder: ProjectDir = Path("."),
) -> None:
    """Show what changed between two versions of catalogs, entry by entry (exit 0)."""
    with _reported():
        plan = plan_diff(versions or [], rev=rev, textconv=textconv, base=folder)
        if plan.textconv is not None:
            sys.stdout.write(textconv_file(folder / plan.textconv))
            return
        diffs = run_plan(plan, folder)
        print_diffs(diffs, out)
        if html is not None:
            write_text_atomic(html, html_report(diffs))
            out.print(f"wrote {html}")


EngineName = Annotated[
    str | None,
    typer.Option(
        "--engine",
        "-e",
        help="Engine for every language instead of l10n.toml's: argos, nllb (add +dari for Dari).",
    ),
]


@app.command()
def draft(
    folder: ProjectDir = Path("."),
    lang: Languages = None,
    engine: EngineName = None,
    overwrite_drafts: Annotated[
        bool, typer.Option(help="Also replace earlier machine drafts that nobody has edited.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option(help="Show what would be translated; translate and write nothing.")
    ] = False,
    require_engine: Annotated[
        bool, typer.Option(help="Fail if a language has no installed model (default: a note).")
    ] = False,
    trust_exact: Annotated[
        bool, typer.Option(help="Reviewed 100% memory matches are filled as translated.")
    ] = False,
    memory_threshold: Annotated[
        int, typer.Option(min=50, max=100, help="Lowest fuzzy match taken from memory (%).")
    ] = DEFAULT_THRESHOLD,
    memory: Annotated[bool, typer.Option(help="Use the translation memory first.")] = True,
) -> None:
    """Fill untranslated entries from the translation memory, then with machine drafts (fuzzy)."""
    with _reported():
        project = _project(folder)
        with _progress() as progress:
            report = draft_stage(
                project, lang, engine=engine, overwrite_drafts=overwrite_drafts,
                dry_run=dry_run, require_engine=require_engine, use_memory=memory,
                memory_threshold=memory_threshold, trust_exact=trust_exact, progress=progress,
            )  # fmt: skip
        _print_drafted(project, report)


@contextmanager
def _progress() -> Iterator[ProgressCallback]:
    """A progress bar on stderr for the sentences sent to engines (gone when done)."""
    columns = (
        TextColumn("drafting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("sentences, {task.fields[rate]}/s"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("draft", total=None, rate="…")
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            bar.update(task, completed=done, total=total, rate=f"{rate:.1f}")

        yield progress


def _print_drafted(project: Project, report: DraftReport) -> None:
    if report.leverage is not None:
        out.print(leverage_table(report.leverage))
    if report.memory:
        out.print(memory_table(report.memory))
    out.print(drafted_table(report))
    if report.dry_run:
        for p in report.planned:
            short = p.msgid if len(p.msgid) <= 60 else p.msgid[:59] + "…"
            where = f" → {', '.join(p.servers)}" if p.servers else ""
            line = f"{p.catalog}:{p.line}: would draft {short!r} with {p.engine}{where}"
            out.print(escape(line))
        return
    if report.servers:
        out.print(servers_table(report.servers))
    translated = sum(r.translated for r in report.languages)
    if translated:
        unit = "sentence" if translated == 1 else "sentences"
        out.print(
            f"{translated} {unit} translated in {report.seconds:.1f} s "
            f"({report.sentences_per_second:.1f}/s)"
        )
    for path in report.written:
        out.print(f"wrote {project.label(path)}")
    for r in report.missing:
        if not r.untranslated:
            continue  # the memory and the translators left nothing for an engine
        err.print(
            f"[yellow]{r.lang}:[/] no model installed; {r.untranslated} entries stay "
            f"untranslated. Install one: {escape(r.hint or '')}",
            markup=True,
            soft_wrap=True,
        )


models_app = typer.Typer(help="Machine translation models for `l10n draft`.")
app.add_typer(models_app, name="models")


@models_app.command("install")
def models_install(
    what: Annotated[
        str,
        typer.Argument(
            help="FILE.argosmodel, a pair from the Argos index (en-ur, en-fa), or 'nllb'.",
            show_default=False,
        ),
    ],
    path: Annotated[
        Path | None, typer.Argument(help="With nllb: the converted model directory.")
    ] = None,
    sp_model: Annotated[
        Path | None, typer.Option(help="With nllb: the SentencePiece model, if not in DIR.")
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="With nllb: the name drafts record (default: DIR's).")
    ] = None,
    folder: ProjectDir = Path("."),
) -> None:
    """Install an Argos package (file or index) or register a converted NLLB-200 model."""
    with _reported():
        info = engines.install(what, path, _engine_options(folder), sp_model, name)
        out.print(f"installed {escape(info.label)} ({info.path})")


@models_app.command("list")
def models_list(folder: ProjectDir = Path(".")) -> None:
    """The installed models, and the language pairs each translates."""
    with _reported():
        table = Table("engine", "model", "version", "pairs")
        table.add_column("path", overflow="fold")
        models = engines.installed_models(_engine_options(folder))
        for m in models:
            pairs = ", ".join(f"{a}→{b}" for a, b in m.pairs)
            table.add_row(m.engine, m.model, m.version, pairs, str(m.path))
        out.print(table)
        if not models:
            out.print("no models installed: see `l10n models install --help`")


def _engine_options(folder: Path) -> engines.EngineOptions:
    """The project's [engines] paths if there is a project here, else the defaults."""
    try:
        return load_config(folder).engines.options
    except L10nError:
        return engines.EngineOptions()


memory_app = typer.Typer(help="Translation memory: every catalog of the project, plus imports.")
app.add_typer(memory_app, name="memory")


@memory_app.command("import")
def memory_import(
    files: Annotated[
        list[Path], typer.Argument(help="TMX files, PO files or folders of PO files.")
    ],
    penalty: Annotated[
        float, typer.Option(min=0, max=100, help="Points taken off every match from these files.")
    ] = 0,
    folder: ProjectDir = Path("."),
) -> None:
    """Add other projects' translations (TMX 1.4b or PO) to the memory; re-importing replaces.

    TMX language tags with regions (en-US, ps-AF, ur-PK, prs-AF) map to the project's
    languages; what is left out is listed with its reason.
    """
    with _reported():
        project = _project(folder)
        with TranslationMemory.for_project(project) as tm:
            for file in files:
                if file.suffix.lower() == ".tmx":
                    found = import_tmx(tm, file, penalty, project.config.languages)
                    count = found.imported
                    for why, skipped in sorted(found.skipped.items()):
                        err.print(
                            f"{escape(str(file))}: skipped {skipped}: {escape(why)}", soft_wrap=True
                        )
                else:
                    count = tm.import_po([file], penalty)
                out.print(f"{escape(str(file))}: {count} units")


@memory_app.command("export")
def memory_export(
    file: Annotated[Path, typer.Argument(help="The TMX file to write.")],
    folder: ProjectDir = Path("."),
    lang: Languages = None,
    states: Annotated[
        str | None,
        typer.Option(help="Only units in these states, e.g. reviewed,translated (no drafts)."),
    ] = None,
) -> None:
    """Write the memory as TMX 1.4b (en → ps, fa-AF, ur) with dates and reviewers.

    OmegaT reads it from a project's tm/ folder, Weblate with `weblate import_memory`,
    `l10n memory import` in another project; Translate Toolkit has po2tmx but no tmx2po.
    """
    with _reported():
        project = _project(folder)
        with TranslationMemory.for_project(project) as tm:
            tm.refresh(project)
            count = export_tmx(tm, file, lang, _formats(states) if states else None)
        out.print(f"wrote {count} units to {escape(str(file))}")


@memory_app.command("stats")
def memory_stats(folder: ProjectDir = Path("."), lang: Languages = None) -> None:
    """Units per language and state, and the leverage of untranslated entries in words."""
    with _reported():
        project = _project(folder)
        with TranslationMemory.for_project(project) as tm:
            tm.refresh(project)
            out.print(memory_stats_table(tm.stats()))
            out.print(leverage_table(leverage(project, lang, tm)))


review_app = typer.Typer(help="Record reviews in the catalogs.")
app.add_typer(review_app, name="review")


@review_app.command("approve")
def review_approve(
    files: Annotated[list[Path], typer.Argument(help="PO files to approve entries in.")],
    reviewer: Annotated[str, typer.Option(help="The reviewer's name, recorded in the file.")],
    line: Annotated[
        list[int] | None, typer.Option(help="Only the entry starting at this line (repeatable).")
    ] = None,
    folder: ProjectDir = Path("."),
) -> None:
    """Mark translated entries reviewed; drafts and entries with check errors are refused."""
    with _reported():
        glossary = _optional_glossary(folder)
        refused = 0
        for file in files:
            lang = pipeline.catalogs_to_check(None, [file], None)[0][2]
            result = pipeline.approve(file, str(file), lang, glossary, reviewer, line or [])
            out.print(f"{file}: {result.approved} entries marked reviewed by {reviewer}")
            for number, why in result.refused:
                err.print(f"{escape(str(file))}:{number}: not approved: {escape(why)}")
            refused += len(result.refused)
        if refused:
            raise typer.Exit(1)


def _publish(
    project: Project, lang: list[str] | None, format: str, drafts: bool, strict: bool
) -> None:
    policy = Policy.choose(drafts or project.config.publish.drafts, strict)
    _print_published(project, pipeline.publish(project, _formats(format), lang, policy))


glossary_app = typer.Typer(help="The project's terminology: list, export, import.")
app.add_typer(glossary_app, name="glossary")


@glossary_app.command("list")
def glossary_list(folder: ProjectDir = Path("."), lang: Languages = None) -> None:
    """Terms with their renderings and how often each occurs in the documents."""
    with _reported():
        project = _project(folder)
        rows = pipeline.glossary_coverage(project)
        codes = [language(c).code for c in (lang or project.config.languages)]
        table = Table("id", "term", *codes, "uses", "documents")
        for term, per_doc in rows:
            renderings = [
                f"{r.term} ({r.status})" if (r := term.translations.get(c)) else "—" for c in codes
            ]
            docs = ", ".join(f"{d} ×{n}" for d, n in per_doc.items())
            table.add_row(term.id, term.term, *renderings, str(sum(per_doc.values())), docs)
        out.print(table)
        used = sum(1 for _, per_doc in rows if per_doc)
        out.print(f"{len(rows)} terms, {used} used in the documents")


@glossary_app.command("export")
def glossary_export(
    folder: ProjectDir = Path("."),
    format: Annotated[str, typer.Option("--format", "-f", help="tbx or csv")] = "tbx",
    lang: Annotated[
        str | None, typer.Option("--lang", "-l", help="CSV for one language (source,target).")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")] = None,
) -> None:
    """Write the glossary as TBX or CSV (to a file, or to standard output)."""
    with _reported():
        text = export_glossary(_project(folder).glossary(), format, lang)
        if output is None:
            sys.stdout.write(text)
        else:
            write_text_atomic(output, text)
            out.print(f"wrote {output}")


@glossary_app.command("import")
def glossary_import(
    file: Annotated[Path, typer.Argument(help="A .tbx, .csv or tab-separated glossary.")],
    folder: ProjectDir = Path("."),
    format: Annotated[str | None, typer.Option("--format", "-f", help="tbx or csv")] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", "-l", help="The language of a source,target CSV.")
    ] = None,
) -> None:
    """Merge a TBX or CSV glossary into glossary.yaml, changing only what it changes.

    l10n's own files replace the entries with the same id; other tools' files (Weblate,
    Translate Toolkit, OmegaT; TBX v2/v3, source,target CSV) update the term with the
    same English form, or add it.  Comments and layout of glossary.yaml are kept.
    """
    with _reported():
        project = _project(folder)
        done = pipeline.import_glossary(project, file, format, lang)
        out.print(
            f"{project.label(project.config.glossary_path)}: {len(done.added)} added, "
            f"{len(done.replaced)} replaced, {len(done.updated)} updated, "
            f"{done.unchanged} unchanged"
        )
        for why, count in sorted(done.skipped.items()):
            err.print(f"{escape(str(file))}: skipped {count}: {escape(why)}", soft_wrap=True)


def _formats(value: str) -> list[str]:
    return [f.strip() for f in value.split(",") if f.strip()]


def _print_extracted(project: Project, results: list[pipeline.Extracted]) -> None:
    for r in results:
        state = "written" if r.changed else "unchanged"
        out.print(f"{project.label(r.template)}: {r.entries} entries ({state})")


def _print_published(project: Project, report: pipeline.PublishReport) -> None:
    for p in report.editions:
        e = p.edition
        files = ", ".join(project.label(o) for o in p.outputs)
        out.print(
            f"{files}: {e.translated} translated, {e.drafts} drafts, "
            f"{e.source_fallback} in the source language"
        )
    for p in report.originals:
        out.print(f"{', '.join(project.label(o) for o in p.outputs)}: the original")
    for problem in report.problems:
        err.print(f"[yellow]warning:[/] {escape(str(problem))}", markup=True, soft_wrap=True)


def main() -> None:  # pragma: no cover - console script entry
    app()
