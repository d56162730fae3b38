"""A reader who clicks a link in an edition goes to the web, a mail program or another page.

Never to a script, a file on their machine, another application, or a host the
page fetches from by itself.  The cases are in fixtures/hostile_links.txt; each
is written as a link, an image and a reference definition, translated or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest

from l10n.markdown import render_html as plain_html
from l10n.publishing.html import EditionStatus, render_html

from conftest import FIXTURES

HOSTILE_LINKS = FIXTURES / "hostile_links.txt"
VERDICTS = ("allow", "image", "refuse")
_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})")


@dataclass(frozen=True)
class Case:
    verdict: str
    destination: str  # as written in Markdown
    line: int

    @property
    def label(self) -> str:
        return f"{self.line}:{self.verdict}:{self.destination!r}"


def read_cases() -> list[Case]:
    cases = []
    for number, line in enumerate(HOSTILE_LINKS.read_text("utf-8").split("\n"), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        verdict, _, written = line.partition(" ")
        assert verdict in VERDICTS and written, f"hostile_links.txt:{number}: {line!r}"
        destination = _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)), written)
        cases.append(Case(verdict, destination, number))
    return cases


CASES = read_cases()

#: each form of a target, as an English source and as a Pashto translation would write it
FORMS = {
    "link": ("Read [the report]({}) first.\n", "لومړی [راپور]({}) ولولئ.\n"),
    "image": ("See ![the map]({}) here.\n", "دلته ![نقشه]({}) وګورئ.\n"),
    "reference link": (
        "Read [the report][source] first.\n\n[source]: {}\n",
        "لومړی [راپور][source] ولولئ.\n\n[source]: {}\n",
    ),
    "reference image": (
        "See ![the map][source] here.\n\n[source]: {}\n",
        "دلته ![نقشه][source] وګورئ.\n\n[source]: {}\n",
    ),
}


class _Targets(HTMLParser):
    """Every href and src of a page, and every attribute value."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.targets: list[str] = []
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            self.values.append(value or "")
            if name in ("href", "src"):
                self.targets.append(value or "")


def targets(html: str) -> _Targets:
    found = _Targets()
    found.feed(html)
    return found


def edition(markdown: str, lang: str) -> str:
    return render_html(
        markdown, lang, status=EditionStatus(original=True), source_label="source/brief.md"
    )


def expected_to_link(case: Case, form: str) -> bool:
    return case.verdict == "allow" or (case.verdict == "image" and "image" in form)


def test_the_fixture_holds_cases_of_every_verdict():
    assert {case.verdict for case in CASES} == set(VERDICTS)
    assert len(CASES) >= 60


@pytest.mark.parametrize("case", CASES, ids=[case.label for case in CASES])
def test_an_edition_links_only_where_the_allow_list_says(case: Case):
    for form, written in FORMS.items():
        for lang, template in zip(("en", "ps"), written, strict=True):
            markdown = template.format(case.destination)
            # what markdown-it alone would have made of the target (None: not even a link)
            unchecked = targets(plain_html(markdown)).targets
            page = targets(edition(markdown, lang))
            where = f"{form} in the {lang} edition"
            if expected_to_link(case, form):
                assert page.targets == unchecked and len(unchecked) == 1, where
            else:
                assert page.targets == [], where
                for target in filter(None, unchecked):
                    assert target not in page.values, where
