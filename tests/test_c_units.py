"""The compiled word index (lintkit/_c/units.c) gives what its pure-Python reference
(units._index_words, units._pairs) gives: on the repository's documents, on generated
Markdown, with a memo that is cleared as it fills, and on bad input (an exception, not a
crash)."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from c_support import c_module
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_consistency_units_columns import DOCS, md

from lintkit.document.model import Document, Sentence, Source, Word
from lintkit.document.readers import read_markdown, read_text
from lintkit.errors import InputError
from lintkit.families.consistency import units
from lintkit.families.consistency.lexicon import lexicon

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*ROOT.glob("fixtures/**/*.md"), *ROOT.glob("fixtures/**/*.txt"), *ROOT.glob("seeds/*.txt"),
                *ROOT.glob("docs/*.md"), ROOT / "README.md"])
TERMS = frozenset({"wechat", "tiktok", "whitehouse", "database", "wechatdatabase", "datadatabase"})


@pytest.fixture(scope="module")
def mod() -> ModuleType:
    return c_module("units")


def read(path: Path) -> Document:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".md":
        try:
            return read_markdown(Source(str(path), text, "markdown"))
        except InputError:  # a hostile file lintkit refuses to read as Markdown
            pass
    return read_text(Source(str(path), text, "text"))


def index(fn: Callable[..., None], doc: Document, memo: dict | None = None,
          facts: Callable[[str], units._Facts] | None = None) -> dict[str, object]:
    """What one word pass gives (its lists, dicts and sets, in their order)."""
    words: list[units.Occ] = []
    keyed: dict[str, list[units.Occ]] = {}
    title_keys: set[str] = set()
    unigram_keys: set[str] = set()
    forms: set[str] = set()
    fn(doc.sentences, doc.paragraphs, doc.prose, units.quote_spans(doc), units._GLUE,
       units._FACTS if memo is None else memo, units._facts if facts is None else facts,
       words, keyed, title_keys, unigram_keys, forms)
    return {"words": words, "types": [tuple(map(type, o)) for o in words],
            "keyed": [(k, v) for k, v in keyed.items()], "title_keys": list(title_keys),
            "unigram_keys": list(unigram_keys), "forms": list(forms)}


def grams(fn: Callable[..., None], doc: Document, max_words: int, term_keys: frozenset[str] = TERMS) -> list:
    got = index(units._index_words, doc)
    words = got["words"]
    known = set(got["unigram_keys"]) | set(got["title_keys"]) | term_keys
    out: list[units.Occ] = []
    fn(words, known, term_keys, units._STOP, doc.prose, max_words, out)
    return [(o, tuple(map(type, o))) for o in out]


def check(mod: ModuleType, doc: Document) -> None:
    # set iteration order too: the same insertions in the same order
    assert index(mod.index_words, doc) == index(units._index_words, doc)
    for max_words in (1, 2, 3, 4):
        assert grams(mod.pairs, doc, max_words) == grams(units._pairs, doc, max_words)


def test_files_are_there() -> None:
    assert len(FILES) > 20


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_c_index_matches_python_on_files(mod: ModuleType, path: Path) -> None:
    check(mod, read(path))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCS)
@example("White House alpha/\n\nBeta Gamma.")
@example("#alpha beta.\n\n- `code` White House_")
@example("The White “House” we chat\n\n> We Chat")
@example("`x` WeChat data base\n\n# Tik Tok data base")
def test_c_index_matches_python_on_generated_markdown(mod: ModuleType, text: str) -> None:
    check(mod, md(text))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_c_index_matches_python_on_any_text(mod: ModuleType, text: str) -> None:
    check(mod, md(text))
    check(mod, read_text(Source("t.txt", text, "text")))


KEYS = st.text(alphabet="ab\u00e9\u4e2d\U0001f600.", max_size=4)


@st.composite
def _words_and_keys(draw: st.DrawFn) -> tuple[list[units.Occ], set, frozenset, str]:
    """Occurrences with random keys (empty, non-ASCII, any kind of str) and run flags, and
    key sets that hold some of their joined keys (pairs and runs of three) and others."""
    keys = draw(st.lists(KEYS, max_size=30))
    prose = "x" * (4 * len(keys) + 4)
    words = [(4 * i, 4 * i + 3, draw(st.sampled_from(["of", "The", "data", "Ab", "AB"])), k, i == 0,
              draw(st.booleans()), draw(st.booleans()), draw(st.booleans()), 1, i > 0 and draw(st.booleans()))
             for i, k in enumerate(keys)]
    joined2 = [a + b for a, b in zip(keys, keys[1:])]
    joined3 = [a + b + c for a, b, c in zip(keys, keys[1:], keys[2:])]
    known = set(draw(st.lists(st.sampled_from(joined2 or ["a"]), max_size=5))) | set(draw(st.lists(KEYS, max_size=5)))
    terms = frozenset(draw(st.lists(st.sampled_from((joined2 + joined3) or ["a"]), max_size=4)))
    return words, known | terms, terms, prose


@settings(max_examples=500, deadline=None)
@given(_words_and_keys(), st.integers(0, 4))
def test_c_pairs_match_python_on_generated_keys(mod: ModuleType, case: tuple, max_words: int) -> None:
    words, known, terms, prose = case
    for known_set in (known, frozenset(known), {*known, 3}):  # a key that is not a str: no filter
        got: list = []
        expected: list = []
        mod.pairs(words, known_set, terms, units._STOP, prose, max_words, got)
        units._pairs(words, known_set, terms, units._STOP, prose, max_words, expected)
        assert got == expected


def test_units_the_same_with_and_without_c(mod: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    lex = lexicon(())
    for path in FILES[:40]:
        doc = read(path)
        c = units.Units(doc, lex.term_keys, lex.term_words)
        monkeypatch.setattr(units, "_C", None)
        py = units.Units(doc, lex.term_keys, lex.term_words)
        monkeypatch.setattr(units, "_C", mod)
        for name in ("quotes", "words", "grams", "unsorted", "sequences", "unigram_keys", "forms"):
            assert list(getattr(c, name)) == list(getattr(py, name)), name
        assert list(c.keyed.items()) == list(py.keyed.items())


def _recording_facts(limit: int) -> tuple[dict, list[str], Callable[[str], units._Facts]]:
    """A memo, the texts asked for, and a facts function that fills the memo and clears it
    when it holds ``limit`` entries (as units._facts does at _FACTS_MAX)."""
    memo: dict[str, units._Facts] = {}
    asked: list[str] = []

    def facts(text: str) -> units._Facts:
        asked.append(text)
        f = units._facts(text)
        if len(memo) >= limit:
            memo.clear()
        memo[text] = f
        return f

    return memo, asked, facts


@pytest.mark.parametrize("limit", [1, 2, 7, 50_000])
def test_c_asks_for_the_same_facts_in_the_same_order(mod: ModuleType, limit: int) -> None:
    for path in FILES[:10]:
        doc = read(path)
        memo_c, asked_c, facts_c = _recording_facts(limit)
        memo_py, asked_py, facts_py = _recording_facts(limit)
        assert index(mod.index_words, doc, memo_c, facts_c) == index(units._index_words, doc, memo_py, facts_py)
        assert asked_c == asked_py
        assert list(memo_c.items()) == list(memo_py.items())


def test_c_uses_the_memo_and_does_not_ask_again(mod: ModuleType) -> None:
    doc = md("alpha beta alpha Beta’s beta")
    memo, asked, facts = _recording_facts(100)
    index(mod.index_words, doc, memo, facts)
    assert asked == ["alpha", "beta", "Beta’s"]
    memo["alpha"] = ("ALPHA", 0, "x", False, True, True)  # a memo entry is used as it is
    got = index(mod.index_words, doc, memo, facts)
    assert [o[units.FORM] for o in got["words"]] == ["ALPHA", "beta", "ALPHA", "Beta", "beta"]


def test_sentences_with_explicit_words_and_no_paragraphs(mod: ModuleType) -> None:
    prose = "Alpha Beta `x` Gamma Delta’s Epsilon"
    ws = [Word(0, 5, "Alpha"), Word(6, 10, "Beta"), Word(11, 14, "x", True), Word(15, 20, "Gamma"),
          Word(21, 28, "Delta’s"), Word(29, 36, "Epsilon")]
    sentences = [Sentence(0, 36, prose, ws), Sentence(0, 36, prose, [Word(0, 5, "Alpha", True), *ws[1:]]),
                 Sentence(0, 0, "", [])]

    def run(fn: Callable[..., None], paragraphs: list) -> tuple:
        words: list[units.Occ] = []
        title_keys: set[str] = set()
        fn(sentences, paragraphs, prose, [], units._GLUE, {}, units._facts, words, {}, title_keys, set(), set())
        return words, title_keys

    for paragraphs in ([], md("# Alpha").paragraphs, md("Alpha").paragraphs):
        assert run(mod.index_words, paragraphs) == run(units._index_words, paragraphs)


def _bad(mod: ModuleType, **change: object) -> None:
    doc = md("Alpha Beta gamma.")
    args = {"sentences": doc.sentences, "paragraphs": doc.paragraphs, "prose": doc.prose, "quotes": [],
            "glue": units._GLUE, "memo": {}, "facts": units._facts, "words": [], "keyed": {},
            "title_keys": set(), "unigram_keys": set(), "forms": set()}
    args.update(change)
    mod.index_words(*args.values())


class _Columns:
    def __init__(self, cols: object) -> None:
        self.cols = cols
        self.paragraph = 0

    def word_columns(self) -> object:
        return self.cols


@pytest.mark.parametrize("change, error", [
    ({"sentences": 3}, TypeError),
    ({"paragraphs": ()}, TypeError),
    ({"prose": b"x"}, TypeError),
    ({"quotes": [(1, 2, 3)]}, TypeError),
    ({"quotes": [("a", 2)]}, TypeError),
    ({"memo": []}, TypeError),
    ({"facts": lambda t: ("a",)}, TypeError),
    ({"facts": lambda t: 1 / 0}, ZeroDivisionError),
    ({"facts": lambda t: ("a", "b", "c", False, False, False)}, TypeError),
    ({"words": ()}, TypeError),
    ({"keyed": {"alpha": ()}}, TypeError),
    ({"unigram_keys": frozenset()}, TypeError),
    ({"sentences": [_Columns(([0], [1], ["a"]))]}, TypeError),
    ({"sentences": [_Columns(((0,), [1], ["a"], ()))]}, TypeError),
    ({"sentences": [_Columns(([0.0], [1], ["a"], ()))]}, TypeError),
    ({"sentences": [_Columns(([0], [1], ["a"], (5,)))]}, IndexError),
    ({"sentences": [_Columns(([0], [1], ["a"], ("x",)))]}, TypeError),
    ({"sentences": [_Columns(([0], [1], ["a"], 7))]}, TypeError),
    ({"sentences": [_Columns(([5, 7], [6, 8], ["a", "b"], ()))], "prose": "abc"}, IndexError),
])
def test_bad_input_raises(mod: ModuleType, change: dict, error: type[Exception]) -> None:
    with pytest.raises(error):
        _bad(mod, **change)


def test_bad_pairs_input_raises(mod: ModuleType) -> None:
    with pytest.raises(TypeError):
        mod.pairs([(0, 1)] * 2, set(), set(), set(), "ab", 2, [])
    with pytest.raises(TypeError):
        mod.pairs([], set(), set(), set(), "ab", 2, ())
    with pytest.raises(TypeError):
        mod.pairs((), set(), set(), set(), "ab", 2, [])


def test_no_leak(mod: ModuleType) -> None:
    # a real document with quotations, glue characters, placeholders, headings and pairs
    doc = read(ROOT / "docs" / "robustness.md")
    lex = lexicon(())

    def once() -> None:
        got = index(mod.index_words, doc)
        known = set(got["unigram_keys"]) | set(got["title_keys"]) | lex.term_keys
        mod.pairs(got["words"], known, TERMS, units._STOP, doc.prose, 3, [])
        with pytest.raises(TypeError):  # an error half-way through
            mod.index_words(bad, doc.paragraphs, doc.prose, quotes, units._GLUE, {}, units._facts, [], {}, set(),
                            set(), set())

    bad = [*doc.sentences[:50], _Columns(([0.0], [1], ["a"], ()))]
    quotes = units.quote_spans(doc)
    for _ in range(30):
        once()
    gc.collect()
    before = sys.getallocatedblocks()
    for _ in range(300):
        once()
    gc.collect()
    assert sys.getallocatedblocks() - before < 100
