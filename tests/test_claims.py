"""The claims family (CL): acceptance on the seed essay, support, hedges, opinions,
questions, lexicon packs and options. Exact positions are 1-based line:column."""

from __future__ import annotations

from pathlib import Path

import pytest

from lintkit.api import check_text, read_document
from lintkit.errors import LintkitError
from lintkit.families.claims import RULES
from lintkit.types import Finding

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_ea6b9445212ab19d.txt"


def cl(text: str, path: str = "x.txt", **config: object) -> list[Finding]:
    return check_text(text, path=path, select=["CL"], isolated=True,
                      config={"claims": config} if config else None)


def summary(findings: list[Finding]) -> list[tuple[int, int, str, list[str]]]:
    return [(f.line, f.column, f.code, f.data["codes"]) for f in findings]


@pytest.fixture(scope="module")
def seed() -> tuple[str, list[Finding]]:
    text = SEED.read_text(encoding="utf-8")
    return text, cl(text)


def _sentence_at(text: str, line: int, column: int) -> tuple[int, int]:
    """Source span of the seed sentence starting at line:column."""
    doc = read_document(text, path="x.txt")
    for s in doc.sentences:
        a, b = doc.source_span(s.start, s.end)
        if doc.position(a) == (line, column):
            return a, b
    raise AssertionError(f"no sentence starts at {line}:{column}")


def test_seed_findings_exact(seed: tuple[str, list[Finding]]) -> None:
    _text, findings = seed
    assert summary(findings) == [
        (8, 1, "CL107", ["CL107", "CL103", "CL106"]),  # Apparently … will eventually … without doubt
        (8, 175, "CL101", ["CL101"]),  # more than 20 million MAU
        (10, 99, "CL106", ["CL106", "CL103"]),  # won't be the last one; of course
        (12, 86, "CL105", ["CL105"]),  # the biggest problem
        (14, 77, "CL108", ["CL108"]),  # more than ever
        (14, 191, "CL104", ["CL104"]),  # everything is connected
        (16, 180, "CL101", ["CL101"]),  # hundreds of US companies
        (16, 287, "CL106", ["CL106", "CL105"]),  # will be the first
        (20, 421, "CL108", ["CL108"]),  # More and more
        (22, 342, "CL106", ["CL106"]),  # will only arise new problems
    ]


@pytest.mark.parametrize("line,column,code,trigger", [
    (8, 1, "CL107", "Apparently"),
    (8, 148, "CL101", "more than 20 million"),
    (10, 1, "CL106", "won’t be the last"),
    (12, 1, "CL105", "the biggest"),
    (16, 159, "CL101", "hundreds of"),
    (16, 274, "CL106", "will be the first"),
    (20, 421, "CL108", "More and more"),
])
def test_seed_claim_sentences_are_reported(seed: tuple[str, list[Finding]], line: int, column: int, code: str,
                                           trigger: str) -> None:
    text, findings = seed
    a, b = _sentence_at(text, line, column)
    inside = [f for f in findings if a <= f.start < b]
    assert len(inside) == 1  # one finding per sentence
    f = inside[0]
    assert f.code == code
    assert text[f.start:f.end] == trigger
    assert (f.data["sentence_start"], f.data["sentence_end"]) == (a, b)


def test_seed_first_sentence_names_all_reasons(seed: tuple[str, list[Finding]]) -> None:
    _text, findings = seed
    f = findings[0]
    assert f.message == ("Unsupported claim: Hearsay 'Apparently'; also certainty booster 'without doubt', "
                         "prediction stated as certain 'won’t change'. Name the source, add a source or hedge it.")
    assert f.data["categories"] == ["hearsay", "booster", "prediction"]
    assert f.data["suggestion"] == "Name the source, add a source or hedge it"


@pytest.mark.parametrize("line,column", [(6, 126), (12, 290), (12, 216), (16, 219), (18, 346), (18, 403), (18, 446)])
def test_seed_supported_opinion_and_questions_not_reported(seed: tuple[str, list[Finding]], line: int,
                                                           column: int) -> None:
    text, findings = seed
    a, b = _sentence_at(text, line, column)
    assert [f for f in findings if a <= f.start < b] == []


def test_seed_without_the_named_antecedent_they_claimed_is_reported() -> None:
    # "They claimed" counts only because the previous sentence names Bytedance.
    text = "They claimed that there was absolutely no misuse of data."
    assert summary(cl(text)) == [(1, 29, "CL103", ["CL103"])]
    named = "Bytedance made an announcement. " + text
    assert cl(named) == []


# Support ----------------------------------------------------------------------------

CLAIM = "The app has more than 20 million users in the US"


@pytest.mark.parametrize("support", [
    f"{CLAIM} [1].",
    f"{CLAIM} [^1].",
    f"{CLAIM}.^1",
    f"{CLAIM} [@sensortower2020].",
    f"{CLAIM} (Sensor Tower, 2020).",
    f"{CLAIM} (Smith et al. 2020).",
    f"{CLAIM} (https://example.com/report).",
    f"{CLAIM} (doi:10.1000/xyz123).",
    f"According to Sensor Tower, {CLAIM[0].lower()}{CLAIM[1:]}.",
    f"{CLAIM}, Reuters reported.",
    f"Reuters reported that {CLAIM[0].lower()}{CLAIM[1:]}.",
    f"{CLAIM}. This figure comes from Sensor Tower.",
    f"{CLAIM}. See https://example.com/report for the data.",
    f'"{CLAIM}," Smith said.',
])
def test_support_cancels_a_statistic(support: str) -> None:
    assert cl(support) == []


def test_markdown_link_is_support() -> None:
    assert cl(f"{CLAIM} ([Sensor Tower](https://sensortower.com/report)).\n", path="x.md") == []
    assert summary(cl(f"{CLAIM} (see `report.pdf`).\n", path="x.md")) == [(1, 13, "CL101", ["CL101"])]


@pytest.mark.parametrize("text,expected", [
    (f"According to experts, {CLAIM[0].lower()}{CLAIM[1:]}.", [(1, 35, "CL101")]),
    (f"{CLAIM}. Experts say so.", [(1, 13, "CL101"), (1, 51, "CL102")]),
    (f"{CLAIM}. It was a good year. This figure comes from Sensor Tower.", [(1, 13, "CL101")]),
    ("Experts say the app is popular. Sensor Tower reported its revenue.", [(1, 1, "CL102")]),
])
def test_not_support(text: str, expected: list[tuple[int, int, str]]) -> None:
    assert [(f.line, f.column, f.code) for f in cl(text)] == expected


def test_support_scope_option() -> None:
    text = f"{CLAIM}. The market is young. Other apps are smaller [1]."
    assert summary(cl(text)) == [(1, 13, "CL101", ["CL101"])]
    assert cl(text, **{"support-scope": "paragraph"}) == []
    text = f"{CLAIM}. Sensor Tower publishes these figures [1]."
    assert cl(text) == []
    assert summary(cl(text, **{"support-scope": "sentence"})) == [(1, 13, "CL101", ["CL101"])]


def test_vague_attribution_is_not_cleared_by_other_attribution() -> None:
    text = "Experts say, as Reuters reported, that the deal is doomed."
    assert summary(cl(text)) == [(1, 1, "CL102", ["CL102"])]


# Hedges, opinions, questions ---------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("Bytedance will eventually have to sell its US business.", [(1, 11, "CL106", ["CL106"])]),
    ("Bytedance may eventually have to sell its US business.", []),
    ("Bytedance is likely to sell its US business.", []),
    ("Offices will eventually disappear if rents keep rising.", []),  # conditional
    ("I think offices will eventually disappear.", []),  # opinion
    ("In my opinion, Paris is the most beautiful city in the world.", []),
    ("I think 60% of the budget is wasted.", [(1, 9, "CL101", ["CL101"])]),  # opinion with a statistic
    ("I believe studies show that it works.", [(1, 11, "CL102", ["CL102"])]),  # opinion with vague attribution
    ("Will offices eventually disappear?", []),  # a question
    ("Would you give up an app with 20 million users?", [(1, 31, "CL101", ["CL101"])]),
    ("The app has roughly 20 million users.", [(1, 13, "CL101", ["CL101"])]),  # a hedged figure
])
def test_modifiers(text: str, expected: list[tuple[int, int, str, list[str]]]) -> None:
    assert summary(cl(text)) == expected


@pytest.mark.parametrize("text", [
    "The release is planned for 12 May 2024.",
    "Python 3.12 removes two deprecated modules.",
    "There are two options: pass a path or a file object.",
    "See section 4.2 for the details.",
    "After all, we elected them.",
    "First, we need to agree on the problem.",
    "At first, nobody noticed.",
    "No one answered the phone on 3 June.",
    "This is the first time I have seen it.",
    "The buffer holds up to 512 MB.",
    "We surveyed 40 nurses in 2021 (see Table 2).",
])
def test_hard_negatives(text: str) -> None:
    assert cl(text) == []


def test_one_finding_per_sentence_at_strongest_trigger() -> None:
    text = "Clearly, everyone knows that 90% of startups fail."
    (f,) = cl(text)
    assert (f.column, f.code, text[f.start:f.end]) == (30, "CL101", "90%")
    assert f.data["codes"] == ["CL101", "CL102", "CL103"]
    assert (f.data["sentence_start"], f.data["sentence_end"]) == (0, len(text))


def test_deselected_sub_rule_is_not_a_reason() -> None:
    text = "Apparently, the deal will never happen."
    assert summary(cl(text)) == [(1, 1, "CL107", ["CL107", "CL106"])]
    only = check_text(text, path="x.txt", select=["CL"], ignore=["CL107"], isolated=True)
    assert summary(only) == [(1, 22, "CL106", ["CL106"])]


# Sensitivity and packs --------------------------------------------------------------

def test_sensitivity() -> None:
    text = "Remote work is undeniably here to stay."
    assert summary(cl(text)) == [(1, 16, "CL103", ["CL103"])]
    assert cl(text, sensitivity="low") == []
    weak = "The deal is indeed done."
    assert cl(weak) == []
    assert summary(cl(weak, sensitivity="high")) == [(1, 13, "CL103", ["CL103"])]


def test_bad_option_value() -> None:
    with pytest.raises(LintkitError, match="sensitivity"):
        cl("Text.", sensitivity="extreme")


def test_user_pack_extends_a_lexicon(tmp_path: Path) -> None:
    pack = tmp_path / "house.toml"
    pack.write_text(
        '[pack]\nname = "house-boosters"\nkind = "claims"\nversion = "1"\ndescription = "x"\n\n'
        '[lexicon]\ncategory = "booster"\nexceptions = ["clearly better"]\n\n'
        '[[lexicon.tier]]\nweight = 2.0\nphrases = ["hands down"]\n', encoding="utf-8")
    config = {"rule-packs": [str(pack)]}
    text = "This is hands down the right choice. It is clearly better."
    plain = check_text(text, path="x.txt", select=["CL"], isolated=True)
    assert [(f.column, f.code) for f in plain] == [(44, "CL103")]  # "clearly"; "hands down" is unknown
    found = check_text(text, path="x.txt", select=["CL"], isolated=True, config=config)
    assert [(f.column, f.code) for f in found] == [(9, "CL103")]


def test_bad_user_pack_names_the_entry(tmp_path: Path) -> None:
    pack = tmp_path / "bad.toml"
    pack.write_text(
        '[pack]\nname = "bad"\nkind = "claims"\nversion = "1"\ndescription = "x"\n\n'
        '[lexicon]\ncategory = "booster"\n\n[[lexicon.tier]]\nweight = 1.0\npatterns = ["(a+)+"]\n',
        encoding="utf-8")
    with pytest.raises(LintkitError, match="tier 1 pattern 1.*nests quantifiers"):
        check_text("Text.", path="x.txt", select=["CL"], isolated=True, config={"rule-packs": [str(pack)]})


# Rules ----------------------------------------------------------------------------

@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_examples(rule) -> None:  # type: ignore[no-untyped-def]
    bad = cl(rule.bad)
    assert len(bad) == 1 and rule.code in bad[0].data["codes"]
    assert cl(rule.good) == []


def test_builtin_claims_packs_pass_the_untrusted_pattern_checks() -> None:
    """The built-in packs skip the run-time safety analysis (start-up speed), so every one
    of them must pass it here, exactly as a user's pack would."""
    from lintkit.families.claims.lexicon import KIND, compile_pack
    from lintkit.packs import builtin_rules_dir, load_pack

    packs = [load_pack(p) for p in sorted((builtin_rules_dir() / "claims").glob("*.toml"))]
    assert len([p for p in packs if p.kind == KIND]) >= 8
    for pack in packs:
        if pack.kind == KIND:
            trusted, checked = compile_pack(pack, trusted=True), compile_pack(pack)
            assert trusted.pattern.pattern == checked.pattern.pattern


def test_builtin_packs_find_the_same_hits_with_either_regex_engine() -> None:
    import regex

    from lintkit.families.claims.lexicon import load_lexicon

    gold = Path(__file__).resolve().parent.parent / "fixtures" / "claims"
    sentences = [ln for f in sorted(gold.glob("*.gold")) for ln in f.read_text(encoding="utf-8").splitlines()]
    assert len(sentences) > 300
    for packs_ in load_lexicon(()).by_category.values():
        for c in packs_:
            for pat in (c.pattern, c.exceptions):
                if pat is None:
                    continue
                other = regex.compile(pat.pattern, regex.IGNORECASE | regex.V0)
                for s in sentences:
                    assert [m.span() for m in pat.finditer(s)] == [m.span() for m in other.finditer(s)], s


def test_overlaps_placeholder_from_columns_equals_words() -> None:
    """_overlaps_placeholder reads the placeholder words from the word columns: the same
    answer as a look at every Word, for every span of sentences with and without them."""
    from lintkit.families.claims.analyze import _overlaps_placeholder

    doc = read_document("Use `npm install` to get 40% more, see <https://e.x/a>. Plain text here.\n\n"
                        "Over [1,200 users](https://u.v) and `x` `y` said so.")
    seen = 0
    for s in doc.sentences:
        for a in range(s.start, s.end + 1):
            for b in range(a, s.end + 1):
                expected = any(w.placeholder and w.start < b and a < w.end for w in s.words)
                assert _overlaps_placeholder(s, a, b) == expected
                seen += expected
    assert seen


# One example per alternative of support.CITATION, in its order.
CITATION_EXAMPLES = [
    "[1, 2]", "[^note]", "word^1", "x¹²", "[-@key]", "see @smith2020a", "\\citep*{", "(see Smith et al. 2020, p. 4)",
    "Smith and Jones (2020a)", "doi: 10.1000/xyz", "https://example.com", "www.example.org", "(see Table 4a)",
]


def test_every_citation_holds_what_citation_needs_names() -> None:
    """support.CITATION_NEEDS is a necessary condition of support.CITATION (citation_in
    skips the search in a span without it): every alternative's match holds it."""
    import random
    import re

    from lintkit.families.claims.fast import _alternatives
    from lintkit.families.claims.support import CITATION, CITATION_NEEDS

    alternatives = re._parser.parse(CITATION.pattern)[0][1][1]  # type: ignore[attr-defined]
    assert len(alternatives) == 13, "an alternative was added to CITATION: update CITATION_NEEDS and this test"
    texts = [*CITATION_EXAMPLES, "10.1234/abc", "arXiv:1234.12345", "x^12", "(Smith, 2020)", "\\footnote{"]
    rng = random.Random(7)
    pieces = [*CITATION_EXAMPLES, " ", "Smith", "2020", "(", ")", "[", "]", "^", "@", "1", "a", ".", ",", "\n",
              "et al.", "doi:", "10.", "/", ":", "www", "¹", "Table", "see "]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    matched = 0
    for text in texts:
        for m in CITATION.finditer(text):
            assert CITATION_NEEDS.search(m.group(0)), (text, m.group(0))
            matched += 1
    assert matched > 1000
    alternatives_src = _alternatives(CITATION.pattern)  # split at its "|" outside groups and classes
    assert alternatives_src is not None
    for alternative, example in zip(alternatives_src, CITATION_EXAMPLES, strict=True):
        assert re.search(alternative, example), (alternative, example)
