"""Translators' work survives every update: edits, moves, deletions and revivals."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest

from l10n.config import load_config
from l10n.pipeline import extract, update
from l10n.project import Project

V1 = """\
# Border trade

Pakistan and Afghanistan share a long border.

Trade passes through Torkham and Chaman.

The transit agreement was signed in 1965.
"""


def run(project: Path, text: str, languages=None):
    (project / "source" / "brief.md").write_text(text, encoding="utf-8")
    p = Project(load_config(project))
    extract(p)
    return update(p, languages)


def po(project: Path, lang: str = "ps") -> polib.POFile:
    return polib.pofile(str(project / "locales" / lang / "brief.po"))


def translate(project: Path, lang: str, msgid: str, msgstr: str, comment: str = "") -> None:
    catalog = po(project, lang)
    entry = catalog.find(msgid)
    entry.msgstr = msgstr
    entry.tcomment = comment
    catalog.save()


def test_new_catalogs_get_headers_from_cldr_for_each_language(project):
    run(project, V1)
    for lang, plural, team in (
        ("ps", "nplurals=2; plural=(n != 1);", "Pashto (پښتو)"),
        ("fa_AF", "nplurals=2; plural=(n > 1);", "Dari (دری)"),
        ("ur", "nplurals=2; plural=(n != 1);", "Urdu (اردو)"),
    ):
        meta = po(project, lang).metadata
        assert meta["Language"] == lang
        assert meta["Plural-Forms"] == plural
        assert meta["Language-Team"] == team
        assert meta["Content-Type"] == "text/plain; charset=UTF-8"
        path = project / "locales" / lang / "brief.po"
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)


def test_prs_is_accepted_as_dari(project):
    results = run(project, V1, ["prs"])
    assert [r.lang for r in results] == ["fa_AF"]
    assert (project / "locales" / "fa_AF" / "brief.po").is_file()


def test_a_translation_of_an_unchanged_block_keeps_its_text_flags_and_comments(project):
    run(project, V1)
    translate(project, "ps", "Border trade", "سوداګري په پوله", "reviewed by Zarmina")
    run(project, "Intro line.\n\n" + V1)
    entry = po(project).find("Border trade")
    assert entry.msgstr == "سوداګري په پوله"
    assert entry.tcomment == "reviewed by Zarmina"
    assert "fuzzy" not in entry.flags
    assert entry.occurrences == [("source/brief.md", "3")]


def test_an_edited_block_gets_its_old_translation_as_fuzzy_with_the_previous_msgid(project):
    run(project, V1)
    old = "Pakistan and Afghanistan share a long border."
    translate(project, "ur", old, "پاکستان اور افغانستان کی طویل سرحد ہے۔")
    run(project, V1.replace("a long border", "a very long border"))
    entry = po(project, "ur").find("Pakistan and Afghanistan share a very long border.")
    assert entry.msgstr == "پاکستان اور افغانستان کی طویل سرحد ہے۔"
    assert "fuzzy" in entry.flags
    assert entry.previous_msgid == old
    # the old entry is kept as obsolete too, so nothing is lost if the fuzzy one is retranslated
    assert po(project, "ur").find(old, include_obsolete_entries=True).obsolete


def test_a_removed_block_becomes_obsolete_and_comes_back_when_the_text_returns(project):
    run(project, V1)
    sentence = "The transit agreement was signed in 1965."
    translate(project, "fa_AF", sentence, "موافقتنامه ترانزیت در سال ۱۹۶۵ امضا شد.")
    results = run(project, V1.replace(sentence + "\n", ""))
    catalog = po(project, "fa_AF")
    gone = catalog.find(sentence, include_obsolete_entries=True)
    assert gone.obsolete and gone.msgstr == "موافقتنامه ترانزیت در سال ۱۹۶۵ امضا شد."
    assert sentence in next(r for r in results if r.lang == "fa_AF").report.obsoleted
    path = project / "locales" / "fa_AF" / "brief.po"
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)
    run(project, V1)
    back = po(project, "fa_AF").find(sentence)
    assert not back.obsolete and back.msgstr == "موافقتنامه ترانزیت در سال ۱۹۶۵ امضا شد."


def test_a_block_unlike_any_old_one_starts_untranslated(project):
    run(project, V1)
    translate(project, "ps", "Border trade", "سوداګري")
    run(project, V1.replace("# Border trade", "# Refugees and returnees in 2021"))
    entry = po(project).find("Refugees and returnees in 2021")
    assert entry.msgstr == "" and "fuzzy" not in entry.flags


def test_update_twice_changes_nothing(project):
    run(project, V1)
    translate(project, "ps", "Border trade", "سوداګري")
    path = project / "locales" / "ps" / "brief.po"
    before = path.read_bytes()
    results = run(project, V1)
    assert path.read_bytes() == before
    assert not any(r.changed for r in results)


@pytest.mark.parametrize("lang", ["ps", "fa_AF", "ur"])
def test_every_catalog_keeps_polib_and_msgfmt_happy_after_many_updates(project, lang):
    run(project, V1)
    translate(project, lang, "Border trade", "متن")
    for n in range(3):
        run(project, V1 + f"\nNew paragraph number {n}.\n")
    path = project / "locales" / lang / "brief.po"
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)
    assert po(project, lang).find("Border trade").msgstr == "متن"
