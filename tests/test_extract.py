"""A translator opens the template: one readable entry per block, nothing they must not touch."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib

from l10n.config import load_config
from l10n.pipeline import extract
from l10n.project import Project

from conftest import BRIEF

SAMPLE = """\
---
title: "Trade across the Durand Line"
date: 2021-12-01
lang: en
authors:
  - Maryam Jami
---
# Transit trade

Afghanistan relies on its neighbours
for the smooth transit of *trade*[^1] through
[Karachi](https://example.org/karachi "Port of Karachi").

- Reopen the Torkham crossing.
- Reopen the Torkham crossing.

> A quoted paragraph.

| Route | Days |
|-------|------|
| Torkham \\| Chaman | 3 |

![Map of the crossing](map.png)

```python
print("never translated")
```

<div class="note">raw HTML is never translated</div>

[ref]: https://example.org/ref "A reference title"

[^1]: A footnote body with `code`.
"""


def extract_sample(project: Path, text: str = SAMPLE) -> polib.POFile:
    (project / "source" / "brief.md").write_text(text, encoding="utf-8")
    extract(Project(load_config(project)))
    return polib.pofile(str(project / "locales" / "brief.pot"))


def test_each_translatable_block_is_one_entry_with_its_kind_and_line(project):
    pot = extract_sample(project)
    found = {e.msgid: (e.comment, e.occurrences) for e in pot}
    assert found["Trade across the Durand Line"] == (
        "front matter: title",
        [("source/brief.md", "2")],
    )
    assert found["Maryam Jami"][0] == "front matter: authors"
    assert found["Transit trade"] == ("heading 1", [("source/brief.md", "8")])
    assert found["A quoted paragraph."][0] == "block quote"
    assert found["Route"][0] == "table header cell"
    assert found["Torkham \\| Chaman"][0] == "table cell"
    assert found["Map of the crossing"][0] == "image alt text"
    assert found["A footnote body with `code`."][0] == "footnote [^1]"


def test_a_paragraph_after_a_footnote_definition_is_a_plain_paragraph(project):
    pot = extract_sample(project, "Text[^a].\n\n[^a]: The note.\n\nAfter the note.\n\n- item\n")
    assert [(e.msgid, e.comment) for e in pot] == [
        ("Text[^a].", "paragraph"),
        ("The note.", "footnote [^a]"),
        ("After the note.", "paragraph"),
        ("item", "list item"),
    ]


def test_soft_line_breaks_are_joined_and_inline_markup_stays_visible(project):
    pot = extract_sample(project)
    assert (
        "Afghanistan relies on its neighbours for the smooth transit of *trade*[^1] through "
        '[Karachi](https://example.org/karachi "Port of Karachi").'
    ) in [e.msgid for e in pot]


def test_code_html_definitions_and_non_text_front_matter_never_reach_translators(project):
    pot = extract_sample(project)
    text = "\n".join(e.msgid for e in pot)
    for hidden in ("never translated", "raw HTML", "[^1]:", "[ref]:", "2021-12-01", "lang", "en\n"):
        assert hidden not in text


def test_identical_blocks_share_one_entry_with_both_references(project):
    pot = extract_sample(project)
    entry = pot.find("Reopen the Torkham crossing.")
    assert entry.occurrences == [("source/brief.md", "14"), ("source/brief.md", "15")]
    assert entry.comment == "list item"


def test_extraction_is_deterministic_and_does_not_rewrite_an_unchanged_template(project):
    extract_sample(project)
    pot = project / "locales" / "brief.pot"
    first = pot.read_bytes()
    stamp = pot.stat().st_mtime_ns
    results = extract(Project(load_config(project)))
    assert pot.read_bytes() == first
    assert pot.stat().st_mtime_ns == stamp
    assert results[0].changed is False


def test_the_template_passes_msgfmt_check(project):
    extract_sample(project)
    shutil.copy(BRIEF, project / "source" / "brief2.md")
    extract(Project(load_config(project)))
    for pot in (project / "locales").glob("*.pot"):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(pot)], check=True)


def test_documents_in_subfolders_get_templates_in_matching_subfolders(project):
    (project / "source" / "series").mkdir()
    (project / "source" / "series" / "kabul.md").write_text("# Kabul\n", encoding="utf-8")
    extract(Project(load_config(project)))
    pot = polib.pofile(str(project / "locales" / "series" / "kabul.pot"))
    assert [e.msgid for e in pot] == ["Kabul"]
    assert pot[0].occurrences == [("source/series/kabul.md", "1")]


def test_line_breaks_inside_markup_are_kept_where_joining_would_change_the_meaning(project):
    text = (
        "Wrapped prose with `code` and <https://example.org>\nis joined.\n\n"
        "[map](<maps/torkham\ncrossing.png>) is no link.\n"
    )
    pot = extract_sample(project, text)
    assert [e.msgid for e in pot] == [
        "Wrapped prose with `code` and <https://example.org> is joined.",
        "[map](<maps/torkham\ncrossing.png>) is no link.",
    ]
