"""The compiled loops of CN101 (lintkit/_c/names.c) give what their pure-Python references
in lintkit/families/consistency/names.py give: on the word index of real documents (the
repository's fixtures, seeds and docs, and some RFCs of the benchmark corpus when it is
there) and on generated inputs (random keys and spellings, non-ASCII letters, empty and
boundary cases)."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from c_support import c_module
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lintkit.document.model import Document, Source
from lintkit.document.readers import read_markdown
from lintkit.errors import InputError
from lintkit.families.consistency import names
from lintkit.families.consistency.lexicon import lexicon
from lintkit.families.consistency.units import Units

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "markdown-rfcs"


def _files() -> list[Path]:
    files = sorted((ROOT / "fixtures" / "consistency").iterdir()) + sorted((ROOT / "seeds").iterdir())
    files += sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
    files += sorted(p for p in (ROOT / "fixtures" / "hostile").iterdir() if p.suffix in (".md", ".txt"))
    if CORPUS.is_dir():
        files += sorted(CORPUS.glob("*.md"))[::40]
    return [f for f in files if f.is_file()]


def _doc(path: Path) -> Document | None:
    text = path.read_bytes().decode("utf-8", "replace")
    try:
        return read_markdown(Source(str(path), text, "markdown"))
    except InputError:  # (a document lintkit refuses, e.g. nested too deep)
        return None


def _units(doc: Document) -> Units:
    lex = lexicon(())
    return Units(doc, lex.term_keys, lex.term_words)


_UNITS: dict[Path, Units | None] = {}


def _units_of(path: Path) -> Units | None:
    if path not in _UNITS:
        doc = _doc(path)
        _UNITS[path] = None if doc is None else _units(doc)
    return _UNITS[path]


def _real() -> Iterator[Units]:
    for f in _files():
        units = _units_of(f)
        if units is not None:
            yield units


def _fresh(keyed: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """A copy of keyed with its own lists (groups() sorts some in place)."""
    return {k: list(v) for k, v in keyed.items()}


def _groups_ref(keyed: dict[str, list[Any]], unsorted: set[str], sequences: set[str]
                ) -> tuple[dict[str, list[Any]], set[str]]:
    checker = names.NameChecker.__new__(names.NameChecker)

    class U:  # what groups() reads of Units
        pass

    u = U()
    u.keyed, u.unsorted, u.sequences = keyed, unsorted, sequences  # type: ignore[attr-defined]
    checker.units = u  # type: ignore[assignment]
    saved, names._C = names._C, None
    try:
        by_key = checker.groups()
    finally:
        names._C = saved
    return by_key, checker.sequences


def _same_groups(mod: Any, keyed: dict[str, list[Any]], unsorted: set[str], sequences: set[str]
                 ) -> dict[str, list[Any]]:
    ref_keyed, c_keyed = _fresh(keyed), _fresh(keyed)
    want, want_seq = _groups_ref(ref_keyed, set(unsorted), set(sequences))
    got, got_seq = mod.groups(c_keyed, set(unsorted), set(sequences), names._START)
    assert list(got.items()) == list(want.items())
    assert got_seq == want_seq
    assert list(c_keyed.items()) == list(ref_keyed.items())  # the same lists sorted in place
    return got


def _same_classify(mod: Any, by_key: dict[str, list[Any]], canonical: set[str], sequences: set[str],
                   least: int) -> None:
    want = names._classify(by_key, canonical, sequences, least)
    got = mod.classify(by_key, canonical, sequences, least, names._compatible)
    assert list(got[0].items()) == list(want[0].items())
    assert all(got[0][k] is want[0][k] for k in got[0])  # the lists themselves
    assert got[1] == want[1]
    assert len(got[2]) == len(want[2])
    for g, w in zip(got[2], want[2], strict=True):
        assert g[:4] == w[:4] and g[1] is w[1]
        assert (g[4] is None) == (w[4] is None)
        if g[4] is not None:
            assert type(g[4]) is dict
            assert list(g[4].items()) == list(w[4].items())  # counted in order of first use
        assert g[5] == w[5]


def test_module_is_built() -> None:
    mod = c_module("names")
    assert mod.SOURCE_SHA256


@pytest.mark.parametrize("path", [f for f in _files() if _units_of(f) is not None], ids=lambda p: p.name)
def test_real_documents(path: Path) -> None:
    mod = c_module("names")
    units = _units_of(path)
    assert units is not None
    lex = lexicon(())
    by_key = _same_groups(mod, units.keyed, units.unsorted, units.sequences)
    sequences = _groups_ref(_fresh(units.keyed), set(units.unsorted), set(units.sequences))[1]
    for least in (2, 3, 5):
        _same_classify(mod, by_key, lex.canonical_keys, sequences, least)
    cands, probe, _ = names._classify(by_key, lex.canonical_keys, sequences, 3)
    assert mod.probing(cands, probe, lex.canonical_keys, 3) == names._probing(cands, probe, lex.canonical_keys, 3)
    keys = list(cands)
    for rare in (keys, keys[::2], keys[1::3]):
        _same_pairs(mod, probe, rare)
        _same_pairs(mod, keys, rare)


def test_whole_checker_same_findings() -> None:
    """NameChecker with and without the compiled loops: the same findings, in order."""
    c_module("names")
    from lintkit.context import CheckContext
    from lintkit.engine import Engine, Overrides

    engine = Engine(Overrides(isolated=True, cache=False, ignore=["GR"]))
    lex = lexicon(())
    for units in _real():
        doc = units.doc
        ctx = CheckContext(engine.config_for(None), engine.registry, "t.md")
        results = []
        for compiled in (True, False):
            saved = names._C
            names._C = saved if compiled else None
            try:
                u = _units(doc)
                nc = names.NameChecker(doc, u, lex, ctx, str, 3, set(), False)
                results.append([repr(f) for f in nc.variants() + nc.house_terms()])
            finally:
                names._C = saved
        assert results[0] == results[1]


def _same_pairs(mod: Any, keys: list[str], rare: list[str]) -> None:
    want = names._near_pairs(keys, rare)
    got = mod.near_pairs(keys, rare)
    assert [k for k, _ in got] == [k for k, _ in want]
    for (_, g), (_, w) in zip(got, want, strict=True):
        assert sorted(g) == sorted(w) and len(g) == len(set(g))  # (each once, in no set order)


# Generated inputs ----------------------------------------------------------------------

LETTERS = "abseéßİı"  # plural "s", non-ASCII letters (one that case-folds to two)
KEYS = st.text(LETTERS, min_size=0, max_size=9)
FORMS = st.sampled_from(["the", "The", "THE", "t'he", "T’he", "abcs", "Abcs", "abc", "New York", "new-york",
                         "é", "É", "", "s", "ßs", "İts", "x y"])


def _occ(start: int, form: str, key: str, initial: bool, heading: bool, n: int = 1) -> tuple[Any, ...]:
    return (start, start + len(form), form, key, initial, heading, False, False, n, False)


@st.composite
def keyed_inputs(draw: Any) -> tuple[dict[str, list[Any]], set[str], set[str]]:
    keys = draw(st.lists(KEYS, max_size=12, unique=True))
    keyed: dict[str, list[Any]] = {}
    start = 0
    for key in keys:
        occs = []
        for form, initial, heading, n in draw(st.lists(st.tuples(FORMS, st.booleans(), st.booleans(),
                                                                 st.sampled_from([1, 1, 2])),
                                                       min_size=1, max_size=6)):
            start += draw(st.integers(-3, 5))  # sometimes out of order
            occs.append(_occ(start, form, key, initial, heading, n))
        keyed[key] = occs
    unsorted = set(draw(st.lists(st.sampled_from(keys), max_size=4))) if keys else set()
    sequences = set(draw(st.lists(st.sampled_from(keys), max_size=4))) if keys else set()
    return keyed, unsorted, sequences


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(keyed_inputs(), st.integers(0, 4))
def test_generated_groups_and_classify(inputs: tuple[dict[str, list[Any]], set[str], set[str]], least: int) -> None:
    mod = c_module("names")
    keyed, unsorted, sequences = inputs
    by_key = _same_groups(mod, keyed, unsorted, sequences)
    canonical = {k for k in keyed if len(k) % 3 == 0}
    _same_classify(mod, by_key, canonical, set(sequences), least)


def test_many_classes_counted_like_counter() -> None:
    """More classes than the short array holds: the dict fallback, same order and counts."""
    mod = c_module("names")
    occs = [_occ(i, f"f{i % 50}", "k", i % 3 == 0, i % 7 == 0) for i in range(400)]
    hard = mod.classify({"k": occs}, set(), set(), 2, names._compatible)[2]
    want = names._classify({"k": occs}, set(), set(), 2)[2]
    assert list(hard[0][4].items()) == list(want[0][4].items()) and hard[0][5] == want[0][5]


CLASS_FORMS = st.one_of(
    st.sampled_from(["the", "The", "THE", "t'he", "T’he", "the'", "'", "’", "", "New York", "new york", "New york",
                     "New  York", "New\x1cYork", "new\tyork", " New York ", "New-York", "İt", "i̇t", "ǅx", "ǆx",
                     "Éa", "éa", "ßa", "SSa", "x y z", "X Y Z", "X y Z", "a\u2028b", "A\u2028b", "A\xa0b"]),
    st.text("aAbB '’\x1c\t\xa0é", max_size=6))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(CLASS_FORMS, st.booleans(), st.booleans()), max_size=10, unique=True),
       st.one_of(st.none(), CLASS_FORMS))
def test_generated_resolved(classes: list[tuple[str, bool, bool]], canonical: str | None) -> None:
    mod = c_module("names")
    counted = dict.fromkeys(classes, 1)
    want = names._resolved(counted, canonical)
    got = mod.resolved(counted, canonical, names._compatible)
    assert list(got.items()) == list(want.items())
    assert all(a is b for a, b in zip(got.values(), want.values(), strict=True))  # the spellings themselves
    _same_classify(mod, {"key": [_occ(i, f, "key", a, b) for i, (f, a, b) in enumerate(classes)]}, set(), set(), 2)


def test_compatible_ascii_matches_python() -> None:
    """The ASCII _compatible of the C code, through resolved(): every pair of some forms."""
    mod = c_module("names")
    forms = ["the", "The", "THE", "tHe", "", "a b", "A B", "A  B", "A\x1fB", "a\x0bb", "A b c", "Ab", "ab", "AB",
             "x", "X", "New York", "New york", "new York", "New-york"]
    for f in forms:
        for t in forms:
            for ini, head in ((True, False), (False, True), (True, True), (False, False)):
                classes = {(t, False, False): 1, (f, ini, head): 1}
                assert mod.resolved(classes, None, names._compatible) == names._resolved(classes, None), (f, t)


WORDS = st.text("abcdeé", min_size=1, max_size=12)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, max_size=8, unique=True), st.lists(WORDS, max_size=12, unique=True))
def test_generated_near_pairs(keys: list[str], rare: list[str]) -> None:
    mod = c_module("names")
    _same_pairs(mod, keys, rare)
    _same_pairs(mod, keys, keys + rare)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("ab", min_size=1, max_size=14), max_size=10))
def test_generated_near_pairs_repeated_letters(words: list[str]) -> None:
    """Words of few distinct letters: many equal deletes, found once."""
    mod = c_module("names")
    words = list(dict.fromkeys(words))
    _same_pairs(mod, words, words)
    _same_pairs(mod, words[::-1], words[::2])


def test_near_pairs_edges() -> None:
    mod = c_module("names")
    assert mod.near_pairs([], []) == [] and mod.near_pairs(["tencent"], []) == []
    assert mod.near_pairs([], ["tecent"]) == []
    assert mod.near_pairs(["tencent"], ["tecent", "tencent", "xecent"]) == [("tencent", ["tecent"])]
    long = "a" * 300
    assert mod.near_pairs([long], [long + "b", long[:-1]]) == [(long, [long[:-1]])] or \
        sorted(mod.near_pairs([long], [long + "b", long[:-1]])[0][1]) == sorted(names._near_pairs(
            [long], [long + "b", long[:-1]])[0][1])
    with pytest.raises(IndexError):
        mod.near_pairs([""], ["abc"])


def test_probing_and_rare_keys_generated() -> None:
    mod = c_module("names")
    occs = [_occ(i, "Tencent", "tencent", False, False) for i in range(4)]
    g = names._one_spelling("tencnt", [_occ(9, "Tencnt", "tencnt", False, False)])
    empty = names.Group("tecent", [_occ(20, "tecent", "tecent", False, False)])
    cands: dict[str, Any] = {"tencent": occs, "tencnt": g, "tecent": empty, "house": occs[:1]}
    for least in (0, 1, 2, 4, 5):
        probe = ["tencent", "tencnt", "tecent", "house"]
        want = names._probing(dict(cands), probe, {"house"}, least)
        assert mod.probing(dict(cands), probe, {"house"}, least) == want
    rare_key = {"tencent": True, "tencnt": True, "tecent": False, "house": True}
    calls: list[str] = []

    def spelled(f: str) -> bool:
        calls.append(f)
        in_dict[f] = f == "Tencnt"
        return in_dict[f]

    for ignore in (set(), {"house"}, {"tencent", "house"}):
        in_dict: dict[str, bool] = {}
        want = names._rare_keys(cands, rare_key, ignore, in_dict, spelled)
        want_calls, calls[:] = list(calls), []
        in_dict = {}
        assert mod.rare_keys(cands, rare_key, ignore, in_dict, spelled) == want
        assert calls == want_calls
        calls.clear()


def test_type_errors() -> None:
    mod = c_module("names")
    with pytest.raises(TypeError):
        mod.groups([], set(), set(), names._START)
    with pytest.raises(TypeError):
        mod.groups({1: []}, set(), set(), names._START)
    with pytest.raises(TypeError):
        mod.groups({"abcds": [(1, 2)], "abcd": []}, set(), set(), names._START)
    with pytest.raises(TypeError):
        mod.classify({"abcde": "x"}, set(), set(), 2, names._compatible)
    with pytest.raises(TypeError):
        mod.classify({"abcde": [(1,), (2,)]}, set(), set(), 2, names._compatible)
    with pytest.raises(TypeError):
        mod.classify({}, ["x"], set(), 2, names._compatible)
    with pytest.raises(TypeError):
        mod.resolved({("a",): 1}, None, names._compatible)
    with pytest.raises(TypeError):
        mod.resolved({("a", True, False): 1}, 3, names._compatible)
    with pytest.raises(TypeError):
        mod.near_pairs(["a", 1], [])
    with pytest.raises(KeyError):
        mod.probing({}, ["x"], set(), 2)
    with pytest.raises(KeyError):
        mod.rare_keys({"x": []}, {}, set(), {}, bool)


def test_no_leak() -> None:
    """~300 calls on a real document: memory does not grow."""
    mod = c_module("names")
    lex = lexicon(())
    units = max(_real(), key=lambda u: len(u.words))

    def once() -> None:
        by_key, seq = mod.groups(_fresh(units.keyed), units.unsorted, units.sequences, names._START)
        cands, probe, _ = mod.classify(by_key, lex.canonical_keys, seq, 3, names._compatible)
        _, probers = mod.probing(cands, probe, lex.canonical_keys, 3)
        rare = mod.rare_keys(cands, dict.fromkeys(cands, True), set(), {}, lambda f: False)
        mod.near_pairs(probers + list(cands)[:50], rare)
        mod.resolved({("The", True, False): 2, ("the", False, False): 1, ("T’he", False, True): 1}, "the",
                     names._compatible)
        mod.select(units.words, units.forms, 2)
        mod.known_forms(units.forms, dict.fromkeys(list(units.forms)[::2]), {})

    for _ in range(20):
        once()
    gc.collect()
    tracemalloc.start()
    try:
        once()
        gc.collect()
        base = tracemalloc.get_traced_memory()[0]
        for _ in range(300):
            once()
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    assert grown < 64 * 1024, grown


@pytest.mark.parametrize("path", _files()[:12], ids=lambda p: p.name)
def test_select_on_real_documents(path: Path) -> None:
    mod = c_module("names")
    units = _units_of(path)
    if units is None:
        pytest.skip("not a document lintkit checks")
    lex = lexicon(())
    forms = list(units.forms)
    for occs in (units.words, units.grams):
        for table, index in ((lex.terms, 3), (set(forms[::7]), 2), (dict.fromkeys(forms[::3]), 2), (frozenset(), 2),
                             (list(forms[:5]), 2)):
            want = [o for o in occs if o[index] in table]
            got = mod.select(occs, table, index)
            assert got == want and all(a is b for a, b in zip(got, want, strict=True))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("abc-", max_size=4), max_size=30), st.lists(st.text("abc-", max_size=4), max_size=30),
       st.lists(st.text("abc-", max_size=4), max_size=30))
def test_known_forms_generated(forms: list[str], seen: list[str], found: list[str]) -> None:
    mod = c_module("names")
    form_set, seen_d = set(forms), dict.fromkeys(seen, ())
    found_d = {f: (f,) for f in found if f in seen_d}  # (a form found is always seen)
    new, known = mod.known_forms(form_set, seen_d, found_d)
    assert new == [f for f in form_set if f not in seen_d]  # in the set's order
    assert known == {f: found_d[f] for f in found_d.keys() & form_set}


def test_spellings_with_same_both_ways() -> None:
    """Lexicon.spellings_with with and without the compiled pass: the same answers and
    tables, over the spellings of several documents in turn."""
    c_module("names")
    from lintkit.families.consistency import lexicon as lexicon_module
    from lintkit.families.consistency.dialect import _dialect_parts

    results = []
    for compiled in (True, False):
        saved = lexicon_module._C
        lexicon_module._C = saved if compiled else None
        try:
            lex = lexicon_module.Lexicon(dialect=lexicon(()).dialect)
            table = lex.dialect

            def parts(form: str, table: dict[str, tuple[str, str, str]] = table) -> tuple[object, ...]:
                return _dialect_parts(form, table)

            answers = [lex.spellings_with("dialect", u.forms, parts, table.keys()) for u in list(_real())[:30]]
            results.append((answers, lex._memos))
        finally:
            lexicon_module._C = saved
    assert results[0] == results[1]


def test_select_errors() -> None:
    mod = c_module("names")
    with pytest.raises(TypeError):
        mod.select([(1, 2)], {}, 2)
    with pytest.raises(TypeError):
        mod.select("ab", {}, 0)
    with pytest.raises(ValueError):
        mod.select([], {}, -1)
    with pytest.raises(TypeError):
        mod.known_forms({"a"}, [], {})
    with pytest.raises(TypeError):
        mod.select([([],)], {}, 0)  # an unhashable item
