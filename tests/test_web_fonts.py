"""An HTML edition is drawn in its own fonts on a device that has none of them.

The page carries WOFF2 subsets of its fonts.  Headless Chromium prints the
Urdu brief on a "device" whose fontconfig knows only DejaVu, and the fonts its
PDF embeds say what drew the text: Noto Nastaliq Urdu from the page itself.
The control, the same page without the embedded fonts, is drawn in DejaVu.
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from l10n.config import load_config
from l10n.pipeline import publish
from l10n.project import Project
from l10n.publishing.fonts import font_file, page_letters

from browser import needs_chromium, print_to_pdf
from conftest import REPO

pytestmark = pytest.mark.slow

_FACE = re.compile(
    r'@font-face \{ font-family: "([^"]+)"; font-weight: (\d+);[^}]*base64,([A-Za-z0-9+/=]+)'
)


@pytest.fixture(scope="module")
def brief_html(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("brief")
    for name in ("source", "locales"):
        shutil.copytree(REPO / name, folder / name)
    for name in ("glossary.yaml", "l10n.toml"):
        shutil.copy(REPO / name, folder / name)
    report = publish(Project(load_config(folder)), formats=["html"])
    return {
        published.lang: published.outputs[0].read_text("utf-8")
        for published in report.editions + report.originals
    }


def embedded(html: str) -> dict[tuple[str, int], TTFont]:
    return {
        (family, int(weight)): TTFont(BytesIO(base64.b64decode(data)))
        for family, weight, data in _FACE.findall(html)
    }


def features(font: TTFont) -> set[str]:
    return {record.FeatureTag for record in font["GSUB"].table.FeatureList.FeatureRecord}


def without_fonts(html: str) -> str:
    return re.sub(r"@font-face \{[^}]*\}\n?", "", html)


@pytest.mark.parametrize(
    ("lang", "family"),
    [("ur", "Noto Nastaliq Urdu"), ("ps", "Noto Naskh Arabic"), ("fa_AF", "Noto Naskh Arabic")],
)
def test_each_edition_carries_a_subset_with_every_letter_it_sets(brief_html, lang, family):
    html = brief_html[lang]
    fonts = embedded(html)
    regular = fonts[(family, 400)]
    full = TTFont(font_file(family, False))
    covered = set(map(chr, regular.getBestCmap()))
    arabic = {c for c in page_letters(html)[False] if "\u0600" <= c <= "\u06ff"}
    assert arabic and arabic <= covered  # every Arabic-script letter the page sets
    assert len(regular.getGlyphOrder()) < len(full.getGlyphOrder())  # a subset, not the font
    assert regular.flavor == "woff2"
    # the joining forms, and the Urdu/Persian digit forms where the font has them (locl)
    shaping = {"init", "medi", "fina", "isol", "rlig", "locl"} & features(full)
    assert shaping <= features(regular)
    assert (family, 700) in fonts  # headings


def test_the_english_page_carries_noto_serif_and_no_arabic_font(brief_html):
    families = {family for family, _ in embedded(brief_html["en"])}
    assert "Noto Serif" in families
    assert not families & {"Noto Nastaliq Urdu", "Noto Naskh Arabic"}


def fonts_drawn(html: str, folder: Path, name: str) -> set[str]:
    """The fonts Chromium draws the page with: those its printed PDF embeds (`pdffonts`)."""
    page, pdf = folder / f"{name}.html", folder / f"{name}.pdf"
    page.write_text(html, encoding="utf-8")
    print_to_pdf(page, pdf, folder / "profile")
    listing = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True)
    names = [line.split()[0] for line in listing.stdout.splitlines()[2:] if line.strip()]
    return {name.split("+", 1)[-1] for name in names}


DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@needs_chromium
@pytest.mark.skipif(not DEJAVU.is_dir(), reason="the bare device's one font: fonts-dejavu-core")
def test_the_urdu_page_is_drawn_in_nastaliq_on_a_device_without_noto(
    brief_html, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    html = brief_html["ur"]
    bare = tmp_path / "bare-device"
    (bare / "cache").mkdir(parents=True)
    (bare / "fonts.conf").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"<dir>{DEJAVU}</dir>\n"
        f"<cachedir>{bare / 'cache'}</cachedir>\n</fontconfig>\n",
        "utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(bare / "fonts.conf"))
    drawn = fonts_drawn(html, tmp_path, "device")
    control = fonts_drawn(without_fonts(html), tmp_path, "control")

    assert any("NotoNastaliqUrdu" in name for name in drawn), drawn
    assert not any("Noto" in name for name in control), control  # the device has no Noto
    assert any("DejaVu" in name for name in control), control  # …and falls back to DejaVu
