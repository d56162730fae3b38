"""Translation memories to and from other tools: region tags, what is skipped, dates, origins."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import polib
from translate.storage import tmx as tt_tmx
from typer.testing import CliRunner

from l10n.catalog import read_catalog, save_catalog
from l10n.cli import app
from l10n.comments import Notes, Provenance, set_fuzzy
from l10n.config import load_config
from l10n.memory import TranslationMemory
from l10n.project import Project
from l10n.review import mark_reviewed
from l10n.tmx import export_tmx, import_tmx, read_tmx

from conftest import FIXTURES, start_project

AGENCY = FIXTURES / "exchange" / "agency.tmx"
LANGUAGES = ("ps", "fa_AF", "ur")
SOURCE = "# Border trade\n\nTrade grew.\n\nThe talks continue.\n"


def test_a_memory_po2tmx_wrote_with_region_tags_lands_in_the_project_languages(tmp_path):
    po = tmp_path / "brief.po"
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ps"}
    catalog.append(polib.POEntry(msgid="Trade grew.", msgstr="سوداګري زیاته شوه."))
    catalog.append(polib.POEntry(msgid="The talks continue.", msgstr="خبرې روانې دي."))
    catalog.save(str(po))
    tmx = tmp_path / "brief.tmx"
    subprocess.run(
        ["po2tmx", "--source-language", "en-US", "-l", "ps-AF", "-i", str(po), "-o", str(tmx)],
        check=True, capture_output=True,
    )  # fmt: skip
    text = tmx.read_text("utf-8")
    assert 'xml:lang="en-US"' in text and 'xml:lang="ps-AF"' in text  # the tags under test
    with TranslationMemory(tmp_path / "m.sqlite3") as tm:
        found = import_tmx(tm, tmx, targets=LANGUAGES)
        assert (found.imported, dict(found.skipped)) == (2, {})
        assert {u.lang for u in tm.units()} == {"ps"}
        assert tm.suggest("Trade grew.", "ps").target == "سوداګري زیاته شوه."
    assert {u.lang for u in read_tmx(tmx.read_bytes()).units} == {"ps"}  # no project given
    unmapped = read_tmx(tmx.read_bytes(), "brief.tmx", ("ur",))  # control: ps not wanted
    assert unmapped.imported == 0 and unmapped.skipped == {
        "ps-AF: not a language of the project": 2
    }


def test_an_agency_memory_says_what_it_left_out_and_why():
    found = read_tmx(AGENCY.read_bytes(), AGENCY.name, LANGUAGES)
    assert sorted((u.source[:10], u.lang) for u in found.units) == [
        ("The border", "fa_AF"), ("The border", "ps"), ("The border", "ur"), ("Traders wa", "ps"),
    ]  # fmt: skip
    assert dict(found.skipped) == {
        "FA-IR: Iranian Persian, not Dari (Dari is fa-AF or prs)": 1,
        "DE-DE: not a language of the project": 1,
        "UR-PK: empty segment": 1,
        "no English source (srclang FR-FR)": 1,
    }
    pashto = next(u for u in found.units if u.lang == "ps" and u.source.startswith("The"))
    assert (pashto.created, pashto.changed) == ("2025-10-01T12:00:00Z", "2025-10-03T08:15:00Z")


def test_memory_import_prints_what_it_skipped(project):
    start_project(project, SOURCE)
    result = CliRunner().invoke(app, ["memory", "import", str(AGENCY), "-C", str(project)])
    assert result.exit_code == 0, result.output
    assert f"{AGENCY}: 4 units" in result.stdout
    assert "skipped 1: DE-DE: not a language of the project" in result.stderr
    assert "skipped 1: no English source (srclang FR-FR)" in result.stderr


def series(project: Path) -> Project:
    """A catalog with one reviewed translation and one untouched machine draft."""
    start_project(project, SOURCE)
    po = project / "locales" / "ur" / "brief.po"
    catalog = read_catalog(po)
    catalog.metadata["PO-Revision-Date"] = "2026-11-20 10:00+0000"
    reviewed = catalog.find("Trade grew.")
    reviewed.msgstr = "تجارت بڑھی۔"
    mark_reviewed(reviewed, "Zarmina Ahmadzai", date(2026, 11, 29))
    draft = catalog.find("The talks continue.")
    draft.msgstr = "بات چیت جاری ہے۔"
    set_fuzzy(draft)
    stamp = Provenance.of("argos translate-en_ur 1.9", draft.msgstr, date(2026, 11, 21))
    Notes.of(draft).plus(stamp).save(draft)
    save_catalog(catalog, po)
    return Project(load_config(project))


def test_export_carries_dates_and_the_reviewer_and_a_reimport_keeps_the_origin(project, tmp_path):
    p = series(project)
    tmx = tmp_path / "series.tmx"
    with TranslationMemory.for_project(p) as tm:
        tm.refresh(p)
        export_tmx(tm, tmx, ["ur"])
    tus = {tu.findtext("tuv/seg"): tu for tu in ET.parse(tmx).getroot().iter("tu")}
    reviewed, draft = tus["Trade grew."], tus["The talks continue."]
    assert reviewed.get("changedate") == "20261129T000000Z"
    assert reviewed.get("changeid") == "Zarmina Ahmadzai"
    assert draft.get("creationdate") == draft.get("changedate") == "20261121T000000Z"
    assert "changeid" not in draft.attrib
    # Translate Toolkit reads the file, dates included
    store = tt_tmx.tmxfile(tmx.read_bytes())
    assert {u.source for u in store.units} == {"Trade grew.", "The talks continue."}
    with TranslationMemory(tmp_path / "fresh.sqlite3") as fresh:
        import_tmx(fresh, tmx, targets=LANGUAGES)
        units = {u.source: u for u in fresh.units("ur") if u.level == "segment"}
    assert units["The talks continue."].origin == "engine"  # not "import"
    assert (units["Trade grew."].reviewer, units["Trade grew."].changed) == (
        "Zarmina Ahmadzai", "2026-11-29",
    )  # fmt: skip


def test_export_can_leave_drafts_and_raw_machine_output_out(project, tmp_path):
    series(project)
    tmx = tmp_path / "human.tmx"
    runner = CliRunner()
    result = runner.invoke(
        app, ["memory", "export", str(tmx), "--states", "reviewed,translated", "-C", str(project)]
    )
    assert result.exit_code == 0, result.output
    sources = {tu.findtext("tuv/seg") for tu in ET.parse(tmx).getroot().iter("tu")}
    assert sources == {"Trade grew."}
    everything = tmp_path / "all.tmx"
    assert (
        runner.invoke(app, ["memory", "export", str(everything), "-C", str(project)]).exit_code == 0
    )
    assert len(list(ET.parse(everything).getroot().iter("tu"))) == 2  # control: the draft exists
    bad = runner.invoke(
        app, ["memory", "export", str(tmx), "--states", "approved", "-C", str(project)]
    )
    assert bad.exit_code == 2 and "unknown state(s) approved" in bad.stderr


def test_memory_export_help_names_tools_that_exist():
    result = CliRunner().invoke(app, ["memory", "export", "--help"])
    text = " ".join(result.stdout.replace("│", " ").split())
    assert text.count("tmx2po") == text.count("no tmx2po") == 1  # it does not exist
    assert "OmegaT" in text and "weblate import_memory" in text
