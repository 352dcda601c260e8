"""CN401 quotes, CN402 dashes, CN403 number scale, CN404 percent, CN405 US / U.S.

Each counts the styles used in the prose projection (code, URLs and markup are not in
it) and reports the minority style, with the majority style as the fix."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation

from lintkit.context import CheckContext
from lintkit.document.model import Document
from lintkit.families.consistency.units import char_positions
from lintkit.types import Finding, Fix

Pos = Callable[[int], str]
Hit = tuple[int, int, str, str | None]  # projection start, end, style, replacement for each style (computed later)

_QUOTES = re.compile(r"[\"'‘’“”]")
_OPENERS = " \t\n([{<—–-/"
# Dashes between words, one pattern per dash, each starting with its literal (the look-behinds
# come after it), so the regular expression engine scans for candidates fast; dashes() runs
# only those whose dash is in the text. A test compares what dashes() finds with the patterns
# as first written, (?<=[...]) (—|–|--|-) (?=...) and (?<=[^\W\d_])(—|--)(?=[^\W\d_]).
_BEFORE = r"[\w,.;:!?)\]\"”’]"  # what a spaced dash follows (then a space), and precedes
_AFTER = r"(?=[\w(\"“‘])"
_DASH_SPACED = (("—", re.compile(rf" (—)(?<={_BEFORE} —) {_AFTER}")),
                ("–", re.compile(rf" (–)(?<={_BEFORE} –) {_AFTER}")),
                ("-", re.compile(rf" (-(?<={_BEFORE} -)-?) {_AFTER}")))  # " -- " before " - ", as (--|-)
_DASH_CLOSED = (("—", re.compile(r"(—)(?<=[^\W\d_]—)(?=[^\W\d_])")),
                ("--", re.compile(r"(--)(?<=[^\W\d_]--)(?=[^\W\d_])")))
_DASH_STYLE = {"—": "em dash spaced", "–": "en dash spaced", "-": "spaced hyphen", "--": "double hyphen"}
_DASH_REPR = {"em dash closed": "—", "em dash spaced": " — ", "en dash spaced": " – ", "spaced hyphen": " - ",
              "double hyphen": "--"}
# The number patterns below start with the first digit, their look-behind after it (also a
# scan for candidates); a test compares them with the patterns as first written:
# (?<![\w.,])(\d{1,3}(?:\.\d+)?) (million|billion|trillion)\b,
# (?:(?<=[$€£¥])|(?<![\w.,]))(\d{1,3}(?:\.\d+)?)(M|bn|mn|tn)(?![\w])|(?<=[$€£¥])(\d{1,3}(?:\.\d+)?)([mbBT])(?![\w]),
# (?<![\w.,])\d{1,3}(?:,\d{3}){2,}(?![\w,]|\.\d), (?<![\w.,])(\d+(?:\.\d+)?)( ?)%,
# (?<![\w.,])(\d+(?:\.\d+)?) (percent|per cent)\b and, starting with its U,
# (?<![\w.])(U\.S\.(?:A\.)?|U\.K\.|USA|US|UK)(?![\w]).
_SCALE_WORD = re.compile(r"(\d(?<![\w.,]\d)\d{0,2}(?:\.\d+)?) (million|billion|trillion)\b")
_SCALE_ABBR = re.compile(r"(\d(?:(?<=[$€£¥]\d)|(?<![\w.,]\d))\d{0,2}(?:\.\d+)?)(M|bn|mn|tn)(?![\w])"
                         r"|(\d(?<=[$€£¥]\d)\d{0,2}(?:\.\d+)?)([mbBT])(?![\w])")
_FULL = re.compile(r"\d(?<![\w.,]\d)\d{0,2}(?:,\d{3}){2,}(?![\w,]|\.\d)")
_FULL_HINT = re.compile(r",\d{3},\d{3}")  # in every _FULL match; starts with a literal, so scans fast
_PCT_SIGN = re.compile(r"(\d(?<![\w.,]\d)\d*(?:\.\d+)?)( ?)%")
_PCT_WORD = re.compile(r"(\d(?<![\w.,]\d)\d*(?:\.\d+)?) (percent|per cent)\b")
_US = re.compile(r"(U(?<![\w.]U)(?:\.S\.(?:A\.)?|\.K\.|SA|S|K))(?![\w])")
_SCALES = {"million": Decimal(10) ** 6, "billion": Decimal(10) ** 9, "trillion": Decimal(10) ** 12}
_ABBR = {"M": "million", "m": "million", "mn": "million", "B": "billion", "b": "billion", "bn": "billion",
         "T": "trillion", "tn": "trillion"}


def _report(doc: Document, ctx: CheckContext, code: str, hits: list[tuple[int, int, str, str | None]],
            what: str, pos: Pos) -> list[Finding]:
    """``hits``: (start, end, style, replacement in the majority style or None)."""
    out: list[Finding] = []
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for s, _, style, _ in hits:
        counts[style] = counts.get(style, 0) + 1
        first.setdefault(style, s)
    if len(counts) < 2:
        return out
    target = max(counts, key=lambda st: (counts[st], -first[st]))
    summary = ", ".join(f"{st} {n}×" for st, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    tpos = pos(doc.source_span(first[target], first[target] + 1)[0])
    for s, e, style, _ in hits:
        if style == target:
            continue
        a, b = doc.source_span(s, e)
        repl = _REPLACE[code](doc.prose, s, e, style, target)
        fixes = [Fix(a, b, repl, True, f'use "{repl}"')] if repl is not None else []
        out.append(ctx.finding(code, a, b, f"{what}: {style} here, but the document mostly uses {target} "
                               f"(first at {tpos}; {summary})", fixes=fixes, style=style, target=target))
    return out


def _quote_repl(prose: str, s: int, e: int, style: str, target: str) -> str | None:
    ch = prose[s]
    if target == "straight":
        return '"' if ch in "“”" else "'"
    prev = prose[s - 1] if s > 0 else " "
    opening = prev in _OPENERS
    if ch == '"':
        return "“" if opening else "”"
    nxt = prose[e] if e < len(prose) else " "
    return "‘" if opening and not nxt.isdigit() else "’"


def _dash_repl(prose: str, s: int, e: int, style: str, target: str) -> str | None:
    return _DASH_REPR[target]


def _fmt(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s


def _number_value(text: str, style: str) -> Decimal | None:
    try:
        if style == "full digits":
            return Decimal(text.replace(",", ""))
        m = _SCALE_WORD.fullmatch(text)
        if m:
            return Decimal(m.group(1)) * _SCALES[m.group(2)]
        m = re.fullmatch(r"(\d{1,3}(?:\.\d+)?)(M|bn|mn|tn|m|b|B|T)", text)
        if m:
            return Decimal(m.group(1)) * _SCALES[_ABBR[m.group(2)]]
    except InvalidOperation:
        return None
    return None


def _number_repl(prose: str, s: int, e: int, style: str, target: str) -> str | None:
    value = _number_value(prose[s:e], style)
    if value is None:
        return None
    if target == "full digits":
        if value != value.to_integral_value():
            return None
        return f"{int(value):,}"
    for name in ("trillion", "billion", "million"):
        scaled = value / _SCALES[name]
        if scaled >= 1:
            if len(_fmt(scaled).replace(".", "")) > 4:
                return None  # 20,300,001 has no short form
            short = {"million": "M", "billion": "bn", "trillion": "tn"}[name]
            return f"{_fmt(scaled)} {name}" if target == "word scale" else f"{_fmt(scaled)}{short}"
    return None


def _pct_repl(prose: str, s: int, e: int, style: str, target: str) -> str | None:
    num = re.match(r"\d+(?:\.\d+)?", prose[s:e])
    if num is None:
        return None
    return f"{num.group(0)}%" if target == "%" else f"{num.group(0)} {target}"


def _us_repl(prose: str, s: int, e: int, style: str, target: str) -> str | None:
    text = prose[s:e]
    dotted = "." in text
    letters = text.replace(".", "")
    if dotted:  # U.S. -> US: the last full stop may also end the sentence
        rest = prose[e:e + 3]
        if e >= len(prose) or rest[:1] in "\n" or re.match(r"\s+[A-Z]", rest):
            return None
        return letters
    if e < len(prose) and prose[e] == ".":
        return ".".join(letters) + ""  # "US." -> "U.S" + the existing full stop
    return ".".join(letters) + "."


_REPLACE: dict[str, Callable[[str, int, int, str, str], str | None]] = {
    "CN401": _quote_repl, "CN402": _dash_repl, "CN403": _number_repl, "CN404": _pct_repl, "CN405": _us_repl,
}


def _caps_context(prose: str, s: int, e: int) -> bool:
    """Inside an all-capitals run (CONTACT US)?"""
    before = prose[max(0, s - 12):s].split()
    after = prose[e:e + 12].split()
    near = [w for w in (before[-1:] + after[:1]) if any(c.isalpha() for c in w)]
    return bool(near) and all(w.upper() == w for w in near)


def dashes(prose: str) -> list[tuple[int, int, str]]:
    """(start, end, style) of the dashes used as punctuation between words, in order. The
    matches of the patterns never overlap (a spaced dash starts with a space and is neither
    preceded nor followed by a dash; a closed one has letters on both sides), so the union of
    their matches, sorted, is what one pattern of all of them finds."""
    hits: list[tuple[int, int, str]] = []
    for dash, pattern in _DASH_SPACED:
        if dash in prose:
            hits += [(m.start(), m.end(), _DASH_STYLE[m.group(1)]) for m in pattern.finditer(prose)]
    for dash, pattern in _DASH_CLOSED:
        if dash in prose:
            style = "em dash closed" if dash == "—" else "double hyphen"
            hits += [(m.start(), m.end(), style) for m in pattern.finditer(prose)]
    hits.sort()
    return hits


def _numbers_before(pattern: re.Pattern[str], prose: str, tails: Iterator[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(prose)`` for _PCT_SIGN, _PCT_WORD and _SCALE_WORD, without
    scanning every digit of the text: each of their matches is a run of decimal digits
    (``\\d`` is ``str.isdecimal``) and full stops, then a literal tail. ``tails`` gives,
    in order, (a, z) for each place the tail may be: the offset right after the number
    and the end of the tail plus one character (what a closing ``\\b`` looks at). Only
    the run of digits and full stops that ends at a is searched, up to z: no match
    starts before it (that would hold another character), or ends elsewhere (the tail
    is at a). The runs of two tails are disjoint (a run holds no tail) and a match ends
    before the next run starts, so the matches come in the order, and are the ones,
    a scan of the whole text finds (a test compares them)."""
    for a, z in tails:
        w = a
        while w and (prose[w - 1].isdecimal() or prose[w - 1] == "."):
            w -= 1
        if w < a:
            yield from pattern.finditer(prose, w, z)


def _pct_sign_tails(prose: str) -> Iterator[tuple[int, int]]:
    """_numbers_before's tails for _PCT_SIGN: each % (after one space or none)."""
    for q in char_positions(prose, "%"):
        yield (q - 1 if q and prose[q - 1] == " " else q), q + 1


def _word_tails(prose: str, core: str, words: tuple[str, ...]) -> Iterator[tuple[int, int]]:
    """_numbers_before's tails for " " + one of ``words``, found where ``core`` (a part of
    each word) is."""
    n = len(prose)
    i = prose.find(core)
    while i >= 0:
        for word in words:
            a = i - 1 - word.find(core)  # the space before the word
            if a >= 0 and prose[a] == " " and prose.startswith(word, a + 1):
                yield a, min(n, a + 1 + len(word) + 1)
                break
        i = prose.find(core, i + 1)


def pct_sign_matches(prose: str) -> Iterator[re.Match[str]]:
    """``_PCT_SIGN.finditer(prose)``, found from each %."""
    return _numbers_before(_PCT_SIGN, prose, _pct_sign_tails(prose))


def pct_word_matches(prose: str) -> Iterator[re.Match[str]]:
    """``_PCT_WORD.finditer(prose)``, found from each "per"."""
    return _numbers_before(_PCT_WORD, prose, _word_tails(prose, "per", ("percent", "per cent")))


def scale_word_matches(prose: str) -> Iterator[re.Match[str]]:
    """``_SCALE_WORD.finditer(prose)``, found from each "illion"."""
    return _numbers_before(_SCALE_WORD, prose, _word_tails(prose, "illion", ("million", "billion", "trillion")))


def typography(doc: Document, ctx: CheckContext, pos: Pos) -> list[Finding]:
    """Each check needs two styles in the document to report anything, so a cheap substring
    test first skips the checks (and the regular expression scans) that cannot find two."""
    prose = doc.prose
    out: list[Finding] = []
    if ctx.enabled("CN401") and ("'" in prose or '"' in prose) and any(c in prose for c in "‘’“”"):
        hits = []
        for m in _QUOTES.finditer(prose):
            ch = m.group(0)
            if ch in "'\"" and m.start() > 0 and prose[m.start() - 1].isdigit():
                continue  # 5'10", 12" : primes, not quotes
            hits.append((m.start(), m.end(), "straight" if ch in "'\"" else "curly", None))
        out += _report(doc, ctx, "CN401", hits, "quotation marks mixed", pos)
    # Without an em dash, an en dash or a double hyphen only the spaced hyphen is left.
    if ctx.enabled("CN402") and ("—" in prose or "–" in prose or "--" in prose):
        hits = [(s, e, style, None) for s, e, style in dashes(prose)]
        out += _report(doc, ctx, "CN402", hits, "dash styles mixed", pos)
    if ctx.enabled("CN403"):
        hits = []
        if "illion" in prose:
            for m in scale_word_matches(prose):
                hits.append((m.start(), m.end(), "word scale", None))
        if _FULL_HINT.search(prose):
            for m in _FULL.finditer(prose):
                hits.append((m.start(), m.end(), "full digits", None))
        if hits:  # else the abbreviated scale would be the only style
            for m in _SCALE_ABBR.finditer(prose):
                hits.append((m.start(), m.end(), "abbreviated scale", None))
            hits.sort()
            out += _report(doc, ctx, "CN403", hits, "number styles mixed", pos)
    # Two of "%", "percent" and "per cent" are needed (without "%", both words).
    if ctx.enabled("CN404") and (("percent" in prose or "per cent" in prose) if "%" in prose
                                 else ("per cent" in prose and "percent" in prose)):
        hits = [(m.start(), m.end(), "%", None) for m in pct_sign_matches(prose)]
        hits += [(m.start(), m.end(), m.group(2), None) for m in pct_word_matches(prose)]
        hits.sort()
        out += _report(doc, ctx, "CN404", hits, "percent styles mixed", pos)
    # Dotted and undotted forms of one country's abbreviation are needed.
    if ctx.enabled("CN405") and "U." in prose and (("U.S." in prose and "US" in prose)
                                                   or ("U.K." in prose and "UK" in prose)):
        hits = []
        for m in _US.finditer(prose):
            t = m.group(1)
            if "." not in t and _caps_context(prose, m.start(), m.end()):
                continue
            country = t.replace(".", "")[:2]
            hits.append((m.start(), m.end(), ("dotted " if "." in t else "undotted ") + country, None))
        for country in ("US", "UK"):
            ch = [h for h in hits if h[2].endswith(country)]
            out += _report(doc, ctx, "CN405", ch, f"{country} abbreviation styles mixed", pos)
    return out
