"""The fast patterns of the built-in claims packs (lintkit/families/claims/fast.py) find
exactly the hits of the reference IGNORECASE patterns, sentence by sentence and in one
scan over joined sentences."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lintkit.families.claims.fast import (
    SEP,
    Batch,
    anchor_sentence_start,
    fold,
    joinable,
    lowered,
    trie,
)
from lintkit.families.claims.lexicon import CATEGORIES, Lexicon, compile_pack, load_lexicon, normalise
from lintkit.packs import Pack

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "fixtures" / "claims"

# Characters that IGNORECASE treats specially, separators, anchors and boundaries.
ODD = [
    "İstanbul ALL EVERYONE knows", "ſtudies ſhow that it ıs", "\u212aNOWN to ALL", "ΑΣ all ΟΔΟΣ always",
    "at about 5 o", "clock is ticking", "First, everyone knows.", "first of all", "People always say so",
    "all-time high", "-all of them", "Studies show", "ÉVERYONE always wins", "Experts say\nthat it will",
    "more than 20 million users", "about 30 percent of people", "$5 billion", "It is clear that",
    "the most popular in the world", "the first to arrive", "", " ", "x", "ALL", "all",
]


def reference(lex: Lexicon, category: str, text: str) -> list[tuple[int, int, str, float]]:
    """Hits by the definition: every pack's reference pattern, then the exceptions."""
    packs_ = lex.by_category.get(category, [])
    spans = [m.span() for c in packs_ if c.exceptions is not None for m in c.exceptions.finditer(text)]
    out = []
    for c in packs_:
        for m in c.pattern.finditer(text):
            a, b = m.span()
            if a != b and not any(a < y and x < b for x, y in spans):
                out.append((a, b, m.group(0), c.weights[m.lastgroup or "t0"]))
    return sorted(out)


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    lines = [ln for f in sorted(GOLD.glob("*.gold")) for ln in f.read_text(encoding="utf-8").splitlines()]
    seed = (ROOT / "seeds" / "000_ea6b9445212ab19d.txt").read_text(encoding="utf-8")
    return [normalise(s) for s in lines + seed.splitlines() + ODD]


def test_every_builtin_pack_has_fast_patterns() -> None:
    for packs_ in load_lexicon(()).by_category.values():
        for c in packs_:
            assert c.is_fast, c.pack


def test_fast_hits_equal_reference_hits(sentences: list[str]) -> None:
    lex = load_lexicon(())
    batch = Batch(sentences)
    assert batch.ok
    for category in CATEGORIES:
        scanned = lex.scan(category, batch)
        for k, text in enumerate(sentences):
            want = reference(lex, category, text)
            assert scanned.get(k, []) == want, (category, text)
            assert lex.matches(category, text) == want, (category, text)
            assert lex.matches_at(category, batch, k) == want, (category, text)


def test_a_text_with_nul_falls_back_to_the_reference_patterns() -> None:
    lex = load_lexicon(())
    texts = ["Everyone knows\x00that.", "Studies show it.", "All of them, always."]
    batch = Batch(texts)
    assert not batch.ok
    for category in CATEGORIES:
        scanned = lex.scan(category, batch)
        for k, text in enumerate(texts):
            assert scanned.get(k, []) == reference(lex, category, text)


def test_user_packs_keep_the_reference_path(tmp_path: Path) -> None:
    data = {"lexicon": {"category": "booster", "tier": [{"weight": 2.0, "phrases": ["Hands down"]}]}}
    user = compile_pack(Pack("user", "claims", tmp_path / "user.toml", {}, data))
    assert not user.is_fast
    lex = Lexicon({"booster": [user]})
    assert lex.scan("booster", Batch(["It is HANDS  down the best.", "No."])) == {0: [(6, 17, "HANDS  down", 2.0)]}


def test_fold_keeps_length_and_ignorecase_classes() -> None:
    for text in ["ABC déF", "İI ı ſ \u212a", "ΑΣ ΟΔΟΣ", "ǅ ß ẞ", "x" * 3]:
        folded = fold(text)
        assert len(folded) == len(text)
        for ch, f in zip(text, folded):
            assert re.fullmatch(re.escape(ch), f, re.IGNORECASE), (ch, f)
    assert fold("İ ı ſ \u212a") == "i i s k"


@pytest.mark.parametrize("pattern, expected", [
    ("[A-Z][a-z]+s", "[a-z][a-z]+s"),
    ("USD|Eur", "usd|eur"),
    ("fig\\.\\s+\\d", "fig\\.\\s+\\d"),
    ("[$€£¥]\\s?\\d", "[$€£¥]\\s?\\d"),
    ("\\x41", None),            # an escape for a capital letter would stay capital
    ("(?-i:a)b", None),          # case-sensitive on purpose
    ("(a)\\1", None),            # back-references compare case-insensitively
    ("[A-z]", None),             # the range holds [ \\ ] ^ _ ` too
    ("É", None),                 # a cased non-ASCII letter
    ("(?s)a.b", None),           # inline global flags
    ("\\W", None),               # \\w after lower-casing
    ("a\\B", None),
])
def test_lowered(pattern: str, expected: str | None) -> None:
    assert lowered(pattern) == expected


def test_anchor_sentence_start() -> None:
    assert anchor_sentence_start(r"^a[^^b]\^|[]^]x") == r"(?<![^\x00])a[^^b]\^|[]^]x"
    assert anchor_sentence_start(r"(?:^first)") == r"(?:(?<![^\x00])first)"


@pytest.mark.parametrize("pattern, ok", [
    (r"o.clock", True),
    (r"(?<![^\x00])first\b", True),
    (r"\d+\s+(?:a|b)\w", True),
    (r"a.", False),
    (r".b", False),
    (r"a.*b", False),
    (r"[^a]", False),
    (r"\W", False),
    (r"\S", False),
    (r"a$", False),
    (r"^a", False),
    (r"\x00", False),
    (r"(?s:a.b)", False),
    (r"(a)\1", False),
])
def test_joinable(pattern: str, ok: bool) -> None:
    from re import _parser  # type: ignore[attr-defined]

    assert joinable(_parser.parse(pattern, 0)) is ok


def test_trie_matches_like_the_plain_alternation() -> None:
    rng = random.Random(7)
    words = ["a", "ab", "all", "all of", "also", "b", "be", "a b", "al"]
    for _ in range(200):
        phrases = rng.sample(words, rng.randint(1, len(words)))
        alts = sorted({r"\s+".join(re.escape(w) for w in p.split()) for p in phrases}, key=len, reverse=True)
        token_lists = [[t for part in a.split(r"\s+") for t in (r"\s+", *part)][1:] for a in alts]
        plain = re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)")
        fast = re.compile(r"(?<!\w)" + "(?:" + trie(token_lists) + r")(?!\w)")
        text = " ".join(rng.choice(words + ["c", "of", "alls"]) for _ in range(30))
        assert [m.span() for m in plain.finditer(text)] == [m.span() for m in fast.finditer(text)]


def test_batch_offsets() -> None:
    b = Batch(["ab", "", "c"])
    assert b.folded == SEP + "ab" + SEP + SEP + "c" + SEP
    assert [b.folded[s:s + len(t)] for s, t in zip(b.starts, b.texts)] == ["ab", "", "c"]
    assert b.locate(b.starts[2]) == 2


def test_ascii_boundary_is_the_complement_of_word_and_hyphen() -> None:
    from lintkit.families.claims.fast import ASCII_BOUNDARY, BOUNDARY

    for c in map(chr, range(128)):
        assert bool(re.fullmatch(ASCII_BOUNDARY, c)) == bool(re.fullmatch(BOUNDARY, c)) == (
            not re.fullmatch(r"[\w\-]", c)), repr(c)


def test_ascii_batch_scan_equals_reference(sentences: list[str]) -> None:
    lex = load_lexicon(())
    texts = [s for s in sentences if s.isascii()]
    batch = Batch(texts)
    assert batch.ascii and len(texts) > 300
    for category in CATEGORIES:
        scanned = lex.scan(category, batch)
        for k, text in enumerate(texts):
            assert scanned.get(k, []) == reference(lex, category, text), (category, text)


@pytest.mark.parametrize("pattern, expected", [
    (r"(?:ab|c)d", "[ac]"),
    (r"(?<![\d,.])\d{1,2}\s+x", r"[\d]"),
    (r"a?(?:b|)c", "[abc]"),
    (r"(?:x\s+)?[$€]\s?\d", r"[\$x€]"),
    (r"[a-z]+est\b", "[a-z]"),
    (r"a*", None),               # may match the empty string
    (r"(?:a|)", None),
    (r"(?i:a)b", None),          # either case
    (r"[^a]b", None),
    (r".b", None),
    (r"\Wb", None),
])
def test_first_chars(pattern: str, expected: str | None) -> None:
    from re import _parser  # type: ignore[attr-defined]

    from lintkit.families.claims.fast import first_chars

    assert first_chars(_parser.parse(pattern, 0)) == expected
    if expected:
        for m in re.finditer(pattern, "xx ab cd a b c x  $5 €3 test 12 forest"):
            assert re.match(expected, m.group(0))


def test_empty_batch() -> None:
    lex = load_lexicon(())
    batch = Batch([])
    assert batch.ok and batch.starts == []
    assert all(lex.scan(category, batch) == {} for category in CATEGORIES)


def score_bound(signals: dict, k: int) -> float:
    """Text ``k``'s bound as first written, one text at a time: the strongest hit of each
    category, rounded, summed."""
    total = 0.0
    for found in signals.values():
        hits = found.get(k)
        if hits:
            total += round(max(h[3] for h in hits), 3)
    return total


def test_score_bound_is_an_upper_bound(sentences: list[str]) -> None:
    """A sentence is only scored when its score bound reaches the threshold: the bound must
    never be below the real score (every modifier lowers it)."""
    from lintkit.document.model import Sentence
    from lintkit.families.claims.analyze import score_bounds, score_sentence
    from lintkit.families.claims.lexicon import SIGNALS

    lex = load_lexicon(())
    texts = sentences + ["If all of them will never fail, I think it is clearly the best?",
                         "Experts say 40% of users may never return, apparently."]
    batch = Batch(texts)
    enabled = set(SIGNALS)
    signals = {cat: lex.scan(cat, batch) for cat in SIGNALS}
    checked = 0
    bounds = score_bounds(signals)
    for k in sorted({k for found in signals.values() for k in found}):
        sentence = Sentence(0, len(batch.texts[k]), batch.texts[k], [])
        v = score_sentence(sentence, lex, enabled, batch, k, signals)
        assert v.score <= bounds.get(k, 0.0) + 1e-9, batch.texts[k]
        checked += 1
    assert checked > 50


def test_score_bounds_equal_score_bound_per_text(sentences: list[str]) -> None:
    from lintkit.families.claims.analyze import score_bounds
    from lintkit.families.claims.lexicon import SIGNALS

    lex = load_lexicon(())
    batch = Batch(sentences + ["Experts say 40% of users will never return, apparently, without doubt."])
    for signals in ({cat: lex.scan(cat, batch) for cat in SIGNALS},
                    {cat: lex.scan_raw(cat, batch) for cat in SIGNALS}, {"quantity": {0: []}}, {}):
        with_hits = {k for found in signals.values() for k, hits in found.items() if hits}
        want = {k: score_bound(signals, k) for k in with_hits}
        assert score_bounds(signals) == want  # the same floats, not only close
    assert len(score_bounds({cat: lex.scan(cat, batch) for cat in SIGNALS})) > 50


def test_one_prefilter_is_shared_by_the_signal_packs() -> None:
    lex = load_lexicon(())
    groups: dict[int, list[str]] = {}
    for cs in lex.by_category.values():
        for c in cs:
            if c.prefilter is not None:
                groups.setdefault(id(c.prefilter), []).append(c.category)
    assert sorted(sorted(g) for g in groups.values()) == [
        ["absolute", "booster", "hearsay", "prediction", "quantity", "superlative", "trend", "vague_attribution"]]


@pytest.mark.parametrize("category", ["prediction", "absolute"])
def test_prefilter_candidates_hold_every_hit_start(sentences: list[str], category: str) -> None:
    lex = load_lexicon(())
    pre = lex.by_category[category][0].prefilter
    assert pre is not None
    members = [c for cs in lex.by_category.values() for c in cs if c.prefilter is pre]
    for texts in (sentences, [s for s in sentences if s.isascii()], sentences[::-1]):
        batch = Batch(texts)
        positions, whole = pre.candidates(batch)
        assert positions == sorted(set(positions))
        assert whole == [k for k, text in enumerate(texts) if not text.isascii()]
        assert not {batch.locate(p) for p in positions} & set(whole)
        for c in members:
            for k, text in enumerate(texts):
                if k not in whole:
                    for m in c.pattern.finditer(text):
                        assert m.start() == m.end() or batch.starts[k] + m.start() in positions, (c.pack, text)


def test_hits_at_candidates_equal_a_full_search(sentences: list[str]) -> None:
    from lintkit.families.claims.lexicon import _fast_hits

    lex = load_lexicon(())
    members = [c for cs in lex.by_category.values() for c in cs if c.prefilter is not None]
    assert len(members) == 8
    extra = ["3 out of 4 people always say so", "Users never fail", "x the latest, the best ever", "é all will"]
    for texts in (sentences + extra, [s for s in sentences + extra if s.isascii()], sentences[::-1] + extra):
        batch = Batch(texts)
        for c in members:
            assert c.fast is not None
            got = list(_fast_hits(c.fast, c.weights, batch, None, c.prefilter))
            assert got == list(_fast_hits(c.fast, c.weights, batch, None)), c.pack
            assert len(got) > 3 or c.category in ("hearsay", "trend")


PHRASE_WORDS = ["will", "never", "Will", "is", "said", "to", "of", "course", "clearly", "more", "and", "so-called",
                "the", "best", "fastest", "All", "every", "people", "always", "Experts", "say", "everyone", "knows",
                "40", "3", "%", "$", "million", "percent", "than", "over", "1,200", "out", "in", "times",
                "increasingly", "won't", "sooner", "or", "later", "apparently", "doubt", "without", "a", "growing",
                "number", "-", "’", "'", ".", ",", "\u0130", "\u212a", "x", "1", "  ", "\n", "é"]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.lists(st.sampled_from(PHRASE_WORDS), max_size=12).map(" ".join), min_size=1, max_size=8))
def test_scan_with_prefilter_equals_reference(texts: list[str]) -> None:
    lex = load_lexicon(())
    texts = [normalise(t) for t in texts]
    batch = Batch(texts)
    for category in ("prediction", "booster", "hearsay", "trend", "absolute", "superlative", "vague_attribution",
                     "quantity"):
        scanned = lex.scan(category, batch)
        for k, text in enumerate(texts):
            assert scanned.get(k, []) == reference(lex, category, text), (category, text)


def _plain_union(groups_list: list, right: str = r"(?![\w\-])") -> str:
    """The pre-filter's look-ahead written plainly: one trie of all phrases, then every pattern."""
    from lintkit.families.claims.fast import _lowered, phrase_tokens

    phrases = {tuple(phrase_tokens(w)) for groups in groups_list for _n, ws, _p in groups for w in ws}
    pats = []
    for groups in groups_list:
        for _n, _w, ps in groups:
            for p in ps:
                low = _lowered(p)
                pats.append("(?:" + anchor_sentence_start(low[0] if low is not None else f"(?i:{p})") + ")")
    body = "|".join([trie([list(t) for t in sorted(phrases, key=len, reverse=True)])] + pats)
    return f"(?=(?:{body}){right})"


def _plain_candidates(union: str, batch: Batch) -> tuple[list[int], list[int]]:
    """Prefilter.candidates as first written: the plain union's matches (ASCII boundary) in
    the batch's ASCII texts, and the indices of the others, searched in full (none when the
    batch's folded text is ASCII)."""
    from lintkit.families.claims.fast import ASCII_BOUNDARY

    whole = [] if batch.ascii else [k for k, t in enumerate(batch.texts) if not t.isascii()]
    plain = re.compile(ASCII_BOUNDARY + union)
    found = [m.end() for m in plain.finditer(batch.folded)]
    return [p for p in found if batch.locate(p) not in whole], whole


@pytest.mark.parametrize("category", ["prediction", "absolute"])
def test_prefilter_matches_where_the_plain_union_does(sentences: list[str], category: str) -> None:
    lex = load_lexicon(())
    pre = lex.by_category[category][0].prefilter
    assert pre is not None
    union = _plain_union([c.groups for cs in lex.by_category.values() for c in cs if c.prefilter is pre])
    extra = ["3 out of 4 people always say so", "Users never fail", "x the latest, the best ever", "naïve users always"]
    for texts in (sentences + extra, [s for s in sentences + extra if s.isascii()]):
        batch = Batch(texts)
        want = _plain_candidates(union, batch)
        assert pre.candidates(batch) == want
        assert len(want[0]) > 20
    assert not Batch(sentences + extra).ascii  # both kinds of batch were checked


PREFIX_WORDS = PHRASE_WORDS + ["studies", "study", "show", "experts", "expert", "the", "data", "world's", "world",
                               "largest", "€", "£", "$", "5", "sources", "close", "to", "Analysts", "found", "People",
                               "Managers", "recent", "one", "a", "It", "widely", "known", "that", "out", "of", "10",
                               "every", "aspect", "nobody", "can", "is", "are", "always", "wrong", "€5", "$ 3bn"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.lists(st.sampled_from(PREFIX_WORDS), max_size=10).map(" ".join), min_size=1, max_size=6))
def test_prefilter_with_pattern_prefixes_matches_where_the_plain_union_does(texts: list[str]) -> None:
    """Patterns tried only after one of their literal prefixes (in the pre-filter's trie)
    match at the same places as the plain union of all phrases and patterns."""
    lex = load_lexicon(())
    for category in ("quantity", "prediction"):
        pre = lex.by_category[category][0].prefilter
        assert pre is not None
        union = _plain_union([c.groups for cs in lex.by_category.values() for c in cs if c.prefilter is pre])
        batch = Batch([normalise(t) for t in texts])
        assert pre.candidates(batch) == _plain_candidates(union, batch)


def test_literal_prefixes() -> None:
    from lintkit.families.claims.fast import _P, _literal_prefixes

    assert _literal_prefixes(_P.parse(r"(?<![\d,.])abc\s+d", 0)) == ["abc"]
    assert _literal_prefixes(_P.parse(r"(?:studies|experts?|the\s+data)\s+x", 0)) == ["studies", "expert", "the"]
    assert _literal_prefixes(_P.parse(r"[$€]\s?\d", 0)) == ["$", "€"]
    assert _literal_prefixes(_P.parse(r"(?:[a-z]+s|people)\s+x", 0)) is None
    assert _literal_prefixes(_P.parse(r"\d+x", 0)) is None
    assert _literal_prefixes(_P.parse(r"(?:a|)b", 0)) is None
    assert _literal_prefixes(_P.parse(r"(?:the\s+)?(?:world|china)'s", 0)) == ["the", "world", "china"]
    assert _literal_prefixes(_P.parse(r"(?:the\s+)?\d", 0)) is None
    assert _literal_prefixes(_P.parse(r"(?:ab)*", 0)) is None


def test_prefilter_is_built_on_the_first_large_batch_only() -> None:
    """A check of a few sentences does not pay for building the pre-filters (~50 ms); a
    batch of Prefilter.MIN_TEXTS texts builds them, and every batch after that uses them.
    The hits are the same either way."""
    from lintkit.families.claims.fast import Prefilter
    from lintkit.families.claims.lexicon import _load

    _load.cache_clear()
    try:
        lex = load_lexicon(())
        pre = lex.by_category["prediction"][0].prefilter
        assert pre is not None and not pre._built
        small = [normalise("Experts say it will never work."), normalise("Nothing to see.")]
        want = {cat: lex.scan(cat, Batch(small)) for cat in ("prediction", "quantity")}
        assert not pre._built  # too small: the packs were searched in full
        assert want["prediction"] and 0 in want["prediction"]
        large = small * (Prefilter.MIN_TEXTS // 2)
        big = lex.scan("prediction", Batch(large))
        assert pre._built and sorted(big) == list(range(0, len(large), 2))
        assert {cat: lex.scan(cat, Batch(small)) for cat in ("prediction", "quantity")} == want
    finally:
        _load.cache_clear()


def test_prefilter_without_a_pattern_has_every_text_searched_in_full() -> None:
    from lintkit.families.claims.fast import Prefilter

    pre = Prefilter(lambda: None)
    batch = Batch(["one", "two", "three"])
    assert pre.worth(batch) is False and pre.candidates(batch) == ([], [0, 1, 2]) and pre.worth(batch) is True


def test_leading_tokens() -> None:
    from lintkit.families.claims.fast import _leading_tokens

    assert _leading_tokens(r"\s+first\s+(?:\w+\s+)?x") == ([r"\s+", "f", "i", "r", "s", "t", r"\s+"], r"(?:\w+\s+)?x")
    assert _leading_tokens("ab?c") == (["a"], "b?c") and _leading_tokens("abc") == (["a", "b", "c"], "")
    for src in [r"\s+?x", "(?:a)b", "s?x", "a{2}", r"\.a", "é"]:
        assert _leading_tokens(src) == ([], src)


def test_source_alternatives_and_group_end() -> None:
    from lintkit.families.claims.fast import _alternatives, _group_end

    assert _alternatives("a|b") == ["a", "b"]
    assert _alternatives("(a|b)|c") == ["(a|b)", "c"]
    assert _alternatives(r"[|]|\||[]|]x|[^\]|]y") == ["[|]", r"\|", "[]|]x", r"[^\]|]y"]
    assert _alternatives("(?:a|b)c") == ["(?:a|b)c"]
    assert _alternatives("a(b") is None and _alternatives("a)b(") is None
    assert _group_end("(?:a|(b))c") == 8 and _group_end(r"(\)|[)])x") == 7 and _group_end("(ab") is None


def test_remainders_of_a_pattern_after_its_prefixes(sentences: list[str]) -> None:
    """A pattern split by _remainders matches at the same places as the alternation of
    its prefixes each followed by its rest (the pre-filter puts those in its trie)."""
    from lintkit.families.claims.fast import _P, _literal_prefixes, _remainders

    def split(src: str) -> list[tuple[str, str]] | None:
        tree = _P.parse(src, 0)
        return _remainders(src, tree, _literal_prefixes(tree))

    assert split(r"(?:studies|experts?|the\s+data)\s+x") == [
        ("studies", r"\s+x"), ("expert", r"s?\s+x"), ("the", r"\s+data\s+x")]
    assert split(r"the\s+(?:a|b)est") == [("the", r"\s+(?:a|b)est")]
    assert split("ab?c") == [("a", "b?c")]
    for src in ["abc|abd", "(?:ab|ac)x", "(?:a|b)x", "(?:ab|cd)?x", "(?:ab|cd)+x", "(?:foo|bar)|z", r"[$€]\s?\d",
                r"(?<![\d,.])\d", r"e\.g\.x", "(?:ab|c\\.d)x"]:
        assert split(src) is None, src
    lex = load_lexicon(())
    texts = [fold(t) for t in sentences if t.isascii()] + ["studies show", "the data suggest", "experts say so"]
    checked = 0
    for cs in lex.by_category.values():
        for c in cs:
            for _name, _words, patterns in c.groups:
                for p in patterns:
                    src = lowered(p)
                    found = split(anchor_sentence_start(src)) if src is not None else None
                    if not found:
                        continue
                    want = re.compile(anchor_sentence_start(src))
                    got = re.compile("|".join(f"{re.escape(head)}(?:{rest})" for head, rest in found))
                    for text in texts:
                        for i in range(len(text)):
                            assert bool(want.match(text, i)) == bool(got.match(text, i)), (p, text, i)
                    checked += 1
    assert checked >= 8
