"""Generate a large, deterministic Markdown document for benchmarking.

The document starts with YAML front matter and then repeats sections built
from varied block types (ATX headings, hard-wrapped paragraphs with inline
markup, bullet/ordered/nested lists, block quotes, GFM tables, fenced code,
reference links and footnotes).  Every translatable unit carries a running
counter, so no two paragraphs, list items, headings or table cells are
identical and no tool can profit from deduplicating msgids.

Usage::

    python bench/make_corpus.py [--size BYTES] [--seed N] [-o FILE]
"""

from __future__ import annotations

import argparse
import random
import sys
import textwrap
from pathlib import Path

DEFAULT_SIZE = 5_000_000
DEFAULT_SEED = 20240611
WRAP_WIDTH = 72

# Plain words only: none may start with a character that opens a block
# (``#``, ``>``, ``-``, ``+``, ``*``, ``=``, a digit) when hard wrapping puts it
# at the start of a line.
_WORD_TEXT = """
policy border security region government council trade agreement transit
province district capital market harvest water river valley mountain road
bridge school teacher student clinic doctor health medicine village family
elder youth women rights justice court judge lawyer reform budget revenue
customs tariff export import pipeline electricity network power station
energy community leader minister ministry envoy delegation summit meeting
dialogue treaty protocol memorandum report survey census statistic estimate
figure chapter section annex appendix note source review archive record
history memory tradition language poetry literature scholar library museum
journal newspaper broadcast radio signal message letter diary witness
testimony account narrative perspective opinion argument evidence analysis
finding conclusion recommendation proposal option strategy priority risk
threat opportunity challenge obstacle progress setback transition stability
recovery resilience cooperation partnership engagement neighbour ally donor
partner agency programme project initiative mechanism framework institution
committee commission office bureau directorate department unit team staff
officer adviser expert observer monitor inspector auditor planner architect
engineer farmer trader merchant driver pilot sailor herder weaver baker
tailor potter carpenter mason miner nurse midwife refugee migrant returnee
settlement camp shelter ration supply convoy route corridor checkpoint
crossing gate passage frontier plateau desert steppe orchard vineyard field
canal dam reservoir well spring glacier snow rain drought flood season
winter spring summer autumn morning evening quietly slowly carefully openly
rarely often seldom gradually steadily firmly broadly narrowly largely
partly mostly nearly almost already still again together apart abroad
ahead behind between beyond within without across along among around
durable fragile modest ambitious careful cautious credible timely uneven
shared local national regional global formal informal public private civil
rural urban coastal upland lowland northern southern eastern western central
"""
_WORDS = _WORD_TEXT.split()

_ACCENTED = ["café", "naïve", "résumé", "façade", "Zürich", "Kraków", "São Paulo", "Ærø"]
_LANGS = ["python", "json", "yaml", "bash", "toml", "text"]


class CorpusWriter:
    """Build the document block by block while tracking its UTF-8 size."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.counter = 0
        self.footnote = 0
        self.reference = 0
        self.blocks: list[str] = []
        self.footnote_defs: list[str] = []
        self.pending_refs: list[str] = []
        self.size = 0

    # -- small helpers -------------------------------------------------
    def uid(self) -> int:
        """Return the next value of the global uniqueness counter."""
        self.counter += 1
        return self.counter

    def words(self, low: int, high: int) -> list[str]:
        """Return between ``low`` and ``high`` random plain words."""
        return self.rng.choices(_WORDS, k=self.rng.randint(low, high))

    def phrase(self, low: int = 2, high: int = 5) -> str:
        """Return a short phrase of plain words."""
        return " ".join(self.words(low, high))

    def add(self, block: str) -> None:
        """Append a block (without trailing blank line) to the body."""
        self.blocks.append(block)
        self.size += len(block.encode("utf-8")) + 2

    def add_footnote_def(self, label: str) -> None:
        """Queue a footnote definition; all are written at the very end."""
        text = f"[^{label}]: Note {self.uid()}: {self.sentence(inline=False)}"
        self.footnote_defs.append(text)
        self.size += len(text.encode("utf-8")) + 2

    # -- inline content ------------------------------------------------
    def inline_piece(self) -> str:
        """Return one inline construct (emphasis, link, code span, ...)."""
        kind = self.rng.randrange(9)
        if kind == 0:
            return f"*{self.phrase(1, 3)}*"
        if kind == 1:
            return f"**{self.phrase(1, 3)}**"
        if kind == 2:
            return f"`{self.rng.choice(_WORDS)}_{self.uid()}()`"
        if kind == 3:
            n = self.uid()
            return f"[{self.phrase(1, 4)}](https://example.org/{self.rng.choice(_WORDS)}/{n})"
        if kind == 4:
            n = self.uid()
            return f'[{self.phrase(1, 3)}](https://example.net/doc-{n}.html "{self.phrase(2, 3)}")'
        if kind == 5:
            self.reference += 1
            label = f"ref-{self.reference}"
            self.pending_refs.append(label)
            return f"[{self.phrase(1, 3)}][{label}]"
        if kind == 6:
            return f"_{self.phrase(1, 2)}_ and ***{self.rng.choice(_WORDS)}***"
        if kind == 7:
            return self.rng.choice(_ACCENTED) + f" ({self.uid()})"
        return f"<https://example.com/a/{self.uid()}>"

    def sentence(self, inline: bool = True) -> str:
        """Return a sentence with optional inline markup, ending in a period."""
        parts = self.words(6, 16)
        if inline:
            for _ in range(self.rng.randint(0, 2)):
                parts.insert(self.rng.randrange(1, len(parts) + 1), self.inline_piece())
        text = " ".join(parts)
        return text[0].upper() + text[1:] + "."

    def footnote_ref(self) -> str:
        """Return a new footnote reference and queue its definition."""
        self.footnote += 1
        label = str(self.footnote) if self.rng.random() < 0.7 else f"fn-{self.footnote}"
        self.add_footnote_def(label)
        return f"[^{label}]"

    def paragraph_text(self, low: int = 2, high: int = 6) -> str:
        """Return paragraph text (unwrapped) that is unique by construction."""
        sentences = [self.sentence() for _ in range(self.rng.randint(low, high))]
        sentences[0] = f"Paragraph {self.uid()}: " + sentences[0]
        if self.rng.random() < 0.5:
            i = self.rng.randrange(len(sentences))
            sentences[i] = sentences[i][:-1] + self.footnote_ref() + "."
        return " ".join(sentences)

    @staticmethod
    def wrap(text: str, indent: str = "", first: str | None = None) -> str:
        """Hard-wrap ``text`` like an editor would, never splitting words."""
        return textwrap.fill(
            text,
            width=WRAP_WIDTH,
            initial_indent=indent if first is None else first,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )

    # -- blocks --------------------------------------------------------
    def front_matter(self) -> None:
        """Emit YAML front matter once, at the top of the document."""
        self.add(
            "---\n"
            'title: "Benchmark corpus for Markdown and PO round trips"\n'
            'subtitle: "Generated text with unique paragraphs"\n'
            "authors:\n"
            '  - "First Author"\n'
            '  - "Second Author"\n'
            'date: "2024-06"\n'
            'rights: "© 2024 Nobody; generated for benchmarking"\n'
            "---"
        )

    def heading(self, level: int) -> None:
        """Emit an ATX heading with a unique title."""
        title = self.phrase(2, 6).capitalize()
        self.add(f"{'#' * level} {title} {self.uid()}")

    def paragraph(self) -> None:
        """Emit a hard-wrapped paragraph."""
        self.add(self.wrap(self.paragraph_text()))

    def bullet_list(self, nested: bool) -> None:
        """Emit a bullet list, optionally with a nested ordered/bullet level."""
        marker = self.rng.choice("-*+")
        lines: list[str] = []
        for _ in range(self.rng.randint(3, 6)):
            item = f"Item {self.uid()}: {self.sentence()}"
            lines.append(self.wrap(item, indent="  ", first=f"{marker} "))
            if nested and self.rng.random() < 0.5:
                sub_ordered = self.rng.random() < 0.5
                for k in range(1, self.rng.randint(2, 4) + 1):
                    sub = f"Subitem {self.uid()}: {self.sentence()}"
                    if sub_ordered:
                        lines.append(self.wrap(sub, indent="     ", first=f"  {k}. "))
                    else:
                        lines.append(self.wrap(sub, indent="    ", first="  - "))
        self.add("\n".join(lines))

    def ordered_list(self) -> None:
        """Emit an ordered list whose items may span several lines."""
        lines: list[str] = []
        delim = self.rng.choice(".)")
        for k in range(1, self.rng.randint(3, 7) + 1):
            item = f"Step {self.uid()}: {self.sentence()} {self.sentence()}"
            first = f"{k}{delim} "
            lines.append(self.wrap(item, indent=" " * len(first), first=first))
        self.add("\n".join(lines))

    def block_quote(self) -> None:
        """Emit a block quote with one or two paragraphs, maybe a list."""
        parts = [self.wrap(self.paragraph_text(1, 3), indent="> ")]
        if self.rng.random() < 0.5:
            parts.append(">")
            parts.append(self.wrap(self.paragraph_text(1, 2), indent="> "))
        if self.rng.random() < 0.3:
            parts.append(">")
            for _ in range(self.rng.randint(2, 3)):
                parts.append(f"> - Quoted item {self.uid()}: {self.phrase(3, 7)}")
        if self.rng.random() < 0.5:
            parts.append(">")
            parts.append(f"> — {self.phrase(2, 3).title()} {self.uid()}")
        self.add("\n".join(parts))

    def table(self) -> None:
        """Emit a GFM table with an alignment row and unique cells."""
        cols = self.rng.randint(2, 5)
        aligns = [self.rng.choice(["---", ":---", "---:", ":---:"]) for _ in range(cols)]
        header = [f"{self.phrase(1, 2).title()} {self.uid()}" for _ in range(cols)]
        rows = ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"]
        for _ in range(self.rng.randint(2, 8)):
            cells = []
            for c in range(cols):
                if c == 0:
                    cells.append(f"{self.phrase(1, 3)} {self.uid()}")
                elif self.rng.random() < 0.3:
                    cells.append(f"`{self.uid()}` {self.inline_piece()}")
                else:
                    cells.append(f"{self.rng.randint(0, 99999)} {self.rng.choice(_WORDS)}")
            rows.append("| " + " | ".join(cells) + " |")
        self.add("\n".join(rows))

    def code_block(self) -> None:
        """Emit a fenced code block with an info string."""
        lang = self.rng.choice(_LANGS)
        fence = self.rng.choice(["```", "~~~"])
        body = []
        for _ in range(self.rng.randint(2, 10)):
            n = self.uid()
            body.append(f"{self.rng.choice(_WORDS)}_{n} = compute({n}, '{self.phrase(1, 3)}')")
        self.add(f"{fence}{lang}\n" + "\n".join(body) + f"\n{fence}")

    def reference_definitions(self) -> None:
        """Emit definitions for the reference links used in this section."""
        if not self.pending_refs:
            return
        defs = []
        for label in self.pending_refs:
            title = f' "{self.phrase(1, 3)}"' if self.rng.random() < 0.5 else ""
            defs.append(f"[{label}]: https://example.edu/{label}{title}")
        self.pending_refs = []
        self.add("\n".join(defs))

    def section(self) -> None:
        """Emit one section: heading, a mix of blocks, reference definitions."""
        self.pending_refs = []
        self.heading(2)
        for _ in range(self.rng.randint(1, 3)):
            self.paragraph()
        for _ in range(self.rng.randint(3, 8)):
            roll = self.rng.random()
            if roll < 0.40:
                self.paragraph()
            elif roll < 0.50:
                self.bullet_list(nested=self.rng.random() < 0.5)
            elif roll < 0.58:
                self.ordered_list()
            elif roll < 0.66:
                self.block_quote()
            elif roll < 0.74:
                self.table()
            elif roll < 0.80:
                self.code_block()
            else:
                self.heading(3)
                self.paragraph()
        self.reference_definitions()

    def build(self, size: int) -> str:
        """Return the whole document, about ``size`` UTF-8 bytes long."""
        self.front_matter()
        self.add(self.wrap(self.paragraph_text()))
        while self.size < size:
            self.section()
        return "\n\n".join(self.blocks + self.footnote_defs) + "\n"


def generate(size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED) -> str:
    """Return a deterministic Markdown document of roughly ``size`` bytes."""
    return CorpusWriter(seed).build(size)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="target size in bytes")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument("-o", "--output", type=Path, help="output file (default: stdout)")
    args = parser.parse_args(argv)
    text = generate(args.size, args.seed)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output} ({len(text.encode('utf-8')):,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
