"""Source, prose projection with an exact offset map, paragraphs, sentences, words.

Offsets are Python string indices (code points). The *source* is the decoded file; the
*projection* (``Document.prose``) is the prose a human reads: markup, code, front matter
and URLs removed, inline code replaced by a placeholder word. ``OffsetMap`` maps any
projection offset back to the source exactly.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate, repeat
from operator import add
from typing import Any, NamedTuple

from lintkit._c import load

# The compiled speed-ups (lintkit/_c/document.c), or None: pure Python.
_C = load("document")

COPY = 0  # projection text equals source text, character for character
REPLACED = 1  # projection text stands for a source span (placeholder, synthetic break)


@dataclass
class Source:
    """A decoded input. ``text`` keeps the file's newlines (CRLF stays CRLF); ``bom`` is
    True when a UTF-8 byte-order mark was removed in decoding."""

    path: str
    text: str
    format: str = "text"  # "markdown" | "text" | a plugin's own
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"


class OffsetMap:
    """Runs of ``(projection_start, source_start, length, kind, source_length)``.

    COPY runs map character for character; REPLACED runs map their whole projection text
    to one source span (a placeholder word for inline code, a paragraph break)."""

    __slots__ = ("_p", "_s", "_len", "_kind", "_slen")

    def __init__(self) -> None:
        self._p: list[int] = []
        self._s: list[int] = []
        self._len: list[int] = []
        self._kind: list[int] = []
        self._slen: list[int] = []

    def add(self, pstart: int, sstart: int, length: int, kind: int, slen: int) -> None:
        if length <= 0:
            return
        if (
            kind == COPY
            and self._kind
            and self._kind[-1] == COPY
            and self._p[-1] + self._len[-1] == pstart
            and self._s[-1] + self._len[-1] == sstart
        ):
            self._len[-1] += length
            self._slen[-1] += length
            return
        self._p.append(pstart)
        self._s.append(sstart)
        self._len.append(length)
        self._kind.append(kind)
        self._slen.append(slen)

    def runs(self) -> Iterator[tuple[int, int, int, int, int]]:
        return zip(self._p, self._s, self._len, self._kind, self._slen, strict=True)

    def _run(self, p: int) -> int:
        i = bisect_right(self._p, p) - 1
        return max(i, 0)

    def to_source(self, p: int) -> int:
        """Source offset of the projection character at ``p`` (start semantics)."""
        if not self._p:
            return p
        i = self._run(p)
        off = p - self._p[i]
        if off >= self._len[i]:  # past the end of the last run
            return self._s[i] + self._slen[i]
        if self._kind[i] == COPY:
            return self._s[i] + off
        return self._s[i]

    def end_to_source(self, p: int) -> int:
        """Source offset for an exclusive end ``p`` in the projection."""
        if p <= 0 or not self._p:
            return self.to_source(p)
        i = self._run(p - 1)
        off = p - 1 - self._p[i]
        if off >= self._len[i]:
            return self._s[i] + self._slen[i]
        if self._kind[i] == COPY:
            return self._s[i] + off + 1
        return self._s[i] + self._slen[i]

    def span(self, pstart: int, pend: int) -> tuple[int, int]:
        """``(to_source(pstart), end_to_source(pend))``, the end at least the start (and
        the start when ``pend <= pstart``)."""
        start = self.to_source(pstart)
        end = self.end_to_source(pend) if pend > pstart else start
        return start, max(start, end)

    def is_copy(self, pstart: int, pend: int) -> bool:
        """True when ``[pstart, pend)`` lies inside COPY runs only (no placeholder)."""
        p = pstart
        while p < pend:
            i = self._run(p)
            if self._kind[i] != COPY:
                return False
            p = self._p[i] + self._len[i]
            if i + 1 >= len(self._p) and p < pend:
                return False
        return True


class LineIndex:
    """Line starts of a text; converts offsets to 1-based lines and columns.

    Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``. Columns count code points, or
    UTF-16 code units with ``utf16=True`` (for editors)."""

    _BREAK = re.compile(r"\r\n|\r|\n")

    def __init__(self, text: str) -> None:
        self.text = text
        if "\r" in text:
            self.starts = [0] + [m.end() for m in self._BREAK.finditer(text)]
        else:
            # Only "\n" breaks: line i + 1 starts after the lengths of lines 0..i and i + 1
            # newlines (the same starts as the pattern, without a match object per line).
            lengths = [len(line) for line in text.split("\n")]
            lengths.pop()
            self.starts = [0, *map(add, accumulate(lengths), range(1, len(lengths) + 1))]

    def line_of(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1  # 0-based

    def position(self, offset: int, utf16: bool = False) -> tuple[int, int]:
        """1-based (line, column) of ``offset``."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1  # self.line_of(offset), inline
        start = self.starts[line]
        if utf16:
            col = sum(2 if ord(c) > 0xFFFF else 1 for c in self.text[start:offset])
        else:
            col = offset - start
        return line + 1, col + 1

    def offset(self, line: int, column: int, utf16: bool = False) -> int:
        """Offset of 1-based ``line``/``column`` (inverse of :meth:`position`)."""
        start = self.starts[min(max(line - 1, 0), len(self.starts) - 1)]
        if not utf16:
            return min(start + column - 1, len(self.text))
        units = 0
        i = start
        while units < column - 1 and i < len(self.text):
            units += 2 if ord(self.text[i]) > 0xFFFF else 1
            i += 1
        return i


@dataclass(slots=True)
class Word:
    start: int  # projection offsets
    end: int
    text: str
    placeholder: bool = False  # stands for inline code or a URL: not the writer's word


# Letters and digits, with combining marks kept inside the word ("Cafe\u0301" in NFD is
# one word, not "Cafe"); the regex module knows \p{M}, the re module does not. Compiled on
# the first non-ASCII sentence whose words are asked for (importing regex and compiling
# this take ~10 ms of every start-up otherwise).
_WORD_PATTERN = r"[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:['’.,\-][\p{L}\p{N}][\p{L}\p{N}\p{M}]*)*"
_word: Any = None
# The same pattern for ASCII-only text (no marks, no ’ there), with the faster re module:
# most sentences are ASCII, and word matching is a large part of building a document.
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:['.,\-][A-Za-z0-9]+)*")


def _unicode_word() -> Any:
    global _word
    if _word is None:
        import regex

        _word = regex.compile(_WORD_PATTERN)
    return _word


# The word patterns as one group, for ``split``: it alternates the text between words and
# the words, so every offset follows from the lengths (no match object per word). The
# quantifiers may be possessive: a letter or digit never follows a maximal run of them, so
# giving one back never lets the rest match (the same words, found faster).
_ASCII_SPLIT = re.compile(r"([A-Za-z0-9]++(?:['.,\-][A-Za-z0-9]++)*+)")
_usplit: Any = None


def _unicode_split() -> Any:
    global _usplit
    if _usplit is None:
        import regex

        _usplit = regex.compile(f"({_WORD_PATTERN})")
    return _usplit


def words_in(text: str, start: int, end: int, ascii_only: bool | None = None, span: str | None = None) -> list[Word]:
    """Words of ``text[start:end]``; ``ascii_only`` says whether that span is ASCII (it is
    checked when not given); ``span`` may give ``text[start:end]`` when it is at hand."""
    starts, ends, texts = _word_columns(text, start, end, ascii_only, span)
    return list(map(Word, starts, ends, texts))


def _word_columns(
    text: str, start: int, end: int, ascii_only: bool | None = None, span: str | None = None
) -> tuple[list[int], list[int], list[str]]:
    """(starts, ends, texts) of the words of ``text[start:end]``, as :func:`words_in`."""
    if span is None:
        span = text[start:end]
    if ascii_only is None:
        ascii_only = span.isascii()
    # [gap, word, gap, word, ..., gap]: word i starts after the first 2i + 1 pieces.
    parts = (_ASCII_SPLIT if ascii_only else (_usplit or _unicode_split())).split(span)
    if len(parts) == 1:
        return [], [], []
    offsets = list(accumulate(map(len, parts), initial=start))
    return offsets[1:-1:2], offsets[2::2], parts[1::2]


def _placeholder_indices(
    wstarts: list[int], start: int, end: int, starts: list[int], ends: list[int]
) -> tuple[int, ...]:
    """Indices of the words (by their sorted ``wstarts``) of the span ``[start, end)`` that
    start inside a placeholder span (``starts``/``ends``: sorted, disjoint): found by
    bisection, not by looking at every word."""
    i = bisect_right(ends, start)  # the first placeholder that ends after ``start``
    n = len(starts)
    if i >= n or starts[i] >= end:
        return ()
    out: list[int] = []
    while i < n and starts[i] < end:
        out.extend(range(bisect_left(wstarts, starts[i]), bisect_left(wstarts, ends[i])))
        i += 1
    return tuple(out)


class WordColumns(NamedTuple):
    """A sentence's words column by column (see :meth:`Sentence.word_columns`)."""

    starts: list[int]  # projection offsets
    ends: list[int]
    texts: list[str]
    placeholders: tuple[int, ...]  # indices of the placeholder words, ascending

    def word(self, i: int) -> Word:
        """Word ``i`` as the ``Word`` that :attr:`Sentence.words` holds for it."""
        return Word(self.starts[i], self.ends[i], self.texts[i], i in self.placeholders)


_NO_COLUMNS = WordColumns([], [], [], ())
# WordColumns from a tuple of its four fields, without the Python ``__new__`` of a named
# tuple (built once per sentence).
_new_columns = partial(tuple.__new__, WordColumns)


@dataclass(slots=True)
class Sentence:
    """A sentence of the projection. Its words are found on first use of
    :meth:`word_columns` or :attr:`words` (from ``prose``, the projection its offsets
    index; for a sentence of a built-in reader, with those of every sentence of its
    document, see :func:`_find_words`), then kept: a run that needs no words (grammar alone) does not pay for them,
    nor for marking the words that stand for inline code or URLs (``placeholders``, set by
    the reader for a sentence that overlaps one). ``Sentence(start, end, text, words)``
    gives the words directly (without ``prose`` and words, it has none)."""

    start: int  # projection offsets
    end: int
    text: str
    _words: list[Word] | None = field(default=None, compare=False)
    paragraph: int = 0  # index into Document.paragraphs
    prose: str = field(default="", repr=False, compare=False)
    # (starts, ends) of the document's placeholder spans, sorted and disjoint, when one
    # overlaps this sentence: its words there are marked when they are found.
    placeholders: tuple[list[int], list[int]] | None = field(default=None, repr=False, compare=False)
    _columns: WordColumns | None = field(default=None, repr=False, compare=False)
    # The document of a sentence a built-in reader made (a weak reference: no cycle): the
    # first of its sentences asked for words finds those of all (:func:`_find_words`).
    _doc: Callable[[], Document | None] | None = field(default=None, repr=False, compare=False)

    def word_columns(self) -> WordColumns:
        """The sentence's words as parallel columns, without a ``Word`` object per word:
        ``starts[i]``, ``ends[i]`` and ``texts[i]`` are word i's projection offsets (into
        ``Document.prose``, not the source) and text, and ``placeholders`` lists, in
        ascending order, the indices of the placeholder words (words that start inside a
        span standing for inline code or a URL: not the writer's words; their ``Word`` has
        ``placeholder`` set). Word for word the same as :attr:`words`. Found once and kept
        (do not change the lists); for a sentence built with explicit words, read from
        those words on every call (they may still be marked)."""
        c = self._columns
        if c is not None:
            return c
        w = self._words
        if w is not None:  # explicit words (or already built): they are the truth
            if not w:
                return _NO_COLUMNS
            return WordColumns([x.start for x in w], [x.end for x in w], [x.text for x in w],
                               tuple(i for i, x in enumerate(w) if x.placeholder))
        if not self.prose:
            c = _NO_COLUMNS
        else:
            d = self._doc
            if d is not None:
                doc = d()
                if doc is not None and not doc._words_found:
                    doc._words_found = True
                    _find_words(doc.prose, doc.sentences)
                    c = self._columns
                    if c is not None:
                        return c
            starts, ends, texts = _word_columns(self.prose, self.start, self.end, None, self.text)
            ph: tuple[int, ...] = ()
            if starts and self.placeholders is not None:
                ph = _placeholder_indices(starts, self.start, self.end, *self.placeholders)
            c = _new_columns((starts, ends, texts, ph))
        self._columns = c
        return c

    @property
    def words(self) -> list[Word]:
        w = self._words
        if w is None:
            c = self.word_columns()
            w = self._words = list(map(Word, c.starts, c.ends, c.texts))
            for i in c.placeholders:
                w[i].placeholder = True
        return w


# Sentences whose words one split finds together: the lists of a whole 1 MB projection's
# words cost more to build than small ones (51 ms/MB against 40 for the word columns).
_FIND_WORDS_RUN = 512


def _find_words(prose: str, sentences: list[Sentence]) -> None:
    """Give the sentences of ``prose`` (in order, as a built-in reader makes them, none
    asked for words yet) the word columns :meth:`Sentence.word_columns` finds for each
    alone, from one split of the projection per run of sentences: a split and its
    offsets per sentence cost more in calls than in words.

    Done when only whitespace lies between the sentences and before the first and after
    the last (as the readers make them): then no word (which holds no whitespace) lies
    outside a sentence or crosses a sentence's start or end, and the projection's words
    inside an ASCII sentence are the ones found in it alone: a match of the word pattern
    depends only on the characters from its start to the one after its end, and
    whitespace there ends a match as the sentence's end does. A non-ASCII sentence (the
    Unicode pattern) finds its words alone, and a sentence with placeholder spans marks
    its words as :meth:`Sentence.word_columns` does. Otherwise nothing is done: each
    sentence finds its words alone.

    With the compiled module, its ``find_words`` does the work instead: it finds the words
    of each ASCII sentence in the sentence's text alone (as :meth:`Sentence.word_columns`
    does, at no cost per call there), so it needs no whitespace between the sentences;
    the non-ASCII sentences it returns find theirs here with the Unicode pattern. Both
    give every sentence the same columns."""
    if not sentences or sentences[0].prose is not prose:
        return
    if _C is not None:
        for s in _C.find_words(sentences, WordColumns):
            s.word_columns()  # alone (the document's pass is done): the Unicode pattern
        return
    starts = [s.start for s in sentences]
    ends = [s.end for s in sentences]
    gaps = list(map(prose.__getitem__, map(slice, ends[:-1], starts[1:])))
    if not (all(map(str.isspace, gaps)) and (not starts[0] or prose[:starts[0]].isspace())
            and (ends[-1] == len(prose) or prose[ends[-1]:].isspace())):
        return
    ascii_only = prose.isascii()
    n = len(sentences)
    for k in range(0, n, _FIND_WORDS_RUN):
        run = sentences[k:k + _FIND_WORDS_RUN]
        start = starts[k]
        # [gap, word, gap, word, ..., gap]: word i starts after the first 2i + 1 pieces.
        parts = _ASCII_SPLIT.split(prose[start:ends[k + len(run) - 1]])
        offsets = list(accumulate(map(len, parts), initial=start))
        wstarts, wends, wtexts = offsets[1:-1:2], offsets[2::2], parts[1::2]
        lo = 0
        for s, h in zip(run, map(bisect_left, repeat(wstarts), ends[k:k + _FIND_WORDS_RUN])):
            if ascii_only or s.text.isascii():
                ws = wstarts[lo:h]
                ph: tuple[int, ...] = ()
                if ws and s.placeholders is not None:
                    ph = _placeholder_indices(ws, s.start, s.end, *s.placeholders)
                s._columns = _new_columns((ws, wends[lo:h], wtexts[lo:h], ph))
            else:
                s.word_columns()  # alone (the document's pass is done): the Unicode pattern
            lo = h


def mark_placeholders(words: list[Word], starts: list[int], ends: list[int]) -> None:
    """Mark the words that start inside a placeholder span (``starts``/``ends``: sorted,
    disjoint spans of the projection)."""
    for w in words:
        i = bisect_right(starts, w.start) - 1
        if i >= 0 and w.start < ends[i]:
            w.placeholder = True


@dataclass(slots=True)
class Paragraph:
    start: int  # projection offsets
    end: int
    kind: str = "paragraph"  # paragraph | heading | list_item | table_cell | quote | ...
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def words(self) -> list[Word]:
        return [w for s in self.sentences for w in s.words]


@dataclass
class Suppression:
    """A suppression directive. ``codes`` empty means every code. ``start``/``end`` are
    source offsets of the region it covers."""

    codes: tuple[str, ...]
    start: int
    end: int
    kind: str  # disable | disable-next-line | disable-file


class Document:
    """Everything a rule needs, built once per file by a reader plugin."""

    def __init__(
        self,
        source: Source,
        prose: str,
        offsets: OffsetMap,
        paragraphs: list[Paragraph],
        suppressions: list[Suppression] | None = None,
        url_spans: list[tuple[int, int]] | None = None,
    ) -> None:
        self.source = source
        self.path = source.path
        self.text = source.text
        self.format = source.format
        self.prose = prose
        self.offsets = offsets
        self.paragraphs = paragraphs
        self.sentences: list[Sentence] = [s for p in paragraphs for s in p.sentences]
        self.suppressions = suppressions or []
        # Source spans of URLs and link targets (not prose, but evidence of a source).
        self.url_spans = url_spans or []
        self._lines: LineIndex | None = None
        self._words_found = False  # whether the sentences' words were found together

    def _find_words_together(self) -> None:
        """Let the first sentence asked for its words find those of every sentence
        (:func:`_find_words`); for sentences as the built-in readers make them."""
        ref = weakref.ref(self)
        for s in self.sentences:
            s._doc = ref

    # Positions ---------------------------------------------------------------------

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    def source_span(self, pstart: int, pend: int) -> tuple[int, int]:
        """Map a projection span to source offsets."""
        return self.offsets.span(pstart, pend)

    def position(self, source_offset: int, utf16: bool = False) -> tuple[int, int]:
        return (self._lines or self.lines).position(source_offset, utf16)

    @property
    def words(self) -> Iterator[Word]:
        for s in self.sentences:
            yield from s.words

    def word_count(self) -> int:
        return sum(len(s.word_columns().starts) for s in self.sentences)

    def sentence_at(self, pstart: int) -> Sentence | None:
        """The sentence containing projection offset ``pstart``."""
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if pstart < s.start:
                hi = mid - 1
            elif pstart >= s.end:
                lo = mid + 1
            else:
                return s
        return None
