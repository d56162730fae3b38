"""What an edition may load: the source document's own images and the project's files.

A msgstr is written by translators and machines, so an image in it may point
anywhere: `/etc/passwd`, `../../secret.png`, `http://tracker.example/pixel`.
Publishing reads only what the project holds.  A translation may show an image
the source document shows (the same target) or a file inside the project's
source folder (`may_show`, used while rendering the HTML; `may_link` keeps a
link from pointing at a local path outside it); WeasyPrint's URL fetcher asks
`may_fetch` before it opens anything, so a reference that slipped through (a
symlink out of the folder, `url()` in a style) is refused too.  The network
stays closed unless `[publish] network = true`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

#: pictures carried in the page itself: nothing to open
_INLINE_SCHEMES = frozenset({"data"})
_NETWORK_SCHEMES = frozenset({"http", "https"})
#: what a reader's click may reach besides the project's files (`html._safe_url` vets the rest)
_WEB_SCHEMES = frozenset({"http", "https", "mailto"})


def _inside(path: Path, folder: Path) -> bool:
    """Whether `path`, with every symlink followed, is `folder` or below it."""
    return path.resolve().is_relative_to(folder.resolve())


@dataclass(frozen=True)
class Reach:
    """The files and URLs one edition of one document may load.

    `project` bounds every file opened; `source` (the source folder) bounds the
    images and local links a translation adds; `shown` are the targets of the
    source document's own images and links, which every edition may use as the
    original does.
    """

    project: Path
    source: Path
    document: Path
    shown: frozenset[str] = frozenset()
    network: bool = False

    @classmethod
    def of(
        cls, project: Path, source: Path, document: Path, shown: Iterable[str], network: bool
    ) -> Reach:
        return cls(
            project.resolve(), source.resolve(), document.resolve(), frozenset(shown), network
        )

    def may_show(self, target: str) -> bool:
        """Whether a translation may show the image `target` (as written in its Markdown)."""
        if target in self.shown:
            return True
        parts = urlsplit(target)
        if parts.scheme.lower() in _INLINE_SCHEMES:
            return True
        if parts.scheme or parts.netloc or not parts.path:
            return False
        path = unquote(parts.path)
        if path.startswith(("/", "\\")) or "\\" in path:
            return False
        return _inside(self.document.parent / path, self.source)

    def may_link(self, target: str) -> bool:
        """Whether a translation may link to `target`: the web, mail, a place in the page, or a
        file it could show; never a local path outside the source folder."""
        scheme = urlsplit(target).scheme.lower()
        return scheme in _WEB_SCHEMES or target.startswith("#") or self.may_show(target)

    def may_fetch(self, url: str) -> bool:
        """Whether the PDF renderer may open the absolute `url`."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme in _INLINE_SCHEMES:
            return True
        if scheme in _NETWORK_SCHEMES:
            return self.network
        if scheme != "file" or parts.netloc not in ("", "localhost"):
            return False
        return _inside(Path(url2pathname(parts.path)), self.project)
