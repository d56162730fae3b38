"""Looking at pages as readers do: headless Chromium screenshots, measured with Pillow."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="needs a headless browser: Debian's `chromium` package (on PATH)"
)


def screenshot(html: str, tmp_path: Path, name: str, size: str = "900,1400") -> Path:
    """A PNG of the page as headless Chromium draws it at the given window size."""
    assert CHROMIUM is not None
    page, png = tmp_path / f"{name}.html", tmp_path / f"{name}.png"
    page.write_text(html, encoding="utf-8")
    # fmt: off
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={png}",
         f"--window-size={size}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    # fmt: on
    return png


def painted_extent(image, colour: tuple[int, int, int]) -> tuple[int, int, int, int]:
    """(left, right) of the area painted `colour`, and (left, right) of the dark text in it."""
    from PIL import ImageChops

    bands = [
        band.point(lambda v, want=want: 255 if v == want else 0)
        for band, want in zip(image.split(), colour, strict=True)
    ]
    area = ImageChops.multiply(ImageChops.multiply(bands[0], bands[1]), bands[2]).getbbox()
    assert area, f"nothing painted {colour} in the screenshot"
    cell = image.crop(area).convert("L")
    ink = cell.point(lambda v: 255 if v < 110 else 0).getbbox()
    assert ink, f"no text in the area painted {colour}"
    return area[0], area[2], area[0] + ink[0], area[0] + ink[2]


def print_to_pdf(page: Path, pdf: Path, profile: Path) -> Path:
    """The page as headless Chromium prints it, without header or footer: "Save as PDF"."""
    assert CHROMIUM is not None
    # fmt: off
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         "--disable-background-networking", "--disable-component-update", "--no-first-run",
         f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    # fmt: on
    return pdf
