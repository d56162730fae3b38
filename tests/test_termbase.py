"""Glossary exchange: TBX and CSV round trips, checked by Translate Toolkit's readers."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from translate.storage import tbx
from typer.testing import CliRunner

from l10n.cli import app
from l10n.errors import L10nError
from l10n.glossary import load_glossary
from l10n.termbase import from_csv, from_tbx, to_csv, to_tbx

from conftest import REPO

GLOSSARY = load_glossary(REPO / "glossary.yaml")


def test_tbx_round_trips_every_field_of_the_brief_glossary():
    assert from_tbx(to_tbx(GLOSSARY), "g.tbx") == GLOSSARY


def test_csv_round_trips_every_field_of_the_brief_glossary():
    assert from_csv(to_csv(GLOSSARY), "g.csv") == GLOSSARY


@pytest.mark.parametrize("lang", ["ps", "fa-AF", "ur"])
def test_translate_toolkit_reads_our_tbx(lang):
    store = tbx.tbxfile(to_tbx(GLOSSARY).encode("utf-8"), sourcelanguage="en", targetlanguage=lang)
    assert len(store.units) == len(GLOSSARY.terms)
    code = lang.replace("-", "_")
    for unit, term in zip(store.units, GLOSSARY.terms, strict=True):
        assert unit.getid() == term.id
        assert unit.source == term.term
        assert unit.target == term.translations[code].term


def test_a_one_language_csv_has_the_source_target_columns_weblate_and_omegat_import():
    rows = list(csv.reader(io.StringIO(to_csv(GLOSSARY, "prs"))))
    assert rows[0] == ["source", "target", "explanation"]
    durand = next(r for r in rows if r[0] == "Durand Line")
    assert (
        durand[1]
        == next(t for t in GLOSSARY.terms if t.id == "durand-line").translations["fa_AF"].term
    )


def test_a_damaged_tbx_is_refused_with_its_line():
    with pytest.raises(L10nError) as failure:
        from_tbx("<martif>\n<text><body>\n<termEntry>\n</martif>", "bad.tbx")
    assert str(failure.value).startswith("bad.tbx:4: not valid TBX/XML")


def test_export_then_import_through_the_command_line_leaves_the_glossary_unchanged(project):
    shutil.copy(REPO / "glossary.yaml", project / "glossary.yaml")
    runner = CliRunner()
    for fmt in ("tbx", "csv"):
        exported = project / f"terms.{fmt}"
        result = runner.invoke(
            app, ["glossary", "export", "-C", str(project), "--format", fmt, "-o", str(exported)]
        )
        assert result.exit_code == 0, result.output
        result = runner.invoke(app, ["glossary", "import", str(exported), "-C", str(project)])
        assert result.exit_code == 0, result.output
        assert f"0 added, {len(GLOSSARY.terms)} replaced" in result.output
        assert load_glossary(project / "glossary.yaml") == GLOSSARY


def test_import_adds_new_terms_and_keeps_the_others(project):
    (project / "glossary.yaml").write_text(
        "terms:\n  - id: kabul\n    term: Kabul\n    pos: proper noun\n", encoding="utf-8"
    )
    (project / "new.csv").write_text(
        "id,term,variants,pos,note,case_sensitive,do_not_translate,expand_first_use,expansion,ps\n"
        "gwadar,Gwadar,,proper noun,A port in Balochistan.,,,,,ګوادر\n",
        encoding="utf-8",
    )
    missing = CliRunner().invoke(app, ["glossary", "import", "nowhere.csv", "-C", str(project)])
    assert missing.exit_code == 2 and "nowhere.csv: cannot read" in missing.output
    new = str(project / "new.csv")
    result = CliRunner().invoke(app, ["glossary", "import", new, "-C", str(project)])
    assert result.exit_code == 0, result.output
    glossary = load_glossary(project / "glossary.yaml")
    assert [t.id for t in glossary.terms] == ["kabul", "gwadar"]
    assert glossary.terms[1].translations["ps"].term == "ګوادر"


def test_glossary_list_shows_where_each_term_occurs(project):
    shutil.copy(REPO / "glossary.yaml", project / "glossary.yaml")
    (project / "source" / "brief.md").write_text(
        "The Durand Line and the Durand Line again.\n", encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["glossary", "list", "-C", str(project), "--lang", "ps"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if "durand-line" in x)
    assert "brief ×2" in line and "د ډیورنډ کرښه" in line
    assert f"{len(GLOSSARY.terms)} terms, 1 used in the documents" in result.output
