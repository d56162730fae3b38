"""Quality checks on translations, as a table of small functions.

Each check has an id, a severity and a one-line explanation, and returns the
problems it finds in one entry.  They are written for Arabic-script targets:
native digits count as numbers, ؟ ، ؛ ۔ are the right punctuation, and there
is no capitalisation or sentence-count check.  An entry silences a check with
a translator comment `# l10n-ignore: ID[, ID…]` (msgmerge keeps translator
comments; it drops unknown flags).

Reviewers also check loose catalogs from other projects (GNOME, Xfce, Weblate
exports), where a false alarm costs trust.  There placeholders are what the
entry's format flag says (`formats`), and a Markdown check applies only where
the source has that markup: `_File` is a GTK accelerator, `<none>` is text,
and a `# ` the source has too is no broken heading.  Plural entries are
checked form by form against `msgid_plural`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from gettext import c2py

import polib

from . import dari, formats
from .catalog import entry_kinds, from_markdown
from .comments import Notes
from .document import Slot, slot_of, slot_problem
from .glossary import Glossary, TermProblem, check_translation, mask_markup
from .inline import MARKUP, Kind, markup_characters, read_inline
from .languages import ARABIC_LETTER, DIGIT_CLASS, TO_ASCII_DIGITS, Language
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
    flags: tuple[str, ...] = ()  # gettext's flags: c-format, no-c-format, python-brace-format, …
    #: from a Markdown document (l10n's own catalogs): every Markdown check applies;
    #: otherwise only where the source has that markup
    markdown: bool = True
    may_omit: bool = False  # a plural form for a few numbers only may leave the number out

    @cached_property
    def glossary_problems(self) -> list[TermProblem]:
        """The glossary's findings, for both of its checks (one search of the source)."""
        return check_translation(self.glossary, self.lang.code, self.msgid, self.msgstr)

    @property
    def plain_source(self) -> bool:
        """Outside Markdown, a source without markup leaves the Markdown checks nothing."""
        return not self.markdown and not markup_characters(self.msgid)


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


def _compared(what: str, ctx: Context, source: Counter, target: Counter) -> list[str]:
    """Markup lost or added; outside Markdown, only markup the source has is compared."""
    if not ctx.markdown and not source:
        return []
    return _missing(what, source, target)


def check_footnotes(ctx: Context) -> list[str]:
    if ctx.plain_source:
        return []
    source, target = read_inline(ctx.msgid).footnotes, read_inline(ctx.msgstr).footnotes
    return _compared("footnote reference", ctx, source, target)


def check_links(ctx: Context) -> list[str]:
    if ctx.plain_source:
        return []
    return _compared("link to", ctx, read_inline(ctx.msgid).links, read_inline(ctx.msgstr).links)


def check_code(ctx: Context) -> list[str]:
    if ctx.plain_source:
        return []
    source, target = read_inline(ctx.msgid).code, read_inline(ctx.msgstr).code
    if not ctx.markdown:  # backticks as quotes (`name' too): the quoted text kept is enough
        source = Counter({c: n for c, n in source.items() if _code_like(c, ctx.msgstr)})
    return _compared("code span", ctx, source, target)


def _code_like(code: str, translation: str) -> bool:
    return code not in translation and "'" not in code and code == code.strip()


#: Element names of HTML and of Pango markup (GTK strings): outside Markdown, an angle
#: bracket around anything else (`<none>`, `<click here to select a date>`) is text.
_TAG_NAMES = frozenset((
    "a", "abbr", "address", "area", "article", "aside", "audio", "b", "bdi", "bdo", "big",
    "blockquote", "body", "br", "button", "canvas", "caption", "center", "cite", "code", "col",
    "colgroup", "data", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "embed",
    "fieldset", "figcaption", "figure", "font", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "head", "header", "hr", "html", "i", "iframe", "img", "input", "ins", "kbd", "label",
    "legend", "li", "link", "main", "mark", "markup", "meta", "nav", "noscript", "object",
    "ol", "option", "p", "param", "pre", "q", "s", "samp", "script", "section", "select",
    "small", "source", "span", "strike", "strong", "style", "sub", "summary", "sup", "table",
    "tbody", "td", "textarea", "tfoot", "th", "thead", "time", "title", "tr", "tt", "u", "ul",
    "var", "video", "wbr",
))  # fmt: skip
_TAG_NAME = re.compile(r"</?([A-Za-z][\w:-]*)")
#: attributes whose value is text for the reader, translated with the words
_TEXT_ATTRIBUTE = re.compile(
    r"""\s(?:title|alt|aria-label|placeholder)\s*=\s*(?:"[^"]*"|'[^']*')"""
)


def _tags(text: str, known_only: bool) -> Counter[str]:
    """Tags as written, translatable attributes aside; only HTML and Pango ones if asked."""
    found: Counter[str] = Counter()
    for tag, n in read_inline(text).html.items():
        m = _TAG_NAME.match(tag)
        if not known_only or m is None or m.group(1).lower() in _TAG_NAMES:
            found[_TEXT_ATTRIBUTE.sub("", tag)] += n
    return found


def check_html(ctx: Context) -> list[str]:
    """Tags kept exactly; outside Markdown a lost tag counts if it is HTML or Pango markup
    (`<none>` is text), an added one whatever it is (`<x>1</x>` left by a machine)."""
    if ctx.markdown:
        return _missing("inline HTML", read_inline(ctx.msgid).html, read_inline(ctx.msgstr).html)
    if ctx.plain_source and "<" not in ctx.msgstr:
        return []
    lost = _tags(ctx.msgid, known_only=True) - _tags(ctx.msgstr, known_only=True)
    added = _tags(ctx.msgstr, known_only=False) - _tags(ctx.msgid, known_only=False)
    return [f"inline HTML {t!r} is missing" for t in lost] + [
        f"inline HTML {t!r} is not in the source" for t in added
    ]


def check_emphasis(ctx: Context) -> list[str]:
    if ctx.plain_source:
        return []
    problems = []
    source, target = read_inline(ctx.msgid), read_inline(ctx.msgstr)
    if source.emphasis != target.emphasis and (ctx.markdown or source.emphasis):
        problems.append(
            f"emphasis differs: source has {dict(source.emphasis) or 'none'}, "
            f"translation has {dict(target.emphasis) or 'none'}"
        )
    # a * or _ that could open or close, but pairs with nothing; outside Markdown
    # only where the source has emphasis (`_Open` → `_باز`: a GTK accelerator)
    if (ctx.markdown or source.emphasis) and len(target.stray) > len(source.stray):
        problems.append("an unmatched * or _ would show as a literal character")
    return problems


def check_structure(ctx: Context) -> list[str]:
    """Publishing's own rule, for each block the entry stands in (a loose file: a paragraph).

    Outside Markdown a string is no block: a translation is held to this only where
    the source has block markup of its own, and only for a problem the source does
    not have (a `# ` or a blank line the source has too is none).
    """
    slots: list[Slot] = (
        [slot_of(kind) for kind in ctx.kinds or [""]] if ctx.markdown else ["paragraph"]
    )
    problems = []
    for slot in slots:
        problem = slot_problem(slot, ctx.msgid, ctx.msgstr)
        if problem and not ctx.markdown:
            own = slot_problem(slot, "", ctx.msgid)
            if own is None or own == problem:  # no markup in the source, or the same
                continue
        problems.append(problem)
    return list(dict.fromkeys(p for p in problems if p))


# --------------------------------------------------------------------------- tokens

#: markup, and bare domains such as afghanistan.fes.de: not words of the text
_NOT_WORDS: frozenset[Kind] = MARKUP | {"domain"}
#: quoted titles: in footnotes, source titles stay in their language (so do italic ones)
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")
#: 1,300 · ۱٬۳۰۰ · ۱،۳۰۰ · 2.5 · ۲٫۵ · ۲/۵ (Persian print) · 01/11/2009; a comma before
#: other than three digits separates a list
_NUMBER = re.compile(
    rf"[{DIGIT_CLASS}]+(?:[,\u066c\u060c][{DIGIT_CLASS}]{{3}}(?![{DIGIT_CLASS}])"
    rf"|[.\u066b][{DIGIT_CLASS}]+|/[{DIGIT_CLASS}]+)*"
)
_DIGIT = re.compile(f"[{DIGIT_CLASS}]")
#: 1st, 22nd: a translation may spell the ordinal out
_ORDINAL = re.compile(r"(?<![\w.,])\d+(?:st|nd|rd|th)\b")


def check_urls(ctx: Context) -> list[str]:
    if "://" not in ctx.msgid and "www." not in ctx.msgid and "@" not in ctx.msgid:
        return []  # nothing that could be lost
    source, target = read_inline(ctx.msgid), read_inline(ctx.msgstr)
    lost = (source.urls + source.emails) - (target.urls + target.emails)
    return [f"{item!r} is missing or changed" for item in lost]


def check_placeholders(ctx: Context) -> list[str]:
    """Placeholders of the entry's formats, compared by argument as `msgfmt -c` does."""
    problems = []
    for fmt in formats.formats_of(ctx.flags):
        problems += formats.compare(fmt, ctx.msgid, ctx.msgstr, ctx.may_omit)
    return list(dict.fromkeys(problems))


def _numbers(text: str, flags: tuple[str, ...], ordinals: bool = True) -> Counter:
    """Numbers of the words: not those of markup, placeholders (`{0}`, `%2$s`), or ordinals."""
    hidden = formats.spans(flags, text)
    if not ordinals:
        hidden += [m.span() for m in _ORDINAL.finditer(text)]
    visible = _blank(read_inline(text).masked(), hidden)
    values = []
    for match in _NUMBER.finditer(visible):
        digits = re.sub(r"[.,/\u066b\u066c\u060c]", "", match.group(0).translate(TO_ASCII_DIGITS))
        values.append(digits.lstrip("0") or "0")
    return Counter(values)


#: Numbers zero to ten as words (cardinal, then ordinal stems), by language: a translation
#: may spell out a small number that does not belong to a name in the source ("Past 7
#: days" → "گزشتہ سات دن", "BSD 2-Clause" → "دوبندی", "3D" → "سه‌بعدی"; not v4l2, I420).
_PERSIAN_WORDS = ("صفر", "یک اول", "دو", "سه سوم", "چهار", "پنج", "شش", "هفت", "هشت", "نه",
                  "ده")  # fmt: skip
_NUMBER_WORDS: dict[str, tuple[str, ...]] = {
    "fa": _PERSIAN_WORDS,
    "fa_AF": _PERSIAN_WORDS,
    "ps": ("صفر", "یو لومړ", "دوه دوهم دویم", "درې درېیم دریم", "څلور", "پنځه پنځم", "شپږ",
           "اووه اووم", "اته اتم", "نهه نهم", "لس"),
    "ur": ("صفر", "ایک پہل", "دو دوسر", "تین تیسر", "چار چوتھ", "پانچ", "چھ چھٹ", "سات",
           "آٹھ", "نو", "دس"),
}  # fmt: skip
_NOT_IN_A_NAME = re.compile(r"(?<![\w.,/])\d+(?![\d]|[.,/]\d)")
#: Languages whose catalogs may give years in the Solar Hijri calendar (Iran, Afghanistan):
#: "© 2016–2022" → "© ۱۳۹۵-۱۴۰۱" (a Gregorian year is the Solar Hijri one plus 621 or 622)
_SOLAR_HIJRI = frozenset(("fa", "fa_AF", "ps"))


def _spelled_out(ctx: Context, value: str) -> bool:
    words = _NUMBER_WORDS.get(ctx.lang.code, ())
    if not value.isdigit() or int(value) >= len(words):
        return False
    if value not in _NOT_IN_A_NAME.findall(ctx.msgid):
        return False
    return any(re.search(rf"(?<!\w){w}", ctx.msgstr) for w in words[int(value)].split())


def _solar_year(ctx: Context, value: str, found: Counter) -> bool:
    if ctx.lang.code not in _SOLAR_HIJRI or not value.isdigit() or not 1900 <= int(value) <= 2100:
        return False
    return str(int(value) - 621) in found or str(int(value) - 622) in found


def check_numbers(ctx: Context) -> list[str]:
    """Numbers survive in any digit set (0-9, ٠-٩, ۰-۹) and with any separators."""
    if not _DIGIT.search(ctx.msgid):
        return []  # nothing that could be lost
    found = _numbers(ctx.msgstr, ctx.flags)
    lost = _numbers(ctx.msgid, ctx.flags, ordinals=False) - found
    return [
        f"number {n} is missing (in any digits)"
        for n in sorted(lost)
        if not _spelled_out(ctx, n) and not _solar_year(ctx, n, found)
    ]


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


# --------------------------------------------------------------------------- glossary


def check_glossary(ctx: Context, severity: str) -> list[str]:
    return [p.message for p in ctx.glossary_problems if p.severity == severity]


# --------------------------------------------------------------------------- typography

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
        if not re.match(ARABIC_LETTER, before) or not re.match(ARABIC_LETTER + "|\u200c", after):
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
        pattern = ARABIC_LETTER + re.escape(latin)
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


#: Checks of the writing alone, for strings whose content is not a translation of the
#: source: translator credits (names and addresses) and configuration strings such as
#: `calendar:week_start:0`, whose value the translator is asked to change.
_WRITING_CHECKS = frozenset(("letters", "zwnj", "bidi-controls", "nfc", "stamps"))
_CREDITS = frozenset(("translator-credits", "translators", "credits"))
_CONFIGURATION = re.compile(
    r"[a-z][\w-]*(?::[\w-]+)+"  # calendar:week_start:0, default:LTR
    r"|\d+"  # a bare number: a setting such as a size
    r"|(?:Sans|Serif|Monospace)(?: [A-Z]\w*)* \d+"  # a font for the script: Sans 10
)


def _writing_only(msgid: str) -> bool:
    text = msgid.strip()
    name = re.sub(r"[\s_]+", "-", text.lower())
    return name in _CREDITS or _CONFIGURATION.fullmatch(text) is not None


@lru_cache(maxsize=64)
def rare_forms(plural_forms: str) -> frozenset[int]:
    """The plural forms used for a few numbers only ("one file"), which may leave the number out.

    gettext's rule, as `msgfmt -c` applies it: over n = 0…1000, a form chosen for
    at most four numbers is not held to every directive of `msgid_plural`.
    """
    m = re.search(r"plural\s*=\s*([^;]+)", plural_forms)
    try:
        formula = c2py(m.group(1)) if m else None
    except (ValueError, SyntaxError, RecursionError):
        formula = None
    if formula is None:
        return frozenset()
    used = Counter(formula(n) for n in range(1001))
    return frozenset(form for form, count in used.items() if count <= _RARE)


_RARE = 4


def check_entry(
    entry: polib.POEntry,
    lang: Language,
    glossary: Glossary,
    only: Iterable[str] | None = None,
    plural_forms: str | None = None,
    markdown: bool | None = None,
) -> list[Finding]:
    """Every problem of one entry (untranslated and obsolete entries have none).

    A plural entry is checked form by form against `msgid_plural`, with the
    catalog's `Plural-Forms` (the language's by default) saying which forms
    stand for a few numbers only.  `markdown`: whether the catalog holds Markdown
    (`markdown_catalog`); by default, whether the entry names a Markdown source.
    """
    if entry.obsolete or state(entry) == State.UNTRANSLATED:
        return []
    notes = Notes.of(entry)
    base = Context(
        entry.msgid, entry.msgstr, lang, glossary, tuple(entry_kinds(entry)), notes,
        tuple(entry.flags), from_markdown(entry) if markdown is None else markdown,
    )  # fmt: skip
    if entry.msgid_plural:
        rare = rare_forms(plural_forms or lang.plural_forms)
        forms = sorted(entry.msgstr_plural.items())
        contexts = [
            (f"msgstr[{i}]", replace(base, msgid=entry.msgid_plural, msgstr=text,
                                     may_omit=i in rare))
            for i, text in forms
        ]  # fmt: skip
    else:
        contexts = [("", base)]
    skip = notes.ignored
    wanted = set(only) if only else None
    writing_only = _writing_only(entry.msgid)
    findings = []
    for check in CHECKS:
        if check.id in skip or (wanted is not None and check.id not in wanted):
            continue
        if check.languages and lang.code not in check.languages:
            continue
        if writing_only and check.id not in _WRITING_CHECKS:
            continue
        where: dict[str, list[str]] = {}
        for label, ctx in contexts:
            for message in check.run(ctx):
                where.setdefault(message, []).append(label)
        for message, labels in where.items():
            prefix = ", ".join(labels) + ": " if labels != [""] else ""
            findings.append(Finding(check.id, check.severity, prefix + message))
    return findings
