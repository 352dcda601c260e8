"""The RD findings: long sentences, hard paragraphs, runs of long sentences, a hard
document. Sentences and words come from the document model; nothing here splits text."""

from __future__ import annotations

import operator
from itertools import compress, repeat
from typing import Any

from lintkit.context import CheckContext
from lintkit.document.model import Document, Sentence
from lintkit.families.readability.metrics import (
    BODY_KINDS,
    HIGHER_IS_EASIER,
    LABELS,
    Analysis,
    ParagraphStats,
    analyse,
    first_word_spans,
)
from lintkit.families.readability.settings import Settings, resolve
from lintkit.types import Finding

# Blocks whose "sentences" are labels, not running prose.
NOT_SENTENCES = frozenset({"heading", "table_cell"})
# Blocks that RD202 treats as paragraphs (a long list item is reported by RD101).
PARAGRAPH_KINDS = frozenset({"paragraph", "quote"})


def check(document: Document, ctx: CheckContext) -> list[Finding]:
    settings = resolve(ctx.config)
    with ctx.timed("RD counts and scores (textstat)"):
        an = analyse(document, ctx.language)
    out: list[Finding] = []
    if ctx.enabled("RD101") or ctx.enabled("RD202"):
        with ctx.timed("RD101 RD202 long sentences"):
            out.extend(_long_sentences(document, ctx, an, settings))
    if ctx.enabled("RD203"):
        with ctx.timed("RD203 long-sentence-run"):
            out.extend(_runs(document, ctx, an, settings))
    if ctx.enabled("RD201"):
        with ctx.timed("RD201 hard-paragraph"):
            out.extend(_hard_paragraphs(document, ctx, an, settings))
    if ctx.enabled("RD301"):
        with ctx.timed("RD301 hard-document"):
            out.extend(_hard_document(document, ctx, an, settings))
    return out


def _span(document: Document, first: Sentence, last: Sentence) -> tuple[int, int]:
    return document.source_span(first.start, last.end)


def _where(document: Document, sentence: Sentence) -> str:
    line, col = document.position(document.source_span(sentence.start, sentence.end)[0])
    return f"{line}:{col}"


def _opening(sentence: Sentence, n: int = 5) -> str:
    words = first_word_spans(sentence, n + 1)  # one more tells whether the opening is all
    if not words:
        return ""
    text = sentence.text[words[0][0] - sentence.start: words[min(n, len(words)) - 1][1] - sentence.start]
    return f"“{text}…”" if len(words) > n else f"“{text}”"


def _long_sentences(document: Document, ctx: CheckContext, an: Analysis, st: Settings) -> list[Finding]:
    out: list[Finding] = []
    limit = st.max_sentence_words
    rd202 = ctx.enabled("RD202")
    rd101 = ctx.enabled("RD101")
    # (only a paragraph with a sentence over the limit has something to report)
    for ps in map(an.stats, compress(range(len(an.longest_sentence)), map(operator.gt, an.longest_sentence,
                                                                          repeat(limit)))):
        kind = ps.paragraph.kind
        if kind in NOT_SENTENCES:
            continue
        sentences = ps.paragraph.sentences
        if rd202 and kind in PARAGRAPH_KINDS and len(sentences) == 1 and ps.sentence_words[0] > limit:
            a, b = _span(document, sentences[0], sentences[0])
            n = ps.sentence_words[0]
            out.append(ctx.finding(
                "RD202", a, b,
                f"paragraph is a single sentence of {n} words (limit {limit}); split it into shorter sentences",
                words=n, limit=limit))
            continue
        if not rd101:
            continue
        for s, n in zip(sentences, ps.sentence_words, strict=True):
            if n > limit:
                a, b = _span(document, s, s)
                out.append(ctx.finding("RD101", a, b, f"sentence has {n} words (limit {limit})",
                                       words=n, limit=limit))
    return out


def _runs(document: Document, ctx: CheckContext, an: Analysis, st: Settings) -> list[Finding]:
    out: list[Finding] = []
    # a run needs run_length (>= 1) sentences of run_sentence_words or more
    longest = an.longest_sentence
    paragraphs = document.paragraphs  # (an.stats(i).paragraph is paragraphs[i])
    for at in compress(range(len(longest)), map(operator.ge, longest, repeat(st.run_sentence_words))):
        p = paragraphs[at]
        if p.kind not in BODY_KINDS or len(p.sentences) < st.run_length:
            continue
        ps = an.stats(at)
        words = ps.sentence_words
        run: list[int] = []
        for i, n in enumerate([*words, 0]):  # the sentinel closes a final run
            if n >= st.run_sentence_words:
                run.append(i)
                continue
            if len(run) >= st.run_length:
                first, last = ps.paragraph.sentences[run[0]], ps.paragraph.sentences[run[-1]]
                a, b = _span(document, first, last)
                lengths = [ps.sentence_words[k] for k in run]
                out.append(ctx.finding(
                    "RD203", a, b,
                    f"{len(run)} long sentences in a row ({', '.join(map(str, lengths))} words; each "
                    f"{st.run_sentence_words} or more): vary the length",
                    sentences=len(run), lengths=lengths))
            run = []
    return out


def _value_phrase(st: Settings, metric: str, value: float) -> str:
    side = "below" if metric in HIGHER_IS_EASIER else "above"
    shown = f"{value:.1f}" if round(value, 1) != st.targets[metric] else f"{value:.2f}"
    return (f"{LABELS[metric]} {shown} is {side} the target {st.targets[metric]:g} "
            f"for a {st.audience} audience")


def _graded(an: Analysis, st: Settings) -> list[ParagraphStats]:
    return an.graded(st.min_paragraph_words)


def _hard_paragraphs(document: Document, ctx: CheckContext, an: Analysis, st: Settings) -> list[Finding]:
    out: list[Finding] = []
    for ps in _graded(an, st):
        value = ps.score(st.metric)
        if not st.too_hard(st.metric, value):
            continue
        longest = ps.longest()
        assert longest is not None
        sentence, n = longest
        sents = ps.paragraph.sentences
        a, b = _span(document, sents[0], sents[-1])
        where = _where(document, sentence)  # (a position look-up: once)
        data: dict[str, Any] = {"metric": st.metric, "value": round(value, 2), "target": st.target,
                                "audience": st.audience, "words": ps.words,
                                "longest_sentence": {"at": where, "words": n}}
        out.append(ctx.finding(
            "RD201", a, b,
            f"hard paragraph: {_value_phrase(st, st.metric, value)}; longest sentence: {n} words "
            f"at {where} {_opening(sentence)}",
            **data))
    return out


def _hard_document(document: Document, ctx: CheckContext, an: Analysis, st: Settings) -> list[Finding]:
    value = an.scores[st.metric]
    if an.document.words < st.min_paragraph_words or not st.too_hard(st.metric, value):
        return []
    first = an.body()[0].paragraph.sentences[0]
    a, b = _span(document, first, first)
    graded = _graded(an, st)
    hardest = ""
    if graded:
        worst = max(graded, key=lambda p: _hardness(st, p.score(st.metric)))
        line, col = document.position(_span(document, worst.paragraph.sentences[0], worst.paragraph.sentences[0])[0])
        hardest = f"; hardest paragraph at {line}:{col} ({worst.score(st.metric):.1f})"
    return [ctx.finding(
        "RD301", a, b,
        f"document is hard to read: {_value_phrase(st, st.metric, value)}{hardest}",
        metric=st.metric, value=round(value, 2), target=st.target, audience=st.audience)]


def _hardness(st: Settings, value: float | None) -> float:
    if value is None:
        return float("-inf")
    return -value if st.metric in HIGHER_IS_EASIER else value
