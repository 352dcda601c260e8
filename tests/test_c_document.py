"""The compiled document-model speed-ups (lintkit/_c/document.c) against the pure-Python
reference, on real files and generated inputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from c_support import c_module
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_document import DOC

from lintkit.document import model
from lintkit.document.model import Sentence, Source, WordColumns
from lintkit.document.readers import read_markdown, read_text
from lintkit.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "markdown-rfcs"


def _files() -> list[Path]:
    files = sorted(p for d in ("fixtures", "seeds", "docs") for p in (ROOT / d).rglob("*")
                   if p.suffix in (".md", ".txt"))
    files.append(ROOT / "README.md")
    if CORPUS.is_dir():
        files += sorted(CORPUS.rglob("*.md"))[::20]
    return files


def _documents() -> list[Path]:
    """The files of :func:`_files` a reader accepts (the others' input errors are compared
    by test_documents_on_real_files)."""
    out = []
    for p in _files():
        try:
            _read(p.read_text(encoding="utf-8", errors="replace"), "markdown" if p.suffix == ".md" else "text")
        except InputError:
            continue
        out.append(p)
    return out


def _read(text: str, fmt: str):  # type: ignore[no-untyped-def]
    return (read_markdown if fmt == "markdown" else read_text)(Source("t", text, fmt))


def _columns(text: str, fmt: str, mod: object, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Every sentence's word columns, with the compiled module ``mod`` (or None)."""
    with monkeypatch.context() as m:
        m.setattr(model, "_C", mod)
        doc = _read(text, fmt)
        return [tuple(s.word_columns()) for s in doc.sentences]


def _alone(text: str, fmt: str) -> list[tuple]:
    """Every sentence's word columns found for the sentence alone (no document pass)."""
    doc = _read(text, fmt)
    for s in doc.sentences:
        s._doc = None
    return [tuple(s.word_columns()) for s in doc.sentences]


@pytest.mark.parametrize("path", _documents(), ids=lambda p: p.name)
def test_find_words_on_real_files(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mod = c_module("document")
    text = path.read_text(encoding="utf-8", errors="replace")
    fmt = "markdown" if path.suffix == ".md" else "text"
    got = _columns(text, fmt, mod, monkeypatch)
    assert got == _columns(text, fmt, None, monkeypatch)
    assert got == _alone(text, fmt)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC)
def test_find_words_on_generated_markdown(text: str) -> None:
    mod = c_module("document")
    with pytest.MonkeyPatch.context() as mp:
        assert _columns(text, "markdown", mod, mp) == _columns(text, "markdown", None, mp) == _alone(text, "markdown")


def _document(text: str, fmt: str, mod: object) -> tuple:
    """Everything a reader builds (or its input error), with the compiled module ``mod``
    (or None) in every module of lintkit.document."""
    from lintkit.document import readers, segment

    with pytest.MonkeyPatch.context() as mp:
        for m in (model, readers, segment):
            mp.setattr(m, "_C", mod)
        try:
            d = _read(text, fmt)
        except InputError as e:
            return ("error", str(e))
        return (d.prose, list(d.offsets.runs()), d.url_spans,
                [(x.codes, x.start, x.end, x.kind) for x in d.suppressions],
                [(p.start, p.end, p.kind,
                  [(s.start, s.end, s.text, s.paragraph, s.placeholders, tuple(s.word_columns())) for s in p.sentences])
                 for p in d.paragraphs])


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_documents_on_real_files(path: Path) -> None:
    """The reader, paragraphs and words: LF, CRLF and CR newlines, with a non-ASCII tail."""
    mod = c_module("document")
    text = path.read_text(encoding="utf-8", errors="replace")
    fmt = "markdown" if path.suffix == ".md" else "text"
    for v in (text, text.replace("\n", "\r\n") + " naïve `x` http://a.b/c \\* &amp;", text.replace("\n", "\r")):
        assert _document(v, fmt, mod) == _document(v, fmt, None)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC)
def test_documents_on_generated_markdown(text: str) -> None:
    mod = c_module("document")
    assert _document(text, "markdown", mod) == _document(text, "markdown", None)


def test_documents_nested_too_deep() -> None:
    mod = c_module("document")
    for text in ("> " * 120 + "deep\n", "x\n\n" + "- " * 80 + "deep\n", "é\r\n\r\n" + ">" * 99 + " q\r\n"):
        got = _document(text, "markdown", mod)
        assert got == _document(text, "markdown", None)


_CHARS = st.sampled_from(list("ab Z09'.,-’\u0301é😀\n\t!?") + ["Dr.", "U.S.", "e.g.", "3.14", "x-y", "a'b"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_CHARS, max_size=40).map("".join), st.sampled_from(["markdown", "text"]))
def test_find_words_on_generated_text(text: str, fmt: str) -> None:
    mod = c_module("document")
    with pytest.MonkeyPatch.context() as mp:
        assert _columns(text, fmt, mod, mp) == _columns(text, fmt, None, mp) == _alone(text, fmt)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30), st.integers(0, 50), st.lists(st.integers(0, 80), max_size=6), st.data())
def test_find_words_of_one_sentence(text: str, start: int, cuts: list[int], data: st.DataObject) -> None:
    """Any text and offset: the columns of Sentence.word_columns (the sentence alone), the
    placeholder spans any sorted, disjoint ones."""
    mod = c_module("document")
    cuts = sorted(set(cuts))
    spans = (cuts[0::2][: len(cuts) // 2], cuts[1::2]) if data.draw(st.booleans()) else None
    prose = " " * start + text
    ref = Sentence(start, start + len(text), text, None, 0, prose, spans)
    s = Sentence(start, start + len(text), text, None, 0, prose, spans)
    rest = mod.find_words([s], WordColumns)
    if text.isascii():
        assert rest == [] and type(s._columns) is WordColumns
    else:
        assert rest == [s] and s._columns is None
        s.word_columns()
    assert tuple(s.word_columns()) == tuple(ref.word_columns())


def test_find_words_edge_cases() -> None:
    mod = c_module("document")
    assert mod.find_words([], WordColumns) == []
    s = Sentence(0, 0, "", None, 0, "x")
    assert mod.find_words([s], WordColumns) == [] and tuple(s._columns) == ([], [], [], ())
    odd = Sentence(-1, 3, "abc", None, 0, "abc")  # a negative start: left to Python
    assert mod.find_words([odd], WordColumns) == [odd] and odd._columns is None
    with pytest.raises(TypeError):
        mod.find_words(None, WordColumns)
    with pytest.raises(TypeError):
        mod.find_words([], dict)
    with pytest.raises(AttributeError):
        mod.find_words([object()], WordColumns)
    bad = Sentence(0, 3, "abc", None, 0, "abc", placeholders=([0], None))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        mod.find_words([bad], WordColumns)


def test_find_words_one_str_per_spelling() -> None:
    """Equal word texts of one find_words call are one str object (less memory, and the
    word index's look-ups meet the same object); different calls share nothing."""
    mod = c_module("document")
    prose = "The cat saw the cat. The dog saw it. Cat and dog."
    doc = _read(prose, "text")
    for s in doc.sentences:
        s._doc = None
    assert mod.find_words(doc.sentences, WordColumns) == []
    texts = [t for s in doc.sentences for t in s._columns.texts]
    assert texts == ["The", "cat", "saw", "the", "cat", "The", "dog", "saw", "it", "Cat", "and", "dog"]
    by_text: dict[str, set[int]] = {}
    for t in texts:
        by_text.setdefault(t, set()).add(id(t))
    assert all(len(ids) == 1 for ids in by_text.values())
    assert len({id(t) for t in texts}) == len(set(texts)) == 8
    again = _read(prose, "text")
    for s in again.sentences:
        s._doc = None
    mod.find_words(again.sentences, WordColumns)
    assert again.sentences[0]._columns.texts[1] == "cat"
    assert again.sentences[0]._columns.texts[1] is not texts[1]


# Sentence splitting: abbreviations, initials, dotted names, ellipses, quotes, non-ASCII.
_PIECES = st.sampled_from(["Dr.", "U.S.", "e.g.", "etc.", "Mr", "J.", "a.m.", "Ph.D.", "The", "Senate", "army",
                           "end.", "Why?", "Wow!", "...", "…", "well...", "x", "Éric.", "İ.", "naïve.", "3.14",
                           '"Quoted."', "(paren.)", "’", "“", "«", "A.", "ok.)", "no.", "Kelvin\u212a.", "?!",
                           "", " ", "\n", "\n\n", "\t", "\u2003", "Ünter", "e.g", "U.S"])
_PROSE = st.lists(_PIECES, max_size=30).map(" ".join)


def _paragraphs(prose: str, blocks: list[tuple[int, int, str]], mod: object,
                ph: tuple[list[int], list[int]] | None = None) -> list[tuple]:
    from lintkit.document import segment

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(segment, "_C", mod)
        return [(p.start, p.end, p.kind, [(s.start, s.end, s.text, s.paragraph, s.prose is prose,
                                           s.placeholders is ph if s.placeholders else None) for s in p.sentences])
                for p in segment.build_paragraphs(prose, blocks, ph)]


@settings(max_examples=500, deadline=None)
@given(_PROSE, st.lists(st.tuples(st.integers(-3, 200), st.integers(-3, 200)), max_size=5), st.booleans(),
       st.one_of(st.none(), st.lists(st.integers(0, 200), max_size=8)))
def test_paragraphs_on_generated_blocks(prose: str, cuts: list[tuple[int, int]], whole: bool,
                                        phcuts: list[int] | None) -> None:
    """Blocks anywhere (set off by whitespace or not, outside the text, reversed), and the
    whole text as one block; placeholder spans anywhere (sorted, disjoint) or none."""
    mod = c_module("document")
    blocks = [(a, z, "paragraph") for a, z in cuts]
    if whole:
        blocks.insert(0, (0, len(prose), "heading"))
    ph = None
    if phcuts is not None:
        c = sorted(set(phcuts))
        ph = (c[0::2][: len(c) // 2], c[1::2])
    assert _paragraphs(prose, blocks, mod, ph) == _paragraphs(prose, blocks, None, ph)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PROSE, min_size=1, max_size=5))
def test_paragraphs_of_separated_blocks(texts: list[str]) -> None:
    """Blocks as the readers make them: separated by a paragraph break."""
    mod = c_module("document")
    blocks, pos = [], 0
    for t in texts:
        blocks.append((pos, pos + len(t), "paragraph"))
        pos += len(t) + 2
    prose = "\n\n".join(texts)
    assert _paragraphs(prose, blocks, mod) == _paragraphs(prose, blocks, None)


def test_paragraphs_bad_input() -> None:
    from lintkit.document import segment

    mod = c_module("document")
    sets = (segment._NEVER_FINAL, segment._MAYBE_FINAL, segment._SENTENCE_OPENERS)
    args = (model.Paragraph, Sentence, segment.split_sentences, *sets)
    assert mod.paragraphs("", [], *args) == []
    with pytest.raises(TypeError):
        mod.paragraphs("a b", [(0, 1)], *args)
    with pytest.raises(TypeError):
        mod.paragraphs("a b", [("0", 1, "p")], *args)
    with pytest.raises(TypeError):
        mod.paragraphs(None, [], *args)
    with pytest.raises(TypeError):
        mod.paragraphs("a", [(0, 1, "p")], *args, ([0], [1], [2]))
    with pytest.raises(TypeError):
        mod.paragraphs("a", [(0, 1, "p")], *args, ([0], None))
    ph = ([0], [1])
    got = mod.paragraphs("a b", [(0, 3, "p")], *args, ph)
    assert got[0].sentences[0].placeholders is ph
