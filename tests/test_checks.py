"""Every check, with a passing and a failing translation in Pashto, Dari and Urdu."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from l10n.checks import CHECK_IDS, CHECKS, check_entry
from l10n.glossary import glossary_from_data
from l10n.languages import language

from conftest import REPO

GLOSSARY = glossary_from_data(
    {
        "terms": [
            {"id": "durand-line", "term": "Durand Line", "pos": "proper noun",
             "translations": {
                 "ps": {"term": "د ډیورنډ کرښه", "status": "approved"},
                 "fa_AF": {"term": "خط دیورند", "status": "approved"},
                 "ur": {"term": "ڈیورنڈ لائن", "status": "approved"}}},
            {"id": "pashtun", "term": "Pashtun", "pos": "proper noun",
             "translations": {"ps": {"term": "پښتون"}, "fa_AF": {"term": "پشتون"},
                              "ur": {"term": "پشتون"}}},
            {"id": "casa-1000", "term": "CASA-1000", "pos": "proper noun",
             "do_not_translate": True},
        ]
    },
    "test",
)  # fmt: skip

# check id → kind, msgid, then per language (good translation, bad translation)
CASES: dict[str, tuple[str, str, dict[str, tuple[str, str]]]] = {
    "structure": ("paragraph", "Trade passes through Torkham.", {
        "ps": ("سوداګري د تورخم له لارې کېږي.", "# سوداګري"),
        "fa_AF": ("تجارت از طریق تورخم صورت می‌گیرد.", "- تجارت"),
        "ur": ("تجارت طورخم کے راستے ہوتی ہے۔", "تجارت\n\nطورخم"),
    }),
    "footnotes": ("paragraph", "Trade grew in 2021.[^4]", {
        "ps": ("سوداګري په ۲۰۲۱ کې زیاته شوه.[^4]", "سوداګري په ۲۰۲۱ کې زیاته شوه."),
        "fa_AF": ("تجارت در ۲۰۲۱ افزایش یافت.[^4]", "تجارت در ۲۰۲۱ افزایش یافت.[^5]"),
        "ur": ("تجارت ۲۰۲۱ میں بڑھی۔[^4]", "تجارت[^4] ۲۰۲۱ میں بڑھی۔[^4]"),
    }),
    "links": ("paragraph", "See the [report](https://example.org/r).", {
        "ps": ("[راپور](https://example.org/r) وګورئ.", "راپور وګورئ."),
        "fa_AF": ("[گزارش](https://example.org/r) را ببینید.",
                  "[گزارش](https://example.org/x) را ببینید."),
        "ur": ("[رپورٹ](https://example.org/r) دیکھیں۔", "رپورٹ (https://example.org/r دیکھیں۔"),
    }),
    "code": ("paragraph", "Run `l10n build` first.", {
        "ps": ("لومړی `l10n build` وچلوئ.", "لومړی l10n build وچلوئ."),
        "fa_AF": ("نخست `l10n build` را اجرا کنید.", "نخست `l10n بیلد` را اجرا کنید."),
        "ur": ("پہلے `l10n build` چلائیں۔", "پہلے `l10n` build چلائیں۔"),
    }),
    "html": ("paragraph", "The <abbr>TTP</abbr> grew.", {
        "ps": ("<abbr>TTP</abbr> پیاوړې شوه.", "TTP پیاوړې شوه."),
        "fa_AF": ("<abbr>TTP</abbr> قوی‌تر شد.", "<b>TTP</b> قوی‌تر شد."),
        "ur": ("<abbr>TTP</abbr> مضبوط ہوئی۔", "<abbr>TTP مضبوط ہوئی۔"),
    }),
    "emphasis": ("paragraph", "This is *not* a border.", {
        "ps": ("دا *پوله* نه ده.", "دا پوله نه ده."),
        "fa_AF": ("این *مرز* نیست.", "این **مرز** نیست."),
        "ur": ("یہ *سرحد* نہیں ہے۔", "یہ *سرحد نہیں ہے۔"),
    }),
    "urls": ("paragraph", "Available at www.usip.org/publications and info@fes.de.", {
        "ps": ("په www.usip.org/publications او info@fes.de کې شته.", "په usip.org کې شته."),
        "fa_AF": ("در www.usip.org/publications و info@fes.de موجود است.",
                  "در www.usip.org/publication و info@fes.de موجود است."),
        "ur": ("www.usip.org/publications اور info@fes.de پر دستیاب ہے۔",
               "www.usip.org/publications پر دستیاب ہے۔"),
    }),
    "placeholders": ("paragraph", "Published by %(publisher)s in {year}.", {
        "ps": ("په {year} کې د %(publisher)s لخوا خپور شو.", "په {year} کې خپور شو."),
        "fa_AF": ("در {year} توسط %(publisher)s نشر شد.", "در {سال} توسط %(publisher)s نشر شد."),
        "ur": ("{year} میں %(publisher)s نے شائع کیا۔", "{year} میں %(ناشر)s نے شائع کیا۔"),
    }),
    "numbers": ("paragraph", "The 1,660-mile border since 1947 carries 1,300 MW.", {
        "ps": ("له ۱۹۴۷ راهیسې ۱٬۶۶۰ میله پوله ۱۳۰۰ میګاواټه لېږدوي.",
               "له ۱۹۴۷ راهیسې ۱۶۶۶ میله پوله ۱۳۰۰ میګاواټه لېږدوي."),
        "fa_AF": ("مرز ۱۶۶۰ میلی از 1947 تاکنون ۱٫۳۰۰ میگاوات را انتقال می‌دهد.",
                  "مرز ۱۶۶۰ میلی ۱۳۰۰ میگاوات را انتقال می‌دهد."),
        "ur": ("١٩٤٧ سے ١٦٦٠ میل طویل سرحد 1,300 میگاواٹ لے جاتی ہے۔",
               "١٩٤٧ سے ١٦٦٠ میل طویل سرحد 1,200 میگاواٹ لے جاتی ہے۔"),
    }),
    "glossary": ("paragraph", "Along the Durand Line.", {
        "ps": ("د ډیورنډ کرښې په اوږدو کې.", "د پولې په اوږدو کې."),
        "fa_AF": ("در امتداد خط ديورند.", "در امتداد مرز."),
        "ur": ("ڈیورنڈ لائن کے ساتھ ساتھ۔", "سرحد کے ساتھ ساتھ۔"),
    }),
    "glossary-proposed": ("paragraph", "The Pashtun tribes and CASA-1000.", {
        "ps": ("پښتون قبیلې او CASA-1000.", "قبیلې او CASA-1000."),
        "fa_AF": ("قبایل پشتون و CASA-1000.", "قبایل و CASA-1000."),
        "ur": ("پشتون قبائل اور CASA-1000۔", "قبائل اور CASA-1000۔"),
    }),
    "letters": ("paragraph", "Kabul and Islamabad.", {
        "ps": ("کابل او اسلام اباد.", "كابل او اسلام اباد."),
        "fa_AF": ("کابل و اسلام آباد.", "كابل و اسلام آباد."),
        "ur": ("کابل اور اسلام آباد۔", "کابل اور اسلام آباد۔ يه"),
    }),
    "zwnj": ("paragraph", "The books.", {
        "ps": ("کتابونه.", "کتابونه\u200c."),
        "fa_AF": ("کتاب\u200cها.", "کتاب\u200c\u200cها."),
        "ur": ("کتابیں۔", "\u200cکتابیں۔"),
    }),
    "bidi-controls": ("paragraph", "The TTP (Pakistan).", {
        "ps": ("\u2067TTP\u2069 (پاکستان).", "\u2067TTP (پاکستان)."),
        "fa_AF": ("\u202bTTP\u202c (پاکستان).", "TTP\u202c (پاکستان)."),
        "ur": ("ٹی ٹی پی (پاکستان)۔", "\u202bٹی ٹی پی (پاکستان)۔"),
    }),
    "punctuation": ("paragraph", "Why Kabul, and why now?", {
        "ps": ("ولې کابل، او ولې اوس؟", "ولې کابل, او ولې اوس?"),
        "fa_AF": ("چرا کابل، و چرا اکنون؟", "چرا کابل، و چرا اکنون?"),
        "ur": ("کابل کیوں، اور اب کیوں؟ یہ سوال ہے۔", "کابل کیوں، اور اب کیوں؟ یہ سوال ہے."),
    }),
    "latin-text": ("paragraph", "Trade passes through Torkham and CASA-1000.", {
        "ps": ("سوداګري د تورخم او CASA-1000 له لارې کېږي.", "سوداګري through تورخم او CASA-1000."),
        "fa_AF": ("تجارت از تورخم و CASA-1000 می‌گذرد.", "تجارت از Torkham و CASA-1000 می‌گذرد."),
        "ur": ("تجارت طورخم اور CASA-1000 سے گزرتی ہے۔", "Trade طورخم اور CASA-1000 سے گزرتی ہے۔"),
    }),
    "copied": ("paragraph", "Trade passes through Torkham.", {
        "ps": ("سوداګري د تورخم له لارې کېږي.", "Trade passes through Torkham."),
        "fa_AF": ("تجارت از تورخم می‌گذرد.", "Trade passes through Torkham."),
        "ur": ("تجارت طورخم سے گزرتی ہے۔", "Trade passes through Torkham."),
    }),
    "length": ("paragraph", "Pakistan and Afghanistan share a long border but not easily.", {
        "ps": ("پاکستان او افغانستان اوږده پوله لري خو په اسانۍ نه.", "پوله."),
        "fa_AF": ("پاکستان و افغانستان مرز طولانی دارند اما نه به آسانی.", "مرز."),
        "ur": ("پاکستان اور افغانستان کی طویل سرحد ہے مگر آسانی سے نہیں۔", "سرحد۔"),
    }),
    "doubled-words": ("paragraph", "The two countries share a border.", {
        "ps": ("دواړه هېوادونه ګډه پوله لري.", "دواړه هېوادونه ګډه ګډه پوله لري."),
        "fa_AF": ("دو کشور مرز مشترک دارند.", "دو کشور مرز مرز مشترک دارند."),
        "ur": ("دونوں ممالک کی مشترکہ سرحد ہے۔", "دونوں ممالک کی کی مشترکہ سرحد ہے۔"),
    }),
    "whitespace": ("paragraph", "A border.", {
        "ps": ("یوه پوله.", " یوه پوله."),
        "fa_AF": ("یک مرز.", "یک مرز. "),
        "ur": ("ایک سرحد۔", "ایک سرحد۔\n"),
    }),
    "nfc": ("paragraph", "A border.", {
        "ps": ("یوه پوله.", "یوه پوله.e\u0301"),
        "fa_AF": ("یک مرز آرام.", "یک مرز ا\u0653رام."),
        "ur": ("ایک سرحد۔", "ایک سرحد۔ ا\u0653"),
    }),
    "dari-vocabulary": ("paragraph", "The police took him to hospital on 15 Hamal.", {
        "ps": ("پولیسو هغه د وري په ۱۵ روغتون ته یووړ.", None),
        "fa_AF": ("پولیس او را در ۱۵ حمل به شفاخانه برد.",
                  "پلیس او را در ۱۵ فروردین به بیمارستان برد."),
        "ur": ("پولیس اسے ۱۵ حمل کو ہسپتال لے گئی۔", None),
    }),
}  # fmt: skip


def test_every_check_has_cases():
    # `stamps` reads the translator comment, not the msgstr: tests/test_review_folding.py
    assert set(CASES) == set(CHECK_IDS) - {"stamps"}


def findings(check_id: str, lang: str, msgstr: str) -> list[str]:
    kind, msgid, _ = CASES[check_id]
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr, comment=kind)
    return [f.message for f in check_entry(entry, language(lang), GLOSSARY, [check_id])]


PARAMS = [(c, lang) for c in CASES for lang in ("ps", "fa_AF", "ur")]


@pytest.mark.parametrize(("check_id", "lang"), PARAMS)
def test_a_good_translation_passes(check_id, lang):
    good, _ = CASES[check_id][2][lang]
    assert findings(check_id, lang, good) == []


@pytest.mark.parametrize(("check_id", "lang"), PARAMS)
def test_a_bad_translation_is_caught(check_id, lang):
    _, bad = CASES[check_id][2][lang]
    if bad is None:
        check = next(c for c in CHECKS if c.id == check_id)
        assert lang not in check.languages  # the check is for another language only
        iranian = CASES[check_id][2]["fa_AF"][1]
        assert findings(check_id, lang, iranian) == []
        return
    assert findings(check_id, lang, bad) != []


def test_no_capitalisation_or_sentence_count_checks_for_arabic_script():
    assert not {"capitalisation", "sentencecount", "startcaps", "endpunc"} & set(CHECK_IDS)


def test_an_entry_can_silence_a_check_with_a_translator_comment():
    entry = polib.POEntry(
        msgid="Trade passes through Torkham.",
        msgstr="Trade passes through Torkham.",
        tcomment="l10n-ignore: copied, latin-text",
        comment="paragraph",
    )
    assert check_entry(entry, language("ps"), GLOSSARY) == []


def test_drafts_are_checked_and_untranslated_entries_are_not():
    draft = polib.POEntry(msgid="A border.", msgstr="A border.", flags=["fuzzy"])
    empty = polib.POEntry(msgid="A border of 1947.", msgstr="")
    checks = [f.check for f in check_entry(draft, language("ur"), GLOSSARY)]
    assert checks == ["latin-text", "copied"]
    assert check_entry(empty, language("ur"), GLOSSARY) == []


def l10n(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["l10n", *args], cwd=cwd, capture_output=True, text=True, check=False)


def translated_project(project: Path, msgstr: str) -> Path:
    (project / "source" / "brief.md").write_text(
        "Trade grew in 2021.[^1]\n\n[^1]: Khan.\n", "utf-8"
    )
    assert l10n(project, "build", "-f", "md").returncode == 0
    po = project / "locales" / "ur" / "brief.po"
    catalog = polib.pofile(str(po))
    catalog.find("Trade grew in 2021.[^1]").msgstr = msgstr
    catalog.save()
    return po


def test_l10n_check_exits_1_on_errors_and_names_file_and_line(project):
    po = translated_project(project, "تجارت بڑھی۔")
    result = l10n(project, "check")
    assert result.returncode == 1
    assert "locales/ur/brief.po:" in result.stdout and "[footnotes]" in result.stdout
    assert "[numbers]" in result.stdout
    data = json.loads(l10n(project, "check", "--json").stdout)
    assert {d["check"] for d in data} == {"footnotes", "numbers"}
    assert all(d["file"] == "locales/ur/brief.po" and d["line"] > 0 for d in data)
    outside = project.parent / "elsewhere.po"
    shutil.copy(po, outside)
    assert l10n(project, "check", str(outside)).returncode == 1


def test_warnings_fail_only_when_asked(project):
    translated_project(project, "تجارت ۲۰۲۱ میں بڑھی.[^1]")  # Latin full stop in Urdu
    assert l10n(project, "check").returncode == 0
    assert l10n(project, "check", "--fail-on", "warning").returncode == 1
    assert l10n(project, "check", "--only", "numbers", "--fail-on", "warning").returncode == 0


def test_the_brief_catalogs_have_no_check_errors():
    result = l10n(REPO, "check")
    assert result.returncode == 0, result.stderr


def test_source_titles_quoted_in_footnotes_may_stay_in_english():
    source = 'Ayaz Gul, "Families of Afghan Taliban Live in Pakistan", 27 June 2021.'
    kept = "ایاز گل، «Families of Afghan Taliban Live in Pakistan»، ۲۷ جون ۲۰۲۱."
    loose = "ایاز گل، Families of Afghan Taliban Live in Pakistan، ۲۷ جون ۲۰۲۱."
    entry = polib.POEntry(msgid=source, msgstr=kept, comment="footnote [^10]")
    assert check_entry(entry, language("ur"), GLOSSARY, ["latin-text"]) == []
    entry.msgstr = loose
    assert [f.check for f in check_entry(entry, language("ur"), GLOSSARY, ["latin-text"])] == [
        "latin-text"
    ]


def test_a_glossary_term_inside_an_english_title_is_not_a_missing_rendering():
    source = "Harsh V. Pant, *The Durand Line Question*, 2010."
    entry = polib.POEntry(msgid=source, msgstr="هارش وی پنت، *The Durand Line Question*، ۲۰۱۰.")
    assert check_entry(entry, language("fa_AF"), GLOSSARY, ["glossary"]) == []


def test_a_link_whose_text_is_a_domain_is_not_a_copy():
    text = "[afghanistan.fes.de](https://afghanistan.fes.de)"
    entry = polib.POEntry(msgid=text, msgstr=text)
    assert check_entry(entry, language("ps"), GLOSSARY, ["copied", "latin-text"]) == []
