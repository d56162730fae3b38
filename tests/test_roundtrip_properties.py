"""Property tests: generated documents survive the round trip."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from l10n.document import parse_document, render_document

from markup import html_as_read, normalized_html, tag_sequence, uppercase

WORDS = st.sampled_from(
    [
        "Kabul",
        "Islamabad",
        "border",
        "trade",
        "TTP",
        "IS-KP",
        "the",
        "of",
        "1,660",
        "2021",
        "Durand",
        "Line",
        "transit",
        "refugees",
        "د",
        "کابل",
        "پاکستان",
        "snake_case",
        "a+b",
    ]
)


@st.composite
def inline(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        word = draw(WORDS)
        style = draw(st.sampled_from(["", "", "", "*", "**", "`", "link", "fn", "img"]))
        if style in ("*", "**", "`"):
            word = f"{style}{word}{style}"
        elif style == "link":
            word = f'[{word}](https://example.org/{draw(st.integers(0, 99))} "t")'
        elif style == "fn":
            word = f"{word}[^{draw(st.integers(1, 3))}]"
        elif style == "img":
            word = f"![{word}](i.png)"
        parts.append(word)
    glue = draw(
        st.lists(st.sampled_from([" ", " ", "\n", " \n", "  \n", "\\\n"]), min_size=len(parts))
    )
    text = "".join(p + g for p, g in zip(parts, glue, strict=False)).rstrip(" \\\n")
    return text or "x"


@st.composite
def block(draw, depth: int = 0) -> str:
    kinds = ["para", "para", "atx", "setext", "code", "hr", "table"]
    if depth < 2:
        kinds += ["bullet", "ordered", "quote"]
    kind = draw(st.sampled_from(kinds))
    if kind == "para":
        return draw(inline())
    if kind == "atx":
        return "#" * draw(st.integers(1, 6)) + " " + draw(inline()).replace("\n", " ").rstrip("\\ ")
    if kind == "setext":
        return draw(inline()).rstrip("\\ ") + "\n" + draw(st.sampled_from(["===", "---"]))
    if kind == "code":
        return "```\n" + draw(inline()) + "\n```"
    if kind == "hr":
        return "* * *"
    if kind == "table":
        cells = [
            draw(inline()).replace("\n", " ").replace("|", "\\|").rstrip("\\ ") for _ in range(4)
        ]
        return f"| {cells[0]} | {cells[1]} |\n|---|:-:|\n| {cells[2]} | {cells[3]} |"
    children = draw(st.lists(block(depth + 1), min_size=1, max_size=3))
    if kind == "quote":
        body = "\n\n".join(children)
        return "\n".join("> " + line if line else ">" for line in body.split("\n"))
    items = []
    for n, child in enumerate(children, start=1):
        marker = "- " if kind == "bullet" else f"{n}. "
        pad = " " * len(marker)
        lines = child.split("\n")
        items.append(
            marker + lines[0] + "".join("\n" + (pad + ln if ln else "") for ln in lines[1:])
        )
    return "\n".join(items)


@st.composite
def document(draw) -> str:
    blocks = draw(st.lists(block(), min_size=1, max_size=6))
    notes = [f"[^{n}]: {draw(inline())}" for n in (1, 2, 3)]
    front = '---\ntitle: "' + draw(WORDS) + '"\nauthors:\n  - A\n---\n\n'
    return front + "\n\n".join(blocks + notes) + "\n"


settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci")


@given(document())
def test_generated_documents_round_trip_exactly(text):
    doc = parse_document(text)
    assert render_document(doc, {s.msgid: s.msgid for s in doc.segments}) == text
    rewritten = render_document(doc, lambda s: s.msgid, keep_unchanged=False)
    assert html_as_read(rewritten) == html_as_read(text)


@given(document())
def test_generated_documents_keep_their_structure_when_translated(text):
    doc = parse_document(text)
    assert tag_sequence(render_document(doc, uppercase)) == tag_sequence(text)


MARKDOWNISH = st.text(alphabet="ab #*_-+[]()>`|\\!<&^:.1\n\t=~", max_size=80)


@given(MARKDOWNISH)
def test_any_text_round_trips(text):
    """Any text keeps what a reader sees: white space collapsed, as browsers show it.

    Not byte for byte: in a code span, a lazy line of a block quote indented
    with tabs changes its white space (see test_roundtrip.LAZY_INDENTED_CODE).
    """
    doc = parse_document(text)
    assert render_document(doc, {s.msgid: s.msgid for s in doc.segments}) == text
    rewritten = render_document(doc, lambda s: s.msgid, keep_unchanged=False)
    assert normalized_html(rewritten) == normalized_html(text)
