"""Quality checks on translations, as a table of small functions.

Each check has an id, a severity and a one-line explanation, and returns the
problems it finds in one entry.  They are written for Arabic-script targets:
native digits count as numbers, ؟ ، ؛ ۔ are the right punctuation, and there
is no capitalisation or sentence-count check.  An entry silences a check with
a translator comment `# l10n-ignore: ID[, ID…]` (msgmerge keeps translator
comments; it drops unknown flags).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import polib

from . import dari
from .catalog import entry_kinds
from .comments import Notes
from .document import slot_of, slot_problem
from .glossary import Glossary, check_translation, mask_markup
from .inline import MARKUP, Kind, read_inline
from .languages import DIGIT_CLASS, TO_ASCII_DIGITS, Language
from .review import State, state


@dataclass(frozen=True)
class Context:
    """What a check may look at: the entry, its language, the glossary."""

    msgid: str
    msgstr: str
    lang: Language
    glossary: Glossary
    kinds: tuple[str, ...]  # the block kinds from the template ("heading 2", "table cell", …)
    notes: Notes = field(default_factory=Notes)  # the translator comment, read once


@dataclass(frozen=True)
class Finding:
    check: str
    severity: str
    message: str


@dataclass(frozen=True)
class Check:
    id: str
    severity: str  # "error" or "warning"
    explanation: str
    run: Callable[[Context], Iterable[str]]
    languages: tuple[str, ...] = ()  # empty: every language


# --------------------------------------------------------------------------- Markdown
# Inline markup is `inline`'s reading, once per string: the one placeholders,
# glossary matching and word counts use.  A lone entry has no footnote or link
# reference definitions; `inline` reads `[^3]` and `[text][label]` as if it had.


def _missing(what: str, source: Counter, target: Counter) -> list[str]:
    lost, added = source - target, target - source
    problems = [f"{what} {item!r} is missing" for item in lost]
    problems += [f"{what} {item!r} is not in the source" for item in added]
    return problems


def check_footnotes(ctx: Context) -> list[str]:
    source, target = read_inline(ctx.msgid).footnotes, read_inline(ctx.msgstr).footnotes
    return _missing("footnote reference", source, target)


def check_links(ctx: Context) -> list[str]:
    return _missing("link to", read_inline(ctx.msgid).links, read_inline(ctx.msgstr).links)


def check_code(ctx: Context) -> list[str]:
    return _missing("code span", read_inline(ctx.msgid).code, read_inline(ctx.msgstr).code)


def check_html(ctx: Context) -> list[str]:
    return _missing("inline HTML", read_inline(ctx.msgid).html, read_inline(ctx.msgstr).html)


def check_emphasis(ctx: Context) -> list[str]:
    problems = []
    source, target = read_inline(ctx.msgid).emphasis, read_inline(ctx.msgstr).emphasis
    if source != target:
        problems.append(
            f"emphasis differs: source has {dict(source) or 'none'}, "
            f"translation has {dict(target) or 'none'}"
        )
    if read_inline(ctx.msgstr).stray:  # a * or _ that could open or close, but pairs with nothing
        problems.append("an unmatched * or _ would show as a literal character")
    return problems


def check_structure(ctx: Context) -> list[str]:
    """Publishing's own rule, for each block the entry stands in (a loose file: a paragraph)."""
    problems = (slot_problem(slot_of(kind), ctx.msgid, ctx.msgstr) for kind in ctx.kinds or [""])
    return list(dict.fromkeys(p for p in problems if p))


# --------------------------------------------------------------------------- tokens

#: markup, and bare domains such as afghanistan.fes.de: not words of the text
_NOT_WORDS: frozenset[Kind] = MARKUP | {"domain"}
#: quoted titles: in footnotes, source titles stay in their language (so do italic ones)
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")
_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-+ #0]*\d*(?:\.\d+)?[sdifrxXeEgGc]|\{[\w.]*\}")
_NUMBER = re.compile(rf"[{DIGIT_CLASS}]+(?:[.,\u066b\u066c\u060c][{DIGIT_CLASS}]+)*")


def check_urls(ctx: Context) -> list[str]:
    source, target = read_inline(ctx.msgid), read_inline(ctx.msgstr)
    lost = (source.urls + source.emails) - (target.urls + target.emails)
    return [f"{item!r} is missing or changed" for item in lost]


def check_placeholders(ctx: Context) -> list[str]:
    source, target = (
        Counter(_PLACEHOLDER.findall(ctx.msgid)),
        Counter(_PLACEHOLDER.findall(ctx.msgstr)),
    )
    return _missing("placeholder", source, target)


def _numbers(text: str) -> Counter:
    visible = read_inline(text).masked()
    values = []
    for match in _NUMBER.finditer(visible):
        digits = re.sub(r"[.,\u066b\u066c\u060c]", "", match.group(0).translate(TO_ASCII_DIGITS))
        values.append(digits.lstrip("0") or "0")
    return Counter(values)


def check_numbers(ctx: Context) -> list[str]:
    """Numbers survive in any digit set (0-9, ٠-٩, ۰-۹) and with any separators."""
    lost = _numbers(ctx.msgid) - _numbers(ctx.msgstr)
    return [f"number {n} is missing (in any digits)" for n in sorted(lost)]


# --------------------------------------------------------------------------- glossary


def check_glossary(ctx: Context, severity: str) -> list[str]:
    return [
        p.message
        for p in check_translation(ctx.glossary, ctx.lang.code, ctx.msgid, ctx.msgstr)
        if p.severity == severity
    ]


# --------------------------------------------------------------------------- typography

_ARABIC_LETTER = r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"
_NON_JOINING = set("اآأإدذرزژوؤۀەۍډړږښۇۈۉۊےۓ")
_BIDI_PUSH = set("\u202a\u202b\u202d\u202e")
_BIDI_ISOLATE = set("\u2066\u2067\u2068")


def check_letters(ctx: Context) -> list[str]:
    return [
        f"{wrong} (U+{ord(wrong):04X}) is not used in {ctx.lang.english_name}; write {right}"
        for wrong, right in ctx.lang.letter_fixes
        if wrong in ctx.msgstr
    ]


def check_zwnj(ctx: Context) -> list[str]:
    text = ctx.msgstr
    problems = []
    if "\u200c\u200c" in text:
        problems.append("doubled zero-width non-joiner")
    for match in re.finditer("\u200c", text):
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if not re.match(_ARABIC_LETTER, before) or not re.match(_ARABIC_LETTER + "|\u200c", after):
            problems.append("zero-width non-joiner outside a word")
            break
        if before in _NON_JOINING:
            problems.append(f"zero-width non-joiner after {before}, which never joins")
            break
    return problems


def check_bidi_controls(ctx: Context) -> list[str]:
    embeddings = isolates = 0
    for ch in ctx.msgstr:
        if ch in _BIDI_PUSH:
            embeddings += 1
        elif ch == "\u202c":
            embeddings -= 1
        elif ch in _BIDI_ISOLATE:
            isolates += 1
        elif ch == "\u2069":
            isolates -= 1
        if embeddings < 0 or isolates < 0:
            return ["a bidi control closes more than was opened"]
    if embeddings or isolates:
        return ["a bidi embedding or isolate is opened and never closed"]
    return []


def check_punctuation(ctx: Context) -> list[str]:
    problems = []
    text = mask_markup(ctx.msgstr)
    for latin, native in ctx.lang.punctuation:
        pattern = _ARABIC_LETTER + re.escape(latin)
        if latin == ".":
            pattern += r"(?=\s|$|\[)"  # a sentence end, not an abbreviation or a number
        if re.search(pattern, text):
            problems.append(f"Latin '{latin}' after {ctx.lang.english_name} text; write '{native}'")
    return problems


def check_latin_text(ctx: Context) -> list[str]:
    """English words of the source left in running text (titles in quotes do not count)."""
    allowed = {f.casefold() for t in ctx.glossary.terms if t.do_not_translate for f in t.forms}
    visible = _QUOTED.sub(" ", read_inline(ctx.msgstr).masked(_NOT_WORDS, whole={"em"}))
    source_words = {w.casefold() for w in re.findall(r"[A-Za-z][A-Za-z'-]+", ctx.msgid)}
    leftovers = [
        word
        for word in re.findall(r"[A-Za-z][A-Za-z'-]+", visible)
        if word.casefold() not in allowed and not word.isupper()
        and word.casefold() in source_words
    ]  # fmt: skip
    return [f"English left in the translation: {' '.join(leftovers[:6])}"] if leftovers else []


# --------------------------------------------------------------------------- content


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", read_inline(text).masked(_NOT_WORDS))


def check_copied(ctx: Context) -> list[str]:
    """A copy is fine only where nothing but do-not-translate terms is left to translate."""
    if ctx.msgstr.strip() != ctx.msgid.strip():
        return []
    text = ctx.msgid
    for match in reversed(ctx.glossary.find(text)):
        if match.term.do_not_translate:
            text = text[: match.start] + text[match.end :]
    return ["the translation is a copy of the source"] if len(_words(text)) >= 2 else []


def check_length(ctx: Context) -> list[str]:
    source, target = len(ctx.msgid.strip()), len(ctx.msgstr.strip())
    if source < 20:
        return []
    ratio = target / source
    if ratio < 0.35:
        return [f"the translation is {ratio:.0%} of the source's length: is something missing?"]
    if ratio > 2.5:
        return [f"the translation is {ratio:.0%} of the source's length: is something added?"]
    return []


def check_doubled_words(ctx: Context) -> list[str]:
    doubled = re.findall(r"(?<!\w)(\w+)\s+\1(?!\w)", mask_markup(ctx.msgstr))
    source_doubled = set(re.findall(r"(?<!\w)(\w+)\s+\1(?!\w)", ctx.msgid))
    words = [w for w in doubled if w not in source_doubled and not w.isdigit()]
    return [f"doubled word: {w} {w}" for w in words]


def check_whitespace(ctx: Context) -> list[str]:
    problems = []
    for where, strip in (("leading", str.lstrip), ("trailing", str.rstrip)):
        src = ctx.msgid != strip(ctx.msgid)
        dst = ctx.msgstr != strip(ctx.msgstr)
        if src != dst:
            problems.append(f"{where} white space differs from the source")
    return problems


def check_dari_vocabulary(ctx: Context) -> list[str]:
    return [
        f"Iranian Persian {rule.iranian!r}; Afghan Dari writes {rule.dari!r}"
        for rule in dari.iranian_forms(ctx.msgstr)
        if rule.kind != "letter"  # letters are the `letters` check's
    ]


def check_stamps(ctx: Context) -> list[str]:
    return [damaged.problem for damaged in ctx.notes.damaged]


def check_nfc(ctx: Context) -> list[str]:
    if unicodedata.normalize("NFC", ctx.msgstr) != ctx.msgstr:
        return ["the text is not in Unicode NFC form (composed characters)"]
    return []


# --------------------------------------------------------------------------- the table

CHECKS: tuple[Check, ...] = (
    Check("structure", "error", "the translation must not break its Markdown block",
          check_structure),
    Check("footnotes", "error", "footnote references [^n] are kept, each as often",
          check_footnotes),
    Check("links", "error", "links and images keep their destinations", check_links),
    Check("code", "error", "code spans are kept exactly", check_code),
    Check("html", "error", "inline HTML is kept exactly", check_html),
    Check("emphasis", "warning", "emphasis (* _ ** __) is kept and balanced", check_emphasis),
    Check("urls", "error", "URLs and e-mail addresses are kept", check_urls),
    Check("placeholders", "error", "placeholders such as %s or {name} are kept",
          check_placeholders),
    Check("numbers", "error", "numbers are kept, in any digits and separators", check_numbers),
    Check("glossary", "error", "approved glossary renderings, no forbidden ones",
          lambda ctx: check_glossary(ctx, "error")),
    Check("glossary-proposed", "warning", "proposed glossary renderings are used",
          lambda ctx: check_glossary(ctx, "warning")),
    Check("letters", "error", "letters of this language's orthography (ی ک ہ)", check_letters),
    Check("zwnj", "warning", "zero-width non-joiners only inside words, never doubled",
          check_zwnj),
    Check("bidi-controls", "error", "bidi embeddings and isolates are closed",
          check_bidi_controls),
    Check("punctuation", "warning", "native punctuation ؟ ، ؛ (and ۔ in Urdu) after native text",
          check_punctuation),
    Check("latin-text", "warning", "no English words left over (except do-not-translate terms)",
          check_latin_text),
    Check("copied", "warning", "the translation is not a copy of the source", check_copied),
    Check("length", "warning", "the translation is not suspiciously short or long",
          check_length),
    Check("doubled-words", "warning", "no word written twice in a row", check_doubled_words),
    Check("whitespace", "warning", "leading and trailing white space as in the source",
          check_whitespace),
    Check("nfc", "warning", "text in Unicode NFC form", check_nfc),
    Check("stamps", "error", "review and provenance comments are whole, not broken by an editor",
          check_stamps),
    Check("dari-vocabulary", "warning", "Afghan Dari, not Iranian Persian vocabulary",
          check_dari_vocabulary, ("fa_AF",)),
)  # fmt: skip
CHECK_IDS = tuple(c.id for c in CHECKS)


def check_entry(
    entry: polib.POEntry,
    lang: Language,
    glossary: Glossary,
    only: Iterable[str] | None = None,
) -> list[Finding]:
    """Every problem of one entry (untranslated and obsolete entries have none)."""
    if entry.obsolete or state(entry) == State.UNTRANSLATED or entry.msgid_plural:
        return []
    notes = Notes.of(entry)
    ctx = Context(entry.msgid, entry.msgstr, lang, glossary, tuple(entry_kinds(entry)), notes)
    skip = notes.ignored
    wanted = set(only) if only else None
    findings = []
    for check in CHECKS:
        if check.id in skip or (wanted is not None and check.id not in wanted):
            continue
        if check.languages and lang.code not in check.languages:
            continue
        for message in check.run(ctx):
            findings.append(Finding(check.id, check.severity, message))
    return findings
