"""Built-in document readers: plain text and Markdown (CommonMark + GFM tables)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from itertools import accumulate, count
from operator import index

from lintkit._c import load
from lintkit.document.build import ProjectionBuilder
from lintkit.document.model import Document, LineIndex, Source
from lintkit.document.segment import build_paragraphs
from lintkit.document.suppress import DIRECTIVE, parse_suppressions
from lintkit.errors import InputError

URL = re.compile(
    r"\b(?:https?://|ftp://|www\.)[^\s<>\"'`)\]]+[^\s<>\"'`)\].,;:!?]"
    r"|\bdoi:\s?10\.\d{4,9}/\S+[^\s.,;:)]"
    r"|\b[\w.+-]+@[\w-]+\.[\w.-]+\b"
)
_BLANK_LINES = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)(?:[ \t]*(?:\r\n|\r|\n))*")
# The compiled speed-ups (lintkit/_c/document.c), or None: pure Python.
_C = load("document")
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?(---|\+\+\+)[ \t]*\r?\n.*?^(?:\1|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)


def _placeholders() -> Iterator[str]:
    """The placeholder words of one document, in order: Dummy0, Dummy1, ... (``next`` on
    it runs no Python code)."""
    return map("Dummy{}".format, count())


def _copy_prose(b: ProjectionBuilder, start: int, end: int, ph: Iterator[str], url: _UrlLiterals) -> None:
    """Copy source[start:end] into the projection, with URLs as placeholder words
    (``url``: the literals of ``b.source``)."""
    if not (url.starts and url.may_hold(start, end)):
        b.copy(start, end)
        return
    pos = start
    for m in URL.finditer(b.source, start, end):
        b.copy(pos, m.start())
        b.replace(next(ph), m.start(), m.end(), placeholder=True)
        pos = m.end()
    b.copy(pos, end)


class _UrlLiterals:
    """Where in one text are the literals one of which every ``URL`` match holds ("://",
    "@", "www.", "doi:"): found once (a few occurrences in most files), so that whether a
    span may hold a URL is a bisection (running the pattern costs more)."""

    def __init__(self, text: str) -> None:
        found: list[tuple[int, int]] = []
        find = text.find
        for lit in ("://", "@", "www.", "doi:"):
            i = find(lit)
            while i >= 0:
                found.append((i, i + len(lit)))
                i = find(lit, i + 1)
        found.sort()
        self.starts = [a for a, _ in found]
        self.ends = [z for _, z in found]

    def may_hold(self, start: int, end: int) -> bool:
        starts = self.starts
        i = bisect_left(starts, start)
        n = len(starts)
        while i < n and starts[i] < end:  # literals are at most 4 long: a few steps at most
            if self.ends[i] <= end:
                return True
            i += 1
        return False


_TOKEN_END = re.compile(r"\S*")
_TO_LAST_SPACE = re.compile(r"(?s:.*)\s")


def _url_spans(text: str, literals: _UrlLiterals | None = None) -> list[tuple[int, int]]:
    """Spans of ``URL.finditer(text)``, found by running the pattern only around the
    literals every match holds: a match holds no whitespace but the one that may follow
    "doi:", so it lies inside the run of non-space characters around its literal (joined
    with the next run when the run ends in "doi:" and one space follows). Those windows
    hold the same matches as the whole text: ``\b`` sees the characters before a window,
    and the space after one ends every match as the window's end does."""
    if literals is None:
        literals = _UrlLiterals(text)
    out: list[tuple[int, int]] = []
    n = len(text)
    z = 0  # end of the last window: a space, or the text's start
    for h in literals.starts:
        if h < z:
            continue
        m = _TO_LAST_SPACE.match(text, z, h)
        a = m.end() if m else z
        z = _TOKEN_END.match(text, h).end()
        while z < n and text.endswith("doi:", a, z) and text[z].isspace():
            z = _TOKEN_END.match(text, z + 1).end()
        for m in URL.finditer(text, a, z):
            out.append(m.span())
    return out


def _finish(
    source: Source, b: ProjectionBuilder, skip: list[tuple[int, int]], lines: LineIndex | None = None,
    literals: _UrlLiterals | None = None,
) -> Document:
    """The document; ``lines`` may be given when it indexes ``source.text`` already, and
    ``literals`` when it holds the URL literals of ``source.text``."""
    prose = b.text()
    # Placeholder spans are sorted and disjoint: only the words of a sentence that overlaps
    # one need a look (build_paragraphs gives that sentence the spans).
    spans = ([a for a, _ in b.placeholders], [z for _, z in b.placeholders]) if b.placeholders else None
    paragraphs = build_paragraphs(prose, b.blocks, spans)
    if lines is None or lines.text is not source.text:
        lines = LineIndex(source.text)
    doc = Document(
        source,
        prose,
        b.offsets,
        paragraphs,
        parse_suppressions(source.text, lines, skip),
        _url_spans(source.text, literals)
        + [(m.start(1), m.end(1)) for m in re.finditer(r"\]\(\s*<?([^)\s>]+)", source.text)],
    )
    doc._lines = lines
    doc._find_words_together()
    return doc


def read_text(source: Source) -> Document:
    """Plain text: paragraphs are separated by blank lines; a line holding only a
    suppression comment is not prose."""
    text = source.text
    b = ProjectionBuilder(text)
    ph = _placeholders()
    url = _UrlLiterals(text)
    pos = 0
    for m in [*_BLANK_LINES.finditer(text), None]:
        end = m.start() if m else len(text)
        chunk_start = pos
        # Drop directive lines from the prose.
        for d in DIRECTIVE.finditer(text, pos, end):
            if chunk_start < d.start():
                _block(b, text, chunk_start, d.start(), ph, url)
            chunk_start = d.end()
        if chunk_start < end:
            _block(b, text, chunk_start, end, ph, url)
        pos = m.end() if m else len(text)
    return _finish(source, b, [], None, url)


def _block(b: ProjectionBuilder, text: str, start: int, end: int, ph: Iterator[str], url: _UrlLiterals) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return
    b.begin_block("paragraph", start)
    _copy_prose(b, start, end, ph, url)
    b.end_block()


# Markdown ---------------------------------------------------------------------------
# The parser is pulldown-cmark (through pyromark): CommonMark with GFM tables and
# strikethrough. It reports each event with its UTF-8 byte range in the source; text
# events are verbatim slices of it (escapes and entities aside), so the projection copies
# source spans directly.

BLOCK_NESTING = 100  # nesting depth of block containers (a list level is two: the list and its item)

_options = None


def _events(text: str):  # type: ignore[no-untyped-def]
    global _options
    import pyromark

    if _options is None:
        _options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
    return pyromark.events_with_range(text, options=_options)


# Tags of block elements; every other tag is inline (emphasis, links, images, ...).
_BLOCK_TAGS = frozenset(("Paragraph", "Heading", "BlockQuote", "CodeBlock", "HtmlBlock", "List", "Item",
                         "FootnoteDefinition", "Table", "TableHead", "TableRow", "TableCell", "MetadataBlock",
                         "DefinitionList", "DefinitionListTitle", "DefinitionListDefinition"))
# What a backslash escapes (ASCII punctuation, as CommonMark says).
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Block containers whose depth is limited.
_CONTAINERS = frozenset(("BlockQuote", "List", "Item"))
# The kind of prose inside a block (the innermost one that has a kind decides).
_KIND = {"Heading": "heading", "TableCell": "table_cell", "Item": "list_item", "BlockQuote": "quote"}


class _Norm:
    """The parser reads the text with CRLF/CR as LF (and NUL as U+FFFD, as CommonMark
    asks); this maps offsets in that text back to the source."""

    def __init__(self, text: str) -> None:
        if "\r" not in text:  # (most files) nothing to map
            self.crlf: list[int] = []
            self.npos: list[int] = []
            self.text = text.replace("\0", "\ufffd")
            return
        self.crlf = [m.start() for m in re.finditer("\r\n", text)]
        # normalised position of each removed "\r": the i-th CRLF at source s sits at s - i
        self.npos = [s - i for i, s in enumerate(self.crlf)]
        self.text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")

    def src(self, i: int) -> int:
        return i + bisect_right(self.npos, i - 1) if self.npos else i


# (A first character outside the repeat lets the engine scan for candidates fast.)
_NON_ASCII = re.compile(r"([^\x00-\x7f][^\x00-\x7f]*)")


_NO_END = 1 << 62  # beyond every offset


class _Chars:
    """The parser reports UTF-8 byte offsets; this maps them to string offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        # byte start, char start, byte length, char length of each run of non-ASCII
        self.runs: list[tuple[int, int, int, int]] = []
        self.bstarts: list[int] = []
        if text.isascii():
            return
        # [ASCII, non-ASCII, ..., ASCII] pieces; an ASCII piece is as long in bytes.
        parts = _NON_ASCII.split(text)
        clens = list(map(len, parts))
        blens = clens[:]
        blens[1::2] = map(len, map(str.encode, parts[1::2]))
        cstarts = list(accumulate(clens, initial=0))[1:-1:2]
        self.bstarts = list(accumulate(blens, initial=0))[1:-1:2]
        self.runs = list(zip(self.bstarts, cstarts, blens[1::2], clens[1::2], strict=True))

    def stretch(self, b: int) -> tuple[int, int, int]:
        """``(lo, hi, shift)`` with ``lo <= b < hi``: every byte offset in ``[lo, hi)`` maps
        to itself minus ``shift`` (a run of ASCII characters, with the start of the next
        non-ASCII run; ``b`` alone inside a non-ASCII run)."""
        starts = self.bstarts
        i = bisect_right(starts, b) - 1
        if i < 0:
            return 0, (starts[0] + 1 if starts else _NO_END), 0
        bs, cs, blen, clen = self.runs[i]
        if b < bs + blen:
            return b, b + 1, b - self(b)
        end = bs + blen  # the ASCII text after run i
        return end, (starts[i + 1] + 1 if i + 1 < len(starts) else _NO_END), end - cs - clen

    def __call__(self, b: int) -> int:
        if not self.bstarts:
            return b
        i = bisect_right(self.bstarts, b) - 1
        if i < 0:
            return b
        bs, cs, blen, clen = self.runs[i]
        if b >= bs + blen:
            return cs + clen + (b - bs - blen)
        return cs + len(self.text[cs : cs + clen].encode()[: b - bs].decode("utf-8", "ignore"))


def read_markdown(source: Source) -> Document:
    text = source.text
    norm = _Norm(text)
    ntext = norm.text
    skip: list[tuple[int, int]] = []
    fm = _FRONT_MATTER.match(ntext)
    parse_text = ntext
    if fm:
        skip.append((norm.src(fm.start()), norm.src(fm.end())))
        parse_text = re.sub(r"[^\n]", " ", ntext[: fm.end()]) + ntext[fm.end() :]
    lines = LineIndex(ntext)
    starts = lines.starts + [len(ntext)]
    chars = _Chars(parse_text)
    # chars(b), remembering the stretch of byte offsets around b that map by one shift
    # (:meth:`_Chars.stretch`): the parser reports offsets mostly in order, so most calls
    # are one comparison (a text with a few non-ASCII characters paid a bisection each).
    lo = hi = shift = 0

    def char_at(b: int) -> int:
        nonlocal lo, hi, shift
        if not lo <= b < hi:
            lo, hi, shift = chars.stretch(b)
        return b - shift

    b = ProjectionBuilder(text)
    ph = _placeholders()
    # Maps an offset of the parsed text to the source: the identity, in C, without CR.
    src = norm.src if norm.npos else index
    # Most files are ASCII with LF newlines: byte offsets are then string offsets, and the
    # parsed text's offsets are the source's; the loop below skips both mappings then.
    same_chars = not chars.bstarts
    same_src = not norm.npos
    url = _UrlLiterals(text)
    if _C is not None:
        # The loop below in C (lintkit/_c/document.c, markdown_events): the same builder
        # calls, skip spans and errors for the same events; both must stay in step.
        def nested(a: int) -> None:
            line = lines.position(a)[0]
            raise InputError(source.path, f"Markdown nested more than {BLOCK_NESTING} levels deep (lists "
                                          f"or block quotes, line {line}); the text inside cannot be checked")

        def url_spans(start: int, end: int) -> list[tuple[int, int]]:
            return [m.span() for m in URL.finditer(text, start, end)]

        _C.markdown_events(_events(parse_text), b, text, ntext, parse_text, norm.npos, chars.runs, url.starts,
                           url.ends, url_spans, lines.starts, skip, _BLOCK_TAGS, _CONTAINERS, _KIND,
                           BLOCK_NESTING, nested)
        return _finish(source, b, skip, lines, url)
    copy = b.copy

    def flush(start: int, end: int) -> int:
        """Copy the pending verbatim text [start, end) of the parsed text; -1 (none pending)."""
        if not same_src:
            start, end = src(start), src(end - 1) + 1
        _copy_prose(b, start, end, ph, url)
        return -1

    kinds = ["paragraph"]  # the kind of prose in each open block
    depth = 0  # open block containers
    open_block = False  # a block of prose has begun
    hidden = 0  # inside images (alt text is not prose), code and HTML blocks
    pend_start = pend_end = -1  # verbatim text not copied yet
    last = 0  # end of the last text, code, break or HTML event
    for ev, r in _events(parse_text):
        if type(ev) is str:  # SoftBreak, HardBreak, Rule
            if ev == "SoftBreak" and pend_end >= 0 and same_src and not hidden and open_block \
                    and ntext[pend_end] == "\n" and not ntext.endswith("doi:", 0, pend_end):
                # The line's text ends right at its newline: the newline joins the pending
                # verbatim text (as its copy would join the same COPY run), and so can the
                # next line's text. No URL match holds a newline but after "doi:".
                last = pend_end = pend_end + 1
                continue
            if pend_end >= 0:
                pend_end = flush(pend_start, pend_end)
            if hidden or ev == "Rule":
                continue
            a = r["start"] if same_chars else char_at(r["start"])
            k = ntext.find("\n", a)
            if k < 0 or not open_block:
                continue
            last = k + 1
            if same_src:
                s, e = k, k + 1
            else:
                s = src(k)
                e = s + (2 if text.startswith("\r\n", s) else 1)
            if ev == "SoftBreak":
                copy(s, e)
            elif ev == "HardBreak":
                b.replace("\n", s, e)
            continue
        if "Text" in ev:
            if hidden:
                continue
            val = ev["Text"]
            if same_chars:
                a, z = r["start"], r["end"]
            else:
                a, z = char_at(r["start"]), char_at(r["end"])
            escape = a > last and ntext[a - 1] == "\\" and ntext[a] in _ESCAPABLE
            last = z
            if not open_block:
                if val.isspace():
                    continue  # (a table cell holding only a no-break space, say)
                b.begin_block(kinds[-1], src(a - 1 if escape else a))
                open_block = True
            if escape and val[0] == ntext[a]:
                # A backslash escape: the parser reports the character alone; the prose
                # character stands for both, as with entities.
                if pend_end >= 0:
                    pend_end = flush(pend_start, pend_end)
                b.replace(val[0], src(a - 1), src(a) + 1)
                a += 1
                val = val[1:]
                if not val:
                    continue
            verbatim = z - a == len(val) and ntext.startswith(val, a)
            if pend_end >= 0 and (pend_end != a or not verbatim):
                pend_end = flush(pend_start, pend_end)
            if verbatim:
                # Copied together with the verbatim text right after it: the parser splits
                # text at every character that might start markup, inside URLs too.
                if pend_end < 0:
                    pend_start = a
                pend_end = z
            elif z > a:
                # An entity ("&amp;"): the character it stands for, mapped to its span.
                # (Any other text that is not a verbatim slice is mapped the same way.)
                b.replace(val, src(a), src(z - 1) + 1)
            continue
        if pend_end >= 0:
            pend_end = flush(pend_start, pend_end)
        # One key per event: "in" tests find it fastest (no items view, no unpacking).
        if "Start" in ev:
            val = ev["Start"]
            tag = val if type(val) is str else next(iter(val))
            if tag not in _BLOCK_TAGS:
                if not open_block and not hidden:
                    b.begin_block(kinds[-1], src(char_at(r["start"])))
                    open_block = True
                if tag == "Image":
                    hidden += 1
                continue
            if open_block:
                b.end_block()
                open_block = False
            if tag in _CONTAINERS:
                if depth >= BLOCK_NESTING - 1 and tag != "List":
                    # Deeper structures are an input error: lintkit does not check half a file.
                    line = lines.position(char_at(r["start"]))[0]
                    raise InputError(source.path, f"Markdown nested more than {BLOCK_NESTING} levels deep (lists "
                                                  f"or block quotes, line {line}); the text inside cannot be checked")
                depth += 1
            if tag == "CodeBlock" or tag == "HtmlBlock":
                hidden += 1
                if tag == "CodeBlock":
                    a, z = char_at(r["start"]), char_at(r["end"])
                    first = lines.position(a)[0] - 1
                    after = lines.position(max(a, z - 1))[0]  # the line after the block
                    skip.append((src(starts[first]), src(starts[min(after, len(starts) - 1)])))
            kinds.append(_KIND.get(tag, kinds[-1]))
        elif "End" in ev:
            val = ev["End"]
            tag = val if type(val) is str else next(iter(val))
            if tag not in _BLOCK_TAGS:
                if tag == "Image":
                    hidden -= 1
                continue
            if open_block:
                b.end_block()
                open_block = False
            if tag in _CONTAINERS:
                depth -= 1
            if tag == "CodeBlock" or tag == "HtmlBlock":
                hidden -= 1
            kinds.pop()
        elif "Code" in ev:
            if hidden:
                continue
            if same_chars:
                a, z = r["start"], r["end"]
            else:
                a, z = char_at(r["start"]), char_at(r["end"])
            last = z
            if not open_block:
                b.begin_block(kinds[-1], src(a))
                open_block = True
            if same_src:
                b.replace(next(ph), a, z, placeholder=True)
            else:
                b.replace(next(ph), src(a), src(z - 1) + 1, placeholder=True)
        elif "InlineHtml" in ev:
            last = char_at(r["end"])
            if not open_block and not hidden:
                b.begin_block(kinds[-1], src(char_at(r["start"])))
                open_block = True
    if pend_end >= 0:
        flush(pend_start, pend_end)
    if open_block:
        b.end_block()
    return _finish(source, b, skip, lines, url)  # lines index ntext, often the source itself


def lintkit_read_document(source: Source) -> Document | None:
    """The document of ``source`` in its format (Markdown or plain text), or None for another
    format. The ``readers`` plugin (lintkit/document/plugin.py) answers the hook with it."""
    if source.format == "markdown":
        return read_markdown(source)
    if source.format == "text":
        return read_text(source)
    return None
