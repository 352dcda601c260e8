"""Occurrences of words and short word sequences, read from the shared document model
(``document.sentences`` → ``words``); nothing here splits text on its own.

An :class:`Occ` is one use of a spelling: its projection span (without a possessive
``'s``), the spelling (``form``), the normalised key, and how far its letter case can
be trusted (sentence-initial and heading words are capitalised by position, not by
choice; all-capitals words are acronyms or shouting; words inside quotation marks are
someone else's spelling)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

from lintkit.document.model import Document, Word
from lintkit.families.consistency.lexicon import norm_key

_STOP = frozenset("a an the of and or to in on at by for with from as is are was be it this that".split())
_QUOTE = re.compile(r"“[^”\n]{1,2000}”|(?<![\w])\"[^\"\n]{1,2000}\"(?![\w])|«[^»\n]{1,2000}»")


class Occ:
    __slots__ = ("start", "end", "form", "key", "initial", "heading", "caps", "quoted", "n", "resolved")

    def __init__(self, start: int, end: int, form: str, key: str, initial: bool, heading: bool,
                 caps: bool, quoted: bool, n: int) -> None:
        self.start = start
        self.end = end
        self.form = form
        self.key = key
        self.initial = initial
        self.heading = heading
        self.caps = caps
        self.quoted = quoted
        self.n = n
        self.resolved: str | None = form

    @property
    def trusted(self) -> bool:
        """Does the letter case of this occurrence say something about the writer's choice?"""
        return not (self.initial or self.heading)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Occ({self.form!r}@{self.start})"


def quote_spans(doc: Document) -> list[tuple[int, int]]:
    """Projection spans of quotations (“…”, "…", «…») and block quotes: other writers'
    words, which keep their own spelling."""
    spans: list[tuple[int, int]] = []
    for p in doc.paragraphs:
        if p.kind == "quote":
            spans.append((p.start, p.end))
            continue
        for m in _QUOTE.finditer(doc.prose, p.start, p.end):
            spans.append((m.start(), m.end()))
    spans.sort()
    return spans


def in_spans(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def is_caps(text: str) -> bool:
    return text.isupper() and sum(1 for c in text if c.isalpha()) >= 2


def stem_of(w: Word) -> tuple[str, int]:
    """The word without a possessive ``'s`` / ``’s``; returns (text, end offset)."""
    t = w.text
    if len(t) > 3 and t[-2] in "'’" and t[-1] in "sS":
        return t[:-2], w.end - 2
    return t, w.end


def title_word(text: str) -> bool:
    return text[:1].isupper() and not is_caps(text)


# What :class:`Units` needs to know about a word's text, memoised across documents (the
# same spellings recur): (form without a possessive, letters cut, key, caps, Title word,
# stop word). Cleared when it grows past _FACTS_MAX so memory stays bounded.
_Facts = tuple[str, int, str, bool, bool, bool]
_FACTS: dict[str, _Facts] = {}
_FACTS_MAX = 100_000
_GLUE = "/#_@\\"


def _facts(text: str) -> _Facts:
    form = text
    cut = 0
    if len(text) > 3 and text[-2] in "'’" and text[-1] in "sS":  # as stem_of
        form, cut = text[:-2], 2
    caps = is_caps(form)
    facts = (form, cut, norm_key(form), caps, form[:1].isupper() and not caps, form.lower() in _STOP)
    if len(_FACTS) >= _FACTS_MAX:
        _FACTS.clear()
    _FACTS[text] = facts
    return facts


class Units:
    """Unigrams of every prose word, and 2- and 3-word sequences that may be a variant of
    a single word, a house term, or a multi-word name in Title Case. Built in two linear
    passes (words and runs, then word sequences)."""

    def __init__(self, doc: Document, term_keys: set[str], max_words: int) -> None:
        self.doc = doc
        self.quotes = quote_spans(doc)
        quotes = self.quotes
        qstarts = [s for s, _ in quotes]
        prose = doc.prose
        size = len(prose)
        facts_of = _FACTS.get
        words: list[Occ] = []
        self.words = words
        # Runs of adjacent prose words (single space between, same sentence): parallel lists
        # of occurrences and of their facts.
        runs: list[tuple[list[Occ], list[_Facts]]] = []
        # Title Case sequences (every word capitalised, not an acronym) found in trusted positions.
        title_keys: set[str] = set()
        paragraphs = doc.paragraphs
        for s in doc.sentences:
            heading = paragraphs[s.paragraph].kind == "heading" if paragraphs else False
            run: list[Occ] = []
            rfacts: list[_Facts] = []
            first = True
            prev: Occ | None = None  # last word of the current run
            prev_title = False
            for w in s.words:
                if w.placeholder:
                    if run:
                        runs.append((run, rfacts))
                    run, rfacts, prev = [], [], None
                    first = False
                    continue
                text = w.text
                f = facts_of(text) or _facts(text)
                start, wend = w.start, w.end
                # A word glued to a path or identifier (rust-lang/rfcs#1636, foo_bar) is not prose.
                quoted = (start > 0 and prose[start - 1] in _GLUE) or (wend < size and prose[wend] in _GLUE)
                if not quoted and quotes:
                    i = bisect.bisect_right(qstarts, start) - 1  # as in_spans
                    quoted = i >= 0 and quotes[i][0] <= start < quotes[i][1]
                o = Occ(start, wend - f[1], f[0], f[2], first, heading, f[3], quoted, 1)
                words.append(o)
                # A run continues over exactly one space; a possessive ends it.
                if prev is not None and not (prev.end == start - 1 and prose[start - 1] == " "):
                    runs.append((run, rfacts))
                    run, rfacts, prev = [], [], None
                title = f[4]
                if prev is not None and prev_title and title and not first and not heading:
                    title_keys.add(prev.key + o.key)  # (o is trusted: neither initial nor heading)
                first = False
                run.append(o)
                rfacts.append(f)
                prev, prev_title = o, title
            if run:
                runs.append((run, rfacts))
        unigram_keys = {o.key for o in words}
        grams: list[Occ] = []
        self.grams = grams
        n_max = max(2, max_words)
        for run, rfacts in runs:
            last_i = len(run) - 1
            for i in range(last_i):
                a, b = run[i], run[i + 1]
                key = a.key + b.key
                if key in term_keys or ((key in unigram_keys or key in title_keys)
                                        and not rfacts[i][5] and not rfacts[i + 1][5]):
                    grams.append(Occ(a.start, b.end, prose[a.start:b.end], key, a.initial, a.heading,
                                     a.caps or b.caps, a.quoted, 2))
                caps = a.caps or b.caps
                for n in range(3, min(n_max, last_i + 1 - i) + 1):
                    z = run[i + n - 1]
                    key += z.key
                    caps = caps or z.caps
                    if key in term_keys:
                        grams.append(Occ(a.start, z.end, prose[a.start:z.end], key, a.initial, a.heading,
                                         caps, a.quoted, n))

    def all(self) -> Iterator[Occ]:
        yield from self.words
        yield from self.grams

    def source(self, o: Occ) -> tuple[int, int]:
        return self.doc.source_span(o.start, o.end)


Position = Callable[[int], str]
