"""Bare markdown-it-py parse of a file: the practical lower bound for ``extract``.

Run as a fresh process (the harness times the whole process, import included,
just like a CLI call).  Prints one JSON line with the in-process timings::

    {"import_s": ..., "read_s": ..., "parse_s": ..., "tokens": ...}
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Parse the file named on the command line and report timings."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: bare_parse.py FILE.md", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(footnote_plugin)
    t1 = time.perf_counter()
    text = Path(args[0]).read_text(encoding="utf-8")
    t2 = time.perf_counter()
    tokens = md.parse(text)
    t3 = time.perf_counter()
    result = {"import_s": t1 - t0, "read_s": t2 - t1, "parse_s": t3 - t2, "tokens": len(tokens)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
