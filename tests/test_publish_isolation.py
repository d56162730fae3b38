"""A hostile catalog cannot make publishing read a file outside the project or reach the network.

What the process opened is recorded by an audit hook (`open`, `socket.connect`)
around `publish`; a control renders the same page with WeasyPrint's own URL
fetcher and shows that the hook does see the reads it forbids.
"""

from __future__ import annotations

import mimetypes
import re
import socket
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

import polib
import pypdf
import pytest
from PIL import Image

from l10n.config import load_config
from l10n.pipeline import publish
from l10n.project import Project
from l10n.publishing import fonts

from conftest import start_project

pytestmark = pytest.mark.slow

SOURCE = """\
# Border trade

![Map of the crossings](pics/map.png)

Trade passes through Torkham.
"""

_EVENTS: list[tuple[str, str]] = []
_RECORDING = [False]


def _hook(event: str, args: tuple) -> None:
    if _RECORDING[0] and event in ("open", "socket.connect"):
        _EVENTS.append((event, str(args[0] if event == "open" else args[1])))


sys.addaudithook(_hook)


@contextmanager
def recorded() -> Iterator[list[tuple[str, str]]]:
    _EVENTS.clear()
    _RECORDING[0] = True
    try:
        yield _EVENTS
    finally:
        _RECORDING[0] = False


def png(path: Path, size: tuple[int, int], colour: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)
    return path


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP port on this machine that a fetched URL would reach."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    yield server
    server.close()


@pytest.fixture
def hostile(project: Path, tmp_path_factory: pytest.TempPathFactory, listener) -> dict:
    outside = png(tmp_path_factory.mktemp("outside") / "secret.png", (37, 11), "red")
    png(project / "source" / "pics" / "map.png", (20, 20), "blue")
    png(project / "source" / "pics" / "extra.png", (21, 21), "green")
    (project / "source" / "pics" / "link.png").symlink_to(outside)
    port = listener.getsockname()[1]
    relative = Path("..", "..", *outside.parts[1:])  # from source/ up to / and down again
    targets = [
        "/etc/passwd",
        str(outside),
        f"file://{outside}",
        relative.as_posix(),
        "../l10n.toml",
        "pics/link.png",  # inside the folder, but a symlink out of it
        "%2Fetc%2Fpasswd",
        f"http://127.0.0.1:{port}/pixel.png",
        f"//127.0.0.1:{port}/pixel.png",
    ]
    images = " ".join(f"![x]({t})" for t in targets)
    images += " [a](/etc/passwd) [b](../../x.png) [c](https://example.org/kept) [d](#kept)"
    raw = f'<img src="{outside}"> <style>body {{ background: url({outside}) }}</style>'
    start_project(project, SOURCE)
    for code in ("ps", "fa_AF", "ur"):
        path = project / "locales" / code / "brief.po"
        catalog = polib.pofile(str(path))
        for entry in catalog:
            if entry.msgid == "Trade passes through Torkham.":
                entry.msgstr = f"سوداګري {images} {raw} ![y](pics/extra.png)"
            elif entry.msgid.startswith("!["):
                entry.msgstr = f"![نقشه](pics/map.png) ![z](/etc/passwd) ![w]({outside})"
            else:
                entry.msgstr = "د پولې سوداګري"
        catalog.save()
    return {"outside": outside, "project": project, "listener": listener}


def _reads_outside(events: list[tuple[str, str]], forbidden: list[Path]) -> list[str]:
    paths = {str(p) for p in forbidden} | {str(p.resolve()) for p in forbidden}
    return [name for event, name in events if event == "open" and name in paths]


def _opened(events: list[tuple[str, str]]) -> list[str]:
    return [name for event, name in events if event == "open" and name.startswith("/")]


def _expected(name: str, project: Path) -> bool:
    """The project, the cache of font subsets, the installed fonts, WeasyPrint's own
    temporary folders (the fonts it embeds), the code being imported: everything else is a
    read publishing must not do."""
    path = Path(name).resolve()
    places = [project.resolve(), fonts._cache_dir().resolve(), Path("/usr/share/fonts")]
    places += [Path(entry or ".").resolve() for entry in sys.path]
    places += [Path(sys.prefix), Path(sys.base_prefix)]
    temp = Path(tempfile.gettempdir()).resolve()
    temporary = path == temp or (  # Python's own probe of the folder, and WeasyPrint's files
        path.is_relative_to(temp)
        and path.relative_to(temp).parts[0].startswith(("tmp", "weasyprint-"))
    )
    system = {"/dev/null", *mimetypes.knownfiles}  # urllib asks mimetypes what a file is
    return temporary or name in system or any(path.is_relative_to(p) for p in places)


def test_a_hostile_catalog_reads_no_file_outside_the_project_and_no_url(hostile):
    project = Project(load_config(hostile["project"]))
    forbidden = [Path("/etc/passwd"), hostile["outside"], hostile["project"] / "l10n.toml"]
    with recorded() as events:
        report = publish(project, formats=["html", "pdf"])
    assert _reads_outside(events, forbidden) == []
    unexpected = [name for name in _opened(events) if not _expected(name, hostile["project"])]
    assert unexpected == [], "\n".join(unexpected)
    assert [name for event, name in events if event == "socket.connect"] == []
    with pytest.raises(TimeoutError):
        hostile["listener"].accept()  # nobody knocked

    for published in report.editions:
        html, pdf = (p for p in published.outputs if p.suffix in (".html", ".pdf"))
        page = html.read_text("utf-8")
        sources = re.findall(r'<img [^>]*src="([^"]*)"', page)
        assert sorted(set(sources)) == ["pics/extra.png", "pics/map.png"], published.lang
        references = re.findall(r'(?:src|href)="([^"]*)"', page)
        references += re.findall(
            r"url\(([^)]*)\)", "".join(re.findall(r"(?s)<style>.*?</style>", page))
        )
        assert "https://example.org/kept" in references and "#kept" in references
        for reference in references:  # the page may name a path as text, never load it
            assert "x.png" not in reference
            assert str(hostile["outside"]) not in reference and "passwd" not in reference
        sizes = sorted(
            Image.open(BytesIO(image.data)).size
            for reader_page in pypdf.PdfReader(pdf).pages
            for image in reader_page.images
        )
        assert sizes == [(20, 20), (21, 21)], published.lang  # the map and the extra, no secret


def test_control_weasyprints_own_fetcher_would_have_read_the_secret(hostile):
    """The hook sees what the default fetcher opens: the measurement above can fail."""
    import weasyprint

    project = Project(load_config(hostile["project"]))
    report = publish(project, formats=["html"], languages=["ps"])
    html = report.editions[0].outputs[0].read_text("utf-8")
    secret = hostile["outside"]
    page = html.replace("</body>", f'<img src="{secret.as_uri()}"></body>')
    base = (hostile["project"] / "source" / "brief.md").as_uri()
    with recorded() as events:
        weasyprint.HTML(string=page, base_url=base).write_pdf()
    assert _reads_outside(events, [secret]) != []


def test_the_network_opens_only_when_the_project_allows_it_and_the_source_shows_the_url(
    project: Path, listener
):
    port = listener.getsockname()[1]
    url = f"http://127.0.0.1:{port}/figure.png"
    start_project(project, SOURCE.replace("pics/map.png", url))
    config = project / "l10n.toml"
    config.write_text(
        config.read_text("utf-8").replace("[publish]\n", "[publish]\nnetwork = true\n"), "utf-8"
    )
    with recorded() as events:
        publish(Project(load_config(project)), formats=["pdf"], languages=["ps"])
    connected = [name for event, name in events if event == "socket.connect"]
    assert any(str(port) in name for name in connected)
