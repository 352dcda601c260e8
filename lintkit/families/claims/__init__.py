"""The claims family (CL): assertions with no source, hedge or opinion marker.

Built-in plugin ``claims``. Lexicons are data (``rules/claims/*.toml``, kind ``claims``,
extendable with the user's ``rule-packs``); the analysis is in :mod:`.analyze`, the
support detection in :mod:`.support`, rule metadata in :mod:`.rules`.

Options (``[tool.lintkit.claims]``):

* ``sensitivity``: ``low`` | ``medium`` (default) | ``high`` — the score threshold;
* ``support-scope``: ``sentence`` | ``next-sentence`` (default) | ``paragraph`` — where a
  source may stand.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from lintkit.config import Option, OptionSection
from lintkit.families.claims.rules import CODES, LABELS, RULES, SCOPES, THRESHOLDS
from lintkit.hookspecs import hookimpl
from lintkit.types import Finding, Rule

if TYPE_CHECKING:
    from lintkit.document.model import Document
    from lintkit.families.claims.analyze import Verdict

# The analysis and the lexicons (:mod:`.analyze`, :mod:`.lexicon`) are imported on the first
# check: registering the family (rules, options) does not need them, and a run that starts
# with grammar sends its first requests sooner.

__all__ = ["check_document", "message_for"]


@hookimpl
def lintkit_add_options() -> Iterable[OptionSection]:
    return [
        OptionSection(
            "claims",
            (
                Option("sensitivity", "medium", "score threshold: low reports only strong claims, high more",
                       str, choices=tuple(THRESHOLDS)),
                Option("support-scope", "next-sentence", "where a source may stand to support a claim", str,
                       choices=SCOPES),
            ),
            help="Unsupported claims (CL)",
        )
    ]


@hookimpl
def lintkit_register_rules() -> Iterable[Rule]:
    return list(RULES)


def _fixes(categories: list[str]) -> str:
    seen: list[str] = []
    for c in categories:
        for f in LABELS[c][1]:
            if f not in seen:
                seen.append(f)
    text = ", ".join(seen[:-1]) + (" or " if len(seen) > 1 else "") + seen[-1]
    return text[0].upper() + text[1:]


def message_for(v: Verdict) -> str:
    """"Hearsay 'Apparently'; also certainty booster 'without doubt'. Name the source, ..."""
    parts = [f"{LABELS[t.category][0]} '{t.text}'" for t in v.triggers]
    head = parts[0][0].upper() + parts[0][1:]
    also = f"; also {', '.join(parts[1:])}" if len(parts) > 1 else ""
    return f"Unsupported claim: {head}{also}. {_fixes(v.categories)}."


def check_document(document: Document, *, sensitivity: str = "medium", scope: str = "next-sentence",
                   rule_packs: list[str] | tuple[str, ...] = (), enabled: set[str] | None = None,
                   timings: dict[str, float] | None = None) -> list[Verdict]:
    """Reported verdicts (claims without support) for a document; the API of the gold-set
    evaluation and of :func:`lintkit_check`. ``timings``: seconds per part are added there
    (``"rule packs (loaded once per process)"``, ``"<code> pack <name>"`` per signal pack,
    ``"CL scoring, hedges and support"`` for the rest; the scan of a pre-filter shared by
    several packs, see :func:`.lexicon._share_prefilter`, is in the first of them)."""
    from lintkit.families.claims.analyze import analyse
    from lintkit.families.claims.lexicon import load_lexicon

    t0 = time.perf_counter()
    lex = load_lexicon(tuple(rule_packs))
    t1 = time.perf_counter()
    cats = set(CODES) if enabled is None else enabled
    packs: dict[str, float] | None = {} if timings is not None else None
    verdicts = [v for v in analyse(document, lex, THRESHOLDS[sensitivity], scope, cats, packs) if v.support is None]
    if timings is not None and packs is not None:
        t2 = time.perf_counter()
        for key, secs in (("rule packs (loaded once per process)", t1 - t0), *packs.items(),
                          ("CL scoring, hedges and support", t2 - t1 - sum(packs.values()))):
            timings[key] = timings.get(key, 0.0) + secs
    return verdicts


@hookimpl
def lintkit_check(document: Document, ctx: Any) -> list[Finding]:
    if not ctx.enabled("CL"):
        return []
    opts = ctx.options("claims")
    enabled = {cat for cat, code in CODES.items() if ctx.enabled(code)}
    out: list[Finding] = []
    timings: dict[str, float] = {}
    verdicts = check_document(document, sensitivity=opts.get("sensitivity", "medium"),
                              scope=opts.get("support-scope", "next-sentence"),
                              rule_packs=ctx.config.get("rule-packs") or (), enabled=enabled, timings=timings)
    for label, secs in timings.items():
        ctx.add_time(label, secs)
    for v in verdicts:
        t = v.triggers[0]
        a, b = document.source_span(t.start, t.end)
        sa, sb = document.source_span(v.sentence.start, v.sentence.end)
        out.append(ctx.finding(
            v.code, a, b, message_for(v),
            sentence_start=sa, sentence_end=sb, score=v.score,
            categories=list(v.categories), codes=[CODES[c] for c in v.categories],
            triggers=[{"category": x.category, "text": x.text, "weight": x.weight,
                       "start": document.source_span(x.start, x.end)[0],
                       "end": document.source_span(x.start, x.end)[1]} for x in v.triggers],
            hedged=v.hedged, opinion=v.opinion, suggestion=_fixes(v.categories),
        ))
    return out
