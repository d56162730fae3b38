"""`l10n status`: what is left to translate and review, per document and language."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polib
import pytest
from rich.console import Console
from typer.testing import CliRunner

from l10n import cli
from l10n.catalog import read_catalog, save_catalog
from l10n.cli.tables import status_table
from l10n.config import load_config
from l10n.errors import L10nError
from l10n.pipeline import extract, update
from l10n.project import Project
from l10n.review import State, mark_reviewed
from l10n.status import (
    CatalogStatus,
    below_thresholds,
    catalog_status,
    check_error_counter,
    count_words,
    paths_status,
    project_status,
    status_json,
)

from conftest import FIXTURES

STATUS = FIXTURES / "status"
CATALOGS = sorted(STATUS.rglob("*.po"))

BORDER = """\
# Border trade

Pakistan and Afghanistan share a [long border](https://example.org/durand).[^1]

Trade passes through Torkham and Chaman.

[^1]: About 2,600 km.
"""
WATER = "# Water\n\nThe Kabul River flows into Pakistan.\n"
SHARE = "Pakistan and Afghanistan share a [long border](https://example.org/durand).[^1]"


def build(project: Path, **documents: str) -> Project:
    for name, text in documents.items():
        (project / "source" / f"{name}.md").write_text(text, encoding="utf-8")
    loaded = Project(load_config(project))
    extract(loaded)
    update(loaded)
    return loaded


def edit(project: Path, doc: str, lang: str, change: Callable[[polib.POFile], None]) -> None:
    path = project / "locales" / lang / f"{doc}.po"
    catalog = read_catalog(path)
    change(catalog)
    save_catalog(catalog, path)


def translate(msgid: str, msgstr: str, fuzzy: bool = False) -> Callable[[polib.POFile], None]:
    def change(catalog: polib.POFile) -> None:
        entry = catalog.find(msgid)
        entry.msgstr = msgstr
        if fuzzy:
            entry.flags.append("fuzzy")

    return change


def review(msgid: str) -> Callable[[polib.POFile], None]:
    return lambda catalog: mark_reviewed(catalog.find(msgid), "Zarmina Safi", date(2026, 12, 1))


def row(statuses: list[CatalogStatus], doc: str, lang: str) -> CatalogStatus:
    return next(s for s in statuses if (s.doc, s.lang) == (doc, lang))


def counts(status: CatalogStatus) -> dict[str, int]:
    return {state.value: n for state, n in status.entries.items()}


def rendered(statuses: list[CatalogStatus]) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(status_table(statuses))
    return console.export_text()


# --------------------------------------------------------------------------- the project


def test_a_translator_sees_what_is_left_per_document_and_language(project):
    loaded = build(project, border=BORDER, water=WATER)
    edit(project, "border", "ps", translate("Border trade", "د پولې سوداګري"))
    edit(project, "border", "ur", translate("Border trade", "سرحدی تجارت", fuzzy=True))

    statuses = project_status(loaded)

    assert [(s.doc, s.lang) for s in statuses] == [
        (doc, lang) for doc in ("border", "water") for lang in ("ps", "fa_AF", "ur")
    ]
    ps, ur = row(statuses, "border", "ps"), row(statuses, "border", "ur")
    assert counts(ps) == {"untranslated": 3, "draft": 0, "translated": 1, "reviewed": 0}
    assert counts(ur) == {"untranslated": 3, "draft": 1, "translated": 0, "reviewed": 0}
    # the link destination and the footnote reference are not words to translate
    assert ps.words[State.TRANSLATED] == 2 and ps.words[State.UNTRANSLATED] == 7 + 6 + 3
    assert ps.percent_translated == 25.0 and ur.percent_translated == 0.0
    assert row(statuses, "water", "fa_AF").total == 2
    table = rendered(statuses)
    assert "border" in table and "water" in table and "total (6)" in table


def test_reviewed_entries_are_counted_apart_from_translated_ones(project):
    loaded = build(project, border=BORDER)
    edit(project, "border", "fa_AF", translate("Border trade", "تجارت سرحدی"))
    dari = "پاکستان و افغانستان [مرز طولانی](https://example.org/durand) دارند.[^1]"
    edit(project, "border", "fa_AF", translate(SHARE, dari))
    edit(project, "border", "fa_AF", review("Border trade"))

    status = row(project_status(loaded, ["prs"]), "border", "fa_AF")

    assert counts(status) == {"untranslated": 2, "draft": 0, "translated": 1, "reviewed": 1}
    assert status.words[State.REVIEWED] == 2
    assert (status.percent_translated, status.percent_reviewed) == (50.0, 25.0)


def test_a_review_voided_by_a_later_edit_counts_as_translated(project):
    loaded = build(project, border=BORDER)
    edit(project, "border", "ps", translate("Border trade", "سوداګري"))
    edit(project, "border", "ps", review("Border trade"))
    assert row(project_status(loaded, ["ps"]), "border", "ps").entries[State.REVIEWED] == 1

    edit(project, "border", "ps", translate("Border trade", "د پولې سوداګري"))

    ps = row(project_status(loaded, ["ps"]), "border", "ps")
    assert ps.entries[State.REVIEWED] == 0 and ps.entries[State.TRANSLATED] == 1


def test_obsolete_entries_are_reported_apart_and_counted_nowhere_else(project):
    loaded = build(project, border=BORDER)
    edit(project, "border", "ur", translate("Trade passes through Torkham and Chaman.", "تجارت"))
    build(project, border=BORDER.replace("Trade passes through Torkham and Chaman.\n\n", ""))

    ur = row(project_status(loaded, ["ur"]), "border", "ur")

    assert ur.obsolete == 1 and ur.total == 3 and ur.entries[State.TRANSLATED] == 0


def test_a_catalog_not_created_yet_is_missing_with_a_hint_to_update(project):
    loaded = build(project, border=BORDER)
    (project / "locales" / "ur" / "border.po").unlink()

    statuses = project_status(loaded)

    ur = row(statuses, "border", "ur")
    assert ur.missing and ur.percent_translated is None
    assert json.loads(status_json([ur]))[0]["entries"] is None
    assert "1 catalog missing: run `l10n update`" in rendered(statuses)
    [short] = below_thresholds([ur], min_translated=1)
    assert str(short).startswith("locales/ur/border.po: missing (run `l10n update`) translated")


def test_words_are_tokens_without_link_destinations_and_footnote_references():
    assert count_words("Trade fell.[^2]") == 2
    assert count_words("See [the report](https://example.org/a_(b) 'PDF') [^3] now") == 4
    assert count_words("![Map of the border](img/map.png)") == 4
    assert count_words("Trade  across\nthe *Durand Line*, 2021.") == 6


def test_check_errors_come_from_the_caller_and_show_a_dash_otherwise():
    catalog = read_catalog(STATUS / "ur" / "fuzzy-header.po")

    checked = catalog_status(catalog, "x.po", "water", "ur", count_errors=lambda c, lang: 3)
    unchecked = catalog_status(catalog, "x.po", "other", "ur")

    assert checked.check_errors == 3 and unchecked.check_errors is None

    def row(statuses: list[CatalogStatus], doc: str) -> list[str]:
        lines = rendered(statuses).splitlines()
        return next(line for line in lines if line.startswith(doc)).split()

    assert row([checked, unchecked], "water")[-1] == "3"
    assert row([checked, unchecked], "other")[-1] == "–"
    # no checks ran at all (`l10n status` without --checks): no errors column
    assert "errors" not in rendered([unchecked]) and row([unchecked], "other")[-1] == "0.0"


def test_a_translation_that_loses_its_footnote_shows_as_a_check_error(project):
    loaded = build(project, border=BORDER)
    urdu = "پاکستان اور افغانستان کی [طویل سرحد](https://example.org/durand) ہے۔"
    edit(project, "border", "ur", translate(SHARE, urdu))

    statuses = project_status(loaded, count_errors=check_error_counter(loaded.glossary()))

    assert [(s.lang, s.check_errors) for s in statuses] == [("ps", 0), ("fa_AF", 0), ("ur", 1)]
    assert rendered(statuses).splitlines()[-1].split()[-1] == "1"  # the total


# --------------------------------------------------------------------------- gates


def test_publishing_gates_name_each_catalog_under_its_threshold(project):
    loaded = build(project, border=BORDER)
    for msgid in (
        "Border trade",
        SHARE,
        "Trade passes through Torkham and Chaman.",
        "About 2,600 km.",
    ):
        edit(project, "border", "ps", translate(msgid, "ژباړه"))
    edit(project, "border", "ps", review("Border trade"))
    statuses = project_status(loaded)

    assert below_thresholds(statuses) == []
    untranslated = below_thresholds(statuses, min_translated=100)
    assert [s.status.lang for s in untranslated] == ["fa_AF", "ur"]
    short = below_thresholds(statuses, min_reviewed=25)
    assert [s.status.lang for s in short] == ["fa_AF", "ur"]
    ps = below_thresholds(statuses, min_reviewed=100)[0]
    assert str(ps) == "locales/ps/border.po: 25% reviewed, below the required 100%"


def test_a_gate_is_exact_so_almost_complete_is_not_complete():
    status = CatalogStatus("brief", "ps", "ps/brief.po")
    status.entries[State.TRANSLATED] = 1999
    status.entries[State.UNTRANSLATED] = 1
    assert status.percent_translated == 99.9  # rounded down, never up to 100
    assert below_thresholds([status], min_translated=100)
    assert not below_thresholds([status], min_translated=99.95)


def command_line(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli.app, ["status", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_command_exits_1_below_a_gate_and_0_when_it_is_met(project):
    build(project, water=WATER)
    edit(project, "water", "ps", translate("Water", "اوبه"))
    edit(project, "water", "ps", translate("The Kabul River flows into Pakistan.", "د کابل سیند"))
    edit(project, "water", "ps", review("Water"))

    code, _, _ = command_line("-C", str(project), "--lang", "ps", "--min-translated", "100")
    assert code == 0
    code, _, stderr = command_line("-C", str(project), "--lang", "ps", "--min-reviewed", "60")
    assert code == 1
    assert "locales/ps/water.po: 50% reviewed, below the required 60%" in stderr
    code, stdout, _ = command_line("-C", str(project), "--json", "--min-translated", "100")
    assert code == 1 and len(json.loads(stdout)) == 3
    bad = project / "locales" / "ur" / "water.po"
    bad.write_text(bad.read_text(encoding="utf-8") + 'msgid "x"\nmsgstr "\\q"\n', encoding="utf-8")
    code, _, stderr = command_line("-C", str(project))
    assert code == 2 and "locales/ur/water.po:" in stderr


# --------------------------------------------------------------------------- any PO file


def test_po_files_and_folders_from_another_project_are_read_as_they_are(tmp_path):
    statuses = paths_status([STATUS / "ur", STATUS / "ps" / "a-road-untraveled.po"])

    assert [(s.doc, s.lang) for s in statuses] == [
        ("fuzzy-header", "ur"),
        ("legacy-handbook", "ur"),  # no Language header: the folder's name
        ("a-road-untraveled", "ps"),
    ]
    brief = statuses[2]
    assert counts(brief) == {"untranslated": 3, "draft": 1, "translated": 4, "reviewed": 1}
    assert brief.obsolete == 3 and brief.path == str(STATUS / "ps" / "a-road-untraveled.po")
    assert [s.lang for s in paths_status([STATUS], ["prs"])] == ["fa_AF", "fa_AF"]
    with pytest.raises(L10nError, match=r"no \.po files"):
        paths_status([tmp_path])


def test_json_lists_every_catalog_with_stable_keys():
    data = json.loads(status_json(paths_status([STATUS / "fa_AF" / "field-reports.po"])))

    assert data == [
        {
            "document": "field-reports",
            "language": "fa_AF",
            "path": str(STATUS / "fa_AF" / "field-reports.po"),
            "missing": False,
            "entries": {"total": 8, "untranslated": 4, "draft": 1, "translated": 3, "reviewed": 0},
            "words": {"total": 14, "untranslated": 7, "draft": 2, "translated": 5, "reviewed": 0},
            "obsolete": 1,
            "percent_translated": 37.5,
            "percent_reviewed": 0.0,
            "check_errors": None,
        }
    ]


def test_a_malformed_catalog_is_refused_with_its_file_and_line(tmp_path):
    bad = tmp_path / "ps" / "brief.po"
    bad.parent.mkdir()
    bad.write_text('msgid "Border trade"\nmsgstr "unterminated\n', encoding="utf-8")

    with pytest.raises(L10nError) as failure:
        paths_status([tmp_path])

    assert str(failure.value).startswith(f"{bad}:2: unterminated string")


# --------------------------------------------------------------------------- msgfmt


def msgfmt_statistics(path: Path) -> tuple[int, int, int]:
    """msgfmt's translated, fuzzy and untranslated counts (it leaves zero ones out)."""
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", os.devnull, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "LC_ALL": "C", "LANGUAGE": ""},
    )
    found = re.fullmatch(
        r"(\d+) translated messages?(?:, (\d+) fuzzy translations?)?"
        r"(?:, (\d+) untranslated messages?)?\.",
        result.stderr.strip(),
    )
    assert found, result.stderr
    return tuple(int(n or 0) for n in found.groups())  # type: ignore[return-value]


PARTIAL_PLURALS = STATUS / "ps" / "partial-plurals.po"


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            p,
            id=p.relative_to(STATUS).as_posix(),
            marks=[
                pytest.mark.xfail(
                    strict=True,
                    reason="msgfmt only looks at msgstr[0]; review.state wants every form",
                )
            ]
            if p == PARTIAL_PLURALS
            else [],
        )
        for p in CATALOGS
    ],
)
def test_counts_agree_with_msgfmt_statistics(path):
    status = paths_status([path])[0]

    ours = (status.done, status.entries[State.DRAFT], status.entries[State.UNTRANSLATED])
    assert ours == msgfmt_statistics(path)


def test_the_fixtures_hold_what_real_catalogs_hold():
    texts = {p.relative_to(STATUS).as_posix(): p.read_bytes() for p in CATALOGS}
    assert b"\r\n" in texts["fa_AF/budget-crlf.po"]
    assert b"Plural-Forms" not in texts["ur/legacy-handbook.po"]
    assert texts["ur/fuzzy-header.po"].count(b'#, fuzzy\nmsgid ""\n') == 1
    everything = b"".join(texts.values())
    for construct in (b"msgstr[1]", b"#~ msgid", b"#~| msgid", b"#| msgid", b'#| "', b"msgctxt"):
        assert construct in everything


def test_a_partly_translated_plural_is_untranslated_here_but_not_for_msgfmt():
    """msgfmt counts a plural entry by its first form; we need every form filled."""
    catalog = read_catalog(PARTIAL_PLURALS)
    status = catalog_status(catalog, "x.po", "partial-plurals", "ps")

    assert msgfmt_statistics(PARTIAL_PLURALS) == (2, 1, 0)
    assert counts(status) == {"untranslated": 2, "draft": 0, "translated": 1, "reviewed": 0}
