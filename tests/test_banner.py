"""The banner and the status line tell readers who wrote what they read, as the catalog says.

Real catalogs, made by `extract` and `update`, whose entries carry the
provenance the tools write (`comments`: a machine draft's stamp, a memory
fill, a translator's own remark, a review); the edition is built and printed
as `l10n publish` does, and its words are read back from the HTML and, for
Pashto, from the PDF.  The counts must be those of `l10n status`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import polib
import pytest

from l10n.comments import MemoryFill, Notes, Provenance, set_fuzzy
from l10n.config import load_config
from l10n.project import Project
from l10n.publishing.editions import EditionStatus, Policy, build_edition
from l10n.publishing.html import phrases, render_html
from l10n.review import State, mark_reviewed
from l10n.status import catalog_status

from conftest import BRIEF, start_project

SOURCE = "\n\n".join(f"Paragraph number {word} of the brief." for word in "ABCDEFG") + "\n"
DAY = date(2026, 12, 1)
ENGLISH = phrases()["en"].banner


def machine(entry: polib.POEntry, text: str) -> None:
    entry.msgstr = text
    set_fuzzy(entry)
    Notes.of(entry).plus(Provenance.of("argos translate-en_ps 1.0", text, DAY)).save(entry)


def from_memory(entry: polib.POEntry, text: str) -> None:
    entry.msgstr = text
    set_fuzzy(entry)
    Notes.of(entry).plus(MemoryFill.of(92, "other-brief")).save(entry)


def by_translator(entry: polib.POEntry, text: str) -> None:
    entry.msgstr = text
    set_fuzzy(entry)
    entry.tcomment = "draft-by: l10n team, hand-written first draft, not reviewed (2026-11-29)"


def translated(entry: polib.POEntry, text: str) -> None:
    entry.msgstr = text


def reviewed(entry: polib.POEntry, text: str) -> None:
    entry.msgstr = text
    mark_reviewed(entry, "Reviewer", DAY)


def untouched(entry: polib.POEntry, text: str) -> None:
    pass


def catalog(project: Path, lang: str, writers) -> tuple[Project, polib.POFile]:
    """The project's catalog with entry n written by writers[n] (in Pashto words)."""
    started = start_project(project, SOURCE)
    path = started.catalog_path(started.documents()[0], lang)
    po = polib.pofile(str(path))
    for number, (entry, write) in enumerate(zip(po, writers, strict=True)):
        write(entry, f"د لنډیز {number + 1} پاراګراف.")
    po.save()
    return started, polib.pofile(str(path))


def edition(started: Project, po: polib.POFile, lang: str, policy=Policy.DRAFTS):
    doc = started.parse(started.documents()[0])
    built = build_edition(doc, po, "brief.po", policy)
    return built.status, render_html(built.text, lang, status=built.status, source_label="x")


def banner(html: str) -> list[str]:
    """The banner's two lines (the edition's language, English), as printed."""
    aside = re.search(r'<aside class="draft-banner"[^>]*>(.*?)</aside>', html, re.S)
    return [] if aside is None else re.findall(r"<p[^>]*>(.*?)</p>", aside.group(1))


def status_line(html: str) -> str:
    found = re.search(r'<p class="status">(.*?)</p>', html, re.S)
    assert found
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_each_kind_of_unfinished_text_is_named_and_counted_as_l10n_status_counts_it(project):
    writers = [reviewed, translated, machine, from_memory, by_translator, untouched, machine]
    started, po = catalog(project, "ps", writers)
    status, html = edition(started, po, "ps")
    assert (status.reviewed, status.unreviewed, status.machine, status.memory) == (1, 1, 2, 1)
    assert (status.by_translators, status.untranslated, status.total) == (1, 1, 7)
    native, english = banner(html)
    pashto = phrases()["ps"].banner
    assert english.split(" · ") == [ENGLISH[k] for k in ENGLISH]
    assert native.split(" · ") == [pashto[k] for k in ENGLISH]
    counted = catalog_status(po, "brief.po", "brief", "ps").entries
    assert counted[State.DRAFT] == status.machine + status.memory + status.by_translators
    assert counted[State.REVIEWED] == status.reviewed
    assert counted[State.TRANSLATED] == status.unreviewed
    assert counted[State.UNTRANSLATED] == status.untranslated
    assert sum(counted.values()) == status.total
    assert status_line(html).startswith("د ژباړې حالت: ۷ برخې: ۱ کتل شوې، ۱ ژباړل شوې")


def test_a_machine_draft_a_translator_edited_is_the_translators_and_the_banner_says_so(project):
    started, po = catalog(project, "ps", [machine] * 7)
    status, html = edition(started, po, "ps")
    assert banner(html)[1] == ENGLISH["machine"] and status.machine == 7
    for entry in po:  # a translator rewrites each draft; the stamp no longer matches
        entry.msgstr = entry.msgstr.replace("پاراګراف", "برخه")
    status, html = edition(started, po, "ps")
    assert banner(html)[1] == ENGLISH["translators"]
    assert (status.machine, status.by_translators) == (0, 7)


def test_drafts_left_out_are_said_to_be_in_english_and_still_counted_as_drafts(project):
    started, po = catalog(project, "ps", [by_translator] * 6 + [reviewed])
    status, html = edition(started, po, "ps", Policy.DEFAULT)
    assert (status.drafts, status.held_back, status.untranslated) == (0, 6, 6)
    assert banner(html)[1] == ENGLISH["source"]
    assert "۶ مسودې نه دي چاپ شوې" in status_line(html)
    assert catalog_status(po, "brief.po", "brief", "ps").entries[State.DRAFT] == 6


def test_a_reviewed_edition_has_no_banner(project):
    started, po = catalog(project, "ps", [reviewed] * 7)
    status, html = edition(started, po, "ps")
    assert status.is_final and banner(html) == [] and "<aside" not in html


@pytest.mark.parametrize("lang", ["ps", "fa_AF", "ur"])
def test_the_brief_says_its_drafts_were_written_by_translators_and_counts_as_status_does(lang):
    """The brief's catalogs: hand-written drafts, no engine ran, nothing reviewed yet."""
    started = Project(load_config(BRIEF.parent.parent))
    doc = started.documents()[0]
    po = polib.pofile(str(started.catalog_path(doc, lang)))
    built = build_edition(started.parse(doc), po, "brief.po", Policy.DRAFTS)
    html = render_html(built.text, lang, status=built.status, source_label=doc.label)
    native, english = banner(html)
    assert (
        english == ENGLISH["translators"]
        and "machine" not in html.split("</head>")[1].split("<main>")[0]
    )
    assert native == phrases()[lang].banner["translators"]
    counted = catalog_status(po, "x", "x", lang).entries
    assert built.status.total == sum(counted.values()) == 84
    assert built.status.by_translators == counted[State.DRAFT] == 84
    assert "source/" not in html and doc.label not in html  # no file paths in an edition
    if lang == "fa_AF":
        assert "مسوده" in native and "پیش‌نویس" not in html


def test_the_printed_banner_reads_the_same(project, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("needs Debian's poppler-utils")
    from l10n.publishing.pdf import render_pdf

    started, po = catalog(project, "ps", [by_translator] * 7)
    status, html = edition(started, po, "ps")
    pdf = tmp_path / "ps.pdf"
    pdf.write_bytes(render_pdf(html))
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True)
    printed = " ".join(re.sub("[\u200e\u200f\u202a-\u202e]", "", text.stdout).split())
    assert ENGLISH["translators"] in printed and ENGLISH["machine"] not in printed
    for word in phrases()["ps"].banner["translators"].split():
        assert word.strip("،") in printed  # pdftotext moves the comma to the other side
    assert isinstance(status, EditionStatus)
