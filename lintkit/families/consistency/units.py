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


class Units:
    """Unigrams of every prose word, and 2- and 3-word sequences that may be a variant of
    a single word, a house term, or a multi-word name in Title Case. Built in three linear
    passes."""

    def __init__(self, doc: Document, term_keys: set[str], max_words: int) -> None:
        self.doc = doc
        self.quotes = quote_spans(doc)
        qstarts = [s for s, _ in self.quotes]
        prose = doc.prose
        self.words: list[Occ] = []
        # Runs of adjacent prose words (single space between, same sentence), as Occ lists.
        runs: list[list[Occ]] = []
        for s in doc.sentences:
            heading = doc.paragraphs[s.paragraph].kind == "heading" if doc.paragraphs else False
            run: list[Occ] = []
            first = True
            for w in s.words:
                if w.placeholder:
                    if run:
                        runs.append(run)
                    run = []
                    first = False
                    continue
                form, end = stem_of(w)
                # A word glued to a path or identifier (rust-lang/rfcs#1636, foo_bar) is not prose.
                glued = (w.start > 0 and prose[w.start - 1] in "/#_@\\") or (w.end < len(prose)
                                                                          and prose[w.end] in "/#_@\\")
                o = Occ(w.start, end, form, norm_key(form), first, heading, is_caps(form),
                        glued or (in_spans(self.quotes, qstarts, w.start) if self.quotes else False), 1)
                first = False
                self.words.append(o)
                # A run continues over exactly one space; a possessive ends it.
                if run and not (run[-1].end == w.start - 1 and prose[w.start - 1] == " "):
                    runs.append(run)
                    run = []
                run.append(o)
            if run:
                runs.append(run)
        unigram_keys = {o.key for o in self.words}
        # Title Case sequences (every word capitalised, not an acronym) found in trusted positions.
        title_keys: set[str] = set()
        for run in runs:
            for i in range(len(run) - 1):
                a, b = run[i], run[i + 1]
                if title_word(a.form) and title_word(b.form) and b.trusted and not a.heading:
                    title_keys.add(a.key + b.key)
        self.grams: list[Occ] = []
        n_max = max(2, max_words)
        for run in runs:
            for i in range(len(run) - 1):
                for n in range(2, min(n_max, len(run) - i) + 1):
                    parts = run[i:i + n]
                    key = "".join(p.key for p in parts)
                    if key in term_keys or (n == 2 and (key in unigram_keys or key in title_keys)
                                            and parts[0].form.lower() not in _STOP
                                            and parts[1].form.lower() not in _STOP):
                        first, last = parts[0], parts[-1]
                        form = prose[first.start:last.end]
                        self.grams.append(Occ(first.start, last.end, form, key, first.initial, first.heading,
                                              any(p.caps for p in parts), first.quoted, n))

    def all(self) -> Iterator[Occ]:
        yield from self.words
        yield from self.grams

    def source(self, o: Occ) -> tuple[int, int]:
        return self.doc.source_span(o.start, o.end)


Position = Callable[[int], str]
