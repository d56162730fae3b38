"""Catalog headers after l10n and other tools have touched a file.

A reviewer's approval is an edit: `PO-Revision-Date` and `Last-Translator`
say so, as Poedit and Weblate do on a save; a draft run that fills entries
moves `PO-Revision-Date` only.  A tool that rebuilds the header
from the template (`msgcat --use-first`) blanks `Language:`; `l10n update`
puts it back.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import polib

from l10n.catalog import read_catalog
from l10n.config import load_config
from l10n.languages import language
from l10n.pipeline import update
from l10n.project import Project

from conftest import start_project

SOURCE = "# Border trade\n\nThe crossings reopened.\n"
TRANSLATIONS = {
    "Border trade": "د پولې سوداګري",
    "The crossings reopened.": "لارې بېرته پرانیستل شوې.",
}


def l10n(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["l10n", *args], cwd=cwd, capture_output=True, text=True, check=False)


def translated(project: Path) -> Path:
    start_project(project, SOURCE)
    po = project / "locales" / "ps" / "brief.po"
    catalog = polib.pofile(str(po), wrapwidth=0)
    for entry in catalog:
        entry.msgstr = TRANSLATIONS[entry.msgid]
    catalog.metadata["PO-Revision-Date"] = "2020-01-01 00:00+0000"
    catalog.save()
    return po


def test_review_approve_records_who_revised_the_catalog_and_when(project):
    po = translated(project)
    before = datetime.now(UTC).replace(second=0, microsecond=0)
    result = l10n(project, "review", "approve", str(po), "--reviewer", "Zarmina Ahmadzai")
    assert result.returncode == 0, result.stderr
    header = read_catalog(po).metadata
    assert header["Last-Translator"] == "Zarmina Ahmadzai"
    revised = datetime.strptime(header["PO-Revision-Date"], "%Y-%m-%d %H:%M%z")
    assert before <= revised <= datetime.now(UTC)
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)


def test_an_approval_that_approves_nothing_leaves_the_header_alone(project):
    po = translated(project)
    l10n(project, "review", "approve", str(po), "--reviewer", "Zarmina")
    text = po.read_text("utf-8")
    again = l10n(project, "review", "approve", str(po), "--reviewer", "Wahid")
    assert again.returncode == 0 and "0 entries marked reviewed" in again.stdout
    assert po.read_text("utf-8") == text


def test_update_restores_the_language_header_msgcat_blanked(project):
    po = translated(project)
    pot = project / "locales" / "brief.pot"
    subprocess.run(["msgcat", "--use-first", "-o", str(po), str(pot), str(po)], check=True)
    assert read_catalog(po).metadata.get("Language", "") == ""  # msgcat took the POT's header
    assert read_catalog(po).find("Border trade").msgstr == TRANSLATIONS["Border trade"]
    update(Project(load_config(project)))
    catalog = read_catalog(po, lang=language("ps"))
    assert catalog.metadata["Language"] == "ps"
    assert all(entry.msgstr == TRANSLATIONS[entry.msgid] for entry in catalog)


def test_a_draft_run_dates_the_catalogs_it_fills_and_leaves_the_others_alone(project):
    shared = "Pakistan and Afghanistan share a long border."
    start_project(project, f"# Border trade\n\n{shared}\n", "brief-1")
    first = project / "locales" / "ur" / "brief-1.po"
    catalog = polib.pofile(str(first), wrapwidth=0)
    catalog.find(shared).msgstr = "پاکستان اور افغانستان کی طویل سرحد ہے۔"
    catalog.metadata["PO-Revision-Date"] = "2020-01-01 00:00+0000"
    catalog.save()
    (project / "source" / "brief-2.md").write_text(f"# Trade\n\n{shared}\n", "utf-8")
    assert l10n(project, "extract").returncode == 0 and l10n(project, "update").returncode == 0
    second = project / "locales" / "ur" / "brief-2.po"
    catalog = polib.pofile(str(second), wrapwidth=0)
    catalog.metadata["PO-Revision-Date"] = "2020-01-01 00:00+0000"
    catalog.save()
    untouched = first.read_bytes()
    result = l10n(project, "draft", "--lang", "ur")
    assert result.returncode == 0, result.stderr
    header = read_catalog(second).metadata
    revised = datetime.strptime(header["PO-Revision-Date"], "%Y-%m-%d %H:%M%z")
    assert revised.date() == datetime.now(UTC).date()  # the memory filled an entry: revised now
    assert header["Last-Translator"] == ""  # a machine is not a translator
    assert first.read_bytes() == untouched  # nothing to fill there: not even its date moves
