"""PDF editions: the HTML edition laid out by WeasyPrint, fonts embedded.

Everything a PDF needs is already in the HTML page (`publish.html`): the print
rules, page numbers and footnote marks in the language's digits, the running
title.  This stage only hands the page to WeasyPrint, so it costs no more than
WeasyPrint itself.  WeasyPrint is an optional dependency (it needs Pango from
the system); a missing install is reported as a user error.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import L10nError


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


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF of an HTML edition; `base_url` resolves relative images and links."""
    weasyprint = _weasyprint()
    with _quiet_note_links():
        return weasyprint.HTML(string=html, base_url=base_url).write_pdf()
