"""Afghan Dari versus Iranian Persian: the post-edit table, kept as data (data/dari.tsv)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, partial
from importlib.resources import files

from .languages import DIGIT_CLASS


@dataclass(frozen=True)
class Rule:
    kind: str  # "word", "month" or "letter"
    iranian: str
    dari: str

    @property
    def pattern(self) -> re.Pattern[str]:
        return _pattern(self.kind, self.iranian)


@cache
def rules() -> tuple[Rule, ...]:
    text = files("l10n").joinpath("data/dari.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return tuple(Rule(kind, iranian, dari) for kind, iranian, dari in rows)


_DIGIT = f"[{DIGIT_CLASS}]"


def _word(iranian: str) -> str:
    """The Iranian form, its parts joined by spaces or a zero-width non-joiner alike."""
    return r"[\s\u200c]*".join(re.escape(part) for part in re.split(r"[\s\u200c]+", iranian))


_SUFFIX = r"(?:[\u200c]?(?:ها|های|ی))?"


@cache
def _pattern(kind: str, iranian: str) -> re.Pattern[str]:
    if kind == "letter":
        return re.compile(re.escape(iranian))
    body = rf"(?<!\w){_word(iranian)}{_SUFFIX}(?!\w)"
    if kind == "month":  # only where it names a month: next to a day number or ماه
        return re.compile(rf"(?:{_DIGIT}+\s*{body}|{body}\s*{_DIGIT}|ماه\s+{body})")
    return re.compile(body)


@cache
def _replacement(iranian: str) -> re.Pattern[str]:
    """The Iranian form and the suffix after it, inside a match of its rule."""
    return re.compile(rf"{_word(iranian)}(?P<zwnj>\u200c?)(?P<suffix>(?:ها|های|ی)?)(?!\w)")


def iranian_forms(text: str) -> list[Rule]:
    """The rules whose Iranian form occurs in a Dari text."""
    return [rule for rule in rules() if rule.pattern.search(text)]


def _replace(rule: Rule, match: re.Match[str]) -> str:
    def afghan(found: re.Match[str]) -> str:
        # a final ه joins the next letter: طیاره + ها needs the non-joiner to read طیاره‌ها
        joiner = "\u200c" if found["suffix"] and (found["zwnj"] or rule.dari.endswith("ه")) else ""
        return rule.dari + joiner + found["suffix"]

    return _replacement(rule.iranian).sub(afghan, match.group(0))


def post_edit(text: str) -> str:
    """Persian machine output made Afghan: vocabulary, month names and letters replaced."""
    ordered = sorted(rules(), key=lambda rule: rule.kind != "letter")  # letters first
    for rule in ordered:
        if rule.kind == "letter":
            text = text.replace(rule.iranian, rule.dari)
        else:
            text = rule.pattern.sub(partial(_replace, rule), text)
    return text
