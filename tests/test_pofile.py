"""Catalogs are read exactly as gettext defines them, and refused when they are not PO."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from l10n.errors import L10nError
from l10n.pofile import parse_po

FIXTURE = Path(__file__).parent / "fixtures" / "every_po_construct.po"


def test_every_construct_reads_as_polib_reads_it_and_obsolete_history_is_kept():
    text = FIXTURE.read_text(encoding="utf-8")
    ours, theirs = parse_po(text, "x.po"), polib.pofile(text, wrapwidth=0)
    ours.wrapwidth = 0
    assert ours.metadata == theirs.metadata and ours.header == theirs.header
    entry = ours[0]
    assert entry.msgctxt == "ctx" and entry.msgid == 'multi line "quoted" \\ tab\t'
    assert entry.msgstr == "ترجمه\nدوهم"
    assert entry.flags == ["fuzzy", "python-format"]
    assert entry.occurrences == [("source/a.md", "3"), ("source/b.md", "10")]
    assert (entry.previous_msgctxt, entry.previous_msgid) == ("old ctx", "old text")
    assert entry.tcomment == "translator note" and entry.comment == "extracted"
    assert ours[1].msgstr_plural == {0: "a", 1: "bc"}
    assert [e.obsolete for e in ours] == [False, False, True, True]
    assert ours[3].previous_msgid == "older"  # polib drops this; we keep it
    assert str(ours).replace('#~| msgid "older"\n', "") == str(theirs)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('msgid "a"\n\nmsgid "b"\nmsgstr ""\n', 1, "msgid without msgstr"),
        ('msgid "a"\n', 1, "msgid without msgstr"),
        ('msgstr "x"\n', 1, "msgstr before any msgid"),
        ('"orphan"\n', 1, "belongs to no keyword"),
        ('msgid "a"\nmsgstr "b"\n#| nonsense\nmsgid "c"\nmsgstr ""\n', 3, "#| line"),
        ('msgid "a\nmsgstr ""\n', 1, "unterminated string after msgid"),
        ('msgid "a"\nmsgstr "\\z"\n', 2, "invalid escape sequence '\\z'"),
        ('msgid "a"\nmsgstr "b" "c"\n', 2, "unescaped '\"'"),
        ('msgid "a"\nmsgstr "b"\nmsgstr[0] "c"\n', 3, "msgstr[0] without msgid_plural"),
        ('msgid "a"\nmsgstr "b"\nmsgid_plural "c"\n', 3, "msgid_plural must follow msgid"),
    ],
)
def test_text_that_is_not_po_is_refused_at_its_line(text, line, message):
    with pytest.raises(L10nError) as failure:
        parse_po(text, "bad.po")
    assert str(failure.value).startswith(f"bad.po:{line}: ")
    assert message in str(failure.value)
