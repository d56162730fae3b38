"""Editors publish: finished translations go in, unfinished ones follow the policy."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from l10n.cli import app
from l10n.config import load_config
from l10n.errors import L10nError
from l10n.pipeline import extract, publish, update
from l10n.project import Project
from l10n.publishing.editions import IncompleteEdition, Policy

from conftest import start_project
from markup import tag_sequence

SOURCE = """\
# Border trade

Trade passes through **Torkham**[^1] and [Chaman](https://example.org/chaman).

- Reopen the crossings.
- Lower the fees.

[^1]: The busiest crossing.
"""

PS = {
    "Border trade": "د پولې سوداګري",
    "Trade passes through **Torkham**[^1] and [Chaman](https://example.org/chaman).": (
        "سوداګري د **تورخم**[^1] او [چمن](https://example.org/chaman) له لارې کېږي."
    ),
    "Reopen the crossings.": "لارې بېرته پرانیزئ.",
}


def prepare(project: Path, translations: dict[str, str], fuzzy: set[str] = frozenset()) -> Project:
    start_project(project, SOURCE)
    path = project / "locales" / "ps" / "brief.po"
    catalog = polib.pofile(str(path))
    for msgid, msgstr in translations.items():
        entry = catalog.find(msgid)
        entry.msgstr = msgstr
        if msgid in fuzzy:
            entry.flags.append("fuzzy")
    catalog.save()
    return Project(load_config(project))


def edition(project: Path) -> str:
    return (project / "dist" / "ps" / "brief.md").read_text(encoding="utf-8")


def test_translated_entries_are_published_and_the_rest_stays_in_english(project):
    p = prepare(project, PS)
    report = publish(p, languages=["ps"])
    text = edition(project)
    assert "# د پولې سوداګري\n" in text
    assert "- لارې بېرته پرانیزئ.\n- Lower the fees.\n" in text
    assert "[^1]: The busiest crossing." in text
    assert tag_sequence(text) == tag_sequence(SOURCE)
    assert report.editions[0].edition.translated == 3
    assert report.editions[0].edition.source_fallback == 2


def test_drafts_are_left_out_by_default_and_used_with_drafts(project):
    p = prepare(project, PS, fuzzy={"Border trade"})
    publish(p, languages=["ps"])
    assert "# Border trade\n" in edition(project)
    publish(p, languages=["ps"], policy=Policy.DRAFTS)
    assert "# د پولې سوداګري\n" in edition(project)


def test_strict_refuses_and_lists_every_unfinished_entry_with_its_line(project):
    p = prepare(project, PS, fuzzy={"Border trade"})
    with pytest.raises(IncompleteEdition) as failure:
        publish(p, languages=["ps"], policy=Policy.STRICT)
    message = str(failure.value)
    assert "5 entries are not finished" in message  # one draft, two untranslated, two unreviewed
    assert "locales/ps/brief.po:" in message and "draft (fuzzy)" in message
    assert message.count("untranslated") == 2 and message.count("translated, not reviewed") == 2
    assert not (project / "dist" / "ps" / "brief.md").exists()


def test_a_translation_that_would_break_the_structure_is_reported_and_not_published(project):
    broken = dict(PS)
    broken["Border trade"] = "د پولې\n\nسوداګري"  # a blank line would split the heading
    broken["Reopen the crossings."] = "# لارې"  # would turn the list item into a heading
    p = prepare(project, broken)
    report = publish(p, languages=["ps"])
    messages = [str(problem) for problem in report.problems]
    assert any("a heading must stay on one line" in m for m in messages)
    assert any("would be read as heading" in m for m in messages)
    text = edition(project)
    assert "# Border trade\n" in text and "- Reopen the crossings.\n" in text
    assert tag_sequence(text) == tag_sequence(SOURCE)


def test_a_translator_may_add_markdown_inside_a_block(project):
    p = prepare(project, {"Reopen the crossings.": "لارې *ژر* بېرته پرانیزئ."})
    publish(p, languages=["ps"])
    assert "لارې *ژر* بېرته پرانیزئ." in edition(project)
    assert tag_sequence(edition(project)).count("em") == 1


def test_a_catalog_older_than_the_source_is_refused_with_a_pointer_to_update(project):
    p = prepare(project, PS)
    (project / "source" / "brief.md").write_text(SOURCE + "\nA new paragraph.\n", "utf-8")
    with pytest.raises(L10nError) as failure:
        publish(Project(load_config(project)), languages=["ps"])
    assert "locales/ps/brief.po" in str(failure.value)
    assert "source/brief.md:10" in str(failure.value)
    assert "l10n update" in str(failure.value)
    assert p.config.root == project


@pytest.mark.slow  # the default formats include PDF: four editions through WeasyPrint
def test_l10n_build_runs_every_stage_from_the_command_line(project):
    (project / "source" / "brief.md").write_text(SOURCE, encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "-C", str(project)])
    assert result.exit_code == 0, result.output
    for lang in ("ps", "fa_AF", "ur"):
        assert (project / "locales" / lang / "brief.po").is_file()
        assert (project / "dist" / lang / "brief.md").read_text("utf-8") == SOURCE


def test_publish_reuses_the_parsed_source_and_notices_when_it_changes(project):
    p = prepare(project, PS)
    publish(p, languages=["ps"])
    cache = project / ".l10n-cache" / "brief.json"
    assert cache.is_file()
    edited = SOURCE.replace("Lower the fees.", "Lower the transit fees.")
    (project / "source" / "brief.md").write_text(edited, encoding="utf-8")
    fresh = Project(load_config(project))
    extract(fresh)
    update(fresh)
    publish(Project(load_config(project)), languages=["ps"])
    assert "- Lower the transit fees.\n" in edition(project)
    cache.write_text("{not json", encoding="utf-8")  # a damaged cache costs only a parse
    publish(Project(load_config(project)), languages=["ps"])
    assert "- Lower the transit fees.\n" in edition(project)
