"""Consistency word index (units.py): the fast scans give what the simple ones give."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lintkit.document.model import Document, Source
from lintkit.document.readers import read_markdown
from lintkit.families.consistency import units


def md(text: str) -> Document:
    return read_markdown(Source("t.md", text, "markdown"))


# Building blocks of generated Markdown: quotation marks, glue characters, inline code
# (placeholders), possessives, capitals, headings and block quotes.
PIECES = st.sampled_from([
    "alpha", "Beta", "Gamma", "delta’s", "Epsilon's", "NASA", "U.S.", "e.g.", "3.14", "naïve", "x", "Dr.",
    "White", "House", "we", "chat", "WeChat", "Tik", "Tok", "of", "the", "data", "base", "database",
    "“", "”", "\"", "«", "»", "/", "#", "_", "@", "\\", "`code`", "`a b`", "foo_bar", "rust-lang/rfcs#1636",
    "a@b", "-", "—", ",", ".", "(", ")", ":", "'", "’", "\n", "\n\n", "\n\n# ", "\n\n> ", "\n\n- ", " ", "  ",
    "“White House”", "\"Tik Tok\"", "«data base»", "x\"y\"", "\"a", "b\"", "“we", "chat”",
])
DOCS = st.lists(PIECES, max_size=80).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab/#_@\\“\"«» \n", max_size=60))
def test_char_positions_match_a_character_class(text: str) -> None:
    expected = [m.start() for m in re.finditer(r"[/#_@\\“\"«]", text)]
    assert units.char_positions(text, "/#_@\\“\"«") == expected


def _quote_spans_reference(doc: Document) -> list[tuple[int, int]]:
    """quote_spans as first written: the pattern run over each paragraph."""
    spans: list[tuple[int, int]] = []
    for p in doc.paragraphs:
        if p.kind == "quote":
            spans.append((p.start, p.end))
            continue
        for m in units._QUOTE.finditer(doc.prose, p.start, p.end):
            spans.append((m.start(), m.end()))
    spans.sort()
    return spans


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCS)
def test_quote_spans_match_the_pattern_run_over_each_paragraph(text: str) -> None:
    doc = md(text)
    assert units.quote_spans(doc) == _quote_spans_reference(doc)
