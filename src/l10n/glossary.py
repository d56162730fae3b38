"""The project's terminology: `glossary.yaml`, term matching, hints and the glossary check.

One entry per concept: the English term with its variants, and per language
the approved rendering, allowed variants and forbidden ones.  Matching in the
English source tolerates case (unless the term is case sensitive), plurals,
possessives and hyphen/space/dash variants, and never looks inside link
destinations, code, footnote labels, URLs or HTML.  Matching in a translation
tolerates Arabic-script spelling variants (ي/ی, ك/ک, ZWNJ, diacritics) and the
endings the three languages attach to nouns.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML, YAMLError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .errors import L10nError
from .files import read_text
from .inline import read_inline
from .languages import TO_ASCII_DIGITS, language

GLOSSARY_NAME = "glossary.yaml"
POS_VALUES = ("noun", "proper noun", "adjective", "verb", "acronym", "phrase")
STATUS_VALUES = ("proposed", "approved")


@dataclass(frozen=True)
class Rendering:
    """How one language writes a term."""

    term: str
    variants: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    status: str = "proposed"
    note: str = ""

    @property
    def allowed(self) -> tuple[str, ...]:
        return (self.term, *self.variants)


@dataclass(frozen=True)
class Term:
    """A concept of the glossary with its English forms and its renderings."""

    id: str
    term: str
    variants: tuple[str, ...] = ()
    pos: str = "noun"
    note: str = ""
    case_sensitive: bool = False
    do_not_translate: bool = False
    expand_first_use: bool = False
    expansion: str | None = None
    translations: dict[str, Rendering] = field(default_factory=dict)

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term, *self.variants)


@dataclass(frozen=True)
class Match:
    """A term found in a source text."""

    term: Term
    start: int
    end: int
    text: str


@dataclass
class Glossary:
    """All terms, with one compiled pattern that finds them in English text."""

    terms: list[Term] = field(default_factory=list)

    def get(self, term_id: str) -> Term | None:
        return next((t for t in self.terms if t.id == term_id), None)

    @cached_property
    def _matcher(self) -> tuple[re.Pattern[str], dict[str, Term]] | None:
        """One alternation of every form, longest first, each a named group."""
        forms = [(form, term) for term in self.terms for form in term.forms]
        if not forms:
            return None
        forms.sort(key=lambda pair: len(pair[0]), reverse=True)
        groups = {f"t{i}": term for i, (_, term) in enumerate(forms)}
        parts = [
            f"(?P<t{i}>{_source_pattern(form, term.case_sensitive)})"
            for i, (form, term) in enumerate(forms)
        ]
        return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])"), groups

    @cached_property
    def _starts(self) -> tuple[frozenset[str], tuple[int, ...]] | None:
        """How every form begins (its first word's first letters, lowercased), or None when
        some form begins with no letter.

        A match starts where a word of the text starts (the matcher's look-behind), so
        a text none of whose words begins like some form holds no term; testing that
        takes a few set look-ups per word where the matcher's alternation of every
        form costs tens of microseconds per string.
        """
        starts: set[str] = set()
        for term in self.terms:
            for form in term.forms:
                first = _WORD.match(form.lower())
                if first is None:
                    return None
                word = first.group()
                if len(word) > 2 and word.endswith("y"):  # "spies" for the form "spy"
                    word = word[:-1]
                starts.add(word[:3])
        return frozenset(starts), tuple(sorted({len(start) for start in starts}))

    def find(self, text: str) -> list[Match]:
        """Every term occurrence in a source text, left to right, longest match first."""
        if self._matcher is None:
            return []
        masked = mask_markup(text)
        if self._starts is not None:
            starts, lengths = self._starts
            words = _WORD.findall(masked.lower())
            if not any(word[:n] in starts for word in words for n in lengths):
                return []
        pattern, groups = self._matcher
        return [
            Match(groups[m.lastgroup or ""], m.start(), m.end(), text[m.start() : m.end()])
            for m in pattern.finditer(masked)
        ]

    def terms_in(self, text: str) -> list[Term]:
        """The distinct terms of a text, in order of first occurrence."""
        seen: dict[str, Term] = {}
        for match in self.find(text):
            seen.setdefault(match.term.id, match.term)
        return list(seen.values())


# --------------------------------------------------------------------------- source side

_SEPARATOR = r"[\s\u00a0\-\u2010-\u2015]*"
_WORD = re.compile(r"\w+")


def mask_markup(text: str) -> str:
    """The text with markup blanked out (same length, so offsets still hold).

    Terms are words to translate: never inside code, HTML, link destinations,
    footnote references, URLs or e-mail addresses, and emphasis markers or link
    brackets between two words do not keep them apart.
    """
    return read_inline(text).masked()


def _source_pattern(form: str, case_sensitive: bool) -> str:
    words = [w for w in re.split(r"[\s\u00a0\-\u2010-\u2015]+", form) if w]
    parts = [re.escape(w) for w in words[:-1]]
    last = words[-1]
    if last[-1:] == "y" and len(last) > 2:
        last_pattern = re.escape(last[:-1]) + "(?:y|ies)"
    else:
        last_pattern = re.escape(last) + "(?:e?s)?"
    parts.append(last_pattern + r"(?:['\u2019]s?)?")
    body = _SEPARATOR.join(parts)
    return body if case_sensitive else f"(?i:{body})"


# --------------------------------------------------------------------------- target side

_FOLD = str.maketrans(
    {"ي": "ی", "ى": "ی", "ك": "ک", "ۀ": "ه", "ة": "ه", "\u200c": None, "\u200d": None,
     "\u0640": None, "\u200f": None, "\u200e": None}
)  # fmt: skip
_DIACRITICS = re.compile(r"[\u064b-\u065f\u0670]")
#: Word endings that inflect (Pashto ه/ې/ۍ/ی/ي, Urdu ے/ا/ہ, Persian ه): a term's
#: last letter may change in context ("کرښه" → "کرښې"), so it is not required.
_INFLECTING = set("هېۍیےاہ")


def fold(text: str) -> str:
    """Arabic-script text with spelling variants (and digit sets) unified, for comparison."""
    return _DIACRITICS.sub("", text.translate(_FOLD).translate(TO_ASCII_DIGITS)).casefold()


def _target_pattern(rendering: str, lenient: bool) -> re.Pattern[str]:
    """Lenient: each word's inflecting last letter may change and endings attach.
    Strict (for forbidden forms, where a false alarm is worse): whole words, with
    at most a short attached ending such as a plural."""
    parts = []
    for word in fold(rendering).split():
        if lenient:
            stem = word[:-1] if len(word) > 2 and word[-1] in _INFLECTING else word
            parts.append(re.escape(stem) + r"\w*")
        else:
            parts.append(re.escape(word) + r"\w{0,3}")
    body = r"\s*".join(parts)
    return re.compile(body if lenient else rf"(?<!\w){body}(?!\w)")


def contains_rendering(translation: str, rendering: str, lenient: bool = True) -> bool:
    """Whether a translation uses a rendering, allowing spelling variants and endings."""
    if re.fullmatch(r"[\x00-\x7f]+", rendering):  # Latin: exact, case as written
        return re.search(rf"(?<!\w){re.escape(rendering)}(?!\w)", translation) is not None
    return _target_pattern(rendering, lenient).search(fold(translation)) is not None


# --------------------------------------------------------------------------- hints


def hints(glossary: Glossary, text: str, lang: str) -> list[str]:
    """The `#.` lines for one entry in one language: each term and how to render it."""
    return [hint(glossary, term, lang) for term in glossary.terms_in(text)]


def hint(glossary: Glossary, term: Term, lang: str) -> str:
    if term.do_not_translate:
        return f"glossary: {term.term} → {term.term} (do not translate)"
    rendering = term.translations.get(lang)
    if rendering is None:
        return f"glossary: {term.term} → (no {lang} translation yet)"
    text = f"glossary: {term.term} → {rendering.term} ({rendering.status})"
    if rendering.forbidden:
        text += f"; not: {', '.join(rendering.forbidden)}"
    if term.expand_first_use and term.expansion:
        full = glossary.get(term.expansion)
        if full is not None:
            text += f"; write out on first use: {full.term}"
    return text


# --------------------------------------------------------------------------- check


@dataclass(frozen=True)
class TermProblem:
    """A glossary rule a translation breaks."""

    severity: str  # "error" or "warning"
    term: Term
    message: str


def check_translation(
    glossary: Glossary, lang: str, source: str, translation: str
) -> list[TermProblem]:
    """Glossary compliance of one translation.

    A term's approved rendering or an allowed variant must appear (an error for
    approved renderings, a warning while they are only proposed); a forbidden
    variant is always an error; a do-not-translate term must appear unchanged.
    A term left in English (a source title quoted in a footnote) is not judged
    here: the `latin-text` check sees leftover English.
    """
    problems: list[TermProblem] = []
    for term in glossary.terms_in(source):
        if term.do_not_translate:
            if not any(_latin_present(translation, f, term.case_sensitive) for f in term.forms):
                message = f"'{term.term}' must stay as it is (do not translate)"
                problems.append(TermProblem("error", term, message))
            continue
        rendering = term.translations.get(lang)
        if rendering is None:
            continue
        if any(_latin_present(translation, f, term.case_sensitive) for f in term.forms):
            continue  # kept in English, as in a quoted source title; `latin-text` judges that
        for bad in rendering.forbidden:
            if contains_rendering(translation, bad, lenient=False):
                message = f"'{bad}' is forbidden for '{term.term}'; use '{rendering.term}'"
                problems.append(TermProblem("error", term, message))
        if not any(contains_rendering(translation, ok) for ok in rendering.allowed):
            severity = "error" if rendering.status == "approved" else "warning"
            message = f"'{term.term}' should be rendered '{rendering.term}' ({rendering.status})"
            problems.append(TermProblem(severity, term, message))
    return problems


def _latin_present(translation: str, form: str, case_sensitive: bool) -> bool:
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.search(_source_pattern(form, True), translation, flags) is not None


# --------------------------------------------------------------------------- loading


def load_glossary(path: Path) -> Glossary:
    """Read and validate glossary.yaml; a missing file is an empty glossary."""
    if not path.is_file():
        return Glossary()
    label = path.name
    return parse_glossary(read_text(path, label), label)


def parse_glossary(text: str, label: str) -> Glossary:
    """Glossary YAML text, validated; errors name the label and line."""
    loader = _Loader(text)
    try:  # one parse gives the nodes (for line numbers) and the data built from them
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise L10nError(f"not valid YAML: {exc}", label, mark.line + 1 if mark else None) from exc
    finally:
        loader.dispose()
    return glossary_from_data(data, label, _entry_lines(root))


#: libyaml's safe loader where PyYAML was built with it: ten times faster on the
#: project's glossary (0.3 s of CPU in pure Python, paid by every command that checks)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _entry_lines(root: yaml.Node | None) -> list[int]:
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "terms" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def glossary_from_data(data: Any, label: str, lines: Sequence[int] = ()) -> Glossary:
    """Build and validate a glossary from plain data (YAML, or an imported file)."""
    if data is None:
        return Glossary()
    if not isinstance(data, dict) or not isinstance(data.get("terms", []), list):
        raise L10nError("the glossary must be a mapping with a 'terms' list", label, 1)
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(data.get("terms") or []):
        line = lines[index] if index < len(lines) else None
        where = f"entry {index + 1}"
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            where = f"term '{raw['id']}'"
        try:
            term = _term(raw)
        except ValueError as exc:
            raise L10nError(f"{where}: {exc}", label, line) from None
        if term.id in seen:
            raise L10nError(f"{where}: id already used by entry {seen[term.id] + 1}", label, line)
        seen[term.id] = index
        terms.append(term)
    for index, term in enumerate(terms):
        if term.expansion is not None and term.expansion not in seen:
            line = lines[index] if index < len(lines) else None
            raise L10nError(
                f"term '{term.id}': expansion '{term.expansion}' is not a term id", label, line
            )
    return Glossary(terms)


_TERM_KEYS = {"id", "term", "variants", "pos", "note", "case_sensitive", "do_not_translate",
              "expand_first_use", "expansion", "translations"}  # fmt: skip
_RENDERING_KEYS = {"term", "variants", "forbidden", "status", "note"}


def _term(raw: Any) -> Term:
    if not isinstance(raw, dict):
        raise ValueError("must be a mapping")
    unknown = set(raw) - _TERM_KEYS
    if unknown:
        raise ValueError(f"unknown field(s): {', '.join(sorted(unknown))}")
    term_id = _text(raw, "id")
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", term_id):
        raise ValueError("id must be lowercase ASCII words joined by hyphens")
    pos = raw.get("pos", "noun")
    if pos not in POS_VALUES:
        raise ValueError(f"pos must be one of: {', '.join(POS_VALUES)}")
    translations = raw.get("translations") or {}
    if not isinstance(translations, dict):
        raise ValueError("translations must map language codes to renderings")
    renderings = {}
    for code, value in translations.items():
        try:
            lang = language(str(code)).code
        except L10nError:
            raise ValueError(f"translations: unknown language {code!r}") from None
        try:
            renderings[lang] = _rendering(value)
        except ValueError as exc:
            raise ValueError(f"translations.{code}: {exc}") from None
    expansion = raw.get("expansion")
    if expansion is not None and not isinstance(expansion, str):
        raise ValueError("expansion must be a term id")
    return Term(
        id=term_id,
        term=_text(raw, "term"),
        variants=_texts(raw, "variants"),
        pos=pos,
        note=str(raw.get("note") or "").strip(),
        case_sensitive=_flag(raw, "case_sensitive"),
        do_not_translate=_flag(raw, "do_not_translate"),
        expand_first_use=_flag(raw, "expand_first_use"),
        expansion=expansion,
        translations=renderings,
    )


def _rendering(raw: Any) -> Rendering:
    if not isinstance(raw, dict):
        raise ValueError("must be a mapping with at least 'term'")
    unknown = set(raw) - _RENDERING_KEYS
    if unknown:
        raise ValueError(f"unknown field(s): {', '.join(sorted(unknown))}")
    status = raw.get("status", "proposed")
    if status not in STATUS_VALUES:
        raise ValueError(f"status must be one of: {', '.join(STATUS_VALUES)}")
    return Rendering(
        term=_text(raw, "term"),
        variants=_texts(raw, "variants"),
        forbidden=_texts(raw, "forbidden"),
        status=status,
        note=str(raw.get("note") or "").strip(),
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _text(raw: dict, key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"'{key}' is missing or empty")
    if _CONTROL.search(value):
        raise ValueError(f"'{key}' contains a control character")
    return value.strip()


def _texts(raw: dict, key: str) -> tuple[str, ...]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"'{key}' must be a list of non-empty strings")
    if any(_CONTROL.search(v) for v in value):
        raise ValueError(f"'{key}' contains a control character")
    return tuple(v.strip() for v in value)


def _flag(raw: dict, key: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"'{key}' must be true or false")
    return value


# --------------------------------------------------------------------------- writing


def glossary_to_data(glossary: Glossary) -> dict[str, Any]:
    """Plain data in the schema's key order (defaults left out, so files stay short)."""
    terms = []
    for term in glossary.terms:
        entry: dict[str, Any] = {"id": term.id, "term": term.term}
        if term.variants:
            entry["variants"] = list(term.variants)
        entry["pos"] = term.pos
        if term.note:
            entry["note"] = term.note
        for flag in ("case_sensitive", "do_not_translate", "expand_first_use"):
            if getattr(term, flag):
                entry[flag] = True
        if term.expansion:
            entry["expansion"] = term.expansion
        entry["translations"] = {
            code: _rendering_data(rendering) for code, rendering in term.translations.items()
        }
        terms.append(entry)
    return {"version": 1, "terms": terms}


def _rendering_data(rendering: Rendering) -> dict[str, Any]:
    data: dict[str, Any] = {"term": rendering.term}
    if rendering.variants:
        data["variants"] = list(rendering.variants)
    if rendering.forbidden:
        data["forbidden"] = list(rendering.forbidden)
    data["status"] = rendering.status
    if rendering.note:
        data["note"] = rendering.note
    return data


def dump_glossary(glossary: Glossary) -> str:
    header = (
        "# Terminology of the l10n project (schema: README.md, section Glossary).\n"
        "# Renderings stay 'proposed' until a terminologist approves them.\n"
    )
    return header + yaml_dump(glossary_to_data(glossary))


def edit_glossary_text(text: str, before: Glossary, after: Glossary) -> str:
    """`glossary.yaml` with only the entries that differ rewritten and new ones appended.

    Everything else (comments, blank lines, key order, flow mappings, how long notes
    are folded) stays byte for byte: ruamel.yaml's round-trip reader gives each
    entry's lines, and only those of a changed entry are replaced, by the entry as
    ruamel.yaml writes it with only the changed keys set and its own comments kept.
    A file without a `terms` list is written anew.
    """
    yaml = YAML()
    try:
        root = yaml.load(text) if text.strip() else None
    except YAMLError:
        root = None
    items = root.get("terms") if isinstance(root, CommentedMap) else None
    if not isinstance(items, CommentedSeq) or not items:
        return _first_terms(yaml, text, root, after)
    lines = text.splitlines(keepends=True)
    old = {term.id: term for term in before.terms}
    where = {node.get("id"): index for index, node in enumerate(items)}
    edits: list[tuple[int, int, str]] = []  # (first line, end line, replacement)
    for term in after.terms:
        index = where.get(term.id)
        previous = old.get(term.id)
        if index is None or previous is None or previous == term:
            continue
        first, end, dash = _item_lines(items, index, lines)
        node = items[index]
        _keep_only_own_comments(node)
        _sync(node, _term_data(previous), _term_data(term))
        edits.append((first, end, _emit(yaml, node, dash)))
    added = [_term_data(t) for t in after.terms if t.id not in where]
    if added:
        _, end, dash = _item_lines(items, len(items) - 1, lines)
        fresh = "".join(_emit(yaml, CommentedMap(data), dash) for data in added)
        edits.append((end, end, fresh))
    for first, end, replacement in sorted(edits, reverse=True):
        lines[first:end] = [replacement]
    result = "".join(lines)
    return result if result.endswith("\n") else result + "\n"


def _first_terms(yaml: YAML, text: str, root: object, after: Glossary) -> str:
    """A glossary file with no entries yet: its comments and other keys stay."""
    data = glossary_to_data(after)
    if isinstance(root, CommentedMap):
        root["terms"] = CommentedSeq(data["terms"])
        yaml.width = 100
        out = io.StringIO()
        yaml.dump(root, out)
        return out.getvalue()
    if not text.strip():
        return dump_glossary(after)
    body = yaml_dump(data)
    return text + ("" if text.endswith("\n") else "\n") + body


def yaml_dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _term_data(term: Term) -> dict[str, Any]:
    return glossary_to_data(Glossary([term]))["terms"][0]


def _item_lines(items: CommentedSeq, index: int, lines: list[str]) -> tuple[int, int, int]:
    """Lines [first, end) of a `terms` item, up to its last line of content (comments and
    blank lines after it belong to what follows), and the column of its dash."""
    first, column = items.lc.item(index)
    dash = lines[first].rfind("-", 0, column)
    if index + 1 < len(items):
        stop = items.lc.item(index + 1)[0]
    else:
        stop = first + 1
        while stop < len(lines) and _inside(lines[stop], dash):
            stop += 1
    end = first + 1
    for number in range(first + 1, stop):
        stripped = lines[number].strip()
        if stripped and not stripped.startswith("#"):
            end = number + 1
    return first, end, dash


def _inside(line: str, dash: int) -> bool:
    """Whether a line after an item may still belong to it: blank, a comment, or deeper."""
    stripped = line.strip()
    return not stripped or stripped.startswith("#") or len(line) - len(line.lstrip()) > dash


def _keep_only_own_comments(node: CommentedMap | CommentedSeq) -> None:
    """ruamel.yaml hangs the blank lines and comments that follow an entry on its last
    key; they stay in the file where they are, so the rewritten entry keeps only that
    key's end-of-line comment."""
    while isinstance(node, CommentedMap | CommentedSeq) and len(node):
        last = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
        slots = node.ca.items.get(last)
        if slots and len(slots) > 2 and slots[2] is not None:
            value = slots[2].value
            if value.startswith("#"):
                slots[2].value = value.split("\n", 1)[0] + "\n"
            else:
                slots[2] = None
        node = node[last]


def _sync(
    node: CommentedMap, old: dict[str, Any], new: dict[str, Any], codes: bool = False
) -> None:
    """Set in a round-trip mapping only the keys whose values differ between `old` and `new`.

    With `codes` the keys are language codes, and the file may spell one its own way
    (`prs:`, `fa-AF:` for fa_AF); that key is the one changed.
    """
    written = {_written_key(node, key, codes): key for key in {*old, *new}}
    for spelled, key in written.items():
        if key in old and key not in new and spelled in node:
            del node[spelled]
    order = list(new)
    for key, value in new.items():
        if key in old and old[key] == value:
            continue
        spelled = _written_key(node, key, codes)
        current = node.get(spelled)
        if isinstance(value, dict) and isinstance(current, CommentedMap) and key in old:
            _sync(current, old[key], value, codes=key == "translations")
        elif spelled in node:
            node[spelled] = value
        else:  # before the first key that follows it in the schema's order
            later = [_written_key(node, k, codes) for k in order[order.index(key) + 1 :]]
            keys = list(node)
            at = next((keys.index(k) for k in later if k in node), len(keys))
            node.insert(at, key, value)


def _written_key(node: CommentedMap, key: str, codes: bool) -> str:
    if key in node or not codes:
        return key
    for spelled in node:
        try:
            if language(str(spelled)).code == key:
                return str(spelled)
        except L10nError:
            continue
    return key


def _emit(yaml: YAML, node: CommentedMap, dash: int) -> str:
    """One `terms` item as ruamel.yaml writes it, its dash in the file's column."""
    yaml.width = 100
    yaml.indent(mapping=2, sequence=dash + 2, offset=dash)
    out = io.StringIO()
    yaml.dump([node], out)
    return out.getvalue()


def coverage(glossary: Glossary, texts: Iterable[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """How often each term occurs, per document: {term id: {doc id: count}}."""
    counts: dict[str, dict[str, int]] = {t.id: {} for t in glossary.terms}
    for doc_id, text in texts:
        for match in glossary.find(text):
            per_doc = counts[match.term.id]
            per_doc[doc_id] = per_doc.get(doc_id, 0) + 1
    return counts
