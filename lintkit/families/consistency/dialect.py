"""CN201: US and UK spellings mixed in one document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lintkit.context import CheckContext
from lintkit.document.model import Document
from lintkit.families.consistency.lexicon import Lexicon
from lintkit.families.consistency.names import occurrences_with
from lintkit.families.consistency.units import CAPS, FORM, HEADING, INITIAL, QUOTED, START, Units, hyphen_parts
from lintkit.types import Finding, Fix

_Entry = tuple[str, str, str]  # (dialect, group, other)


def _dialect_parts(form: str, table: dict[str, _Entry]) -> tuple[tuple[int, str, _Entry], ...]:
    """The parts of ``form`` in the pair list: (offset, part, its entry)."""
    return tuple((off, part, table[part.lower()]) for off, part in hyphen_parts(form) if part.lower() in table)


def dialect(doc: Document, units: Units, lex: Lexicon, ctx: CheckContext, opts: dict[str, Any],
            pos: Callable[[int], str]) -> list[Finding]:
    if not ctx.enabled("CN201"):
        return []
    hits: list[tuple[int, int, str, str, str, str]] = []  # start, end, word, dialect, group, other
    table = lex.dialect
    found = lex.spellings_with("dialect", units.forms, lambda form: _dialect_parts(form, table), table.keys())
    if not found:
        return []
    setting = opts.get("dialect", "auto")
    # Nothing to report unless the spellings found hold both dialects of a group ("auto"), or
    # the other dialect: then the words need no look.
    dialects: dict[str, set[str]] = {}
    for parts in found.values():
        for _, _, (dial, group, _) in parts:
            dialects.setdefault(group, set()).add(dial)
    if not any(len(ds) == 2 if setting == "auto" else ds != {setting} for ds in dialects.values()):
        return []
    for o in occurrences_with(units.words, found, FORM):  # the few words in the list
        if o[QUOTED] or o[CAPS]:
            continue
        for off, part, entry in found[o[FORM]]:
            if part[:1].isupper() and not (o[INITIAL] and off == 0) and not o[HEADING]:
                continue  # a capitalised word inside a sentence is a name: Pearl Harbor, Labour Party
            hits.append((o[START] + off, o[START] + off + len(part), part, *entry))
    if not hits:
        return []
    out: list[Finding] = []
    for group in dict.fromkeys(h[4] for h in hits):
        ghits = [h for h in hits if h[4] == group]
        counts = {"en-US": 0, "en-GB": 0}
        first: dict[str, tuple[int, int, str, str, str, str]] = {}
        for h in ghits:
            counts[h[3]] += 1
            first.setdefault(h[3], h)
        if setting == "auto":
            if not counts["en-US"] or not counts["en-GB"]:
                continue
            if counts["en-US"] != counts["en-GB"]:
                target = max(counts, key=lambda d: counts[d])
                why = f"the document mostly uses {target}"
            else:
                lang = ctx.language if ctx.language in counts else "en-US"
                target = lang
                why = f"no majority, the configured language {lang} decides"
        else:
            target = setting
            if group == "ize" and target == "en-GB" and opts.get("oxford-spelling", False):
                continue
            why = f"the configured dialect is {target}"
        for start, end, word, dial, _, other in ghits:
            if dial == target:
                continue
            repl = other[:1].upper() + other[1:] if word[:1].isupper() else other
            a, b = doc.source_span(start, end)
            example = ""
            if target in first:
                f = first[target]
                example = f'; first {target} spelling "{f[2]}" at {pos(doc.source_span(f[0], f[1])[0])}'
            out.append(ctx.finding(
                "CN201", a, b,
                f'"{word}" → "{repl}" ({dial} spelling; {why}: {counts["en-US"]} en-US, '
                f'{counts["en-GB"]} en-GB in group "{group}"{example})',
                fixes=[Fix(a, b, repl, True, f'use "{repl}"')], target=repl, dialect=dial))
    return out
