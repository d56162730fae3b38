"""TMX 1.4b exchange: the memory in the format CAT tools and agencies share.

Each unit is one `<tu>` with an English and one target `<tuv>` (`ps`, `fa-AF`,
`ur`), the shape Translate Toolkit (source = first tuv, target = second) and
OmegaT (`srclang`, `xml:lang`, `segtype="sentence"`) both read.  What TMX has
no element for (state, origin, document, level, penalty) goes into
`<prop type="x-l10n-…">`, so our own files round-trip losslessly; foreign
files without them import as translated units.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path

from . import __version__
from .errors import L10nError
from .files import write_bytes_atomic
from .languages import bcp47, language
from .memory import TranslationMemory, Unit
from .settings import SOURCE_LANGUAGE

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_PROPS = ("state", "origin", "doc", "level", "penalty")


def project_code(code: str) -> str:
    try:
        return language(code).code
    except L10nError:
        return code.replace("-", "_")


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
        tu = ET.SubElement(body, "tu")
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


def read_tmx(data: bytes, name: str = "memory.tmx") -> list[Unit]:
    """Units of a TMX file: English to each other language of every `<tu>`."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise L10nError(f"not a TMX file: {exc}", name) from None
    if root.tag != "tmx" or root.find("body") is None:
        raise L10nError("not a TMX file: no <tmx><body>", name)
    units = []
    for tu in root.iter("tu"):
        props = {
            p.get("type", "")[len("x-l10n-") :]: p.text or ""
            for p in tu.findall("prop")
            if p.get("type", "").startswith("x-l10n-")
        }
        segs = {
            project_code(tuv.get(XML_LANG) or tuv.get("lang") or ""): _text(tuv.find("seg"))
            for tuv in tu.findall("tuv")
        }
        source = segs.pop(SOURCE_LANGUAGE, None)
        if not source:
            continue
        for lang, target in segs.items():
            if not target:
                continue
            units.append(
                Unit(
                    source,
                    target,
                    lang,
                    props.get("state") or "translated",
                    props.get("origin") or "import",
                    props.get("doc") or name,
                    float(props.get("penalty") or 0),
                    props.get("level") or "segment",
                )
            )
    return units


def _text(seg: ET.Element | None) -> str:
    """A seg's text; inline markup (<bpt>, <ph>…) of other tools is kept as its text only."""
    return "".join(seg.itertext()) if seg is not None else ""


def import_tmx(memory: TranslationMemory, path: Path, penalty: float = 0.0) -> int:
    """A TMX file as an imported memory; importing it again replaces it."""
    units = [
        Unit(u.source, u.target, u.lang, u.state, "import", u.doc, penalty, u.level)
        for u in read_tmx(path.read_bytes(), path.name)
    ]
    memory.replace(f"import:{path.resolve()}", units)
    return len(units)


def export_tmx(
    memory: TranslationMemory, path: Path, languages: Sequence[str] | None = None
) -> int:
    """Write the memory's units (of these languages) as TMX; returns how many."""
    codes = {project_code(c) for c in languages} if languages else None
    units = [u for u in memory.units() if codes is None or u.lang in codes]
    write_bytes_atomic(path, write_tmx(units))
    return len(units)
