"""Reviewers see what changed between two versions of a catalog, entry by entry."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from l10n import cli
from l10n.cli.diff_view import print_diffs
from l10n.diff import (
    diff_catalogs,
    html_report,
    load_version,
    one_side,
    plan_diff,
    run_plan,
    textconv,
    textconv_file,
    tokens,
    word_diff,
)
from l10n.errors import L10nError
from l10n.pofile import parse_po

from browser import needs_chromium, painted_extent, screenshot
from conftest import FIXTURES

DIFF = FIXTURES / "diff"
V1, V2 = DIFF / "brief.ur.v1.po", DIFF / "brief.ur.v2.po"  # v2: re-wrapped, reordered, reviewed


def catalog(lang: str, *entries: str) -> polib.POFile:
    """A catalog from PO entry snippets, read by our strict reader."""
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    header += f'"Language: {lang}\\n"\n'
    return parse_po("\n".join([header, *entries]), f"{lang}.po")


def kinds(diff) -> list[tuple[str, str]]:
    return [(c.kind, c.msgid) for c in diff.changes]


def git(repo: Path, *args: str) -> str:
    ident = ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    done = subprocess.run(
        ["git", *ident, *args], cwd=repo, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose Urdu catalog went v1 → v2 in two commits, tagged."""
    catalog_path = tmp_path / "locales" / "ur" / "brief.po"
    catalog_path.parent.mkdir(parents=True)
    git(tmp_path, "init", "-q")
    shutil.copy(V1, catalog_path)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "Urdu v1")
    git(tmp_path, "tag", "v1")
    shutil.copy(V2, catalog_path)
    git(tmp_path, "commit", "-qam", "Urdu v2")
    git(tmp_path, "tag", "v2")
    return tmp_path


# --------------------------------------------------------------------------- matching


def test_a_reviewer_sees_every_kind_of_change_though_entries_moved_and_were_rewrapped():
    old, new = load_version(V1, "", DIFF), load_version(V2, "", DIFF)
    diff = diff_catalogs(old, new, "v1", "v2")
    assert kinds(diff) == [
        ("state-changed", "Border trade"),
        ("translation-changed", "Pakistan and Afghanistan share a long border."),
        ("source-changed", "Trade passes through the Torkham and Chaman crossings."),
        ("removed", "The transit agreement was signed in 1965."),  # where it used to be
        ("added", "Both countries depend on the crossings."),
        ("source-changed", "Refugees crossed the border in large numbers in 2021."),
    ]
    # the long paragraph moved from the end to the top and lost its wrapping: not a change
    assert not any(c.msgid.startswith("The Durand Line") for c in diff.changes)
    state, translation, by_previous, removed, added, by_similarity = diff.changes
    assert (state.old_state, state.new_state) == ("translated", "reviewed")
    assert translation.references == ["source/brief.md:5"]
    assert by_previous.old_msgid == "Trade passes through Torkham and Chaman."
    assert (by_previous.old_state, by_previous.new_state) == ("translated", "draft")
    assert by_similarity.old_msgid == "Refugees crossed the border in 2021."
    assert (removed.new_msgstr, removed.new_state) == (None, None)
    assert (added.old_msgid, added.old_state, added.new_state) == (None, None, "untranslated")
    assert diff.summary() == {
        "added": 1,
        "removed": 1,
        "source-changed": 2,
        "translation-changed": 1,
        "state-changed": 1,
    }
    assert diff.language == "ur"


def test_the_previous_msgid_names_the_edited_segment_and_each_old_segment_pairs_once():
    old = catalog(
        "ps",
        'msgid "Trade passes through Torkham."\nmsgstr "سوداګري د تورخم له لارې کیږي."\n',
        'msgid "Trade passes through Torkham!"\nmsgstr "سوداګري د تورخم له لارې کیږي!"\n',
    )
    new = catalog(
        "ps",
        # most like the second old text, but update recorded the first one as its origin
        '#, fuzzy\n#| msgid "Trade passes through Torkham."\n'
        'msgid "Trade passes through Torkham!!"\nmsgstr "سوداګري د تورخم له لارې کیږي."\n',
        'msgid "Trade passes through Torkham?"\nmsgstr ""\n',
        'msgid "Trade passes through Torkham?!"\nmsgstr ""\n',
    )
    changes = diff_catalogs(old, new).changes
    assert [(c.kind, c.msgid, c.old_msgid) for c in changes] == [
        ("source-changed", "Trade passes through Torkham!!", "Trade passes through Torkham."),
        ("added", "Trade passes through Torkham?", None),
        # both are like the second old text; it goes to the closer one, whatever the order
        ("source-changed", "Trade passes through Torkham?!", "Trade passes through Torkham!"),
    ]


def test_obsolete_entries_count_as_absent_so_revived_is_added_and_retired_is_removed():
    old = catalog(
        "fa_AF",
        '#~ msgid "Border trade"\n#~ msgstr "تجارت مرزی"\n',
        'msgid "Chaman"\nmsgstr "چمن"\n',
    )
    new = catalog(
        "fa_AF",
        'msgid "Border trade"\nmsgstr "تجارت مرزی"\n',
        '#~ msgid "Chaman"\n#~ msgstr "چمن"\n',
    )
    changes = kinds(diff_catalogs(old, new))
    assert changes == [("removed", "Chaman"), ("added", "Border trade")]  # Chaman was first


def test_identical_catalogs_have_no_changes():
    same = load_version(V2, "", DIFF)
    diff = diff_catalogs(same, load_version(V2, "", DIFF))
    assert diff.changes == []
    assert set(diff.summary().values()) == {0}


# --------------------------------------------------------------------------- words


def test_only_the_changed_urdu_and_pashto_words_are_marked():
    ur = word_diff(
        "پاکستان اور افغانستان کی ایک طویل سرحد ہے۔",
        "پاکستان اور افغانستان کی ایک طویل مشترکہ سرحد ہے۔",
    )
    assert [(op, text.strip()) for op, text in ur if op != "equal"] == [("insert", "مشترکہ")]
    ps = word_diff("پاکستان او افغانستان اوږده پوله لري.", "پاکستان او ایران لنډه پوله لري.")
    assert [part for part in ps if part[0] != "equal"] == [
        ("delete", "افغانستان اوږده"),
        ("insert", "ایران لنډه"),
    ]
    assert one_side(ps, "old") == [
        ("equal", "پاکستان او "),
        ("delete", "افغانستان اوږده"),
        ("equal", " پوله لري."),
    ]


def test_a_dari_word_with_a_zero_width_non_joiner_or_diacritics_is_one_word():
    assert tokens("ما می‌خواهیم، صُلح.") == ["ما", " ", "می\u200cخواهیم", "،", " ", "صُلح", "."]
    changed = word_diff("ما می‌خواهیم صلح", "ما می‌خواستیم صلح")
    assert ("delete", "می\u200cخواهیم") in changed and ("insert", "می\u200cخواستیم") in changed


ARABIC_SCRIPT_TEXT = st.text(alphabet="ابپتټځړږښګلمنوهیےں\u200c\u064e ،.؟\n", max_size=40)


@given(ARABIC_SCRIPT_TEXT, ARABIC_SCRIPT_TEXT)
def test_the_word_diff_spells_both_texts_back(old, new):
    segments = word_diff(old, new)
    assert "".join(t for op, t in segments if op != "insert") == old
    assert "".join(t for op, t in segments if op != "delete") == new
    for side, text in (("old", old), ("new", new)):
        assert "".join(t for _, t in one_side(segments, side)) == text


# --------------------------------------------------------------------------- versions


def test_revisions_are_read_from_git_and_compared_with_the_working_tree(repo):
    work = repo / "locales" / "ur" / "brief.po"
    work.write_text(
        work.read_text(encoding="utf-8").replace(
            'crossings."\nmsgstr ""', 'crossings."\nmsgstr "دونوں ممالک گزرگاہوں پر"'
        ),
        encoding="utf-8",
    )
    # a reviewer's textconv driver must not change what l10n reads from git
    (repo / ".gitattributes").write_text("*.po diff=l10n-po\n")
    git(repo, "config", "diff.l10n-po.textconv", "false")
    older = load_version("HEAD~1", "locales/ur/brief.po", repo)
    assert older.find("Refugees crossed the border in 2021.") is not None

    plan = plan_diff(["HEAD", "locales/ur/brief.po"], base=repo)
    (diff,) = run_plan(plan, repo)
    assert (diff.old_label, diff.new_label) == ("HEAD:locales/ur/brief.po", "locales/ur/brief.po")
    assert kinds(diff) == [("translation-changed", "Both countries depend on the crossings.")]
    assert diff.changes[0].words == [("insert", "دونوں ممالک گزرگاہوں پر")]
    assert diff.changes[0].new_state == "translated"


def test_a_revision_range_without_files_compares_every_catalog_that_changed(repo):
    (repo / "locales" / "ps").mkdir()
    (repo / "locales" / "ps" / "brief.po").write_text(
        '#: source/brief.md:1\nmsgid "Border trade"\nmsgstr "سوداګري په پوله"\n', encoding="utf-8"
    )
    (repo / "notes.txt").write_text("not a catalog\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "Pashto")
    diffs = run_plan(plan_diff([], rev="v1..HEAD", base=repo), repo)
    assert [(d.old_label, d.new_label) for d in diffs] == [
        ("v1:locales/ps/brief.po", "HEAD:locales/ps/brief.po"),
        ("v1:locales/ur/brief.po", "HEAD:locales/ur/brief.po"),
    ]
    pashto = diffs[0]  # the catalog did not exist at v1: everything in it is new
    assert kinds(pashto) == [("added", "Border trade")]
    assert len(diffs[1].changes) == 6
    # the same as a positional range, and v1..v2 names only the Urdu catalog
    assert plan_diff(["v1..HEAD"], base=repo) == plan_diff([], rev="v1..HEAD", base=repo)
    only_urdu = plan_diff([], rev="v1..v2", base=repo)
    assert [c.new.label for c in only_urdu.comparisons] == ["v2:locales/ur/brief.po"]


def test_an_unknown_revision_is_named(repo):
    with pytest.raises(L10nError, match="unknown git revision 'v9'"):
        load_version("v9", "locales/ur/brief.po", repo)
    with pytest.raises(L10nError, match="unknown git revision 'v9'"):
        plan_diff([], rev="v1..v9", base=repo)
    with pytest.raises(L10nError, match="'v9' is neither a file nor a known git revision"):
        plan_diff(["v9", "locales/ur/brief.po"], base=repo)


def test_a_broken_catalog_at_a_revision_is_named_by_revision_and_line(repo):
    (repo / "locales" / "ur" / "brief.po").write_text('msgid "a"\nmsgstr "unterminated\n')
    git(repo, "commit", "-qam", "broken")
    with pytest.raises(L10nError) as failure:
        load_version("HEAD", "locales/ur/brief.po", repo)
    assert str(failure.value).startswith("HEAD:locales/ur/brief.po:2: unterminated string")


def test_a_catalog_at_a_revision_is_checked_as_strictly_as_the_file_on_disk(repo):
    work = repo / "locales" / "ur" / "brief.po"
    text = work.read_text(encoding="utf-8")
    work.write_text(text + '\nmsgid "Border trade"\nmsgstr "سرحدی تجارت"\n', encoding="utf-8")
    git(repo, "commit", "-qam", "Border trade translated twice")
    duplicate = text.count("\n") + 2
    with pytest.raises(L10nError) as on_disk:
        load_version(Path("locales/ur/brief.po"), "", repo)
    with pytest.raises(L10nError) as at_revision:
        load_version("HEAD", "locales/ur/brief.po", repo)
    where = f"locales/ur/brief.po:{duplicate}: duplicate entry for msgid 'Border trade'"
    assert str(on_disk.value).startswith(where)
    assert str(at_revision.value) == f"HEAD:{on_disk.value}"
    # bytes that are not UTF-8 are named by line and column, as everywhere else
    work.write_bytes(text.encode("utf-8") + b'\nmsgid "Chaman"\nmsgstr "\xe7aman"\n')
    git(repo, "commit", "-qam", "Latin-1 slipped in")
    with pytest.raises(L10nError) as latin:
        load_version("HEAD", "locales/ur/brief.po", repo)
    line, column = duplicate + 1, len('msgstr "') + 1
    assert str(latin.value).startswith(
        f"HEAD:locales/ur/brief.po:{line}: not valid UTF-8 (byte 0xe7 at column {column})"
    )


def test_the_command_line_forms_become_plans(repo, tmp_path):
    plan = plan_diff(["HEAD~1", "locales/ur/brief.po"], base=repo)  # l10n diff HEAD~1 -- FILE
    (pair,) = plan.comparisons
    assert (pair.old.rev, pair.new.rev) == ("HEAD~1", None)
    plan = plan_diff([str(V1), str(V2)])  # l10n diff old.po new.po
    assert [(c.old.path, c.new.path) for c in plan.comparisons] == [(V1, V2)]
    plan = plan_diff(["locales/ur/brief.po"], base=repo)  # FILE alone: HEAD → working tree
    assert [(c.old.rev, c.new.rev) for c in plan.comparisons] == [("HEAD", None)]
    plan = plan_diff([], rev="v1..v2", base=repo)
    assert [(c.old.rev, c.new.rev) for c in plan.comparisons] == [("v1", "v2")]
    assert plan_diff(["/tmp/x_brief.po"], textconv=True).textconv == Path("/tmp/x_brief.po")
    with pytest.raises(L10nError, match="nothing to compare"):
        plan_diff([], base=repo)
    with pytest.raises(L10nError, match="exactly one file"):
        plan_diff([str(V1), str(V2)], textconv=True)
    with pytest.raises(L10nError, match=r"locales/ps/brief\.po: no such file at v1 or v2"):
        plan_diff(["v1..v2", "locales/ps/brief.po"], base=repo)


# --------------------------------------------------------------------------- terminal


def test_the_terminal_report_brackets_changed_words_when_there_is_no_colour():
    console = Console(width=200, no_color=True, record=True)
    diff = diff_catalogs(load_version(V1, "", DIFF), load_version(V2, "", DIFF), "v1", "v2")
    print_diffs([diff], console)
    text = console.export_text()
    assert "v1 → v2" in text
    assert "1 added, 1 removed, 2 source-changed, 1 translation-changed, 1 state-changed" in text
    assert "state-changed  source/brief.md:1  translated → reviewed" in text
    # right-to-left text stays in logical order: the terminal lays it out
    assert "پاکستان اور افغانستان کی ایک طویل {+مشترکہ +}سرحد ہے۔" in text
    assert "Trade passes through {+the+} Torkham and Chaman {+crossings+}." in text


# --------------------------------------------------------------------------- HTML


class _Cells(HTMLParser):
    """The attributes of every table cell, and whether any script or external resource loads."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict[str, str | None]] = []
        self.html: dict[str, str | None] = {}
        self.loads: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.html = found
        if tag == "td":
            self.cells.append(found)
        if tag in ("script", "link", "img", "iframe") or "src" in found:
            self.loads.append(tag)


def test_the_html_report_is_self_contained_and_escapes_every_text():
    old = catalog("ur", 'msgid "Fish & <chips>"\nmsgstr "مچھلی"\n')
    new = catalog("ur", 'msgid "Fish & <chips>"\nmsgstr "<script>alert(1)</script> مچھلی"\n')
    page = html_report([diff_catalogs(old, new, 'old "1"', "new")])
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Fish &amp; &lt;chips&gt;" in page
    parsed = _Cells()
    parsed.feed(page)
    assert parsed.html == {"lang": "en"}
    assert parsed.loads == []
    assert "http" not in page and "@import" not in page and "url(" not in page
    translation_cells = [c for c in parsed.cells if c.get("dir") == "rtl"]
    assert [c["lang"] for c in translation_cells] == ["ur", "ur"]
    assert [c.get("lang") for c in parsed.cells if c.get("dir") == "ltr"] == ["en", "en"]
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in page


def test_dari_cells_are_tagged_fa_af_and_a_catalog_without_language_lets_the_browser_decide():
    dari = catalog("fa_AF", 'msgid "Chaman"\nmsgstr "چمن"\n')
    page = html_report([diff_catalogs(catalog("fa_AF"), dari)])
    assert '<td class="new" lang="fa-AF" dir="rtl">' in page
    unknown = parse_po('msgid "Chaman"\nmsgstr "چمن"\n', "x.po")
    page = html_report([diff_catalogs(polib.POFile(), unknown)])
    assert '<td class="new" dir="auto">' in page


@needs_chromium
def test_in_a_browser_the_translation_reads_right_to_left_and_the_source_left_to_right(tmp_path):
    pytest.importorskip("PIL", reason="the screenshot is measured with Pillow")
    from PIL import Image

    source = "Pakistan and Afghanistan share a long border."
    old = catalog("ps", f'msgid "{source}"\nmsgstr "پاکستان او افغانستان اوږده پوله لري"\n')
    new = catalog("ps", f'msgid "{source}"\nmsgstr "پاکستان او افغانستان ګډه اوږده پوله لري"\n')
    page = html_report([diff_catalogs(old, new)])
    # paint the two cells under test so they can be found in the picture
    marked = page.replace(
        "</style>",
        "tr.translation td.new { background: #ffff00; } tr.source td.new { background: #00ffff; }"
        "</style>",
    )
    png = screenshot(marked, tmp_path, "report", "1200,800")
    image = Image.open(png).convert("RGB")
    assert image.size == (1200, 800)
    rtl_left, rtl_right, rtl_ink_left, rtl_ink_right = painted_extent(image, (255, 255, 0))
    ltr_left, ltr_right, ltr_ink_left, ltr_ink_right = painted_extent(image, (0, 255, 255))
    assert rtl_right - rtl_ink_right < 30 < 150 < rtl_ink_left - rtl_left  # hugs the right edge
    assert ltr_ink_left - ltr_left < 30 < 150 < ltr_right - ltr_ink_right  # hugs the left edge
    assert (ltr_left, ltr_right) == (rtl_left, rtl_right)  # the same column, one above the other


# --------------------------------------------------------------------------- textconv


def test_textconv_shows_each_entry_on_plain_unwrapped_lines_the_same_way_every_time():
    wrapped, unwrapped = load_version(V1, "", DIFF), load_version(V1, "", DIFF)
    unwrapped.wrapwidth = 0
    again = parse_po(str(unwrapped), "resaved.po")  # the same catalog written without wrapping
    assert textconv(wrapped) == textconv(again)
    text = textconv(load_version(V2, "", DIFF))
    assert text.endswith("\n") and "\n\n\n" not in text
    block = text.split("\n\n")[1]
    assert block.splitlines() == [
        "#: source/brief.md:1",
        "state: reviewed (by Ayesha Khan, 2026-11-30)",
        "msgid: Border trade",
        "msgstr: سرحدی تجارت",
    ]
    long = [line for line in text.splitlines() if line.startswith("msgstr: ۱۸۹۳")]
    assert len(long) == 1 and long[0].endswith("تقسیم کر دیا ہے۔")
    assert text.rstrip().split("\n\n")[-1].splitlines() == [
        "state: obsolete",
        "msgid: The transit agreement was signed in 1965.",
        "msgstr: راہداری کا معاہدہ 1965 میں ہوا۔",
    ]
    multi = catalog("ps", 'msgid "a\\nb"\nmsgstr ""\n')
    assert "msgid: a⏎b\nmsgstr:\n" in textconv(multi)


def test_git_diff_through_textconv_shows_one_changed_line_for_one_changed_translation(repo):
    shim = repo.parent / "textconv.py"  # what `l10n diff --textconv` runs
    shim.write_text(
        "import sys\nfrom pathlib import Path\nfrom l10n.diff import textconv_file\n"
        "sys.stdout.write(textconv_file(Path(sys.argv[1])))\n"
    )
    (repo / ".gitattributes").write_text("*.po diff=l10n-po\n")
    git(repo, "config", "diff.l10n-po.textconv", f"{shlex.quote(sys.executable)} {shim}")
    work = repo / "locales" / "ur" / "brief.po"
    text = work.read_text(encoding="utf-8")
    work.write_text(text.replace("طویل مشترکہ سرحد", "طویل سرحد"), encoding="utf-8")
    changed = [
        line
        for line in git(repo, "diff", "-U0", "--", "locales/ur/brief.po").splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == [
        "-msgstr: پاکستان اور افغانستان کی ایک طویل مشترکہ سرحد ہے۔",
        "+msgstr: پاکستان اور افغانستان کی ایک طویل سرحد ہے۔",
    ]


def test_textconv_passes_a_file_that_is_not_po_through_so_git_diff_still_works(tmp_path):
    broken = tmp_path / "broken.po"
    broken.write_text('msgid "a"\nmsgstr "unterminated\n', encoding="utf-8")
    shown = textconv_file(broken)
    assert shown.startswith("# l10n diff --textconv: not read as PO (")
    assert shown.endswith('msgstr "unterminated\n')


# --------------------------------------------------------------------------- command line


def test_l10n_diff_compares_a_revision_with_the_working_tree_and_writes_the_html(repo):
    report = repo / "review.html"
    result = CliRunner().invoke(
        cli.app,
        ["diff", "-C", str(repo), "--html", str(report), "HEAD~1", "--", "locales/ur/brief.po"],
    )
    assert result.exit_code == 0, result.output
    assert "HEAD~1:locales/ur/brief.po → locales/ur/brief.po" in result.output
    assert "{+مشترکہ +}" in result.output
    assert '<td class="new" lang="ur" dir="rtl">' in report.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["diff", "-C", str(repo), "--rev", "v1..v9"])
    assert result.exit_code == 2 and "unknown git revision 'v9'" in result.output
    result = CliRunner().invoke(cli.app, ["diff", str(V1), str(V2)])
    assert result.exit_code == 0 and "1 translation-changed" in result.output


def test_git_diff_uses_l10n_diff_textconv_as_the_readme_says(repo):
    (repo / ".gitattributes").write_text("*.po diff=l10n-po\n")
    git(repo, "config", "diff.l10n-po.textconv", "l10n diff --textconv")
    shown = git(repo, "diff", "v1", "v2", "--", "locales/ur/brief.po")
    assert "+state: reviewed (by Ayesha Khan, 2026-11-30)" in shown
    assert '"\n' not in shown  # no PO string syntax: the textconv view
