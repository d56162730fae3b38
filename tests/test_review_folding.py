"""Reviews and provenance survive any editor: a folded stamp still counts or is reported.

polib's default `save()` and Babel's `write_po` wrap translator comments at
about 78 columns; a reviewer with a long name or a draft from a long model
name then spans several `#` lines.  These tests let the real tools do it.
"""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po, write_po
from translate.storage.pypo import pofile as tt_pofile

from l10n.catalog import count_states, read_catalog, save_catalog
from l10n.checks import check_entry
from l10n.comments import Notes, Provenance, is_machine_draft, set_fuzzy
from l10n.config import load_config
from l10n.glossary import Glossary
from l10n.languages import language
from l10n.pipeline import check_catalogs, update
from l10n.project import Project
from l10n.review import State, mark_reviewed, state

from conftest import start_project

PARAGRAPHS = {
    "Border trade": "د پولې سوداګري",
    "Trade grew.": "سوداګري زیاته شوه.",
    "The crossings reopened.": "لارې بېرته پرانیستل شوې.",
    "Traders waited for weeks.": "سوداګرو اوونۍ انتظار وکړ.",
    "Prices rose in the markets.": "په بازارونو کې بیې لوړې شوې.",
    "Farmers lost their harvest.": "بزګرانو خپل حاصل له لاسه ورکړ.",
    "The talks continue.": "خبرې روانې دي.",
}
SOURCE = "# Border trade\n\n" + "\n\n".join(list(PARAGRAPHS)[1:]) + "\n"
#: 45 characters: with the date and fingerprint the stamp is 82 columns, over polib's 78.
REVIEWER = "Mohammad Abdul Rahman Mohammadzai-Khan Wardak"
MODEL = "openai translate-v1 Qwen2.5-7B-Instruct-GGUF/qwen2.5-7b-instruct-q4_k_m.gguf (a1b2c3d4)"
URDU_PARAGRAPH = "The talks continue."


@pytest.fixture
def reviewed(project: Path) -> Path:
    """A Pashto catalog whose 7 entries a reviewer with a long name approved through l10n."""
    start_project(project, SOURCE)
    po = project / "locales" / "ps" / "brief.po"
    catalog = read_catalog(po)
    for entry in catalog:
        entry.msgstr = PARAGRAPHS[entry.msgid]
        mark_reviewed(entry, REVIEWER, date(2026, 11, 29))
    save_catalog(catalog, po)
    assert count_states(read_catalog(po)).reviewed == 7
    return po


def whole_stamps(text: str) -> int:
    """Stamps written on one line, as l10n writes them (the control for a real fold)."""
    return len(re.findall(r"^# reviewed-by: .+, \d{4}-\d\d-\d\d \([0-9a-f]{8}\)$", text, re.M))


def resave_with_polib(po: Path, width: int) -> None:
    catalog = polib.pofile(str(po), wrapwidth=width)
    catalog.save()


@pytest.mark.parametrize("width", [78, 60, 40, 20, 12])
def test_a_long_reviewer_name_still_counts_after_polib_folds_it(reviewed, width):
    resave_with_polib(reviewed, width)
    text = reviewed.read_text("utf-8")
    assert whole_stamps(text) == 0  # polib did fold every stamp
    assert count_states(read_catalog(reviewed)).reviewed == 7
    review = Notes.of(read_catalog(reviewed)[0]).reviews[0]
    assert review.name == REVIEWER  # the hyphen fold joined without a space


@pytest.mark.parametrize("width", [76, 30, 12])  # 76 is Babel's default
def test_a_long_reviewer_name_still_counts_after_babel_writes_the_catalog(reviewed, width):
    with reviewed.open("rb") as handle:
        catalog = read_po(handle)
    out = io.BytesIO()
    write_po(out, catalog, width=width)
    reviewed.write_bytes(out.getvalue())
    assert whole_stamps(reviewed.read_text("utf-8")) == 0
    assert count_states(read_catalog(reviewed)).reviewed == 7


def test_a_folded_review_still_counts_after_msgcat_and_msgmerge(reviewed):
    resave_with_polib(reviewed, 40)
    project = reviewed.parents[2]
    pot = project / "locales" / "brief.pot"
    subprocess.run(["msgcat", "--width=30", "-o", str(reviewed), str(reviewed)], check=True)
    subprocess.run(
        ["msgmerge", "--quiet", "--update", "--backup=none", str(reviewed), str(pot)], check=True
    )
    assert count_states(read_catalog(reviewed)).reviewed == 7
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(reviewed)], check=True)


def test_gettext_and_translate_toolkit_keep_whole_stamps_whole(reviewed):
    project = reviewed.parents[2]
    subprocess.run(["msgcat", "-o", str(reviewed), str(reviewed)], check=True)
    subprocess.run(
        ["msgmerge", "--quiet", "--update", "--backup=none", str(reviewed),
         str(project / "locales" / "brief.pot")], check=True,
    )  # fmt: skip
    store = tt_pofile(reviewed.read_bytes())
    reviewed.write_bytes(bytes(store))
    assert whole_stamps(reviewed.read_text("utf-8")) == 7
    assert count_states(read_catalog(reviewed)).reviewed == 7


def test_translate_toolkit_keeps_a_folded_stamp_readable(reviewed):
    resave_with_polib(reviewed, 20)
    reviewed.write_bytes(bytes(tt_pofile(reviewed.read_bytes())))
    assert count_states(read_catalog(reviewed)).reviewed == 7


def test_l10n_update_writes_a_folded_stamp_whole_again(reviewed):
    resave_with_polib(reviewed, 40)
    assert whole_stamps(reviewed.read_text("utf-8")) == 0
    update(Project(load_config(reviewed.parents[2])))
    assert whole_stamps(reviewed.read_text("utf-8")) == 7
    assert count_states(read_catalog(reviewed)).reviewed == 7


def test_l10n_writes_stamps_unfolded_where_polib_would_fold_them(reviewed):
    text = reviewed.read_text("utf-8")
    assert whole_stamps(text) == 7
    assert max(len(line) for line in text.split("\n") if line.startswith("# ")) > 78
    folded = polib.pofile(str(reviewed))
    assert whole_stamps(str(folded)) == 0  # polib's default width would have folded them


def test_a_machine_draft_with_a_long_model_name_stays_a_machine_draft(project):
    start_project(project, SOURCE)
    po = project / "locales" / "ur" / "brief.po"
    catalog = read_catalog(po)
    entry = catalog.find(URDU_PARAGRAPH)
    entry.msgstr = "بات چیت جاری ہے۔"
    set_fuzzy(entry)
    Notes.of(entry).plus(Provenance.of(MODEL, entry.msgstr, date(2026, 11, 29))).save(entry)
    save_catalog(catalog, po)
    for width in (78, 30):
        resave_with_polib(po, width)
        assert f"# machine-draft: {MODEL}, " not in po.read_text("utf-8")  # polib folded it
        again = read_catalog(po).find(URDU_PARAGRAPH)
        assert is_machine_draft(again)
        assert Notes.of(again).provenance is not None
        assert Notes.of(again).provenance.source == MODEL


def test_a_stamp_cut_short_is_reported_with_file_and_line_never_silently_lost(reviewed):
    resave_with_polib(reviewed, 40)
    lines = reviewed.read_text("utf-8").split("\n")
    cut = next(i for i, line in enumerate(lines) if re.fullmatch(r"# \([0-9a-f]{8}\)", line))
    del lines[cut]  # an editor dropped the fingerprint line of the first review
    reviewed.write_text("\n".join(lines), "utf-8")
    catalog = read_catalog(reviewed)
    assert count_states(catalog).reviewed == 6
    damaged = [e for e in catalog if state(e) == State.TRANSLATED]
    assert len(damaged) == 1
    findings = check_catalogs([(reviewed, "brief.po", language("ps"))], Glossary(), ["stamps"])
    assert [(f.catalog, f.finding.check, f.finding.severity) for f in findings] == [
        ("brief.po", "stamps", "error")
    ]
    assert findings[0].line == damaged[0].linenum
    assert "damaged review stamp" in findings[0].finding.message
    assert REVIEWER.split()[0] in findings[0].finding.message
    # the file is not changed by reading or checking it, and the broken lines are kept
    assert "\n".join(lines) == reviewed.read_text("utf-8")


def test_a_stamp_glued_onto_a_remark_still_counts_and_the_remark_is_kept():
    entry = polib.POEntry(msgid="Trade grew.", msgstr="سوداګري زیاته شوه.")
    mark_reviewed(entry, "Zarmina", date(2026, 11, 29))
    entry.tcomment += " checked against the print edition"  # a re-wrapping editor joined lines
    notes = Notes.of(entry)
    assert state(entry) == State.REVIEWED
    assert notes.text().split("\n")[1] == "checked against the print edition"
    assert check_entry(entry, language("ps"), Glossary(), ["stamps"]) == []


def test_a_remark_that_merely_mentions_a_stamp_keyword_is_reported_not_counted():
    entry = polib.POEntry(msgid="Trade grew.", msgstr="سوداګري زیاته شوه.")
    mark_reviewed(entry, "Zarmina", date(2026, 11, 29))
    stamp = entry.tcomment
    entry.tcomment = "see " + stamp  # glued after other text: not a review any more
    assert state(entry) == State.TRANSLATED
    findings = check_entry(entry, language("ps"), Glossary(), ["stamps"])
    assert [f.check for f in findings] == ["stamps"]


def test_l10n_check_names_a_damaged_stamp_and_approving_again_settles_it(reviewed):
    resave_with_polib(reviewed, 40)
    lines = reviewed.read_text("utf-8").split("\n")
    cut = next(i for i, line in enumerate(lines) if re.fullmatch(r"# \([0-9a-f]{8}\)", line))
    del lines[cut]
    reviewed.write_text("\n".join(lines), "utf-8")
    project = reviewed.parents[2]
    found = subprocess.run(["l10n", "check"], cwd=project, capture_output=True, text=True)
    output = found.stdout + found.stderr
    assert found.returncode == 1
    line = read_catalog(reviewed).find("Border trade").linenum
    assert f"locales/ps/brief.po:{line}: error [stamps] damaged review stamp" in output
    approve = ["l10n", "review", "approve", str(reviewed), "--reviewer", "Zarmina Ahmadzai"]
    approved = subprocess.run(approve, cwd=project, capture_output=True, text=True)
    assert approved.returncode == 0, approved.stderr
    assert "1 entries marked reviewed" in approved.stdout
    again = subprocess.run(["l10n", "check"], cwd=project, capture_output=True, text=True)
    assert again.returncode == 0, again.stdout + again.stderr
    assert count_states(read_catalog(reviewed)).reviewed == 7
    notes = Notes.of(read_catalog(reviewed).find("Border trade"))
    assert not notes.damaged and notes.reviews[0].name == "Zarmina Ahmadzai"
    # the broken line went; the lines after it may be the translator's, so they stay
    assert "# Mohammadzai-Khan Wardak, 2026-11-29" in reviewed.read_text("utf-8")


def test_two_stamps_an_editor_joined_into_one_line_both_still_read():
    joined = (
        "reviewed-by: Zarmina, 2026-11-29 (12345678) "
        f"machine-draft: {MODEL}, 2026-11-21 (abcdef12) checked in print"
    )
    notes = Notes.parse(joined)
    assert [type(line).__name__ for line in notes.lines] == ["Review", "Provenance", "Remark"]
    assert notes.provenance is not None and notes.provenance.source == MODEL
    assert notes.text().split("\n")[2] == "checked in print"
