"""`l10n status` and `l10n check` on loose PO files: catalogs from other projects,
from Weblate, from a translator's laptop, read as gettext reads them.

The fixtures (`fixtures/loose/`) are small catalogs written for these tests;
each reproduces a construct found in real Pashto, Persian, Dari and Urdu
catalogs of public projects (see each file's opening comment).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from l10n import cli
from l10n.catalog import language_named, loose_language, plural_forms, read_catalog, read_loose
from l10n.languages import language
from l10n.review import State
from l10n.status import loose_document, loose_status

from conftest import FIXTURES

LOOSE = FIXTURES / "loose"
FILES = sorted(LOOSE.rglob("*.po"))
GNOME = LOOSE / "gnome" / "po" / "ps.po"
TEMPLATE = LOOSE / "template" / "ur.po"
IRANIAN = LOOSE / "wordpress" / "theme-fa.po"
BROKEN = 'msgid "Extract"\nmsgstr "unterminated\n'


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli.app, list(args))
    return result.exit_code, result.stdout, result.stderr


def msgfmt(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["msgfmt", *args, "-o", os.devnull],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C", "LANGUAGE": ""},
    )


def msgfmt_statistics(path: Path) -> tuple[int, int, int]:
    """msgfmt's translated, fuzzy and untranslated counts (plain msgfmt, no --check)."""
    result = msgfmt("--statistics", str(path))
    assert result.returncode == 0, result.stderr
    found = re.search(
        r"(\d+) translated messages?(?:, (\d+) fuzzy translations?)?"
        r"(?:, (\d+) untranslated messages?)?\.",
        result.stderr,
    )
    assert found, result.stderr
    return tuple(int(n or 0) for n in found.groups())  # type: ignore[return-value]


# ------------------------------------------------------------------------- read what gettext reads


def test_every_fixture_that_msgfmt_check_accepts_is_read_without_error():
    accepted = [p for p in FILES if msgfmt("--check", str(p)).returncode == 0]
    # the control: msgfmt --check refuses the unfilled template (nplurals=INTEGER) ...
    assert TEMPLATE not in accepted and len(accepted) == len(FILES) - 1

    loose = read_loose(FILES)

    assert loose.failed == []
    assert {c.path for c in loose.read} == set(FILES)  # ... and we read it all the same


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(LOOSE).as_posix())
def test_counts_agree_with_msgfmt_statistics(path):
    [status] = loose_status(read_loose([path]).read)

    ours = (status.done, status.entries[State.DRAFT], status.entries[State.UNTRANSLATED])
    assert ours == msgfmt_statistics(path)


def test_a_plural_forms_line_that_repeats_its_name_is_read_as_gettext_reads_it():
    assert '"Plural-Forms: Plural-Forms: nplurals=2;' in GNOME.read_text(encoding="utf-8")
    assert msgfmt("--check", str(GNOME)).returncode == 0

    [found] = read_loose([GNOME]).read

    assert plural_forms(found.catalog) == "nplurals=2; plural=n != 1;"
    assert found.warnings == (f"{GNOME}:8: the Plural-Forms header repeats its name; read as "
                              "gettext reads it",)  # fmt: skip


def test_a_plural_forms_header_gettext_cannot_read_is_still_refused(tmp_path):
    bad = tmp_path / "ps.po"
    text = GNOME.read_text(encoding="utf-8").replace("Plural-Forms: nplurals=2;", "two forms;")
    bad.write_text(text, encoding="utf-8")
    assert msgfmt("--check", str(bad)).returncode != 0  # the control

    loose = read_loose([bad])

    assert [str(e) for e in loose.failed] == [
        f"{bad}:8: malformed Plural-Forms header 'two forms; plural=n != 1;'"
    ]


WINDOWS_1256 = """msgid ""
msgstr ""
"Language: fa\\n"
"Content-Type: text/plain; charset={charset}\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgid "Open the file"
msgstr "باز کردن پرونده"
"""


def test_an_old_catalog_in_windows_1256_is_read_in_the_charset_its_header_declares(tmp_path):
    old = tmp_path / "fa.po"
    old.write_bytes(WINDOWS_1256.format(charset="windows-1256").encode("cp1256"))
    assert msgfmt("--check", str(old)).returncode == 0

    [found] = read_loose([old]).read

    assert [e.msgstr for e in found.catalog] == ["باز کردن پرونده"]
    assert found.warnings == (f"{old}: read as windows-1256, as its header declares (not UTF-8)",)
    # the control: the same bytes said to be UTF-8 are refused, by msgfmt and by us
    old.write_bytes(WINDOWS_1256.format(charset="UTF-8").encode("cp1256"))
    assert msgfmt("--check", str(old)).returncode != 0
    [error] = read_loose([old]).failed
    assert str(error).startswith(f"{old}:8: not valid UTF-8")


def test_a_template_with_nplurals_integer_has_no_plural_rule_and_counts_as_untranslated():
    [found] = read_loose([TEMPLATE]).read

    assert plural_forms(found.catalog) is None
    [status] = loose_status([found])
    assert status.entries[State.UNTRANSLATED] == 2 and status.total == 2


# --------------------------------------------------------------------------- which language


@pytest.mark.parametrize(
    ("relative", "code", "document"),
    [
        ("gnome/po/ps.po", "ps", "gnome"),  # no Language header: the file name, not "po"
        ("pootle/ps_AF.po", "ps", "pootle"),  # "Language: " empty: the file name's ps_AF
        ("xfce/ur-PK.po", "ur", "xfce"),  # header ur_PK
        ("wordpress/theme-fa.po", "fa", "theme"),  # header fa_IR: Persian
        ("weblate/prs.po", "fa_AF", "weblate"),  # Weblate's code for Dari
        ("template/ur.po", "ur", "template"),
        ("django/locale/fa/LC_MESSAGES/django.po", "fa", "django"),  # the folder
    ],
)
def test_a_loose_file_gets_its_language_from_header_then_file_name_then_folder(
    relative, code, document
):
    [found] = read_loose([LOOSE / relative]).read

    assert found.lang.code == code
    assert loose_document(found.path) == document


@pytest.mark.parametrize(
    ("name", "code"),
    [("ps.po", "ps"), ("ps_AF.po", "ps"), ("ur-PK.po", "ur"), ("app-fa.po", "fa"),
     ("app.ur.po", "ur"), ("app-ur-PK.po", "ur"), ("prs.po", "fa_AF"), ("fa_IR.po", "fa")],
)  # fmt: skip
def test_file_names_carry_the_language_in_the_ways_projects_write_them(tmp_path, name, code):
    path = tmp_path / name
    path.write_text('msgid "Tab"\nmsgstr ""\n', encoding="utf-8")

    assert loose_language(read_catalog(path), path).code == code


def test_the_header_wins_over_the_file_name_and_the_file_name_over_the_folder(tmp_path):
    folder = tmp_path / "ur"
    folder.mkdir()
    path = folder / "ps.po"
    path.write_text('msgid ""\nmsgstr "Language: fa\\n"\n\nmsgid "Tab"\nmsgstr ""\n', "utf-8")
    assert loose_language(read_catalog(path), path).code == "fa"
    path.write_text('msgid "Tab"\nmsgstr ""\n', encoding="utf-8")
    assert loose_language(read_catalog(path), path).code == "ps"


def test_a_file_in_no_known_language_is_an_error_naming_it_and_lang_overrides(tmp_path):
    notes = tmp_path / "misc" / "notes.po"
    notes.parent.mkdir()
    notes.write_text('msgid "Tab"\nmsgstr "ټوپ"\n', encoding="utf-8")

    loose = read_loose([notes, GNOME])

    assert [c.path for c in loose.read] == [GNOME]
    assert [str(e) for e in loose.failed] == [
        f"{notes}: no Language header, and no language code in its name or folder; "
        "name it with --lang"
    ]
    assert [c.lang.code for c in read_loose([notes, GNOME], "ps").read] == ["ps", "ps"]
    code, _, stderr = run("status", str(notes))
    assert code == 2 and f"{notes}: no Language header" in stderr
    assert run("status", "--lang", "ps", str(notes))[0] == 0


def test_lang_names_one_language_for_the_files_named():
    code, _, stderr = run("check", "--lang", "ps", "--lang", "ur", str(GNOME))

    assert code == 2 and "--lang gives their one language" in stderr
    assert run("check", "--lang", "ps", "--lang", "pbt", str(GNOME))[0] == 0  # one language


def test_persian_is_its_own_language_and_not_checked_as_dari():
    persian, dari = language("fa_IR"), language("prs")
    assert (persian.code, persian.english_name, dari.code) == ("fa", "Persian", "fa_AF")
    assert language_named("fa") == persian and language_named("notes") is None

    code, stdout, _ = run("check", str(IRANIAN))
    assert code == 0 and "dari-vocabulary" not in stdout
    # the control: the same file checked as Dari is told its Iranian words
    code, stdout, _ = run("check", "--lang", "prs", str(IRANIAN))
    assert stdout.count("[dari-vocabulary]") == 2 and "'بیمارستان'" in stdout


# --------------------------------------------------------------------------- many files, one bad


@pytest.fixture
def folder_with_a_bad_file(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "catalogs"
    shutil.copytree(LOOSE, folder)
    bad = folder / "laptop" / "ur.po"
    bad.parent.mkdir()
    bad.write_text(BROKEN, encoding="utf-8")
    return folder, bad


def test_status_counts_the_good_files_names_the_bad_one_and_exits_2(folder_with_a_bad_file):
    folder, bad = folder_with_a_bad_file

    code, stdout, stderr = run("status", "--json", str(folder), str(folder / "missing.po"))

    assert code == 2
    assert len(json.loads(stdout)) == len(FILES)
    assert f"error: {bad}:2: unterminated string" in stderr
    assert f"error: {folder / 'missing.po'}: no such file or folder" in stderr


def test_check_checks_the_good_files_names_the_bad_one_and_exits_2(folder_with_a_bad_file):
    folder, bad = folder_with_a_bad_file
    (folder / "weblate" / "prs.po").write_text(
        (LOOSE / "weblate" / "prs.po").read_text(encoding="utf-8")
        + '\nmsgid "See [the map](https://example.org/map)."\nmsgstr "نقشه را ببینید."\n',
        encoding="utf-8",
    )

    code, stdout, stderr = run("check", "--json", str(folder))

    assert code == 2
    findings = json.loads(stdout)
    assert {f["file"] for f in findings} == {str(folder / "weblate" / "prs.po")}
    assert all(f["file"] and f["line"] for f in findings)
    assert f"error: {bad}:2: unterminated string" in stderr


# --------------------------------------------------------------------------- speed


def test_status_runs_no_check_unless_asked():
    code, stdout, _ = run("status", str(IRANIAN))
    assert code == 0 and "errors" not in stdout

    code, stdout, _ = run("status", "--checks", "--lang", "prs", str(IRANIAN))
    assert code == 0 and stdout.split("\n")[0].split()[-1] == "errors"


def test_word_counts_skip_the_markdown_parse_only_where_it_changes_nothing():
    from l10n.inline import read_inline
    from l10n.status import count_words

    msgids = [e.msgid for c in read_loose(FILES).read for e in c.catalog]
    msgids += ['See [the map](https://example.org "Kabul map").', "Use `[^1]` here [^2]"]

    def parsed(text: str) -> int:
        return len(read_inline(text).without(("link", "image", "footnote")).split())

    assert [count_words(m) for m in msgids] == [parsed(m) for m in msgids]
    assert len(msgids[-2].split()) != parsed(msgids[-2])  # the control: a link's title is no word


HEAVY = ("l10n.checks", "l10n.engines", "l10n.drafting", "l10n.pipeline", "l10n.publishing.html",
         "l10n.publishing.pdf", "weasyprint", "ctranslate2", "httpx", "jinja2")  # fmt: skip


def modules_loaded_by(*args: str) -> set[str]:
    """The modules a command line run loads (a module it defers stays unloaded until used)."""
    probe = (
        "import sys, types\nfrom l10n.cli import app\n"
        "try:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "loaded = [n for n, m in sys.modules.items() if type(m) is types.ModuleType]\n"
        "print('\\n'.join(sorted(loaded)), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True)
    return set(result.stderr.split())


@pytest.mark.parametrize("args", [["--help"], ["status", str(GNOME)]], ids=" ".join)
def test_help_and_status_load_no_checks_engines_or_publishing(args):
    loaded = modules_loaded_by(*args)

    assert "l10n.status" in loaded  # the control: the probe sees what the command loaded
    assert sorted(m for m in loaded if m.startswith(HEAVY)) == []


def test_check_loads_the_checks_and_still_no_engines_or_publishing():
    loaded = modules_loaded_by("check", str(GNOME))

    assert "l10n.checks" in loaded
    assert sorted(m for m in loaded if m.startswith(HEAVY[1:])) == []
