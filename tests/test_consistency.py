"""Consistency family (CN): exact findings on the seed essay and the fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lintkit.api import check_path, check_text
from lintkit.errors import LintkitError
from lintkit.families.consistency.lexicon import lexicon, norm_key
from lintkit.families.consistency.names import _deletes, _end_only, _osa

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures" / "consistency"


def run(path: Path | str, **kw) -> list[tuple[int, int, str, list[str]]]:
    fs = check_path(str(path), select=["CN"], isolated=True, **kw)
    return [(f.line, f.column, f.code, [x.replacement for x in f.fixes]) for f in fs]


def text(src: str, name: str = "t.txt", **kw) -> list[tuple[int, int, str, list[str]]]:
    fs = check_text(src, path=name, select=["CN"], isolated=True, **kw)
    return [(f.line, f.column, f.code, [x.replacement for x in f.fixes]) for f in fs]


SEED_EXPECTED = [
    (1, 62, "CN101", ["White House"]),
    (6, 30, "CN102", ["TikTok"]),
    (6, 38, "CN102", ["ByteDance"]),
    (6, 144, "CN102", ["ByteDance"]),
    (6, 303, "CN102", ["ByteDance"]),
    (6, 376, "CN102", ["TikTok"]),
    (8, 63, "CN102", ["ByteDance"]),
    (8, 111, "CN102", ["TikTok"]),
    (8, 196, "CN303", []),
    (8, 260, "CN102", ["ByteDance"]),
    (10, 1, "CN102", ["ByteDance"]),
    (10, 122, "CN101", ["White House"]),
    (10, 154, "CN102", ["WeChat"]),
    (10, 269, "CN102", ["WeChat"]),
    (12, 33, "CN102", ["ByteDance"]),
    (12, 53, "CN103", ["Chinese"]),
    (12, 237, "CN103", ["Chinese"]),
    (16, 33, "CN103", ["Chinese"]),
    (16, 428, "CN102", ["WeChat"]),
    (16, 462, "CN101", ["Tencent"]),
    (20, 435, "CN103", ["Chinese"]),
    (22, 64, "CN103", ["Chinese"]),
]


def test_seed_exact_findings(seed_path: Path) -> None:
    assert run(seed_path) == SEED_EXPECTED


def test_seed_messages(seed_path: Path) -> None:
    fs = {(f.line, f.column): f for f in check_path(str(seed_path), select=["CN"], isolated=True)}
    tecent = fs[(16, 462)]
    assert tecent.message.startswith('"Tecent" → "Tencent" (used 3 times, first at 12:44); spellings: ')
    assert '"Tencent" 3× (first 12:44)' in tecent.message and '"Tecent" 1× (first 16:462)' in tecent.message
    assert tecent.data["spelling"] is True
    src = seed_path.read_text(encoding="utf-8")
    assert src[tecent.start:tecent.end] == "Tecent"  # the possessive ’s is not part of the span
    wh = fs[(1, 62)]
    assert wh.message.startswith('"white house" → "White House" (house spelling; used 2 times, first at 16:384)')
    assert fs[(10, 122)].message.startswith('"White house" → "White House"')
    assert fs[(10, 154)].message == '"Wechat" → "WeChat" (house spelling, pack house-terms)'
    assert fs[(12, 53)].message.startswith('"chinese" → "Chinese"')
    assert fs[(8, 196)].message.startswith('"MAU" ("Monthly Active User") is defined but never used again')
    # Nothing on US, Chinese, Tencent or White House as written correctly.
    for f in fs.values():
        assert src[f.start:f.end] not in ("US", "Chinese", "Tencent", "White House")


def test_seed_fixes_apply(seed_path: Path) -> None:
    src = seed_path.read_text(encoding="utf-8")
    fs = check_path(str(seed_path), select=["CN1"], isolated=True)
    out = src
    for f in sorted(fs, key=lambda f: -f.start):
        (fix,) = f.fixes
        assert fix.safe and (fix.start, fix.end) == (f.start, f.end)
        out = out[:fix.start] + fix.replacement + out[fix.end:]
    assert check_path(str(seed_path), select=["CN1"], isolated=True)  # file unchanged on disk
    assert check_text(out, path="fixed.txt", select=["CN1"], isolated=True) == []
    assert "Tencent’s other business" in out and "chinese" not in out


def test_names_fixture_markdown() -> None:
    assert run(FIX / "names.md") == [
        (4, 15, "CN101", ["Tencent"]),
        (4, 21, "CN401", ["’"]),
        (4, 31, "CN101", ["ByteDance"]),
        (4, 46, "CN102", ["TikTok"]),
        (6, 75, "CN101", ["White House"]),
        (8, 32, "CN101", ["Tencent"]),  # link text is prose; code, link target and URL are not
    ]


def test_variants_fixture() -> None:
    assert run(FIX / "variants.txt") == [
        (1, 9, "CN101", ["email"]),
        (2, 6, "CN103", ["Chinese"]),
        (2, 63, "CN103", ["American"]),
        (3, 45, "CN201", ["colour"]),
        (4, 27, "CN201", ["organise"]),
    ]


def test_acronyms_fixture() -> None:
    fs = check_path(str(FIX / "acronyms.md"), select=["CN3"], isolated=True)
    got = [(f.line, f.column, f.code) for f in fs]
    assert got == [(3, 1, "CN301"), (5, 68, "CN302"), (7, 29, "CN303"), (7, 57, "CN302"), (9, 21, "CN303"),
                   (9, 70, "CN303")]
    msgs = [f.message for f in fs]
    assert msgs[0] == '"MAU" is used before its definition at 3:38 ("Monthly Active Users"); define it at its first use'
    assert msgs[1] == '"DAU" is defined again (first defined at 5:21); use the acronym alone'
    assert msgs[3] == '"KPI" is defined here as "Kilo Pascal Index" but at 7:29 as "Key Performance Indicators"'


def test_typography_fixture() -> None:
    assert run(FIX / "typography.txt") == [
        (1, 43, "CN401", ["“"]),
        (1, 49, "CN401", ["”"]),
        (2, 56, "CN402", [" — "]),
        (3, 61, "CN403", ["3 million"]),
        (3, 75, "CN403", ["2 billion"]),
        (4, 39, "CN404", ["3%"]),
        (5, 42, "CN405", ["US"]),
    ]


# Hard negatives ------------------------------------------------------------------------


def test_dictionary_words_never_pair() -> None:
    src = "We form a team from the people. The form was from them. Their house is there. Form follows.\n"
    assert text(src) == []


def test_apple_company_and_fruit_not_forced() -> None:
    src = "Apple shipped a phone. Apple grew. Apple hired. I ate an apple. Apple sold more.\n"
    assert text(src) == []


def test_names_in_code_urls_and_quotes_not_flagged() -> None:
    src = ("Tencent grew. Tencent hired. Tencent sold.\n\n"
           "Run `Tecent --help` and see https://example.com/Tecent or [docs](https://x.org/Bytedance).\n\n"
           "> Tecent was founded long ago.\n\n"
           "He wrote “Tecent is big” once.\n")
    assert text(src, "t.md") == []


def test_sentence_initial_capital_is_not_a_variant() -> None:
    src = "Email is fast. We send email daily. Our email is short. Email again.\n"
    assert text(src) == []


def test_plural_and_possessive_join_their_name() -> None:
    src = "Tencent grew. Tencent hired. Tencent’s games sold. The Tencents of this world. Tecent's, too.\n"
    got = check_text(src, path="t.txt", select=["CN101"], isolated=True)
    assert [(f.column, f.message.split(" (")[0]) for f in got] == [(80, '"Tecent" → "Tencent"')]
    assert "(used 4 times, first at 1:1)" in got[0].message
    assert src[got[0].start:got[0].end] == "Tecent"


def test_tie_prefers_first_use_and_says_so() -> None:
    src = "The Xanadoo app and the XanaDoo app.\n"
    got = check_text(src, path="t.txt", select=["CN101"], isolated=True, config={"consistency": {}})
    assert got == []  # letter case only, no house term, no clear majority: not reported
    src = "The frobnicate-tool is new. The frobnicatetool works.\n"
    got = check_text(src, path="t.txt", select=["CN101"], isolated=True)
    assert [(f.column, f.fixes[0].replacement) for f in got] == [(33, "frobnicate-tool")]
    assert "no majority, first use wins" in got[0].message


def test_open_compounds_option() -> None:
    src = "We break even soon. The break-even point. The break-even date. The break-even plan.\n"
    assert text(src) == []
    got = text(src, config={"consistency": {"open-compounds": True}})
    assert got == [(1, 4, "CN101", ["break-even"])]


def test_uk_us_configured_dialect() -> None:
    src = "The colour and the flavour, organised.\n"
    assert text(src) == []
    got = text(src, config={"consistency": {"dialect": "en-US"}})
    assert got == [(1, 5, "CN201", ["color"]), (1, 20, "CN201", ["flavor"]), (1, 29, "CN201", ["organized"])]
    got = text(src, config={"consistency": {"dialect": "en-US"}})


def test_capitalised_dialect_word_is_a_name() -> None:
    src = "The colour, the colour, the colour. We visited Pearl Harbor and the Labor Party.\n"
    assert text(src) == []


def test_house_term_lowercase_ok() -> None:
    src = "They live in a white house near the pentagon.\n"
    assert text(src) == []


def terms_pack(tmp_path: Path, term: str) -> Path:
    """A user rule pack ``mine.toml`` of kind ``terms`` with one ``[[term]]`` table."""
    pack = tmp_path / "mine.toml"
    pack.write_text('[pack]\nname = "mine"\nkind = "terms"\nversion = "1"\ndescription = "x"\n\n'
                    f"[[term]]\n{term}\n", encoding="utf-8")
    return pack


def test_user_rule_pack(tmp_path: Path) -> None:
    pack = terms_pack(tmp_path, 'canonical = "FooCorp"\nwrong = ["Foo Corporation"]')
    src = "Foocorp grew. Foo Corporation hired.\n"
    got = text(src, config={"rule-packs": [str(pack)]})
    assert got == [(1, 1, "CN102", ["FooCorp"]), (1, 15, "CN102", ["FooCorp"])]


def test_bad_user_pack_names_entry(tmp_path: Path) -> None:
    pack = tmp_path / "bad.toml"
    pack.write_text('[pack]\nname = "bad"\nkind = "terms"\nversion = "1"\ndescription = "x"\n\n'
                    '[[term]]\ncanonical = "X"\nspelling = "y"\n', encoding="utf-8")
    with pytest.raises(LintkitError, match="unknown key"):
        text("hello\n", config={"rule-packs": [str(pack)]})


def test_unknown_option_rejected() -> None:
    with pytest.raises(LintkitError):
        text("hello\n", config={"consistency": {"dialekt": "en-GB"}})


# Units -------------------------------------------------------------------------------


def test_symmetric_delete_and_distance() -> None:
    assert "tecent" in _deletes("tencent", 1)
    assert _osa("tecent", "tencent", 2) == 1
    assert _osa("tencnet", "tencent", 2) == 1  # transposition
    assert _osa("goverment", "government", 2) == 1
    assert _osa("wandsworth", "wordsworth", 2) == 2
    assert _end_only("victoria", "victorian") and not _end_only("tecent", "tencent")


def test_deletes_of_one_or_two_letters_only() -> None:
    assert _deletes("abc", 1) == {"abc", "bc", "ac", "ab"}
    with pytest.raises(ValueError, match="one or two letters only"):
        _deletes("abc", 3)


def _deletes_as_first_written(word: str, d: int) -> frozenset[str]:
    out = {word}
    frontier = {word}
    for _ in range(d):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return frozenset(out)


def _edited(word: str, edits: list[tuple[int, int, str]]) -> str:
    """``word`` after the edits (kind, position, letter): substitute, insert, delete, swap."""
    for kind, at, letter in edits:
        i = at % (len(word) + 1)
        if kind == 0:
            word = word[:i] + letter + word[i + 1:]
        elif kind == 1:
            word = word[:i] + letter + word[i:]
        elif kind == 2:
            word = word[:i] + word[i + 1:]
        else:
            word = word[:i] + word[i + 1:i + 2] + word[i:i + 1] + word[i + 2:]
    return word


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(st.text("abcé", max_size=12), st.lists(st.tuples(st.integers(0, 3), st.integers(0, 12), st.sampled_from("abcé")),
                                              max_size=2), st.integers(1, 2))
def test_near_variant_pairs_are_partnered_and_share_a_delete(a: str, edits: list[tuple[int, int, str]],
                                                             d: int) -> None:
    """_deletes() is the set of the loops as first written; every pair near_variants() may
    report (same first letter, not _end_only, at most d edits apart: 2 only between keys of
    8+ letters) is kept by _partnered() on both sides, with deletes that meet."""
    from lintkit.families.consistency.names import _partnered

    assert _deletes(a, d) == _deletes_as_first_written(a, d)
    a, b = "x" + a, "x" + _edited(a, edits)  # keys of one first letter (the others never pair)
    for two in (True, False):  # two edits allowed between long keys (lower-case ones)
        edits = 2 if two and min(len(a), len(b)) >= 8 else 1
        if a == b or _end_only(a, b) or _osa(a, b, edits) > edits:
            continue
        level_a, level_b = _partnered([a], [b]).get(a, 0), _partnered([b], [a]).get(b, 0)
        assert min(level_a, level_b) >= edits
        assert _deletes(a, level_a) & _deletes(b, level_b)


def test_packs_loaded() -> None:
    lex = lexicon(())
    assert lex.terms[norm_key("TikTok")].canonical == "TikTok"
    assert len(lex.dialect) >= 600  # a few hundred pairs, both directions
    assert "US" in lex.acronyms and lex.demonyms["chinese"] == "Chinese"


def test_ordinary_words_are_not_a_split_house_term() -> None:
    src = "We chat every day on WeChat. Then we chat again on WeChat and WeChat. We Chat is wrong.\n"
    # "we chat" is two ordinary words; "We Chat" is listed as a wrong form in the pack.
    assert text(src) == [(1, 71, "CN101", ["WeChat"])]


def test_three_word_user_term(tmp_path: Path) -> None:
    # Three-word sequences follow a run of adjacent words (Units pairs chained).
    pack = terms_pack(tmp_path, 'canonical = "Bank of Zorbia"\nwrong = ["Bank-of-Zorbia"]')
    src = "The Bank of Zorbia lends. The bank of Zorbia's rates rose. Bank-of-Zorbia data and Bankof Zorbia.\n"
    got = text(src, config={"rule-packs": [str(pack)]})
    assert got == [(1, 31, "CN101", ["Bank of Zorbia"]), (1, 60, "CN101", ["Bank of Zorbia"]),
                   (1, 84, "CN101", ["Bank of Zorbia"])]


def test_typography_styles_without_shortcuts() -> None:
    # Each CN4xx check skips its scans when the text cannot hold two styles; these hold two.
    assert text("Sales rose 5 percent, costs 3 per cent and taxes 2 percent.\n") == [(1, 29, "CN404", ["3 percent"])]
    assert text("The U.S. market, the US army and the US navy. The U.K. and the UK.\n") == [
        (1, 5, "CN405", ["US"]), (1, 64, "CN405", ["U.K"])]
    assert text("It rained — hard. Then it stopped - suddenly. And -- again. It rained — hard.\n") == [
        (1, 34, "CN402", [" — "]), (1, 50, "CN402", [" — "])]
    assert text("Revenue hit 20 million; costs were 15M and 30 million; debt 1,000,000,000.\n") == [
        (1, 36, "CN403", ["15 million"]), (1, 61, "CN403", ["1 billion"])]
    assert text("He said “yes” and \"no\" and “maybe”.\n") == [(1, 19, "CN401", ["“"]), (1, 22, "CN401", ["”"])]
    assert text("Costs fell 3% and 4 % and 5%. Only -- dashes -- here. The US and USA.\n") == []


def test_bounded_memo_tables_do_not_change_findings(seed_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lintkit.families.consistency import lexicon as lexicon_module
    from lintkit.families.consistency import units as units_module

    # Tables emptied every few entries (also in the middle of a document): same findings.
    monkeypatch.setattr(units_module, "_FACTS_MAX", 3)
    monkeypatch.setattr(lexicon_module, "MEMO_MAX", 3)
    units_module._FACTS.clear()
    assert run(seed_path, config={"cache": False}) == SEED_EXPECTED


def test_scan_patterns_match_them_as_first_written() -> None:
    # Patterns rewritten to start with a literal or a character class (fast candidate scan)
    # find exactly what the patterns as first written find, with pos/endpos too (the
    # alphabets are characters or tokens the strings are made of).
    import random
    import re

    from lintkit.families.consistency import acronyms, typography, units

    first_written = [
        (units._QUOTE, r"“[^”\n]{1,2000}”|(?<![\w])\"[^\"\n]{1,2000}\"(?![\w])|«[^»\n]{1,2000}»",
         'ab "“”«»\n.\'_'),
        (acronyms._ACR_PAREN, r"\b([A-Z][A-Za-z0-9&]{0,7}[A-Z0-9])(s?) ?\(([^()\n]{3,120})\)", "aAB1& (s)\n_é"),
        (typography._SCALE_WORD, r"(?<![\w.,])(\d{1,3}(?:\.\d+)?) (million|billion|trillion)\b",
         ["1", "2", "34", ".", ",", " ", "a", "_", "million", "billion", "trillion", "é"]),
        (typography._SCALE_ABBR, r"(?:(?<=[$€£¥])|(?<![\w.,]))(\d{1,3}(?:\.\d+)?)(M|bn|mn|tn)(?![\w])"
         r"|(?<=[$€£¥])(\d{1,3}(?:\.\d+)?)([mbBT])(?![\w])",
         ["1", "2", "34", ".", ",", " ", "a", "_", "$", "€", "M", "bn", "mn", "tn", "m", "b", "B", "T", "é"]),
        (typography._FULL, r"(?<![\w.,])\d{1,3}(?:,\d{3}){2,}(?![\w,]|\.\d)",
         ["1", "2", "34", "000", ",000", ",", ".", " ", "a", "_"]),
        (typography._PCT_SIGN, r"(?<![\w.,])(\d+(?:\.\d+)?)( ?)%", ["1", "2", "34", ".", ",", " ", "%", "a", "_"]),
        (typography._PCT_WORD, r"(?<![\w.,])(\d+(?:\.\d+)?) (percent|per cent)\b",
         ["1", "2", "34", ".", ",", " ", "percent", "per cent", "a", "_"]),
        (typography._US, r"(?<![\w.])(U\.S\.(?:A\.)?|U\.K\.|USA|US|UK)(?![\w])",
         ["U", "S", "K", "A", ".", " ", "a", "_", "1", "é"]),
    ]
    rng = random.Random(7)
    for fast, written, alphabet in first_written:
        slow = re.compile(written)
        for _ in range(20_000):
            s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
            a = rng.randint(0, len(s))
            b = rng.randint(a, len(s))
            assert [(m.span(), m.groups()) for m in fast.finditer(s, a, b)] == \
                   [(m.span(), m.groups()) for m in slow.finditer(s, a, b)], (written, s, a, b)

    # The dashes, one pattern per dash: together they find what the two patterns found.
    spaced = re.compile(r"(?<=[\w,.;:!?)\]\"”’]) (—|–|--|-) (?=[\w(\"“‘])")
    closed = re.compile(r"(?<=[^\W\d_])(—|--)(?=[^\W\d_])")
    names = {"—": "em dash spaced", "–": "en dash spaced", "-": "spaced hyphen", "--": "double hyphen"}
    dash_tokens = [*"a1_ -—–,.)(\"“‘’”é\n", " - ", " -- ", " — ", " – ", "a--b", "é—a"]
    for _ in range(40_000):
        s = "".join(rng.choice(dash_tokens) for _ in range(rng.randint(0, 16)))
        expected = [(m.start(), m.end(), names[m.group(1)]) for m in spaced.finditer(s)]
        expected += [(m.start(), m.end(), "em dash closed" if m.group(1) == "—" else "double hyphen")
                     for m in closed.finditer(s)]
        assert typography.dashes(s) == sorted(expected), s


def test_number_matches_found_from_their_tails_are_a_whole_scan() -> None:
    # pct_sign_matches & co. search only the run of digits before each %, "percent",
    # "per cent" or "...illion": the same matches, in the same order, as the patterns as
    # first written scanning the whole text.
    import random
    import re

    from lintkit.families.consistency import typography

    cases = [
        (typography.pct_sign_matches, r"(?<![\w.,])(\d+(?:\.\d+)?)( ?)%",
         ["1", "2", "34", ".", ",", " ", "%", "a", "_", "٣", "²", "\n"]),
        (typography.pct_word_matches, r"(?<![\w.,])(\d+(?:\.\d+)?) (percent|per cent)\b",
         ["1", "2", "34", ".", ",", " ", "percent", "per cent", "per", "cent", "a", "_", "٣", "%"]),
        (typography.scale_word_matches, r"(?<![\w.,])(\d{1,3}(?:\.\d+)?) (million|billion|trillion)\b",
         ["1", "2", "34", ".", ",", " ", "million", "billion", "trillion", "illion", "m", "tr", "a", "_", "٣"]),
    ]
    rng = random.Random(11)
    for found, written, alphabet in cases:
        slow = re.compile(written)
        for _ in range(30_000):
            s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
            assert [(m.span(), m.groups()) for m in found(s)] == \
                   [(m.span(), m.groups()) for m in slow.finditer(s)], (written, s)
    text = "Up 5 percent, 7 % or 8%, 2 per cent; 1.5 million, 3 trillion; 5 percentage, 9 millions."
    assert [m.group(0) for m in typography.pct_sign_matches(text)] == ["7 %", "8%"]
    assert [m.group(0) for m in typography.pct_word_matches(text)] == ["5 percent", "2 per cent"]
    assert [m.group(0) for m in typography.scale_word_matches(text)] == ["1.5 million", "3 trillion"]


def test_variant_counts_by_position_and_apostrophe() -> None:
    # A heading and a sentence-initial capital count as the spelling they stand for, and
    # apostrophe styles as one spelling; counts and first uses as the message gives them.
    src = ("# Frobtool notes\n\nThe frobtool runs. Frobtool starts. The frobtool’s flags and the frob-tool API. "
           "The frobtool's again. We ship FROBTOOL.\n")
    got = check_text(src, path="t.md", select=["CN101"], isolated=True)
    assert [(f.line, f.column, f.fixes[0].replacement) for f in got] == [(3, 66, "frobtool")]
    assert got[0].message == ('"frob-tool" → "frobtool" (used 5 times, first at 1:3); spellings: "frobtool" 5× '
                              '(first 1:3), "frob-tool" 1× (first 3:66)')


def test_near_variant_two_letters_shorter() -> None:
    src = "The frobnicatorium grew. A frobnicatorium fell. Each frobnicatorium rose. One frobcatorium sank.\n"
    assert text(src) == [(1, 79, "CN101", ["frobnicatorium"])]


def test_dialect_of_one_kind_only() -> None:
    assert text("The color of the center.\n") == []
    assert text("The color of the center.\n", config={"consistency": {"dialect": "en-GB"}}) == [
        (1, 5, "CN201", ["colour"]), (1, 18, "CN201", ["centre"])]
    assert text("The color of the center.\n", config={"consistency": {"dialect": "en-US"}}) == []
    assert text("The color of the center. The colour.\n") == [(1, 30, "CN201", ["color"])]


_FORMS = ["the", "The", "THE", "t'he", "T’he", "new york", "New York", "New york", "ne-w", "New-York", "İt", "i̇t"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_FORMS), st.booleans(), st.booleans()), min_size=1, max_size=12))
def test_single_spelling_shortcut_matches_resolve(uses: list[tuple[str, bool, bool]]) -> None:
    # CN101 decides a key without a house term whose spellings resolve to one (The / the)
    # from its classes (memoised) and builds its Group directly: the same as resolve() + tally().
    from collections import Counter

    from lintkit.families.consistency import names

    occs = [(i, i + len(f), f, "k", a, b, False, False, 1, False) for i, (f, a, b) in enumerate(uses)]
    checker = names.NameChecker.__new__(names.NameChecker)
    checker.lex = lexicon(())
    ref = names.Group("zzqkey", occs)
    checker.resolve(ref)
    classes = Counter(map(names._CLASS, occs))
    form = names._single(tuple(classes))
    assert names._single(tuple(classes)) == form  # memoised: the same answer
    if len(ref.counts) != 1:
        assert form is None
        return
    assert form == next(iter(ref.counts))
    got = names._single_group("zzqkey", occs, classes, form)
    assert (got.counts, got.trusted, got.first, got.classes, got.resolved) == (
        ref.counts, ref.trusted, ref.first, ref.classes, ref.resolved)


_ACR_WORDS = ["API", "APIs", "API's", "API’s", "APIx", "`API`", "AP", "A", "Apple", "DAU", "DAUs", "DAU'd", "the",
              "(API)", "Application Programming Interface", "<https://API.example>", "[API](https://x.y)", "é", "CAFÉ",
              ".", ",", "\n\n", "- ", "# "]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_ACR_WORDS), max_size=40).map(" ".join))
def test_acronym_uses_from_columns_equal_words(text: str) -> None:
    """CN3's uses, read from the word columns, are the words (not placeholders) that are an
    acronym or one with "s"/"'s", as the loop over ``Word`` objects found them."""
    from lintkit.api import read_document
    from lintkit.families.consistency.acronyms import _uses, acronym_in

    acronyms = {"API": [], "DAU": [], "CAFÉ": []}
    doc = read_document(text)
    found = [(acr, w.start, w.end, w.text) for acr, w in _uses(doc, acronyms)]
    expected = []
    for w in read_document(text).words:  # the loop over Word objects it replaced
        t = None if w.placeholder else acronym_in(w.text, acronyms)
        if t is not None:
            expected.append((t, w.start, w.end, w.text))
    assert found == expected
    assert (acronym_in("APIs", acronyms), acronym_in("DAU’s", acronyms), acronym_in("APIx", acronyms)) == (
        "API", "DAU", None)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_ACR_WORDS), max_size=40).map(" ".join), st.integers(0, 200), st.integers(0, 200),
       st.integers(1, 12))
def test_acronym_words_from_columns_equal_words(text: str, a: int, b: int, k: int) -> None:
    """The words before a position and inside a span, read from the word columns, are those
    of the loops over ``Word`` objects they replace."""
    from lintkit.api import read_document
    from lintkit.families.consistency.acronyms import _words_before, _words_within

    for s in read_document(text).sentences:
        words = [(w.start, w.end, w.text) for w in s.words if not w.placeholder]
        before = [w for w in words if w[1] <= a]
        assert [(w.start, w.end, w.text) for w in _words_before(s, a, k)] == before[-k:]
        within = [w for w in words if a <= w[0] and w[1] <= b]
        assert [(w.start, w.end, w.text) for w in _words_within(s, a, b)] == within


_SPELLINGS = ["chinese", "Chinese", "CHINESE", "chinese-american", "Sino-chinese", "colour", "Colour",
              "color-blind", "colour-blind", "organise", "Organize", "a-b-c", "-", "", "Ünicode", "centre", "CENTRE",
              "the", "re-colour"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sets(st.sampled_from(_SPELLINGS), max_size=10), min_size=1, max_size=6), st.integers(3, 40))
def test_spellings_with_equals_parts_of_every_spelling(docs: list[set[str]], memo_max: int) -> None:
    """spellings_with() finds what ``parts`` finds in every spelling of each document (as
    calling it on each did), though it calls it only for hyphenated spellings and those
    whose lower case is a key, once per spelling seen, also when its tables are emptied."""
    from unittest import mock

    from lintkit.families.consistency import lexicon as lexicon_module
    from lintkit.families.consistency.dialect import _dialect_parts
    from lintkit.families.consistency.lexicon import Lexicon
    from lintkit.families.consistency.names import _demonym_parts

    lex = lexicon(())
    fresh = Lexicon(demonyms=lex.demonyms, dialect=lex.dialect)
    with mock.patch.object(lexicon_module, "MEMO_MAX", memo_max):
        for forms in docs:
            for name, table, parts in (("demonyms", lex.demonyms, _demonym_parts),
                                       ("dialect", lex.dialect, _dialect_parts)):
                expected = {f: parts(f, table) for f in forms if parts(f, table)}
                got = fresh.spellings_with(name, forms, lambda f, t=table, p=parts: p(f, t), table.keys())
                assert got == expected
