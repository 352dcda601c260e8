"""Run the consistency rules on one document."""

from __future__ import annotations

from lintkit.context import CheckContext
from lintkit.document.model import Document
from lintkit.families.consistency.lexicon import lexicon, norm_key
from lintkit.families.consistency.names import NameChecker
from lintkit.families.consistency.units import Units
from lintkit.types import Finding


def check(doc: Document, ctx: CheckContext) -> list[Finding]:
    opts = ctx.options("consistency")
    extra = tuple(ctx.config.get("rule-packs") or ())
    with ctx.timed("rule packs (loaded once per process)"):
        lex = lexicon(extra)

    def pos(offset: int) -> str:
        line, col = doc.position(offset)
        return f"{line}:{col}"

    out: list[Finding] = []
    if ctx.enabled("CN1") or ctx.enabled("CN2"):
        with ctx.timed("CN1 CN2 word index"):
            units = Units(doc, lex.term_keys, lex.term_words)
        if ctx.enabled("CN1"):
            with ctx.timed("CN1 name index"):
                names = NameChecker(doc, units, lex, ctx, pos, int(opts.get("min-count", 3)),
                                    {norm_key(t) for t in opts.get("ignore-terms", [])},
                                    bool(opts.get("open-compounds", False)))
            if ctx.enabled("CN101"):
                with ctx.timed("CN101 term-variant"):
                    out.extend(names.variants())
            if ctx.enabled("CN102"):
                with ctx.timed("CN102 house-term"):
                    out.extend(names.house_terms())
            if ctx.enabled("CN103"):
                with ctx.timed("CN103 proper-adjective-case"):
                    out.extend(names.demonyms())
        if ctx.enabled("CN2"):
            from lintkit.families.consistency.dialect import dialect

            with ctx.timed("CN201 dialect-mixed"):
                out.extend(dialect(doc, units, lex, ctx, opts, pos))
    if ctx.enabled("CN3"):
        from lintkit.families.consistency.acronyms import acronyms

        with ctx.timed("CN3 acronyms"):
            out.extend(acronyms(doc, lex, ctx, pos))
    if ctx.enabled("CN4"):
        from lintkit.families.consistency.typography import typography

        with ctx.timed("CN4 typography"):
            out.extend(typography(doc, ctx, pos))
    return out
