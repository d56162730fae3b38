"""A catalog as plain lines for `git diff` (git's `diff.<driver>.textconv`).

Git's line diff of a PO file shows re-wrapping and string syntax; one line per
string, never wrapped, makes a changed translation one changed line.
"""

from __future__ import annotations

from pathlib import Path

import polib

from ..catalog import parse_catalog
from ..errors import L10nError
from ..files import decode_text
from ..review import reviewer, state


def _field(name: str, text: str) -> str:
    """`name: text` on one line, `\n` shown as ⏎, no trailing space when empty."""
    value = text.replace("\r", "").replace("\n", "⏎")
    return f"{name}: {value}" if value else f"{name}:"


def textconv(catalog: polib.POFile) -> str:
    """A catalog as plain lines for `git diff`: one line per string, never wrapped.

    Entries in file order, obsolete ones last; each as its references, state,
    source and translation, so a changed translation is one changed line.
    """
    lines = [_field(f"header {key}", value) for key, value in catalog.metadata.items()]
    active = [e for e in catalog if not e.obsolete]
    obsolete = [e for e in catalog if e.obsolete]
    for entry in [*active, *obsolete]:
        lines.append("")
        if entry.occurrences:
            refs = (f"{path}:{line}" if line else path for path, line in entry.occurrences)
            lines.append("#: " + " ".join(refs))
        if entry.obsolete:
            lines.append("state: obsolete")
        else:
            review = reviewer(entry)
            by = f" (by {review.name}, {review.day})" if review else ""
            lines.append(f"state: {state(entry)}{by}")
        if entry.msgctxt is not None:
            lines.append(_field("msgctxt", entry.msgctxt))
        if entry.previous_msgid is not None:
            lines.append(_field("previous msgid", entry.previous_msgid))
        lines.append(_field("msgid", entry.msgid))
        if entry.msgid_plural:
            lines.append(_field("msgid_plural", entry.msgid_plural))
            lines.extend(_field(f"msgstr[{n}]", v) for n, v in sorted(entry.msgstr_plural.items()))
        else:
            lines.append(_field("msgstr", entry.msgstr))
    return "\n".join(lines).lstrip("\n") + "\n" if lines else ""


def textconv_file(path: Path) -> str:
    """`textconv` of a file as git hands it over, checked as any catalog is; text that is
    refused is passed through, marked, so `git diff` still works on a broken catalog."""
    data = path.read_bytes()
    label = str(path)
    try:
        return textconv(parse_catalog(decode_text(data, label), label))
    except L10nError as exc:
        return f"# l10n diff --textconv: not read as PO ({exc})\n" + data.decode("utf-8", "replace")
