"""pyphen's English hyphenation patterns as the trie that ``offline._Hyphenation`` walks,
shipped with lintkit so that a check need not import pyphen nor parse its dictionary.

Importing pyphen (it lists its dictionary folder) and parsing ``hyph_en_US.dic`` into
patterns take ~75 ms, and building the trie ~20 ms more: that was most of the
readability family's start-up, paid before a ``--jobs`` run forks its workers (serial)
and by every one-sentence check. ``hyphenation.bin`` holds, for each language textstat
asks pyphen for (``en_US``, ``en_GB``), the trie built from the pinned pyphen, zlib-
compressed: loading one takes ~10 ms.

The shipped trie is used only when it was built from the very files installed: each entry
keeps the SHA-256 of pyphen's parser (its ``__init__.py``) and of the dictionary file
``Pyphen(lang=lang)`` reads, and both are hashed again on load (~0.3 ms). A pyphen
upgrade, another dictionary, a missing or damaged table: :func:`shipped_trie` returns
None and the caller builds the trie from pyphen itself, as before. ``scripts/
build_hyphenation.py`` writes the table; tests/test_readability_hyphenation.py fails
while it is not the one the installed pyphen gives.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import zlib
from pathlib import Path
from typing import Any

FORMAT = 1
SHIPPED = Path(__file__).with_name("hyphenation.bin")
# The languages textstat asks pyphen for (metrics.textstat_lang).
LANGS = ("en_US", "en_GB")

Trie = dict[str, Any]
"""character -> node; a node's ``""`` entry is the pattern (offset, values) ending there."""


def build_trie(patterns: dict[str, tuple[int, tuple[int, ...]]]) -> Trie:
    """The trie of pyphen's ``HyphDict.patterns`` (pattern letters -> (offset, values))."""
    trie: Trie = {}
    for key, pattern in patterns.items():
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = pattern
    return trie


def _sources(lang: str) -> tuple[Path, Path] | None:
    """pyphen's parser and the dictionary file ``Pyphen(lang=lang)`` reads for one of
    :data:`LANGS` (pyphen names its files ``hyph_<lang>.dic``), found without importing
    pyphen; None if either is missing."""
    spec = importlib.util.find_spec("pyphen")
    if spec is None or spec.origin is None:
        return None
    parser = Path(spec.origin)
    dic = parser.parent / "dictionaries" / f"hyph_{lang}.dic"
    return (parser, dic) if parser.is_file() and dic.is_file() else None


def digest(lang: str) -> str | None:
    """SHA-256 of pyphen's parser and of the dictionary file for ``lang``, as installed."""
    files = _sources(lang) if lang in LANGS else None
    if files is None:
        return None
    h = hashlib.sha256()
    for f in files:
        data = f.read_bytes()
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def shipped_trie(lang: str) -> tuple[Trie, int, int] | None:
    """(trie, maxlen, reach) for ``lang`` from the shipped table, or None when the table
    is missing, damaged, of another format, or was not built from the installed pyphen."""
    try:
        table = marshal.loads(SHIPPED.read_bytes())
        if not isinstance(table, dict) or table.get("format") != FORMAT:
            return None
        entry = table["langs"].get(lang)
        if entry is None or entry["sha256"] != digest(lang):
            return None
        trie, maxlen, reach = marshal.loads(zlib.decompress(entry["trie"]))
    except (OSError, EOFError, ValueError, TypeError, KeyError, zlib.error):
        return None
    if not (isinstance(trie, dict) and isinstance(maxlen, int) and isinstance(reach, int)):
        return None
    return trie, maxlen, reach


def from_pyphen(lang: str) -> tuple[Trie, int, int]:
    """(trie, maxlen, reach) from pyphen itself: ``Pyphen(lang=lang)``'s patterns, as
    textstat builds it (left=2, right=2); ``reach`` is the furthest point a pattern gives
    from where it starts."""
    from pyphen import Pyphen

    hd = Pyphen(lang=lang).hd
    reach = max((offset + len(values) for offset, values in hd.patterns.values()), default=0)
    return build_trie(hd.patterns), hd.maxlen, reach


def encode() -> bytes:
    """The table :data:`SHIPPED` holds, built from the installed pyphen."""
    langs: dict[str, dict[str, Any]] = {}
    for lang in LANGS:
        sha = digest(lang)
        if sha is None:
            raise RuntimeError(f"pyphen has no dictionary for {lang}")
        trie, maxlen, reach = from_pyphen(lang)
        langs[lang] = {"sha256": sha, "trie": zlib.compress(marshal.dumps((trie, maxlen, reach)), 9)}
    return marshal.dumps({"format": FORMAT, "langs": langs})


def write_shipped() -> Path:
    """Write :data:`SHIPPED` (scripts/build_hyphenation.py), through a temporary file."""
    tmp = SHIPPED.with_suffix(".tmp")
    tmp.write_bytes(encode())
    tmp.replace(SHIPPED)
    return SHIPPED
