"""Page weight of the brief's HTML editions, and what embedding their fonts costs.

For each edition (ps, fa_AF, ur in Nastaliq, en) the page is rendered as
`l10n publish -f html` renders it, without and with its fonts, and the CPU time
of the font step is measured twice: with an empty subset cache (the first
build, or one whose text brings new characters) and with the cache filled.

    python bench/page_weight.py            # writes bench/out/page_weight.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import time
from pathlib import Path

from l10n.config import load_config
from l10n.project import Project
from l10n.publishing import fonts
from l10n.publishing.editions import Edition, Policy, build_edition
from l10n.publishing.html import render_html

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out" / "page_weight.json"


def pages(project: Project) -> dict[str, tuple[str, object]]:
    """(Markdown, status) of each edition of the brief, as publish builds them."""
    policy = Policy.choose(drafts=True)
    found = {}
    for catalog in project.catalogs(None):
        edition = build_edition(project.parse(catalog.doc), catalog.read(), catalog.label, policy)
        found[catalog.lang.code] = (edition.text, edition.status)
    doc = project.documents()[0]
    original = Edition.of_source(project.parse(doc))
    found["en"] = (original.text, original.status)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    project = Project(load_config(REPO))
    settings = project.config.publish
    results = {}
    with tempfile.TemporaryDirectory() as cache:
        os.environ["XDG_CACHE_HOME"] = cache
        for lang, (text, status) in pages(project).items():
            bare = render_html(text, lang, status=status, source_label="brief", settings=settings)
            times = []
            for _ in ("cold", "warm"):
                fonts.font_file.cache_clear()
                started = time.process_time()
                full = render_html(
                    text, lang, status=status, source_label="brief", settings=settings, fonts=True
                )
                times.append(time.process_time() - started)
            families = sorted(set(re.findall(r'font-family: "([^"]+)"; font-weight: (\d+)', full)))
            results[lang] = {
                "bytes_without_fonts": len(bare.encode()),
                "bytes_with_fonts": len(full.encode()),
                "render_cpu_s_cold_cache": round(times[0], 2),
                "render_cpu_s_warm_cache": round(times[1], 2),
                "faces": [f"{family} {weight}" for family, weight in families],
            }
            row = results[lang]
            print(
                f"{lang:6} {row['bytes_without_fonts'] / 1000:6.0f} kB → "
                f"{row['bytes_with_fonts'] / 1000:4.0f} kB   render with fonts: "
                f"{times[0]:5.2f} s CPU cold cache, {times[1]:4.2f} s warm"
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")


if __name__ == "__main__":
    main()
