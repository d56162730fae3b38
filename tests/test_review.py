"""A reviewer approves translations; the approval lives in the PO file and knows when it's stale."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import polib
import pytest

from l10n.config import load_config
from l10n.pipeline import update
from l10n.project import Project
from l10n.review import State, mark_reviewed, state

from conftest import start_project

SOURCE = "# Border trade\n\nTrade grew in 2021.\n\nThe crossings reopened.\n"


def entry(msgstr: str = "", flags: tuple[str, ...] = ()) -> polib.POEntry:
    return polib.POEntry(msgid="Border trade", msgstr=msgstr, flags=list(flags))


def test_an_entry_moves_from_untranslated_to_draft_to_translated_to_reviewed():
    e = entry()
    assert state(e) == State.UNTRANSLATED
    e.msgstr, e.flags = "د پولې سوداګري", ["fuzzy"]
    assert state(e) == State.DRAFT
    e.flags = []
    assert state(e) == State.TRANSLATED
    mark_reviewed(e, "Zarmina Ahmadzai", date(2026, 11, 29))
    assert state(e) == State.REVIEWED
    assert e.tcomment.startswith("reviewed-by: Zarmina Ahmadzai, 2026-11-29 (")


def test_editing_a_reviewed_translation_voids_the_review():
    e = entry("د پولې سوداګري")
    mark_reviewed(e, "Zarmina")
    e.msgstr = "سرحدي سوداګري"
    assert state(e) == State.TRANSLATED


def test_drafts_and_empty_entries_cannot_be_reviewed():
    for e in (entry(), entry("پوله", ("fuzzy",))):
        with pytest.raises(ValueError):
            mark_reviewed(e, "Zarmina")


def test_a_second_review_replaces_the_first_and_keeps_other_comments():
    e = entry("د پولې سوداګري")
    e.tcomment = "checked against the 2021 print edition"
    mark_reviewed(e, "Zarmina", date(2026, 11, 1))
    mark_reviewed(e, "Wahid", date(2026, 11, 29))
    assert e.tcomment.split("\n")[0] == "checked against the 2021 print edition"
    assert e.tcomment.count("reviewed-by:") == 1 and "Wahid" in e.tcomment


def l10n(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["l10n", *args], cwd=cwd, capture_output=True, text=True, check=False)


@pytest.fixture
def translated(project: Path) -> Path:
    start_project(project, SOURCE)
    po = project / "locales" / "ps" / "brief.po"
    catalog = polib.pofile(str(po))
    catalog.find("Border trade").msgstr = "د پولې سوداګري"
    catalog.find("Trade grew in 2021.").msgstr = "سوداګري زیاته شوه."  # the year is missing
    draft = catalog.find("The crossings reopened.")
    draft.msgstr, draft.flags = "لارې بېرته پرانیستل شوې.", ["fuzzy"]
    catalog.save()
    return po


def states(po: Path) -> dict[str, State]:
    return {e.msgid: state(e) for e in polib.pofile(str(po))}


def test_approve_marks_clean_translations_and_refuses_drafts_and_errors(translated):
    result = l10n(
        translated.parents[2], "review", "approve", str(translated), "--reviewer", "Zarmina"
    )
    assert result.returncode == 1
    assert "1 entries marked reviewed by Zarmina" in result.stdout
    assert "not approved: draft, not translated" in result.stderr
    assert "not approved: check numbers: number 2021 is missing" in result.stderr
    assert states(translated) == {
        "Border trade": State.REVIEWED,
        "Trade grew in 2021.": State.TRANSLATED,
        "The crossings reopened.": State.DRAFT,
    }
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(translated)], check=True)


def test_approve_can_select_entries_by_line(translated):
    text = translated.read_text("utf-8").split("\n")
    line = text.index('msgstr "د پولې سوداګري"') + 1  # any line of the entry selects it
    result = l10n(
        translated.parents[2], "review", "approve", str(translated),
        "--reviewer", "Zarmina", "--line", str(line),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert states(translated)["Border trade"] == State.REVIEWED


def test_reviews_survive_msgmerge_and_update_drops_them_once_stale(translated):
    project = translated.parents[2]
    l10n(project, "review", "approve", str(translated), "--reviewer", "Zarmina")
    pot = project / "locales" / "brief.pot"
    merge = ["msgmerge", "--quiet", "--update", "--backup=none", str(translated), str(pot)]
    subprocess.run(merge, check=True)
    assert states(translated)["Border trade"] == State.REVIEWED
    catalog = polib.pofile(str(translated))
    catalog.find("Border trade").msgstr = "سرحدي سوداګري"  # edited in Poedit after the review
    catalog.save()
    update(Project(load_config(project)))
    edited = polib.pofile(str(translated)).find("Border trade")
    assert state(edited) == State.TRANSLATED and "reviewed-by" not in edited.tcomment
