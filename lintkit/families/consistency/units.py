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
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from itertools import accumulate, compress, islice, repeat
from operator import add, itemgetter

from lintkit._c import load
from lintkit.document.model import Document, Paragraph, Sentence
from lintkit.families.consistency.lexicon import norm_key

_STOP = frozenset("a an the of and or to in on at by for with from as is are was be it this that".split())
# Each branch starts with its opening mark (the look-behind comes after it), so a match
# starts at one of _QUOTE_MARKS and quote_spans tries it at those marks only; a test
# compares it with the pattern as first written,
# “[^”\n]{1,2000}”|(?<![\w])\"[^\"\n]{1,2000}\"(?![\w])|«[^»\n]{1,2000}».
_QUOTE = re.compile(r"“[^”\n]{1,2000}”|\"(?<![\w]\")[^\"\n]{1,2000}\"(?![\w])|«[^»\n]{1,2000}»")
_QUOTE_MARKS = "“\"«"


# An occurrence is a plain tuple, read with the index constants below: tuples of strings,
# numbers and flags are cheap to build, and the garbage collector stops tracking them,
# which matters with one occurrence per word of every document.
Occ = tuple[int, int, str, str, bool, bool, bool, bool, int, bool]
START, END, FORM, KEY, INITIAL, HEADING, CAPS, QUOTED, N, JOINED = range(10)
"""(start, end, form, key, initial, heading, caps, quoted, n, joined): the projection span
without a possessive, the spelling, its key, sentence-initial?, in a heading?, in capitals?,
quoted or glued to an identifier?, number of words, and (words only) does it continue a run
of the word before it in ``Units.words`` (same sentence, one space between, no possessive)?"""
_KEY_OF = itemgetter(KEY)


def quote_spans(doc: Document) -> list[tuple[int, int]]:
    """Projection spans of quotations (“…”, "…", «…») and block quotes: other writers'
    words, which keep their own spelling."""
    spans: list[tuple[int, int]] = []
    prose = doc.prose
    # Every quotation starts with one of these marks, so they are tried one by one (as
    # _QUOTE.finditer(prose, p.start, p.end) would find them, without scanning the text).
    marks = char_positions(prose, _QUOTE_MARKS)
    n_marks = len(marks)
    for p in doc.paragraphs:
        if p.kind == "quote":
            spans.append((p.start, p.end))
            continue
        if not n_marks:
            continue
        end = p.end
        i = bisect.bisect_left(marks, p.start)
        while i < n_marks and marks[i] < end:
            m = _QUOTE.match(prose, marks[i], end)
            if m is None:
                i += 1
            else:  # the next quotation starts after this one
                spans.append(m.span())
                i = bisect.bisect_left(marks, m.end(), i + 1)
    spans.sort()
    return spans


def char_positions(text: str, chars: str) -> list[int]:
    """The sorted offsets in ``text`` of each of the characters ``chars`` (one ``str.find``
    scan per character: much faster than a regular expression's character class)."""
    out: list[int] = []
    find = text.find
    for c in chars:
        i = find(c)
        while i >= 0:
            out.append(i)
            i = find(c, i + 1)
    out.sort()
    return out


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


def possessive_cut(text: str) -> int:
    """How many characters a possessive ``'s`` / ``’s`` takes at the end of ``text`` (2 or 0)."""
    return 2 if len(text) > 3 and text[-2] in "'’" and text[-1] in "sS" else 0


# What :class:`Units` needs to know about a word's text, memoised across documents (the
# same spellings recur): (form without a possessive, letters cut, key, caps, Title word,
# may name something: see Units.keyed). Cleared when it reaches _FACTS_MAX entries so
# memory stays bounded.
_Facts = tuple[str, int, str, bool, bool, bool]
_FACTS: dict[str, _Facts] = {}
_FACTS_MAX = 50_000
_GLUE = "/#_@\\"


def _facts(text: str) -> _Facts:
    cut = possessive_cut(text)
    form = text[:-cut] if cut else text
    caps = is_caps(form)
    key = norm_key(form)
    facts = (form, cut, key, caps, form[:1].isupper() and not caps, _names(form, key, caps))
    if len(_FACTS) >= _FACTS_MAX:
        _FACTS.clear()
    _FACTS[text] = facts
    return facts


def _names(form: str, key: str, caps: bool) -> bool:
    """May an unquoted occurrence of ``form`` name something (CN101)? Not when it is in
    capitals, has no letters, or holds a full stop (identifiers, abbreviations)."""
    return not caps and bool(key) and "." not in form


def quoted_flags(starts: list[int], ends: list[int], glue: list[int], quotes: list[tuple[int, int]],
                 qstarts: list[int]) -> list[bool]:
    """Is each word of a sentence (its word columns, in order) quoted? Either glued to a
    path or identifier (a glue character, at one of the sorted offsets ``glue``, right
    before or after it: rust-lang/rfcs#1636, foo_bar are not prose), or in a quotation
    (the last quotation starting at or before it ends after its start, as
    :func:`in_spans`). Glue characters and quotations are few: the words they touch are
    found by bisection, not by looking at every word."""
    n = len(starts)
    flags = [False] * n
    n_glue = len(glue)
    i = bisect.bisect_left(glue, starts[0] - 1)
    while i < n_glue and glue[i] <= ends[-1]:
        g = glue[i]
        j = bisect.bisect_left(starts, g + 1)
        if j < n and starts[j] == g + 1:
            flags[j] = True
        j = bisect.bisect_left(ends, g)
        if j < n and ends[j] == g:
            flags[j] = True
        i += 1
    # Quotation k rules the word starts from its start up to the next quotation's start
    # (nothing when both start together), from the one that rules the first word on.
    n_quotes = len(quotes)
    k = max(bisect.bisect_right(qstarts, starts[0]) - 1, 0)
    while k < n_quotes and qstarts[k] <= starts[-1]:
        qs, qe = quotes[k]
        k += 1
        if k < n_quotes:
            qe = min(qe, qstarts[k])
        lo = bisect.bisect_left(starts, qs)
        hi = bisect.bisect_left(starts, qe, lo)
        flags[lo:hi] = [True] * (hi - lo)
    return flags


def _index_words(sentences: list[Sentence], paragraphs: list[Paragraph], prose: str,
                 quotes: list[tuple[int, int]], glue_chars: str, memo: dict[str, _Facts],
                 facts: Callable[[str], _Facts], words: list[Occ], keyed: dict[str, list[Occ]],
                 title_keys: set[str], unigram_keys: set[str], forms: set[str]) -> None:
    """The word pass of :class:`Units`: append each word (placeholders left out) of each
    sentence to ``words``, in order, and to ``keyed`` when it may name something and is
    not quoted; add to ``title_keys`` the keys of Title Case pairs in trusted positions,
    to ``unigram_keys`` every word's key and to ``forms`` every word's spelling. A word's
    facts are ``memo[text]``, or ``facts(text)`` (which memoises them) when missing.

    The compiled ``units.index_words`` (lintkit/_c/units.c) does the same, and is used
    when built: both must give the same result (tests/test_c_units.py)."""
    qstarts = [s for s, _ in quotes]
    # Where a word may be quoted (both are rare): in a quotation, or next to a glue
    # character (a word glued to a path or identifier). Both as intervals sorted by
    # start, with the farthest end up to each.
    glue = char_positions(prose, glue_chars)
    near = sorted([*quotes, *((g, g + 1) for g in glue)])
    near_starts = [s for s, _ in near]
    near_reach = list(accumulate(map(itemgetter(1), near), max))
    facts_of = memo.get
    append = words.append
    keyed_get = keyed.get
    not_quoted = repeat(False)
    for s in sentences:
        # The sentence's word columns, not its Word objects (not built for a whole document).
        wstarts, wends, texts, ph = s.word_columns()
        if not wstarts:
            continue
        heading = paragraphs[s.paragraph].kind == "heading" if paragraphs else False
        # Most sentences have no word quoted: their words are not looked at one by one
        # for quotations and glue characters. A word may be quoted only if a quotation
        # or a glue character is in [its start - 1, its end].
        flags: Iterable[bool] = not_quoted
        if near and (k := bisect.bisect_right(near_starts, wends[-1])) and near_reach[k - 1] >= wstarts[0]:
            flags = quoted_flags(wstarts, wends, glue, quotes, qstarts)
        first = True
        sentence_words: Iterable[tuple[int, int, str, bool]] = zip(wstarts, wends, texts, flags)
        if ph:
            # Placeholder words are left out. The word after one never continues a run:
            # the kept word before it ends at or before the placeholder word's start, so
            # it ends right before this word only if the placeholder word is that one
            # character, a letter or digit (not the space a run needs).
            first = ph[0] != 0
            keep = [True] * len(wstarts)
            for i in ph:
                keep[i] = False
            sentence_words = compress(sentence_words, keep)
        prev_end = -2  # END of the word before (-2: none)
        prev_title = False
        prev_key = ""
        for start, wend, text, quoted in sentence_words:
            form, cut, key, caps, title, named = facts_of(text) or facts(text)
            # A run continues over exactly one space; a possessive (prev_end) ends it.
            if prev_end == start - 1 and prose[prev_end] == " ":
                joined = True
                if prev_title and title and not heading:  # this word is trusted: not initial, not heading
                    title_keys.add(prev_key + key)
            else:
                joined = False
            if cut:
                wend -= cut
            o = (start, wend, form, key, first, heading, caps, quoted, 1, joined)
            append(o)
            if named and not quoted:
                same = keyed_get(key)
                if same is None:
                    keyed[key] = [o]
                else:
                    same.append(o)
            first = False
            prev_end = wend
            prev_title = title
            prev_key = key
    unigram_keys.update(map(_KEY_OF, words))
    forms.update(map(itemgetter(FORM), words))


def _pairs(words: list[Occ], known: AbstractSet[str], term_keys: AbstractSet[str], stop: AbstractSet[str],
           prose: str, max_words: int, grams: list[Occ]) -> None:
    """The word-sequence pass of :class:`Units`: append to ``grams``, in order, each pair
    of words that form a run (the second ``JOINED``) whose key is in ``known``, kept if a
    house term (in ``term_keys``) or without a stop word, and (``max_words`` > 2) each
    longer run, up to ``max_words`` words, whose key is a house term.

    The compiled ``units.pairs`` (lintkit/_c/units.c) does the same, and is used when
    built: both must give the same result (tests/test_c_units.py)."""
    n_max = max(2, max_words)
    n_words = len(words)

    def pair(a: Occ, b: Occ, key: str) -> None:
        """The word pair a b with a known key: kept if a house term, or without a stop word."""
        if key in term_keys or (a[FORM].lower() not in stop and b[FORM].lower() not in stop):
            grams.append((a[START], b[END], prose[a[START]:b[END]], key, a[INITIAL], a[HEADING],
                          a[CAPS] or b[CAPS], a[QUOTED], 2, False))

    if n_max == 2:  # no house term of three words: word pairs only
        # The few pairs whose joined keys are known (~1 in 140), found by C-level passes;
        # then, as below, only those that form a run.
        keys = list(map(_KEY_OF, words))
        for i in compress(range(1, n_words), map(known.__contains__, map(add, keys, islice(keys, 1, None)))):
            b = words[i]
            if b[JOINED]:
                a = words[i - 1]
                pair(a, b, a[KEY] + b[KEY])
    else:
        for i, (a, b) in enumerate(zip(words, islice(words, 1, None)), 1):  # b is words[i]
            if not b[JOINED]:
                continue
            key = a[KEY] + b[KEY]
            if key in known:
                pair(a, b, key)
            # Longer sequences (house terms of three words) follow the run on.
            caps = a[CAPS] or b[CAPS]
            for n in range(3, n_max + 1):
                k = i + n - 2
                if k >= n_words or not words[k][JOINED]:
                    break
                z = words[k]
                key += z[KEY]
                caps = caps or z[CAPS]
                if key in term_keys:
                    grams.append((a[START], z[END], prose[a[START]:z[END]], key, a[INITIAL], a[HEADING],
                                  caps, a[QUOTED], n, False))


# The compiled word and sequence passes (None: not built, or switched off).
_C = load("units")


class Units:
    """Unigrams of every prose word, and 2- and 3-word sequences that may be a variant of
    a single word, a house term, or a multi-word name in Title Case. Built in two linear
    passes (words, then word sequences).

    ``keyed`` holds the occurrences (words, then sequences) that may name something, by
    key: not quoted, not in capitals, with letters and no full stop. Its lists are in
    document order, except those of the keys in ``unsorted`` (a word sequence was added
    after the words), which are once sorted by start (``NameChecker.groups`` sorts them in
    place); ``sequences`` holds the keys with a word sequence among their occurrences."""

    def __init__(self, doc: Document, term_keys: AbstractSet[str], max_words: int) -> None:
        self.doc = doc
        self.quotes = quote_spans(doc)
        prose = doc.prose
        words: list[Occ] = []
        self.words = words
        keyed: dict[str, list[Occ]] = {}
        self.keyed = keyed
        # Title Case sequences (every word capitalised, not an acronym) found in trusted positions.
        title_keys: set[str] = set()
        unigram_keys: set[str] = set()
        self.unigram_keys = unigram_keys
        forms: set[str] = set()  # every word's spelling
        self.forms = forms
        index_words = _index_words if _C is None else _C.index_words
        index_words(doc.sentences, doc.paragraphs, prose, self.quotes, _GLUE, _FACTS, _facts, words, keyed,
                    title_keys, unigram_keys, forms)
        # A pair's key must be a word's, a Title Case pair's or a house term's (so one look-up
        # rules out most pairs); a word's or a Title Case pair's only without a stop word.
        known = unigram_keys | title_keys | term_keys
        grams: list[Occ] = []
        self.grams = grams
        pairs = _pairs if _C is None else _C.pairs
        pairs(words, known, term_keys, _STOP, prose, max_words, grams)
        unsorted: set[str] = set()
        self.unsorted = unsorted
        sequences: set[str] = set()  # the keys in keyed with a word sequence
        self.sequences = sequences
        keyed_get = keyed.get
        for o in grams:
            if not o[QUOTED] and _names(o[FORM], o[KEY], o[CAPS]):
                sequences.add(o[KEY])
                same = keyed_get(o[KEY])
                if same is None:
                    keyed[o[KEY]] = [o]
                else:
                    same.append(o)
                    unsorted.add(o[KEY])

    def source(self, o: Occ) -> tuple[int, int]:
        return self.doc.source_span(o[START], o[END])


Position = Callable[[int], str]
