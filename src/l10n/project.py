"""A project on disk: its documents and where each stage reads and writes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .document import Document, parse_document
from .errors import L10nError
from .files import read_text
from .glossary import Glossary, load_glossary
from .skeleton import CACHE_DIR, load_skeleton, save_skeleton, skeleton_key


@dataclass(frozen=True)
class SourceDoc:
    """A source Markdown file; `doc_id` is its path under source/ without `.md`."""

    doc_id: str
    path: Path
    label: str  # path relative to the project root, as written in `#:` references


@dataclass
class Project:
    """A loaded configuration plus the documents parsed so far (each parsed once per run)."""

    config: Config
    _parsed: dict[str, Document] = field(default_factory=dict)
    _glossary: Glossary | None = None

    def documents(self) -> list[SourceDoc]:
        source = self.config.source_dir
        if not source.is_dir():
            raise L10nError(f"source folder {source} does not exist")
        docs = []
        for path in sorted(source.rglob("*.md")):
            rel = path.relative_to(source).with_suffix("")
            docs.append(
                SourceDoc(
                    doc_id=rel.as_posix(),
                    path=path,
                    label=path.relative_to(self.config.root).as_posix(),
                )
            )
        return docs

    def parse(self, doc: SourceDoc) -> Document:
        """The document's segments: parsed once per run, and cached on disk between runs.

        Parsing is most of the cost of `publish`; the cache is keyed by the
        source bytes and the settings that shape segments, so a stale or
        deleted cache only costs a parse.
        """
        if doc.doc_id not in self._parsed:
            text = read_text(doc.path, doc.label)
            key = skeleton_key(text, self.config.front_matter_keys)
            cache = self.cache_path(doc)
            parsed = load_skeleton(cache, key, text, doc.label)
            if parsed is None:
                parsed = parse_document(text, doc.label, self.config.front_matter_keys)
                save_skeleton(cache, key, parsed)
            self._parsed[doc.doc_id] = parsed
        return self._parsed[doc.doc_id]

    def cache_path(self, doc: SourceDoc) -> Path:
        return self.config.root / CACHE_DIR / f"{doc.doc_id}.json"

    def glossary(self) -> Glossary:
        """The project's glossary, read once per run (empty if there is none)."""
        if self._glossary is None:
            self._glossary = load_glossary(self.config.glossary_path)
        return self._glossary

    def template_path(self, doc: SourceDoc) -> Path:
        return self.config.locales_dir / f"{doc.doc_id}.pot"

    def catalog_path(self, doc: SourceDoc, lang: str) -> Path:
        return self.config.locales_dir / lang / f"{doc.doc_id}.po"

    def output_path(self, doc: SourceDoc, lang: str, extension: str) -> Path:
        return self.config.output_dir / lang / f"{doc.doc_id}.{extension}"

    def label(self, path: Path) -> str:
        """A path as users see it in messages: relative to the project root."""
        try:
            return path.relative_to(self.config.root).as_posix()
        except ValueError:
            return str(path)
