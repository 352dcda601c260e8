"""Occurrences of words and short word sequences, read from the shared document model
(``document.sentences`` → ``words``); nothing here splits text on its own.

An :data:`Occ` is one use of a spelling: its projection span (without a possessive
``'s``), the spelling (``form``), the normalised key, and how far its letter case can
be trusted (sentence-initial and heading words are capitalised by position, not by
choice; all-capitals words are acronyms or shouting; words inside quotation marks are
someone else's spelling)."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from functools import cached_property
from itertools import compress, filterfalse, islice
from operator import add, attrgetter, itemgetter, le, sub

from lintkit.document.model import Document, Word
from lintkit.families.consistency.lexicon import norm_key

_STOP = frozenset("a an the of and or to in on at by for with from as is are was be it this that".split())
# Each branch starts with its opening mark (the look-behind comes after it), so the regular
# expression engine scans for candidates fast; a test compares it with the pattern as first
# written, “[^”\n]{1,2000}”|(?<![\w])\"[^\"\n]{1,2000}\"(?![\w])|«[^»\n]{1,2000}».
_QUOTE = re.compile(r"“[^”\n]{1,2000}”|\"(?<![\w]\")[^\"\n]{1,2000}\"(?![\w])|«[^»\n]{1,2000}»")
_QUOTE_MARK = re.compile(r"[“\"«]")


# An occurrence is a plain tuple, read with the index constants below: tuples of strings,
# numbers and flags are cheap to build, and the garbage collector stops tracking them,
# which matters with one occurrence per word of every document.
Occ = tuple[int, int, str, str, bool, bool, bool, bool, int, bool]
START, END, FORM, KEY, INITIAL, HEADING, CAPS, QUOTED, N, JOINED = range(10)
"""(start, end, form, key, initial, heading, caps, quoted, n, joined): the projection span
without a possessive, the spelling, its key, sentence-initial?, in a heading?, in capitals?,
quoted or glued to an identifier?, number of words, and (words only) does it continue a run
of the word before it in ``Units.words`` (same sentence, one space between, no possessive)?"""


def quote_spans(doc: Document) -> list[tuple[int, int]]:
    """Projection spans of quotations (“…”, "…", «…») and block quotes: other writers'
    words, which keep their own spelling."""
    prose = doc.prose
    paragraphs = doc.paragraphs
    # Every quotation starts with one of these marks: paragraphs without one are skipped.
    marks = [m.start() for m in _QUOTE_MARK.finditer(prose)]
    starts = list(map(_P_START, paragraphs))
    ends = list(map(_P_END, paragraphs))
    if all(map(le, ends, islice(starts, 1, None))):  # in order, apart (as readers build them)
        # The block quotes, and the paragraphs that hold a mark, found from the marks.
        spans = [(p.start, p.end) for p in compress(paragraphs, map("quote".__eq__, map(_P_KIND, paragraphs)))]
        last = -1
        for m in marks:
            i = bisect.bisect_right(starts, m) - 1
            if i > last and m < ends[i]:
                last = i
                p = paragraphs[i]
                if p.kind != "quote":
                    spans.extend(q.span() for q in _QUOTE.finditer(prose, p.start, p.end))
        spans.sort()
        return spans
    spans = []
    for p in paragraphs:
        if p.kind == "quote":
            spans.append((p.start, p.end))
            continue
        if not any_between(marks, p.start, p.end):
            continue
        for m in _QUOTE.finditer(prose, p.start, p.end):
            spans.append((m.start(), m.end()))
    spans.sort()
    return spans


_P_START, _P_END, _P_KIND = attrgetter("start"), attrgetter("end"), attrgetter("kind")


def any_between(positions: list[int], start: int, end: int) -> bool:
    """Is one of the sorted ``positions`` in [start, end)?"""
    i = bisect.bisect_left(positions, start)
    return i < len(positions) and positions[i] < end


def in_spans(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def hyphen_parts(form: str) -> list[tuple[int, str]]:
    """The parts of a spelling between hyphens, with their offsets in it."""
    out, off = [], 0
    for part in form.split("-"):
        out.append((off, part))
        off += len(part) + 1
    return out


def is_caps(text: str) -> bool:
    return text.isupper() and sum(1 for c in text if c.isalpha()) >= 2


def stem_of(w: Word) -> tuple[str, int]:
    """The word without a possessive ``'s`` / ``’s``; returns (text, end offset)."""
    t = w.text
    if len(t) > 3 and t[-2] in "'’" and t[-1] in "sS":
        return t[:-2], w.end - 2
    return t, w.end


# What :class:`Units` needs to know about a word's text, memoised across documents (the
# same spellings recur): (form without a possessive, letters cut, key, caps, Title word,
# may name something: see Units.classes, and its class entry if it stands in no special
# position: the form if it may name something, else None). Emptied when a document would
# take it past _FACTS_MAX entries, so memory stays bounded.
_Facts = tuple[str, int, str, bool, bool, bool, str | None]
# A word's class as Units counts it: its spelling if neither sentence-initial nor in a
# heading (most words: a string hashes once), else (spelling, sentence-initial?, in a heading?, key).
Entry = str | tuple[str, bool, bool, str]
_FACTS: dict[str, _Facts] = {}
_FACTS_MAX = 50_000
_GLUE = "/#_@\\"
_GLUE_CHAR = re.compile(r"[/#_@\\]")


def _facts(text: str) -> _Facts:
    form, end = stem_of(Word(0, len(text), text))
    caps = is_caps(form)
    key = norm_key(form)
    names = _names(form, key, caps)
    facts = (form, len(text) - end, key, caps, form[:1].isupper() and not caps, names, form if names else None)
    _FACTS[text] = facts
    return facts


def _learn(distinct: Iterable[str]) -> None:
    """Put the facts of every text in ``distinct`` in the tables (emptied first if they would
    grow past _FACTS_MAX: a document's texts are all there while it is indexed)."""
    missing = list(filterfalse(_FACTS.__contains__, distinct))
    if not missing:
        return
    if len(_FACTS) + len(missing) > _FACTS_MAX:
        _FACTS.clear()
        missing = list(distinct)
    for text in missing:
        _facts(text)


def _names(form: str, key: str, caps: bool) -> bool:
    """May an unquoted occurrence of ``form`` name something (CN101)? Not when it is in
    capitals, has no letters, or holds a full stop (identifiers, abbreviations)."""
    return not caps and bool(key) and "." not in form


class Units:
    """Every prose word of a document as columns (``texts``, ``starts``, ``wends``, ``keys``:
    placeholders left out, in document order), and 2- and 3-word sequences that may be a
    variant of a single word, a house term, or a multi-word name in Title Case (``grams``).

    No occurrence tuple is built per word: :meth:`occ` builds word i's on demand, and the
    rules ask only for the few words they report or look at (``occs_of``, ``with_keys``,
    ``with_forms``). What CN101 reads of every word is its class (spelling, sentence-initial?,
    in a heading?), counted in ``classes`` (see :data:`Entry`; in order of first use) for the
    words that may name something: not quoted, not in capitals, with letters and no full
    stop. Per word, the index is a few C-level passes over the columns (``map``, ``Counter``,
    ``compress``); Python-level work is per distinct text, per sentence, per quotation or
    path character, and per word pair or Title Case pair found.

    ``gram_occs`` holds the sequences that may name something, by key (``sequences``: its
    keys), in document order."""

    def __init__(self, doc: Document, term_keys: AbstractSet[str], max_words: int) -> None:
        self.doc = doc
        self.quotes = quote_spans(doc)
        prose = self.prose = doc.prose
        texts: list[str] = []
        starts: list[int] = []
        wends: list[int] = []
        # Words that cannot continue a run of the word before: a sentence's first, or the
        # first after a placeholder.
        breaks: list[int] = []
        initial: list[int] = []  # sentence-initial words
        heads: list[tuple[int, int]] = []  # index ranges of the words of headings
        ordered = True  # are the words in document order (as the model builds them)?
        last = -1
        paragraphs = doc.paragraphs
        for s in doc.sentences:
            wstarts, wendsx, wtexts, ph = s.word_columns()
            if not wstarts:
                continue
            g = len(texts)
            if ph:  # the runs of words between placeholders
                prev = 0
                for p in (*ph, len(wstarts)):
                    if p > prev:
                        breaks.append(len(texts))
                        starts += wstarts[prev:p]
                        wends += wendsx[prev:p]
                        texts += wtexts[prev:p]
                    prev = p + 1
                if ph[0] != 0:
                    initial.append(g)
            else:
                starts += wstarts
                wends += wendsx
                texts += wtexts
                breaks.append(g)
                initial.append(g)
            if len(texts) > g:
                if starts[g] <= last:
                    ordered = False
                last = starts[-1]
                if paragraphs and paragraphs[s.paragraph].kind == "heading":
                    heads.append((g, len(texts)))
        self.texts, self.starts, self.wends = texts, starts, wends
        n = len(texts)
        distinct = dict.fromkeys(texts)
        _learn(distinct)
        facts = list(map(_FACTS.__getitem__, distinct))
        self._breaks = set(breaks)
        # Each word's facts (one look-up per word), then its columns.
        recs = list(map(_FACTS.__getitem__, texts))
        keys = self.keys = list(map(_KEY_OF, recs))
        self.unigram_keys = set(map(_KEY_OF, facts))
        self._distinct = distinct
        self._distinct_forms = list(map(_FORM_OF, facts))
        self.forms = set(self._distinct_forms)  # every word's spelling
        self.form_key = dict(zip(self._distinct_forms, map(_KEY_OF, facts)))  # spelling -> key

        # Quoted: glued to a path or identifier (rust-lang/rfcs#1636, foo_bar), or inside a quotation.
        quoted: set[int] = set()
        self.quoted = quoted
        if ordered:
            for m in _GLUE_CHAR.finditer(prose):
                p = m.start()
                j = bisect.bisect_left(starts, p + 1)  # the word right after the character
                if j < n and starts[j] == p + 1:
                    quoted.add(j)
                j = bisect.bisect_left(wends, p)  # the word right before it
                if j < n and wends[j] == p:
                    quoted.add(j)
            quotes = self.quotes
            # A word is inside the last quotation starting at or before it if it starts before
            # that quotation's end (and, so, before the next quotation's start).
            for q, (qs, qe) in enumerate(quotes):
                if q + 1 < len(quotes) and quotes[q + 1][0] < qe:
                    qe = quotes[q + 1][0]
                if qs < qe:
                    quoted.update(range(bisect.bisect_left(starts, qs), bisect.bisect_left(starts, qe)))
        else:  # (never seen: words out of document order) word by word
            quotes = self.quotes
            qstarts = [s for s, _ in quotes]
            size = len(prose)
            for i, (a, b) in enumerate(zip(starts, wends)):
                if (a > 0 and prose[a - 1] in _GLUE) or (b < size and prose[b] in _GLUE) or (
                        quotes and in_spans(quotes, qstarts, a)):
                    quoted.add(i)

        # Each word's position flags, for those with any: (sentence-initial?, in a heading?).
        special: dict[int, tuple[bool, bool]] = {}
        for a, b in heads:
            special.update(dict.fromkeys(range(a, b), (False, True)))
        for i in initial:
            special[i] = (True, i in special)
        self._special = special
        # The class of every word that may name something (None for the others), and their counts
        # in order of first use.
        cls: list[Entry | None] = list(map(_PLAIN_OF, recs))
        for i in quoted:
            cls[i] = None
        for i, (ini, head) in special.items():
            c = cls[i]
            if c is not None:
                cls[i] = (c, ini, head, keys[i])  # type: ignore[assignment]
        self._cls = cls
        classes = Counter(cls)
        classes.pop(None, None)
        self.classes: dict[Entry, int] = classes

        # Title Case pairs (both words capitalised, not acronyms) in trusted positions.
        title_keys: set[str] = set()
        # (the Title words, then those right after another)
        titled = list(compress(range(n), map(_TITLE_OF, recs)))
        joined = self.joined
        for i in compress(islice(titled, 1, None), map((1).__eq__, map(sub, islice(titled, 1, None), titled))):
            if joined(i) and not special.get(i, _PLAIN_POS)[1]:
                title_keys.add(keys[i - 1] + keys[i])
        # A pair's key must be a word's, a Title Case pair's or a house term's (so one look-up
        # rules out most pairs); a word's or a Title Case pair's only without a stop word.
        known = self.unigram_keys | title_keys | term_keys
        grams: list[Occ] = []
        self.grams = grams
        n_max = max(2, max_words)
        occ = self.occ

        def pair(a: Occ, b: Occ, key: str) -> None:
            """The word pair a b with a known key: kept if a house term, or without a stop word."""
            if key in term_keys or (a[FORM].lower() not in _STOP and b[FORM].lower() not in _STOP):
                grams.append((a[START], b[END], prose[a[START]:b[END]], key, a[INITIAL], a[HEADING],
                              a[CAPS] or b[CAPS], a[QUOTED], 2, False))

        if n_max == 2:  # no house term of three words: word pairs only
            # The few pairs whose joined keys are known (~1 in 140), found by C-level passes;
            # then only those that form a run.
            for i in compress(range(1, n), map(known.__contains__, map(add, keys, islice(keys, 1, None)))):
                if joined(i):
                    pair(occ(i - 1), occ(i), keys[i - 1] + keys[i])
        else:
            words = self.words
            pairs = zip(words, islice(words, 1, None))
            for i, (a, b) in enumerate(pairs, 1):  # b is words[i]
                if not b[JOINED]:
                    continue
                key = a[KEY] + b[KEY]
                if key in known:
                    pair(a, b, key)
                # Longer sequences (house terms of three words) follow the run on.
                caps = a[CAPS] or b[CAPS]
                for m in range(3, n_max + 1):
                    k = i + m - 2
                    if k >= n or not words[k][JOINED]:
                        break
                    z = words[k]
                    key += z[KEY]
                    caps = caps or z[CAPS]
                    if key in term_keys:
                        grams.append((a[START], z[END], prose[a[START]:z[END]], key, a[INITIAL], a[HEADING],
                                      caps, a[QUOTED], m, False))
        gram_occs: dict[str, list[Occ]] = {}
        self.gram_occs = gram_occs
        for o in grams:
            if not o[QUOTED] and _names(o[FORM], o[KEY], o[CAPS]):
                gram_occs.setdefault(o[KEY], []).append(o)
        self.sequences = set(gram_occs)  # the keys with a word sequence that may name something

    def joined(self, i: int) -> bool:
        """Does word i continue a run of the word before it (same sentence, no placeholder
        between, one space between, no possessive on the word before)?"""
        if i in self._breaks:
            return False
        t = self.texts[i - 1]
        end = self.wends[i - 1] - (_FACTS.get(t) or _facts(t))[1]
        return end == self.starts[i] - 1 and self.prose[end] == " "

    def occ(self, i: int) -> Occ:
        """Word i's occurrence (see :data:`Occ`)."""
        t = self.texts[i]
        f = _FACTS.get(t) or _facts(t)
        ini, head = self._special.get(i, _PLAIN_POS)
        return (self.starts[i], self.wends[i] - f[1], f[0], f[2], ini, head, f[3], i in self.quoted, 1,
                self.joined(i))

    @cached_property
    def words(self) -> list[Occ]:
        """Every word's occurrence (built on first use; the rules ask for few words)."""
        return list(map(self.occ, range(len(self.texts))))

    def where(self, keys: AbstractSet[str]) -> list[int]:
        """The indices of the words with a key in ``keys``."""
        ks = self.keys
        return list(compress(range(len(ks)), map(keys.__contains__, ks)))

    def occs_of(self, keys: AbstractSet[str], where: list[int] | None = None) -> dict[str, list[Occ]]:
        """The occurrences of the words with a key in ``keys`` that may name something, by
        key, in document order (word sequences not included); ``where``: indices of words
        that holds theirs (as where() finds them), if known."""
        out: dict[str, list[Occ]] = {}
        cls, occ = self._cls, self.occ
        ks = self.keys
        for i in self.where(keys) if where is None else where:
            k = ks[i]
            if cls[i] is not None and k in keys:
                o = occ(i)
                same = out.get(k)
                if same is None:
                    out[k] = [o]
                else:
                    same.append(o)
        return out

    def first_index(self, classes: AbstractSet[Entry], where: list[int]) -> dict[Entry, int]:
        """The index of the first word of each class (see ``classes``) among the words at
        ``where`` (ascending), for the classes in ``classes``."""
        cls = self._cls
        found = list(compress(where, map(classes.__contains__, map(cls.__getitem__, where))))
        found.reverse()  # so the first word of a class is written last
        return dict(zip(map(cls.__getitem__, found), found))

    def with_keys(self, keys: AbstractSet[str] | Mapping[str, object]) -> list[Occ]:
        """The occurrences of the words with a key in ``keys``, in document order."""
        ks = self.keys
        return list(map(self.occ, compress(range(len(ks)), map(keys.__contains__, ks))))

    def with_forms(self, forms: AbstractSet[str] | Mapping[str, object]) -> list[Occ]:
        """The occurrences of the words spelt as one of ``forms``, in document order."""
        tx = self.texts
        texts = set(compress(self._distinct, map(forms.__contains__, self._distinct_forms)))
        if not texts:
            return []
        return list(map(self.occ, compress(range(len(tx)), map(texts.__contains__, tx))))

    def source(self, o: Occ) -> tuple[int, int]:
        return self.doc.source_span(o[START], o[END])


_PLAIN_POS = (False, False)
_FORM_OF, _KEY_OF, _TITLE_OF, _PLAIN_OF = itemgetter(0), itemgetter(2), itemgetter(4), itemgetter(6)

Position = Callable[[int], str]
