"""Glossary exchange: TBX (ISO 30042) and CSV, both lossless for our schema.

TBX is what terminology tools, Weblate and Translate Toolkit read; every field
of an entry has a TBX home (partOfSpeech, termType, administrativeStatus for
preferred/admitted/deprecated renderings, processStatus for proposed/approved);
the flags TBX has no category for travel as `x-l10n-…` descriptions.  The wide
CSV has one row per term and a group of columns per language; `--lang` gives
the two-column source/target CSV that Weblate and OmegaT import.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

from .errors import L10nError
from .files import read_text
from .glossary import Glossary, Rendering, Term, glossary_from_data, glossary_to_data
from .languages import bcp47, language

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FORMATS = ("tbx", "csv")

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
_FLAGS = ("case_sensitive", "do_not_translate", "expand_first_use")


# --------------------------------------------------------------------------- TBX


def to_tbx(glossary: Glossary) -> str:
    martif = ET.Element("martif", {"type": "TBXcoreStructV02", XML_LANG: "en"})
    header = ET.SubElement(ET.SubElement(martif, "martifHeader"), "fileDesc")
    ET.SubElement(ET.SubElement(header, "sourceDesc"), "p").text = "l10n glossary"
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


def from_tbx(text: str, label: str) -> Glossary:
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise L10nError(f"not valid TBX/XML: {exc}", label, exc.position[0]) from exc
    terms = []
    for entry in root.iter("termEntry"):
        terms.append(_term_from_tbx(entry, label))
    return glossary_from_data(glossary_to_data(Glossary(terms)), label)


def _term_from_tbx(entry: ET.Element, label: str) -> Term:
    descrips = {d.get("type"): (d.text or "") for d in entry.findall("descrip")}
    english: list[tuple[str, dict[str, str]]] = []
    renderings: dict[str, Rendering] = {}
    for lang_set in entry.findall("langSet"):
        code = lang_set.get(XML_LANG, "")
        tigs = [
            ((tig.findtext("term") or "").strip(), _notes(tig)) for tig in lang_set.findall("tig")
        ]
        if code.lower().startswith("en"):
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


def _languages(glossary: Glossary) -> list[str]:
    return list(dict.fromkeys(code for t in glossary.terms for code in t.translations))


def to_csv(glossary: Glossary, lang: str | None = None) -> str:
    """The wide CSV (every field), or with `lang` the two-language source/target CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if lang is not None:
        code = language(lang).code
        writer.writerow(["source", "target", "explanation"])
        for term in glossary.terms:
            rendering = term.translations.get(code)
            if term.do_not_translate:
                writer.writerow([term.term, term.term, term.note])
            elif rendering is not None:
                writer.writerow([term.term, rendering.term, term.note])
        return out.getvalue()
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


def read_exchange_file(path: Path, fmt: str | None = None) -> Glossary:
    kind = fmt or path.suffix.lstrip(".").lower()
    text = read_text(path, str(path))
    if kind == "tbx" or kind == "xml":
        return from_tbx(text, str(path))
    if kind == "csv":
        return from_csv(text, str(path))
    raise L10nError(f"cannot tell the format of {path.name}; use --format tbx or csv", path)


def merge_glossaries(current: Glossary, imported: Glossary) -> Glossary:
    """Imported entries replace those with the same id; new ones are appended."""
    incoming = {t.id: t for t in imported.terms}
    merged = [incoming.pop(t.id, t) for t in current.terms]
    merged += [t for t in imported.terms if t.id in incoming]
    return Glossary(merged)
