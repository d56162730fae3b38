"""Every setting of a project with its default, each in one place.

The stages (extract, update, draft, publish) read these plain values; `config`
fills them from l10n.toml and writes the file `l10n init` starts a project
with from the defaults and comments below, so a default changes here and
nowhere else.  Nothing here imports a stage: the stages import their settings,
and reading l10n.toml loads no engine and no renderer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import L10nError
from .languages import DEFAULT_LANGUAGES

#: The language every document is written in and translated from.
SOURCE_LANGUAGE = "en"

#: How alike (0–100) an old source text must be to a new one to carry its translation.
FUZZY_THRESHOLD: float = 70
#: The lowest fuzzy match (0–100) a draft takes from the translation memory.
MEMORY_THRESHOLD = 75

#: What `l10n build` can publish; pdf needs the pdf extra.
FORMATS: tuple[str, ...] = ("md", "html", "pdf")

#: Where a PDF edition prints its notes: at the foot of each page, or as endnotes.
FOOTNOTE_PLACEMENTS: tuple[str, ...] = ("bottom", "end")

_PAGE_SIZE = re.compile(r"[A-Za-z0-9. ]+")  # "A4", "A5 landscape", "160mm 240mm"

#: Front-matter keys whose string values (or lists of strings) are translated.
DEFAULT_FRONT_MATTER_KEYS: tuple[str, ...] = (
    "title",
    "subtitle",
    "description",
    "summary",
    "abstract",
    "authors",
    "publisher",
    "rights",
    "keywords",
)

#: The names l10n.toml may give an engine and the post-edits after it ("argos+dari").
#: `engines.registry` maps each name to its implementation (a test keeps the two
#: in step), so a misspelt name is refused while l10n.toml is read.
ENGINE_NAMES: tuple[str, ...] = ("argos", "argostranslate", "nllb", "libretranslate", "openai")
#: Where CTranslate2 runs the local models; "auto": a GPU when one is there.
DEVICES: tuple[str, ...] = ("auto", "cpu", "cuda")
#: The engines that run on servers, each configured in its own `[engines.<name>]` table.
SERVER_ENGINES: tuple[str, ...] = ("libretranslate", "openai")
POST_EDIT_NAMES: tuple[str, ...] = ("dari",)
NO_ENGINE = "none"  # in place of the engines of a language: no drafts for it

#: Engines per language, best first, when l10n.toml names none: Argos has en→ur and
#: en→fa (made Dari by the post-edit table) but no Pashto; NLLB-200 has all three.
DEFAULT_ENGINES: Mapping[str, tuple[str, ...]] = {
    "ps": ("nllb",),
    "fa_AF": ("argos+dari", "nllb"),
    "ur": ("argos", "nllb"),
}
#: Engines of a language DEFAULT_ENGINES does not list.
OTHER_ENGINES: tuple[str, ...] = ("argos", "nllb")


def choice_names(text: str) -> tuple[str, ...]:
    """ "argos+dari" → ("argos", "dari"): an engine, then its post-edits.

    ValueError names what is unknown; the engine registry turns the names into
    an engine and functions.
    """
    engine, *edits = [part.strip() for part in text.split("+")]
    if engine not in ENGINE_NAMES:
        raise ValueError(f"unknown engine {engine!r}; known: {', '.join(ENGINE_NAMES)}")
    for edit in edits:
        if edit not in POST_EDIT_NAMES:
            raise ValueError(f"unknown post-edit {edit!r}; known: {', '.join(POST_EDIT_NAMES)}")
    return (engine, *edits)


# --------------------------------------------------------------------------- spelling


@dataclass(frozen=True)
class Toml:
    """How a setting is spelled in l10n.toml, and what `l10n init` writes beside it."""

    comment: str
    #: "value": `key = value`; "languages": one key per language code, in the table itself;
    #: "language tables": `key = value` in `[<table>.<code>]`; "inline": a settings type
    #: whose fields are keys of this table (EngineOptions in [engines])
    layout: str = "value"
    key: str = ""  # the key when it is not the field's name
    commented: bool = False  # written as a comment while at its default (tuning, paths)
    example: object = None  # the value a commented setting whose default is None shows
    minimum: int | None = None  # the least whole number it takes


def toml(comment: str, **how: Any) -> dict[str, Toml]:
    """A field's metadata: its comment and spelling in l10n.toml (see `Toml`)."""
    return {"toml": Toml(comment, **how)}


# --------------------------------------------------------------------------- the tables


@dataclass(frozen=True)
class ProjectSettings:
    """`[project]`: where documents, catalogs and editions live, and the target languages."""

    name: str = field(
        default="", metadata=toml("named in every catalog's header (default: the folder's name)")
    )
    source: str = field(
        default="source", metadata=toml("Markdown documents to translate (source/**/*.md)")
    )
    locales: str = field(
        default="locales", metadata=toml("<doc>.pot templates and <lang>/<doc>.po catalogs")
    )
    output: str = field(
        default="dist", metadata=toml("published editions: <output>/<lang>/<doc>.md")
    )
    languages: tuple[str, ...] = field(
        default=DEFAULT_LANGUAGES,
        metadata=toml('Target languages: ps (Pashto), fa_AF (Dari; "prs" is accepted), ur (Urdu)'),
    )


@dataclass(frozen=True)
class ExtractSettings:
    """`[extract]`: what of a document is translated besides its body."""

    front_matter_keys: tuple[str, ...] = field(
        default=DEFAULT_FRONT_MATTER_KEYS,
        metadata=toml("Front-matter keys whose text is translated (strings, or lists of strings)"),
    )


@dataclass(frozen=True)
class UpdateSettings:
    """`[update]`: how catalogs follow an edited source."""

    fuzzy_threshold: float = field(
        default=FUZZY_THRESHOLD,
        metadata=toml(
            "A changed block gets the old translation of the most similar removed block, "
            "as fuzzy, when the two source texts are at least this similar (0-100)"
        ),
    )


@dataclass(frozen=True)
class GlossarySettings:
    """`[glossary]`: the project's terminology."""

    file: str = field(
        default="glossary.yaml",
        metadata=toml(
            "Terminology shown to translators as hints and enforced by the glossary check"
        ),
    )


@dataclass(frozen=True)
class PublishSettings:
    """`[publish]`: how editions are laid out; per-language choices are keyed by language code.

    A language without a choice is set as the language table says
    (`Language.type_styles`, `Language.digits`).
    """

    footnotes: str = field(
        default="bottom", metadata=toml('PDF notes at the foot of each page, or "end" (endnotes)')
    )
    page_size: str = field(
        default="A4", metadata=toml('CSS page size: "A4", "A5", "letter", "160mm 240mm"')
    )
    formats: tuple[str, ...] = field(
        default=FORMATS,
        metadata=toml("what `l10n build` and `l10n publish` write; pdf needs the pdf extra"),
    )
    drafts: bool = field(
        default=False, metadata=toml("true: publish fuzzy drafts too, with a draft banner")
    )
    styles: Mapping[str, str] = field(
        default_factory=dict,
        metadata=toml(
            "the typeface; Naskh PDFs can be searched and copied, Nastaliq ones cannot",
            layout="language tables",
            key="style",
        ),
    )
    digits: Mapping[str, str] = field(
        default_factory=dict,
        metadata=toml(
            '"extended": ۰۱۲۳ (Extended Arabic-Indic), or "latin": 0123',
            layout="language tables",
        ),
    )
    network: bool = field(
        default=False,
        metadata=toml(
            "true: PDF editions may load images from http(s) URLs the source document shows",
            commented=True,
        ),
    )

    def __post_init__(self) -> None:
        unknown = [f for f in self.formats if f not in FORMATS]
        if unknown:
            raise L10nError(f"formats: unknown format {unknown[0]!r} ({', '.join(FORMATS)})")
        if self.footnotes not in FOOTNOTE_PLACEMENTS:
            raise L10nError(
                f"footnotes must be one of {', '.join(FOOTNOTE_PLACEMENTS)}, not {self.footnotes!r}"
            )
        if not _PAGE_SIZE.fullmatch(self.page_size):
            raise L10nError(f"page_size must be a CSS page size such as A4, not {self.page_size!r}")


@dataclass(frozen=True)
class ServerSettings:
    """`[engines.<name>]` of a server engine: where its servers are and how hard to use them.

    The API key is never a setting: `api_key_env` names the environment
    variable that holds it.
    """

    urls: tuple[str, ...] = field(
        default=(),
        metadata=toml("base URLs, used in parallel (a load balancer's URL counts as one)"),
    )
    api_key_env: str = field(
        default="", metadata=toml("environment variable holding the API key; empty: none")
    )
    in_flight: int = field(
        default=4, metadata=toml("requests outstanding per server at once", minimum=1)
    )
    timeout: int = field(default=120, metadata=toml("seconds to wait for one answer", minimum=1))
    retries: int = field(
        default=4, metadata=toml("further tries of a failed request (429, 5xx, dropped)", minimum=0)
    )
    batch: int = field(default=16, metadata=toml("texts per request (libretranslate)", minimum=1))
    model: str = field(default="", metadata=toml("the model the server runs (openai)"))
    context: int = field(
        default=2,
        metadata=toml("neighbouring segments sent before and after each one (openai)", minimum=0),
    )
    prompt: Path | None = field(
        default=None,
        metadata=toml("your own prompt template (openai); default: the packaged one"),
    )


@dataclass(frozen=True)
class EngineOptions:
    """What every engine is opened with: where the models are, and how hard it works."""

    argos_packages: Path | None = field(
        default=None,
        metadata=toml(
            "default: argostranslate's own folder", commented=True, example="/path/to/packages"
        ),
    )
    nllb_model: Path | None = field(
        default=None,
        metadata=toml(
            "default: the model `l10n models install nllb DIR` registered",
            commented=True,
            example="/path/to/nllb-200-distilled-600M-ct2",
        ),
    )
    beam_size: int = field(
        default=4, metadata=toml("as Argos Translate decodes", commented=True, minimum=1)
    )
    batch_size: int = field(
        default=16,
        metadata=toml(
            "sentences per CTranslate2 batch (sorted by length)", commented=True, minimum=1
        ),
    )
    workers: int = field(
        default=0,
        metadata=toml(
            "batches decoded at once (inter_threads); 0: one per core", commented=True, minimum=0
        ),
    )
    threads: int = field(
        default=1,
        metadata=toml(
            "threads per batch (intra_threads); 0: CTranslate2's default", commented=True, minimum=0
        ),
    )
    device: str = field(
        default="auto",
        metadata=toml('"auto": a GPU if CTranslate2 sees one, else the CPU; or "cpu", "cuda"'),
    )
    servers: Mapping[str, ServerSettings] = field(
        default_factory=dict, metadata=toml("", layout="server tables")
    )

    def server(self, engine: str) -> ServerSettings:
        """The settings of a server engine (its defaults, with no URL, if not configured)."""
        return self.servers.get(engine, ServerSettings())


@dataclass(frozen=True)
class EngineSettings:
    """`[engines]`: which engine drafts each language, where models are, how drafts are made.

    Choices are names ("argos+dari"), checked against ENGINE_NAMES when read;
    `engines.parse_choice` makes them an engine and its post-edits.
    """

    choices: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_ENGINES),
        metadata=toml(
            "Machine drafts (`l10n draft`): the engine for each language, best first. "
            "argos: Argos Translate packages (en→ur, en→fa); nllb: NLLB-200 converted to "
            "CTranslate2 (all three); libretranslate: LibreTranslate servers; openai: an "
            "OpenAI-compatible LLM server ([engines.<name>] below); "
            '"+dari" makes Persian output Afghan Dari; "none": no drafts.',
            layout="languages",
        ),
    )
    native_digits: tuple[str, ...] = field(
        default=(), metadata=toml("languages whose drafts write ۰–۹ instead of 0–9")
    )
    protect_numbers: bool = field(
        default=False, metadata=toml("true: numbers pass the engine untouched, as placeholders")
    )
    glossary: tuple[str, ...] = field(
        default=("approved",),
        metadata=toml('glossary renderings put into drafts ("proposed" too?)'),
    )
    cache: bool = field(
        default=True,
        metadata=toml("reuse translated sentences (.l10n-cache/drafts.sqlite3)", commented=True),
    )
    options: EngineOptions = field(
        default_factory=EngineOptions, metadata=toml("", layout="inline")
    )

    def choices_for(self, lang: str) -> tuple[str, ...]:
        """The engines to try for a language ("argos+dari"), best first; empty: no drafts."""
        return self.choices.get(lang, OTHER_ENGINES)


@dataclass(frozen=True)
class Settings:
    """Every table of l10n.toml, in the order `l10n init` writes them."""

    project: ProjectSettings = field(
        default_factory=ProjectSettings, metadata=toml("", layout="table")
    )
    extract: ExtractSettings = field(
        default_factory=ExtractSettings, metadata=toml("", layout="table")
    )
    update: UpdateSettings = field(
        default_factory=UpdateSettings, metadata=toml("", layout="table")
    )
    glossary: GlossarySettings = field(
        default_factory=GlossarySettings, metadata=toml("", layout="table")
    )
    publish: PublishSettings = field(
        default_factory=PublishSettings, metadata=toml("", layout="table")
    )
    #: last, so that a key added at the end of the file lands in it
    engines: EngineSettings = field(
        default_factory=EngineSettings, metadata=toml("", layout="table")
    )


@dataclass(frozen=True, kw_only=True)
class Config(Settings):
    """One project's settings and the folder they belong to; the paths are absolute."""

    root: Path

    @property
    def name(self) -> str:
        return self.project.name or self.root.name

    @property
    def source_dir(self) -> Path:
        return self.root / self.project.source

    @property
    def locales_dir(self) -> Path:
        return self.root / self.project.locales

    @property
    def output_dir(self) -> Path:
        return self.root / self.project.output

    @property
    def languages(self) -> tuple[str, ...]:
        return self.project.languages

    @property
    def front_matter_keys(self) -> tuple[str, ...]:
        return self.extract.front_matter_keys

    @property
    def fuzzy_threshold(self) -> float:
        return self.update.fuzzy_threshold

    @property
    def glossary_path(self) -> Path:
        return self.root / self.glossary.file
