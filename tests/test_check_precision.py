"""A reviewer runs `l10n check` on catalogs from other projects and trusts what it says.

The fixtures (tests/fixtures/checks/) hold correct translations in the shapes
that used to raise false alarms, and the kinds of real defects found in public
Pashto, Dari and Urdu catalogs; each defect names the check that must catch it.
Format strings are judged as `msgfmt -c` judges them, and the tests compare
with the real msgfmt.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import polib
import pytest

from l10n.checks import check_entry
from l10n.formats import LOOSE, compare, formats_of
from l10n.glossary import glossary_from_data
from l10n.inline import read_inline
from l10n.languages import language

from conftest import FIXTURES

CHECKS = FIXTURES / "checks"
FALSE_ALARMS = sorted(CHECKS.glob("false-alarms.*.po"))
DEFECTS = sorted(CHECKS.glob("defects.*.po"))
NO_TERMS = glossary_from_data({"terms": []}, "none")


def l10n_check(*files: Path) -> list[dict]:
    result = subprocess.run(
        ["l10n", "check", "--json", *map(str, files)], capture_output=True, text=True, check=False
    )
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def entries(path: Path) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(path), wrapwidth=0) if e.msgid]


def expected(entry: polib.POEntry) -> str:
    found = re.search(r"expect: ([\w-]+)", entry.tcomment or "")
    assert found, f"defect fixture at line {entry.linenum} names no check"
    return found.group(1)


# --------------------------------------------------------------------------- false alarms


@pytest.mark.parametrize("path", FALSE_ALARMS, ids=lambda p: p.name)
def test_correct_translations_from_other_projects_raise_no_error(path):
    errors = [f for f in l10n_check(path) if f["severity"] == "error"]
    assert errors == []


def test_gtk_accelerators_the_source_has_too_are_no_emphasis_warning():
    findings = l10n_check(*FALSE_ALARMS)
    assert [f for f in findings if f["check"] in ("emphasis", "structure", "html")] == []


def test_the_false_alarm_fixtures_hold_what_a_naive_reading_reports():
    """Control: read as Markdown, or placeholders compared as written, these entries do fail."""
    as_markdown, rewritten, accelerators = set(), 0, 0
    for path in FALSE_ALARMS:
        lang = language(polib.pofile(str(path)).metadata["Language"])
        for entry in entries(path):
            translations = list(entry.msgstr_plural.values()) or [entry.msgstr]
            rewritten += any(as_written(entry.msgid) != as_written(t) for t in translations)
            accelerators += bool(read_inline(entry.msgstr).stray)
            entry.occurrences = [("source/brief.md", "1")]
            as_markdown |= {f.check for f in check_entry(entry, lang, NO_TERMS)}
    assert {"html", "structure"} <= as_markdown
    assert rewritten >= 8 and accelerators >= 3


def as_written(text: str) -> Counter[str]:
    return Counter(re.findall(r"%[^a-zA-Z%]*[a-zA-Z]|\{\w*\}", text))


# --------------------------------------------------------------------------- real defects


@pytest.mark.parametrize("path", DEFECTS, ids=lambda p: p.name)
def test_every_real_defect_is_caught_by_its_check(path):
    findings = l10n_check(path)
    for entry in entries(path):
        caught = {f["check"] for f in findings if f["msgid"] == entry.msgid and f["line"] > 0
                  and f["severity"] == "error"}  # fmt: skip
        assert expected(entry) in caught, (entry.msgid, caught)


def test_defects_are_errors_in_each_language():
    languages = {f["language"] for f in l10n_check(*DEFECTS) if f["severity"] == "error"}
    assert languages == {"ps", "fa_AF", "fa", "ur"}


# ----------------------------------------------------------------- the same verdict as msgfmt


def msgfmt_complaints(path: Path) -> set[int]:
    """Lines of `msgfmt -c`'s format complaints (headers aside)."""
    result = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
    )
    lines = re.findall(rf"^{re.escape(str(path))}:(\d+): (?!warning)", result.stderr, re.M)
    return {int(n) for n in lines}


@pytest.mark.parametrize("path", FALSE_ALARMS + DEFECTS, ids=lambda p: p.name)
def test_format_strings_are_judged_as_msgfmt_judges_them(path):
    """Every entry with a format flag: a placeholders error exactly where msgfmt -c complains."""
    catalog = entries(path)
    complaints = msgfmt_complaints(path)
    lang = language(polib.pofile(str(path)).metadata["Language"])
    plural_forms = polib.pofile(str(path)).metadata["Plural-Forms"]
    flagged = [e for e in catalog if formats_of(e.flags) not in ([LOOSE], [])]
    assert flagged  # every fixture has entries with a format flag
    for index, entry in enumerate(catalog):
        if entry not in flagged:
            continue
        end = catalog[index + 1].linenum if index + 1 < len(catalog) else 10**9
        msgfmt_says = any(entry.linenum <= line < end for line in complaints)
        found = check_entry(entry, lang, NO_TERMS, ["placeholders"], plural_forms)
        assert bool(found) == msgfmt_says, (entry.linenum, entry.msgid, found)


def test_msgfmt_does_complain_about_the_defects():
    """Control for the comparison above: it is not vacuous."""
    assert all(msgfmt_complaints(path) for path in DEFECTS)
    assert not any(msgfmt_complaints(path) for path in FALSE_ALARMS)


# --------------------------------------------------------------------------- the formats themselves

FORMAT_CASES = [
    # (format, msgid, msgstr, problem expected)
    ("c", "%s of %s", "%2$s از %1$s", False),
    ("c", "%d items", "%Id قلم", False),
    ("c", "%I.1f%%", "%.1f%%", False),
    ("c", "%lu bytes", "%u بایت", True),  # another type: msgfmt refuses it too
    ("c", "%zu", "%zu", False),
    ("c", "%s", "%1$s %2$s", True),  # two arguments for a one-argument string
    ("c", "%s#", "#s%", True),  # reversed by a right-to-left editor
    ("c", "%*d", "%*d", False),
    ("c", "%*d", "%d", True),
    ("python", "%(a)s %(b)s", "%(b)s %(a)s", False),
    ("python", "%(a)s", "%(a)d", True),
    ("python", "%s", "%r", False),
    ("python-brace", "{0} of {total}", "{total} از {0}", False),
    ("python-brace", "{0:>{width}}", "{0:>{width}}", False),
    ("python-brace", "{{literal}} {0}", "{{لفظی}} {0}", False),
    ("qt", "%1 of %2", "%2 از %1", False),
    ("qt", "%1 of %2", "%1 از %1", True),
    ("sh", "${SIZE}", "${اندازه}", True),
    (LOOSE, "%a %e %b", "%a %Oe %b", False),
    (LOOSE, "%a %Oe %b", "%a %%Oe %b", True),
    (LOOSE, "{0} files", "{0} فایل", False),
    (LOOSE, "${SIZE}", "${اندازه}", True),
]


@pytest.mark.parametrize(("fmt", "msgid", "msgstr", "problem"), FORMAT_CASES)
def test_a_placeholder_is_what_the_format_says(fmt, msgid, msgstr, problem):
    assert bool(compare(fmt, msgid, msgstr)) == problem


def test_format_flags_decide_the_format():
    assert formats_of(["fuzzy", "c-format"]) == ["c"]
    assert formats_of(["possible-python-format"]) == ["python"]
    assert formats_of(["c-format", "no-c-format"]) == [LOOSE]
    assert formats_of(["no-c-format"]) == [LOOSE]
    assert formats_of(["lisp-format"]) == []  # a format not read here is not guessed at
    assert formats_of([]) == [LOOSE]


# --------------------------------------------------------------------------- plural entries


def plural(msgstrs: list[str], flags=("c-format",)) -> polib.POEntry:
    return polib.POEntry(
        msgid="One file", msgid_plural="%d files", flags=list(flags),
        msgstr_plural=dict(enumerate(msgstrs)), occurrences=[("src/files.c", "70")],
    )  # fmt: skip


def test_each_plural_form_is_checked_against_msgid_plural():
    found = check_entry(plural(["یوه دوتنه", "دوتنې"]), language("ps"), NO_TERMS)
    assert [(f.check, f.message) for f in found] == [
        ("placeholders", "msgstr[1]: placeholder '%d' is missing")
    ]


def test_a_form_for_one_number_may_leave_the_number_out():
    assert check_entry(plural(["یوه دوتنه", "%d دوتنې"]), language("ps"), NO_TERMS) == []


def test_a_form_for_many_numbers_may_not():
    everything = "nplurals=2; plural=(n < 10 ? 0 : 1);"  # form 0 for 0…9
    found = check_entry(
        plural(["یوه دوتنه", "%d دوتنې"]), language("ps"), NO_TERMS, None, everything
    )
    assert [f.message for f in found] == ["msgstr[0]: placeholder '%d' is missing"]


def test_a_problem_of_every_form_is_reported_once_naming_them():
    entry = plural(["كتاب", "كتابونه %d"])
    found = check_entry(entry, language("ps"), NO_TERMS, ["letters"])
    assert [f.message for f in found] == [
        "msgstr[0], msgstr[1]: ك (U+0643) is not used in Pashto; write ک"
    ]


def test_numbers_in_a_plural_form_are_compared_with_msgid_plural():
    entry = polib.POEntry(
        msgid="%d file in 2024", msgid_plural="%d files in 2024", flags=["c-format"],
        msgstr_plural={0: "%d فایل در ۲۰۲۴", 1: "%d فایل در ۲۰۲۳"},
    )  # fmt: skip
    found = check_entry(entry, language("fa_AF"), NO_TERMS, ["numbers"])
    assert [f.message for f in found] == ["msgstr[1]: number 2024 is missing (in any digits)"]


# --------------------------------------------------------------------------- what stays


def test_the_brief_catalogs_keep_their_findings(tmp_path):
    """Findings on the brief's own catalogs do not change with the loose-file rules."""
    from conftest import REPO

    result = subprocess.run(
        ["l10n", "check", "--json"], cwd=REPO, capture_output=True, text=True, check=False
    )
    own = json.loads(result.stdout)
    assert all(f["severity"] != "error" for f in own)


def test_a_catalog_is_markdown_when_l10n_wrote_it_or_its_references_say_so():
    from l10n.catalog import from_markdown, markdown_catalog

    from conftest import REPO

    own = polib.pofile(str(REPO / "locales" / "ur" / "a-road-untraveled.po"))
    assert markdown_catalog(own) is True
    del own.metadata["X-Generator"]  # saved by another editor: its references still say
    assert markdown_catalog(own) is None and all(from_markdown(e) for e in own)
    stripped = polib.pofile(str(CHECKS / "false-alarms.fa.po"))
    assert markdown_catalog(stripped) is False
    gnome_like = polib.pofile(str(CHECKS / "defects.ps.po"))
    assert markdown_catalog(gnome_like) is None
    assert [e.msgid for e in gnome_like if from_markdown(e)] == [
        "See the [manual](https://example.org/manual)."
    ]


def test_a_string_without_markup_characters_reads_as_markdown_it_reads_it(monkeypatch):
    """`read_inline` skips markdown-it for words-only strings; the spans are the same."""
    import l10n.inline as inline

    texts = {e.msgid for path in FALSE_ALARMS + DEFECTS for e in entries(path)}
    texts |= {"See www.usip.org and info@fes.de or afghanistan.fes.de.", "Plain words 1,300."}
    plain = [t for t in texts if not inline._RULE_STARTS.search(t)]
    assert len(plain) >= 20
    fast = [inline.read_inline.__wrapped__(t) for t in plain]
    monkeypatch.setattr(inline, "_RULE_STARTS", re.compile(r"[\s\S]"))  # always markdown-it
    assert [inline.read_inline.__wrapped__(t) for t in plain] == fast
    assert any(r.spans for r in fast)  # control: the bare URLs and addresses are found


def test_digits_inside_placeholders_are_not_numbers_of_the_text():
    """`%5.1f` → `%I.1f` and `{0:>8}` → `{0}` change no number a reader sees."""
    cases = [("%5.1f%% done", "%I.1f%% انجام شد", "c-format"),
             ("{0:>8} files", "{0} فایل", "python-brace-format")]  # fmt: skip
    for msgid, msgstr, flag in cases:
        entry = polib.POEntry(msgid=msgid, msgstr=msgstr, flags=[flag], occurrences=[("a.c", "9")])
        assert check_entry(entry, language("fa_AF"), NO_TERMS, ["numbers"]) == []
        entry.flags = []  # control: read loosely, `{0:>8}` is no placeholder and 8 is lost
        lost = check_entry(entry, language("fa_AF"), NO_TERMS, ["numbers"])
        assert bool(lost) == (flag == "python-brace-format")


def test_a_url_in_typographic_quotes_ends_before_the_quote():
    from l10n.inline import read_inline

    assert read_inline("see “https://example.org/x” or «www.fes.de»").urls == {
        "https://example.org/x": 1, "www.fes.de": 1
    }  # fmt: skip
