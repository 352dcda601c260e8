"""Support: what makes a claim sourced.

Two kinds, because they reach differently:

* *attached* support belongs to one sentence: a named subject with a reporting verb
  ("Reuters reported", "They claimed" with a name in the previous sentence), "according
  to" a named source, an attributed quotation;
* *detached* support may stand after the claim it backs: a URL or DOI, a citation or
  footnote marker (``[1]``, ``[^1]``, ``^1``, ``[@key]``, ``(Author, 2020)``,
  ``(Author et al. 2020)``), or a source sentence ("This figure comes from Sensor Tower.").

A claim in sentence *i* is supported by attached or detached support in *i*, and, by
scope, by detached support in *i + 1* (``next-sentence``, the default) or by any support in
its paragraph (``paragraph``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lintkit._c import load
from lintkit.document.model import Document, Sentence
from lintkit.families.claims.lexicon import Lexicon, normalise

# Citation and footnote markers, matched on the SOURCE text of a sentence (Markdown keeps
# them as literal text; footnote syntax may be dropped from the projection).
CITATION = re.compile(
    r"\[\d+(?:\s*[,–-]\s*\d+)*\]"                      # [1], [1, 2], [1-3]
    r"|\[\^[^\]\s]+\]"                                  # [^1], [^note]
    r"|(?<=[\w.,;:!?)\"'’”])\^\d+\b"                   # ^1 after a word
    r"|[¹²³⁴⁵⁶⁷⁸⁹⁰]+"                                   # superscript digits
    r"|\[-?@[\w:.#$%&+?<>~/-]+"                         # [@key], [-@key]
    r"|(?<![\w@])@[A-Za-z][\w:-]*\d{2,4}[a-z]?\b"       # @smith2020
    r"|\\(?:cite|citep|citet|footnote)\*?\{"            # LaTeX
    r"|\((?:see\s+|e\.g\.,?\s+|cf\.\s+)?[A-Z][\w'’&.-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’&.-]*){0,4}"
    r"(?:\s+(?:et\s+al\.?|and|&)(?:\s+[A-Z][\w'’-]+)?)?,?\s+"
    r"(?:19|20)\d{2}[a-z]?(?:\s*[,:]\s*(?:p+\.\s*)?\d+(?:[-–]\d+)?)?(?:\s*;\s*[^)]{0,80})?\)"  # (Smith, 2020)
    r"|\b[A-Z][\w'’-]+(?:\s+(?:et\s+al\.?|and|&)(?:\s+[A-Z][\w'’-]+)?)?\s+\((?:19|20)\d{2}[a-z]?\)"  # Smith (2020)
    r"|\b(?:doi:\s?10\.\d{4,9}/\S+|10\.\d{4,9}/[^\s\"<>]+|arXiv:\s?\d{4}\.\d{4,5})"
    r"|\bhttps?://\S+|\bwww\.\S+"
    r"|\((?i:see\s+)?(?i:table|figure|fig\.|appendix|supplementary\s+\w+)\s*[A-Z]?\d*[a-z]?\)"  # (see Table 4)
)
# Every match of CITATION holds one of these (a bracket, caret, "@", backslash, opening
# parenthesis or superscript digit; "10." in a DOI, "arXiv:", a URL's "://" or "www."): a
# span without any cannot hold a citation, and is not searched for one (most are not).
# Keep it in step with CITATION (a test checks each of its alternatives).
CITATION_NEEDS = re.compile(r"[\[\^@\\(¹²³⁴⁵⁶⁷⁸⁹⁰]|10\.|arXiv:|://|www\.")
# A sentence that names where the figures of the previous one come from.
SOURCE_SENTENCE = re.compile(
    r"^(?:(?:this|these|that|those|the|our|all|both)\s+(?:\w+\s+)?(?:figures?|numbers?|data|estimates?|"
    r"statistics?|claims?|findings?|results?|surveys?|stud(?:y|ies)|information|quotes?|quotations?|"
    r"numbers?)\s+(?:\w+\s+)?(?:comes?|came|is|are|was|were)\s+(?:taken\s+|sourced\s+|drawn\s+|quoted\s+)?"
    r"(?:from|based\s+on|reported\s+by|published\s+by|according\s+to|provided\s+by|cited\s+in|in)\b"
    r"|(?:source|sources|data|figures|via|see)\s*:)",
    re.I,
)
# Determiners and modifiers skipped after "according to" before the source's name.
_SKIP_AFTER_ACCORDING = frozenset(
    "the a an new recent latest official annual".split()
)
# Words that are capitalised without being names.
_NOT_NAMES = frozenset(
    """i the a an this that these those it he she they we you his her their its our my your
    there here but and or so yet in on at for with as if when while after before since because
    although however therefore then some many most all each every one no not both either neither
    other others another such what which who whom whose where why how today yesterday tomorrow
    now also still even just only recently earlier later meanwhile furthermore moreover
    according last next first second third finally overall instead""".split()
)
_PRONOUNS = frozenset("he she they it we his her their its".split())
# Definite descriptions that refer back to a named source ("the company said").
_ANAPHORA = re.compile(
    r"\b(?:the|this|that|its|their)\s+(?:\w+\s+)?(?:company|firm|group|government|ministry|department|"
    r"agency|administration|organi[sz]ation|institute|university|bank|court|report|study|survey|paper|"
    r"article|authors?|researchers|team|spokes(?:man|woman|person)|official|ceo|president|minister|"
    r"white\s+house|newspaper|magazine|commission|committee|council|office|regulator|startup|giant|"
    r"foundation|charity|network|channel|website|platform|band|club|party)\b",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"[,;:()\"“”—–]|\bthat\b|\bbut\b|\band\b", re.I)
# Reporting verbs that need "that" or a quote after them to report (not "found a shop").
_NEEDS_THAT = frozenset("found finds find showed shows show shown believe believes thinks".split())


@dataclass
class SupportInfo:
    attached: str | None = None  # reason, e.g. "named attribution: 'Reuters reported'"
    detached: str | None = None  # reason, e.g. "citation '[1]'"
    citation: str | None = None  # a citation/URL in the sentence itself (also clears CL102)


def _is_name(word: str, lex: Lexicon) -> bool:
    """A capitalised word that is not a function word or a vague source ("Experts").

    The same at the start of a sentence. (An extra test for a first word, "capitalised
    elsewhere in the document, an acronym, or not a function word", was dropped: it could
    never fail, since every word that reached it was not a function word.)"""
    if not word or not word[0].isupper():
        return False
    low = word.lower().strip("'’")
    return not (low in _NOT_NAMES or lex.has("vague_source", low))


def has_name(sentence: Sentence, lex: Lexicon) -> bool:
    return any(_is_name(w.text, lex) for w in sentence.words if not w.placeholder)


def _window(text: str, end: int) -> int:
    """Start of the subject words before a reporting verb (after the last clause break)."""
    cut = 0
    for m in _CLAUSE_BREAK.finditer(text, 0, end):
        if m.end() < end - 1:
            cut = m.end()
    return cut


_WORD = re.compile(r"[^\W_][\w'’.&-]*")


def attached_support(sentence: Sentence, prev: Sentence | None, lex: Lexicon) -> str | None:
    """A named attribution inside the sentence, or None."""
    text = normalise(sentence.text)
    for a, b, verb, _w in lex.matches("report_verb", text):
        low = verb.lower()
        if low == "according to":
            rest = text[b:].split()
            while rest and (rest[0].lower().strip(",") in _SKIP_AFTER_ACCORDING or rest[0].isdigit()):
                rest = rest[1:]
            head = " ".join(rest[:4])
            if re.match(r"\s*(?:its|their|his|her|our)\s+(?:own\s+)?\w+", text[b:]):
                return f"according to the subject's own source ('{verb} {head}')"
            if rest and rest[0][:1].isupper() and not lex.has("vague_source", rest[0].lower().strip(",.")):
                return f"according to a named source ('{verb} {rest[0].strip(',.')}')"
            if prev is not None and _ANAPHORA.match(text[b:].lstrip()) and has_name(prev, lex):
                return f"according to a source named before ('{verb} {head}')"
            continue
        after = text[b:b + 40].lstrip()
        if low.split()[0] in _NEEDS_THAT and not re.match(r"(?:that\b|:|\"|,)", after):
            continue
        wstart = _window(text, a)
        window = text[wstart:a].strip()
        words = [m.group(0) for m in _WORD.finditer(text, wstart, a)]
        if not words:
            # "..., said Reuters" / "..., says John Smith": the name follows the verb.
            nxt = re.match(r"\s*(?:the\s+)?([A-Z][\w'’&.-]*)", text[b:])
            if nxt and _is_name(nxt.group(1), lex):
                return f"attributed to {nxt.group(1)} ('{verb} {nxt.group(1)}')"
            continue
        if all(lex.has("vague_source", w.lower()) or w.lower() in _NOT_NAMES for w in words):
            # "Experts say", "Many analysts believe": no name; but "They claimed" with a
            # name in the previous sentence refers back to it.
            if words[-1].lower() in _PRONOUNS and prev is not None and has_name(prev, lex):
                return f"attributed to a source named in the previous sentence ('{window} {verb}')"
            continue
        if any(_is_name(w, lex) for w in words):
            return f"named attribution ('{window} {verb}')"
        if _ANAPHORA.search(window) and prev is not None and has_name(prev, lex):
            return f"attributed to a source named before ('{window} {verb}')"
    return None


def citation_in(document: Document, src_start: int, src_end: int) -> str | None:
    """A citation marker, URL or DOI in the source span, or None."""
    if _COMPILED is not None:  # the loop below, in C
        i = _COMPILED.first_span(document.url_spans, src_start, src_end)
        if i >= 0:
            a, b = document.url_spans[i]
            return f"link '{document.text[a:b][:40]}'"
    else:
        for a, b in document.url_spans:
            if src_start <= a < src_end:
                return f"link '{document.text[a:b][:40]}'"
    text = document.text
    m = CITATION.search(text, src_start, src_end) if CITATION_NEEDS.search(text, src_start, src_end) else None
    if m:
        return f"citation '{m.group(0)[:40]}'"
    return None


# The compiled loops (lintkit/_c/claims.c), or None: where they are used, the pure-Python
# code next to the call is the reference, and both must give the same result.
_COMPILED = load("claims")

_ACCORDING_OPENER = re.compile(r"^according\s+to\s+(?:the\s+|a\s+|an\s+)?(?:\d{4}\s+)?[A-Z]", re.I)


def source_sentence(sentence: Sentence) -> bool:
    """A sentence that names where the figures before it come from: "This figure comes
    from Sensor Tower.", "Source: ...", or one that opens with "According to <Name>,"."""
    text = normalise(sentence.text).strip()
    m = _ACCORDING_OPENER.match(text)
    if m and text[m.end() - 1].isupper():
        return True
    if not SOURCE_SENTENCE.match(text):
        return False
    rest = text[12:]
    return bool(re.search(r"[A-Z]|\b(?:19|20)\d{2}\b", rest))
