"""Sentence and word segmentation of the prose projection.

One splitter for every rule. It handles abbreviations and initials (U.S., e.g., Mr.,
J. R. R. Tolkien), decimals (3.14), ellipses, closing quotes and brackets after the final
mark, and a lower-case continuation after "?"/"!"/"…" inside a sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from lintkit._c import load
from lintkit.document.model import Paragraph, Sentence

# The compiled speed-ups (lintkit/_c/document.c), or None: pure Python.
_C = load("document")

# Abbreviations that never end a sentence by themselves (compared lower-case, no dot).
_NEVER_FINAL = frozenset(
    """mr mrs ms dr prof st sr jr mt vs cf e.g i.e eg ie no nos fig figs approx dept est
    inc ltd co corp gen col lt sgt rev hon gov sen rep jan feb mar apr jun jul aug sep sept
    oct nov dec al viz ca op pp vol vols ch sec art ed eds trans p para""".split()
)
# Abbreviations that may end a sentence (break only when a capital follows).
_MAYBE_FINAL = frozenset("etc u.s u.k u.n e.u a.m p.m ph.d b.a m.a d.c".split())

# A sentence-final mark: a run of . ! ? (an ellipsis "..." is one), or "…", then closing
# quotes and brackets, then whitespace or the end. Written to start with one character
# class so that the engine finds candidates with its fast character-set scan: the same
# matches as ``(?:\.{3}|…|[.!?]+)…`` (the "..." branch can only match where the run of
# dots does), found four times faster.
_BOUNDARY = re.compile(r"[.!?…](?:(?<=[.!?])[.!?]*)?[\"'”’»)\]]*(?=\s|$)")
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_TOKEN_BEFORE = re.compile(r"([^\s(\[\"“‘']+)$")


def _next_visible(text: str, i: int, n: int | None = None) -> str:
    """The first character at or after ``i`` (before ``n``) that is not whitespace or an
    opening quote or bracket; "" when there is none."""
    if n is None:
        n = len(text)
    while i < n and text[i].isspace():
        i += 1
    while i < n and text[i] in "\"'“‘«([":
        i += 1
    return text[i] if i < n else ""


def _is_break(text: str, m: re.Match[str], start: int = 0, end: int | None = None) -> bool:
    """Whether the boundary candidate ``m`` ends a sentence of ``text[start:end]`` (it sees
    nothing outside that span)."""
    if end is None:
        end = len(text)
    punct = m.group(0)
    nxt = _next_visible(text, m.end(), end)
    if not nxt:
        return True
    if nxt.islower():
        return False  # "e.g. this", "market? i think" (rare), "... and then"
    if punct[0] in "!?":
        return True
    if punct.startswith("...") or punct[0] == "…":
        return nxt.isupper() or not nxt.isalnum()
    # A period: look at the token before it.
    token = _token_before(text, m.start(), start)
    low = token.lower().rstrip(".")
    if low in _NEVER_FINAL:
        return False
    if len(token) == 1 and token.isupper():
        return False  # an initial: "J. R. R. Tolkien"
    if "." in token and _DOTTED.fullmatch(token):
        # dotted abbreviation such as U.S or e.g (the final dot is the match)
        return low in _MAYBE_FINAL and nxt.isupper() and not _looks_like_name_after(text, m, end)
    if low in _MAYBE_FINAL:
        return nxt.isupper()
    return True


def _token_before(text: str, end: int, start: int = 0) -> str:
    """The run of characters before ``end`` (from ``start`` on) up to whitespace or an
    opening bracket/quote (what ``_TOKEN_BEFORE`` matches), found by looking back:
    searching from offset 0 on every boundary made long paragraphs quadratic. The last
    stop character is looked for in the 32 characters before ``end`` first (one match, in
    C), the characters before them one by one only when there is none."""
    if end > start and text[end - 1] == "\n":
        end -= 1  # "$" also matches before a final newline
    i = max(start, end - 32)
    if i < end:
        m = _LAST_STOP.match(text, i, end)
        if m:
            return text[m.end():end]
    while i > start and not text[i - 1].isspace() and text[i - 1] not in _TOKEN_STOP:
        i -= 1
    return text[i:end]


_TOKEN_STOP = frozenset("(\"“‘'[")
# Up to the last whitespace or opening bracket/quote (the _TOKEN_STOP characters); ``\s``
# is what str.isspace says.
_LAST_STOP = re.compile(r"(?s:.*)[\s(\[\"“‘']")
_NAME_AFTER = re.compile(r"\s*([A-Z][a-z]+)")


def _looks_like_name_after(text: str, m: re.Match[str], end: int | None = None) -> bool:
    # "U.S. Senate", "U.S. Army": a capitalised word that is not a sentence opener.
    word = _NAME_AFTER.match(text, m.end(), len(text) if end is None else end)
    if not word:
        return False
    return word.group(1) not in _SENTENCE_OPENERS


_SENTENCE_OPENERS = frozenset(
    """The A An This That These Those It He She They We I You But And Or So Yet In On At
    For With As If When While After Before Since Because Although However Therefore Then
    There Here Its Our Their His Her My Your No Not Some Many Most All Each Every One""".split()
)


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans (projection offsets) inside ``text[start:end]``, whitespace trimmed."""
    if not 0 <= start <= end <= len(text):  # as the slice text[start:end] says
        chunk = text[start:end]
        return [(start + a, start + b) for a, b in _split(chunk, 0, len(chunk), _BOUNDARY.finditer(chunk))]
    return _split(text, start, end, _BOUNDARY.finditer(text, start, end))


def _split(text: str, start: int, end: int, marks: Iterable[re.Match[str]]) -> list[tuple[int, int]]:
    """:func:`split_sentences`, given the matches of ``_BOUNDARY`` in ``text[start:end]``
    (found there, with ``pos`` and ``endpos``: the same as in the slice)."""
    breaks = []
    for m in marks:  # (a loop: a generator would be a function call per block)
        if _is_break(text, m, start, end):
            breaks.append(m.end())
    breaks.append(end)
    out: list[tuple[int, int]] = []
    cur = start
    for b in breaks:
        a, cur = cur, b
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


def build_paragraphs(prose: str, blocks: list[tuple[int, int, str]],
                     placeholders: tuple[list[int], list[int]] | None = None) -> list[Paragraph]:
    """Paragraphs with sentences, from block spans ``(start, end, kind)``; a sentence's
    words are found when a rule first asks for them (``Sentence.words``). ``placeholders``:
    the ``(starts, ends)`` of the projection's placeholder spans (sorted, disjoint); a
    sentence that overlaps one has them as its ``placeholders`` (its words there are
    marked when they are found, if ever)."""
    if _C is not None:
        # This function in C (lintkit/_c/document.c, paragraphs): the same candidates and
        # breaks (_BOUNDARY, _is_break), the same paragraphs; both must stay in step.
        return _C.paragraphs(prose, blocks, Paragraph, Sentence, split_sentences, _NEVER_FINAL, _MAYBE_FINAL,
                             _SENTENCE_OPENERS, placeholders)
    # The boundary candidates of the whole projection, found in one pass: no match holds
    # whitespace, so those inside a block with whitespace (or nothing) on both sides are
    # the ones found in the block alone. A block without is searched by itself.
    marks = list(_BOUNDARY.finditer(prose))
    mstarts = [m.start() for m in marks]
    n = len(prose)
    paragraphs: list[Paragraph] = []
    for start, end, kind in blocks:
        idx = len(paragraphs)
        if 0 <= start <= end <= n and (start == 0 or prose[start - 1].isspace()) and (end == n or prose[end].isspace()):
            lo = bisect_left(mstarts, start)
            hi = bisect_left(mstarts, end, lo)
            b = end
            while b > start and prose[b - 1].isspace():
                b -= 1
            if lo < hi and marks[hi - 1].end() >= b:
                # A candidate that ends the block's text always breaks (nothing visible
                # follows it) and leaves the same last sentence as the block's end does.
                hi -= 1
            if lo == hi:
                # No candidate inside (most blocks): the block's text, trimmed, is one
                # sentence (as _split finds it, without its loop); ``b`` is trimmed already.
                a = start
                while a < b and prose[a].isspace():
                    a += 1
                if a < b:  # (made here: a comprehension is a function call per block)
                    paragraphs.append(Paragraph(start, end, kind, [Sentence(a, b, prose[a:b], None, idx, prose)]))
                continue
            spans = _split(prose, start, end, marks[lo:hi])
        else:
            spans = split_sentences(prose, start, end)
        if spans:
            paragraphs.append(Paragraph(start, end, kind, [Sentence(a, b, prose[a:b], None, idx, prose)
                                                           for a, b in spans]))
    if placeholders is not None:
        starts, ends = placeholders
        for p in paragraphs:
            for s in p.sentences:
                i = bisect_right(ends, s.start)  # first placeholder ending after s.start
                if i < len(ends) and starts[i] < s.end:
                    s.placeholders = placeholders
    return paragraphs
