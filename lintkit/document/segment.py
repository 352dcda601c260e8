"""Sentence and word segmentation of the prose projection.

One splitter for every rule. It handles abbreviations and initials (U.S., e.g., Mr.,
J. R. R. Tolkien), decimals (3.14), ellipses, closing quotes and brackets after the final
mark, and a lower-case continuation after "?"/"!"/"…" inside a sentence.
"""

from __future__ import annotations

import re

from lintkit.document.model import Paragraph, Sentence

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


def _next_visible(text: str, i: int) -> str:
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    while i < n and text[i] in "\"'“‘«([":
        i += 1
    return text[i] if i < n else ""


def _is_break(text: str, m: re.Match[str]) -> bool:
    punct = m.group(0)
    nxt = _next_visible(text, m.end())
    if not nxt:
        return True
    if nxt.islower():
        return False  # "e.g. this", "market? i think" (rare), "... and then"
    if punct[0] in "!?":
        return True
    if punct.startswith("...") or punct[0] == "…":
        return nxt.isupper() or not nxt.isalnum()
    # A period: look at the token before it.
    token = _token_before(text, m.start())
    low = token.lower().rstrip(".")
    if low in _NEVER_FINAL:
        return False
    if len(token) == 1 and token.isupper():
        return False  # an initial: "J. R. R. Tolkien"
    if _DOTTED.fullmatch(token):
        # dotted abbreviation such as U.S or e.g (the final dot is the match)
        return low in _MAYBE_FINAL and nxt.isupper() and not _looks_like_name_after(text, m)
    if low in _MAYBE_FINAL:
        return nxt.isupper()
    return True


def _token_before(text: str, end: int) -> str:
    """The run of characters before ``end`` up to whitespace or an opening bracket/quote
    (what ``_TOKEN_BEFORE`` matches), found by scanning back: searching from offset 0
    on every boundary made long paragraphs quadratic."""
    if end > 0 and text[end - 1] == "\n":
        end -= 1  # "$" also matches before a final newline
    i = end
    while i > 0 and not text[i - 1].isspace() and text[i - 1] not in _TOKEN_STOP:
        i -= 1
    return text[i:end]


_TOKEN_STOP = frozenset("(\"“‘'[")
_NAME_AFTER = re.compile(r"\s*([A-Z][a-z]+)")


def _looks_like_name_after(text: str, m: re.Match[str]) -> bool:
    # "U.S. Senate", "U.S. Army": a capitalised word that is not a sentence opener.
    word = _NAME_AFTER.match(text, m.end())
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
    spans: list[tuple[int, int]] = []
    chunk = text[start:end]
    cur = 0
    for m in _BOUNDARY.finditer(chunk):
        if _is_break(chunk, m):
            spans.append((cur, m.end()))
            cur = m.end()
    spans.append((cur, len(chunk)))
    out: list[tuple[int, int]] = []
    for a, b in spans:
        while a < b and chunk[a].isspace():
            a += 1
        while b > a and chunk[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((start + a, start + b))
    return out


def build_paragraphs(prose: str, blocks: list[tuple[int, int, str]]) -> list[Paragraph]:
    """Paragraphs with sentences, from block spans ``(start, end, kind)``; a sentence's
    words are found when a rule first asks for them (``Sentence.words``)."""
    paragraphs: list[Paragraph] = []
    for start, end, kind in blocks:
        para = Paragraph(start, end, kind)
        idx = len(paragraphs)
        for a, b in split_sentences(prose, start, end):
            para.sentences.append(Sentence(a, b, prose[a:b], None, idx, prose))
        if para.sentences:
            paragraphs.append(para)
    return paragraphs
