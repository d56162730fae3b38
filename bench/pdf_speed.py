"""PDF speed: the publish stage against bare WeasyPrint on the same HTML, per language.

For each edition of the brief (`source/a-road-untraveled.md`) this times, in
one process after a warm-up run, the median of `--runs` (the steps take turns,
so a busy machine slows all of them alike; times are CPU seconds of this
process, which other load on the machine does not inflate, WeasyPrint being
single-threaded):

  html     render_html: Markdown → the edition's HTML page (template, typesetting)
  pdf      render_pdf on that page (what `l10n publish --format pdf` runs)
  bare     weasyprint.HTML(string=page).write_pdf() on the very same page
  plain    bare WeasyPrint on markdown-it's plain HTML of the text (no template, no
           print CSS, default fonts): what the styling costs, for information

Target (issue "publish HTML and PDF"): html + pdf ≤ 1.2 × bare.  The brief has no
translation yet, so the right-to-left editions use the brief with its lowercase
words spelled in Arabic-script letters (acronyms, numbers, URLs and markup kept):
text of the same length and shape that exercises Arabic shaping, Nastaliq included.

Usage::

    python bench/pdf_speed.py [--runs 3]

Results: a table on stdout and bench/out/pdf_speed.json.  Needs WeasyPrint
(`pip install -e '.[pdf]'`) and the fonts of fonts-noto-core.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import weasyprint

from l10n.document import parse_document, render_document
from l10n.markdown import render_html as plain_html
from l10n.publishing.editions import EditionStatus
from l10n.publishing.html import PublishSettings, render_html
from l10n.publishing.pdf import render_pdf

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
BRIEF = REPO / "source" / "a-road-untraveled.md"

#: lowercase words standing alone (not inside a URL, a path or a footnote label)
_WORD = re.compile(r"(?<![\w/.:#^@-])[a-z]+(?![\w/.:@-])")
_LETTERS = dict(zip("abcdefghijklmnopqrstuvwxyz", "اببپتټجچحخدډرړزژسشصطعغفقکګ", strict=True))

EDITIONS = [  # (label, language, type style)
    ("en", "en", None),
    ("ps", "ps", None),
    ("fa_AF", "fa_AF", None),
    ("ur nastaliq", "ur", "nastaliq"),
    ("ur naskh", "ur", "naskh"),
]


def arabic_script_brief() -> str:
    """The brief with its prose in Arabic-script letters and its markup untouched."""
    doc = parse_document(BRIEF.read_text(encoding="utf-8"))
    spell = lambda m: "".join(_LETTERS[c] for c in m.group())  # noqa: E731
    return render_document(doc, lambda seg: _WORD.sub(spell, seg.msgid))


def median_seconds(steps: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """The median CPU time of each step; the steps take turns, after one warm-up round."""
    times: dict[str, list[float]] = {name: [] for name in steps}
    for round_ in range(runs + 1):
        for name, work in steps.items():
            start = time.process_time()
            work()
            if round_:  # round 0 warms fontconfig's and WeasyPrint's caches
                times[name].append(time.process_time() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    english, rtl = BRIEF.read_text(encoding="utf-8"), arabic_script_brief()
    rows = []
    for label, lang, style in EDITIONS:
        text = english if lang == "en" else rtl
        status = EditionStatus(original=True) if lang == "en" else EditionStatus(translated=160)
        settings = PublishSettings(styles={lang: style} if style else {})

        def page(text=text, lang=lang, status=status, settings=settings) -> str:
            return render_html(text, lang, status=status, source_label="brief", settings=settings)

        html = page()
        direction = "ltr" if lang == "en" else "rtl"
        bare_page = f'<html lang="{lang}" dir="{direction}"><body>{plain_html(text)}</body></html>'
        times = median_seconds(
            {
                "html": page,
                "pdf": lambda html=html: render_pdf(html),
                "bare": lambda html=html: weasyprint.HTML(string=html).write_pdf(),
                "plain": lambda p=bare_page: weasyprint.HTML(string=p).write_pdf(),
            },
            args.runs,
        )
        pages = len(weasyprint.HTML(string=html).render().pages)
        ratio = (times["html"] + times["pdf"]) / times["bare"]
        rows.append({"edition": label, **times, "pages": pages, "ratio": ratio})
        print(
            f"{label:12} html {times['html']:6.3f}s  pdf {times['pdf']:6.3f}s  "
            f"bare {times['bare']:6.3f}s  plain {times['plain']:6.3f}s  pages {pages:2}  "
            f"(html+pdf)/bare {ratio:.2f}",
            flush=True,
        )
    worst = max(r["ratio"] for r in rows)
    verdict = "ok" if worst <= 1.2 else "MISSED"
    print(f"worst (html+pdf)/bare: {worst:.2f} (target ≤ 1.20): {verdict}")
    OUT.mkdir(exist_ok=True)
    report = {
        "runs": args.runs,
        "weasyprint": weasyprint.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "rows": rows,
    }
    (OUT / "pdf_speed.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
