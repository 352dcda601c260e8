"""The document model: projection and offset map, paragraphs, sentences, positions."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lintkit.document.model import COPY, LineIndex, Source, Word
from lintkit.document.readers import read_markdown, read_text
from lintkit.document.segment import split_sentences


def md(text: str):  # type: ignore[no-untyped-def]
    return read_markdown(Source("t.md", text, "markdown"))


def sentences(text: str) -> list[str]:
    doc = read_text(Source("t.txt", text, "text"))
    return [s.text for s in doc.sentences]


def check_map(doc) -> None:  # type: ignore[no-untyped-def]
    """Every COPY character of the projection equals its source character, and every
    projection offset maps inside the source, in order."""
    src = doc.text
    last = 0
    for pstart, sstart, length, kind, slen in doc.offsets.runs():
        assert 0 <= sstart and sstart + slen <= len(src)
        assert sstart >= last
        last = sstart
        if kind == COPY:
            assert doc.prose[pstart:pstart + length] == src[sstart:sstart + length]
            for i in range(length):
                assert doc.offsets.to_source(pstart + i) == sstart + i


# Building blocks of generated Markdown.
WORDS = st.sampled_from(["alpha", "Beta", "gamma’s", "U.S.", "e.g.", "3.14", "😀", "naïve", "x", "Dr.",
                         "*em*", "**strong**", "`code`", "``a`b``", "[link](http://x.y/z)", "<b>html</b>",
                         "&amp;", "\\*", "https://example.com/a", "~~gone~~", "![img](p.png)", "end."])
LINE = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)
BLOCK = st.one_of(
    LINE,
    LINE.map(lambda s: "# " + s),
    LINE.map(lambda s: "> " + s),
    LINE.map(lambda s: "- " + s),
    LINE.map(lambda s: "1. " + s),
    st.tuples(LINE, LINE).map(lambda t: f"{t[0]}\n{t[1]}"),
    st.tuples(LINE, LINE).map(lambda t: f"> {t[0]}\n> {t[1]}"),
    st.tuples(LINE, LINE).map(lambda t: f"- {t[0]}\n  {t[1]}"),
    LINE.map(lambda s: f"```\n{s}\n```"),
    LINE.map(lambda s: "    " + s),
    st.tuples(LINE, LINE).map(lambda t: f"| {t[0]} | {t[1]} |\n|---|---|\n| {t[1]} | {t[0]} |"),
    st.just("<!-- lintkit-disable CN -->"),
)
DOC = st.tuples(st.lists(BLOCK, min_size=1, max_size=6), st.sampled_from(["\n", "\r\n"]), st.booleans()).map(
    lambda t: ("---\ntitle: x\n---\n" if t[2] else "") + "\n\n".join(t[0]).replace("\n", t[1]) + t[1])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC)
def test_projection_maps_back_exactly(text: str) -> None:
    doc = md(text)
    check_map(doc)
    for s in doc.sentences:
        a, b = doc.source_span(s.start, s.end)
        assert 0 <= a <= b <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300))
def test_plain_text_projection_maps_back(text: str) -> None:
    check_map(read_text(Source("t.txt", text, "text")))


def test_markdown_projection_content() -> None:
    doc = md("---\nx: 1\n---\n# Title\n\nSee `code` and [the docs](http://a.b/c), **now**.\n\n"
             "```\nfenced\n```\n\n<div>html</div>\n\n| a | b |\n|---|---|\n| c | d |\n")
    assert doc.prose == "Title\n\nSee Dummy0 and the docs, now.\n\na\n\nb\n\nc\n\nd"
    assert [p.kind for p in doc.paragraphs] == ["heading", "paragraph", "table_cell", "table_cell",
                                               "table_cell", "table_cell"]
    see = doc.paragraphs[1].sentences[0]
    a, b = doc.source_span(see.start, see.end)
    assert doc.text[a:b] == "See `code` and [the docs](http://a.b/c), **now**."
    dummy = [w for w in see.words if w.placeholder]
    assert [w.text for w in dummy] == ["Dummy0"]
    assert doc.text[slice(*doc.source_span(dummy[0].start, dummy[0].end))] == "`code`"
    assert (doc.text[doc.url_spans[0][0]:doc.url_spans[0][1]]) == "http://a.b/c"


@pytest.mark.parametrize("text, prose", [
    ("See <https://x.org/a> and then [the docs](http://y) for more.\n", "See Dummy0 and then the docs for more."),
    ("Mail <a@b.org> or see <https://x.org/> and [the docs](http://y) now.\n",
     "Mail Dummy0 or see Dummy1 and the docs now."),
    ("See <https://x.org/a> and then more words here.\n", "See Dummy0 and then more words here."),
])
def test_autolink_then_link_keeps_the_text_between(text: str, prose: str) -> None:
    # An autolink's end is its ">": the text up to a later link's "]" is prose.
    doc = md(text)
    assert doc.prose == prose
    check_map(doc)
    s = doc.prose.index("and then" if "then" in prose else "or see")
    a, _ = doc.source_span(s, s + 1)
    assert doc.text[a:a + 3] == doc.prose[s:s + 3]


def test_crlf_and_emoji_positions() -> None:
    text = "First line.\r\n\r\n😀 Second 👍🏽 para\r\ngraph word.\r\n"
    doc = md(text)
    word = next(w for w in doc.words if w.text == "word")
    start, _ = doc.source_span(word.start, word.end)
    assert doc.position(start) == (4, 7)
    emoji_para = next(w for w in doc.words if w.text == "para")
    start, _ = doc.source_span(emoji_para.start, emoji_para.end)
    assert doc.position(start) == (3, 13)
    assert doc.position(start, utf16=True) == (3, 16)


@pytest.mark.parametrize("text, prose, words", [
    # An escape or an entity is the one character it stands for, mapped to its whole span.
    ("\\*Note\\*: a &amp; b.\n", "*Note*: a & b.", [("*", "\\*"), ("&", "&amp;"), ("Note", "Note")]),
    # The parser splits text where markup might start ("~" here); a URL stays one placeholder.
    ("See http://www.x.edu/~dreyer/p.pdf for it.\n", "See Dummy0 for it.",
     [("Dummy0", "http://www.x.edu/~dreyer/p.pdf")]),
    ("| a \\| b | c |\n|---|---|\n| d | e |\n", "a | b\n\nc\n\nd\n\ne", [("|", "\\|")]),
    # GFM strikethrough with one or two tildes: the text is prose, the tildes are not.
    ("It is ~gone~ and ~~away~~ now.\n", "It is gone and away now.", [("gone", "gone"), ("away", "away")]),
    # A reference-style image is left out up to its own end, not up to a later "](".
    ("![Done][] ([RFC #1](http://x)) next\n\n[Done]: i.png\n", " (RFC #1) next", [("RFC", "RFC")]),
    # An unclosed bracket before a lone backtick (the Rust markdown-it port panics here).
    ("[a `b\n", "[a `b", [("b", "b")]),
    # The parser counts UTF-8 bytes; positions are characters.
    ("Café 😀 *naïve* wörd.\n", "Café 😀 naïve wörd.", [("naïve", "naïve"), ("wörd", "wörd")]),
])
def test_markdown_reader_cases(text: str, prose: str, words: list[tuple[str, str]]) -> None:
    doc = md(text)
    assert doc.prose == prose
    check_map(doc)
    for shown, source in words:
        at = doc.prose.index(shown)
        a, b = doc.source_span(at, at + len(shown))
        assert doc.text[a:b] == source


def test_an_image_alone_still_ends_the_block_before_it() -> None:
    doc = md("a\n\n![only](i.png)\n\nb\n")
    assert doc.prose == "a\n\n\n\nb"
    assert [(p.kind, doc.text[slice(*doc.source_span(p.start, p.end))]) for p in doc.paragraphs] == [
        ("paragraph", "a"), ("paragraph", "b")]


def test_line_index_line_endings() -> None:
    idx = LineIndex("a\rb\r\nc\nd")
    assert [idx.position(i) for i in (0, 2, 5, 7)] == [(1, 1), (2, 1), (3, 1), (4, 1)]
    assert idx.offset(3, 1) == 5
    idx = LineIndex("x😀y")
    assert idx.position(2, utf16=True) == (1, 4) and idx.offset(1, 4, utf16=True) == 2


@pytest.mark.parametrize(("text", "expected"), [
    ("Mr. Smith went to Washington. He stayed.", ["Mr. Smith went to Washington.", "He stayed."]),
    ("The U.S. economy grew. It was 3.5 percent.", ["The U.S. economy grew.", "It was 3.5 percent."]),
    ("J. R. R. Tolkien wrote it. Others read it.", ["J. R. R. Tolkien wrote it.", "Others read it."]),
    ("Use tools, e.g. a linter. Then ship.", ["Use tools, e.g. a linter.", "Then ship."]),
    ("He paused... and went on. Then he left… Finally!", ["He paused... and went on.", "Then he left…",
                                                          "Finally!"]),
    ("She said “Stop.” Then she left.", ["She said “Stop.”", "Then she left."]),
    ("Is it true? I don’t think so, at least for now…", ["Is it true?", "I don’t think so, at least for now…"]),
    ("It moved to the U.S. The next day it rained.", ["It moved to the U.S.", "The next day it rained."]),
    ("Version 2.0 ships (see section 3.1). Done.", ["Version 2.0 ships (see section 3.1).", "Done."]),
    ("Prices rose (about 4%.) Buyers waited.", ["Prices rose (about 4%.)", "Buyers waited."]),
])
def test_sentence_splitting(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_paragraphs_follow_blank_lines() -> None:
    doc = read_text(Source("t.txt", "One.\nStill one.\n\n  \nTwo.\r\n\r\nThree.", "text"))
    assert [doc.prose[p.start:p.end] for p in doc.paragraphs] == ["One.\nStill one.", "Two.", "Three."]


def test_split_sentences_offsets_are_within_bounds() -> None:
    text = "xx A first. A second!  "
    spans = split_sentences(text, 3, len(text))
    assert [text[a:b] for a, b in spans] == ["A first.", "A second!"]


def test_seed_sentences_start_where_expected(seed_path) -> None:  # type: ignore[no-untyped-def]
    text = seed_path.read_text(encoding="utf-8")
    doc = read_text(Source(str(seed_path), text, "text"))
    starts = {doc.position(doc.source_span(s.start, s.end)[0]) for s in doc.sentences}
    for pos in [(8, 1), (8, 148), (10, 1), (12, 1), (12, 216), (12, 290), (16, 159), (16, 219), (16, 274),
                (18, 346), (18, 403), (18, 446), (20, 70), (20, 421), (6, 126)]:
        assert pos in starts


# Fast paths must equal the general code they stand in for.
_PIECES = ["doi:", "10.", "1234", "/", "x", "@", "a.b", "http://", "www.", " ", "\n", "\n\n", "\r\n", "\r", ".",
           ")", "\t", "é", "e\u0301", "_", "-", "’", "'", ",", "ftp://", "doi: ", "doi:\n", "Ab9", "\u2028"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=16).map("".join))
def test_fast_paths_equal_the_general_code(text: str) -> None:
    import re

    from lintkit.document import model
    from lintkit.document.readers import URL, _url_spans

    assert _url_spans(text) == [(m.start(), m.end()) for m in URL.finditer(text)]
    assert LineIndex(text).starts == [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    if text.isascii():
        spans = [m.span() for m in model._unicode_word().finditer(text)]
        assert [m.span() for m in model._ASCII_WORD.finditer(text)] == spans
        assert [(w.start, w.end) for w in model.words_in(text, 0, len(text))] == spans


def test_sentence_words_are_found_on_first_use_and_kept() -> None:
    from lintkit.document.model import Sentence, Source
    from lintkit.engine import Engine, Overrides

    doc = Engine(Overrides(isolated=True)).document(Source("w.md", "Naïve café, `x` done.\n\nPlain words here.\n",
                                                           "markdown"))
    s0, s1 = doc.sentences
    # Nobody asked yet: not even the sentence with a placeholder (inline code) has words;
    # it knows where the placeholders are, and marks its words when they are found.
    assert s0._words is None and s1._words is None
    assert s0.placeholders is not None and s1.placeholders is None
    words = s1.words
    assert [w.text for w in words] == ["Plain", "words", "here"] and s1.words is words
    assert [(w.text, w.placeholder) for w in s0.words] == [("Naïve", False), ("café", False), ("Dummy0", True),
                                                             ("done", False)]
    assert Sentence(0, 5, "Hello").words == []  # no prose, no words given: none


# Faster forms of the document model's steps, each against the plain code it replaces.
_TEXT = st.lists(st.sampled_from(_PIECES + ["A", "Mr.", "U.S.", " Senate", "e.g.", "...", "…", "?", "!", "\"", ")",
                                            "Ünï", "😀", "It", "J.", "doi://", "wwww.", "doi:10.1/x"]),
                 max_size=24).map("".join)


def _may_hold_url(text: str, start: int, end: int) -> bool:
    """The plain check: one of the literals every URL match holds is in text[start:end]."""
    find = text.find
    return find("://", start, end) >= 0 or find("@", start, end) >= 0 or find("www.", start, end) >= 0 \
        or find("doi:", start, end) >= 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "\n", "\r", "\r\n", "\0", "é", "😀"]), max_size=16).map("".join))
def test_norm_equals_the_plain_normalisation(text: str) -> None:
    # _Norm skips the CRLF work for a text without "\r": the same result as doing it.
    import re

    from lintkit.document.readers import _Norm

    norm = _Norm(text)
    crlf = [m.start() for m in re.finditer("\r\n", text)]
    assert norm.crlf == crlf
    assert norm.npos == [s - i for i, s in enumerate(crlf)]
    assert norm.text == text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    assert [norm.src(i) for i in range(len(norm.text) + 1)] == \
        [i + sum(1 for p in norm.npos if p <= i - 1) for i in range(len(norm.text) + 1)]


def _token_before_plain(text: str, end: int, start: int = 0) -> str:
    """The plain scan back: characters before ``end`` up to whitespace or an opening
    bracket or quote (a final newline before ``end`` skipped, as "$" does)."""
    if end > start and text[end - 1] == "\n":
        end -= 1
    i = end
    while i > start and not text[i - 1].isspace() and text[i - 1] not in "(\"“‘'[":
        i -= 1
    return text[i:end]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "B", ".", "e.g", " ", "\n", "\t", "\u00a0", "\u2003", "\x1c", "\x85", "(", "[",
                                 "\"", "“", "‘", "'", "”", "x" * 40]), max_size=12).map("".join), st.data())
def test_token_before_equals_the_plain_scan(text: str, data: st.DataObject) -> None:
    from lintkit.document.segment import _token_before

    for _ in range(8):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(0, len(text)))
        assert _token_before(text, end, start) == _token_before_plain(text, end, start)


def test_placeholder_words_count_up() -> None:
    from itertools import islice

    from lintkit.document.readers import _placeholders

    assert list(islice(_placeholders(), 3)) == ["Dummy0", "Dummy1", "Dummy2"]
    assert next(_placeholders()) == "Dummy0"  # each document starts again


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.data())
def test_url_literals_equal_may_hold_url(text: str, data: st.DataObject) -> None:
    from lintkit.document.readers import _UrlLiterals

    lit = _UrlLiterals(text)
    for _ in range(8):
        a = data.draw(st.integers(0, len(text)))
        z = data.draw(st.integers(a, len(text)))
        assert lit.may_hold(a, z) == _may_hold_url(text, a, z)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.data())
def test_words_and_placeholder_marks_equal_the_plain_code(text: str, data: st.DataObject) -> None:
    from lintkit.document import model

    a = data.draw(st.integers(0, len(text)))
    z = data.draw(st.integers(a, len(text)))
    pattern = model._ASCII_WORD if text[a:z].isascii() else model._unicode_word()
    expected = [model.Word(m.start(), m.end(), m.group()) for m in pattern.finditer(text, a, z)]
    assert model.words_in(text, a, z) == expected
    assert model.words_in(text, a, z, text[a:z].isascii(), text[a:z]) == expected
    # Placeholder spans: sorted, disjoint; words starting inside one are marked.
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(text)), max_size=6))))
    starts, ends = cuts[0::2][: len(cuts) // 2], cuts[1::2]
    got = model.words_in(text, a, z)
    marked = model._placeholder_indices([w.start for w in got], a, z, starts, ends)
    model.mark_placeholders(expected, starts, ends)
    assert marked == tuple(i for i, w in enumerate(expected) if w.placeholder)


def _split_reference(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence splitting as first written: the block sliced out, searched by itself."""
    from lintkit.document.segment import _BOUNDARY, _is_break

    chunk = text[start:end]
    spans, cur = [], 0
    for m in _BOUNDARY.finditer(chunk):
        if _is_break(chunk, m):
            spans.append((cur, m.end()))
            cur = m.end()
    spans.append((cur, len(chunk)))
    out = []
    for a, b in spans:
        piece = chunk[a:b]
        a += len(piece) - len(piece.lstrip())
        b -= len(piece) - len(piece.rstrip())
        if a < b:
            out.append((start + a, start + b))
    return out


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.data())
def test_sentences_of_blocks_equal_blocks_split_alone(text: str, data: st.DataObject) -> None:
    from lintkit.document.segment import build_paragraphs

    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=8)))
    blocks = [(a, z, "paragraph") for a, z in zip(cuts[0::2], cuts[1::2], strict=False)]
    expected = [(a, z, _split_reference(text, a, z)) for a, z, _ in blocks]
    assert [(a, z, spans) for a, z, spans in expected] == [(a, z, split_sentences(text, a, z)) for a, z, _ in blocks]
    got = [(p.start, p.end, [(s.start, s.end) for s in p.sentences]) for p in build_paragraphs(text, blocks)]
    assert got == [e for e in expected if e[2]]
    for p in build_paragraphs(text, blocks):
        assert all(s.text == text[s.start:s.end] for s in p.sentences)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, max_size=6))
def test_sentences_of_spaced_blocks_equal_blocks_split_alone(texts: list[str]) -> None:
    # Blocks with space on both sides, as readers build them: their boundary candidates
    # come from one scan of the whole text, and a candidate ending a block is not tested.
    from lintkit.document.segment import build_paragraphs

    text, blocks = "", []
    for t in texts:
        start = len(text)
        text += t + ".\n\n" if len(t) % 2 else t + "\n\n"
        blocks.append((start, len(text) - 2, "paragraph"))
    expected = [(a, z, _split_reference(text, a, z)) for a, z, _ in blocks]
    got = [(p.start, p.end, [(s.start, s.end) for s in p.sentences]) for p in build_paragraphs(text, blocks)]
    assert got == [e for e in expected if e[2]]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 12), st.integers(0, 3)), max_size=20))
def test_builder_runs_equal_offset_map_add(ops: list[tuple[bool, int, int]]) -> None:
    from lintkit.document.build import ProjectionBuilder
    from lintkit.document.model import REPLACED, OffsetMap

    source = "abcdefghijklmnopqrstuvwxyz"
    b = ProjectionBuilder(source)
    ref, length, pos = OffsetMap(), 0, 0
    for is_copy, n, skip in ops:
        s = min(pos + skip, len(source))
        e = min(s + n, len(source))
        if is_copy:
            b.copy(s, e)
            ref.add(length, s, e - s, COPY, e - s)
            length += max(e - s, 0)
        else:
            b.replace("x" * (n % 3), s, e)
            ref.add(length, s, n % 3, REPLACED, e - s)
            length += n % 3
        pos = e
    assert list(b.offsets.runs()) == list(ref.runs()) and b.length == length == len(b.text())


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_byte_offsets_map_to_string_offsets(text: str) -> None:
    from lintkit.document.readers import _Chars

    chars = _Chars(text)
    for i in range(len(text) + 1):
        assert chars(len(text[:i].encode())) == i


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_byte_offset_stretches_map_as_the_offsets_do(text: str) -> None:
    from lintkit.document.readers import _Chars

    chars = _Chars(text)
    n = len(text.encode())
    for i in range(len(text) + 1):  # at each character's byte offset (as the parser reports)
        b = len(text[:i].encode())
        lo, hi, shift = chars.stretch(b)
        assert lo <= b < hi and b - shift == i
        for x in range(lo, min(hi, n + 1)):  # the stretch's other offsets map by its shift too
            assert chars(x) == x - shift


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC)
def test_sentence_words_equal_words_found_alone(text: str) -> None:
    from lintkit.document import model

    doc = md(text)
    for s in doc.sentences:
        pattern = model._ASCII_WORD if s.text.isascii() else model._unicode_word()
        expected = [model.Word(m.start(), m.end(), m.group()) for m in pattern.finditer(doc.prose, s.start, s.end)]
        if s.placeholders is not None:
            model.mark_placeholders(expected, *s.placeholders)
        assert s.words == expected


def _columns_of(words: list[Word]) -> tuple[list[int], list[int], list[str], tuple[int, ...]]:
    return ([w.start for w in words], [w.end for w in words], [w.text for w in words],
            tuple(i for i, w in enumerate(words) if w.placeholder))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC, st.booleans())
def test_word_columns_equal_the_word_list(text: str, columns_first: bool) -> None:
    # Placeholders (inline code, URLs) and non-ASCII words come from DOC; either view may
    # be asked for first, and the Word objects are built from the columns or not at all.
    doc = md(text)
    for s in doc.sentences:
        if columns_first:
            cols = s.word_columns()
            assert s._words is None and s.word_columns() is cols
            assert tuple(cols) == _columns_of(s.words)
        else:
            words = s.words
            assert tuple(s.word_columns()) == _columns_of(words)
    assert doc.word_count() == len(list(doc.words))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=6), st.booleans()), max_size=8))
def test_word_columns_of_a_sentence_built_with_words(spec: list[tuple[str, bool]]) -> None:
    from lintkit.document.model import Sentence

    words, pos = [], 0
    for text, ph in spec:
        words.append(Word(pos, pos + len(text), text, ph))
        pos += len(text) + 1
    s = Sentence(0, pos, " ".join(t for t, _ in spec), words)
    assert tuple(s.word_columns()) == _columns_of(words)
    if words:  # the explicit words stay the truth: a later mark shows in the columns
        words[0].placeholder = True
        assert s.word_columns().placeholders[:1] == (0,)
    assert s.words is words


@pytest.mark.parametrize(("start", "end"), [(0, 99), (-5, 99), (3, 1), (-9, -2), (2, 14)])
def test_split_sentences_outside_the_text_as_the_slice_says(start: int, end: int) -> None:
    text = "Hi there. A dog ran! ok"
    assert split_sentences(text, start, end) == _split_reference(text, start, end)


@pytest.mark.parametrize("text, prose, runs", [
    # A soft break joins the verbatim text around it (one COPY run) but never a URL to the
    # next line: only "doi:" lets a match hold a newline, and that line is copied apart.
    ("See doi:\n10.1000/xyz.a here\nand http://x.org/a\nmore `c`\nthen\n",
     "See doi:\n10.1000/xyz.a here\nand Dummy0\nmore Dummy1\nthen",
     [(0, 0, 32, 0, 32), (32, 32, 6, 1, 14), (38, 46, 6, 0, 6), (44, 52, 6, 1, 3), (50, 55, 5, 0, 5)]),
    ("> See doi:\n> 10.1000/xyz.a here and\n> http://x.org/a\n> more\n",
     "See doi:\n10.1000/xyz.a here and\nDummy0\nmore",
     [(0, 2, 9, 0, 9), (9, 13, 23, 0, 23), (32, 38, 6, 1, 14), (38, 52, 1, 0, 1), (39, 55, 4, 0, 4)]),
    ("A mail a@\nb.org or www.\nx.org\n", "A mail a@\nb.org or www.\nx.org", [(0, 0, 29, 0, 29)]),
    ("One  \ntwo\nthree *four*\nfive\\\nsix\n", "One\ntwo\nthree four\nfive\nsix",
     [(0, 0, 3, 0, 3), (3, 5, 1, 1, 1), (4, 6, 10, 0, 10), (14, 17, 4, 0, 4), (18, 22, 5, 0, 5), (23, 28, 1, 1, 1),
      (24, 29, 3, 0, 3)]),
])
def test_soft_breaks_join_the_text_around_them(text: str, prose: str, runs: list[tuple[int, ...]]) -> None:
    doc = md(text)
    assert doc.prose == prose
    assert list(doc.offsets.runs()) == runs
    check_map(doc)
    crlf = md(text.replace("\n", "\r\n"))  # CRLF files take the general path: the same prose
    assert crlf.prose.replace("\r\n", "\n") == prose
    check_map(crlf)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC, st.integers(0, 5))
def test_words_found_together_equal_words_found_alone(text: str, first: int) -> None:
    # The first sentence asked (any of them) finds the words of all from one split of the
    # projection; each must be what the sentence finds alone.
    doc, alone = md(text), md(text)
    for s in alone.sentences:
        s._doc = None  # finds its words by itself
    if doc.sentences:
        doc.sentences[first % len(doc.sentences)].word_columns()
        assert doc._words_found
    assert [tuple(s.word_columns()) for s in doc.sentences] == [tuple(s.word_columns()) for s in alone.sentences]


def test_words_found_together_over_several_runs_of_sentences() -> None:
    from lintkit.document import model

    text = "".join(f"Line {i} has `code{i}` and café, see https://x.org/{i}. Then {i}.5 more.\n\n"
                   for i in range(model._FIND_WORDS_RUN + 100))
    doc, alone = md(text), md(text)
    for s in alone.sentences:
        s._doc = None
    assert len(doc.sentences) > 2 * model._FIND_WORDS_RUN
    assert [tuple(s.word_columns()) for s in doc.sentences] == [tuple(s.word_columns()) for s in alone.sentences]
    assert doc._words_found


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC, st.data())
def test_span_maps_both_ends_as_the_offset_lookups_do(text: str, data: st.DataObject) -> None:
    doc = md(text)
    o = doc.offsets
    n = len(doc.prose)
    for _ in range(10):
        a = data.draw(st.integers(-2, n + 2))
        z = data.draw(st.integers(-2, n + 2))
        start = o.to_source(a)
        end = o.end_to_source(z) if z > a else start
        assert o.span(a, z) == (start, max(start, end))
