"""A project on disk: its documents and where each stage reads and writes them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches
from enum import Enum
from pathlib import Path

import polib

from .catalog import read_catalog
from .config import CONFIG_NAME, Config, load_config
from .document import Document, parse_document
from .errors import L10nError
from .files import read_text
from .glossary import Glossary, load_glossary
from .languages import Language, language
from .skeleton import CACHE_DIR, load_skeleton, save_skeleton, skeleton_key


@dataclass(frozen=True)
class SourceDoc:
    """A source Markdown file; `doc_id` is its path under source/ without `.md`."""

    doc_id: str
    path: Path
    label: str  # path relative to the project root, as written in `#:` references


class Missing(Enum):
    """What a walk over the catalogs does with one that `l10n update` has not created yet."""

    ERROR = "error"  # stop: the stage needs every catalog (publish, draft)
    SKIP = "skip"  # leave it out: nothing to read (check, memory)
    INCLUDE = "include"  # yield it with `exists` False: the caller creates or reports it


@dataclass(frozen=True)
class CatalogFile:
    """One document in one language: where its catalog is, and whether it exists yet."""

    doc: SourceDoc
    lang: Language
    path: Path
    label: str  # as users see it in messages

    @property
    def exists(self) -> bool:
        return self.path.is_file()

    def read(self) -> polib.POFile:
        """The catalog, read strictly and checked against its folder's language."""
        return read_catalog(self.path, self.label, self.lang)


@dataclass
class Project:
    """A loaded configuration plus the documents parsed so far (each parsed once per run)."""

    config: Config
    _parsed: dict[str, Document] = field(default_factory=dict)
    _glossary: Glossary | None = None

    @classmethod
    def open(cls, folder: Path | str = ".") -> Project:
        """The project whose l10n.toml is in `folder` or the nearest folder above it."""
        return cls(load_config(Path(folder)))

    def documents(self) -> list[SourceDoc]:
        source = self.config.source_dir
        if not source.is_dir():
            raise L10nError("the source folder does not exist (see [project] source)", source)
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

    def catalogs(
        self, languages: Sequence[str] | None = None, missing: Missing = Missing.ERROR
    ) -> Iterator[CatalogFile]:
        """Every document × language (the project's languages unless named), in that order.

        The one place that decides what a catalog not created yet means, so
        every stage says the same thing about it.
        """
        codes = dict.fromkeys(self.languages(languages))
        for doc in self.documents():
            for code in codes:
                path = self.catalog_path(doc, code)
                found = CatalogFile(doc, language(code), path, self.label(path))
                if found.exists or missing is Missing.INCLUDE:
                    yield found
                elif missing is Missing.ERROR:
                    raise L10nError(f"no catalog for {doc.label}; run `l10n update`", found.label)

    def languages(self, requested: Sequence[str] | None = None) -> list[str]:
        """The codes of `requested` (aliases resolved), or all of the project's.

        A language the project does not translate into is refused, with the
        nearest one it does (`fa` → fa_AF), so a typo never creates a catalog.
        """
        configured = [language(c).code for c in self.config.languages]
        if not requested:
            return configured
        chosen = []
        for code in requested:
            try:
                canonical = language(code).code
            except L10nError:
                canonical = code
            if canonical not in configured:
                raise L10nError(_not_a_project_language(code, configured), CONFIG_NAME)
            chosen.append(canonical)
        return chosen

    def orphans(self) -> dict[str, list[Path]]:
        """Templates and catalogs under locales/ whose source document is gone, by doc id."""
        known = {doc.doc_id for doc in self.documents()}
        locales = self.config.locales_dir
        found: dict[str, list[Path]] = {}
        candidates = [(locales, "*.pot")]
        candidates += [(locales / code, "*.po") for code in self.languages()]
        for folder, pattern in candidates:
            if not folder.is_dir():
                continue
            for path in sorted(folder.rglob(pattern)):
                doc_id = path.relative_to(folder).with_suffix("").as_posix()
                if doc_id not in known:
                    found.setdefault(doc_id, []).append(path)
        return found

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


def _not_a_project_language(code: str, configured: Sequence[str]) -> str:
    """`--lang fa`: say what the project translates into, and the likely meant one."""
    languages = ", ".join(configured)
    message = f"the project does not translate into {code!r} (its languages: {languages})"
    lowered = code.lower().replace("-", "_")
    near = [c for c in configured if c.lower().startswith(lowered + "_")]
    near = near or get_close_matches(code, configured, n=1, cutoff=0.5)
    if near:
        return f"{message}; did you mean {near[0]}?"
    return f"{message}; add it to [project] languages to start a new language"
