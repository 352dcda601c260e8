"""Built-in document readers: plain text and Markdown (CommonMark + GFM tables)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from lintkit.document.build import ProjectionBuilder
from lintkit.document.model import Document, LineIndex, Source
from lintkit.document.segment import build_paragraphs
from lintkit.document.suppress import DIRECTIVE, parse_suppressions
from lintkit.errors import InputError
from lintkit.hookspecs import hookimpl

URL = re.compile(
    r"\b(?:https?://|ftp://|www\.)[^\s<>\"'`)\]]+[^\s<>\"'`)\].,;:!?]"
    r"|\bdoi:\s?10\.\d{4,9}/\S+[^\s.,;:)]"
    r"|\b[\w.+-]+@[\w-]+\.[\w.-]+\b"
)
_BLANK_LINES = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)(?:[ \t]*(?:\r\n|\r|\n))*")
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?(---|\+\+\+)[ \t]*\r?\n.*?^(?:\1|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)


class _Placeholders:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> str:
        word = f"Dummy{self.n}"
        self.n += 1
        return word


def _copy_prose(b: ProjectionBuilder, start: int, end: int, ph: _Placeholders, urls: bool = True) -> None:
    """Copy source[start:end] into the projection, with URLs as placeholder words;
    ``urls=False`` says the caller knows there is no URL there."""
    if not urls or not _may_hold_url(b.source, start, end):
        b.copy(start, end)
        return
    pos = start
    for m in URL.finditer(b.source, start, end):
        b.copy(pos, m.start())
        b.replace(ph.next(), m.start(), m.end(), placeholder=True)
        pos = m.end()
    b.copy(pos, end)


def _may_hold_url(text: str, start: int, end: int) -> bool:
    """False when ``URL`` cannot match in ``text[start:end]``: every match holds one of
    these literals (a few substring searches cost less than running the pattern)."""
    find = text.find
    return find("://", start, end) >= 0 or find("@", start, end) >= 0 or find("www.", start, end) >= 0 \
        or find("doi:", start, end) >= 0


def _url_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``URL.finditer(text)``. No match holds two whitespace characters in a row
    or starts or ends with one, so the pattern runs on each blank-line separated chunk by
    itself, and only on chunks that may hold a URL (the same matches, found faster)."""
    out: list[tuple[int, int]] = []
    n = len(text)
    a = 0
    while a < n:
        z = text.find("\n\n", a)
        if z < 0:
            z = n
        if _may_hold_url(text, a, z):
            out.extend((m.start(), m.end()) for m in URL.finditer(text, a, z))
        a = z + 2
    return out


def _finish(
    source: Source, b: ProjectionBuilder, skip: list[tuple[int, int]], lines: LineIndex | None = None
) -> Document:
    """The document; ``lines`` may be given when it indexes ``source.text`` already."""
    prose = b.text()
    paragraphs = build_paragraphs(prose, b.blocks)
    if b.placeholders:
        # Placeholder spans are sorted and disjoint: only the words of a sentence that
        # overlaps one need a look.
        starts = [a for a, _ in b.placeholders]
        ends = [z for _, z in b.placeholders]
        for p in paragraphs:
            for s in p.sentences:
                i = bisect_right(ends, s.start)  # first placeholder ending after s.start
                if i == len(ends) or starts[i] >= s.end:
                    continue
                for w in s.words:
                    i = bisect_right(starts, w.start) - 1
                    if i >= 0 and w.start < ends[i]:
                        w.placeholder = True
    if lines is None or lines.text is not source.text:
        lines = LineIndex(source.text)
    doc = Document(
        source,
        prose,
        b.offsets,
        paragraphs,
        parse_suppressions(source.text, lines, skip),
        _url_spans(source.text)
        + [(m.start(1), m.end(1)) for m in re.finditer(r"\]\(\s*<?([^)\s>]+)", source.text)],
    )
    doc._lines = lines
    return doc


def read_text(source: Source) -> Document:
    """Plain text: paragraphs are separated by blank lines; a line holding only a
    suppression comment is not prose."""
    text = source.text
    b = ProjectionBuilder(text)
    ph = _Placeholders()
    pos = 0
    for m in [*_BLANK_LINES.finditer(text), None]:
        end = m.start() if m else len(text)
        chunk_start = pos
        # Drop directive lines from the prose.
        for d in DIRECTIVE.finditer(text, pos, end):
            if chunk_start < d.start():
                _block(b, text, chunk_start, d.start(), ph)
            chunk_start = d.end()
        if chunk_start < end:
            _block(b, text, chunk_start, end, ph)
        pos = m.end() if m else len(text)
    return _finish(source, b, [])


def _block(b: ProjectionBuilder, text: str, start: int, end: int, ph: _Placeholders) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return
    b.begin_block("paragraph", start)
    _copy_prose(b, start, end, ph)
    b.end_block()


# Markdown ---------------------------------------------------------------------------

_md = None


def _parser():  # type: ignore[no-untyped-def]
    global _md
    if _md is None:
        from markdown_it import MarkdownIt
        from markdown_it.rules_core import block as core_block

        md = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
        md.disable("text_join")

        def deep_block(state):  # type: ignore[no-untyped-def]
            # The CommonMark preset caps nesting at 20 tokens for blocks and inlines alike:
            # text inside a list 10 levels deep would vanish unchecked. Blocks get a higher
            # cap (cheap, no recursion trouble); inlines keep 20 (deep bracket runs cost
            # time proportional to the cap). Deeper blocks are an input error (see below).
            opts = state.md.options
            saved = opts["maxNesting"]
            opts["maxNesting"] = BLOCK_NESTING
            try:
                core_block(state)
            finally:
                opts["maxNesting"] = saved

        md.core.ruler.at("block", deep_block)
        _md = md
    return _md


BLOCK_NESTING = 100  # markdown-it block tokens (a list level is two: the list and its item)


class _Norm:
    """markdown-it normalises CRLF/CR to LF; this maps normalised offsets back."""

    def __init__(self, text: str) -> None:
        self.crlf = [m.start() for m in re.finditer("\r\n", text)]
        # normalised position of each removed "\r": the i-th CRLF at source s sits at s - i
        self.npos = [s - i for i, s in enumerate(self.crlf)]
        self.text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")

    def src(self, i: int) -> int:
        return i + bisect_right(self.npos, i - 1) if self.npos else i


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
    b = ProjectionBuilder(text)
    ph = _Placeholders()
    kinds: list[str] = []
    ptr = 0
    tokens = _parser().parse(parse_text)
    for tok in tokens:
        if tok.type in ("blockquote_open", "list_item_open") and tok.level >= BLOCK_NESTING - 1:
            # markdown-it skips everything inside; say so rather than check half a file.
            line = tok.map[0] + 1 if tok.map else 1
            raise InputError(source.path, f"Markdown nested more than {BLOCK_NESTING} levels deep (lists or block "
                                          f"quotes, line {line}); the text inside cannot be checked")
    for tok in tokens:
        t = tok.type
        if t.endswith("_open") and t not in ("paragraph_open",):
            kinds.append(t[:-5])
        elif t.endswith("_close") and t != "paragraph_close" and kinds:
            kinds.pop()
        if t in ("fence", "code_block", "html_block") and tok.map:
            if t != "html_block":  # suppression comments are HTML blocks themselves
                skip.append((norm.src(starts[tok.map[0]]), norm.src(starts[min(tok.map[1], len(starts) - 1)])))
            continue
        if t != "inline" or not tok.map:
            continue
        kind = _kind(kinds)
        region_start = max(ptr, starts[tok.map[0]])
        region_end = starts[min(tok.map[1], len(starts) - 1)]
        content = tok.content
        pos = _align(ntext, content, region_start, region_end)
        if pos is None or not content:
            continue
        ptr = pos[-1] + 1
        b.begin_block(kind, norm.src(pos[0]))
        # One look for a URL in the whole block spares one per run of text in it.
        urls = _may_hold_url(text, norm.src(pos[0]), norm.src(pos[-1]) + 1)
        _inline(b, tok.children or [], content, pos, norm, ph, urls)
        b.end_block()
    return _finish(source, b, skip, lines)  # lines index ntext, often the source itself


def _kind(stack: list[str]) -> str:
    for k in reversed(stack):
        if k.startswith("heading"):
            return "heading"
        if k in ("th", "td"):
            return "table_cell"
        if k == "list_item":
            return "list_item"
        if k == "blockquote":
            return "quote"
    return "paragraph"


def _align(ntext: str, content: str, start: int, end: int) -> Sequence[int] | None:
    """Normalised source offset of every content character (greedy subsequence)."""
    n = len(content)
    if start + n <= end and ntext.startswith(content, start):
        return range(start, start + n)  # the usual case: the source holds it verbatim
    pos: list[int] = []
    p = start
    find = ntext.find
    i = 0
    while i < n:
        # Fast paths, same result as matching one character at a time: content the source
        # repeats verbatim from p is matched as a whole. First the rest of the line (lines
        # of list items and quotes differ only in their indentation and markers), capped,
        # then the longest run in chunks and halves.
        j = content.find("\n", i, i + 4096)
        j = j + 1 if j >= 0 else min(n, i + 4096)
        if p + j - i <= end and ntext.startswith(content[i:j], p):
            pos.extend(range(p, p + j - i))
            p += j - i
            i = j
            continue
        step = 4096
        while step >= 16:
            if p + step <= end and i + step <= n and ntext.startswith(content[i : i + step], p):
                pos.extend(range(p, p + step))
                p += step
                i += step
            else:
                step //= 2
        if i >= n:
            break
        c = content[i]
        if p < end and ntext[p] == c:
            pos.append(p)
            p += 1
            i += 1
            continue
        q = find(c, p, end)
        if q < 0:
            return pos or None if len(pos) == len(content) else (pos if pos else None)
        pos.append(q)
        p = q + 1
        i += 1
    return pos


def _copy_content(
    b: ProjectionBuilder, pos: Sequence[int], a: int, z: int, norm: _Norm, ph: _Placeholders, urls: bool = True
) -> None:
    """Copy content[a:z] in runs where the source is contiguous."""
    if a >= z or a >= len(pos):
        return
    z = min(z, len(pos))
    run = a
    while run < z:
        k = _run_end(pos, run, z)
        s, e = norm.src(pos[run]), norm.src(pos[k - 1]) + 1
        if b.source.startswith("\r\n", e - 1):
            e += 1  # a copied "\n" that was a CRLF in the source
        _copy_prose(b, s, e, ph, urls)
        run = k


def _run_end(pos: Sequence[int], run: int, z: int) -> int:
    """First k in (run, z] where pos[run:k] stops being contiguous. ``pos`` is strictly
    increasing, so pos[run:k] is contiguous exactly when pos[k-1] - pos[run] == k-1-run:
    gallop, then bisect (a character-by-character scan was slow on megabyte lines)."""
    base = pos[run]
    if pos[z - 1] - base == z - 1 - run:
        return z  # all of it (the usual case)
    lo, step = run + 1, 1  # pos[run:lo] is contiguous
    while lo + step <= z and pos[lo + step - 1] - base == lo + step - 1 - run:
        lo += step
        step *= 2
    hi = min(lo + step, z + 1)  # pos[run:hi] is not contiguous, or hi == z + 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if pos[mid - 1] - base == mid - 1 - run:
            lo = mid
        else:
            hi = mid
    return lo


def _inline(  # type: ignore[no-untyped-def]
    b: ProjectionBuilder, children, content: str, pos: Sequence[int], norm: _Norm, ph: _Placeholders, urls: bool = True
) -> None:
    ci = 0
    n = len(pos)
    skip_depth = 0  # inside an image: alt text is not prose
    for ch in children:
        t = ch.type
        if t == "image":
            k = content.find("](", ci)
            if k >= 0:
                ci = k
            continue
        if skip_depth:
            continue
        if t == "text":
            k = content.find(ch.content, ci)
            if k < 0 or k >= n:
                continue
            _copy_content(b, pos, k, k + len(ch.content), norm, ph, urls)
            ci = k + len(ch.content)
        elif t == "text_special":
            k = content.find(ch.markup, ci)
            if k < 0 or k + len(ch.markup) > n:
                continue
            b.replace(ch.content, norm.src(pos[k]), norm.src(pos[k + len(ch.markup) - 1]) + 1)
            ci = k + len(ch.markup)
        elif t == "code_inline":
            k = content.find(ch.markup, ci)
            if k < 0:
                continue
            k2 = _closing_run(content, ch.markup, k + len(ch.markup))
            if k2 < 0 or k2 + len(ch.markup) > n:
                continue
            e = k2 + len(ch.markup)
            b.replace(ph.next(), norm.src(pos[k]), norm.src(pos[e - 1]) + 1, placeholder=True)
            ci = e
        elif t in ("softbreak", "hardbreak"):
            k = content.find("\n", ci)
            if k < 0 or k >= n:
                continue
            s = norm.src(pos[k])
            e = s + (2 if b.source[s : s + 2] == "\r\n" else 1)
            if t == "softbreak":
                b.copy(s, e)
            else:
                b.replace("\n", s, e)
            ci = k + 1
        elif t == "html_inline":
            k = content.find(ch.content, ci)
            if k >= 0:
                ci = k + len(ch.content)
        elif t == "link_close" and ch.markup == "autolink":
            # <https://…> or <a@b.org>: the link ends at its ">", not at a later link's "]"
            k = content.find(">", ci)
            if k >= 0:
                ci = k + 1
        elif t == "link_close" and ch.markup != "linkify":
            k = content.find("]", ci)
            if k >= 0:
                ci = k + 1
                if ci < len(content) and content[ci] == "(":
                    close = content.find(")", ci)
                    ci = close + 1 if close > 0 else ci


def _closing_run(content: str, run: str, start: int) -> int:
    """Index of the backtick run of exactly ``len(run)`` that closes a code span."""
    k = content.find(run, start)
    while k >= 0:
        end = k + len(run)
        if (k == 0 or content[k - 1] != "`") and (end >= len(content) or content[end] != "`"):
            return k
        while end < len(content) and content[end] == "`":
            end += 1
        k = content.find(run, end)
    return -1


@hookimpl
def lintkit_read_document(source: Source) -> Document | None:
    if source.format == "markdown":
        return read_markdown(source)
    if source.format == "text":
        return read_text(source)
    return None
