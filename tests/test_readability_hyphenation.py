"""The hyphenation trie shipped with lintkit (lintkit/families/readability/hyphenation.bin):
the one the installed pyphen gives, used without importing pyphen, and never used when it
was not built from the installed files."""

from __future__ import annotations

import marshal
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from lintkit.families.readability import hyphenation as hy
from lintkit.families.readability.offline import _Hyphenation

WORDS = ["hyphenation", "lintkit", "readability", "pyphen", "supercalifragilistic", "tencent", "ok", "a",
         "antidisestablishmentarianism", "colour", "organisation", "xylophone", "rhythm", "queueing"]


@pytest.mark.parametrize("lang", hy.LANGS)
def test_shipped_trie_is_the_one_the_installed_pyphen_gives(lang: str) -> None:
    """Fails after a change of the pyphen pin or of the format until
    ``scripts/build_hyphenation.py`` is run again."""
    shipped = hy.shipped_trie(lang)
    assert shipped is not None, "hyphenation.bin is stale: run scripts/build_hyphenation.py"
    assert shipped == hy.from_pyphen(lang)


@pytest.mark.parametrize("lang", hy.LANGS)
def test_counts_are_pyphens(lang: str) -> None:
    from pyphen import Pyphen

    reference = Pyphen(lang=lang)
    h = _Hyphenation(lang)
    assert [h.count(w) for w in WORDS] == [len(reference.positions(w)) for w in WORDS]
    # pyphen's points, written out: hy-phen-ation (en_US), hy-phen-a-tion (en_GB)
    assert h.count("hyphenation") == {"en_US": 2, "en_GB": 3}[lang]


def test_a_check_does_not_import_pyphen() -> None:
    code = ("import sys\nfrom lintkit.families.readability.offline import _pyphen_syllables\n"
            "print(_pyphen_syllables('lintkit', 'en_US'), _pyphen_syllables('colourise', 'en_GB'), "
            "'pyphen' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    # points + 1: lin-tk-it (en_US), col-our-ise (en_GB)
    assert out.split() == ["3", "3", "False"]


def _with_table(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "hyphenation.bin"
    path.write_bytes(data)
    monkeypatch.setattr(hy, "SHIPPED", path)


def _rebuilt(**change: object) -> bytes:
    table = marshal.loads(hy.SHIPPED.read_bytes())
    table.update(change)
    return marshal.dumps(table)


@pytest.mark.parametrize("case", ["missing", "garbage", "format", "digest", "damaged trie", "unknown lang"])
def test_a_table_not_built_from_the_installed_pyphen_is_not_used(monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path, case: str) -> None:
    table = marshal.loads(hy.SHIPPED.read_bytes())
    if case == "missing":
        monkeypatch.setattr(hy, "SHIPPED", tmp_path / "absent.bin")
    elif case == "garbage":
        _with_table(monkeypatch, tmp_path, b"\x00not a table")
    elif case == "format":
        _with_table(monkeypatch, tmp_path, _rebuilt(format=hy.FORMAT + 1))
    elif case == "digest":
        table["langs"]["en_US"]["sha256"] = "0" * 64  # built from another pyphen or dictionary
        _with_table(monkeypatch, tmp_path, marshal.dumps(table))
    elif case == "damaged trie":
        table["langs"]["en_US"]["trie"] = zlib.compress(b"\xff\xfe")
        _with_table(monkeypatch, tmp_path, marshal.dumps(table))
    else:
        assert hy.shipped_trie("de_DE") is None
        return
    assert hy.shipped_trie("en_US") is None
    # and the family falls back to pyphen itself, with the same counts
    from pyphen import Pyphen

    h = _Hyphenation("en_US")
    assert [h.count(w) for w in WORDS] == [len(Pyphen(lang="en_US").positions(w)) for w in WORDS]


def test_digest_follows_the_dictionary_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    parser, dic = hy._sources("en_US") or (None, None)
    assert parser is not None and dic is not None
    copy = tmp_path / "pyphen"
    (copy / "dictionaries").mkdir(parents=True)
    (copy / "__init__.py").write_bytes(parser.read_bytes())
    (copy / "dictionaries" / "hyph_en_US.dic").write_bytes(dic.read_bytes())
    monkeypatch.setattr(hy, "_sources", lambda lang: (copy / "__init__.py", copy / "dictionaries" / f"hyph_{lang}.dic"))
    same = hy.digest("en_US")
    assert same is not None and hy.shipped_trie("en_US") is not None
    (copy / "dictionaries" / "hyph_en_US.dic").write_bytes(dic.read_bytes() + b"\nxy1z\n")
    assert hy.digest("en_US") != same
    assert hy.shipped_trie("en_US") is None
