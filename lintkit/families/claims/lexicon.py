"""Claim lexicons: rule packs of kind ``claims`` compiled into one pattern per pack.

A pack (``rules/claims/*.toml``) names one *category* and carries weighted tiers of
phrases and patterns plus exceptions::

    [pack]
    name = "claims-boosters"
    kind = "claims"
    version = "1"
    description = "Certainty boosters"

    [lexicon]
    category = "booster"
    exceptions = ["speak clearly"]          # phrases that cancel an overlapping hit
    exception-patterns = ['clearly\\s+(?:defined|visible)']

    [[lexicon.tier]]
    weight = 1.5
    phrases = ["without doubt", "of course"]
    patterns = ['it\\s+is\\s+(?:clear|obvious)\\s+that']

Every pack is compiled into ONE combined regular expression: each tier becomes a named
group (``t0``, ``t1``, ...) of an alternation of its phrases (longest first) and
patterns; ``match.lastgroup`` gives the tier and so the weight. A user's pack of the same
category adds its own combined pattern (and its exceptions apply to every pack of that
category).

The built-in packs also get a *fast* pattern with the same hits (:mod:`.fast`): case-folded
text instead of IGNORECASE, phrases in a prefix trie, and one scan per category over all
the sentences of a document (:meth:`Lexicon.scan` over a :class:`~.fast.Batch`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lintkit._c import load
from lintkit.errors import PackError
from lintkit.families.claims.fast import Batch, FastPattern, Prefilter, compile_fast, compile_prefilter
from lintkit.packs import Pack, _packs_in, builtin_rules_dir, check_keys, compile_pattern, load_pack

KIND = "claims"

# The compiled loops (lintkit/_c/claims.c), or None (then the pure-Python reference runs).
_COMPILED = load("claims")

# Claim signals (each a sub-rule) and the modifiers that change a sentence's score.
SIGNALS = ("quantity", "vague_attribution", "booster", "absolute", "superlative", "prediction",
           "hearsay", "trend")
MODIFIERS = ("hedge", "opinion", "report_verb", "vague_source")
CATEGORIES = SIGNALS + MODIFIERS

_TOP_KEYS = {"category", "exceptions", "exception-patterns", "tier"}
_TIER_KEYS = {"weight", "phrases", "patterns"}

# Word boundaries that also treat hyphens as part of a word ("all-time" is not "all").
_LEFT = r"(?<![\w\-])"
_RIGHT = r"(?![\w\-])"


def normalise(text: str) -> str:
    """Text for matching: curly apostrophes and quotes straightened (same length)."""
    return text if text.isascii() else text.translate(_STRAIGHTEN)


_STRAIGHTEN = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"'})


def _phrase_regex(phrase: str) -> str:
    words = normalise(phrase).strip().split()
    return r"\s+".join(re.escape(w) for w in words)


Hit = tuple[int, int, str, float]  # start, end, matched text, weight


@dataclass
class Compiled:
    """One pack's combined pattern."""

    pack: str
    category: str
    pattern: Any  # re.Pattern or regex.Pattern (IGNORECASE), over normalised text
    weights: dict[str, float]
    exceptions: Any | None = None  # combined exception pattern
    # The same patterns for a Batch (case-folded, joined sentences), when proven equivalent:
    # all or nothing, so ``fast_exceptions`` is set exactly when ``fast`` and ``exceptions`` are.
    fast: FastPattern | None = None
    fast_exceptions: FastPattern | None = None
    # The alternatives of ``fast`` (as given to compile_fast), and the pre-filter shared
    # with other packs when this pack is only matched where it finds that a hit may start
    # (its scan, charged to the first pack searched, is in that pack's time).
    groups: list[tuple[str | None, list[list[str]], list[str]]] = field(default_factory=list, repr=False,
                                                                        compare=False)
    prefilter: Prefilter | None = field(default=None, repr=False, compare=False)

    @property
    def is_fast(self) -> bool:
        return self.fast is not None


@dataclass
class Lexicon:
    """All packs by category."""

    by_category: dict[str, list[Compiled]] = field(default_factory=dict)

    def matches(self, category: str, text: str) -> list[Hit]:
        """Hits ``(start, end, matched text, weight)`` of ``category`` in ``text`` (already
        normalised), with hits overlapping an exception of the category removed."""
        if category not in self.by_category:
            return []
        return self.matches_at(category, Batch([text]), 0)

    def has(self, category: str, text: str) -> bool:
        return bool(self.matches(category, text))

    def scan(self, category: str, batch: Batch, timings: dict[str, float] | None = None) -> dict[int, list[Hit]]:
        """:meth:`matches` for every text of ``batch`` at once: ``{text index: hits}``, texts
        without hits left out. A category's exception patterns are only searched in texts
        with a hit (most have none). ``timings``: seconds spent per pack (its pattern and
        its exceptions) are added there, by pack name."""
        return self.finish(category, batch, self.scan_raw(category, batch, timings), None, timings)

    def scan_raw(self, category: str, batch: Batch,
                 timings: dict[str, float] | None = None) -> dict[int, list[Hit]]:
        """The first half of :meth:`scan`: hits before the exceptions, unsorted."""
        found: dict[int, list[Hit]] = {}
        for c in self.by_category.get(category, ()):
            t0 = time.perf_counter()
            if _COMPILED is not None and batch.ok and c.fast is not None:
                # The loop below over _pack_hits's fast path, in C (the per-hit work of
                # _fast_hits and the setdefault): both must give the same ``found``.
                _COMPILED.collect(_fast_found(c.fast, batch, None, _prefilter(c, batch)), batch.texts, batch.starts,
                           c.weights, found)
            else:
                for k, hit in _pack_hits(c, batch):
                    found.setdefault(k, []).append(hit)
            if timings is not None:
                timings[c.pack] = timings.get(c.pack, 0.0) + time.perf_counter() - t0
        return found

    def finish(self, category: str, batch: Batch, found: dict[int, list[Hit]], keep: set[int] | None = None,
               timings: dict[str, float] | None = None) -> dict[int, list[Hit]]:
        """The second half of :meth:`scan`: the exceptions applied to the hits ``found`` of
        :meth:`scan_raw`, in the texts of ``keep`` only (all if None)."""
        packs_ = self.by_category.get(category, [])
        out: dict[int, list[Hit]] = {}
        for k, hits in found.items():
            if keep is not None and k not in keep:
                continue
            kept = self._finish(packs_, batch, k, hits, timings)
            if kept:
                out[k] = kept
        return out

    def matches_at(self, category: str, batch: Batch, k: int) -> list[Hit]:
        """:meth:`matches` for text ``k`` of ``batch`` (uses the batch's folded text)."""
        packs_ = self.by_category.get(category)
        if not packs_:
            return []
        if _COMPILED is not None and batch.ok and all(c.fast is not None for c in packs_):
            # The line below by the compiled per-hit loop (the same hits, in the same order):
            # every hit of text k's range is in text k.
            found: dict[int, list[Hit]] = {}
            s = batch.starts[k]
            e = s + len(batch.texts[k])
            for c in packs_:
                assert c.fast is not None
                _COMPILED.collect(c.fast.hit_list(batch, s, e), batch.texts, batch.starts, c.weights, found)
            out = found.get(k, [])
        else:
            out = [hit for c in packs_ for _k, hit in _pack_hits(c, batch, k)]
        return self._finish(packs_, batch, k, out) if out else out

    @staticmethod
    def _finish(packs_: list[Compiled], batch: Batch, k: int, hits: list[Hit],
                timings: dict[str, float] | None = None) -> list[Hit]:
        """``hits`` of text ``k`` without those overlapping an exception, sorted."""
        text = batch.texts[k]
        spans: list[tuple[int, int]] = []
        for c in packs_:
            if c.exceptions is None:
                continue
            t0 = time.perf_counter()
            if batch.ok and c.fast_exceptions is not None:
                s = batch.starts[k]
                spans.extend((x - s, y - s) for x, y, _g in c.fast_exceptions.hit_list(batch, s, s + len(text)))
            else:
                spans.extend(m.span() for m in c.exceptions.finditer(text))
            if timings is not None:
                timings[c.pack] = timings.get(c.pack, 0.0) + time.perf_counter() - t0
        if spans:
            hits = [h for h in hits if not any(h[0] < y and x < h[1] for x, y in spans)]
        hits.sort()
        return hits


def _pack_hits(c: Compiled, batch: Batch, only: int | None = None) -> Iterator[tuple[int, Hit]]:
    """``(text index, hit)`` of pack ``c``'s pattern in every text of ``batch``, or in text
    ``only``, in order: empty matches left out, exceptions not applied yet. A pack with a
    pre-filter is only matched where the pre-filter found that a hit may start."""
    if batch.ok and c.fast is not None:
        yield from _fast_hits(c.fast, c.weights, batch, only, _prefilter(c, batch) if only is None else None)
        return
    texts, weights = batch.texts, c.weights
    for k in range(len(texts)) if only is None else (only,):
        for m in c.pattern.finditer(texts[k]):
            a, b = m.span()
            if a != b:
                yield k, (a, b, m.group(0), weights[m.lastgroup or "t0"])


def _prefilter(c: Compiled, batch: Batch) -> Prefilter | None:
    """The pre-filter pack ``c`` is matched through in ``batch``, if any."""
    return c.prefilter if c.prefilter is not None and c.prefilter.worth(batch) else None


def _fast_hits(fast: FastPattern, weights: dict[str, float], batch: Batch, only: int | None,
               pre: Prefilter | None = None) -> Iterator[tuple[int, Hit]]:
    """:func:`_pack_hits` by a pack's fast pattern (``batch.ok``), at the candidates of
    ``pre`` when given (then ``only`` is None)."""
    texts, starts = batch.texts, batch.starts
    k = 0 if only is None else only
    for a, b, group in _fast_found(fast, batch, only, pre):
        if a != b:
            k = batch.locate(a, k)
            s = starts[k]
            yield k, (a - s, b - s, texts[k][a - s:b - s], weights[group or "t0"])


def _fast_found(fast: FastPattern, batch: Batch, only: int | None,
                pre: Prefilter | None = None) -> Iterable[tuple[int, int, str | None]]:
    """The matches ``(start, end, lastgroup)`` (offsets into ``batch.folded``, in order)
    that :func:`_fast_hits` makes its hits of."""
    texts, starts = batch.texts, batch.starts
    if pre is not None:
        positions, whole = batch.candidates(pre)
        found = fast.hits_at_list(batch, positions)
        if whole:  # texts that are not ASCII: searched in full, their hits put in order
            rest = [h for w in whole for h in fast.hits(batch, starts[w], starts[w] + len(texts[w]))]
            found = sorted([*found, *rest])
        return found
    if only is None:
        return fast.hit_list(batch)
    s = starts[only]
    return fast.hits(batch, s, s + len(texts[only]))


def _alternation(pack: Pack, entry: str, phrases: Any, patterns: Any, trusted: bool = False) -> str:
    if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
        raise PackError(str(pack.path), f"entry {entry!r}: 'phrases' must be a list of non-empty strings")
    if not isinstance(patterns, list) or not all(isinstance(p, str) and p for p in patterns):
        raise PackError(str(pack.path), f"entry {entry!r}: 'patterns' must be a list of regular expressions")
    for i, p in enumerate(patterns):  # validate each user pattern on its own first
        if not trusted:
            compile_pattern(p, pack, f"{entry} pattern {i + 1}")
    alts = sorted({_phrase_regex(p) for p in phrases}, key=len, reverse=True)
    alts += [f"(?:{p})" for p in patterns]
    return "|".join(alts)


def _phrase_words(phrases: list[str]) -> list[list[str]]:
    """The phrases as word lists, in the order of their alternatives in :func:`_alternation`."""
    by_regex = {_phrase_regex(p): normalise(p).strip().split() for p in phrases}
    return [by_regex[r] for r in sorted(by_regex, key=len, reverse=True)]


def _compile_trusted(pattern: str) -> Any:
    # The standard library compiles these large alternations about 8x faster than the
    # regex module (start-up); the built-in packs use no regex-only syntax, and a test
    # checks both engines find the same hits on the gold set.
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error:
        import regex

        return regex.compile(pattern, regex.IGNORECASE | regex.V0)


class _Deferred:
    """A built-in pack's reference pattern, compiled on first use (it is only searched
    where its fast pattern cannot be used). Behaves as the compiled pattern."""

    __slots__ = ("_source", "_compiled")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = _compile_trusted(self._source)
        return getattr(self._compiled, name)


def compile_pack(pack: Pack, trusted: bool = False) -> Compiled:
    """Compile one pack. ``trusted`` (the built-in packs, fully validated by the test
    suite) skips the per-pattern safety analysis at run time: it is most of start-up."""
    check_keys(pack.data, {"lexicon"}, pack, pack.name, required={"lexicon"})
    data = pack.data["lexicon"]
    if not isinstance(data, dict):
        raise PackError(str(pack.path), "[lexicon] must be a table")
    check_keys(data, _TOP_KEYS, pack, "lexicon", required={"category"})
    category = data["category"]
    if category not in CATEGORIES:
        raise PackError(str(pack.path), f"unknown category {category!r} (allowed: {', '.join(CATEGORIES)})")
    tiers = data.get("tier", [])
    if not isinstance(tiers, list) or not tiers:
        raise PackError(str(pack.path), "a claims pack needs at least one [[tier]] with phrases or patterns")
    groups: list[str] = []
    fast_groups: list[tuple[str | None, list[list[str]], list[str]]] = []
    weights: dict[str, float] = {}
    for i, tier in enumerate(tiers):
        entry = f"tier {i + 1}"
        if not isinstance(tier, dict):
            raise PackError(str(pack.path), f"entry {entry!r}: must be a table")
        check_keys(tier, _TIER_KEYS, pack, entry)
        weight = tier.get("weight", 1.0)
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
            raise PackError(str(pack.path), f"entry {entry!r}: 'weight' must be a number >= 0")
        alt = _alternation(pack, entry, tier.get("phrases", []), tier.get("patterns", []), trusted)
        if not alt:
            raise PackError(str(pack.path), f"entry {entry!r}: no phrases or patterns")
        name = f"t{i}"
        groups.append(f"(?P<{name}>{alt})")
        fast_groups.append((name, _phrase_words(tier.get("phrases", [])), tier.get("patterns", [])))
        weights[name] = float(weight)

    def build(pattern: str, entry: str) -> Any:
        if trusted:
            # Only compiled when used: the fast patterns below serve the built-in packs.
            return _Deferred(pattern)
        import regex

        return compile_pattern(pattern, pack, entry, regex.IGNORECASE)

    combined = build(f"{_LEFT}(?:{'|'.join(groups)}){_RIGHT}", "combined")
    exc_alt = _alternation(pack, "exceptions", data.get("exceptions", []), data.get("exception-patterns", []),
                           trusted)
    exceptions = build(f"{_LEFT}(?:{exc_alt}){_RIGHT}", "exceptions") if exc_alt else None
    fast = fast_exceptions = None
    if trusted:
        fast = compile_fast(fast_groups, _LEFT, _RIGHT)
        if fast is not None and exc_alt:
            fast_exceptions = compile_fast(
                [(None, _phrase_words(data.get("exceptions", [])), data.get("exception-patterns", []))], _LEFT, _RIGHT)
            if fast_exceptions is None:
                fast = None
    return Compiled(pack.name, category, combined, weights, exceptions, fast, fast_exceptions,
                    fast_groups if fast is not None else [])


@lru_cache(maxsize=16)
def _load(extra: tuple[str, ...]) -> Lexicon:
    lex = Lexicon()
    # The built-in claims packs are read from rules/claims/ only, so that a broken pack of
    # another family cannot disable this one; the user's packs come through lintkit.packs.
    builtin = [load_pack(p) for p in sorted((builtin_rules_dir() / "claims").glob("*.toml"))]
    user = [p for p in _packs_in(tuple(extra)) if p.kind == KIND] if extra else []
    for pack in [p for p in builtin if p.kind == KIND]:
        c = compile_pack(pack, trusted=True)
        lex.by_category.setdefault(c.category, []).append(c)
    for pack in user:
        c = compile_pack(pack)
        lex.by_category.setdefault(c.category, []).append(c)
    _share_prefilter(lex)
    return lex


def _share_prefilter(lex: Lexicon) -> None:
    """One :class:`~.fast.Prefilter` for the built-in signal packs (on the RFCs it finds
    ~15,000 places where a hit may start in 61,000 sentences); each pack is then only
    matched at those places. (Two pre-filters, each for half of the packs, find fewer
    places each, but a second scan of the text costs more than the extra matches.)"""
    group = [c for cat in SIGNALS for c in lex.by_category.get(cat, []) if c.fast is not None and c.fast.consumes]
    if len(group) < 2:
        return
    pre = compile_prefilter([c.groups for c in group], _LEFT, _RIGHT)
    for c in group:
        c.prefilter = pre


def load_lexicon(extra: list[str] | tuple[str, ...] | None = ()) -> Lexicon:
    """The built-in claims packs plus the user's ``rule-packs`` (same category: merged)."""
    return _load(tuple(extra or ()))
