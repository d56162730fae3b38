"""PDF editions: the HTML edition laid out by WeasyPrint, fonts embedded.

Everything a PDF needs is already in the HTML page (`publish.html`): the print
rules, page numbers and footnote marks in the language's digits, the running
title.  This stage only hands the page to WeasyPrint, so it costs no more than
WeasyPrint itself.  WeasyPrint is an optional dependency (it needs Pango from
the system); a missing install is reported as a user error.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import L10nError
from .fetch import Reach


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango missing from the system
        raise L10nError(
            "PDF editions need WeasyPrint and Pango: pip install 'l10n[pdf]' and, on Debian, "
            f"apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core ({exc})"
        ) from exc
    return weasyprint


class _NoteLinks(logging.Filter):
    """With notes at the foot of the page, the endnote list is not printed, so the marks'
    links to it have no target; WeasyPrint drops those links and logs an error for each."""

    def filter(self, record: logging.LogRecord) -> bool:
        target = str(record.args[0]) if isinstance(record.args, tuple) and record.args else ""
        return not (record.msg.startswith("No anchor") and target.startswith("fn"))


@contextmanager
def _quiet_note_links() -> Iterator[None]:
    logger = logging.getLogger("weasyprint")
    note_links = _NoteLinks()
    logger.addFilter(note_links)
    try:
        yield
    finally:
        logger.removeFilter(note_links)


def _fetcher(weasyprint: Any, reach: Reach) -> Any:
    """WeasyPrint's URL fetcher, asking `reach` before it opens a file or a URL."""

    class ReachFetcher(weasyprint.urls.URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not reach.may_fetch(url):
                raise ValueError(f"an edition may not load {url}")
            return super().fetch(url, headers)

    return ReachFetcher(allowed_protocols=("data", "file", "http", "https"))


#: Loads nothing but what the page carries itself (`data:` pictures).
_NOTHING = Reach(project=Path("/nonexistent"), source=Path("/nonexistent"), document=Path("/"))

_LAYOUT = threading.Lock()


@contextmanager
def _notes_stay_with_their_marks(weasyprint: Any) -> Iterator[None]:
    """Keep a note on the page of its mark: WeasyPrint may not move it on alone.

    When orphans forbid a break before a paragraph's line that no longer fits,
    WeasyPrint (66 and later) sends the notes already placed on the page to the
    next one, without their marks, and fills their room with that one line:
    the page ends a third empty and its note sits on the next page.  The
    decision reads `in_column` (multi-column layout never reports notes);
    during our layout that one read answers "in a column", so the line moves
    on as a line would without notes, and a note moves only with the line of
    its mark (`footnote-policy: line`).  Everything else reads the real value.
    """
    block = getattr(weasyprint.layout, "block", None)
    linebox_layout = getattr(block, "_linebox_layout", None)
    context_class = getattr(weasyprint.layout, "LayoutContext", None)
    code = getattr(linebox_layout, "__code__", None)
    if code is None or context_class is None or "reported_footnotes" not in code.co_varnames:
        yield  # a WeasyPrint without that rule
        return

    def read(self: Any) -> bool:
        return sys._getframe(1).f_code is code or self.__dict__["_l10n_in_column"]

    def write(self: Any, value: bool) -> None:
        self.__dict__["_l10n_in_column"] = value

    with _LAYOUT:
        context_class.in_column = property(read, write)
        try:
            yield
        finally:
            del context_class.in_column


def lay_out(html: str, *, base_url: str | None = None, reach: Reach | None = None) -> Any:
    """The pages of an HTML edition as WeasyPrint lays them out (a `weasyprint.Document`).

    `reach` says which files and URLs the page may load; without it, none.
    """
    weasyprint = _weasyprint()
    fetcher = _fetcher(weasyprint, reach or _NOTHING)
    with _quiet_note_links(), _notes_stay_with_their_marks(weasyprint):
        page = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        return page.render()


def render_pdf(html: str, *, base_url: str | None = None, reach: Reach | None = None) -> bytes:
    """The PDF of an HTML edition; `base_url` resolves relative images and links."""
    document = lay_out(html, base_url=base_url, reach=reach)
    with _quiet_note_links():
        return bytes(document.write_pdf())
