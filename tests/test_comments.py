"""What l10n writes in translator comments is read back by one parser, and rewriting
one kind of line never disturbs a translator's own lines."""

from __future__ import annotations

from datetime import date

import polib

from l10n.comments import (
    Ignore,
    MemoryFill,
    Notes,
    Problem,
    Provenance,
    Remark,
    Review,
    is_machine_draft,
)
from l10n.drafting import write_draft
from l10n.review import State, mark_reviewed, state

DAY = date(2026, 11, 29)

COMMENT = "\n".join(
    [
        "Check the name with the author.",
        "",
        "machine-draft: argos translate-en_ur 1.9, 2026-11-29 (0a1b2c3d)",
        "machine-draft-problem: footnote reference '[^3]' was lost; copy it from the source",
        "l10n-ignore: copied, latin-text",
        "reviewed-by: Zarmina Safi, 2026-11-30 (89abcdef)",
        "memory: 87% from other-brief",
    ]
)


def test_every_line_is_read_as_what_it_says_and_written_back_unchanged():
    notes = Notes.parse(COMMENT)
    assert [type(line) for line in notes.lines] == [
        Remark, Remark, Provenance, Problem, Ignore, Review, MemoryFill
    ]  # fmt: skip
    assert notes.provenance == Provenance("argos translate-en_ur 1.9", "2026-11-29", "0a1b2c3d")
    assert notes.problems == ["footnote reference '[^3]' was lost; copy it from the source"]
    assert notes.ignored == {"copied", "latin-text"}
    assert notes.reviews == [Review("Zarmina Safi", "2026-11-30", "89abcdef")]
    assert notes.memory == MemoryFill("87% from other-brief")
    assert notes.text() == COMMENT


def test_a_review_replaces_only_the_review_and_keeps_the_translators_lines():
    entry = polib.POEntry(msgid="Trade", msgstr="تجارت", tcomment=COMMENT)
    mark_reviewed(entry, "Ahmad, Wali", DAY)
    lines = entry.tcomment.split("\n")
    assert lines[:2] == ["Check the name with the author.", ""]
    assert lines[-1].startswith("reviewed-by: Ahmad Wali, 2026-11-29 (")
    assert sum(line.startswith("reviewed-by:") for line in lines) == 1
    assert state(entry) == State.REVIEWED


def test_a_machine_draft_names_its_engine_and_stops_counting_once_edited():
    entry = polib.POEntry(msgid="Trade", msgstr="", tcomment="Check the name.\nmemory: 80% from x")
    write_draft(entry, "تجارت", "nllb nllb-200 1.0", ["number 3 is missing"], DAY)
    assert entry.fuzzy and is_machine_draft(entry)
    assert entry.tcomment.split("\n")[0] == "Check the name."
    notes = Notes.of(entry)
    assert notes.memory is None  # the memory did not write this text
    assert notes.provenance is not None and notes.provenance.source == "nllb nllb-200 1.0"
    entry.msgstr = "سوداګري"
    assert not is_machine_draft(entry)


def test_a_line_that_only_looks_like_a_stamp_counts_for_nothing_is_kept_and_reported():
    text = "reviewed-by: someone, yesterday\nmachine-draft: my own note"
    notes = Notes.parse(text)
    assert not notes.reviews and notes.provenance is None
    assert [d.kind for d in notes.damaged] == ["reviewed-by:", "machine-draft:"]
    assert notes.text() == text
