"""Experimental Markdown reader on ``markdown-it-pyrs`` (a Rust markdown-it, ~7x faster
to parse than markdown-it-py). It gives the same Document as ``readers.read_markdown``:
the pyrs tree is turned into the few token facts read_markdown uses (block kinds, line
maps, the inline ``content`` string, inline children) and the projection is built by
read_markdown's own helpers. Where pyrs may parse a document differently (known
differences are detected by the checks below) or its tree cannot give markdown-it-py's
facts exactly (checked against the source), the document is read by ``read_markdown``
(see ``_Fallback``). tests/test_readers_rs.py compares the two readers.

Needs ``markdown-it-pyrs==0.4.0`` (not a declared dependency yet).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from typing import Any

from lintkit.document import readers
from lintkit.document.build import ProjectionBuilder
from lintkit.document.model import Document, LineIndex, Source
from lintkit.document.readers import (
    _FRONT_MATTER,
    _align,
    _finish,
    _inline,
    _may_hold_url,
    _Norm,
    _Placeholders,
    read_markdown,
)


class _Fallback(Exception):
    """This document needs markdown-it-py."""


class _Tok:
    """The part of a markdown-it-py inline child token that ``readers._inline`` reads."""

    __slots__ = ("type", "content", "markup")

    def __init__(self, type: str, content: str = "", markup: str = "") -> None:
        self.type = type
        self.content = content
        self.markup = markup


# Children without content of their own: one shared token each (readers._inline only reads).
_SOFTBREAK, _HARDBREAK, _IMAGE, _LINK_CLOSE = _Tok("softbreak"), _Tok("hardbreak"), _Tok("image"), _Tok("link_close")

_rs = None


def _rs_parser():  # type: ignore[no-untyped-def]
    global _rs
    if _rs is None:
        from markdown_it_pyrs import MarkdownIt

        _rs = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    return _rs


# Characters where markdown-it-py and pyrs may disagree: Unicode whitespace other than
# space/tab/newline (trimming, flanking), and an emphasis delimiter next to a non-ASCII
# non-ASCII symbol (markdown-it-py counts Unicode symbols as punctuation, pyrs does not).
_RISKY_SPACE = re.compile(r"[\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]")
_DELIMITER_NEXT_TO_NON_ASCII = re.compile(r"(?<=[*_~])[^\x00-\x7f]|[^\x00-\x7f](?=[*_~])")


# Block constructs the two parsers read differently: a tab after a quote or list marker
# (they count its columns differently); in the lines after a quote's line, a list item
# that may not interrupt a paragraph (empty, or numbered other than 1): markdown-it-py
# ends the quote there, pyrs reads a lazy paragraph line.
_RISKY_BLOCK = re.compile(r"^[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])[ \t])[ \t>]*\t", re.M)
_QUOTE_LINE = re.compile(r"^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*>", re.M)
_MARKERS = re.compile(r"(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t])))*")
_WEAK_ITEM = re.compile(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]*$|(?!0*1[.)])\d{1,9}[.)][ \t])")


def _weak_item_after_quote(text: str) -> bool:
    """A list item that may not interrupt a paragraph, on a line with fewer quote markers
    than a line before it in the same run of non-blank lines."""
    deepest = 0  # most quote markers on a line of the current run of non-blank lines
    for line in text.split("\n"):
        if not line.strip(" \t>"):
            deepest = 0
            continue
        depth = line[: len(line) - len(line.lstrip(" \t>"))].count(">")
        if depth < deepest and _WEAK_ITEM.match(line):
            return True
        deepest = max(deepest, _MARKERS.match(line).group().count(">"))  # type: ignore[union-attr]
    return False


def _risky(text: str) -> bool:
    if _RISKY_BLOCK.search(text) or _QUOTE_LINE.search(text) and _weak_item_after_quote(text):
        return True
    if text.isascii():
        return False
    if _RISKY_SPACE.search(text):
        return True
    for m in _DELIMITER_NEXT_TO_NON_ASCII.finditer(text):
        if unicodedata.category(m.group())[0] not in "LMNP":  # pyrs takes symbols (S) for letters
            return True
    return False
_INLINE = frozenset(("text", "text_special", "softbreak", "hardbreak", "em", "strong", "strikethrough",
                     "code_inline", "link", "image", "autolink", "html_inline"))
_CONTAINERS = frozenset(("root", "blockquote", "bullet_list", "ordered_list", "list_item", "table", "thead",
                         "tbody", "trow"))
_KIND = {"heading": "heading", "lheading": "heading", "tcell": "table_cell", "list_item": "list_item",
         "blockquote": "quote"}
_DELIMITER_ROW = re.compile(r"^[ \t>]*(?=[^\n]*-)[ \t|:-]+$", re.M)
_LIST_ITEM_START = re.compile(r"[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]")
_OPENING = {"em": "", "strong": "", "strikethrough": "", "link": "["}
_CLOSING = {"em": "*_", "strong": "*_", "strikethrough": "~", "link": ")]", "code_inline": "`",
            "html_inline": ">", "autolink": ">", "image": ")]"}
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*")
_PLAIN_DEFINITION = re.compile(r"[ ]{0,3}\[[^\]\[\\\n]+\]:[ \t]*[^\s<>\\\"']+"
                               r"(?:[ \t]+(?:\"[^\"\n\\]*\"|'[^'\n\\]*'|\([^()\n\\]*\)))?[ \t]*\n?")
_DEFINITION_START = re.compile(r"\[(?:[^\]\\]|\\.)*\]:[ \t]*\n?[ \t]*(?:<[^>\n]*>|\S+)[ \t]*(?:\n|$|[\"'(])")
_DECLARATION = re.compile(r"<![A-Za-z]")
_ATX = re.compile(r"#{1,6}(?:[ \t]|$)", re.M)
_ROW_MAY_START_BLOCK = re.compile(r"[ ]*(?:\t|$)|[ ]{4}|[ ]{0,3}(?:[-*+>]|\d{1,9}[.)]|#{1,6}(?:[ \t]|$)|```|~~~"
                                  r"|<[A-Za-z/!?]|(?:[-*_][ \t]*){3,}$)")
_MAX_DEPTH = 40  # deeper trees are left to read_markdown (its nesting caps and errors)
_MAX_INLINE_DEPTH = 12  # markdown-it-py stops parsing inline markup 20 levels deep


def read_markdown_rs(source: Source) -> Document:
    try:
        return _read(source)
    except _Fallback:
        return read_markdown(source)


def _read(source: Source) -> Document:
    text = source.text
    norm = _Norm(text)
    ntext = norm.text
    if _risky(ntext):
        raise _Fallback
    skip: list[tuple[int, int]] = []
    fm = _FRONT_MATTER.match(ntext)
    parse_text = ntext
    if fm:
        skip.append((norm.src(fm.start()), norm.src(fm.end())))
        parse_text = re.sub(r"[^\n]", " ", ntext[: fm.end()]) + ntext[fm.end() :]
    lines = LineIndex(ntext)
    starts = lines.starts + [len(ntext)]
    try:
        tree = _rs_parser().tree(parse_text)
    except BaseException as e:  # pyo3 turns a Rust panic into a BaseException
        if type(e).__name__ == "PanicException":
            raise _Fallback from e
        raise
    walker = _Walker(parse_text, lines.starts)
    walker.block(tree, [], 0)
    for m in _DELIMITER_ROW.finditer(parse_text):
        # markdown-it-py and pyrs differ on where a table may interrupt a paragraph: a
        # delimiter row under a line with a "|" that is not one of pyrs's tables may be
        # one of markdown-it-py's.
        a = m.start()
        if a and "|" in parse_text[parse_text.rfind("\n", 0, a - 1) + 1 : a] \
                and walker.line(a) not in walker.delimiter_lines:
            raise _Fallback
    b = ProjectionBuilder(text)
    ph = _Placeholders()
    ptr = 0
    last_line = len(starts) - 1
    for ev in walker.events:
        if ev[0] == "skip":
            skip.append((norm.src(starts[ev[1]]), norm.src(starts[min(ev[2], last_line)])))
            continue
        _, kind, map0, map1, content, children = ev
        region_start = max(ptr, starts[map0])
        region_end = starts[min(map1, last_line)]
        pos = _align(ntext, content, region_start, region_end)
        if pos is None or not content:
            continue
        if len(pos) != len(content):
            raise _Fallback  # a partial alignment: our content may differ where it matters
        ptr = pos[-1] + 1
        b.begin_block(kind, norm.src(pos[0]))
        urls = _may_hold_url(text, norm.src(pos[0]), norm.src(pos[-1]) + 1)
        _inline(b, children, content, pos, norm, ph, urls)
        b.end_block()
    return _finish(source, b, skip, lines)


class _Walker:
    """Walks the pyrs tree into events: ("skip", line0, line1) for code blocks and
    ("inline", kind, line0, line1, content, children) for each inline token."""

    def __init__(self, text: str, line_starts: list[int]) -> None:
        self.text = text
        self.line_starts = line_starts
        self.events: list[tuple[Any, ...]] = []
        self.delimiter_lines: set[int] = set()  # of the tables pyrs found
        # pyrs offsets are UTF-8 byte offsets: non-ASCII characters' byte starts and the
        # extra bytes before each, to map bytes to characters.
        if text.isascii():
            self.byte_starts: list[int] = []
            self.extra: list[int] = []
        else:
            bs, ex = [], []
            total = 0
            for m in re.finditer(r"[^\x00-\x7f]", text):
                bs.append(m.start() + total)
                total += len(m.group().encode()) - 1
                ex.append(total)
            self.byte_starts, self.extra = bs, ex

    def char(self, byte: int) -> int:
        if not self.byte_starts:
            return byte
        i = bisect_right(self.byte_starts, byte - 1)  # non-ASCII chars starting before byte
        return byte - (self.extra[i - 1] if i else 0)

    def line(self, c: int) -> int:
        return bisect_right(self.line_starts, c) - 1

    def span(self, node: Any) -> tuple[int, int]:
        s, e = node.srcmap
        return self.char(s), self.char(e)

    # Blocks ---------------------------------------------------------------------------

    def block(self, node: Any, kinds: list[str], depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise _Fallback
        name = node.name
        if name == "tbody":
            self.table_body(node)
        elif name == "thead":
            head = self.line(self.char(node.srcmap[0]))
            a = self.line_starts[head]
            z = self.text.find("\n", a)
            if "|" not in self.text[a : z if z >= 0 else len(self.text)]:
                raise _Fallback  # markdown-it-py wants a "|" in the header row
            if head and not _LIST_ITEM_START.match(self.text, a):
                # the two differ on tables that interrupt a (lazy) paragraph line
                p = self.line_starts[head - 1]
                if self.text[p:a].strip(" \t>\n"):
                    raise _Fallback
            self.delimiter_lines.add(head + 1)
        if name in _CONTAINERS or name in ("heading", "lheading", "tcell", "paragraph"):
            k = _KIND.get(name)
            if k:
                kinds = [*kinds, k]
            run: list[Any] = []
            for ch in node.children:
                if ch.name in _INLINE:
                    run.append(ch)
                    continue
                if run:
                    self.inline(node, run, kinds)
                    run = []
                self.block(ch, kinds, depth + 1)
            if run:  # (an empty heading or cell has none: read_markdown skips it too)
                self.inline(node, run, kinds)
        elif name in ("fence", "code_block"):
            s, e = self.span(node)
            self.events.append(("skip", self.line(s), self.line(max(s, e - 1)) + 1))
        elif name == "definition":
            # Where the two may differ on what is a link reference definition, fall back:
            # only the plain one-line form is taken as one.
            s, e = self.span(node)
            if not _PLAIN_DEFINITION.fullmatch(self.text, s, e):
                raise _Fallback
            line = self.line(s)
            if line:  # it may not interrupt a paragraph: after a blank line, another one, a heading
                prev = self.text[self.line_starts[line - 1] : self.line_starts[line]].lstrip(" \t>")
                if prev.strip() and not _PLAIN_DEFINITION.fullmatch(prev) and not _ATX.match(prev):
                    raise _Fallback
        elif name in ("html_block", "hr"):
            pass
        else:
            raise _Fallback  # a node this reader does not know

    def table_body(self, node: Any) -> None:
        """markdown-it-py ends a table at a line that starts another block (a list item,
        quote, heading, fence, HTML block, rule) or is indented as code; pyrs reads such a
        line as a row. A row that may be one makes the document fall back."""
        text = self.text
        for row in node.children:
            a = self.line_starts[self.line(self.char(row.srcmap[0]))]
            z = text.find("\n", a)
            if _ROW_MAY_START_BLOCK.match(text, a, z if z >= 0 else len(text)):
                raise _Fallback

    # Inlines --------------------------------------------------------------------------

    def inline(self, parent: Any, run: list[Any], kinds: list[str]) -> None:
        kind = kinds[-1] if kinds else "paragraph"
        leaves: list[tuple[str, int, int, Any]] = []
        self.leaves(run, leaves, 0)
        first = self._start(run[0], leaves[0][1])
        text = self.text
        pieces: list[str] = []
        children: list[_Tok] = []
        cur = first
        for name, s, e, node in leaves:
            if s < cur:
                raise _Fallback
            if s > cur:
                gap = text[cur:s]
                pieces.append(gap if "\n" not in gap else self.verbatim(cur, s))
            if name == "text":  # the usual case first
                piece = node.meta.get("content", "")
                if "\n" in piece or "`" in piece or not text.startswith(piece, s):
                    # (a literal backtick: an unmatched code span run, where pyrs may miss
                    # a link around it)
                    raise _Fallback
                children.append(_Tok("text", piece))
                pieces.append(piece)
                cur = s + len(piece)
                continue
            if name == "softbreak" or name == "hardbreak":
                piece = self.line_break(s, e)
                children.append(_SOFTBREAK if name == "softbreak" else _HARDBREAK)
            elif name == "text_special":
                meta = node.meta
                piece = meta.get("markup", "")
                children.append(_Tok("text_special", meta.get("content", ""), piece))
            elif name == "code_inline":
                piece = self.verbatim(s, e)
                n = node.meta.get("marker_len", 0)
                if not n or not piece.startswith("`" * n) or not piece.endswith("`" * n) \
                        or piece[n : n + 1] == "`" or text[s - 1 : s] == "`":
                    raise _Fallback
                children.append(_Tok("code_inline", markup="`" * n))
            elif name == "html_inline":
                piece = self.verbatim(s, e)
                if piece[:1] != "<" or piece[-1:] != ">":
                    raise _Fallback
                children.append(_Tok("html_inline", piece))
            elif name == "autolink":
                piece = self.verbatim(s, e)
                if piece[:1] != "<" or piece[-1:] != ">":
                    raise _Fallback
                children.append(_Tok("text", _autolink_text(piece)))
                children.append(_Tok("link_close", markup="autolink"))
            elif name == "image":
                piece = self.verbatim(s, e)
                if piece[:2] != "![" or piece[-1:] not in ")]":
                    raise _Fallback
                children.append(_IMAGE)
            elif name == "link_close":
                piece = ""
                children.append(_LINK_CLOSE)
            else:
                raise _Fallback
            pieces.append(piece)
            cur = s + len(piece) if name in ("text", "text_special") else e
            if name in ("text", "text_special") and text[s:cur] != piece:
                raise _Fallback
        end = max(self._end(run[-1]), cur)
        self._check_end(parent.name, end)
        pieces.append(self.verbatim(cur, end))
        content = "".join(pieces)
        if content != content.strip():
            raise _Fallback  # markdown-it-py trims the content; pyrs's nodes did not
        if parent.name == "tcell" and "\\|" in content:
            raise _Fallback  # markdown-it-py drops the backslash of an escaped "|" in a cell
        if content[:1] == "[" and _DEFINITION_START.match(content):
            raise _Fallback  # markdown-it-py may read a link reference definition here
        if "<!" in content and _DECLARATION.search(content):
            raise _Fallback  # "<!a": HTML (a block or inline) to markdown-it-py, not to pyrs
        if "~~~" in content:
            raise _Fallback  # runs of 3+ tildes: the two strikethrough rules differ
        # markdown-it-py's line map of the inline token, from the content's own ends
        # (pyrs's block offsets are not relied on).
        map0 = self.line(first)
        if parent.name in ("heading", "tcell"):  # one line; a cell maps to its row
            map1 = map0 + 1
        elif parent.name == "lheading":  # up to the underline, the line after the text
            map1 = self.line(end - 1) + 2
        else:  # a paragraph, or a tight list item's hidden one
            map1 = self.line(end - 1) + 1
        self.events.append(("inline", kind, map0, map1, content, children))

    def _start(self, node: Any, leaf_start: int) -> int:
        """Where the content starts: the first leaf less the opening markup of the
        containers around it (pyrs's own start of such a container can be off, e.g. at the
        list marker when the container spans lines)."""
        markup = ""
        while node.name in _OPENING:
            markup += _OPENING[node.name] if node.name == "link" else node.meta.get("marker", "?") * (
                1 if node.name == "em" else 2)
            node = node.children[0] if node.children else None
            if node is None:
                raise _Fallback
        first = leaf_start - len(markup)
        if first < 0 or self.text[first:leaf_start] != markup:
            raise _Fallback
        return first

    def _end(self, node: Any) -> int:
        if node.name in ("text", "text_special"):
            return -1  # the leaf's computed end stands (pyrs text ends can be off)
        e = self.span(node)[1]
        if self.text[e - 1 : e] not in _CLOSING.get(node.name, ""):
            raise _Fallback
        return e

    def _check_end(self, parent: str, end: int) -> None:
        """The content ends at the end of its line (markdown-it-py trims it), before a
        heading's closing hashes or a cell's "|"; else pyrs's end is not trusted."""
        text = self.text
        z = text.find("\n", end)
        rest = text[end : z if z >= 0 else len(text)]
        if not rest or rest.isspace():
            return
        if parent == "heading" and _CLOSING_HASHES.fullmatch(rest):
            return
        if parent == "tcell" and rest.lstrip(" \t")[:1] == "|":
            return
        raise _Fallback

    def leaves(self, nodes: list[Any], out: list[tuple[str, int, int, Any]], depth: int) -> None:
        if depth > _MAX_INLINE_DEPTH:
            raise _Fallback
        for node in nodes:
            name = node.name
            if name in ("em", "strong", "strikethrough"):
                self.leaves(node.children, out, depth + 1)
            elif name == "link":
                self.leaves(node.children, out, depth + 1)
                e = self.span(node)[1]
                out.append(("link_close", e, e, node))
            elif name in ("text", "text_special"):
                s = self.char(node.srcmap[0])
                out.append((name, s, s, node))  # the end is checked against the content
            elif name in _INLINE:
                s, e = self.span(node)
                out.append((name, s, e, node))
            else:
                raise _Fallback

    def verbatim(self, s: int, e: int) -> str:
        """Source text s..e as markdown-it-py's content holds it: a line's block prefix
        (quote markers, indentation) is dropped. Only a prefix of spaces is kept (any
        number of them aligns the same); others make the document fall back."""
        piece = self.text[s:e]
        if "\n" not in piece:
            return piece
        out = []
        for i, line in enumerate(piece.split("\n")):
            if i:
                stripped = line.lstrip(" \t>")
                prefix = line[: len(line) - len(stripped)]
                if "\t" in prefix or ">" in prefix:
                    raise _Fallback
            out.append(line)
        return "\n".join(out)

    def line_break(self, s: int, e: int) -> str:
        """A softbreak or hardbreak span: the end of a line, its newline and the next
        line's prefix. The content keeps the first two and the prefix's spaces after its
        last quote marker (the next character is not one, so they align the same)."""
        piece = self.text[s:e]
        k = piece.find("\n")
        if k < 0 or "\n" in piece[k + 1 :]:
            raise _Fallback
        head, prefix = piece[: k + 1], piece[k + 1 :]
        if prefix.strip(" \t>") or "\t" in prefix or "\t" in head:
            raise _Fallback
        if e < len(self.text) and self.text[e] in " \t>\n":
            raise _Fallback
        return head + prefix.rpartition(">")[2]


def _autolink_text(piece: str) -> str:
    """markdown-it-py's text for an autolink ``<…>``: the normalised link text; an
    autolink markdown-it-py would not accept makes the document fall back."""
    md = readers._parser()
    url = piece[1:-1]
    full = md.normalizeLink(url if "@" not in url or ":" in url else "mailto:" + url)
    if not md.validateLink(full):
        raise _Fallback
    return md.normalizeLinkText(url)
