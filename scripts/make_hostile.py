#!/usr/bin/env python3
"""Write the hostile-input corpus for tests/test_hostile.py and docs/robustness.md.

    python scripts/make_hostile.py OUT_DIR            # every case (about 60 MB)
    python scripts/make_hostile.py OUT_DIR --small    # only the small ones (< 100 KB each)

The small cases are also committed in ``fixtures/hostile/`` (regenerate them with
``python scripts/make_hostile.py fixtures/hostile --small``); the large ones (50 MB file,
5 MB line) are only ever generated into a temporary folder at test time. Cases that need
the file system (symlink loop, FIFO, a file made unreadable) are built by
:func:`make_special`, never committed.

Every case's bytes are a pure function of this file: no randomness.
"""

from __future__ import annotations

import argparse
import codecs
import os
import stat
from collections.abc import Callable
from pathlib import Path

PROSE = ("The committee met on Tuesday to review the draft. It was agreed that the report "
         "should be shorter, and that every claim should cite its source. ")


def _sentences(n_bytes: int) -> str:
    reps = n_bytes // len(PROSE) + 1
    return (PROSE * reps)[:n_bytes]


def empty() -> bytes:
    return b""


def whitespace() -> bytes:
    return b"   \n\t\n \r\n\n      \t  \n"


def binary() -> bytes:
    # A PNG header and some pixel-like bytes, saved with a .md extension.
    return bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(range(256)) * 4


def invalid_utf8() -> bytes:
    return b"The first line is fine.\nThe second has a stray byte \xff here.\n"


def utf16_bom() -> bytes:
    return codecs.BOM_UTF16_LE + "# Title\n\nThis file is saved as UTF-16. It has two sentences.\n".encode(
        "utf-16-le")


def latin1() -> bytes:
    return "A caf\u00e9 serves a na\u00efve r\u00e9sum\u00e9.\n".encode("latin-1")


def crlf() -> bytes:
    return b"# Heading\r\n\r\nFirst paragraph, first line.\r\nSecond line of it.\r\n\r\nA new paragraph.\r\n"


def lone_cr() -> bytes:
    return b"# Heading\r\rFirst paragraph, first line.\rSecond line of it.\r\rA new paragraph.\r"


def zero_width_bidi() -> bytes:
    text = ("Zero\u200bwidth space, zero\u200cwidth non-joiner, joi\u200dner and a BOM\ufeff inside.\n\n"
            "Right-to-left override: \u202eesrever\u202c and isolates \u2066left\u2069 \u2067right\u2069.\n\n"
            "Marks \u200e\u200f and \u061c around words.\n")
    return text.encode("utf-8")


def combining() -> bytes:
    text = ("Cafe\u0301 and nai\u0308ve are spelled with combining marks.\n\n"
            "Za\u0345\u0350\u0351\u0352\u0353\u0354\u0355\u0356\u0357lgo te\u0300\u0301\u0302\u0303\u0304xt "
            "piles marks on one letter" + "\u0301" * 500 + ".\n")
    return text.encode("utf-8")


def emoji() -> bytes:
    text = ("A family \U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 walks by. "
            "Flags \U0001f1ec\U0001f1e7\U0001f1fa\U0001f1f8 wave. "
            "Skin tones \U0001f44d\U0001f3fd and keycaps 1\ufe0f\u20e3 count.\n\n"
            + "\U0001f600" * 1000 + "\n")
    return text.encode("utf-8")


def nul_early() -> bytes:
    return b"Some text\0with a NUL byte near the start.\n"


def nul_late() -> bytes:
    # NUL bytes after the first 8 KiB: not sniffed as binary; the text is checked.
    return (_sentences(9000) + "\n\nA late\0NUL byte.\n").encode("utf-8")


def nested_lists() -> bytes:
    return ("- " * 10_000 + "deep item\n").encode()


def nested_quotes() -> bytes:
    return ("> " * 10_000 + "deep quote\n").encode()


def nested_quotes_lines() -> bytes:
    # 10,000 lines, each one level deeper.
    return "".join(">" * i + " level\n" for i in range(1, 10_001, 50)).encode() + (">" * 10_000 + " end\n").encode()


def table_10000() -> bytes:
    n = 10_000
    head = "|" + "|".join(f" c{i} " for i in range(n)) + "|\n"
    sep = "|" + "|".join("---" for _ in range(n)) + "|\n"
    row = "|" + "|".join(" word " for _ in range(n)) + "|\n"
    return (head + sep + row).encode()


def long_line_5mb() -> bytes:
    return (_sentences(5 * 1024 * 1024) + "\n").encode()


def big_50mb() -> bytes:
    block = (_sentences(4000) + "\n\n").encode()
    reps = 50 * 1024 * 1024 // len(block) + 1
    return (block * reps)[: 50 * 1024 * 1024]


# name -> (maker, large?)
CASES: dict[str, tuple[Callable[[], bytes], bool]] = {
    "empty.md": (empty, False),
    "whitespace.md": (whitespace, False),
    "binary.md": (binary, False),
    "invalid-utf8.txt": (invalid_utf8, False),
    "utf16-bom.md": (utf16_bom, False),
    "latin1.txt": (latin1, False),
    "crlf.md": (crlf, False),
    "lone-cr.md": (lone_cr, False),
    "zero-width-bidi.md": (zero_width_bidi, False),
    "combining.md": (combining, False),
    "emoji.md": (emoji, False),
    "nul-early.txt": (nul_early, False),
    "nul-late.md": (nul_late, False),
    "nested-lists.md": (nested_lists, False),
    "nested-quotes.md": (nested_quotes, False),
    "nested-quotes-lines.md": (nested_quotes_lines, True),
    "table-10000-cols.md": (table_10000, False),
    "long-line-5mb.md": (long_line_5mb, True),
    "long-line-5mb.txt": (long_line_5mb, True),
    "big-50mb.txt": (big_50mb, True),
}


def write_cases(out: Path, small_only: bool = False) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (maker, large) in CASES.items():
        if small_only and large:
            continue
        path = out / name
        path.write_bytes(maker())
        written.append(path)
    return written


def make_special(out: Path) -> dict[str, Path]:
    """File-system cases: a symlink loop, a folder symlink loop, a FIFO, a folder and a
    path through a regular file, all with a .md name; a chmod-000 file."""
    out.mkdir(parents=True, exist_ok=True)
    made: dict[str, Path] = {}
    a, b = out / "loop-a.md", out / "loop-b.md"
    for p in (a, b):
        if os.path.lexists(p):
            p.unlink()
    os.symlink(b.name, a)
    os.symlink(a.name, b)
    made["symlink-loop"] = a
    tree = out / "looptree"
    tree.mkdir(exist_ok=True)
    (tree / "page.md").write_text("A page inside a folder that links to itself.\n")
    if not os.path.lexists(tree / "self"):
        os.symlink(".", tree / "self")
    made["folder-loop"] = tree
    fifo = out / "fifo.md"
    if not fifo.exists():
        os.mkfifo(fifo)
    made["fifo"] = fifo
    folder = out / "folder.md"
    folder.mkdir(exist_ok=True)
    made["directory"] = folder
    plain = out / "plain.md"
    plain.write_text("Just a file.\n")
    made["through-file"] = plain / "child.md"
    locked = out / "unreadable.md"
    locked.write_text("Nobody may read this.\n")
    os.chmod(locked, 0)
    made["unreadable"] = locked
    return made


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--small", action="store_true", help="only the small cases (those committed)")
    ap.add_argument("--special", action="store_true", help="also the symlink loop, FIFO and unreadable file")
    args = ap.parse_args()
    for p in write_cases(args.out, args.small):
        print(f"{p.stat().st_size:>12,}  {p}")
    if args.special:
        for name, p in make_special(args.out).items():
            try:
                mode = os.lstat(p).st_mode
                kind = "symlink" if stat.S_ISLNK(mode) else "fifo" if stat.S_ISFIFO(mode) else ""
            except OSError as exc:
                kind = exc.strerror or ""
            print(f"{name:>12}  {p} {kind}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
