"""Glossary exchange: TBX (ISO 30042) and CSV, ours lossless, other tools' read for what they say.

TBX is what terminology tools, Weblate and Translate Toolkit read; every field
of an entry has a TBX home (partOfSpeech, termType, administrativeStatus for
preferred/admitted/deprecated renderings, processStatus for proposed/approved);
the flags TBX has no category for travel as `x-l10n-…` descriptions.  The wide
CSV has one row per term and a group of columns per language; `--lang` gives
the two-column source/target CSV that Weblate and OmegaT import, every field
quoted so that Translate Toolkit's dialect sniffing reads it.

Files written by other tools say less: Translate Toolkit and Weblate write one
term per language and no ids, TBX v3 (`conceptEntry`/`langSec`/`termSec`, in a
namespace) and OmegaT's TBX-Basic (`ntig`/`termGrp`) name things differently,
and a CSV may be `source,target[,explanation]` with or without a header.  Such
entries are `Update`s: matched to a term by its English form, they change only
what they state (a rendering becomes preferred, the old one stays allowed as a
variant), and a new English term becomes a new entry with an id made from it.
Our own files carry ids and every field; their entries replace the term with the
same id.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import L10nError
from .files import read_text, write_text_atomic
from .glossary import (
    Glossary,
    Rendering,
    Term,
    edit_glossary_text,
    glossary_from_data,
    glossary_to_data,
    parse_glossary,
)
from .languages import bcp47, language, primary_subtag, project_language

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FORMATS = ("tbx", "csv")
SOURCE = "en"
#: What `to_tbx` writes as the file's source: a file that says so carries every field.
_OURS = "l10n glossary"

_POS_TO_TBX = {
    "noun": ("noun", None),
    "proper noun": ("properNoun", None),
    "adjective": ("adjective", None),
    "verb": ("verb", None),
    "acronym": ("noun", "acronym"),
    "phrase": ("other", "phraseologicalUnit"),
}
_TBX_TO_POS = {value: key for key, value in _POS_TO_TBX.items()}
_STATUS_TO_TBX = {"proposed": "provisionallyProcessed", "approved": "finalized"}
_TBX_TO_STATUS = {value: key for key, value in _STATUS_TO_TBX.items()}
_PREFERRED, _ADMITTED, _DEPRECATED = (
    "preferredTerm-admn-sts",
    "admittedTerm-admn-sts",
    "deprecatedTerm-admn-sts",
)
#: administrativeStatus values of TBX v2/v3, TBX-Basic and Weblate, by what they mean here.
_ADMIN_STATUS = {
    _PREFERRED: "preferred", "preferred": "preferred",
    _ADMITTED: "admitted", "admitted": "admitted",
    _DEPRECATED: "forbidden", "deprecated": "forbidden",
    "supersededTerm-admn-sts": "forbidden", "superseded": "forbidden",
    "forbidden": "forbidden", "obsolete": "forbidden",
}  # fmt: skip
_FLAGS = ("case_sensitive", "do_not_translate", "expand_first_use")


# --------------------------------------------------------------------------- TBX (ours)


def to_tbx(glossary: Glossary) -> str:
    martif = ET.Element("martif", {"type": "TBXcoreStructV02", XML_LANG: "en"})
    header = ET.SubElement(ET.SubElement(martif, "martifHeader"), "fileDesc")
    ET.SubElement(ET.SubElement(header, "sourceDesc"), "p").text = _OURS
    body = ET.SubElement(ET.SubElement(martif, "text"), "body")
    for term in glossary.terms:
        entry = ET.SubElement(body, "termEntry", {"id": term.id})
        if term.note:
            ET.SubElement(entry, "descrip", {"type": "definition"}).text = term.note
        flags = [flag for flag in _FLAGS if getattr(term, flag)]
        if flags:
            ET.SubElement(entry, "descrip", {"type": "x-l10n-flags"}).text = " ".join(flags)
        if term.expansion:
            ET.SubElement(entry, "descrip", {"type": "x-l10n-expansion"}).text = term.expansion
        english = ET.SubElement(entry, "langSet", {XML_LANG: "en"})
        pos, term_type = _POS_TO_TBX[term.pos]
        _tig(english, term.term, _PREFERRED, pos=pos, term_type=term_type)
        for variant in term.variants:
            _tig(english, variant, _ADMITTED)
        for code, rendering in term.translations.items():
            lang_set = ET.SubElement(entry, "langSet", {XML_LANG: bcp47(code)})
            if rendering.note:
                ET.SubElement(lang_set, "note").text = rendering.note
            _tig(lang_set, rendering.term, _PREFERRED, process=_STATUS_TO_TBX[rendering.status])
            for variant in rendering.variants:
                _tig(lang_set, variant, _ADMITTED)
            for bad in rendering.forbidden:
                _tig(lang_set, bad, _DEPRECATED)
    ET.indent(martif)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(martif, "unicode") + "\n"


def _tig(
    parent: ET.Element,
    text: str,
    status: str,
    pos: str | None = None,
    term_type: str | None = None,
    process: str | None = None,
) -> None:
    tig = ET.SubElement(parent, "tig")
    ET.SubElement(tig, "term").text = text
    for kind, value in (
        ("partOfSpeech", pos),
        ("termType", term_type),
        ("administrativeStatus", status),
        ("processStatus", process),
    ):
        if value:
            ET.SubElement(tig, "termNote", {"type": kind}).text = value


# --------------------------------------------------------------------------- what a file says


@dataclass(frozen=True)
class Update:
    """What another tool's file says about one English term; it changes only that."""

    term: str
    note: str = ""
    renderings: dict[str, Rendering] = field(default_factory=dict)


@dataclass
class Exchange:
    """A file read: whole entries (ours), updates (other tools'), and what was left out."""

    entries: list[Term] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # reason → how many
    label: str = ""  # the file, for messages


@dataclass
class Imported:
    """What an import did to the glossary."""

    glossary: Glossary
    added: list[str] = field(default_factory=list)  # term ids
    replaced: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


# --------------------------------------------------------------------------- TBX (any)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse_xml(text: str, label: str) -> ET.Element:
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise L10nError(f"not valid TBX/XML: {exc}", label, exc.position[0]) from exc
    for element in root.iter():  # TBX v3 lives in a namespace; v2 and TBX-Basic do not
        element.tag = _local(element.tag)
    return root


def _entries(root: ET.Element) -> Iterator[ET.Element]:
    for element in root.iter():
        if element.tag in ("termEntry", "conceptEntry"):
            yield element


def _lang_sets(entry: ET.Element) -> list[ET.Element]:
    return [child for child in entry if child.tag in ("langSet", "langSec")]


def _term_groups(lang_set: ET.Element) -> list[tuple[str, dict[str, str], str]]:
    """(term, termNotes by type, note) of each tig / ntig / termSec, in order."""
    found = []
    for group in lang_set:
        if group.tag not in ("tig", "ntig", "termSec"):
            continue
        term = group.find(".//term")
        text = " ".join("".join(term.itertext()).split()) if term is not None else ""
        notes = {n.get("type", ""): (n.text or "").strip() for n in group.iter("termNote")}
        note = " ".join((n.text or "").strip() for n in group.iter("note") if n.text)
        if text:
            found.append((text, notes, note))
    return found


def _lang(element: ET.Element) -> str:
    return element.get(XML_LANG) or element.get("lang") or ""


def _written_by_l10n(root: ET.Element) -> bool:
    return root.tag == "martif" and (root.findtext("martifHeader/fileDesc/sourceDesc/p") == _OURS)


def read_tbx(text: str, label: str, targets: Collection[str] | None = None) -> Exchange:
    """Entries of a TBX file: ours whole, others' as updates of the languages in `targets`."""
    root = _parse_xml(text, label)
    found = Exchange(label=label)
    ours = _written_by_l10n(root)
    for entry in _entries(root):
        if ours:
            found.entries.append(_term_from_tbx(entry, label))
            continue
        update = _update_from_tbx(entry, found.skipped, targets)
        if update is not None:
            found.updates.append(update)
    glossary_from_data(glossary_to_data(Glossary(found.entries)), label)  # validates them
    return found


def _update_from_tbx(
    entry: ET.Element, skipped: Counter[str], targets: Collection[str] | None
) -> Update | None:
    english = ""
    renderings: dict[str, Rendering] = {}
    for lang_set in _lang_sets(entry):
        tag = _lang(lang_set)
        groups = _term_groups(lang_set)
        if primary_subtag(tag) == SOURCE:
            marked = [
                t
                for t, n, _ in groups
                if _ADMIN_STATUS.get(n.get("administrativeStatus", "")) == "preferred"
            ]
            english = english or next(iter(marked or [t for t, _, _ in groups]), "")
            continue
        code = _target(tag, targets)
        if code is None:
            skipped[f"{tag}: not a language of the project"] += 1
            continue
        rendering = _rendering_from_groups(groups, lang_set)
        if rendering is None:
            skipped[f"{tag}: no term that is not forbidden"] += 1
            continue
        renderings[code] = rendering
    if not english:
        skipped["an entry without an English term"] += 1
        return None
    note = _entry_note(entry)
    return Update(english, note, renderings)


def _entry_note(entry: ET.Element) -> str:
    """The English side's explanation: a definition first, else any description or note."""
    english = [s for s in _lang_sets(entry) if primary_subtag(_lang(s)) == SOURCE]
    places = [entry, *(group for group in entry if group.tag == "descripGrp"), *english]
    descrips = [d for place in places for d in place if d.tag == "descrip"]
    definition = [d for d in descrips if d.get("type") == "definition"]
    notes = [n for place in (entry, *english) for n in place if n.tag == "note"]
    for candidates in (definition, descrips, notes):
        text = " ".join("".join(d.itertext()).strip() for d in candidates)
        if text.strip():
            return " ".join(text.split())
    return ""


def _rendering_from_groups(
    groups: list[tuple[str, dict[str, str], str]], lang_set: ET.Element
) -> Rendering | None:
    """The preferred term (or the first allowed one), the others allowed, the forbidden ones."""
    kinds = [
        (t, _ADMIN_STATUS.get(n.get("administrativeStatus", ""), "admitted")) for t, n, _ in groups
    ]
    allowed = [t for t, kind in kinds if kind != "forbidden"]
    if not allowed:
        return None
    preferred = next((t for t, kind in kinds if kind == "preferred"), allowed[0])
    notes = next((n for t, n, _ in groups if t == preferred), {})
    own_notes = [(n.text or "").strip() for n in lang_set if n.tag == "note" and n.text]
    group_note = next((note for t, _, note in groups if t == preferred and note), "")
    return Rendering(
        term=preferred,
        variants=tuple(t for t in allowed if t != preferred),
        forbidden=tuple(t for t, kind in kinds if kind == "forbidden"),
        status=_TBX_TO_STATUS.get(notes.get("processStatus", ""), "proposed"),
        note=" ".join([*own_notes, group_note]).strip(),
    )


def _target(tag: str, targets: Collection[str] | None) -> str | None:
    if targets is not None:
        return project_language(tag, targets)
    try:
        return language(tag).code
    except L10nError:
        return None


def from_tbx(text: str, label: str) -> Glossary:
    """A TBX file of ours as a glossary (every entry whole)."""
    found = read_tbx(text, label)
    if found.updates:
        raise L10nError(
            f"{len(found.updates)} entries were not written by l10n; "
            "import the file with `l10n glossary import`",
            label,
        )
    return glossary_from_data(glossary_to_data(Glossary(found.entries)), label)


def _term_from_tbx(entry: ET.Element, label: str) -> Term:
    descrips = {d.get("type"): (d.text or "") for d in entry.findall("descrip")}
    english: list[tuple[str, dict[str, str]]] = []
    renderings: dict[str, Rendering] = {}
    for lang_set in entry.findall("langSet"):
        code = lang_set.get(XML_LANG, "")
        tigs = [
            ((tig.findtext("term") or "").strip(), _notes(tig)) for tig in lang_set.findall("tig")
        ]
        if primary_subtag(code) == SOURCE:
            english = tigs
            continue
        preferred = [t for t, n in tigs if n.get("administrativeStatus") == _PREFERRED]
        if not preferred:
            raise L10nError(f"termEntry '{entry.get('id')}': no preferred term for {code}", label)
        status = next(
            (n.get("processStatus") for t, n in tigs if t == preferred[0]), "provisionallyProcessed"
        )
        renderings[language(code).code] = Rendering(
            term=preferred[0],
            variants=tuple(t for t, n in tigs if n.get("administrativeStatus") == _ADMITTED),
            forbidden=tuple(t for t, n in tigs if n.get("administrativeStatus") == _DEPRECATED),
            status=_TBX_TO_STATUS.get(status or "", "proposed"),
            note=(lang_set.findtext("note") or "").strip(),
        )
    main = [(t, n) for t, n in english if n.get("administrativeStatus") == _PREFERRED]
    if not main:
        raise L10nError(f"termEntry '{entry.get('id')}': no preferred English term", label)
    notes = main[0][1]
    pos = _TBX_TO_POS.get((notes.get("partOfSpeech", "noun"), notes.get("termType")), "noun")
    flags = set(descrips.get("x-l10n-flags", "").split())
    return Term(
        id=entry.get("id") or "",
        term=main[0][0],
        variants=tuple(t for t, n in english if n.get("administrativeStatus") == _ADMITTED),
        pos=pos,
        note=descrips.get("definition", "").strip(),
        case_sensitive="case_sensitive" in flags,
        do_not_translate="do_not_translate" in flags,
        expand_first_use="expand_first_use" in flags,
        expansion=descrips.get("x-l10n-expansion") or None,
        translations=renderings,
    )


def _notes(tig: ET.Element) -> dict[str, str]:
    return {n.get("type", ""): (n.text or "").strip() for n in tig.findall("termNote")}


# --------------------------------------------------------------------------- CSV

_BASE_COLUMNS = ["id", "term", "variants", "pos", "note", *_FLAGS, "expansion"]
_LANG_FIELDS = ("", " variants", " forbidden", " status", " note")
_LIST = " | "
#: Column names of source/target CSVs (ours, Weblate's and Translate Toolkit's), by meaning.
_PAIR_COLUMNS = {
    "source": "source", "original": "source", "untranslated": "source",
    "target": "target", "translation": "target", "translated": "target",
    "explanation": "note", "developer_comments": "note", "developer comments": "note",
    "translator_comments": "note", "translator comments": "note", "comment": "note",
    "comments": "note", "note": "note", "notes": "note", "description": "note",
    "definition": "note",
}  # fmt: skip
#: Translate Toolkit's column order, which Weblate also reads from CSVs without a header.
_TT_ORDER = ("location", "source", "target", "id", "fuzzy", "context", "translator_comments",
             "developer_comments")  # fmt: skip


def _languages(glossary: Glossary) -> list[str]:
    return list(dict.fromkeys(code for t in glossary.terms for code in t.translations))


def to_csv(glossary: Glossary, lang: str | None = None) -> str:
    """The wide CSV (every field), or with `lang` the two-language source/target CSV.

    The two-language CSV quotes every field: Translate Toolkit guesses the dialect
    from the first kilobyte, and a long explanation quoted only where needed made it
    guess a space as the delimiter.
    """
    out = io.StringIO()
    if lang is not None:
        code = language(lang).code
        writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow(["source", "target", "explanation"])
        for term in glossary.terms:
            rendering = term.translations.get(code)
            if term.do_not_translate:
                writer.writerow([term.term, term.term, term.note])
            elif rendering is not None:
                writer.writerow([term.term, rendering.term, term.note])
        return out.getvalue()
    writer = csv.writer(out, lineterminator="\n")
    codes = _languages(glossary)
    writer.writerow(_BASE_COLUMNS + [bcp47(c) + f for c in codes for f in _LANG_FIELDS])
    for term in glossary.terms:
        row = [
            term.id,
            term.term,
            _LIST.join(term.variants),
            term.pos,
            term.note,
            *("yes" if getattr(term, flag) else "" for flag in _FLAGS),
            term.expansion or "",
        ]
        for code in codes:
            r = term.translations.get(code)
            row += (
                [r.term, _LIST.join(r.variants), _LIST.join(r.forbidden), r.status, r.note]
                if r
                else ["", "", "", "", ""]
            )
        writer.writerow(row)
    return out.getvalue()


def _rows(text: str, label: str) -> list[list[str]]:
    """Rows that are not blank; the delimiter is guessed among , ; and tab only."""
    text = text.removeprefix("\ufeff")
    try:
        dialect: type[csv.Dialect] | str = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = "excel"
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        return [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise L10nError(f"not a readable CSV: {exc}", label, reader.line_num) from None


def read_csv(text: str, label: str, lang: str | None = None) -> Exchange:
    """Our wide CSV (whole entries), or a source/target CSV of one language (updates).

    A source/target CSV names no language, so `lang` must; it may have a header
    (source, target and an explanation or comment column, under our names, Weblate's
    or Translate Toolkit's) or none: source, target[, explanation]; with four columns
    or more, Translate Toolkit's order when the first (location) is empty throughout,
    else POEditor's (term, translation, context, reference, comment).
    """
    rows = _rows(text, label)
    if not rows:
        return Exchange(label=label)
    header = [cell.strip().lower() for cell in rows[0]]
    if "id" in header and "term" in header:
        return Exchange(entries=list(from_csv(text, label).terms), label=label)
    if lang is None:
        raise L10nError(
            "a source,target glossary CSV does not say its language; give it with --lang",
            label,
            1,
        )
    code = language(lang).code
    named: dict[str, list[int]] = {}
    for at, name in enumerate(header):
        if name in _PAIR_COLUMNS:
            named.setdefault(_PAIR_COLUMNS[name], []).append(at)
    if "source" in named and "target" in named:
        columns, data = named, rows[1:]
    elif any(name in _TT_ORDER for name in header):
        raise L10nError(
            "a glossary CSV with a header needs a 'source' and a 'target' column", label, 1
        )
    elif len(rows[0]) >= 4 and not any(row[0].strip() for row in rows):
        columns, data = {"source": [1], "target": [2], "note": [6, 7]}, rows  # location first
    elif len(rows[0]) >= 4:  # POEditor: term, translation, context, reference, comment
        columns, data = {"source": [0], "target": [1], "note": [4]}, rows
    else:
        columns, data = {"source": [0], "target": [1], "note": [2]}, rows
    found = Exchange(label=label)
    for row in data:
        cell = {
            name: " ".join(row[at].strip() for at in places if at < len(row) and row[at].strip())
            for name, places in columns.items()
        }
        if not cell["source"]:
            found.skipped["a row without a source term"] += 1
        elif not cell["target"]:
            found.skipped["a row without a target term"] += 1
        else:
            rendering = Rendering(term=cell["target"])
            found.updates.append(Update(cell["source"], cell.get("note", ""), {code: rendering}))
    return found


def from_csv(text: str, label: str) -> Glossary:
    rows = list(csv.DictReader(io.StringIO(text)))
    if rows and "id" not in rows[0]:
        raise L10nError(
            "a glossary CSV needs the columns written by `l10n glossary export --format csv`",
            label,
            1,
        )
    codes = []
    for column in rows[0] if rows else []:
        if column not in _BASE_COLUMNS and " " not in column:
            codes.append(column)
    terms = []
    for number, row in enumerate(rows, start=2):
        translations = {}
        for code in codes:
            if row.get(code, "").strip():
                translations[code] = {
                    "term": row[code],
                    "variants": _split(row.get(f"{code} variants", "")),
                    "forbidden": _split(row.get(f"{code} forbidden", "")),
                    "status": row.get(f"{code} status") or "proposed",
                    "note": row.get(f"{code} note", ""),
                }
        data = {
            "id": row.get("id", ""),
            "term": row.get("term", ""),
            "variants": _split(row.get("variants", "")),
            "pos": row.get("pos") or "noun",
            "note": row.get("note", ""),
            "expansion": row.get("expansion") or None,
            "translations": translations,
            **{
                flag: (row.get(flag, "").strip().lower() in ("yes", "true", "1")) for flag in _FLAGS
            },
        }
        terms.append((number, data))
    return glossary_from_data(
        {"terms": [data for _, data in terms]}, label, [number for number, _ in terms]
    )


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


# --------------------------------------------------------------------------- files


def export_glossary(glossary: Glossary, fmt: str, lang: str | None = None) -> str:
    if fmt == "tbx":
        return to_tbx(glossary)
    if fmt == "csv":
        return to_csv(glossary, lang)
    raise L10nError(f"unknown glossary format {fmt!r}; known: {', '.join(FORMATS)}")


#: File endings by format; OmegaT's tab-separated glossaries read as CSV.
_SUFFIXES = {"tbx": "tbx", "xml": "tbx", "csv": "csv", "tsv": "csv", "tab": "csv", "txt": "csv"}


def read_exchange_file(
    path: Path,
    fmt: str | None = None,
    lang: str | None = None,
    targets: Collection[str] | None = None,
) -> Exchange:
    kind = fmt or _SUFFIXES.get(path.suffix.lstrip(".").lower())
    text = read_text(path, str(path))
    if kind == "tbx":
        return read_tbx(text, str(path), targets)
    if kind == "csv":
        return read_csv(text, str(path), lang)
    raise L10nError(f"cannot tell the format of {path.name}; use --format tbx or csv", path)


def merge_glossaries(current: Glossary, imported: Exchange) -> Imported:
    """Whole entries replace those with the same id; updates change only what they state."""
    terms = list(current.terms)
    at = {t.id: i for i, t in enumerate(terms)}
    result = Imported(current, skipped=Counter(imported.skipped))
    for entry in imported.entries:
        if entry.id in at:
            terms[at[entry.id]] = entry
            result.replaced.append(entry.id)
        else:
            at[entry.id] = len(terms)
            terms.append(entry)
            result.added.append(entry.id)
    for update in imported.updates:
        index = _find(terms, update.term)
        if index is None:
            term = _new_term(update, {t.id for t in terms})
            at[term.id] = len(terms)
            terms.append(term)
            result.added.append(term.id)
            continue
        before = terms[index]
        after = _apply(before, update)
        if after == before:
            result.unchanged += 1
        else:
            terms[index] = after
            result.updated.append(after.id)
    result.glossary = Glossary(terms)
    return result


def _key(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").split())


def _find(terms: list[Term], english: str) -> int | None:
    wanted = _key(english)
    for index, term in enumerate(terms):
        if any(_key(form) == wanted for form in term.forms):
            return index
    return None


def _new_term(update: Update, taken: set[str]) -> Term:
    base = re.sub(r"[^a-z0-9]+", "-", update.term.casefold()).strip("-") or "term"
    term_id, number = base, 2
    while term_id in taken:
        term_id, number = f"{base}-{number}", number + 1
    return Term(id=term_id, term=update.term, note=update.note, translations=update.renderings)


def _apply(term: Term, update: Update) -> Term:
    translations = dict(term.translations)
    for code, new in update.renderings.items():
        if term.do_not_translate and new.term in term.forms:
            continue  # exported as itself (`--lang` CSV); it has no rendering to keep
        old = translations.get(code)
        translations[code] = new if old is None else _merge_rendering(old, new)
    return replace(term, note=term.note or update.note, translations=translations)


def _merge_rendering(old: Rendering, new: Rendering) -> Rendering:
    """A new preferred term keeps the old one allowed; what the file forbids is forbidden."""
    forbidden = tuple(dict.fromkeys((*old.forbidden, *new.forbidden)))
    if new.term == old.term:
        variants = tuple(dict.fromkeys((*old.variants, *new.variants)))
        return replace(old, variants=tuple(v for v in variants if v not in forbidden),
                       forbidden=forbidden)  # fmt: skip
    allowed = (*new.variants, *old.allowed)
    variants = tuple(v for v in dict.fromkeys(allowed) if v != new.term and v not in forbidden)
    return Rendering(new.term, variants, forbidden, new.status, new.note or old.note)


def write_import(glossary_path: Path, current: Glossary, found: Exchange) -> Imported:
    """Merge what a file says into `glossary.yaml`, changing only the entries it changes.

    The edited text is read back before it is written: if it would not give the
    merged glossary, nothing is written.
    """
    result = merge_glossaries(current, found)
    glossary_from_data(glossary_to_data(result.glossary), found.label)  # what it would add
    label = glossary_path.name
    text = read_text(glossary_path, label) if glossary_path.is_file() else ""
    edited = edit_glossary_text(text, current, result.glossary)
    if parse_glossary(edited, label) != result.glossary:
        raise L10nError(
            "the edited glossary would not read back as imported; nothing written", label
        )
    if edited != text:
        write_text_atomic(glossary_path, edited)
    return result
