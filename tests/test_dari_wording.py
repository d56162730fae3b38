"""Dari editions read Afghan: the brief's catalog, the glossary and the vocabulary check agree.

Afghan usage writes سپتمبر (as babel's Afghan month names do, which the title
date uses), طیاره for an aeroplane, اردو for an army and مسوده for a draft;
Iranian Persian writes سپتامبر, هواپیما, ارتش and پیش‌نویس.
"""

from __future__ import annotations

from datetime import date

import polib
import pytest
from babel.dates import format_date

from l10n.checks import check_entry
from l10n.dari import post_edit
from l10n.glossary import load_glossary
from l10n.languages import language

from conftest import BRIEF

REPO = BRIEF.parent.parent
CATALOG = REPO / "locales" / "fa_AF" / "a-road-untraveled.po"
IRANIAN = {"سپتامبر": "سپتمبر", "هواپیما": "طیاره", "ارتش": "اردو", "پیش‌نویس": "مسوده"}


def vocabulary(entry: polib.POEntry) -> list[str]:
    glossary = load_glossary(REPO / "glossary.yaml")
    findings = check_entry(entry, language("fa_AF"), glossary, only=["dari-vocabulary"])
    return [finding.message for finding in findings]


def test_the_brief_in_dari_passes_the_vocabulary_check_and_uses_no_iranian_form():
    catalog = polib.pofile(str(CATALOG))
    assert all(vocabulary(entry) == [] for entry in catalog)
    text = "\n".join(entry.msgstr for entry in catalog)
    assert all(iranian not in text for iranian in IRANIAN)
    assert text.count("سپتمبر") == 4 and "طیاره" in text and "اردوی پاکستان" in text


@pytest.mark.parametrize(("iranian", "afghan"), IRANIAN.items())
def test_the_vocabulary_check_catches_each_iranian_form_the_readers_found(iranian, afghan):
    catalog = polib.pofile(str(CATALOG))
    entry = next(e for e in catalog if afghan in e.msgstr)
    assert vocabulary(entry) == []
    entry.msgstr = entry.msgstr.replace(afghan, iranian, 1)
    assert vocabulary(entry) == [f"Iranian Persian {iranian!r}; Afghan Dari writes {afghan!r}"]


def test_persian_machine_output_is_post_edited_to_the_afghan_words():
    assert post_edit("۱۴ سپتامبر ۲۰۲۱") == "۱۴ سپتمبر ۲۰۲۱"
    assert post_edit("چهار هواپیما و هواپیماها") == "چهار طیاره و طیاره\u200cها"
    assert post_edit("پیش نویس توافق") == "مسوده توافق"


def test_the_glossary_prescribes_the_afghan_month_the_build_itself_prints():
    glossary = load_glossary(REPO / "glossary.yaml")
    september = next(term for term in glossary.terms if term.term == "September")
    assert september.translations["fa_AF"].term == "سپتمبر"
    assert format_date(date(2021, 9, 1), "LLLL", locale="fa_AF") == "سپتمبر"
