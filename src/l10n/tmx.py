"""TMX 1.4b exchange: the memory in the format CAT tools and agencies share.

Each unit is one `<tu>` with an English and one target `<tuv>` (`ps`, `fa-AF`,
`ur`), the shape Translate Toolkit (source = first tuv, target = second) and
OmegaT (`srclang`, `xml:lang`, `segtype="sentence"`) both read.  Dates and the
reviewer use TMX's own attributes (`creationdate`, `changedate` as
YYYYMMDDThhmmssZ, `changeid`); what TMX has no element for (state, origin,
document, level, penalty) goes into `<prop type="x-l10n-…">`, so our own files
round-trip losslessly; foreign files without them import as translated units.

Other tools tag languages with regions (`en-US`, `ps-AF`, `ur-PK`, `prs-AF`):
any English is the source, and a target is the project language with its code
or its primary subtag.  Iranian Persian (`fa`, `fa-IR`) is not Dari and stays
out.  Whatever is left out is counted with its reason.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__
from .errors import L10nError
from .files import write_bytes_atomic
from .languages import (
    DEFAULT_LANGUAGES,
    bcp47,
    language,
    primary_subtag,
    project_language,
)
from .memory import STATE_RANK, TranslationMemory, Unit
from .settings import SOURCE_LANGUAGE

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_PROPS = ("state", "origin", "doc", "level", "penalty")
#: TMX dates: YYYYMMDDThhmmssZ, always UTC.
_TMX_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})Z?)?$")


def project_code(code: str) -> str:
    """A tag as a language code: one of l10n's languages when it stands for one (`ps-AF` →
    ps), else CLDR's code, else the tag with `_` (kept, so nothing is silently merged)."""
    known = project_language(code, DEFAULT_LANGUAGES)
    if known is not None:
        return known
    try:
        return language(code).code
    except L10nError:
        return code.replace("-", "_")


def is_source(tag: str) -> bool:
    """Any English (`en`, `en-US`, `EN-GB`) is the source language."""
    return primary_subtag(tag) == SOURCE_LANGUAGE


def tmx_date(value: str) -> str | None:
    """An ISO date or UTC time as TMX writes it; None if there is none."""
    found = _ISO_DATE.match(value)
    if not found:
        return None
    y, m, d, hh, mm, ss = (part or "00" for part in found.groups())
    return f"{y}{m}{d}T{hh}{mm}{ss}Z"


def iso_date(value: str) -> str:
    """A TMX date back in ISO form: the day alone when the time is midnight."""
    found = _TMX_DATE.match(value.strip())
    if not found:
        return ""
    y, m, d, hh, mm, ss = found.groups()
    return f"{y}-{m}-{d}" if (hh, mm, ss) == ("00", "00", "00") else f"{y}-{m}-{d}T{hh}:{mm}:{ss}Z"


def write_tmx(units: Iterable[Unit]) -> bytes:
    root = ET.Element("tmx", version="1.4")
    header = {
        "creationtool": "l10n",
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "adminlang": "en",  # the language of our <prop> values, not of the sources
        "srclang": SOURCE_LANGUAGE,
        "datatype": "plaintext",
        "o-tmf": "l10n",
    }
    ET.SubElement(root, "header", header)
    body = ET.SubElement(root, "body")
    for unit in units:
        attributes = {
            name: stamp
            for name, value in (("creationdate", unit.created), ("changedate", unit.changed))
            if (stamp := tmx_date(value))
        }
        if unit.reviewer:
            attributes["changeid"] = unit.reviewer
        tu = ET.SubElement(body, "tu", attributes)
        for name in _PROPS:
            value = getattr(unit, name)
            prop = ET.SubElement(tu, "prop", type=f"x-l10n-{name}")
            prop.text = f"{value:g}" if isinstance(value, float) else value
        for code, text in ((SOURCE_LANGUAGE, unit.source), (bcp47(unit.lang), unit.target)):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: code})
            ET.SubElement(tuv, "seg").text = text
    ET.indent(root)
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
    return head + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"


@dataclass
class TmxRead:
    """The units of a TMX file for the project's languages, and what was left out, and why."""

    units: list[Unit] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # reason → translations

    @property
    def imported(self) -> int:
        return len(self.units)


def read_tmx(
    data: bytes, name: str = "memory.tmx", targets: Collection[str] | None = None
) -> TmxRead:
    """English to each project language of every `<tu>` (all languages when `targets` is None)."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise L10nError(f"not a TMX file: {exc}", name, exc.position[0]) from None
    header = root.find("header")
    if root.tag != "tmx" or root.find("body") is None:
        raise L10nError("not a TMX file: no <tmx><body>", name)
    default_source = header.get("srclang", SOURCE_LANGUAGE) if header is not None else "en"
    result = TmxRead()
    for tu in root.iter("tu"):
        tuvs = [
            (tuv.get(XML_LANG) or tuv.get("lang") or "", _text(tuv.find("seg")))
            for tuv in tu.findall("tuv")
        ]
        sources = [text for tag, text in tuvs if is_source(tag)]
        if not sources or not sources[0]:
            source_tag = tu.get("srclang", default_source)
            result.skipped[f"no English source (srclang {source_tag})"] += len(tuvs) - 1 or 1
            continue
        props = _props(tu)
        for tuv, (tag, target) in zip(tu.findall("tuv"), tuvs, strict=True):
            if is_source(tag):
                continue
            code = project_code(tag) if targets is None else project_language(tag, targets)
            if code is None:
                why = _NOT_OURS.get(primary_subtag(tag), "not a language of the project")
                result.skipped[f"{tag}: {why}"] += 1
            elif not target:
                result.skipped[f"{tag}: empty segment"] += 1
            else:
                result.units.append(_unit(tu, tuv, props, sources[0], target, code, name))
    return result


#: Why a language close to ours is still left out.
_NOT_OURS = {"fa": "Iranian Persian, not Dari (Dari is fa-AF or prs)"}


def _props(tu: ET.Element) -> dict[str, str]:
    return {
        p.get("type", "")[len("x-l10n-") :]: p.text or ""
        for p in tu.findall("prop")
        if p.get("type", "").startswith("x-l10n-")
    }


def _unit(
    tu: ET.Element,
    tuv: ET.Element,
    props: dict[str, str],
    source: str,
    target: str,
    lang: str,
    name: str,
) -> Unit:
    """Dates and the reviewer from the target `<tuv>` (OmegaT puts them there) or the `<tu>`."""

    def attribute(key: str) -> str:
        return tuv.get(key) or tu.get(key) or ""

    unit_state = props.get("state") or "translated"
    changed = iso_date(attribute("changedate"))
    return Unit(
        source,
        target,
        lang,
        unit_state,
        props.get("origin") or "import",
        props.get("doc") or name,
        float(props.get("penalty") or 0),
        props.get("level") or "segment",
        created=iso_date(attribute("creationdate")) or changed,
        changed=changed,
        reviewer=attribute("changeid") if unit_state == "reviewed" else "",
    )


def _text(seg: ET.Element | None) -> str:
    """A seg's text; inline markup (<bpt>, <ph>…) of other tools is kept as its text only."""
    return "".join(seg.itertext()) if seg is not None else ""


def import_tmx(
    memory: TranslationMemory,
    path: Path,
    penalty: float = 0.0,
    targets: Collection[str] | None = None,
) -> TmxRead:
    """A TMX file as an imported memory (origins kept); importing it again replaces it."""
    found = read_tmx(path.read_bytes(), path.name, targets)
    found.units = [replace(u, penalty=penalty) for u in found.units]
    memory.replace(f"import:{path.resolve()}", found.units)
    return found


def export_tmx(
    memory: TranslationMemory,
    path: Path,
    languages: Sequence[str] | None = None,
    states: Collection[str] | None = None,
) -> int:
    """Write the memory's units (of these languages and states) as TMX; returns how many."""
    unknown = set(states or ()) - set(STATE_RANK)
    if unknown:
        raise L10nError(
            f"unknown state(s) {', '.join(sorted(unknown))}; known: {', '.join(STATE_RANK)}"
        )
    codes = {project_code(c) for c in languages} if languages else None
    units = [
        u
        for u in memory.units()
        if (codes is None or u.lang in codes) and (not states or u.state in states)
    ]
    write_bytes_atomic(path, write_tmx(units))
    return len(units)
