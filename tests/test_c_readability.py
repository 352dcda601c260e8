"""The compiled readability loops (lintkit/_c/readability.c) against their pure-Python
references: ``sentence_columns`` / metrics._sentence_columns_py, ``chars_tokens`` /
metrics._total_chars_tokens_py and ``hyphen_points`` / offline._Hyphenation.count_py, on
the sentences of real documents and on generated inputs."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from c_support import c_module
from hypothesis import given, settings
from hypothesis import strategies as st

from lintkit.document.model import Document, Paragraph, Sentence, Source, WordColumns
from lintkit.document.readers import lintkit_read_document
from lintkit.errors import LintkitError
from lintkit.families.readability import metrics, offline

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted([*ROOT.glob("fixtures/**/*.md"), *ROOT.glob("seeds/**/*.md"), *ROOT.glob("docs/*.md"),
               *ROOT.glob("fixtures/**/*.txt")])
LANGS = ("en_US", "en_GB")


@pytest.fixture(scope="module")
def mod():  # type: ignore[no-untyped-def]
    return c_module("readability")


def _document(path: Path) -> Document | None:
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        return lintkit_read_document(Source(str(path), text, "markdown" if path.suffix == ".md" else "text"))
    except LintkitError:
        return None  # (a hostile fixture the reader refuses)


def _sentences(path: Path) -> list[Sentence]:
    doc = _document(path)
    return doc.sentences if doc is not None else []


def _layout(mod, paragraphs: list[Paragraph], lang: str):  # type: ignore[no-untyped-def]
    got = mod.analyse_columns(paragraphs, metrics._LAZY_KINDS, metrics.BODY_KINDS, Sentence.word_columns, {},
                              partial(metrics.word_facts, lang=lang), metrics._MAX_CACHED,
                              offline.fast_word_source(lang))
    assert got is not None
    sents, columns, first, slots, body_words, longest, all_body = got
    return sents, metrics._Sentences(*columns), first, slots, body_words, longest, all_body


def _layout_py(paragraphs: list[Paragraph], lang: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with monkeypatch.context() as m:
        m.setattr(metrics, "_C", None)  # (the reference all the way down)
        counted, slots, body_words, longest, all_body = metrics._layout_py(paragraphs, lang)
    return counted.sentences, counted.columns, counted.first, slots, body_words, longest, all_body


def _c_columns(mod, cols: list[WordColumns], lang: str, table: dict | None = None):  # type: ignore[no-untyped-def]
    """The compiled columns, with the fast path for new ASCII words and without it (the same)."""
    table = {} if table is None else table
    missing = partial(metrics.word_facts, lang=lang)
    got = mod.sentence_columns(cols, table, missing, metrics._MAX_CACHED, offline.fast_word_source(lang))
    assert got is not None
    assert mod.sentence_columns(cols, {}, missing, metrics._MAX_CACHED) == got
    words = mod.new_word_table()  # (the table metrics uses)
    assert mod.sentence_columns(cols, words, missing, metrics._MAX_CACHED, offline.fast_word_source(lang)) == got
    assert mod.sentence_columns(cols, words, missing, metrics._MAX_CACHED) == got  # (from the table)
    return metrics._Sentences(*got)


def _check(mod, sents: list[Sentence], lang: str) -> None:  # type: ignore[no-untyped-def]
    cols = list(map(Sentence.word_columns, sents))
    want = metrics._sentence_columns_py(cols, lang)
    table: dict[str, int] = {}
    assert _c_columns(mod, cols, lang, table) == want
    assert _c_columns(mod, cols, lang, table) == want  # (now every word from the table)
    texts = [s.text for s in sents]
    assert mod.chars_tokens(texts, want.words, want.with_ph, want.ph_chars, want.ph_words) \
        == metrics._total_chars_tokens_py(texts, want)


def test_documents(mod) -> None:  # type: ignore[no-untyped-def]
    assert DOCS
    for path in DOCS:
        sents = _sentences(path)
        for lang in LANGS:
            _check(mod, sents, lang)


def test_analyse_columns(mod, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    for path in DOCS:
        doc = _document(path)
        if doc is None:
            continue
        assert _layout(mod, doc.paragraphs, "en_US") == _layout_py(doc.paragraphs, "en_US", monkeypatch)
    paragraphs = [Paragraph(0, 0, kind) for kind in ("heading", "paragraph", "table_cell", "list_item", "code")]
    assert _layout(mod, paragraphs, "en_US") == _layout_py(paragraphs, "en_US", monkeypatch)
    assert _layout(mod, [], "en_US") == _layout_py([], "en_US", monkeypatch)
    odd = Paragraph(0, 0, "paragraph")
    odd.sentences = ()  # type: ignore[assignment]
    assert mod.analyse_columns([odd], metrics._LAZY_KINDS, metrics.BODY_KINDS, Sentence.word_columns, {},
                               partial(metrics.word_facts, lang="en_US"), 10) is None
    with pytest.raises(TypeError):
        mod.analyse_columns([Paragraph(0, 0, ["unhashable"])], metrics._LAZY_KINDS, metrics.BODY_KINDS,
                            Sentence.word_columns, {}, partial(metrics.word_facts, lang="en_US"), 10)


def test_placeholders_and_edges(mod) -> None:  # type: ignore[no-untyped-def]
    text = ("See `code` and https://example.com/x here. `a` `b`\n\nWords, words... “Quoted” İstanbul "
            "naïve co-operate don't 42 U.S.A.\n\n`only code`\n\n\u00a0 \u2003 tabs\tand\u2028lines.")
    doc = lintkit_read_document(Source("x.md", text, "markdown"))
    assert doc is not None
    assert any(s.word_columns().placeholders for s in doc.sentences)
    for lang in LANGS:
        _check(mod, doc.sentences, lang)
    _check(mod, [], "en_US")


_WORD = st.text(st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=12)
_ASCII_WORD = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCZ'-.,é"), min_size=1, max_size=14)


@st.composite
def _columns(draw: st.DrawFn) -> list[WordColumns]:
    out = []
    for _ in range(draw(st.integers(0, 6))):
        texts = draw(st.lists(st.one_of(_WORD, _ASCII_WORD), max_size=10))
        ph = tuple(sorted(draw(st.sets(st.integers(0, max(len(texts) - 1, 0)), max_size=3)))) if texts else ()
        out.append(WordColumns(list(range(len(texts))), list(range(len(texts))), texts, ph))
    return out


@settings(max_examples=150, deadline=None)
@given(_columns())
def test_generated_columns(mod, cols: list[WordColumns]) -> None:  # type: ignore[no-untyped-def]
    assert _c_columns(mod, cols, "en_US") == metrics._sentence_columns_py(cols, "en_US")


_PUNCTUATED = st.text(st.sampled_from("abtsdvelrSTDVELR'.-_09!~ \t"), min_size=0, max_size=10)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PUNCTUATED, max_size=12))
def test_generated_ascii_facts(mod, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    """The fast path for new ASCII words (apostrophes kept before t, s, d, ve, ll, re; other
    punctuation dropped; all punctuation: no facts) against fast_word_facts and textstat."""
    cols = [WordColumns(list(range(len(texts))), list(range(len(texts))), texts, ())]
    for lang in LANGS:
        assert _c_columns(mod, cols, lang) == metrics._sentence_columns_py(cols, lang)


def test_fast_word_source() -> None:
    assert offline.fast_word_source("de_DE") is None
    source = offline.fast_word_source("en_GB")
    assert source is not None and source[0]("hello") == 2 and "hello" in source[1] and source[2]("zzyzx") >= 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.sampled_from(" \t\n\x0b\x0c\r\x1c\x1f\x85\xa0\u2003\u3000ab.é😀"), max_size=20),
                max_size=8), st.data())
def test_generated_chars_tokens(mod, texts: list[str], data: st.DataObject) -> None:  # type: ignore[no-untyped-def]
    n = len(texts)
    words = data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    with_ph = sorted(data.draw(st.sets(st.integers(0, max(n - 1, 0)), max_size=n))) if n else []
    ph_chars = data.draw(st.lists(st.integers(0, 30), min_size=len(with_ph), max_size=len(with_ph)))
    ph_words = data.draw(st.lists(st.integers(0, 5), min_size=len(with_ph), max_size=len(with_ph)))
    c = metrics._Sentences(words, [0] * n, with_ph, ph_chars, ph_words)
    assert mod.chars_tokens(texts, words, with_ph, ph_chars, ph_words) == metrics._total_chars_tokens_py(texts, c)


def test_large_and_odd_facts(mod) -> None:  # type: ignore[no-untyped-def]
    cols = [WordColumns([], [], ["w"] * 300, ())]
    big = (2**24 - 1, 2**28 - 1, 15, 15, 15)  # the largest that fit: sums past 2**32 per field
    got = mod.sentence_columns(cols, {}, lambda w: big, 10)
    assert got is not None
    assert got[1] == [300 * sum(f << 32 * k for k, f in enumerate(big))]
    # too large for the table, negative, not 5 ints: None (the Python code decides)
    for bad in ((2**24, 0, 0, 0, 0), (0, 2**28, 0, 0, 0), (0, 0, 16, 0, 0), (-1, 0, 0, 0, 0), (1, 2), None,
                (1, 1, 1, 1, 10**30)):
        assert mod.sentence_columns(cols, {}, lambda w, bad=bad: bad, 10) is None
    # placeholder indices not ascending or out of range: None
    for ph in ((1, 0), (0, 0), (300,), (-1,), ("x",)):
        assert mod.sentence_columns([WordColumns([], [], ["w"] * 300, ph)], {}, lambda w: big, 10) is None
    # a miss that raises: the error goes through, the table keeps what was found
    def boom(w: str) -> tuple[int, ...]:
        raise RuntimeError(w)
    with pytest.raises(RuntimeError):
        mod.sentence_columns([WordColumns([], [], ["x"], ())], {}, boom, 10)
    with pytest.raises(TypeError):
        mod.sentence_columns([("not", "four")], {}, boom, 10)
    with pytest.raises(TypeError):
        mod.sentence_columns([WordColumns([], [], [3], ())], {}, boom, 10)
    with pytest.raises(TypeError):
        mod.chars_tokens(["a"], ["x"], [], [], [])
    with pytest.raises(ValueError):
        mod.chars_tokens(["a"], [1, 2], [], [], [])
    # the table is kept under max_cached words
    table: dict[str, int] = {}
    mod.sentence_columns([WordColumns([], [], list("abcdef"), ())], table, lambda w: (1, 1, 0, 0, 1), 3)
    assert len(table) == 3
    words = mod.new_word_table()
    mod.sentence_columns([WordColumns([], [], ["a", "é", "b" * 40, "c", "d"], ())], words, lambda w: (1, 1, 0, 0, 1), 3)
    assert mod.word_table_size(words) == 3
    words = mod.new_word_table()
    for _ in range(3):  # (an empty word is kept once, as any other)
        mod.sentence_columns([WordColumns([], [], ["", "", "a"], ())], words, lambda w: (0, 0, 0, 0, 0), 10)
    assert mod.word_table_size(words) == 2
    with pytest.raises(TypeError):
        mod.sentence_columns([], [], boom, 10)
    with pytest.raises(TypeError):
        mod.word_table_size({})


def test_word_table_grows(mod) -> None:  # type: ignore[no-untyped-def]
    """Thousands of words (the table doubles many times), short and long, ASCII or not:
    the same facts as a dict gives, and each counted once."""
    texts = [f"w{i}" + "x" * (i % 30) + ("é" if i % 7 == 0 else "") for i in range(20000)]
    def facts(w: str) -> tuple[int, int, int, int, int]:
        return (len(w) % 5, len(w), len(w) % 2, 0, hash(w) & 1)
    cols = [WordColumns([], [], texts[i:i + 37], ()) for i in range(0, len(texts), 37)]
    words = mod.new_word_table()
    want = mod.sentence_columns(cols, {}, facts, 10**6)
    assert mod.sentence_columns(cols, words, facts, 10**6) == want
    assert mod.word_table_size(words) == len(texts)
    assert mod.sentence_columns(cols, words, boom_facts, 10**6) == want  # every word from the table


def boom_facts(w: str) -> tuple[int, ...]:
    raise AssertionError(f"{w} should come from the table")


@pytest.mark.parametrize("lang", LANGS)
def test_hyphen_points(mod, lang: str) -> None:  # type: ignore[no-untyped-def]
    h = offline._Hyphenation(lang)
    words = ["", "a", "ab", "abc", "hyphenation", "supercalifragilisticexpialidocious", "naïve", "x" * 80,
             "co-operate", "don't", "İstanbul".lower(), "日本語", "😀😀😀"]
    words += sorted(offline.pronunciations()._syllables)[::997]
    for w in words:
        assert mod.hyphen_points(h.trie, h.maxlen, h.reach, h.left, h.right, w) == h.count_py(w), w


@settings(max_examples=300, deadline=None)
@given(st.one_of(_WORD, st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz.'"), max_size=30)))
def test_generated_hyphen_points(mod, word: str) -> None:  # type: ignore[no-untyped-def]
    h = offline._hyphenations.get("en_US") or offline._Hyphenation("en_US")
    offline._hyphenations["en_US"] = h
    assert mod.hyphen_points(h.trie, h.maxlen, h.reach, h.left, h.right, word) == h.count_py(word)
