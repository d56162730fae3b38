"""Translation memory: a series' second brief starts from what the first one taught.

Real catalogs in a real project, a real SQLite memory, real TMX files read back
by Translate Toolkit.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polib
import pytest
from translate.storage import tmx as tt_tmx

from l10n.config import load_config
from l10n.drafting import draft
from l10n.memory import BANDS, TranslationMemory, Unit, leverage
from l10n.project import Project
from l10n.review import State, mark_reviewed, state
from l10n.tmx import export_tmx, import_tmx, read_tmx, write_tmx

from conftest import start_project

DAY = date(2026, 11, 29)

CROSSING = (
    "The border crossing at Torkham reopened on Monday after three weeks. "
    "Traders welcomed the decision."
)
PRICES = "Prices of flour and cooking oil rose sharply in Kabul markets during the closure."
PRICES_EDITED = (
    "Prices of flour and cooking oil rose sharply in Kabul markets during the long closure."
)
COMMITTEE = "Officials promised a joint committee. It will review customs rules by June."
ASSEMBLED = "Traders welcomed the decision. It will review customs rules by June."
FRESH = "Nothing in this paragraph resembles anything that was translated before."

UR = {
    CROSSING: "طورخم کی سرحدی گزرگاہ تین ہفتوں بعد پیر کو کھل گئی۔ "
    "تاجروں نے فیصلے کا خیر مقدم کیا۔",
    PRICES: "بندش کے دوران کابل کی منڈیوں میں آٹے اور خوردنی تیل کی قیمتیں تیزی سے بڑھیں۔",
    COMMITTEE: "حکام نے مشترکہ کمیٹی کا وعدہ کیا۔ یہ جون تک کسٹم قوانین کا جائزہ لے گی۔",
}
MACHINE = "حکام کمیٹی وعدہ۔ جائزہ قوانین جون۔"  # a poor draft of COMMITTEE


def po(root: Path, doc: str, lang: str = "ur") -> polib.POFile:
    return polib.pofile(str(root / "locales" / lang / f"{doc}.po"))


def series(root: Path) -> Project:
    """Brief one translated (crossing and committee reviewed, prices translated); notes drafted;
    brief two new, sharing one paragraph exactly, one edited, one sentence by sentence."""
    start_project(root, "\n\n".join([CROSSING, PRICES, COMMITTEE]) + "\n", "one")
    start_project(root, COMMITTEE + "\n", "notes")
    one = po(root, "one")
    for entry in one:
        if entry.msgid in UR:
            entry.msgstr = UR[entry.msgid]
            if entry.msgid != PRICES:
                mark_reviewed(entry, "Zarmina Safi", DAY)
    one.save()
    notes = po(root, "notes")
    entry = notes.find(COMMITTEE)
    entry.msgstr, entry.flags = MACHINE, ["fuzzy"]
    notes.save()
    two = [CROSSING, PRICES_EDITED, COMMITTEE, FRESH, ASSEMBLED]
    start_project(root, "\n\n".join(two) + "\n", "two")
    return Project(load_config(root))


def memory(root: Path) -> TranslationMemory:
    return TranslationMemory(root / ".l10n-cache" / "memory.sqlite3")


# --------------------------------------------------------------------------- reuse


def test_the_second_brief_starts_prefilled_from_the_first(project, engine_home):
    p = series(project)
    report = draft(p, ["ur"], today=DAY)  # no engine installed: the memory alone
    ur = report.memory[0]
    assert (ur.exact, ur.fuzzy, ur.sentences) == (2, 1, 1)
    two = po(project, "two")

    exact = two.find(CROSSING)
    assert exact.msgstr == UR[CROSSING]
    assert exact.tcomment == "memory: 100% from one"
    assert state(exact) == State.DRAFT and exact.previous_msgid is None

    fuzzy = two.find(PRICES_EDITED)
    assert fuzzy.msgstr == UR[PRICES]
    assert fuzzy.previous_msgid == PRICES  # Poedit shows what changed
    assert fuzzy.tcomment.startswith("memory: 9") and fuzzy.tcomment.endswith("% from one")
    assert state(fuzzy) == State.DRAFT
    assert '#| msgid "Prices of flour' in Path(project / "locales/ur/two.po").read_text("utf-8")

    assembled = two.find(ASSEMBLED)
    assert (
        assembled.msgstr == "تاجروں نے فیصلے کا خیر مقدم کیا۔ یہ جون تک کسٹم قوانین کا جائزہ لے گی۔"
    )
    assert two.find(FRESH).msgstr == ""  # left for the engines
    assert ur.untranslated == 1  # FRESH


def test_a_reviewed_translation_outranks_a_machine_draft(project, engine_home):
    p = series(project)
    with memory(project) as tm:
        tm.refresh(p)
        assert tm.suggest(COMMITTEE, "ur").target == UR[COMMITTEE]
    draft(p, ["ur"], today=DAY)
    assert po(project, "two").find(COMMITTEE).msgstr == UR[COMMITTEE]
    assert po(project, "notes").find(COMMITTEE).msgstr == MACHINE  # never touched


def test_human_translations_are_never_touched_and_trust_exact_confirms_reviews(
    project, engine_home
):
    p = series(project)
    two = po(project, "two")
    mine = two.find(PRICES_EDITED)
    mine.msgstr = "میرا اپنا ترجمہ"
    two.save()
    draft(p, ["ur"], trust_exact=True, today=DAY)
    two = po(project, "two")
    assert two.find(PRICES_EDITED).msgstr == "میرا اپنا ترجمہ"
    assert state(two.find(CROSSING)) == State.TRANSLATED  # reviewed exact: not fuzzy
    assert two.find(CROSSING).tcomment == "memory: 100% from one"


def test_the_memory_fills_before_any_engine_and_only_what_is_empty(project, models, engine_home):
    from l10n.engines.argos import install_file

    install_file(models.argos_ur, use_argostranslate=False)
    p = series(project)
    report = draft(p, ["ur"], today=DAY)
    assert report.memory[0].exact == 2 and report.languages[0].engine
    two = po(project, "two")
    assert two.find(CROSSING).msgstr == UR[CROSSING]
    assert two.find(CROSSING).tcomment == "memory: 100% from one"  # not an engine's draft
    fresh = two.find(FRESH)  # nothing in the memory: the engine drafted it
    assert fresh.msgstr and fresh.tcomment.startswith("machine-draft: argos ")
    assert report.memory[0].untranslated == 1 and report.languages[0].drafted == 1


def test_without_the_memory_every_empty_entry_goes_to_the_engine(project, models, engine_home):
    from l10n.engines.argos import install_file

    install_file(models.argos_ur, use_argostranslate=False)
    p = series(project)
    report = draft(p, ["ur"], use_memory=False, today=DAY)
    assert report.memory == []
    assert po(project, "two").find(CROSSING).tcomment.startswith("machine-draft: argos ")


def test_a_higher_threshold_and_import_penalties(project, tmp_path):
    p = series(project)
    with memory(project) as tm:
        tm.refresh(p)
        assert tm.suggest(PRICES_EDITED, "ur", threshold=99) is None
        other = tmp_path / "elsewhere" / "ur.po"
        other.parent.mkdir()
        catalog = polib.POFile()
        catalog.metadata = {"Language": "ur", "Content-Type": "text/plain; charset=UTF-8"}
        catalog.append(polib.POEntry(msgid=FRESH, msgstr="بالکل نیا"))
        catalog.save(str(other))
        assert tm.import_po([other], penalty=10) == 1
        found = tm.suggest(FRESH, "ur")
        assert (found.target, found.score, found.origin) == ("بالکل نیا", 90, "import")
        assert tm.suggest(FRESH, "ur", threshold=95) is None


# --------------------------------------------------------------------------- the file


def test_refresh_rereads_only_changed_catalogs_and_the_file_can_be_deleted(project):
    p = series(project)
    db = project / ".l10n-cache" / "memory.sqlite3"
    with memory(project) as tm:
        first = tm.refresh(p)
        assert len(first) == 9  # three documents, three languages
        assert tm.refresh(p) == []
        before = sorted(tm.units(), key=repr)
        one = po(project, "one", "ps")
        one.find(PRICES).msgstr = "د بیو لوړوالی"
        one.save()
        assert tm.refresh(p) == ["project:locales/ps/one.po"]
        assert tm.stats()["ps"]["translated"] == 1
    db.unlink()
    with memory(project) as tm:
        assert len(tm.refresh(p)) == 9
        assert [u for u in sorted(tm.units(), key=repr) if u.lang == "ur"] == [
            u for u in before if u.lang == "ur"
        ]
        assert tm.stats()["ur"] == {"reviewed": 2, "translated": 1, "draft": 1}


def test_sentence_units_when_source_and_translation_line_up(project):
    p = series(project)
    with memory(project) as tm:
        tm.refresh(p)
        sentences = {u.source: u.target for u in tm.units("ur") if u.level == "sentence"}
    assert sentences["Traders welcomed the decision."] == "تاجروں نے فیصلے کا خیر مقدم کیا۔"
    assert len(sentences) == 4


# --------------------------------------------------------------------------- TMX


UNITS = [
    Unit(CROSSING, UR[CROSSING], "ur", "reviewed", "project", "one"),
    Unit(PRICES, "د اوړو بیې", "ps", "translated", "import", "other.po", 5.0),
    Unit("A <b>bold</b> & \"quoted\"\nline", "  خط ۲  ", "fa_AF", "draft", "engine", "n", 0.0,
         "sentence"),
]  # fmt: skip


def test_tmx_round_trips_losslessly():
    data = write_tmx(UNITS)
    assert b'xml:lang="fa-AF"' in data and b'srclang="en"' in data and b"tmx14.dtd" in data
    assert read_tmx(data).units == UNITS


def test_translate_toolkit_reads_our_tmx():
    store = tt_tmx.tmxfile(write_tmx(UNITS))
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    read = [
        (u.source, u.target, [n.get(xml_lang) for n in u.getlanguageNodes()]) for u in store.units
    ]
    assert read == [
        (CROSSING, UR[CROSSING], ["en", "ur"]),
        (PRICES, "د اوړو بیې", ["en", "ps"]),
        (UNITS[2].source, UNITS[2].target, ["en", "fa-AF"]),
    ]


def test_export_and_import_through_the_memory(project, tmp_path):
    p = series(project)
    path = tmp_path / "series.tmx"
    with memory(project) as tm:
        tm.refresh(p)
        count = export_tmx(tm, path, ["ur"])
        exported = tm.units("ur")
    assert count == len(exported) > 0
    with TranslationMemory(tmp_path / "fresh.sqlite3") as fresh:
        assert import_tmx(fresh, path, penalty=3).imported == count
        units = fresh.units("ur")
        assert {(u.source, u.target, u.state, u.doc, u.level) for u in units} == {
            (u.source, u.target, u.state, u.doc, u.level) for u in exported
        }
        assert {(u.origin, u.penalty) for u in units} == {(u.origin, 3.0) for u in exported}
        assert fresh.suggest(CROSSING, "ur").score == 97


# --------------------------------------------------------------------------- leverage


def test_leverage_report_in_words(project):
    p = series(project)
    with memory(project) as tm:
        bands = leverage(p, ["ur", "ps"], tm)
    words = {t: len(t.split()) for t in (CROSSING, PRICES_EDITED, COMMITTEE, FRESH, ASSEMBLED)}
    assert list(bands["ur"]) == list(BANDS)
    assert bands["ur"]["100%"] == words[CROSSING] + words[COMMITTEE]
    assert bands["ur"]["95–99%"] + bands["ur"]["85–94%"] == words[PRICES_EDITED]
    assert bands["ur"]["no match"] == words[FRESH] + words[ASSEMBLED]  # sentences: not a quote band
    assert bands["ps"]["100%"] == 0


@pytest.mark.parametrize("score,expected", [(100, "100%"), (96, "95–99%"), (85, "85–94%"),
                                            (75, "75–84%"), (74.9, "no match")])  # fmt: skip
def test_bands(score, expected):
    from l10n.memory import band

    assert band(score) == expected


def test_l10n_draft_fills_the_second_brief_from_the_first_and_memory_travels_as_tmx(
    tmp_path: Path,
) -> None:
    from typer.testing import CliRunner

    from l10n.cli import app
    from l10n.pipeline import init_project

    shared = "Pakistan and Afghanistan share a long border."
    first, second = tmp_path / "one", tmp_path / "two"
    for folder in (first, second):
        folder.mkdir()
        init_project(folder, folder.name)
    start_project(first, f"# Border trade\n\n{shared}\n", "brief-1")
    catalog = polib.pofile(str(first / "locales" / "ur" / "brief-1.po"))
    catalog.find(shared).msgstr = "پاکستان اور افغانستان کی طویل سرحد ہے۔"
    catalog.save()
    (first / "source" / "brief-2.md").write_text(f"# Trade\n\n{shared}\n", encoding="utf-8")
    runner = CliRunner()
    for command in (["extract"], ["update"], ["draft", "--lang", "ur"]):
        result = runner.invoke(app, [*command, "-C", str(first)])
        assert result.exit_code == 0, result.output
    filled = polib.pofile(str(first / "locales" / "ur" / "brief-2.po")).find(shared)
    assert filled.msgstr == "پاکستان اور افغانستان کی طویل سرحد ہے۔"
    assert "fuzzy" in filled.flags and "memory: 100% from brief-1" in filled.tcomment

    tmx = tmp_path / "series.tmx"
    result = runner.invoke(app, ["memory", "export", str(tmx), "-C", str(first)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["memory", "import", str(tmx), "-C", str(second)])
    assert result.exit_code == 0 and "units" in result.output
