"""The compiled loops of the claims family (lintkit/_c/claims.c) give exactly what their
pure-Python references give: on real documents (fixtures, seeds, docs, the corpus when it
is there) and on generated inputs. The reference is run by setting the modules' handle of
the compiled module (``_COMPILED``) to None, which is what a build without it does."""

from __future__ import annotations

import gc
import math
import os
import random
import re
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from c_support import c_module
from hypothesis import given, settings
from hypothesis import strategies as st

from lintkit.api import read_document
from lintkit.document.model import Document
from lintkit.errors import LintkitError
from lintkit.families.claims import analyze, fast, lexicon, support
from lintkit.families.claims.analyze import SKIP_KINDS, analyse, score_bounds
from lintkit.families.claims.fast import SEP, Batch, _starts
from lintkit.families.claims.lexicon import _STRAIGHTEN, SIGNALS, load_lexicon, normalise
from lintkit.families.claims.rules import THRESHOLDS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "markdown-rfcs"
MODULES = (analyze, fast, lexicon, support)


@pytest.fixture(scope="module")
def mod() -> Any:
    return c_module("claims")


@contextmanager
def pure() -> Iterator[None]:
    """The pure-Python reference for the duration."""
    saved = [m._COMPILED for m in MODULES]
    for m in MODULES:
        m._COMPILED = None
    try:
        yield
    finally:
        for m, c in zip(MODULES, saved, strict=True):
            m._COMPILED = c


def _files() -> list[Path]:
    files = sorted((ROOT / "fixtures").rglob("*.md")) + sorted((ROOT / "seeds").glob("*.txt"))
    files += sorted((ROOT / "docs").rglob("*.md"))[:20]
    if CORPUS.is_dir():
        files += random.Random(7).sample(sorted(CORPUS.glob("*.md")), 40)
    return files


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    docs = []
    for f in _files():
        text = f.read_bytes().decode("utf-8", "replace")
        try:
            docs.append(read_document(text, f.name if f.suffix == ".md" else f.name + ".md"))
        except LintkitError:
            continue  # not a document lintkit checks (e.g. nested too deep)
    gold = [ln for f in sorted((ROOT / "fixtures" / "claims").glob("*.gold"))
            for ln in f.read_text(encoding="utf-8").splitlines()]
    docs.append(read_document("\n\n".join(gold)))
    return docs


def _verdicts(doc: Document, scope: str = "next-sentence", threshold: float = 1.5) -> list[tuple[Any, ...]]:
    lex = load_lexicon(())
    return [(v.sentence.start, v.score, v.categories, [(t.category, t.start, t.end, t.text, t.weight)
                                                       for t in v.triggers], v.hedged, v.opinion, v.support,
             v.scores) for v in analyse(doc, lex, threshold, scope, set(SIGNALS))]


def test_analyse_equals_the_reference_on_documents(mod: Any, documents: list[Document]) -> None:
    n = 0
    for doc in documents:
        for threshold in THRESHOLDS.values():
            got = _verdicts(doc, threshold=threshold)
            with pure():
                want = _verdicts(doc, threshold=threshold)
            assert got == want
            n += len(got)
    assert n > 100


def test_texts_equal_the_reference(mod: Any, documents: list[Document]) -> None:
    for doc in documents:
        s = doc.sentences
        todo = [i for i, x in enumerate(s) if doc.paragraphs[x.paragraph].kind not in SKIP_KINDS]
        texts = [normalise(s[i].text) for i in todo]
        assert mod.texts(s, doc.paragraphs, SKIP_KINDS, _STRAIGHTEN) == (todo, texts)
        assert mod.texts(s, doc.paragraphs, frozenset(), _STRAIGHTEN)[0] == list(range(len(s)))


def test_scan_equals_the_reference_on_documents(mod: Any, documents: list[Document]) -> None:
    lex = load_lexicon(())
    for doc in documents:
        batch = Batch([normalise(s.text) for s in doc.sentences])
        for cat in SIGNALS:
            got = lex.scan_raw(cat, batch)
            with pure():
                want = lex.scan_raw(cat, Batch(batch.texts))
            assert got == want
            assert list(got) == list(want)  # the same order of texts
            assert score_bounds({cat: got}) == _bounds_py({cat: want})


def _bounds_py(signals: dict[str, dict[int, list[Any]]]) -> dict[int, float]:
    with pure():
        return score_bounds(signals)


def test_hit_lists_equal_the_generators(mod: Any, documents: list[Document]) -> None:
    lex = load_lexicon(())
    packs = [c for cs in lex.by_category.values() for c in cs if c.fast is not None]
    for doc in documents[:30]:
        batch = Batch([normalise(s.text) for s in doc.sentences])
        if not batch.ok:
            continue
        for c in packs:
            assert c.fast is not None
            assert c.fast.hit_list(batch) == list(c.fast.hits(batch))
            for k in range(0, len(batch.texts), 7):
                s = batch.starts[k]
                e = s + len(batch.texts[k])
                assert c.fast.hit_list(batch, s, e) == list(c.fast.hits(batch, s, e))
            if c.prefilter is not None:
                positions, _whole = batch.candidates(c.prefilter)
                assert c.fast.hits_at_list(batch, positions) == list(c.fast.hits_at(batch, positions))
                every = list(range(1, len(batch.folded)))
                assert mod.match_at(c.fast._pattern(True).match, batch.folded, every) == \
                    list(c.fast.hits_at(batch, every))


def test_matches_at_equals_the_reference(mod: Any, documents: list[Document]) -> None:
    from lintkit.families.claims.lexicon import CATEGORIES

    lex = load_lexicon(())
    n = 0
    for doc in documents[:40]:
        batch = Batch([normalise(s.text) for s in doc.sentences])
        for cat in CATEGORIES:
            for k in range(len(batch.texts)):
                got = lex.matches_at(cat, batch, k)
                with pure():
                    want = lex.matches_at(cat, batch, k)
                assert got == want
                n += len(got)
    assert n > 100


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(-5, 30), st.integers(-5, 30)), max_size=8), st.integers(-5, 30),
       st.integers(-5, 30))
def test_first_span_equals_the_loop(spans: list[tuple[int, int]], lo: int, hi: int) -> None:
    mod = c_module("claims")
    want = next((i for i, (a, _b) in enumerate(spans) if lo <= a < hi), -1)
    assert mod.first_span(spans, lo, hi) == want


def test_citation_in_equals_the_reference(mod: Any, documents: list[Document]) -> None:
    from lintkit.families.claims.support import citation_in

    n = 0
    for doc in documents:
        for s in doc.sentences:
            a, b = doc.source_span(s.start, s.end)
            got = citation_in(doc, a, b)
            with pure():
                assert citation_in(doc, a, b) == got
            n += got is not None
    assert n > 10


def test_prefilter_scan_equals_finditer_on_documents(mod: Any, documents: list[Document]) -> None:
    lex = load_lexicon(())
    pre = lex.by_category["quantity"][0].prefilter
    assert pre is not None
    pre._build()
    pre.positions("")
    assert pre._tables is not None  # the built-in packs' pre-filter is scanned in C
    n = 0
    for doc in documents:
        folded = Batch([normalise(s.text) for s in doc.sentences]).folded
        got = pre.positions(folded)
        with pure():
            assert pre.positions(folded) == got
        assert mod.scan_at(pre._compiled.match, folded, *pre._tables) == \
            [m.end() for m in pre._compiled.finditer(folded)]
        n += len(got)
    assert n > 100


# Look-aheads of every kind the prefix analysis (fast._prefix_masks) walks or gives up on.
SCAN_PATTERNS = [
    r"the\s+(?:most|best)(?![\w\-])", r"a(?:b|c)?d", r"x*y", r"(?:ab){2,3}c", r"[a-c][^a-c]\d", r"\w\W\s",
    r"(?i:the)\s+x", r"(\w)\1", r"(?<=a)bc", r"(?=ab)a.", r"\bno\b", r"(?>ab|a)c", r"a++b", r"a*?b",
    r"é(?:t|s)", r"[é\d]x", r"(?:)", r"(?:\b)*ab", r"[^\W\d]y", r"\$\s?\d", r"(?s:.)ab", r"(a)?(?(1)b|c)",
    r"the|thé|th\x00",
]


@pytest.mark.parametrize("body", SCAN_PATTERNS)
def test_prefilter_scan_is_exact_for_any_look_ahead(body: str) -> None:
    mod = c_module("claims")
    from lintkit.families.claims.fast import ASCII_BOUNDARY, _compile_scan

    source = f"{ASCII_BOUNDARY}(?={body})"
    compiled, tables = _compile_scan(source)
    assert tables is not None
    reference = re.compile(source)
    rng = random.Random(body)
    alphabet = list("abcdthemosxy \t\n.,;-_0123456789$éÉ\x00'\u2019\U0001f600")
    for size in (0, 1, 2, 3, 4, 5, 8, 40, 400):
        for _ in range(30):
            text = "".join(rng.choice(alphabet) for _ in range(size))
            want = [m.end() for m in reference.finditer(text)]
            assert [m.end() for m in compiled.finditer(text)] == want
            assert mod.scan_at(compiled.match, text, *tables) == want, (body, text)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.lists(st.sampled_from(
    ["will", "never", "the", "most", "of", "course", "is", "it", "40%", "$5", "a", "growing", "x", "é", " ", "-",
     "all", "\u2019", "\t", "1,000", "people", "say", "thé"]), max_size=10).map(" ".join), max_size=6))
def test_prefilter_scan_equals_finditer_on_generated_texts(texts: list[str]) -> None:
    mod = c_module("claims")
    lex = load_lexicon(())
    pre = lex.by_category["quantity"][0].prefilter
    assert pre is not None
    pre._build()
    pre.positions("")
    assert pre._tables is not None
    folded = Batch([normalise(t) for t in texts]).folded
    assert mod.scan_at(pre._compiled.match, folded, *pre._tables) == \
        [m.end() for m in pre._compiled.finditer(folded)]


TEXT = st.text(alphabet=st.sampled_from(list("aAlL wiWnevrs%0123456789.,-'’“”ʼ\u0130\u212aé\n\t$?!")), max_size=40)
WORDS = st.sampled_from(["will", "never", "all", "Everyone", "40%", "$5", "million", "the best", "clearly",
                         "Experts say", "apparently", "more and more", "I think", "may", "if", "’", "é", "",
                         "without doubt", "always", "3", "people", "percent", "?", "The", "first"])
SENTENCE = st.one_of(TEXT, st.lists(WORDS, max_size=10).map(" ".join))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(SENTENCE, max_size=12))
def test_scan_and_bounds_equal_the_reference_on_generated_texts(texts: list[str]) -> None:
    c_module("claims")
    lex = load_lexicon(())
    texts = [normalise(t) for t in texts]
    batch = Batch(texts)
    with pure():
        assert _starts(texts) == fast._starts(texts)
    assert batch.starts == _starts(texts)
    raw = {cat: lex.scan_raw(cat, batch) for cat in SIGNALS}
    with pure():
        pbatch = Batch(texts)
        want = {cat: lex.scan_raw(cat, pbatch) for cat in SIGNALS}
    assert raw == want
    assert score_bounds(raw) == _bounds_py(want)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.text(max_size=20), max_size=10), st.integers(0, 5))
def test_starts_on_generated_texts(texts: list[str], sep: int) -> None:
    mod = c_module("claims")
    pos, want = sep, []
    for t in texts:
        want.append(pos)
        pos += len(t) + sep
    assert mod.starts(texts, sep) == want


WEIGHT = st.one_of(st.floats(min_value=0, max_value=10), st.sampled_from([0.0, 0.5, 1.0005, 2.675, 1e-4, 0.0015]))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.dictionaries(st.sampled_from(SIGNALS),
                       st.dictionaries(st.integers(0, 20), st.lists(WEIGHT.map(lambda w: (0, 1, "x", w)),
                                                                    max_size=4), max_size=6), max_size=8))
def test_bounds_on_generated_signals(signals: dict[str, dict[int, list[Any]]]) -> None:
    mod = c_module("claims")
    got, want = mod.bounds(signals), _bounds_py(signals)
    assert got == want and list(got) == list(want)
    assert all(math.copysign(1, got[k]) == math.copysign(1, want[k]) for k in got)


def test_collect_and_texts_edge_cases(mod: Any) -> None:
    found: dict[int, list[Any]] = {}
    texts = ["abc", "de"]
    starts = _starts(texts)
    mod.collect([(2, 2, None), (2, 4, None), (3, 5, "t1"), (7, 9, None)], texts, starts, {"t0": 1.0, "t1": 2.0},
                found)
    assert found == {0: [(0, 2, "ab", 1.0), (1, 3, "bc", 2.0)], 1: [(0, 2, "de", 1.0)]}
    mod.collect([], texts, starts, {}, found)
    with pytest.raises(KeyError):
        mod.collect([(2, 3, "t9")], texts, starts, {"t0": 1.0}, {})
    with pytest.raises(TypeError):
        mod.collect([(2, 3)], texts, starts, {"t0": 1.0}, {})
    with pytest.raises(TypeError):
        mod.collect([("2", 3, None)], texts, starts, {"t0": 1.0}, {})
    with pytest.raises(TypeError):
        mod.bounds({"quantity": {0: [(0, 1)]}})
    with pytest.raises(TypeError):
        mod.bounds([])
    with pytest.raises(TypeError):
        mod.starts(["a", 1], 2)
    with pytest.raises(TypeError):
        mod.texts([], [], ["not a set"], _STRAIGHTEN)
    assert mod.texts([], [], frozenset(), _STRAIGHTEN) == ([], [])
    assert mod.starts([], 2) == []
    assert mod.bounds({}) == {}
    assert mod.match_at(lambda t, p: None, "", [0, 1]) == []
    with pytest.raises(TypeError):
        mod.first_span([(1, 2, 3)], 0, 5)
    with pytest.raises(ValueError):
        mod.scan_at(re.compile("x").match, "abc", b"", b"")
    with pytest.raises(TypeError):
        mod.scan_at(re.compile("x").match, b"abc", bytes(128), bytes(128 * 128 * 16))
    assert mod.scan_at(re.compile(" ").match, " a ", bytes(128), bytes(128 * 128 * 16)) == []
    assert mod.scan_at(re.compile(" ").match, " a ", b"\x01" * 128, bytes(128 * 128 * 16)) == [1, 3]
    # A table that forbids every ASCII triple: only places with fewer than 3 characters after.
    assert mod.scan_at(re.compile(" ").match, "  abc  ", b"\x01" * 128, bytes(128 * 128 * 16)) == [6, 7]
    assert mod.first_span([], 0, 5) == -1


def test_no_leak(mod: Any, documents: list[Document]) -> None:
    doc = max(documents, key=lambda d: len(d.sentences))
    lex = load_lexicon(())

    def once() -> None:
        analyse(doc, lex, 1.0, "next-sentence", set(SIGNALS))
        batch = Batch([normalise(s.text) for s in doc.sentences])
        for cat in SIGNALS:
            score_bounds({cat: lex.scan_raw(cat, batch)})
        mod.texts(doc.sentences, doc.paragraphs, SKIP_KINDS, _STRAIGHTEN)

    for _ in range(20):
        once()
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(int(os.environ.get("CLAIMS_LEAK_ROUNDS", "60"))):
            once()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert after - before < 64 * 1024, (before, after)


def test_sep_is_two_characters() -> None:
    assert len(SEP) == 2  # the C loops get len(SEP) from fast.py; nothing in them assumes it
