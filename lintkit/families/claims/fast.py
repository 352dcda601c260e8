"""Faster matching for the built-in claims packs: the same hits as their reference patterns.

A pack's reference pattern (:func:`lexicon.compile_pack`) is one IGNORECASE alternation run
over each sentence. Python's regex engine skips a branch of an alternation cheaply only
when the branch starts with a plain (case-sensitive) literal, so at every word start it
stepped through every phrase of every tier, and the claims family spent most of its time
there. For a built-in pack a second, *fast* pattern finds exactly the same hits:

1. **Case folding.** The text is folded once (:func:`fold`: ``str.lower`` where that keeps
   each character in its IGNORECASE class, else only the letters IGNORECASE equates with
   ASCII ones) and the pattern is matched case-sensitively, with its phrases and patterns
   lower-cased. A pattern is lower-cased only when its parse tree proves that this is the
   same (:func:`lowered`: literals and ranges lower-cased one to one, no flags, no
   back-references); any other pattern keeps IGNORECASE in a scoped ``(?i:...)`` group.
2. **A prefix trie of the phrases** of each tier (:func:`trie`): ``all(?:\\s+of|)`` instead of
   ``all\\s+of|all``. Branches are reordered only where they cannot match at the same
   place (different literal first tokens), so the leftmost-first choice is unchanged.
3. **One scan per document.** The sentences of a document are joined with ``SEP`` (two NUL
   characters) and each category is scanned once (:class:`Batch`). This is exact only if no
   match and no look-around can read a separator differently from the end of a string;
   :func:`joinable` proves that on the parse tree (nothing can match a NUL, except ``.``
   between two literals, which cannot match two NULs in a row), and ``^`` becomes
   ``(?<![^\\x00])`` (right after a separator). A document that contains a NUL falls back to
   the reference patterns.
4. **A consumed word boundary.** The reference patterns start with the look-behind
   ``(?<![\\w\\-])``, so the engine tries a match at every character. The scan instead
   matches the boundary character itself (``[^\\w\\-]``, a bitmap of ASCII characters when
   the text is ASCII), which the engine finds with a fast character-set scan; the loop in
   :meth:`FastPattern.hits` restarts one character before the end of each hit, so hits are
   the reference's (see there). A class of the characters a hit can start with, checked
   right after the boundary, turns most word starts away before the alternation.
5. **One pre-filter for the signal packs.** A :class:`Prefilter` scans a document once for
   the places where a hit of one of the signal packs may start (a look-ahead for the union
   of their alternatives), and each pack is then only matched at those places
   (:meth:`FastPattern.hits_at`) instead of scanning the whole text again. With the
   compiled module (``lintkit/_c/claims.c``) that scan tries the pattern only where the
   next three characters may start one of those alternatives (:func:`_scan_tables`).

Anything the checks cannot prove keeps the reference pattern, sentence by sentence. The
test suite also compares both on the gold set.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from lintkit._c import load

SEP = "\x00\x00"
_NUL = "\x00"

# The compiled loops (lintkit/_c/claims.c), or None: where they are used, the pure-Python
# code next to the call is the reference, and both must give the same result.
_COMPILED = load("claims")

# Letters that IGNORECASE equates with an ASCII letter but str.lower() does not map to it
# (U+0130 also lower-cases to two characters).
_FOLD = str.maketrans({**{chr(c): chr(c + 32) for c in range(65, 91)},
                       "\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def fold(text: str) -> str:
    """``text`` case-folded for the fast patterns, character for character (same length).

    ``str.lower`` maps every character it changes to one of the same IGNORECASE class and
    keeps letters, digits and spaces what they are (checked over all of Unicode when this
    was written); the exceptions are U+0130 (two characters) and the dotless i and long s,
    which IGNORECASE matches to ``i`` and ``s``."""
    low = text.lower()
    if text.isascii() or (len(low) == len(text) and "\u0131" not in low and "\u017f" not in low):
        return low
    return text.translate(_FOLD)


try:  # the standard library's regex parser (Python 3.11+); without it, no fast patterns
    from re import _compiler as _K  # type: ignore[attr-defined]
    from re import _constants as _C  # type: ignore[attr-defined]
    from re import _parser as _P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    _C = _P = _K = None


_CATEGORY_SOURCE = {} if _C is None else {
    _C.CATEGORY_DIGIT: r"\d", _C.CATEGORY_WORD: r"\w", _C.CATEGORY_SPACE: r"\s"}


def _uncased(ch: str) -> bool:
    return ch.lower() == ch == ch.upper()


def _same_lowered(a: Any, b: Any) -> bool:
    """Is parse tree ``b`` (of the lower-cased source, matched case-sensitively on folded
    text) equivalent to ``a`` (of the original source, matched with IGNORECASE)?"""
    C = _C
    if isinstance(a, _P.SubPattern):
        return isinstance(b, _P.SubPattern) and _same_lowered(a.data, b.data)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same_lowered, a, b))
    if isinstance(a, tuple) and len(a) == 2 and isinstance(a[0], type(C.LITERAL)):
        op, av = a
        if not (isinstance(b, tuple) and len(b) == 2 and b[0] is op):
            return False
        if op in (C.LITERAL, C.NOT_LITERAL):
            ch = chr(av)
            return b[1] == ord(ch.lower()) if ch.isascii() else (b[1] == av and _uncased(ch))
        if op is C.RANGE:
            lo, hi = av
            if hi > 127:
                return False
            return {ord(chr(c).lower()) for c in range(lo, hi + 1)} == set(range(b[1][0], b[1][1] + 1))
        if op is C.SUBPATTERN and av[2] & re.IGNORECASE:  # (?-i:...): case matters there
            return False
        if op in (C.GROUPREF, C.GROUPREF_EXISTS):  # back-references compare case-insensitively
            return False
        return _same_lowered(av, b[1])
    if isinstance(a, tuple):
        return isinstance(b, tuple) and len(a) == len(b) and all(map(_same_lowered, a, b))
    return bool(a == b)


def lowered(pattern: str) -> str | None:
    """``pattern`` lower-cased if, matched case-sensitively on :func:`fold` ed text, it finds
    what ``pattern`` finds with IGNORECASE on the original; else None."""
    found = _lowered(pattern)
    return None if found is None else found[0]


@lru_cache(maxsize=1024)
def _lowered(pattern: str) -> tuple[str, Any] | None:
    """:func:`lowered` and its parse tree (kept: the pre-filter parses the packs' patterns
    again; the tree is only read)."""
    if _P is None:
        return None
    low = pattern.lower()
    try:
        a = _P.parse(pattern, re.IGNORECASE)
        b = _P.parse(low, 0)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None
    if b.state.flags != re.UNICODE or a.state.flags != re.UNICODE | re.IGNORECASE:
        return None  # inline global flags
    if set(a.state.groupdict) != set(b.state.groupdict) or not _same_lowered(a, b):
        return None
    return low, b


def trie(alternatives: list[list[str]]) -> str:
    """One regex for alternatives given as token lists (each token one regex atom: an
    escaped character or ``\\s+``), in their order of preference, factored by common prefix.

    Equivalent to ``"|".join("".join(t) for t in alternatives)`` when (a) two different
    tokens never match at the same place (distinct literal characters, and ``\\s+`` next to
    non-space literals) and (b) an alternative comes after every longer alternative that it
    is a prefix of (true of a longest-first order)."""
    return _emit_trie(_trie_root(alternatives))


_END = ""  # marks the end of an alternative in a trie node (no token is empty)


def _trie_root(alternatives: list[list[str]]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for tokens in alternatives:
        node = root
        for t in tokens:
            node = node.setdefault(t, {})
        node[_END] = {}
    return root


def _emit_trie(node: dict[str, Any]) -> str:
    alts = [t + _emit_trie(child) for t, child in node.items() if t != _END]
    if _END in node:
        alts.append("")  # a prefix that is a whole alternative comes last (rule b)
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def _class_end(src: str, i: int) -> int:
    """The index of the ``]`` that closes the character class opened at ``src[i]``
    (``len(src)`` or more if it is not closed)."""
    j, n = i + 1, len(src)
    if src[j:j + 1] == "^":
        j += 1
    if src[j:j + 1] == "]":
        j += 1  # a "]" first in a class is literal
    while j < n and src[j] != "]":
        j += 2 if src[j] == "\\" else 1
    return j


def anchor_sentence_start(pattern: str) -> str:
    """``^`` (outside character classes) replaced by ``(?<![^\\x00])``: right after a
    separator, where each sentence starts in a :class:`Batch` (and at position 0)."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i:i + 2])
            i += 2
        elif ch == "[":
            j = _class_end(pattern, i)
            out.append(pattern[i:j + 1])
            i = j + 1
        elif ch == "^":
            out.append(r"(?<![^\x00])")
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _is_sentence_start(item: Any) -> bool:
    C = _C
    op, av = item
    return bool(op is C.ASSERT_NOT and av[0] == -1 and list(av[1]) == [(C.NOT_LITERAL, 0)])


def _may_match_nul(op: Any, av: Any) -> bool:
    C = _C
    if op is C.LITERAL:
        return bool(av == 0)
    if op is C.IN:
        for iop, iav in av:
            if iop is C.LITERAL and iav == 0:
                return True
            if iop is C.RANGE and iav[0] == 0:
                return True
            if iop is C.CATEGORY and iav not in (C.CATEGORY_DIGIT, C.CATEGORY_SPACE, C.CATEGORY_WORD):
                return True
            if iop not in (C.LITERAL, C.RANGE, C.CATEGORY):
                return True  # NEGATE and anything unexpected
        return False
    return True  # NOT_LITERAL, ANY


def joinable(seq: Any) -> bool:
    """Does the parsed pattern ``seq`` match each sentence of a :class:`Batch` exactly as it
    matches the sentence alone? True when no part of it can match a NUL, except ``.``
    between two literals (it cannot cross the two NULs of ``SEP``), anchors are word
    boundaries or the sentence-start assertion of :func:`anchor_sentence_start`, and no
    flag makes ``.`` match a newline or ``^`` a line start."""
    C = _C
    items = list(seq)
    for i, (op, av) in enumerate(items):
        if op is C.ANY:
            prev, nxt = items[i - 1] if i else None, items[i + 1] if i + 1 < len(items) else None
            if not (prev and nxt and prev[0] is C.LITERAL and nxt[0] is C.LITERAL and prev[1] and nxt[1]):
                return False
        elif op in (C.LITERAL, C.NOT_LITERAL, C.IN):
            if _may_match_nul(op, av):
                return False
        elif op is C.AT:
            if av not in (C.AT_BOUNDARY, C.AT_NON_BOUNDARY):
                return False
        elif op is C.SUBPATTERN:
            if av[1] & (re.DOTALL | re.MULTILINE) or not joinable(av[3]):
                return False
        elif op is C.BRANCH:
            if not all(joinable(alt) for alt in av[1]):
                return False
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            if not joinable(av[2]):
                return False
        elif op in (C.ASSERT, C.ASSERT_NOT):
            if not (_is_sentence_start((op, av)) or joinable(av[1])):
                return False
        elif op is C.ATOMIC_GROUP:
            if not joinable(av):
                return False
        else:
            return False
    return True


def _first(seq: Any) -> tuple[set[str], bool] | None:
    """Class items (regex source) that the first character of a match of ``seq`` is one
    of, and whether ``seq`` can match the empty string; None if any character may start it."""
    C = _C
    items: set[str] = set()
    for op, av in seq:
        if op is C.LITERAL:
            items.add(re.escape(chr(av)))
            return items, False
        if op is C.IN:
            for iop, iav in av:
                if iop is C.LITERAL:
                    items.add(re.escape(chr(iav)))
                elif iop is C.RANGE:
                    items.add(f"{re.escape(chr(iav[0]))}-{re.escape(chr(iav[1]))}")
                elif iop is C.CATEGORY and iav in _CATEGORY_SOURCE:
                    items.add(_CATEGORY_SOURCE[iav])
                else:
                    return None  # NEGATE, \W and the like
            return items, False
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            continue  # zero-width: the first character comes later
        if op is C.SUBPATTERN:
            if av[1] & re.IGNORECASE:
                return None
            parts = [_first(av[3])]
        elif op is C.BRANCH:
            parts = [_first(alt) for alt in av[1]]
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            inner = _first(av[2])
            parts = [None if inner is None else (inner[0], inner[1] or av[0] == 0)]
        else:
            return None
        nullable = False
        for part in parts:
            if part is None:
                return None
            items |= part[0]
            nullable = nullable or part[1]
        if not nullable:
            return items, False
    return items, True


def first_chars(tree: Any) -> str | None:
    """A character class that holds the first character of every match of the parsed
    pattern ``tree``, or None (it may start with anything, or match the empty string)."""
    try:
        found = _first(tree)
    except (AttributeError, TypeError, ValueError):  # an unexpected parse tree
        return None
    if found is None or found[1] or not found[0]:
        return None
    return "[" + "".join(sorted(found[0])) + "]"


def phrase_tokens(words: list[str]) -> list[str]:
    """Tokens of a phrase for :func:`trie`, lower-cased (as ``lexicon._phrase_regex``)."""
    out: list[str] = []
    for i, w in enumerate(words):
        if i:
            out.append(r"\s+")
        out.extend(re.escape(ch) for ch in w.lower())
    return out


# The complement of [\w\-] (what the reference's look-behind forbids before a hit), and the
# same restricted to ASCII for ASCII text: a set of characters below 256, which the engine
# tests as a bitmap.
BOUNDARY = r"[^\w\-]"
ASCII_BOUNDARY = r"[\x00-\x2c\x2e\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]"


class FastPattern:
    """A pack's fast pattern, for the folded text of a :class:`Batch`.

    When every hit is at least one character long, the word boundary before a hit is
    consumed instead of looked behind (see :meth:`hits`); else the pattern is ``left`` +
    body + ``right`` as in the reference. One variant is compiled at once (so that an error
    shows at load time), the other (ASCII or not) when first needed."""

    __slots__ = ("consumes", "_sources", "_compiled")

    def __init__(self, left: str, body: str, right: str, first: str | None, consumes: bool) -> None:
        self.consumes = consumes
        if consumes:
            # ``first``: a class of the characters a hit can start with; checked right after
            # the boundary, it turns most word starts away before the alternation is entered.
            guard = f"(?={first})" if first else ""
            self._sources = {True: f"{ASCII_BOUNDARY}{guard}(?:{body}){right}",
                             False: f"{BOUNDARY}{guard}(?:{body}){right}"}
        else:
            self._sources = dict.fromkeys((True, False), f"{left}(?:{body}){right}")
        self._compiled: dict[bool, Any] = {}
        self._pattern(True)

    def _pattern(self, ascii_text: bool) -> Any:
        found = self._compiled.get(ascii_text)
        if found is None:
            found = self._compiled[ascii_text] = re.compile(self._sources[ascii_text])
        return found

    def hits(self, batch: Batch, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, str | None]]:
        """``(start, end, lastgroup)`` of the matches in ``batch.folded[start:end]`` (where
        ``start`` is 0 or a text's start), in order, as the reference's ``finditer`` over
        the same range.

        A consumed boundary at ``q`` is the look-behind succeeding at ``q + 1``, and the
        body sees the same text either way (its own look-behinds see the whole string).
        ``search(text, pos)`` finds the first hit starting after ``pos``; ``finditer``
        resumes at the end ``e`` of a hit, that is at ``search(text, e - 1)`` (``e - 1`` may
        be the boundary of the next hit). No hit starts at 0, a NUL, and a text's start
        follows a NUL: a search from ``start - 1`` finds hits from ``start`` on."""
        text = batch.folded
        stop = len(text) if end is None else end
        pattern = self._pattern(batch.ascii)
        if not self.consumes:
            for m in pattern.finditer(text, start, stop):
                yield m.start(), m.end(), m.lastgroup
            return
        search = pattern.search
        pos = max(start - 1, 0)
        while (m := search(text, pos, stop)) is not None:
            pos = m.end() - 1
            yield m.start() + 1, m.end(), m.lastgroup

    def hit_list(self, batch: Batch, start: int = 0, end: int | None = None) -> list[tuple[int, int, str | None]]:
        """``list(self.hits(batch, start, end))`` (the consuming loop in C when built:
        ``claims.search_all``)."""
        if _COMPILED is not None and self.consumes:
            stop = len(batch.folded) if end is None else end
            return _COMPILED.search_all(self._pattern(batch.ascii).search, batch.folded, max(start - 1, 0), stop)
        return list(self.hits(batch, start, end))

    def hits_at_list(self, batch: Batch, positions: list[int]) -> list[tuple[int, int, str | None]]:
        """``list(self.hits_at(batch, positions))`` (in C when built: ``claims.match_at``)."""
        if _COMPILED is not None:
            return _COMPILED.match_at(self._pattern(True).match, batch.folded, positions)
        return list(self.hits_at(batch, positions))

    def hits_at(self, batch: Batch, positions: list[int]) -> Iterator[tuple[int, int, str | None]]:
        """:meth:`hits` in the ASCII texts of ``batch``, given ``positions`` (ascending)
        that include every place where a hit may start there (a :class:`Prefilter` 's):
        the same hits, found by matching at those places only (``consumes`` patterns).

        :meth:`hits` yields the hit at the first place, after the end of the previous hit,
        where the pattern matches; at a place with a word boundary before it, ``match``
        there is the same leftmost-first choice as ``search`` reaching it. The boundary
        (consumed, as in :meth:`hits`) is that of the ASCII pattern, and the rest of the
        pattern is the same as the other variant's: in an ASCII text both match alike."""
        match = self._pattern(True).match
        text = batch.folded
        end = 0
        for p in positions:
            if p >= end and (m := match(text, p - 1)) is not None:
                end = m.end()
                yield p, end, m.lastgroup


def compile_fast(groups: list[tuple[str | None, list[list[str]], list[str]]], left: str,
                 right: str) -> FastPattern | None:
    """The fast pattern of a pack, or None when it cannot be proven equivalent.

    ``groups``: (tier group name or None, phrases as word lists in the reference order,
    patterns); ``left``/``right``: the reference's boundary assertions (the consumed
    boundary of :meth:`FastPattern.hits` stands for ``left == "(?<![\\w\\-])"`` only).

    The checks look at each part on its own (parsing the whole alternation would double
    the start-up time): :func:`joinable` of each part implies it of the whole, since
    parts are only put side by side in groups and alternations."""
    if _P is None:
        return None
    try:
        if not joinable(_P.parse(left + right, 0)):
            return None
        parts: list[str] = []
        firsts: set[str] | None = set()
        consume = left == r"(?<![\w\-])"
        for name, phrases, patterns in groups:
            alts: list[str] = []
            token_lists = []
            for words in phrases:
                # Literal characters and \s+: lower-casing is exact when every character
                # is ASCII or uncased (what lowered() would find), and none is a NUL.
                if not all((ch.isascii() and ch != _NUL) or _uncased(ch) for w in words for ch in w):
                    return None
                tokens = phrase_tokens(words)
                token_lists.append(tokens)
                if firsts is not None:
                    firsts.add(tokens[0])
            if token_lists:
                alts.append(trie(token_lists))
            for p in patterns:
                low = _lowered(p)
                src = anchor_sentence_start(low[0] if low is not None else f"(?i:{p})")
                tree = low[1] if low is not None and src == low[0] else _P.parse(src, 0)
                if not joinable(tree):
                    return None
                consume = consume and tree.getwidth()[0] >= 1
                first = _first(tree)
                if first is None or first[1] or firsts is None:
                    firsts = None
                else:
                    firsts |= first[0]
                alts.append(f"(?:{src})")
            body = "|".join(alts)
            parts.append(f"(?P<{name}>{body})" if name else body)
        first_class = "[" + "".join(sorted(firsts)) + "]" if firsts else None
        return FastPattern(left, "|".join(parts), right, first_class, consume)
    except (re.error, RecursionError, OverflowError, ValueError, AttributeError, TypeError):
        return None


class Batch:
    """Normalised texts (the sentences of a document) joined by ``SEP`` and folded once,
    so that each category is one scan of ``folded``; ``starts[k]`` is where text k begins.
    ``ok`` is False when a text contains a NUL (then only the reference patterns are used)."""

    __slots__ = ("texts", "starts", "folded", "ok", "ascii", "_candidates")

    def __init__(self, texts: list[str]) -> None:
        self._candidates: dict[int, tuple[list[int], list[int]]] = {}
        self.texts = texts
        joined = SEP + SEP.join(texts) + SEP
        separators = len(texts) + 1 if texts else 2
        self.ok = joined.count(_NUL) == len(SEP) * separators
        self.folded = fold(joined) if self.ok else ""
        self.ascii = self.folded.isascii()
        self.starts = _starts(texts)

    def locate(self, a: int, lo: int = 0) -> int:
        """Index of the text that holds offset ``a`` of ``folded``."""
        return bisect_right(self.starts, a, lo) - 1

    def candidates(self, pre: Prefilter) -> tuple[list[int], list[int]]:
        """:meth:`Prefilter.candidates` of this batch, found once per pre-filter."""
        found = self._candidates.get(id(pre))
        if found is None:
            found = self._candidates[id(pre)] = pre.candidates(self)
        return found


def _starts(texts: list[str]) -> list[int]:
    """Where each of ``texts`` begins in ``SEP + SEP.join(texts) + SEP``."""
    if _COMPILED is not None:
        return _COMPILED.starts(texts, len(SEP))  # the loop below, in C
    starts: list[int] = []
    pos = len(SEP)
    for t in texts:
        starts.append(pos)
        pos += len(t) + len(SEP)
    return starts


class Prefilter:
    """Where in a :class:`Batch` a hit of some of the packs may start: one scan for
    several packs, so that each of them is then only matched at those places
    (:meth:`candidates`, :meth:`FastPattern.hits_at`).

    Its pattern is the consumed boundary followed by a look-ahead for the union of the
    packs' alternatives (their phrases in one trie, their patterns as they are, keyed by
    first character: :func:`_prefilter_body`), each followed by the right boundary: it
    matches at a boundary exactly when one of the packs matches right after it (each
    pack's pattern is an ordered alternation of the same alternatives, and the order only
    decides *which* one matches).

    Patterns that start with the sentence-start assertion ``(?<![^\x00])`` are left out
    of that look-ahead: tried at every word start there, they cost more than a scan of
    their own, for a NUL followed by one of them (:meth:`positions`)."""

    __slots__ = ("_body", "_built", "_failed", "_source", "_compiled", "_starts", "_tables")

    # Building the pattern (parsing the packs' patterns, the trie) and compiling it cost
    # ~50 ms, which a check of a few sentences would pay for nothing: it is built on the
    # first batch of at least this many texts, and used for every batch after that.
    MIN_TEXTS = 32

    def __init__(self, body: Callable[[], tuple[str | None, str | None] | None]) -> None:
        self._body = body
        self._built = False
        self._failed = False  # the body could not be made: every text is searched in full
        self._source: str | None = None  # the scan but for the sentence-start patterns, if any
        self._compiled: Any = None
        self._starts: Any = None  # the scan for the sentence-start patterns, if any
        self._tables: tuple[bytes, bytes] | None = None  # for claims.scan_at (_scan_tables)

    def worth(self, batch: Batch) -> bool:
        """Use it for ``batch``? Once built, always; before, only for a large batch."""
        return self._built or len(batch.texts) >= self.MIN_TEXTS

    def _build(self) -> None:
        if not self._built:
            self._built = True
            bodies = self._body()
            if bodies is None:
                self._failed = True
                return
            body, starts = bodies
            if body is not None:
                self._source = f"{ASCII_BOUNDARY}(?={body})"
            if starts is not None:
                self._starts = re.compile(f"\\x00(?={starts})")

    def candidates(self, batch: Batch) -> tuple[list[int], list[int]]:
        """Where a hit of one of the packs may start in ``batch``: ``(positions, whole)``,
        the :meth:`positions` in ``batch.folded`` that fall in its ASCII texts, and the
        indices of the texts that are not ASCII (to be searched in full). The pattern is
        made for ASCII text only: the few texts that are not ASCII are not worth compiling
        another (~50 ms), whose boundary class would differ on their characters. Without a
        pattern, every text is searched in full."""
        self._build()
        texts = batch.texts
        if self._failed:
            return [], list(range(len(texts)))
        positions = self.positions(batch.folded)
        if batch.ascii:
            return positions, []
        whole = [k for k, t in enumerate(texts) if not t.isascii()]
        skip, starts = set(whole), batch.starts
        return [p for p in positions if bisect_right(starts, p) - 1 not in skip], whole

    def positions(self, text: str) -> list[int]:
        """Every place in ``text`` (joined texts, as a :class:`Batch` 's ``folded``) right
        after a match of the pattern, or after a NUL followed by a sentence-start pattern,
        ascending: where a hit of the packs may start in its ASCII texts."""
        self._build()
        found: list[int] = []
        if self._source is not None:
            if self._compiled is None:
                self._compiled, self._tables = _compile_scan(self._source)
            if self._tables is not None and _COMPILED is not None:
                # The line below in C, which tries the pattern only where the table says
                # that its look-ahead may match: the same positions.
                found = _COMPILED.scan_at(self._compiled.match, text, *self._tables)
            else:
                found = [m.end() for m in self._compiled.finditer(text)]
        if self._starts is not None:
            more = [m.end() for m in self._starts.finditer(text)]
            if more:
                found = sorted({*found, *more})
        return found


def _compile_scan(source: str) -> tuple[Any, tuple[bytes, bytes] | None]:
    """The pre-filter's compiled pattern, and the tables of its scan in C
    (:func:`_scan_tables`; None without the compiled module or when they cannot be made).
    The pattern is parsed once for both: compiled from the parse tree, it is the same
    program as ``re.compile(source)`` (which parses and compiles just so)."""
    if _COMPILED is None or _P is None or _K is None:
        return re.compile(source), None
    try:
        tree = _P.parse(source, 0)
        tables = _scan_tables(tree)
        return _K.compile(tree, 0), tables
    except (re.error, RecursionError, OverflowError, ValueError, AttributeError, TypeError, LookupError):
        return re.compile(source), None


def compile_prefilter(packs: list[list[tuple[str | None, list[list[str]], list[str]]]], left: str,
                      right: str) -> Prefilter | None:
    """The :class:`Prefilter` of several packs, each given as the ``groups`` of
    :func:`compile_fast` (for which it returned a consuming pattern), or None. Its pattern
    is made on first use (:meth:`Prefilter.worth`)."""
    if _P is None or left != r"(?<![\w\-])" or not packs:
        return None
    return Prefilter(lambda: _prefilter_source(packs, right))


def _prefilter_source(packs: list[list[tuple[str | None, list[list[str]], list[str]]]],
                      right: str) -> tuple[str | None, str | None] | None:
    """The look-ahead body of :func:`compile_prefilter`'s pattern and that of its scan for
    the sentence-start patterns (each None if there is nothing to put in it), or None if
    one of the packs' patterns cannot be part of them."""
    try:
        phrases: dict[tuple[str, ...], None] = {}
        patterns: dict[str, set[str] | None] = {}  # source -> its first characters (class items)
        prefixes: dict[str, list[str] | None] = {}  # source -> strings every match starts with
        starts: list[str] = []  # sources that start with the sentence-start assertion
        remainders: dict[str, list[tuple[str, str]] | None] = {}  # source -> (prefix, rest after it)
        for groups in packs:
            for _name, words_list, pats in groups:
                for words in words_list:
                    phrases[tuple(phrase_tokens(words))] = None
                for p in pats:
                    low = _lowered(p)
                    src = anchor_sentence_start(low[0] if low is not None else f"(?i:{p})")
                    tree = low[1] if low is not None and src == low[0] else _P.parse(src, 0)
                    if not joinable(tree) or tree.getwidth()[0] < 1:
                        return None
                    if len(tree) and _is_sentence_start(tree[0]):
                        starts.append(f"(?:{src})")
                        continue
                    first = _first(tree)
                    patterns[f"(?:{src})"] = None if first is None or first[1] or not first[0] else first[0]
                    prefixes[f"(?:{src})"] = _literal_prefixes(tree)
                    if low is not None and src == low[0]:  # no back-references
                        remainders[f"(?:{src})"] = _remainders(src, tree, prefixes[f"(?:{src})"])
        if not phrases and not patterns and not starts:
            return None
        body = _prefilter_body(phrases, patterns, right, prefixes, remainders) if phrases or patterns else None
        return body, f"(?:{'|'.join(dict.fromkeys(starts))}){right}" if starts else None
    except (re.error, RecursionError, OverflowError, ValueError, AttributeError, TypeError):
        return None


def _literal_prefixes(tree: Any) -> list[str] | None:
    """Non-empty strings one of which starts every match of the parsed pattern ``tree``
    (its leading literals, or the leading literals of each alternative of its first
    alternation, or the characters of its first class of literals), or None."""
    C = _C
    items = list(tree)
    i = 0
    while i < len(items) and items[i][0] in (C.AT, C.ASSERT, C.ASSERT_NOT):
        i += 1  # zero-width: the match still starts with what follows
    head = ""
    while i < len(items) and items[i][0] is C.LITERAL:
        head += chr(items[i][1])
        i += 1
    if head:
        return [head]
    if i == len(items):
        return None
    op, av = items[i]
    if op is C.IN and av and all(iop is C.LITERAL for iop, _iav in av):
        return sorted({chr(iav) for _iop, iav in av})
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] == 0 and i + 1 < len(items):
        # an optional part first ("(?:the\s+)?"): a match starts with it or with what follows
        inner, rest = _literal_prefixes(av[2]), _literal_prefixes(items[i + 1:])
        return None if inner is None or rest is None else list(dict.fromkeys(inner + rest))
    if op is C.BRANCH:
        out: list[str] = []
        for alt in av[1]:
            lit = ""
            for aop, aav in alt:
                if aop is not C.LITERAL:
                    break
                lit += chr(aav)
            if not lit:
                return None
            out.append(lit)
        return out
    return None


def _remainders(src: str, tree: Any, prefixes: list[str] | None) -> list[tuple[str, str]] | None:
    """``(prefix, rest)`` pairs, one per string of ``prefixes`` (:func:`_literal_prefixes`
    of ``tree``, the parsed ``src``), such that ``src`` matches at a place exactly when,
    for one of them, the text there starts with ``prefix`` and ``rest`` matches right
    after it; or None. Found in the source text: ``src`` is ``prefix`` + rest, or a
    group ``(?:p1 t1|p2 t2|...)`` followed by the rest, with no ``|`` outside it and no
    quantifier on it; each prefix is plain letters and digits, and what follows it in
    the source does not quantify its last character."""
    C = _C
    if not prefixes or not all(p.isascii() and p.isalnum() for p in prefixes) or _alternatives(src) != [src]:
        return None
    quantifiers = ("?", "*", "+", "{")
    if tree[0][0] is C.LITERAL and len(prefixes) == 1:
        head = prefixes[0]
        rest = src[len(head):]
        return [(head, rest)] if src.startswith(head) and rest[:1] not in quantifiers else None
    if tree[0][0] is not C.BRANCH or not src.startswith("(?:"):
        return None
    end = _group_end(src)
    alts = _alternatives(src[3:end]) if end is not None else None
    if end is None or alts is None or len(alts) != len(prefixes) or src[end + 1:end + 2] in quantifiers:
        return None
    out: list[tuple[str, str]] = []
    for head, alt in zip(prefixes, alts, strict=True):
        tail = alt[len(head):]
        if not alt.startswith(head) or tail[:1] in quantifiers:
            return None
        out.append((head, tail + src[end + 1:]))  # a tail has no "|" outside groups
    return out


def _leading_tokens(src: str) -> tuple[list[str], str]:
    """The trie tokens (plain letters and digits, ``\\s+``) that ``src`` starts with, none
    of them quantified, and the rest of ``src`` after them (``src`` has no ``|`` outside
    groups, so the tokens are matched first by every match)."""
    tokens: list[str] = []
    i, n = 0, len(src)
    quantifiers = ("?", "*", "+", "{")
    while i < n:
        ch = src[i]
        if ch.isascii() and ch.isalnum() and src[i + 1:i + 2] not in quantifiers:
            tokens.append(ch)
            i += 1
        elif src.startswith(r"\s+", i) and src[i + 3:i + 4] not in quantifiers:
            tokens.append(r"\s+")
            i += 3
        else:
            break
    return tokens, src[i:]


def _scan_source(src: str) -> Iterator[tuple[int, int]]:
    """``(index, depth)`` of each character of the regex source ``src`` that is not
    escaped or inside a character class; ``depth`` counts the groups open before it."""
    depth, i, n = 0, 0, len(src)
    while i < n:
        ch = src[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _class_end(src, i) + 1
            continue
        if ch == ")":
            depth -= 1
        yield i, depth
        if ch == "(":
            depth += 1
        i += 1


def _alternatives(src: str) -> list[str] | None:
    """``src`` split at its ``|`` outside groups and classes (None if unbalanced)."""
    out, start, opened = [], 0, 0
    for i, depth in _scan_source(src):
        ch = src[i]
        if depth < 0:
            return None
        if depth == 0 and ch == "|":
            out.append(src[start:i])
            start = i + 1
        opened += 1 if ch == "(" else -1 if ch == ")" else 0
    return [*out, src[start:]] if opened == 0 else None


def _group_end(src: str) -> int | None:
    """Where the group that ``src`` opens with (``src[0] == "("``) closes, or None."""
    for i, depth in _scan_source(src):
        if depth == 0 and src[i] == ")":
            return i
    return None


def _prefilter_body(phrases: dict[tuple[str, ...], None], patterns: dict[str, set[str] | None],
                    right: str, prefixes: dict[str, list[str] | None],
                    remainders: dict[str, list[tuple[str, str]] | None] | None = None) -> str:
    """The look-ahead of a :class:`Prefilter`: an alternation, each branch followed by
    ``right``.

    The branches are keyed by first character, so that the engine skips all but one with
    a cheap test: ``c`` followed by the rest of the phrase trie under ``c`` and by the
    patterns that may start with ``c``. Such a pattern is tried from the character before
    (a look-ahead inside a look-behind of width 1), as ``c`` is already consumed. A pattern
    of unknown first character is a branch of its own. (A class of all first characters
    checked first, as in :class:`FastPattern`, costs more than it saves here.)

    A pattern with ``remainders`` (:func:`_remainders`) goes into the trie as its literal
    prefixes, each followed by the rest of the pattern after it (whose leading letters,
    digits and ``\\s+`` go into the trie too, :func:`_leading_tokens`), not tried again
    from the word start: this look-ahead only asks *whether* one of the alternatives
    matches, and the alternation of those is the pattern."""
    root = _trie_root([list(t) for t in sorted(phrases, key=len, reverse=True)])
    by_item: dict[str, list[str]] = {}
    unknown: list[str] = []
    for src, items in patterns.items():
        found = prefixes.get(src)
        split = remainders.get(src) if remainders else None
        if split:
            for prefix, rest in split:
                node = root
                for ch in prefix:
                    node = node.setdefault(re.escape(ch), {})
                tokens, rest = _leading_tokens(rest)
                for token in tokens:
                    node = node.setdefault(token, {})
                node.setdefault(_REST, []).append(rest)
        elif found:
            # Tried only where the text starts with one of its prefixes: at the end of
            # that prefix in the trie (most word starts share no prefix with it).
            for prefix in found:
                node = root
                for ch in prefix:
                    node = node.setdefault(re.escape(ch), {})
                node.setdefault(_ATTACH, []).append(src)
        elif items is None:
            unknown.append(src)
        else:
            for item in sorted(items):
                by_item.setdefault(item, []).append(src)
    branches: list[str] = []
    for key in dict.fromkeys([*root, *by_item]):
        parts: list[str] = []
        if key in root:
            parts.append(_emit_node(root[key], right, 1))
        if key in by_item:
            parts.append(f"(?<=(?=(?:{'|'.join(by_item[key])}){right})(?s:.))")
        head = key if key in root else f"[{key}]"
        branches.append(head + (parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"))
    branches += [f"(?:{src}){right}" for src in unknown]
    return "|".join(branches)


_ATTACH = ("patterns",)  # the key of a trie node's patterns in _prefilter_body (tokens are str)
_REST = ("rests",)  # the key of the rests of patterns after their prefix ends at a node


def _emit_node(node: dict[Any, Any], right: str, depth: int) -> str:
    """A node of the pre-filter's trie, ``depth`` characters after the word start: its
    phrases (each followed by ``right``) and the patterns whose prefix ends here, tried
    from the word start (a look-ahead inside a look-behind of width ``depth``; only
    single-character tokens lead to such a node)."""
    alts = [t + _emit_node(child, right, depth + 1) for t, child in node.items() if isinstance(t, str) and t != _END]
    if _END in node:
        alts.append(right)
    if _ATTACH in node:
        alts.append(f"(?<=(?=(?:{'|'.join(dict.fromkeys(node[_ATTACH]))}){right})(?s:.{{{depth}}}))")
    if _REST in node:
        alts += [f"(?:{rest}){right}" for rest in dict.fromkeys(node[_REST])]
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


# The pre-filter's scan in C (claims.scan_at) only tries the pattern where the three
# characters after a boundary may start a match of its look-ahead: a table of them, found
# on the parsed pattern (:func:`_prefix_table`). Masks are of ASCII characters (bit c).
_ASCII_ALL = (1 << 128) - 1
_PREFIX_LEN = 3
_PREFIX_STEPS = 200_000  # the analysis gives up (no table) past this many steps


def _class_mask(items: Any) -> int:
    """The ASCII characters the class ``items`` (of a parse tree's IN) may match."""
    C = _C
    mask, negate = 0, False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            mask |= (1 << av) if av < 128 else 0
        elif op is C.RANGE:
            mask |= sum(1 << c for c in range(av[0], min(av[1], 127) + 1))
        elif op is C.CATEGORY and av in _CATEGORY_SOURCE:
            r = re.compile(_CATEGORY_SOURCE[av])
            mask |= sum(1 << c for c in range(128) if r.match(chr(c)))
        else:
            return _ASCII_ALL
    return _ASCII_ALL & ~mask if negate else mask


class _TooLong(Exception):
    pass


def _prefix_masks(tree: Any) -> set[tuple[int, ...]]:
    """Tuples of ``_PREFIX_LEN`` masks such that the text at a place where ``tree`` (a
    parsed pattern, no flags) matches has, for one of them, each of its first characters
    that is ASCII in that mask (a character past the end of the match may be anything).
    Over-approximated: zero-width items, a scoped IGNORECASE group and anything else not
    understood constrain nothing."""
    C = _C
    out: set[tuple[int, ...]] = set()
    steps = 0

    def walk(items: list[Any], prefix: tuple[int, ...], depth: int) -> None:
        nonlocal steps
        steps += 1
        if steps > _PREFIX_STEPS:
            raise _TooLong
        if len(prefix) == _PREFIX_LEN:
            out.add(prefix)
            return
        if not items or depth > 64:
            out.add(prefix + (_ASCII_ALL,) * (_PREFIX_LEN - len(prefix)))
            return
        (op, av), rest = items[0], items[1:]
        if op is C.LITERAL:
            walk(rest, (*prefix, (1 << av) if av < 128 else 0), depth)
        elif op is C.IN:
            walk(rest, (*prefix, _class_mask(av)), depth)
        elif op in (C.ANY, C.NOT_LITERAL):
            walk(rest, (*prefix, _ASCII_ALL), depth)
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            walk(rest, prefix, depth)
        elif op is C.SUBPATTERN and not av[1] & re.IGNORECASE:
            walk([*av[3], *rest], prefix, depth + 1)
        elif op is C.ATOMIC_GROUP:
            walk([*av, *rest], prefix, depth + 1)
        elif op is C.BRANCH:
            for alt in av[1]:
                walk([*alt, *rest], prefix, depth + 1)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, hi, item = av
            if lo == 0:
                walk(rest, prefix, depth + 1)
            if hi != 0:
                again = hi if hi == C.MAXREPEAT else hi - 1
                walk([*item, *([(op, (max(lo - 1, 0), again, item))] if again else []), *rest], prefix, depth + 1)
        else:
            out.add(prefix + (_ASCII_ALL,) * (_PREFIX_LEN - len(prefix)))

    walk(list(tree), (), 0)
    return out


def _scan_tables(tree: Any) -> tuple[bytes, bytes] | None:
    """``(boundary, table)`` for claims.scan_at, of the parsed pre-filter pattern ``tree``
    (an ASCII class, then a look-ahead), or None if it is not of that form or too large."""
    C = _C
    items = list(tree)
    if tree.state.flags != re.UNICODE or len(items) != 2:
        return None
    (op0, cls), (op1, av1) = items
    if op0 is not C.IN or op1 is not C.ASSERT or av1[0] != 1:
        return None
    if not all(op is C.LITERAL and av < 128 or op is C.RANGE and av[1] < 128 for op, av in cls):
        return None  # a class of ASCII characters only: the scan skips every other one
    boundary = _class_mask(cls)
    try:
        masks = _prefix_masks(av1[1])
    except (_TooLong, RecursionError):
        return None
    pairs: dict[int, int] = {}
    for m1, m2, m3 in masks:
        for c1 in range(128):
            if m1 >> c1 & 1:
                for c2 in range(128):
                    if m2 >> c2 & 1:
                        pairs[c1 * 128 + c2] = pairs.get(c1 * 128 + c2, 0) | m3
    table = bytearray(128 * 128 * 16)
    for i, m in pairs.items():
        table[i * 16:i * 16 + 16] = m.to_bytes(16, "little")
    return bytes(boundary >> c & 1 for c in range(128)), bytes(table)
