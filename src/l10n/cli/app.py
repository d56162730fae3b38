"""Command line: parse arguments, run one stage, print what happened. No logic here."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..catalog import LooseCatalogs, read_loose
from ..errors import L10nError
from ..files import write_text_atomic
from ..languages import language
from ..settings import MEMORY_THRESHOLD
from ..status import (
    below_thresholds,
    check_error_counter,
    loose_status,
    project_status,
    status_json,
)
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


def _on_first_use(name: str) -> ModuleType:
    """A module that loads when a command first uses it.

    Drafting, the engines and publishing import HTTP clients and templates that
    cost more than `l10n --help`, `status` or `check` themselves; those
    commands never touch them, so they never load them.
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)  # as an import would: `l10n.pipeline` works
    return module


if TYPE_CHECKING:
    from .. import checking, config, drafting, engines, pipeline
    from .. import memory as memories
    from ..drafting import DraftReport, ProgressCallback
    from ..glossary import Glossary
    from ..project import Project
    from ..publishing import editions
else:
    checking = _on_first_use("l10n.checking")
    config = _on_first_use("l10n.config")
    drafting = _on_first_use("l10n.drafting")
    engines = _on_first_use("l10n.engines")
    memories = _on_first_use("l10n.memory")
    editions = _on_first_use("l10n.publishing.editions")
    pipeline = _on_first_use("l10n.pipeline")

#: Errors that mean unfinished work, not bad input (exit 1): module, class.
_UNFINISHED = (
    ("l10n.publishing.editions", "IncompleteEdition"),
    ("l10n.drafting", "MissingEngine"),
    ("l10n.engines.remote", "ServerError"),
)


def _unfinished(exc: BaseException) -> bool:
    """An incomplete edition, a missing engine or a failed server: the input was fine.

    A module `_on_first_use` has not loaded cannot have raised anything, and
    looking into it would load it, so only loaded ones are asked.
    """
    for module_name, class_name in _UNFINISHED:
        module = sys.modules.get(module_name)
        loaded = module is not None and type(module) is ModuleType
        if loaded and isinstance(exc, getattr(module, class_name)):
            return True
    return False


app = typer.Typer(
    help="Localize Markdown publications through gettext PO catalogs.",
    no_args_is_help=True,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
#: Columns for output that goes to a file or a pipe: wide enough that no table is cut.
PIPE_WIDTH = 1000


@dataclasses.dataclass
class Verbosity:
    """How much the commands say: -q nothing on stdout, -v also the causes of errors."""

    verbose: bool = False


verbosity = Verbosity()


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version  # costs more than most commands: only here

        out.print(f"l10n {version('l10n')}")
        raise typer.Exit()


@app.callback()
def options(
    project: Annotated[
        Path | None,
        typer.Option(
            "--project",
            "-C",
            help="Run as if started in this folder (also accepted after the command).",
            exists=True,
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing on stdout; the exit code tells.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also print what caused an error.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Localize Markdown publications through gettext PO catalogs."""
    if project is not None:
        os.chdir(project)  # as `git -C`: every relative path, -C after the command too
    out.quiet = quiet
    for console in (out, err):
        if not console.is_terminal:
            console.width = PIPE_WIDTH
    verbosity.verbose = verbose


ProjectDir = Annotated[
    Path, typer.Option("--project", "-C", help="Project folder (default: current folder).")
]
Languages = Annotated[
    list[str] | None,
    typer.Option("--lang", "-l", help="Only these languages (repeatable; prs = fa_AF)."),
]


Drafts = Annotated[
    bool | None,
    typer.Option(
        help="Use fuzzy drafts instead of the source (default: [publish] drafts in l10n.toml).",
        show_default=False,
    ),
]
CheckOnly = Annotated[
    bool,
    typer.Option(
        "--check", help="Write nothing; exit 1 and name the files if any would change (for CI)."
    ),
]
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
        cause = exc.__cause__
        while verbosity.verbose and cause is not None:
            err.print(f"  caused by {type(cause).__name__}: {escape(str(cause))}", soft_wrap=True)
            cause = cause.__cause__
        raise typer.Exit(1 if _unfinished(exc) else 2) from None
    except KeyboardInterrupt:
        err.print("interrupted: every draft received so far is kept; run the command again")
        raise typer.Exit(130) from None


def _project(folder: Path, footnotes: str | None = None) -> Project:
    from ..config import load_config
    from ..project import Project

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
def extract(folder: ProjectDir = Path("."), check_only: CheckOnly = False) -> None:
    """Write locales/<doc>.pot for every source/**/*.md."""
    with _reported():
        project = _project(folder)
        extracted = pipeline.extract(project, write=not check_only)
        _print_extracted(project, extracted, check_only)
        _warn_orphans(project)
        _fail_if_changed(
            check_only, [project.label(e.template) for e in extracted if e.changed], "extract"
        )


@app.command()
def update(
    folder: ProjectDir = Path("."), lang: Languages = None, check_only: CheckOnly = False
) -> None:
    """Extract, then merge each template into every language's catalog; no translation is lost."""
    with _reported():
        project = _project(folder)
        extracted = pipeline.extract(project, write=False)  # update writes them, after reading
        updated = pipeline.update(project, lang, write=not check_only, extracted=extracted)
        _print_extracted(project, [e for e in extracted if e.changed], check_only)
        out.print(updated_table(project, updated))
        _warn_orphans(project)
        changed = [project.label(e.template) for e in extracted if e.changed]
        changed += [project.label(u.catalog) for u in updated if u.changed]
        _fail_if_changed(check_only, changed, "update")


@app.command()
def publish(
    folder: ProjectDir = Path("."),
    lang: Languages = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="Comma-separated: md, html, pdf (default: [publish] formats in l10n.toml; "
            "html/pdf also write dist/en/<doc>.* from the source)",
            show_default=False,
        ),
    ] = None,
    drafts: Drafts = None,
    strict: Strict = False,
    footnotes: Footnotes = None,
    check_only: CheckOnly = False,
) -> None:
    """Write dist/<lang>/<doc>.<format> from the sources and the catalogs."""
    with _reported():
        project = _project(folder, footnotes)
        formats = _formats(format) if format else project.config.publish.formats
        policy = editions.Policy.choose(_drafts(project, drafts), strict)
        report = pipeline.publish(project, formats, lang, policy, write=not check_only)
        _print_published(project, report, check_only)
        _warn_orphans(project)
        _fail_if_changed(check_only, [project.label(p) for p in report.changed], "publish")


def _drafts(project: Project, drafts: bool | None) -> bool:
    """--drafts/--no-drafts win over `[publish] drafts`; without either, the file decides."""
    return project.config.publish.drafts if drafts is None else drafts


def _fail_if_changed(check_only: bool, changed: list[str], command: str) -> None:
    """`--check`: name what would change and exit 1, or say that everything is current."""
    if not check_only:
        return
    for label in changed:
        err.print(f"would change: {escape(label)}", soft_wrap=True)
    if changed:
        err.print(f"{len(changed)} file(s) out of date: run `l10n {command}`")
        raise typer.Exit(1)
    out.print("up to date: nothing would change")


def _warn_orphans(project: Project) -> bool:
    """Catalogs of a document whose source is gone: say so, and what to do with them."""
    orphans = project.orphans()
    for doc_id, paths in orphans.items():
        source = project.label(project.config.source_dir / f"{doc_id}.md")
        files = ", ".join(project.label(p) for p in paths)
        err.print(
            f"[yellow]warning:[/] {escape(files)}: the document has no source ({escape(source)} "
            "is missing). Restore the source to keep working on it; if the document was "
            "withdrawn, delete these files (version control keeps their translations).",
            markup=True,
            soft_wrap=True,
        )
    return bool(orphans)


@app.command()
def build(
    folder: ProjectDir = Path("."),
    lang: Languages = None,
    format: Annotated[
        str | None,
        typer.Option("--format", "-f", help="Comma-separated: md, html, pdf (default: l10n.toml)"),
    ] = None,
    drafts: Drafts = None,
    strict: Strict = False,
    footnotes: Footnotes = None,
) -> None:
    """Run the whole chain: extract, update, draft, check (report only), publish."""
    with _reported():
        project = _project(folder, footnotes)
        policy = editions.Policy.choose(_drafts(project, drafts), strict)
        with _progress() as progress:
            report = pipeline.build(
                project, lang, _formats(format) if format else None, policy, progress
            )
        _print_extracted(project, report.extracted)
        out.print(updated_table(project, report.updated))
        _print_drafted(project, report.drafted)
        _print_findings(report.findings)
        _print_published(project, report.published)
        _warn_orphans(project)


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
        findings, unreadable = _run_checks(folder, paths or [], lang, only)
        orphaned = not paths and _warn_orphans(_project(folder))
        if as_json:
            sys.stdout.write(
                json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=1)
            )
            sys.stdout.write("\n")
        else:
            _print_findings(findings)
        if unreadable:
            raise typer.Exit(2)
        failing = {"error"} if fail_on == "error" else {"error", "warning"}
        if orphaned or any(f.finding.severity in failing for f in findings):
            raise typer.Exit(1)


def _run_checks(
    folder: Path, paths: list[Path], lang: list[str] | None, only: str | None
) -> tuple[list[checking.Located], bool]:
    """The findings, and whether a named file could not be read (each one is reported)."""
    ids = _formats(only) if only else None
    if not paths:
        project = _project(folder)
        targets = checking.catalogs_to_check(project, lang)
        return checking.check_catalogs(targets, project.glossary(), ids), False
    loose = read_loose(paths, lang)
    findings = checking.check_loose(loose.read, _optional_glossary(folder), ids)
    return findings, _report_loose(loose)


def _report_loose(loose: LooseCatalogs) -> bool:
    """What reading loose files met: warnings, then one error per file that failed."""
    for found in loose.read:
        for warning in found.warnings:
            err.print(f"[yellow]warning:[/] {escape(warning)}", soft_wrap=True)
    for exc in loose.failed:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, soft_wrap=True)
    return bool(loose.failed)


def _optional_glossary(folder: Path) -> Glossary:
    """Checking loose files: use the project's glossary if there is a project here."""
    try:
        return _project(folder).glossary()
    except L10nError:
        from ..glossary import Glossary

        return Glossary()


def _print_findings(findings: list[checking.Located]) -> None:
    for f in findings:
        colour = "red" if f.finding.severity == "error" else "yellow"
        short = f.msgid if len(f.msgid) <= 50 else f.msgid[:49] + "…"
        out.print(
            f"{escape(f.catalog)}:{f.line}: [{colour}]{f.finding.severity}[/] "
            f"\\[{f.finding.check}] {escape(f.finding.message)}  ({escape(repr(short))})",
            markup=True,
            emoji=False,  # "file.po:100:" is a location, not the emoji :100:
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
    with_checks: Annotated[
        bool,
        typer.Option(
            "--checks", help="Also run `l10n check` and count its errors (the errors column)."
        ),
    ] = False,
    folder: ProjectDir = Path("."),
) -> None:
    """Entries and words untranslated, draft, translated and reviewed, per document and language.

    With PO files named, each file's language is its Language header, else its
    file name (ps.po, ur-PK.po, app-fa.po), else its folder; --lang overrides.
    A file that cannot be read is reported and the others are counted (exit 2).
    """
    with _reported():
        unreadable = False
        if paths:
            counter = check_error_counter(_optional_glossary(folder)) if with_checks else None
            loose = read_loose(paths, lang)
            statuses = loose_status(loose.read, counter)
            unreadable = _report_loose(loose)
        else:
            project = _project(folder)
            counter = check_error_counter(project.glossary()) if with_checks else None
            statuses = project_status(project, lang, counter)
            _warn_orphans(project)
        if json_output:
            sys.stdout.write(status_json(statuses))
        else:
            out.print(status_table(statuses))
        shortfalls = below_thresholds(statuses, min_translated, min_reviewed)
        for shortfall in shortfalls:
            err.print(f"[bold red]below threshold:[/] {escape(str(shortfall))}", soft_wrap=True)
        if unreadable:
            raise typer.Exit(2)
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
    from ..diff import html_report, plan_diff, run_plan, textconv_file
    from .diff_view import print_diffs

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
    ] = MEMORY_THRESHOLD,
    memory: Annotated[bool, typer.Option(help="Use the translation memory first.")] = True,
) -> None:
    """Fill untranslated entries from the translation memory, then with machine drafts (fuzzy)."""
    with _reported():
        project = _project(folder)
        with _progress() as progress:
            report = drafting.draft(
                project, lang, engine=engine, overwrite_drafts=overwrite_drafts,
                dry_run=dry_run, require_engine=require_engine, use_memory=memory,
                memory_threshold=memory_threshold, trust_exact=trust_exact, progress=progress,
            )  # fmt: skip
        _print_drafted(project, report)
        _warn_orphans(project)


@contextmanager
def _progress() -> Iterator[ProgressCallback]:
    """A progress bar on stderr for the sentences sent to engines (gone when done)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

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
    if not any(r.candidates or r.untranslated for r in report.languages):
        out.print("draft: nothing to draft (every entry has a translation or a draft)")
        return
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
            f"[yellow]{r.lang}:[/] {r.untranslated} entries left untranslated (no model "
            f"installed): {escape(r.hint or '')}",
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
        return config.load_config(folder).engines.options
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
    from ..tmx import import_tmx

    with _reported():
        project = _project(folder)
        with memories.TranslationMemory.for_project(project) as tm:
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
    from ..tmx import export_tmx

    with _reported():
        project = _project(folder)
        with memories.TranslationMemory.for_project(project) as tm:
            tm.refresh(project)
            count = export_tmx(tm, file, lang, _formats(states) if states else None)
        out.print(f"wrote {count} units (whole entries and their sentences) to {escape(str(file))}")


@memory_app.command("stats")
def memory_stats(folder: ProjectDir = Path("."), lang: Languages = None) -> None:
    """Units per language and state, and the leverage of untranslated entries in words."""
    with _reported():
        project = _project(folder)
        with memories.TranslationMemory.for_project(project) as tm:
            tm.refresh(project)
            out.print(memory_stats_table(tm.stats()))
            out.print(leverage_table(memories.leverage(project, lang, tm)))


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
            result = pipeline.approve(file, str(file), None, glossary, reviewer, line or [])
            out.print(f"{file}: {result.approved} entries marked reviewed by {reviewer}")
            for number, why in result.refused:
                err.print(f"{escape(str(file))}:{number}: not approved: {escape(why)}")
            refused += len(result.refused)
        if refused:
            raise typer.Exit(1)


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
    from ..termbase import export_glossary

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


def _print_extracted(
    project: Project, results: list[pipeline.Extracted], check_only: bool = False
) -> None:
    written = "would be written" if check_only else "written"
    for r in results:
        state = written if r.changed else "unchanged"
        out.print(f"{project.label(r.template)}: {r.entries} entries ({state})")


def _print_published(
    project: Project, report: pipeline.PublishReport, check_only: bool = False
) -> None:
    """Per edition, its catalog entries as `l10n status` counts them (a repeated block is one)."""
    for p in report.editions:
        e = p.edition
        files = ", ".join(project.label(o) for o in p.outputs)
        entries = e.translated + e.drafts + e.source_fallback
        out.print(
            f"{files}: {entries} entries: {e.translated} translated, {e.drafts} drafts, "
            f"{e.source_fallback} in the source language",
            soft_wrap=True,
        )
    for p in report.originals:
        out.print(f"{', '.join(project.label(o) for o in p.outputs)}: the original")
    if report.left_over:
        files = ", ".join(project.label(path) for path in report.left_over)
        err.print(
            f"[yellow]note:[/] left as they were from an earlier run (their format was not "
            f"asked for this time): {escape(files)}",
            markup=True,
            soft_wrap=True,
        )
    for problem in report.problems:
        err.print(f"[yellow]warning:[/] {escape(str(problem))}", markup=True, soft_wrap=True)


def main() -> None:  # pragma: no cover - console script entry
    app()
