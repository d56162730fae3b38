"""An on-disk cache of parsed documents, so publishing need not parse the source again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import astuple
from pathlib import Path

from . import __version__
from .document import Document, Segment, normalize_newlines
from .files import write_text_atomic

CACHE_DIR = ".l10n-cache"
#: Raised when parsing checks more or segments differently within one version, so
#: a document cached before the change is parsed (and checked) again.
_FORMAT = 2


def skeleton_key(text: str, front_matter_keys: Sequence[str]) -> str:
    """Changes whenever the source, the segmenting settings or this program change."""
    digest = hashlib.sha256(text.encode("utf-8"))
    digest.update(json.dumps([__version__, _FORMAT, list(front_matter_keys)]).encode())
    return digest.hexdigest()


def save_skeleton(path: Path, key: str, doc: Document) -> None:
    payload = {"key": key, "segments": [astuple(s) for s in doc.segments]}
    write_text_atomic(path, json.dumps(payload, ensure_ascii=False, separators=(",", ":")))


def load_skeleton(path: Path, key: str, text: str, label: str) -> Document | None:
    """The cached document, or None when the cache is missing, stale or unreadable."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload.get("key") != key:
            return None
        segments = [Segment(*fields) for fields in payload["segments"]]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    source, newline = normalize_newlines(text)
    return Document(path=label, source=source, segments=segments, newline=newline)
