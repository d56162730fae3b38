"""The command line: `app` parses arguments, calls the library and prints what happened.

Terminal rendering (rich tables, coloured diffs) lives beside it in this
package; nothing in the library imports it.
"""

from __future__ import annotations

from .app import app, main

__all__ = ["app", "main"]
