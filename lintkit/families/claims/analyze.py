"""Per-sentence claim analysis: signals → modifiers → score → support → verdict.

Each sentence is scored once: every claim category that fires adds its strongest
trigger's weight (a category counts once however many words match). Then

* a conditional ("if", "unless") halves a prediction;
* a hedge ("may", "likely", "roughly") multiplies the non-statistical signals by
  ``HEDGE_FACTOR`` (a hedged statistic still needs a source; hearsay is not a hedge);
* an opinion marker ("I think") multiplies everything by ``OPINION_FACTOR`` unless the
  sentence also carries a statistic or a vague attribution;
* a question keeps only its statistics and vague attributions.

A sentence whose score reaches the sensitivity threshold is a claim; it is reported
unless support stands within the configured scope (a vague attribution is only cleared
by a citation or link, never by its own wording).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import itemgetter

from lintkit._c import load
from lintkit.document.model import Document, Sentence
from lintkit.families.claims.fast import Batch
from lintkit.families.claims.lexicon import _STRAIGHTEN, SIGNALS, Hit, Lexicon, normalise
from lintkit.families.claims.rules import CODES, SCOPES, THRESHOLDS  # noqa: F401 (importable from here too)
from lintkit.families.claims.support import (
    attached_support,
    citation_in,
    source_sentence,
)

# Tie-break between categories of equal score: the first in this order is primary.
PRIORITY = ("quantity", "vague_attribution", "hearsay", "booster", "prediction", "superlative", "trend",
            "absolute")
HEDGE_FACTOR = 0.6
OPINION_FACTOR = 0.4
CONDITIONAL_FACTOR = 0.5
# Categories a hedge does not weaken.
UNHEDGED = frozenset({"quantity", "vague_attribution", "hearsay"})
# Paragraph kinds that hold no assertions of the writer's own.
SKIP_KINDS = frozenset({"heading", "quote", "table_cell", "code"})

_CONDITIONAL = re.compile(r"\b(?:if|unless|assuming|provided\s+that|in\s+case|otherwise)\b", re.I)
# A scheduled plan is not a forecast: "will be removed in version 2.0", "opens on 3 May".
_SCHEDULE = re.compile(
    r"\b(?:in|by|on|from|until|starting(?:\s+from)?|as\s+of)\s+(?:the\s+next\s+(?:major\s+|minor\s+)?release|"
    r"(?:version|release|v)\s*\d|January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|\d{1,2}\s+[A-Z][a-z]+\s+\d{4})"
)
# A capitalised word right before a match: the match is part of a name.
_NAME_BEFORE = re.compile(r"[A-Z][\w'.&-]*\s+(?:of\s+|for\s+|and\s+)?$")
_QUESTION_END = re.compile(r"\?[\"'”’»)\]]*\s*$")

# The compiled loops (lintkit/_c/claims.c), or None: where they are used, the pure-Python
# code next to the call is the reference, and both must give the same result.
_COMPILED = load("claims")


@dataclass
class Trigger:
    category: str
    start: int  # projection offsets
    end: int
    text: str
    weight: float


@dataclass
class Verdict:
    sentence: Sentence
    score: float
    categories: list[str]  # by strength, strongest first
    triggers: list[Trigger]  # strongest trigger of each category, same order
    hedged: bool = False
    opinion: bool = False
    question: bool = False
    support: str | None = None  # why it is not reported
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return CODES[self.categories[0]]


def _overlaps_placeholder(sentence: Sentence, a: int, b: int) -> bool:
    if sentence.prose and sentence.placeholders is None:
        return False  # its words are (or will be) found in the projection, none marked
    # Only the placeholder words are looked at, from the word columns (no Word objects).
    c = sentence.word_columns()
    starts, ends = c.starts, c.ends
    return any(starts[i] < b and a < ends[i] for i in c.placeholders)


def score_sentence(sentence: Sentence, lex: Lexicon, enabled: set[str], batch: Batch, k: int,
                   signals: dict[str, dict[int, list[Hit]]]) -> Verdict:
    """Score one sentence (no support yet). The modifiers (hedge, opinion) are only looked
    up when a signal fires: a verdict without categories is never reported.

    The sentence is text ``k`` of ``batch`` (its normalised text), and ``signals`` holds the
    batch's hits of the enabled signal categories (:meth:`Lexicon.scan`)."""
    text = batch.texts[k]

    def found(category: str) -> list[Hit]:
        if category in signals:
            return signals[category].get(k, [])
        return lex.matches_at(category, batch, k)

    question = bool(_QUESTION_END.search(text))
    hits: list[Trigger] = []
    for cat in SIGNALS:
        if cat not in enabled:
            continue
        for a, b, hit, weight in found(cat):
            if _overlaps_placeholder(sentence, sentence.start + a, sentence.start + b):
                continue
            if cat == "vague_attribution" and a > 0 and hit[:1].isupper() and _NAME_BEFORE.search(text, 0, a):
                continue  # "the Bureau of Labor Statistics said": part of a name
            hits.append(Trigger(cat, sentence.start + a, sentence.start + b, sentence.text[a:b], weight))
    # A hit inside a stronger hit of another category does not count again ("will never"
    # is a prediction, not also an absolute; "Everyone knows" a vague attribution).
    hits.sort(key=lambda t: (-t.weight, PRIORITY.index(t.category), t.start))
    kept: list[Trigger] = []
    for t in hits:
        if not any(k.start <= t.start and t.end <= k.end and k.category != t.category for k in kept):
            kept.append(t)
    best: dict[str, Trigger] = {}
    for t in kept:
        if t.category not in best:
            best[t.category] = t
    hedged = bool(best) and bool(found("hedge"))
    opinion = bool(best) and bool(found("opinion"))
    scores: dict[str, float] = {}
    for cat, t in best.items():
        w = t.weight
        if cat == "prediction" and (_CONDITIONAL.search(text) or _SCHEDULE.search(text)):
            w *= CONDITIONAL_FACTOR
        if hedged and cat not in UNHEDGED:
            w *= 0.6 if cat != "prediction" else HEDGE_FACTOR
        if question and cat not in ("quantity", "vague_attribution"):
            w = 0.0
        scores[cat] = w
    if opinion and not ({"quantity", "vague_attribution"} & {c for c, v in scores.items() if v > 0}):
        scores = {c: v * OPINION_FACTOR for c, v in scores.items()}
    scores = {c: round(v, 3) for c, v in scores.items() if v > 0}
    order = sorted(scores, key=lambda c: (-scores[c], PRIORITY.index(c)))
    return Verdict(sentence, round(sum(scores.values()), 3), order, [best[c] for c in order],
                   hedged=hedged, opinion=opinion, question=question, scores=scores)


# Slack for :func:`score_bounds` (a sum of 3-decimal numbers, like the real score, but
# perhaps added in another order; the thresholds are multiples of 0.001).
_BOUND_SLACK = 1e-6


def score_bounds(signals: dict[str, dict[int, list[Hit]]]) -> dict[int, float]:
    """An upper bound of the score of every text with a hit: the strongest hit of each
    category, rounded as there, summed (in the categories' order, from 0.0), by one walk
    over the hits. :func:`score_sentence` only drops hits and multiplies weights by
    factors <= 1 (and rounding is monotone)."""
    if _COMPILED is not None:
        return _COMPILED.bounds(signals)  # the loop below, in C
    bounds: dict[int, float] = {}
    get = bounds.get
    weight = itemgetter(3)
    for found in signals.values():
        for k, hits in found.items():
            if hits:
                bounds[k] = get(k, 0.0) + round(max(map(weight, hits)), 3)
    return bounds


def analyse(document: Document, lex: Lexicon, threshold: float, scope: str,
            enabled: set[str], timings: dict[str, float] | None = None) -> list[Verdict]:
    """Verdicts for every claim sentence (score ≥ threshold), supported ones included
    (with ``support`` set) so callers can explain why nothing was reported. ``timings``:
    seconds spent searching each signal pack are added there, by ``"<code> pack <name>"``."""
    out: list[Verdict] = []
    spans: dict[int, tuple[int, int]] = {}

    def src(i: int) -> tuple[int, int]:
        if i not in spans:
            s = document.sentences[i]
            a, b = document.source_span(s.start, s.end)
            # A link target or footnote right after the last word belongs to the sentence.
            nxt = document.sentences[i + 1] if i + 1 < len(document.sentences) else None
            limit = document.source_span(nxt.start, nxt.start)[0] if nxt else len(document.text)
            spans[i] = (a, max(b, limit))
        return spans[i]

    detached_cache: dict[int, str | None] = {}

    def detached(i: int) -> str | None:
        if i not in detached_cache:
            s = document.sentences[i]
            reason = citation_in(document, *src(i))
            if reason is None and source_sentence(s):
                reason = "source sentence"
            detached_cache[i] = reason
        return detached_cache[i]

    sentences = document.sentences
    # Each signal category is searched once over all the sentences (see lexicon.Lexicon.scan);
    # a sentence without any signal hit cannot be a claim.
    if _COMPILED is not None:  # the two lines below, in C
        todo, texts = _COMPILED.texts(sentences, document.paragraphs, SKIP_KINDS, _STRAIGHTEN)
    else:
        todo = [i for i, s in enumerate(sentences) if document.paragraphs[s.paragraph].kind not in SKIP_KINDS]
        texts = [normalise(sentences[i].text) for i in todo]
    batch = Batch(texts)
    cats = [cat for cat in SIGNALS if cat in enabled]
    per_pack: dict[str, dict[str, float]] = {cat: {} for cat in cats}
    raw = {cat: lex.scan_raw(cat, batch, per_pack[cat]) for cat in cats}
    # The exceptions only remove hits: they are only looked for in the sentences that could
    # reach the threshold with all their hits.
    keep = {k for k, bound in score_bounds(raw).items() if bound >= threshold - _BOUND_SLACK}
    signals = {cat: lex.finish(cat, batch, raw[cat], keep, per_pack[cat]) for cat in cats}
    if timings is not None:
        for cat in cats:
            for name, secs in per_pack[cat].items():
                key = f"{CODES[cat]} pack {name}"
                timings[key] = timings.get(key, 0.0) + secs
    bounds = score_bounds(signals)
    for k in sorted(bounds):
        if bounds[k] < threshold - _BOUND_SLACK:
            continue  # cannot reach the threshold: most sentences hold only a weak "will" or "all"
        i = todo[k]
        s = sentences[i]
        v = score_sentence(s, lex, enabled, batch, k, signals)
        if not v.categories or v.score < threshold:
            continue
        prev = sentences[i - 1] if i > 0 and sentences[i - 1].paragraph == s.paragraph else None
        own_citation = citation_in(document, *src(i))
        support = own_citation or attached_support(s, prev, lex)
        if support is None and scope != "sentence":
            if scope == "next-sentence":
                near = [i + 1] if i + 1 < len(sentences) and sentences[i + 1].paragraph == s.paragraph else []
            else:
                near = [j for j in range(len(sentences)) if sentences[j].paragraph == s.paragraph and j != i]
            for j in near:
                reason = detached(j)
                if reason is None and scope == "paragraph":
                    pj = sentences[j - 1] if j > 0 and sentences[j - 1].paragraph == s.paragraph else None
                    reason = attached_support(sentences[j], pj, lex)
                if reason:
                    support = f"{reason} in a nearby sentence"
                    break
        if support and "vague_attribution" in v.scores and not own_citation and \
                not (support.endswith("nearby sentence") and ("citation" in support or "link" in support)):
            # "Experts say" is not cleared by some other attribution: only the
            # vague attribution itself is still reported.
            keep = "vague_attribution"
            v = Verdict(s, v.scores[keep], [keep], [t for t in v.triggers if t.category == keep],
                        v.hedged, v.opinion, v.question, None, {keep: v.scores[keep]})
            if v.score < threshold:
                continue
            out.append(v)
            continue
        v.support = support
        out.append(v)
    return out
