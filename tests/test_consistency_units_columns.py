"""Consistency word index (units.py): the fast scans give what the simple ones give."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lintkit.document.model import Document, Source
from lintkit.document.readers import read_markdown
from lintkit.families.consistency import units
from lintkit.families.consistency.lexicon import norm_key


def md(text: str) -> Document:
    return read_markdown(Source("t.md", text, "markdown"))


# Building blocks of generated Markdown: quotation marks, glue characters, inline code
# (placeholders), possessives, capitals, headings and block quotes.
PIECES = st.sampled_from([
    "alpha", "Beta", "Gamma", "delta’s", "Epsilon's", "NASA", "U.S.", "e.g.", "3.14", "naïve", "x", "Dr.",
    "White", "House", "we", "chat", "WeChat", "Tik", "Tok", "of", "the", "data", "base", "database",
    "“", "”", "\"", "«", "»", "/", "#", "_", "@", "\\", "`code`", "`a b`", "foo_bar", "rust-lang/rfcs#1636",
    "a@b", "-", "—", ",", ".", "(", ")", ":", "'", "’", "\n", "\n\n", "\n\n# ", "\n\n> ", "\n\n- ", " ", "  ",
    "“White House”", "\"Tik Tok\"", "«data base»", "x\"y\"", "\"a", "b\"", "“we", "chat”",
])
# Pieces mostly one space apart, sometimes glued together (a glue character or a quotation
# mark right before or after a word, at the start or end of a sentence).
DOCS = st.lists(st.tuples(PIECES, st.sampled_from([" ", " ", " ", ""])), max_size=80).map(
    lambda parts: "".join(piece + sep for piece, sep in parts))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab/#_@\\“\"«» \n", max_size=60))
def test_char_positions_match_a_character_class(text: str) -> None:
    expected = [m.start() for m in re.finditer(r"[/#_@\\“\"«]", text)]
    assert units.char_positions(text, "/#_@\\“\"«") == expected


def _quote_spans_reference(doc: Document) -> list[tuple[int, int]]:
    """quote_spans as first written: the pattern run over each paragraph."""
    spans: list[tuple[int, int]] = []
    for p in doc.paragraphs:
        if p.kind == "quote":
            spans.append((p.start, p.end))
            continue
        for m in units._QUOTE.finditer(doc.prose, p.start, p.end):
            spans.append((m.start(), m.end()))
    spans.sort()
    return spans


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCS)
def test_quote_spans_match_the_pattern_run_over_each_paragraph(text: str) -> None:
    doc = md(text)
    assert units.quote_spans(doc) == _quote_spans_reference(doc)


def _reference_units(doc: Document, term_keys: frozenset[str], max_words: int) -> dict[str, object]:
    """What Units holds, found word by word: each word is checked for a placeholder, a glue
    character and a quotation; then every pair (and run of up to ``max_words`` words)."""
    quotes = units.quote_spans(doc)
    qstarts = [s for s, _ in quotes]
    prose = doc.prose
    words: list[units.Occ] = []
    keyed: dict[str, list[units.Occ]] = {}
    title_keys: set[str] = set()
    for s in doc.sentences:
        c = s.word_columns()
        heading = doc.paragraphs[s.paragraph].kind == "heading"
        first = True
        prev_end = -2
        prev_f: units._Facts = ("", 0, "", False, False, False)
        for i, (start, wend, text) in enumerate(zip(c.starts, c.ends, c.texts)):
            if i in c.placeholders:
                prev_end = -2
                first = False
                continue
            f = units._FACTS.get(text) or units._facts(text)
            quoted = ((start > 0 and prose[start - 1] in "/#_@\\") or (wend < len(prose) and prose[wend] in "/#_@\\")
                      or units.in_spans(quotes, qstarts, start))
            joined = prev_end == start - 1 and prose[prev_end] == " "
            if joined and prev_f[4] and f[4] and not heading:
                title_keys.add(prev_f[2] + f[2])
            o = (start, wend - f[1], f[0], f[2], first, heading, f[3], quoted, 1, joined)
            words.append(o)
            if f[5] and not quoted:
                keyed.setdefault(f[2], []).append(o)
            first = False
            prev_end = o[1]
            prev_f = f
    keys = {o[units.KEY] for o in words}
    known = keys | title_keys | term_keys
    grams: list[units.Occ] = []
    for i in range(1, len(words)):
        a = words[i - 1]
        key = a[units.KEY]
        caps = a[units.CAPS]
        for n in range(2, max(2, max_words) + 1):
            k = i + n - 2
            if k >= len(words) or not words[k][units.JOINED]:
                break
            z = words[k]
            key += z[units.KEY]
            caps = caps or z[units.CAPS]
            if (key in term_keys or (n == 2 and key in known and a[units.FORM].lower() not in units._STOP
                                     and z[units.FORM].lower() not in units._STOP)):
                grams.append((a[units.START], z[units.END], prose[a[units.START]:z[units.END]], key,
                              a[units.INITIAL], a[units.HEADING], caps, a[units.QUOTED], n, False))
    unsorted: set[str] = set()
    sequences: set[str] = set()
    for o in grams:
        if not o[units.QUOTED] and units._names(o[units.FORM], o[units.KEY], o[units.CAPS]):
            sequences.add(o[units.KEY])
            if o[units.KEY] in keyed:
                unsorted.add(o[units.KEY])
            keyed.setdefault(o[units.KEY], []).append(o)
    return {"quotes": quotes, "words": words, "keyed": list(keyed.items()), "grams": grams,
            "unigram_keys": keys, "forms": {o[units.FORM] for o in words}, "unsorted": unsorted,
            "sequences": sequences}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCS, st.sampled_from([2, 3]))
# a glue character or a quotation mark next to the last or first word of a sentence
@example("White House alpha/\n\nBeta Gamma.", 2)
@example("#alpha beta.\n\n- `code` White House_", 2)
@example("The White “House” we chat\n\n> We Chat", 3)
def test_units_match_the_word_by_word_reference(text: str, max_words: int) -> None:
    doc = md(text)
    term_keys = frozenset({"wechat", "tiktok", "whitehouse", "database", "wechatdatabase"})
    u = units.Units(doc, term_keys, max_words)
    got = {"quotes": u.quotes, "words": u.words, "keyed": list(u.keyed.items()), "grams": u.grams,
           "unigram_keys": u.unigram_keys, "forms": u.forms, "unsorted": u.unsorted, "sequences": u.sequences}
    expected = _reference_units(doc, term_keys, max_words)
    assert got == expected
    # the same types too (flags are bools, not ints)
    assert [tuple(map(type, o)) for o in u.words] == [tuple(map(type, o)) for o in expected["words"]]


Case = tuple[list[int], list[int], list[int], list[tuple[int, int]]]


@st.composite
def _sentence_and_marks(draw: st.DrawFn) -> Case:
    """Word spans in order (gaps of 0-3), glue offsets, and quotation spans (sorted; some
    sharing a start or overlapping), all within [0, 60)."""
    starts: list[int] = []
    ends: list[int] = []
    pos = draw(st.integers(0, 3))
    for _ in range(draw(st.integers(1, 12))):
        length = draw(st.integers(1, 4))
        starts.append(pos)
        ends.append(pos + length)
        pos += length + draw(st.integers(1, 3))
    glue = sorted(draw(st.sets(st.integers(0, 60), max_size=6)))
    quotes = sorted(draw(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 30)), max_size=5)))
    return starts, ends, glue, [(s, s + n) for s, n in quotes]


@settings(max_examples=500, deadline=None)
@given(_sentence_and_marks())
def test_quoted_flags_match_a_word_by_word_test(case: Case) -> None:
    starts, ends, glue, quotes = case
    qstarts = [s for s, _ in quotes]
    expected = [(s - 1 in glue) or (e in glue) or units.in_spans(quotes, qstarts, s) for s, e in zip(starts, ends)]
    assert units.quoted_flags(starts, ends, glue, quotes, qstarts) == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aAbBsSÉß'’.-1", max_size=8))
def test_facts_match_the_possessive_cut_is_caps_and_names(text: str) -> None:
    # the possessive as first written (a word's text without a final 's / ’s, 4+ characters)
    form = text[:-2] if len(text) > 3 and text[-2] in "'’" and text[-1] in "sS" else text
    caps = units.is_caps(form)
    key = norm_key(form)
    expected = (form, len(text) - len(form), key, caps, form[:1].isupper() and not caps,
                units._names(form, key, caps))
    assert units._facts(text) == expected


def test_facts_examples() -> None:
    assert units._facts("Tencent’s") == ("Tencent", 2, "tencent", False, True, True)
    assert units._facts("NASA's") == ("NASA", 2, "nasa", True, False, False)
    assert units._facts("its") == ("its", 0, "its", False, False, True)
    assert units._facts("e.g.") == ("e.g.", 0, "eg", False, False, False)
