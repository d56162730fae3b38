"""Glossaries from other tools: TBX as Translate Toolkit, Weblate and OmegaT write or read it,
TBX v3, the CSV shapes of Weblate and Translate Toolkit, OmegaT's tab-separated glossary;
glossary.yaml keeps its comments and layout through an import."""

from __future__ import annotations

import csv
import difflib
import io
import shutil
from pathlib import Path

import pytest
from translate.storage import tbx
from translate.storage.csvl10n import csvfile
from typer.testing import CliRunner

from l10n.cli import app
from l10n.errors import L10nError
from l10n.glossary import dump_glossary, load_glossary
from l10n.termbase import from_tbx, to_tbx

from conftest import FIXTURES, REPO

EXCHANGE = FIXTURES / "exchange"


def l10n(*args: str | Path):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def series(project: Path) -> Path:
    """A project whose glossary.yaml has comments between, after and inside its entries."""
    shutil.copy(EXCHANGE / "glossary.yaml", project / "glossary.yaml")
    return project


def imported(project: Path, name: str | Path, *options: str):
    path = name if isinstance(name, Path) else EXCHANGE / name
    result = l10n("glossary", "import", path, "-C", project, *options)
    return result, load_glossary(project / "glossary.yaml")


def test_a_plain_tbx_as_translate_toolkit_writes_it_is_imported_not_refused(series, tmp_path):
    store = tbx.tbxfile(sourcelanguage="en", targetlanguage="ps-AF")
    for source, target in (("Durand Line", "د ډیورنډ کرښه"), ("Torkham", "تورخم"),
                           ("customs", "ګمرک")):  # fmt: skip
        store.addsourceunit(source).target = target
    path = tmp_path / "tt.tbx"
    path.write_bytes(bytes(store))
    with pytest.raises(L10nError):  # not ours: the strict reader of our own files refuses it
        from_tbx(path.read_text("utf-8"), path.name)
    result, glossary = imported(series, path)
    assert result.exit_code == 0, result.output
    assert "1 added, 0 replaced, 0 updated, 2 unchanged" in result.stdout
    customs = glossary.get("customs")
    assert customs is not None and customs.translations["ps"].term == "ګمرک"
    assert customs.translations["ps"].status == "proposed"
    assert "ps_AF" not in customs.translations  # the region tag maps to the project's ps


def test_a_weblate_tbx_updates_what_it_changes_and_says_what_it_skipped(series):
    result, glossary = imported(series, "weblate-ur.tbx")
    assert result.exit_code == 0, result.output
    assert "2 added, 0 replaced, 1 updated, 1 unchanged" in result.stdout
    assert "skipped 1: de: not a language of the project" in result.stderr
    assert "skipped 1: an entry without an English term" in result.stderr
    transit = glossary.get("transit-trade").translations["ur"]
    assert (transit.term, transit.variants) == ("ٹرانزٹ ٹریڈ", ("راہداری تجارت",))
    crossing = glossary.get("border-crossing")
    assert crossing.note == "A place where people and goods cross the border."
    assert crossing.translations["ur"].note == "Dawn Urdu usage"
    smuggling = glossary.get("smuggling").translations["ur"]
    assert (smuggling.term, smuggling.forbidden) == ("اسمگلنگ", ("قاچاق",))
    assert glossary.get("durand-line") == load_glossary(EXCHANGE / "glossary.yaml").get(
        "durand-line"
    )


def test_a_tbx_v3_glossary_maps_prs_and_fa_af_to_dari_and_leaves_iranian_persian_out(series):
    result, glossary = imported(series, "tbx3-prs.tbx")
    assert result.exit_code == 0, result.output
    assert "skipped 1: fa-IR: not a language of the project" in result.stderr
    torkham = glossary.get("torkham")
    assert torkham.translations["fa_AF"].term == "تورخم"
    assert torkham.note == "The main crossing between Peshawar and Jalalabad."
    customs = glossary.get("customs").translations["fa_AF"]
    assert (customs.term, customs.forbidden) == ("گمرک", ("گمرگ",))


def test_tbx_basic_with_ntig_and_upper_case_tags_as_omegat_reads_it(series):
    result, glossary = imported(series, "omegat-ps.tbx")
    assert result.exit_code == 0, result.output
    assert "0 added, 0 replaced, 1 updated, 1 unchanged" in result.stdout
    assert glossary.get("transit-trade").translations["ps"].term == "ترانزیټي سوداګري"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("omegat-glossary.txt", {"torkham": "تورخم", "border-crossing": "سرحدي لاره"}),
        ("weblate-ps.csv", {"torkham": "تورخم", "customs": "ګمرک"}),
        ("simple-ps.csv", {"torkham": "تورخم", "customs": "ګمرک"}),
        ("poeditor-ur.csv", {"torkham": "طورخم", "customs": "کسٹمز"}),
        ("headerless-tt-ur.csv", {"torkham": "طورخم", "customs": "کسٹمز"}),
    ],
)
def test_source_target_csvs_of_weblate_translate_toolkit_and_omegat(series, name, expected):
    lang = name.split(".")[0].rsplit("-", 1)[-1].replace("glossary", "ps")
    result, glossary = imported(series, name, "--lang", lang)
    assert result.exit_code == 0, result.output
    assert {i: glossary.get(i).translations[lang].term for i in expected} == expected
    if "customs" in expected and name != "simple-ps.csv":  # the one without explanations
        assert glossary.get("customs").note.startswith("Duties levied at the border")


def test_a_source_target_csv_without_lang_is_refused_with_its_file_and_line(series):
    before = (series / "glossary.yaml").read_bytes()
    result, _ = imported(series, "weblate-ps.csv")
    assert result.exit_code == 2
    assert "weblate-ps.csv:1: a source,target glossary CSV does not say its language" in (
        " ".join(result.stderr.split())
    )
    assert (series / "glossary.yaml").read_bytes() == before


@pytest.mark.parametrize("lang", ["ps", "fa_AF", "ur"])
def test_the_lang_csv_reads_whole_in_translate_toolkit_and_imports_back_unchanged(project, lang):
    shutil.copy(REPO / "glossary.yaml", project / "glossary.yaml")
    original = (project / "glossary.yaml").read_bytes()
    glossary = load_glossary(project / "glossary.yaml")
    exported = project / f"{lang}.csv"
    result = l10n("glossary", "export", "-C", project, "-f", "csv", "--lang", lang, "-o", exported)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(exported.read_text("utf-8"))))[1:]
    assert len(rows) == len(glossary.terms)

    def read_by_translate_toolkit(data: bytes) -> int:
        units = csvfile(io.BytesIO(data)).units
        pairs = [(u.source, u.target) for u in units]
        return sum(1 for row in rows if (row[0], row[1]) in pairs)

    assert read_by_translate_toolkit(exported.read_bytes()) == len(rows)
    quoted_as_needed = io.StringIO()  # control: how the file was quoted before
    header = ["source", "target", "explanation"]
    csv.writer(quoted_as_needed, lineterminator="\n").writerows([header, *rows])
    assert read_by_translate_toolkit(quoted_as_needed.getvalue().encode()) == 0

    result = l10n("glossary", "import", exported, "-C", project, "--lang", lang)
    assert result.exit_code == 0, result.output
    assert f"0 added, 0 replaced, 0 updated, {len(rows)} unchanged" in result.stdout
    assert (project / "glossary.yaml").read_bytes() == original
    assert dump_glossary(glossary).encode() != original  # control: a rewrite would show


def test_an_import_changes_only_what_it_changes_and_keeps_every_comment(series):
    before = (series / "glossary.yaml").read_text("utf-8").splitlines()
    result, _ = imported(series, "weblate-ur.tbx")
    assert result.exit_code == 0, result.output
    after = (series / "glossary.yaml").read_text("utf-8").splitlines()
    changes = [
        (tag, before[i1:i2], after[j1:j2])
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after).get_opcodes()
        if tag != "equal"
    ]
    assert changes[0] == (
        "replace", ["        term: راہداری تجارت"],
        ["        term: ٹرانزٹ ٹریڈ", "        variants:", "          - راہداری تجارت"],
    )  # fmt: skip
    tag, removed, added = changes[1]  # the new entries, before the comment that ends the list
    assert (tag, removed) == ("insert", [])
    assert added[0] == "  - id: border-crossing" and added[-1].endswith("status: proposed")
    assert len(changes) == 2
    assert after[-1] == "  # --- the end of the list ---"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(series):
    imported(series, "weblate-ur.tbx")
    once = (series / "glossary.yaml").read_bytes()
    result, _ = imported(series, "weblate-ur.tbx")
    assert "0 added, 0 replaced, 0 updated, 4 unchanged" in result.stdout
    assert (series / "glossary.yaml").read_bytes() == once


def test_our_own_tbx_still_replaces_whole_entries_by_id(project):
    shutil.copy(REPO / "glossary.yaml", project / "glossary.yaml")
    glossary = load_glossary(REPO / "glossary.yaml")
    ours = project / "ours.tbx"
    ours.write_text(to_tbx(glossary), "utf-8")
    result, after = imported(project, ours)
    assert f"0 added, {len(glossary.terms)} replaced, 0 updated" in result.stdout
    assert after == glossary


def test_the_first_import_into_an_empty_glossary_keeps_its_comments(project):
    text = "# Terms of the border-trade series.\n# Ask Zarmina before approving.\nterms: []\n"
    (project / "glossary.yaml").write_text(text, "utf-8")
    result, glossary = imported(project, "weblate-ur.tbx")
    assert result.exit_code == 0, result.output
    assert [t.id for t in glossary.terms][:2] == ["durand-line", "transit-trade"]
    written = (project / "glossary.yaml").read_text("utf-8")
    assert written.startswith("# Terms of the border-trade series.\n# Ask Zarmina before")


def test_a_term_with_a_control_character_is_refused_and_nothing_is_written(series, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text('source,target\nTorkham,"تور\x00خم"\n', "utf-8")
    before = (series / "glossary.yaml").read_bytes()
    result, _ = imported(series, bad, "--lang", "ps")
    assert result.exit_code == 2
    assert "bad.csv: term 'torkham': translations.ps: 'term' contains a control character" in (
        " ".join(result.stderr.split())
    )
    assert (series / "glossary.yaml").read_bytes() == before


def test_a_language_key_spelled_prs_in_glossary_yaml_is_the_one_updated(project):
    text = (
        "terms:\n"
        "  - id: customs\n"
        "    term: customs\n"
        "    translations:\n"
        "      prs:   # Dari, as our terminologist writes it\n"
        "        term: گمرگ\n"
        "        status: proposed\n"
    )
    (project / "glossary.yaml").write_text(text, "utf-8")
    result, glossary = imported(project, "tbx3-prs.tbx")
    assert result.exit_code == 0, result.output
    dari = glossary.get("customs").translations["fa_AF"]
    assert (dari.term, dari.forbidden) == ("گمرک", ("گمرگ",))  # the file forbids the old one
    written = (project / "glossary.yaml").read_text("utf-8")
    assert "      prs:   # Dari, as our terminologist writes it\n" in written
    assert "fa_AF" not in written.split("- id: torkham")[0]  # no second key for Dari
