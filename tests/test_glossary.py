"""Terminology: translators see the approved term, and the check holds them to it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest
import yaml

from l10n.config import load_config
from l10n.document import parse_document
from l10n.errors import L10nError
from l10n.glossary import (
    check_translation,
    contains_rendering,
    dump_glossary,
    glossary_from_data,
    load_glossary,
    mask_markup,
)
from l10n.pipeline import extract, update
from l10n.project import Project

from conftest import BRIEF, REPO

TERMS = {
    "terms": [
        {
            "id": "durand-line",
            "term": "Durand Line",
            "pos": "proper noun",
            "translations": {
                "ps": {"term": "د ډیورنډ کرښه", "variants": ["ډیورنډ کرښه"], "status": "approved"},
                "fa_AF": {"term": "خط دیورند", "status": "approved"},
                "ur": {"term": "ڈیورنڈ لائن", "status": "approved"},
            },
        },
        {"id": "islamic-state", "term": "Islamic State", "pos": "proper noun",
         "translations": {"ps": {"term": "اسلامي دولت"}}},
        {"id": "is-kp-full", "term": "Islamic State-Khorasan Province", "pos": "proper noun",
         "translations": {"ps": {"term": "د اسلامي دولت د خراسان ولایت"}}},
        {"id": "is-kp", "term": "IS-KP", "variants": ["ISKP"], "pos": "acronym",
         "case_sensitive": True, "expand_first_use": True, "expansion": "is-kp-full",
         "translations": {"ps": {"term": "داعش خراسان"}, "ur": {"term": "داعش خراسان"}}},
        {"id": "tap", "term": "TAP", "pos": "acronym", "case_sensitive": True,
         "do_not_translate": True},
        {"id": "casa-1000", "term": "CASA-1000", "pos": "proper noun", "do_not_translate": True},
        {"id": "refugee", "term": "refugee", "pos": "noun",
         "translations": {"fa_AF": {"term": "مهاجر", "forbidden": ["پناهنده"],
                                    "status": "approved"}}},
        {"id": "pashtun", "term": "Pashtun", "pos": "proper noun",
         "translations": {"ur": {"term": "پشتون"}}},
        {"id": "police", "term": "police", "pos": "noun",
         "translations": {"fa_AF": {"term": "پولیس", "forbidden": ["پلیس"], "status": "approved"}}},
        {"id": "strategic-depth", "term": "strategic depth", "pos": "phrase",
         "translations": {"fa_AF": {"term": "عمق استراتژیک", "status": "approved"}}},
    ]
}  # fmt: skip
GLOSSARY = glossary_from_data(TERMS, "test")


def found(text: str) -> list[tuple[str, str]]:
    return [(m.term.id, m.text) for m in GLOSSARY.find(text)]


# --------------------------------------------------------------------- matching


def test_terms_are_found_through_case_plurals_possessives_and_dashes():
    assert found("the durand line's length") == [("durand-line", "durand line's")]
    assert found("Durand-Line and Durand–Line") == [
        ("durand-line", "Durand-Line"),
        ("durand-line", "Durand–Line"),
    ]
    assert found("Afghan refugees and Pashtuns") == [
        ("refugee", "refugees"),
        ("pashtun", "Pashtuns"),
    ]
    assert found("ISKP and IS-KP's recruits") == [("is-kp", "ISKP"), ("is-kp", "IS-KP's")]


def test_the_longest_term_wins():
    assert found(
        "the Islamic State-Khorasan Province (IS-KP), an affiliate of the Islamic State"
    ) == [
        ("is-kp-full", "Islamic State-Khorasan Province"),
        ("is-kp", "IS-KP"),
        ("islamic-state", "Islamic State"),
    ]


def test_case_sensitive_acronyms_do_not_match_ordinary_words():
    assert found("tap water near the TAP pipeline; is-kp") == [("tap", "TAP")]


def test_terms_inside_urls_code_link_destinations_and_footnote_labels_are_ignored():
    text = (
        "See [the map](https://example.org/durand-line), `Durand Line`, "
        "<https://example.org/refugees>, www.example.org/pashtun and note[^durand-line]."
    )
    assert found(text) == []
    assert found("[Durand Line](https://example.org/x)") == [("durand-line", "Durand Line")]


def test_the_brief_is_covered_by_its_glossary():
    glossary = load_glossary(REPO / "glossary.yaml")
    doc = parse_document(BRIEF.read_text(encoding="utf-8"))
    terms = {m.term.id for seg in doc.segments for m in glossary.find(seg.msgid)}
    for required in ("durand-line", "taliban", "haqqani-network", "casa-1000", "tapi"):
        assert required in terms
    assert len(terms) >= 40


def test_the_brief_glossary_has_three_languages_all_proposed():
    glossary = load_glossary(REPO / "glossary.yaml")
    assert len(glossary.terms) >= 40
    for term in glossary.terms:
        assert set(term.translations) == {"ps", "fa_AF", "ur"}, term.id
        assert {r.status for r in term.translations.values()} == {"proposed"}, term.id


# --------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.append(dict(t[0])), "term 'durand-line': id already used by entry 1"),
        (lambda t: t[0].update(pos="thing"), "term 'durand-line': pos must be one of"),
        (lambda t: t[0]["translations"]["ps"].update(status="done"), "status must be one of"),
        (lambda t: t[0]["translations"].update(xx={"term": "x"}), "unknown language 'xx'"),
        (lambda t: t[3].update(expansion="nowhere"), "expansion 'nowhere' is not a term id"),
        (lambda t: t[0]["translations"]["ur"].pop("term"), "translations.ur: 'term' is missing"),
        (lambda t: t[1].update(colour="red"), "unknown field(s): colour"),
    ],
)
def test_a_bad_entry_is_named_with_its_line(tmp_path, change, message):
    data = yaml.safe_load(yaml.safe_dump(TERMS))
    change(data["terms"])
    path = tmp_path / "glossary.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    with pytest.raises(L10nError) as failure:
        load_glossary(path)
    assert message in str(failure.value)
    assert str(failure.value).startswith("glossary.yaml:")


def test_the_glossary_survives_being_written_and_read_again(tmp_path):
    path = tmp_path / "glossary.yaml"
    path.write_text(dump_glossary(GLOSSARY), "utf-8")
    assert load_glossary(path) == GLOSSARY


# --------------------------------------------------------------------- hints


SOURCE = "# The Durand Line\n\nRefugees crossed the Durand Line near CASA-1000 sites.\n"


def hinted(project: Path, lang: str) -> dict[str, list[str]]:
    catalog = polib.pofile(str(project / "locales" / lang / "brief.po"))
    return {
        e.msgid: [line for line in e.comment.split("\n") if line.startswith("glossary:")]
        for e in catalog
    }


def setup_project(project: Path, terms: dict = TERMS) -> Project:
    (project / "glossary.yaml").write_text(yaml.safe_dump(terms, allow_unicode=True), "utf-8")
    (project / "source" / "brief.md").write_text(SOURCE, encoding="utf-8")
    p = Project(load_config(project))
    extract(p)
    update(p)
    return p


def test_each_language_sees_only_its_own_rendering_of_each_term(project):
    setup_project(project)
    paragraph = "Refugees crossed the Durand Line near CASA-1000 sites."
    assert hinted(project, "ps")[paragraph] == [
        "glossary: refugee → (no ps translation yet)",
        "glossary: Durand Line → د ډیورنډ کرښه (approved)",
        "glossary: CASA-1000 → CASA-1000 (do not translate)",
    ]
    assert hinted(project, "fa_AF")[paragraph][:2] == [
        "glossary: refugee → مهاجر (approved); not: پناهنده",
        "glossary: Durand Line → خط دیورند (approved)",
    ]
    assert hinted(project, "ur")["The Durand Line"] == [
        "glossary: Durand Line → ڈیورنڈ لائن (approved)"
    ]


def test_hints_follow_the_glossary_and_are_never_duplicated(project):
    setup_project(project)
    changed = yaml.safe_load(yaml.safe_dump(TERMS))
    changed["terms"][0]["translations"]["ur"]["term"] = "ڈیورنڈ لکیر"
    setup_project(project, changed)
    setup_project(project, changed)
    assert hinted(project, "ur")["The Durand Line"] == [
        "glossary: Durand Line → ڈیورنڈ لکیر (approved)"
    ]
    comment = (
        polib.pofile(str(project / "locales" / "ur" / "brief.po")).find("The Durand Line").comment
    )
    assert comment.split("\n") == ["heading 1", "glossary: Durand Line → ڈیورنڈ لکیر (approved)"]


def test_hints_come_back_after_msgmerge_replaced_them(project):
    setup_project(project)
    po = project / "locales" / "ps" / "brief.po"
    pot = project / "locales" / "brief.pot"
    subprocess.run(
        ["msgmerge", "--quiet", "--update", "--backup=none", str(po), str(pot)], check=True
    )
    assert hinted(project, "ps")["The Durand Line"] == []
    update(Project(load_config(project)))
    assert hinted(project, "ps")["The Durand Line"] == [
        "glossary: Durand Line → د ډیورنډ کرښه (approved)"
    ]
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)


# --------------------------------------------------------------------- the check


def problems(lang: str, source: str, translation: str) -> list[tuple[str, str]]:
    return [(p.severity, p.term.id) for p in check_translation(GLOSSARY, lang, source, translation)]


@pytest.mark.parametrize(
    ("lang", "translation"),
    [
        ("ps", "د ډیورنډ کرښې دواړو خواوو ته"),  # oblique ending ې instead of ه
        ("ps", "ډیورنډ کرښه"),  # an allowed variant
        ("fa_AF", "در امتداد خط ديورند"),  # Arabic ي typed for Persian ی
        ("ur", "ڈیورنڈ لائن کے دونوں جانب"),
    ],
)
def test_the_approved_rendering_is_recognised_in_context(lang, translation):
    assert problems(lang, "along the Durand Line", translation) == []


@pytest.mark.parametrize(
    ("lang", "translation"),
    [
        ("ps", "د پولې دواړو خواوو ته"),
        ("fa_AF", "در امتداد مرز"),
        ("ur", "سرحد کے دونوں جانب"),
    ],
)
def test_a_missing_approved_rendering_is_an_error(lang, translation):
    assert problems(lang, "along the Durand Line", translation) == [("error", "durand-line")]


def test_a_proposed_rendering_is_only_a_warning():
    assert problems("ur", "the Pashtun tribes", "قبائل") == [("warning", "pashtun")]


def test_forbidden_iranian_forms_are_errors_in_dari():
    assert problems("fa_AF", "the police", "پلیس") == [("error", "police"), ("error", "police")]
    assert problems("fa_AF", "refugees", "پناهنده‌ها") == [
        ("error", "refugee"),
        ("error", "refugee"),
    ]
    assert problems("fa_AF", "refugees", "مهاجرین") == []


def test_do_not_translate_terms_must_stay_in_latin_script():
    assert problems("ur", "the CASA-1000 line", "CASA-1000 لائن") == []
    assert problems("ps", "the CASA-1000 line", "کاسا لاین") == [("error", "casa-1000")]
    assert problems("fa_AF", "TAP and TAPI", "TAP و تاپی") == []


def test_folding_spelling_variants_never_confuses_distinct_words():
    assert contains_rendering("عمق استراتژيك", "عمق استراتژیک")  # ي/ك typed
    assert contains_rendering("خط‌دیورند", "خط دیورند")  # ZWNJ instead of a space
    assert not contains_rendering("فوری", "فوریه", lenient=False)


def test_a_rendering_with_digits_matches_in_any_digit_set():
    assert contains_rendering("کاسا-۱۰۰۰ منصوبہ", "کاسا-1000")
    assert contains_rendering("کاسا-1000 منصوبہ", "کاسا-۱۰۰۰")


def test_the_quick_word_test_never_hides_a_term_the_full_matcher_finds():
    """`find` skips the matcher for texts none of whose words starts like a form; the
    brief and the shapes a form can take (plurals in -ies, no separator, dotted
    acronyms) must give exactly what the matcher alone gives."""
    spy = glossary_from_data(
        {"terms": [*TERMS["terms"], {"id": "spy", "term": "spy", "pos": "noun"}]}, "test"
    )
    texts = [entry.msgid for entry in parse_document(BRIEF.read_text("utf-8"), "brief").segments]
    texts += ["two spies", "ISKP", "DurandLine", "durand-lines'", "U.S. refugees", "nothing"]
    for glossary in (load_glossary(REPO / "glossary.yaml"), GLOSSARY, spy):
        pattern, groups = glossary._matcher
        for text in texts:
            alone = [(groups[m.lastgroup], m.start()) for m in pattern.finditer(mask_markup(text))]
            assert [(m.term, m.start) for m in glossary.find(text)] == alone, text
    assert [m.text for m in spy.find("two spies")] == ["spies"]
    assert spy._starts is not None and "sp" in spy._starts[0]  # control: the test did run
