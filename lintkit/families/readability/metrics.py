"""Readability metrics on the document model.

Counts come from the shared segmentation: a *sentence* is a ``document.sentences`` entry
and a *word* is a non-placeholder ``Word`` of it (``DummyN`` placeholders stand for inline
code and URLs and are not counted). Everything about a single word — syllables, letters,
"difficult" and "complex" — is asked of textstat itself (its CMU dictionary lookup with the
pyphen fallback, its Dale–Chall easy-word list), and the formulas are textstat 0.7.13's,
so on text where both segment alike the scores equal textstat's to the last digit.

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
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lintkit.document.model import Document, Paragraph, Sentence

# Metric keys, in display order. The grade-like ones rise as text gets harder;
# Flesch reading ease falls.
SCORES: tuple[str, ...] = (
    "flesch-reading-ease",
    "flesch-kincaid-grade",
    "gunning-fog",
    "smog",
    "coleman-liau",
    "ari",
    "dale-chall",
)
HIGHER_IS_EASIER = frozenset({"flesch-reading-ease"})
COUNTS: tuple[str, ...] = ("words", "sentences", "syllables-per-word", "complex-word-share")
LABELS: dict[str, str] = {
    "flesch-reading-ease": "Flesch reading ease",
    "flesch-kincaid-grade": "Flesch–Kincaid grade",
    "gunning-fog": "Gunning fog",
    "smog": "SMOG",
    "coleman-liau": "Coleman–Liau",
    "ari": "ARI",
    "dale-chall": "Dale–Chall",
    "words": "words",
    "sentences": "sentences",
    "syllables-per-word": "syllables per word",
    "complex-word-share": "share of complex words",
}
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
            out.update({k: None for k in SCORES})
            out["syllables-per-word"] = None
            out["complex-word-share"] = None
            return out
        wps = w / s
        spw = self.syllables / w
        pct_difficult = 100 * self.difficult / w
        dale = 0.1579 * pct_difficult + 0.0496 * wps
        if pct_difficult > 5:
            dale += 3.6365
        out.update({
            "flesch-reading-ease": 206.835 - 1.015 * wps - 84.6 * spw,
            "flesch-kincaid-grade": 0.39 * wps + 11.8 * spw - 15.59,
            "gunning-fog": 0.4 * (wps + 100 * self.complex / w),
            "smog": 1.043 * math.sqrt(30 * self.polysyllables / s) + 3.1291,
            "coleman-liau": 0.058 * (100 * self.letters / w) - 0.296 * (100 * s / w) - 15.8,
            "ari": 4.71 * (self.chars / self.tokens if self.tokens else 0.0) + 0.5 * wps - 21.43,
            "dale-chall": dale,
            "syllables-per-word": spw,
            "complex-word-share": self.complex / w,
        })
        return out


def rounded(scores: dict[str, Any], digits: int = 2) -> dict[str, Any]:
    return {k: (round(v, digits) if isinstance(v, float) else v) for k, v in scores.items()}


# Per-word facts -------------------------------------------------------------------------

# Facts of each word seen, per textstat language: {lang: {word: facts}}.
_WORD_CACHE: dict[str, dict[str, tuple[int, int, int, int, int]]] = {}


def textstat_lang(language: str) -> str:
    """textstat/pyphen language for a lintkit language variant (en-GB hyphenation for
    British English, en_US otherwise)."""
    return "en_GB" if language == "en-GB" else "en_US"


def word_facts(text: str, lang: str) -> tuple[int, int, int, int, int]:
    """(syllables, letters, polysyllabic, complex, difficult) of one word, by textstat."""
    cache = _WORD_CACHE.setdefault(lang, {})
    hit = cache.get(text)
    if hit is not None:
        return hit
    from lintkit.families.readability.offline import fast_word_facts, load

    fast = fast_word_facts(text, lang)  # a plain word cmudict knows: no need to import textstat
    if fast is not None:
        if len(cache) < 500_000:
            cache[text] = fast
        return fast
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
    facts = (syl, let, poly, cplx, diff)
    if len(cache) < 500_000:
        cache[text] = facts
    return facts


def sentence_counts(sentence: Sentence, lang: str) -> Counts:
    c = Counts()
    words = sentence.words
    texts = [w.text for w in words if not w.placeholder]
    if not texts:
        return c
    get = _WORD_CACHE.setdefault(lang, {}).get
    # A facts tuple is never empty, so ``or`` falls back only on a cache miss.
    facts = [get(t) or word_facts(t, lang) for t in texts]
    c.words = len(facts)
    c.syllables, c.letters, c.polysyllables, c.complex, c.difficult = map(sum, zip(*facts))
    c.sentences = 1
    ph_chars = ph_tokens = 0
    if len(texts) != len(words):
        for w in words:
            if w.placeholder:
                ph_chars += len(w.text)
                ph_tokens += 1
    tokens = sentence.text.split()
    c.chars = max(0, sum(map(len, tokens)) - ph_chars)
    c.tokens = max(1, len(tokens) - ph_tokens)
    return c


@dataclass
class ParagraphStats:
    index: int
    paragraph: Paragraph
    counts: Counts
    sentence_words: list[int]  # non-placeholder words per sentence
    scores: dict[str, Any] = field(default_factory=dict)

    def longest(self) -> tuple[Sentence, int] | None:
        if not self.paragraph.sentences:
            return None
        i = max(range(len(self.sentence_words)), key=lambda k: (self.sentence_words[k], -k))
        return self.paragraph.sentences[i], self.sentence_words[i]


@dataclass
class Analysis:
    """Counts and scores for a document and each of its paragraphs."""

    paragraphs: list[ParagraphStats]
    document: Counts
    scores: dict[str, Any]

    def body(self) -> list[ParagraphStats]:
        return [p for p in self.paragraphs if p.paragraph.kind in BODY_KINDS and p.counts.words]


_ANALYSES: weakref.WeakKeyDictionary[Document, dict[str, Analysis]] = weakref.WeakKeyDictionary()


def analyse(document: Document, language: str = "en-US") -> Analysis:
    """Analyse ``document`` once per language (shared by the check and metrics hooks)."""
    lang = textstat_lang(language)
    per_doc = _ANALYSES.setdefault(document, {})
    if lang in per_doc:
        return per_doc[lang]
    paras: list[ParagraphStats] = []
    for i, p in enumerate(document.paragraphs):
        per_sentence = [sentence_counts(s, lang) for s in p.sentences]
        counts = Counts.total(per_sentence)
        ps = ParagraphStats(i, p, counts, [c.words for c in per_sentence])
        ps.scores = counts.scores()
        paras.append(ps)
    doc_counts = Counts.total(p.counts for p in paras if p.paragraph.kind in BODY_KINDS)
    result = Analysis(paras, doc_counts, doc_counts.scores())
    per_doc[lang] = result
    return result


def text_scores(text: str, language: str = "en-US", path: str = "<text>.txt") -> dict[str, Any]:
    """Scores of a plain string, segmented by the document model (for tests and tools)."""
    from lintkit.document.model import Source
    from lintkit.document.readers import lintkit_read_document

    source = Source(path, text, "markdown" if path.endswith(".md") else "text")
    doc = lintkit_read_document(source)
    assert doc is not None
    return analyse(doc, language).scores
