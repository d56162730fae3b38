"""Catalogs and sources from outside are untrusted: read as gettext reads them, or refused.

A translator's text is never changed in a way gettext would read differently,
a bad input is named with its file and line (exit 2) and leaves every file as
it was, and no input makes a stage crash or hang.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from test_bad_input import snapshot

GOOD = "# Border trade\n\nTrade passes through Torkham.\n"
TRADE = 'msgid "Trade passes through Torkham."\nmsgstr ""\n'
#: a hang is a stage still running after this long: the quadratic scans these shapes
#: once caused took minutes; each stage now takes a few seconds on a busy 2-core machine
HANG_SECONDS = 90


def l10n(project: Path, *args: str, timeout: float = HANG_SECONDS) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["l10n", *args], cwd=project, capture_output=True, text=True, check=False, timeout=timeout
    )


def gettext_reading(path: Path, work: Path) -> dict[tuple[str | None, str], str] | None:
    """What gettext reads in a catalog: its entries after msgfmt and msgunfmt (None: refused,
    or bytes that are not UTF-8 text).

    Fuzzy entries count too (`--use-fuzzy`); the header is left out, since
    `update` may stamp it.
    """
    mo = work / "reading.mo"
    mo.unlink(missing_ok=True)
    made = subprocess.run(
        ["msgfmt", "--use-fuzzy", "-o", str(mo), str(path)], capture_output=True, check=False
    )
    if made.returncode != 0:
        return None
    if not mo.exists():  # msgfmt writes nothing for a catalog without messages
        return {}
    back = subprocess.run(["msgunfmt", str(mo)], capture_output=True, check=False)
    try:
        catalog = polib.pofile(back.stdout.decode("utf-8"))
    except UnicodeDecodeError:  # msgfmt kept bytes (\xff) that are no UTF-8 text
        return None
    return {(e.msgctxt, e.msgid): e.msgstr for e in catalog if e.msgid}


def msgfmt_accepts(path: Path) -> bool:
    return subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                          capture_output=True, check=False).returncode == 0  # fmt: skip


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built once per module; each test works on a copy of it."""
    from l10n.pipeline import init_project

    folder = tmp_path_factory.mktemp("built")
    init_project(folder, "test")
    (folder / "source" / "brief.md").write_text(GOOD, encoding="utf-8")
    assert l10n(folder, "build", "-f", "md", timeout=120).returncode == 0
    return folder


@pytest.fixture
def built(built_once: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built_once, tmp_path / "project"))


def translate(project: Path, msgstr_line: str, lang: str = "ps") -> tuple[Path, int]:
    """Give the paragraph's entry this msgstr line (written as is); returns the file and
    the msgstr's line (its msgid is on the line before)."""
    path = project / "locales" / lang / "brief.po"
    text = path.read_text("utf-8")
    at = text.index(TRADE) + len(TRADE) - len('msgstr ""\n')
    path.write_bytes((text[:at] + msgstr_line + text[at + len('msgstr ""\n') :]).encode("utf-8"))
    return path, text[:at].count("\n") + 1


# --------------------------------------------------------------------------- escapes


@pytest.mark.parametrize(
    ("escaped", "letters"),
    [
        (r"\xd9\xbe", "پ"),  # the two UTF-8 bytes of one Pashto letter
        (r"\331\276", "پ"),  # the same in octal
        (r"\x00d9\x00be", "پ"),  # gettext keeps the last byte of a long hex escape
        (r"\x141", "A"),
        (r"\1234", "S4"),  # an octal escape takes three digits at most
    ],
)
def test_a_letter_spelled_in_escaped_bytes_survives_update_as_gettext_reads_it(
    built, tmp_path, escaped, letters
):
    path, _ = translate(built, f'msgstr "{escaped} sarhad"\n')
    before = gettext_reading(path, tmp_path)
    assert before is not None and before[(None, "Trade passes through Torkham.")] == (
        f"{letters} sarhad"
    )
    result = l10n(built, "update")
    assert result.returncode == 0, result.stderr
    assert gettext_reading(path, tmp_path) == before
    assert f'msgstr "{letters} sarhad"' in path.read_text("utf-8")


BAD_ESCAPES = {
    "a lone lead byte": (r"\xd9 sarhad", "not valid UTF-8"),
    "a byte no UTF-8 has": (r"\xff", "not valid UTF-8"),
    "an octal escape beyond a byte": (r"\777", "not valid UTF-8"),
    "a lone surrogate": (r"\xed\xa0\x80", "not valid UTF-8"),
    "beyond U+10FFFF": (r"\xf4\x90\x80\x80", "not valid UTF-8"),
    "NUL": (r"ab\0cd", "NUL"),
    "NUL from a wrapped octal escape": (r"ab\400cd", "NUL"),
    "\\x without digits": (r"\x", "invalid escape sequence"),
    "a C escape PO does not have": (r"\?", "invalid escape sequence"),
}


@pytest.mark.parametrize("name", BAD_ESCAPES)
@pytest.mark.parametrize(
    "command",
    [
        ("update",),
        ("check",),
        ("review", "approve", "locales/ps/brief.po", "--reviewer", "Ayesha"),
        ("memory", "import", "locales/ps/brief.po"),
    ],
)
def test_escapes_gettext_cannot_read_as_text_are_refused_at_their_line(built, name, command):
    escaped, message = BAD_ESCAPES[name]
    _, line = translate(built, f'msgstr "{escaped}"\n')
    before = snapshot(built)
    result = l10n(built, *command)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"locales/ps/brief.po:{line}: " in result.stderr
    assert message in result.stderr.replace("\n", "")
    assert snapshot(built) == before


def test_a_nul_byte_written_raw_is_refused_too(built):
    _, line = translate(built, 'msgstr "ab\0cd"\n')
    result = l10n(built, "update")
    assert result.returncode == 2
    assert f"locales/ps/brief.po:{line}: a NUL byte" in result.stderr.replace("\n", "")


def test_the_escapes_refused_are_ones_gettext_reads_differently_or_not_at_all(built, tmp_path):
    """Control: gettext itself drops the text after a NUL and rejects the invalid bytes."""
    path, _ = translate(built, r'msgstr "ab\0cd"' + "\n")
    assert gettext_reading(path, tmp_path)[(None, "Trade passes through Torkham.")] == "ab"
    path, _ = translate(built, r'msgstr "\xff"' + "\n", lang="ur")
    assert subprocess.run(["msgcat", str(path)], capture_output=True).returncode != 0


# --------------------------------------------------------------------------- headers


def test_a_second_header_entry_is_refused_rather_than_written_for_msgfmt_to_reject(built):
    path = built / "locales" / "ps" / "brief.po"
    text = path.read_text("utf-8")
    header = text[text.index('msgid ""') : text.index("\n\n", text.index('msgid ""')) + 2]
    path.write_text(text + "\n" + header, "utf-8")
    line = text.count("\n") + 2
    assert not msgfmt_accepts(path)  # control: gettext rejects the input itself
    before = snapshot(built)
    result = l10n(built, "update")
    assert result.returncode == 2
    assert f"locales/ps/brief.po:{line}: a second header entry" in result.stderr.replace("\n", "")
    assert snapshot(built) == before


# --------------------------------------------------------------------------- sources


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2021-13", "is not a month"),
        ("'2021-13'", "is not a month"),
        ("0000-01", "is not a month"),
        ("2021-02-30", "day is out of range"),
        ("0000-01-01", "cannot be read"),
    ],
)
def test_a_front_matter_date_that_does_not_exist_stops_build_before_it_writes(built, date, message):
    source = built / "source" / "brief.md"
    source.write_text(f"---\ntitle: Border trade\ndate: {date}\n---\n\n{GOOD}", "utf-8")
    before = snapshot(built)
    result = l10n(built, "build", "-f", "md,html")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "source/brief.md:3: " in result.stderr and message in result.stderr
    assert snapshot(built) == before


def test_a_real_month_is_published_in_the_languages_month_names(built):
    """Control for the date checks: a valid YYYY-MM still reaches the title block."""
    source = built / "source" / "brief.md"
    source.write_text(f"---\ntitle: Border trade\ndate: 2021-12\n---\n\n{GOOD}", "utf-8")
    assert l10n(built, "build", "-f", "html", timeout=120).returncode == 0
    assert 'datetime="2021-12"' in (built / "dist" / "ps" / "brief.html").read_text("utf-8")


DEEP = "*" * 2500 + "deep" + "*" * 2500


def test_emphasis_nested_2500_deep_in_a_source_is_refused_at_its_line(built):
    (built / "source" / "brief.md").write_text(f"# Border trade\n\n{DEEP}\n", "utf-8")
    before = snapshot(built)
    result = l10n(built, "build", "-f", "md,html")
    assert result.returncode == 2
    assert "source/brief.md:3: inline markup nested 1250 levels deep" in result.stderr
    assert snapshot(built) == before


def test_emphasis_nested_2500_deep_in_a_translation_is_not_published(built):
    _, line = translate(built, f'msgstr "{DEEP}"\n')
    result = l10n(built, "publish", "-f", "md,html")
    assert result.returncode == 0, result.stderr
    msgid_line = line - 1
    assert f"locales/ps/brief.po:{msgid_line}: not published: inline markup nested" in (
        result.stderr.replace("\n", "")
    )
    assert "Trade passes through Torkham." in (built / "dist/ps/brief.html").read_text("utf-8")
    checked = l10n(built, "check")
    assert checked.returncode == 1 and "Traceback" not in checked.stderr


def test_emphasis_nested_a_few_levels_is_published():
    """Control for the depth limit: ordinary nesting is far below it."""
    from l10n.document import MAX_NESTING, nesting_problem

    assert nesting_problem("*a **b _c [d](x)_ e** f*") is None
    assert nesting_problem("*" * (MAX_NESTING + 1) + "a" + "*" * (MAX_NESTING + 1)) is None
    deeper = "*" * (2 * MAX_NESTING + 2)  # one level of strong emphasis more than the limit
    assert nesting_problem(deeper + "a" + deeper) is not None


# --------------------------------------------------------------------------- hangs

HANGS = {
    "an unterminated string of octal escapes": (("update",), 'msgstr "' + r"\1234" * 20000 + "\n"),
    "a msgstr of 200,000 letters": (("check",), 'msgstr "' + "a" * 200_000 + '"\n'),
    "a msgstr of 12,000 backticks": (("check",), 'msgstr "' + "`" * 12_000 + '"\n'),
    "a msgstr of 12,000 footnote openers": (("check",), 'msgstr "' + "[^" * 12_000 + '"\n'),
}


@pytest.mark.parametrize("name", HANGS)
def test_pathological_catalogs_finish_in_time(built, name):
    command, msgstr = HANGS[name]
    translate(built, msgstr)
    result = l10n(built, *command)  # raises TimeoutExpired on a hang
    assert result.returncode in (0, 1, 2) and "Traceback" not in result.stderr


@pytest.mark.parametrize("opener", ["[^", "[^a]", "^["])
def test_a_source_of_12000_footnote_openers_builds_in_time(built, opener):
    text = f"# T\n\n{opener * 12_000}\n\n[^a]: A note.\n"
    (built / "source" / "brief.md").write_text(text, "utf-8")
    result = l10n(built, "build", "-f", "md,html")
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr


def test_the_hang_guard_catches_a_quadratic_scan():
    """Control: the string pattern as it was, without possessive quantifiers, does hang."""
    backtracking = r'"((?:[^"\\]|\\(?:[\\"abfnrtv?\']|[0-7]{1,3}|x[0-9A-Fa-f]+))*)"[ \t]*$'
    hostile = '"' + "\\777" * 40
    program = f"import re; re.match({backtracking!r}, {hostile!r})"
    with pytest.raises(subprocess.TimeoutExpired):
        subprocess.run([sys.executable, "-c", program], timeout=2, check=False)
    assert re.compile(backtracking).match('"ok"')  # the same pattern on good input is quick


# --------------------------------------------------------------------------- read before write


@pytest.mark.parametrize("command", ["update", "build"])
def test_a_bad_catalog_stops_the_stage_before_the_edited_source_reaches_the_template(
    built, command
):
    """The source changed, so the template would be rewritten: the bad catalog is found first."""
    (built / "source" / "brief.md").write_text(GOOD + "\nA new paragraph.\n", "utf-8")
    _, line = translate(built, r'msgstr "\xff"' + "\n", lang="ur")
    before = snapshot(built)
    result = l10n(built, command)
    assert result.returncode == 2, result.stdout
    assert f"locales/ur/brief.po:{line}: " in result.stderr
    assert snapshot(built) == before


def test_with_every_catalog_readable_the_edited_source_reaches_them_all(built):
    """Control: the same edit, without the bad catalog, is extracted and merged."""
    (built / "source" / "brief.md").write_text(GOOD + "\nA new paragraph.\n", "utf-8")
    assert l10n(built, "update").returncode == 0
    for path in ("locales/brief.pot", "locales/ur/brief.po"):
        assert "A new paragraph." in (built / path).read_text("utf-8")
