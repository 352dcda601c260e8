"""The pyrs Markdown reader gives the same Document as read_markdown (or falls back to it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lintkit.document.model import Document, Source
from lintkit.document.readers import read_markdown

pytest.importorskip("markdown_it_pyrs")

from test_document import DOC  # noqa: E402  (pytest puts tests/ on sys.path)

from lintkit.document.readers_rs import read_markdown_rs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("LINTKIT_RS_EXAMPLES", "300"))


def projection(doc: Document) -> dict:  # type: ignore[type-arg]
    return {
        "prose": doc.prose,
        "runs": list(doc.offsets.runs()),
        "paragraphs": [(p.start, p.end, p.kind, [(s.start, s.end, s.text, s.paragraph,
                        [(w.start, w.end, w.text, w.placeholder) for w in s.words]) for s in p.sentences])
                       for p in doc.paragraphs],
        "urls": doc.url_spans,
        "suppressions": [(s.codes, s.start, s.end, s.kind) for s in doc.suppressions],
        "lines": doc.lines.starts,
    }


def same(text: str) -> None:
    source = Source("t.md", text, "markdown")
    try:
        expected: object = projection(read_markdown(source))
    except Exception as e:  # noqa: BLE001 - the same error is expected
        expected = (type(e), str(e))
    try:
        got: object = projection(read_markdown_rs(source))
    except Exception as e:  # noqa: BLE001
        got = (type(e), str(e))
    assert got == expected


FILES = sorted(p for d in ("fixtures", "seeds") for p in (ROOT / d).rglob("*") if p.is_file())


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fixture_files(path: Path) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, ValueError):
        pytest.skip("not UTF-8")
    same(text)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC)
def test_generated_markdown(text: str) -> None:
    same(text)


# Pieces of Markdown syntax in any order: constructs where the two parsers, or the
# content this reader rebuilds, could differ.
_PIECES = ["a", "word", " ", "  ", "\n", "\n\n", "\r\n", "\t", "> ", ">", "- ", "* ", "1. ", "  - ", "    ",
           "# ", "#", "=", "---", "```", "~~~", "`", "``", "*", "**", "_", "~~", "[", "]", "(", ")", "](",
           "[x]: /u", "<", ">", "<b>", "</b>", "<!-- lintkit-disable CN -->", "<https://x.org>", "<a@b.org>",
           "&amp;", "&#65;", "&nbsp;", "\\", "\\*", "|", "| a | b |\n|---|---|\n", "http://x.y/z", "www.a.b",
           "é", "😀", "—", "©", "€", "’", "\u00a0", "!", "![i](p)", "e.g.", "Dr.", ".", "\x00", "\r"]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_markdown_syntax_soup(text: str) -> None:
    same(text)


@settings(max_examples=EXAMPLES // 2, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200))
def test_any_text(text: str) -> None:
    same(text)


# Lines of inline soup under block prefixes: quotes, lists, headings, tables, code.
_PREFIXES = ["", "", "> ", ">", "> > ", "- ", "* ", "1. ", "2) ", "  ", "   - ", "    ", "# ", "## ", "| ",
             "```", "~~~", "---", "===", "[r]: ", "<div>", "> - ", "- > "]
_INLINE = ["a", "b c", "Word.", " ", "*", "**", "_", "`", "``", "[", "]", "](u)", "<", ">", "<i>", "&amp;", "\\",
           "|", "~~", "!", "é", "😀", "—", ":", "http://x.y", "a@b.cd", "<http://x.y>", "![a](b)", "  "]
_LINE = st.tuples(st.sampled_from(_PREFIXES), st.lists(st.sampled_from(_INLINE), max_size=8).map("".join)).map("".join)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, max_size=12).map("\n".join))
def test_markdown_lines(text: str) -> None:
    same(text)
