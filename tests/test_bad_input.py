"""Bad input: a clear message naming file and line, exit code 2, and no file touched."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

GOOD = "# Border trade\n\nTrade passes through Torkham.\n"


def l10n(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["l10n", *args], cwd=project, capture_output=True, text=True, check=False)


def snapshot(project: Path) -> dict[str, bytes]:
    """Every file a user owns (the parse cache is ours and may be refreshed)."""
    return {
        str(p.relative_to(project)): p.read_bytes()
        for p in sorted(project.rglob("*"))
        if p.is_file() and ".l10n-cache" not in p.parts
    }


@pytest.fixture
def built(project: Path) -> Path:
    (project / "source" / "brief.md").write_text(GOOD, encoding="utf-8")
    assert l10n(project, "build", "-f", "md").returncode == 0
    return project


def test_invalid_utf8_in_a_source_is_named_with_its_line(built):
    (built / "source" / "brief.md").write_bytes(b"# Title\n\nCaf\xe9 in Kabul\n")
    before = snapshot(built)
    result = l10n(built, "build", "-f", "md")
    assert result.returncode == 2
    assert "source/brief.md:3: not valid UTF-8" in result.stderr
    assert snapshot(built) == before


BROKEN_CATALOGS = {
    "unterminated string": ('msgstr ""\n', 'msgstr "unterminated\n', "unterminated string"),
    "bad escape": ('msgstr ""\n', 'msgstr "bad \\q escape"\n', "invalid escape sequence"),
    "unknown keyword": ('msgstr ""\n', 'msgstring ""\n', "unknown keyword"),
}


@pytest.mark.parametrize("name", BROKEN_CATALOGS)
@pytest.mark.parametrize("command", ["update", "publish"])
def test_a_malformed_catalog_is_refused_with_its_line(built, name, command):
    path = built / "locales" / "ps" / "brief.po"
    text = path.read_text("utf-8")
    old, new, message = BROKEN_CATALOGS[name]
    last = text.rindex(old)
    path.write_text(text[:last] + new + text[last + len(old) :], "utf-8")
    line = text[:last].count("\n") + 1
    before = snapshot(built)
    result = l10n(built, command)
    assert result.returncode == 2, result.stdout
    assert f"locales/ps/brief.po:{line}: {message}" in result.stderr.replace("\n", "")
    assert snapshot(built) == before


def test_a_duplicate_entry_is_refused_with_both_lines(built):
    path = built / "locales" / "ur" / "brief.po"
    text = path.read_text("utf-8")
    path.write_text(text + '\nmsgid "Border trade"\nmsgstr "سرحدی تجارت"\n', "utf-8")
    result = l10n(built, "update")
    assert result.returncode == 2
    assert "locales/ur/brief.po:" in result.stderr and "duplicate entry" in result.stderr
    assert "first defined at line" in result.stderr


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("Content-Type", "text/plain; charset=ISO-8859-1", "catalogs must be UTF-8"),
        ("Plural-Forms", "nplurals=two", "malformed Plural-Forms"),
        ("Language", "de", "but the file is in the fa_AF folder"),
    ],
)
def test_a_wrong_header_is_refused(built, field, value, message):
    path = built / "locales" / "fa_AF" / "brief.po"
    lines = path.read_text("utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(f'"{field}:'))
    lines[index] = f'"{field}: {value}\\n"'
    path.write_text("\n".join(lines), "utf-8")
    before = snapshot(built)
    result = l10n(built, "update")
    assert result.returncode == 2
    assert f"locales/fa_AF/brief.po:{index + 1}: " in result.stderr
    assert message in result.stderr.replace("\n", "")
    assert snapshot(built) == before


def test_a_prs_header_is_a_valid_name_for_dari(built):
    path = built / "locales" / "fa_AF" / "brief.po"
    path.write_text(path.read_text("utf-8").replace('"Language: fa_AF', '"Language: prs'), "utf-8")
    assert l10n(built, "update").returncode == 0


def test_broken_front_matter_is_reported_at_its_line(built):
    (built / "source" / "brief.md").write_text('---\ntitle: "x\n---\n' + GOOD, "utf-8")
    result = l10n(built, "extract")
    assert result.returncode == 2
    assert "source/brief.md:" in result.stderr and "front matter is not valid YAML" in result.stderr


def test_outside_a_project_the_message_says_how_to_start_one(tmp_path):
    result = l10n(tmp_path, "extract")
    assert result.returncode == 2
    assert "l10n init" in result.stderr


def test_init_never_overwrites_an_existing_project(built):
    before = (built / "l10n.toml").read_bytes()
    result = l10n(built, "init")
    assert result.returncode == 2 and "not overwritten" in result.stderr
    assert (built / "l10n.toml").read_bytes() == before


def test_no_temporary_files_are_left_behind(built):
    l10n(built, "build", "-f", "md")
    assert not [p for p in built.rglob("*.tmp")]


def test_one_bad_source_leaves_every_template_as_it_was(built):
    (built / "source" / "a-first.md").write_text("# First brief\n", encoding="utf-8")
    (built / "source" / "brief.md").write_bytes(b"# Border \xff trade\n")
    before = snapshot(built)
    result = l10n(built, "extract")
    assert result.returncode == 2 and "source/brief.md:1" in result.stderr
    assert snapshot(built) == before
