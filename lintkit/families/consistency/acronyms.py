"""CN301 acronym used before its definition, CN302 defined twice / two expansions,
CN303 defined but never used again."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from itertools import compress, count
from operator import itemgetter

from lintkit.context import CheckContext
from lintkit.document.model import Document, Sentence, Word
from lintkit.families.consistency.lexicon import Lexicon
from lintkit.families.consistency.units import in_spans
from lintkit.types import Finding

_ACR = r"[A-Z][A-Za-z0-9&]{0,7}[A-Z0-9]"
_PAREN_ACR = re.compile(rf"\(\s*({_ACR})(s?)\s*\)")  # Expansion Words (ACR)
# ACR (Expansion Words). Written \b({_ACR})(s?) ?\((...)\) at first; the word boundary is a
# look-behind after the acronym's first capital, so the pattern starts with a character class
# and the regular expression engine scans for candidates fast (a test compares the two).
_ACR_PAREN = re.compile(rf"([A-Z](?<!\w[A-Z]){_ACR[5:]})(s?) ?\(([^()\n]{{3,120}})\)")
_STOP = {"of", "the", "and", "for", "in", "on", "to", "a", "an", "&", "de", "by", "with", "at", "or"}
_ROMAN = re.compile(r"^[IVXLCDM]+$")


@dataclass
class Definition:
    acronym: str
    expansion: str
    start: int  # projection span of the acronym in the definition
    end: int
    span: tuple[int, int]  # projection span of the whole definition


def _letters(acr: str) -> str:
    return "".join(c for c in acr if c.isalpha()).lower()


def _match(words: list[str], letters: str) -> bool:
    """Can ``letters`` be read off ``words`` (each content word gives its first letter and
    maybe further capitals of its own, stop words may give their first letter or nothing)?"""
    def go(i: int, j: int) -> bool:
        if i == len(words):
            return j == len(letters)
        w = words[i]
        low = w.lower()
        options: list[int] = []
        if j < len(letters) and low[:1] == letters[j]:
            k = j + 1
            options.append(k)
            for c in w[1:]:  # JavaScript Object Notation (JSON), PhD
                if c.isupper() and k < len(letters) and c.lower() == letters[k]:
                    k += 1
                    options.append(k)
        if low in _STOP:
            options.append(j)
        return any(go(i + 1, k) for k in reversed(options))
    return go(0, 0)


def _words_between(doc: Document, a: int, b: int) -> list[Word]:
    s = doc.sentence_at(a) or doc.sentence_at(max(a - 1, 0))
    if s is None:
        return []
    return _words_within(s, a, b)


def _words_within(s: Sentence, a: int, b: int) -> list[Word]:
    """The words of ``s`` inside ``[a, b)`` that are not placeholders: from its word
    columns (starts and ends ascend), a ``Word`` only for those."""
    c = s.word_columns()
    ph = c.placeholders
    return [c.word(i) for i in range(bisect_left(c.starts, a), bisect_right(c.ends, b)) if i not in ph]


def _words_before(s: Sentence, pos: int, k: int) -> list[Word]:
    """The last ``k`` (or fewer) words of ``s`` that end by ``pos`` and are not
    placeholders, in order (from the word columns)."""
    c = s.word_columns()
    ph = c.placeholders
    out: list[Word] = []
    i = bisect_right(c.ends, pos) - 1
    while i >= 0 and len(out) < k:
        if i not in ph:
            out.append(c.word(i))
        i -= 1
    out.reverse()
    return out


def definitions(doc: Document) -> list[Definition]:
    out: list[Definition] = []
    prose = doc.prose
    find = prose.find
    # Both patterns need a "(" inside the paragraph: paragraphs without one are skipped.
    for p in doc.paragraphs:
        if find("(", p.start, p.end) < 0:
            continue
        for m in _PAREN_ACR.finditer(prose, p.start, p.end):
            acr = m.group(1)
            letters = _letters(acr)
            if len(letters) < 2 or _ROMAN.match(acr):
                continue
            s = doc.sentence_at(m.start()) or doc.sentence_at(max(m.start() - 1, 0))
            if s is None:
                continue
            before = _words_before(s, m.start(), len(letters) + 3)  # the most the loop takes
            for k in range(len(letters) - 2 if len(letters) > 2 else 1, len(letters) + 4):
                if k > len(before) or k < 1:
                    continue
                ws = before[-k:]
                if ws[0].text.lower() in _STOP:
                    continue
                if _match([w.text for w in ws], letters):
                    exp = prose[ws[0].start:ws[-1].end]
                    out.append(Definition(acr, exp, m.start(1), m.end(1), (ws[0].start, m.end())))
                    break
        for m in _ACR_PAREN.finditer(prose, p.start, p.end):
            acr = m.group(1)
            letters = _letters(acr)
            if len(letters) < 2 or _ROMAN.match(acr):
                continue
            ws = _words_between(doc, m.start(3), m.end(3))
            if ws and _match([w.text for w in ws], letters):
                exp = prose[ws[0].start:ws[-1].end]
                out.append(Definition(acr, exp, m.start(1), m.end(1), (m.start(), m.end())))
    out.sort(key=lambda d: d.start)
    return out


_first_char = itemgetter(slice(0, 1))  # t[:1] in C


def _uses(doc: Document, acronyms: Collection[str]) -> Iterator[tuple[str, Word]]:
    """``(acronym, word)`` for the words of ``doc`` (not placeholders) that are one of
    ``acronyms``, maybe with "s" or "'s", in order. Read from the sentences' word
    columns: only the words that start with an acronym's first letter are looked at in
    Python (picked in C), and no ``Word`` is built for the others."""
    firsts = {a[0] for a in acronyms}  # a use starts with an acronym (possibly + s, 's)
    for s in doc.sentences:
        c = s.word_columns()
        texts = c.texts
        ph = c.placeholders
        for i in compress(count(), map(firsts.__contains__, map(_first_char, texts))):
            if ph and i in ph:
                continue
            t = acronym_in(texts[i], acronyms)
            if t is not None:
                yield t, c.word(i)


def acronym_in(word: str, acronyms: Collection[str]) -> str | None:
    """The acronym ``word`` is a use of: itself, or with a plural "s" or a possessive."""
    if word in acronyms:
        return word
    if word.endswith("s") and word[:-1] in acronyms:
        return word[:-1]
    if len(word) > 3 and word[-2] in "'’" and word[:-2] in acronyms:
        return word[:-2]
    return None


def _norm_exp(e: str) -> str:
    e = re.sub(r"[\s\-]+", " ", e.lower()).strip()
    return e[:-1] if e.endswith("s") else e


def acronyms(doc: Document, lex: Lexicon, ctx: CheckContext, pos: Callable[[int], str]) -> list[Finding]:
    defs = definitions(doc)
    if not defs:
        return []
    by_acr: dict[str, list[Definition]] = {}
    for d in defs:
        by_acr.setdefault(d.acronym, []).append(d)
    uses: dict[str, list[Word]] = {a: [] for a in by_acr}
    # The definitions' spans merged into disjoint runs, as in_spans() needs.
    merged: list[tuple[int, int]] = []
    for s, e in sorted(d.span for d in defs):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    merged_starts = [s for s, _ in merged]
    for acr, w in _uses(doc, uses):
        if in_spans(merged, merged_starts, w.start):
            continue  # inside a definition
        uses[acr].append(w)

    def where(start: int, end: int) -> tuple[int, int]:
        return doc.source_span(start, end)

    out: list[Finding] = []
    for acr, ds in by_acr.items():
        first = ds[0]
        fpos = pos(where(first.start, first.end)[0])
        if ctx.enabled("CN301") and acr not in lex.acronyms:
            early = [w for w in uses[acr] if w.start < first.start]
            if early:
                a, b = where(early[0].start, early[0].end)
                out.append(ctx.finding("CN301", a, b, f'"{acr}" is used before its definition at {fpos} '
                                       f'("{first.expansion}"); define it at its first use',
                                       acronym=acr))
        if ctx.enabled("CN302"):
            for d in ds[1:]:
                a, b = where(d.start, d.end)
                if _norm_exp(d.expansion) == _norm_exp(first.expansion):
                    msg = f'"{acr}" is defined again (first defined at {fpos}); use the acronym alone'
                else:
                    msg = (f'"{acr}" is defined here as "{d.expansion}" but at {fpos} as "{first.expansion}"')
                out.append(ctx.finding("CN302", a, b, msg, acronym=acr))
        if ctx.enabled("CN303"):
            later = [w for w in uses[acr] if w.start > first.start]
            if not later:
                a, b = where(first.start, first.end)
                out.append(ctx.finding("CN303", a, b, f'"{acr}" ("{first.expansion}") is defined but never '
                                       "used again; drop the acronym or use it", acronym=acr))
    return out
