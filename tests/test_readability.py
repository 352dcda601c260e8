"""Readability family (RD): metrics against textstat, findings at exact positions,
audience targets, the stats command and the metrics in JSON output."""

from __future__ import annotations

import io
import json
import math
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from lintkit.document.model import Document, Source
from lintkit.engine import Engine, Overrides
from lintkit.errors import ConfigError
from lintkit.families.readability import RULES
from lintkit.families.readability.metrics import SCORES, analyse, text_scores
from lintkit.families.readability.offline import load
from lintkit.types import Finding

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "readability"
SEED = ROOT / "seeds" / "000_ea6b9445212ab19d.txt"

PROSE = [
    # Plain prose whose sentences the document model and textstat split alike.
    "The committee reviewed the proposal carefully before the meeting began. "
    "Several members expressed concerns about the budget and the proposed timeline for completion. "
    "After a long discussion, the chair suggested that the team gather additional information. "
    "Everyone agreed that a decision would be postponed until the following month.",
    "The cat sat on the warm mat by the door. The dog lay down in the sun and slept all day. "
    "Then the children came home from school and played in the garden until dinner.",
    "Notwithstanding considerable methodological heterogeneity, contemporary investigations "
    "consistently demonstrate that institutional interventions generate unanticipated "
    "consequences. Organisational decision-makers should therefore incorporate comprehensive "
    "evaluation mechanisms, don't you think? Evaluation isn't optional for responsible "
    "administrators anymore.",
]


def _textstat_values(text: str) -> dict[str, float]:
    ts = load()
    words = ts.lexicon_count(text)
    return {
        "flesch-reading-ease": ts.flesch_reading_ease(text),
        "flesch-kincaid-grade": ts.flesch_kincaid_grade(text),
        "gunning-fog": ts.gunning_fog(text),
        "smog": ts.smog_index(text),
        "coleman-liau": ts.coleman_liau_index(text),
        "ari": ts.automated_readability_index(text),
        "dale-chall": ts.dale_chall_readability_score(text),
        "words": words,
        "sentences": ts.sentence_count(text),
        "syllables-per-word": ts.avg_syllables_per_word(text),
        "complex-word-share": ts.difficult_words(text, syllable_threshold=3) / words,
    }


def _engine(**config: Any) -> Engine:
    raw = {"readability": config} if config else {}
    return Engine(Overrides(select=["RD"], isolated=True, raw=raw, cache=False))


def _check(text: str, path: str = "draft.md", **config: Any) -> list[Finding]:
    report = _engine(**config).check_source(Source(path, text, "markdown" if path.endswith(".md") else "text"))
    assert report.errors == []
    return report.findings


def _rows(findings: list[Finding]) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.column, f.code, f.message) for f in findings]


def _doc(text: str, path: str = "draft.txt") -> Document:
    return _engine().document(Source(path, text, "markdown" if path.endswith(".md") else "text"))


# Metrics ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", PROSE)
def test_each_metric_equals_textstat_on_the_same_text(text: str) -> None:
    ours = text_scores(text)
    theirs = _textstat_values(text)
    for key, value in theirs.items():
        assert ours[key] == pytest.approx(value, rel=1e-9, abs=1e-9), key


def test_paragraph_metrics_equal_textstat_on_each_paragraph() -> None:
    doc = _doc("\n\n".join(PROSE))
    an = analyse(doc)
    assert [len(p.paragraph.sentences) for p in an.paragraphs] == [4, 3, 3]
    for ps, text in zip(an.paragraphs, PROSE, strict=True):
        theirs = _textstat_values(text)
        for key in SCORES:
            assert ps.scores[key] == pytest.approx(theirs[key], rel=1e-9, abs=1e-9), key
    # The document score is textstat's on the whole text.
    whole = _textstat_values(" ".join(PROSE))
    for key in SCORES:
        assert an.scores[key] == pytest.approx(whole[key], rel=1e-9, abs=1e-9), key


def test_sentence_count_comes_from_the_document_model() -> None:
    text = ("Dr. Smith met Prof. Jones at the U.S. embassy on Friday morning. "
            "They talked about the plan for a long time and then went home.")
    doc = _doc(text)
    assert len(doc.sentences) == 2
    assert text_scores(text)["sentences"] == 2
    assert load().sentence_count(text) == 4  # textstat splits after "Dr.", "Prof." and "U.S."
    assert text_scores(text)["words"] == 25


def test_placeholders_are_not_words_and_empty_text_has_no_scores() -> None:
    scores = text_scores("Run `pip install lintkit` now, then open https://example.com/a/b today.", path="x.md")
    assert scores["words"] == 5  # Run, now, then, open, today; nothing for the code or the URL
    assert scores["sentences"] == 1
    empty = text_scores("")
    assert empty["words"] == 0 and all(empty[k] is None for k in SCORES)


def test_metric_value_for_a_known_text() -> None:
    # 4 sentences, 48 words, 89 syllables: FK = 0.39*12 + 11.8*89/48 - 15.59. Eleven words
    # of 3+ syllables (SMOG): committee proposal carefully completion discussion suggested
    # additional information everyone decision following.
    s = text_scores(PROSE[0])
    assert (s["words"], s["sentences"]) == (48, 4)
    assert s["flesch-kincaid-grade"] == pytest.approx(0.39 * 12 + 11.8 * 89 / 48 - 15.59)
    assert s["smog"] == pytest.approx(1.043 * math.sqrt(30 * 11 / 4) + 3.1291)


# Findings ---------------------------------------------------------------------------------


def test_fixture_findings_at_exact_positions() -> None:
    path = FIXTURES / "sample.md"
    text = path.read_text(encoding="utf-8")
    findings = _check(text, str(path))
    assert _rows(findings) == [
        (5, 1, "RD201", "hard paragraph: Flesch–Kincaid grade 35.0 is above the target 12 for a general "
                        "audience; longest sentence: 23 words at 5:1 “Notwithstanding the considerable "
                        "methodological heterogeneity…”"),
        (9, 1, "RD203", "3 long sentences in a row (25, 25, 26 words; each 25 or more): vary the length"),
        (11, 1, "RD202", "paragraph is a single sentence of 37 words (limit 35); split it into shorter sentences"),
        (13, 3, "RD101", "sentence has 37 words (limit 35)"),
    ]
    rd201, rd203, rd202, rd101 = findings
    assert text[rd201.start:rd201.end].startswith("Notwithstanding the considerable")
    assert text[rd201.start:rd201.end].endswith("institutional governance frameworks.")
    assert rd201.data["value"] == pytest.approx(34.98, abs=0.005)
    assert rd201.data["longest_sentence"] == {"at": "5:1", "words": 23}
    assert text[rd203.start:rd203.end].endswith("over the following two months.")  # not "It worked."
    assert rd203.data["lengths"] == [25, 25, 26]
    assert text[rd202.start:rd202.end].startswith("When the committee")
    assert text[rd101.start:rd101.end].startswith("A list item that runs on")
    # Not reported: the heading (1:3, 28 words of jargon), the short hard paragraph at 7:1
    # (9 words: not graded alone), the 37-word table cell at 17:3, and the sentence at 19:1
    # that has 37 words only if inline code and the URL counted.


def test_rd202_deselected_falls_back_to_rd101() -> None:
    text = (FIXTURES / "sample.md").read_text(encoding="utf-8")
    report = Engine(Overrides(select=["RD1", "RD201"], isolated=True, cache=False)).check_source(
        Source("sample.md", text, "markdown"))
    assert [(f.line, f.column, f.code) for f in report.findings] == [
        (5, 1, "RD201"), (11, 1, "RD101"), (13, 3, "RD101")]


def test_seed_long_sentence_at_20_70_and_no_other() -> None:
    text = SEED.read_text(encoding="utf-8")
    findings = _check(text, str(SEED))
    long_ones = [f for f in findings if f.code in ("RD101", "RD202")]
    assert _rows(long_ones) == [(20, 70, "RD101", "sentence has 43 words (limit 35)")]
    f = long_ones[0]
    assert text[f.start:f.end].startswith("On the one hand, Chinese companies")
    assert text[f.start:f.end].endswith("Great Firewall are main reasons).")
    assert _rows([f for f in findings if f.code == "RD201"]) == [
        (20, 1, "RD201", "hard paragraph: Flesch–Kincaid grade 13.0 is above the target 12 for a general "
                         "audience; longest sentence: 43 words at 20:70 “On the one hand, Chinese…”"),
        (22, 1, "RD201", "hard paragraph: Flesch–Kincaid grade 13.3 is above the target 12 for a general "
                         "audience; longest sentence: 29 words at 22:1 “Back to our topic, I…”"),
    ]
    assert [f for f in findings if f.code in ("RD203", "RD301")] == []


def test_audience_and_limits_change_the_findings() -> None:
    text = SEED.read_text(encoding="utf-8")
    assert [f.code for f in _check(text, "seed.txt", audience="technical")] == ["RD101"]
    assert _rows(_check(text, "seed.txt", audience="technical", **{"max-sentence-words": 28})) == [
        (20, 70, "RD101", "sentence has 43 words (limit 28)"),
        (22, 1, "RD101", "sentence has 29 words (limit 28)"),
    ]


def test_explicit_target_and_metric_drive_rd201_and_rd301() -> None:
    text = SEED.read_text(encoding="utf-8")
    findings = _check(text, "seed.txt", metric="flesch-reading-ease", targets={"flesch-reading-ease": 60})
    rd301 = [f for f in findings if f.code == "RD301"]
    assert _rows(rd301) == [(1, 1, "RD301", "document is hard to read: Flesch reading ease 56.4 is below the "
                                            "target 60 for a general audience; hardest paragraph at 22:1 (33.2)")]
    assert str(rd301[0].severity) == "info"
    assert [(f.line, f.column) for f in findings if f.code == "RD201"] == [
        (6, 1), (14, 1), (18, 1), (20, 1), (22, 1)]  # the paragraphs with FRE under 60
    assert all("is below the target 60" in f.message for f in findings if f.code == "RD201")


def test_min_paragraph_words_controls_grading() -> None:
    text = "Institutional interventions frequently generate unanticipated consequences for stakeholders.\n"
    assert _check(text, "x.txt") == []
    assert [f.code for f in _check(text, "x.txt", **{"min-paragraph-words": 5})] == ["RD201", "RD301"]


@pytest.mark.parametrize("config, message", [
    ({"audience": "children"}, "unknown readability audience 'children' (allowed: academic, general, technical)"),
    ({"targets": {"fog": 3}}, "unknown metric 'fog' in readability.targets"),
    ({"targets": {"smog": "high"}}, "bad value 'high' for readability.targets.smog: expected a number"),
])
def test_bad_settings_are_config_errors(config: dict[str, Any], message: str) -> None:
    report = _engine(**config).check_source(Source("x.txt", "Some words here.", "text"))
    assert len(report.errors) == 1
    assert message in report.errors[0].message


def test_unknown_metric_is_rejected_by_the_option() -> None:
    with pytest.raises(ConfigError, match="bad value 'lix' for key 'readability.metric'"):
        _engine(metric="lix").config_for(None)


# Rule metadata ----------------------------------------------------------------------------


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_bad_example_triggers_the_rule_and_good_does_not(rule: Any) -> None:
    assert rule.doc and rule.summary and rule.name
    eng = Engine(Overrides(select=[rule.code], isolated=True, cache=False))
    bad = eng.check_source(Source("bad.txt", rule.bad, "text")).findings
    good = eng.check_source(Source("good.txt", rule.good, "text")).findings
    assert [f.code for f in bad] == [rule.code]
    assert good == []


# JSON metrics and the stats command ------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str]:
    from lintkit.cli import main

    buf = io.StringIO()
    with redirect_stdout(buf):
        rc = main(list(args))
    return rc, buf.getvalue()


def test_check_json_carries_document_metrics() -> None:
    rc, out = _cli("check", "--select", "RD", "--format", "json", "--no-cache", "--isolated", "-j", "1", str(SEED))
    assert rc == 1
    data = json.loads(out)
    metrics = data["files"][0]["metrics"]["readability"]
    assert metrics["words"] == 620 and metrics["sentences"] == 38
    assert metrics["flesch-kincaid-grade"] == pytest.approx(9.44, abs=0.005)
    assert set(metrics) == {*SCORES, "words", "sentences", "syllables-per-word", "complex-word-share"}


def test_no_metrics_when_no_rd_rule_is_selected() -> None:
    report = Engine(Overrides(select=["RD999"], isolated=True, cache=False)).check_source(
        Source("x.txt", SEED.read_text(encoding="utf-8"), "text"))
    assert "readability" not in report.metrics.get("x.txt", {})


def test_stats_text_table() -> None:
    rc, out = _cli("stats", "--isolated", str(SEED))
    assert rc == 0
    lines = out.splitlines()
    assert lines[0] == f"{SEED}  (audience: general; findings use Flesch–Kincaid grade)"
    assert "  Flesch reading ease     56.42  ≥ 50" in lines
    assert "  Flesch–Kincaid grade *   9.44  ≤ 12" in lines
    assert "  words                     620" in lines
    assert "  sentences                  38" in lines


def test_stats_json_with_paragraphs() -> None:
    rc, out = _cli("stats", "--isolated", "--paragraphs", "--format", "json", str(FIXTURES / "sample.md"))
    assert rc == 0
    (entry,) = json.loads(out)["files"]
    assert entry["audience"] == "general" and entry["metric"] == "flesch-kincaid-grade"
    assert entry["targets"]["flesch-kincaid-grade"] == 12
    paras = entry["paragraphs"]
    assert [(p["line"], p["column"], p["kind"], p["words"], p["graded"]) for p in paras] == [
        (1, 3, "heading", 28, False),
        (3, 1, "paragraph", 50, True),
        (5, 1, "paragraph", 40, True),
        (7, 1, "paragraph", 9, False),
        (9, 1, "paragraph", 78, True),
        (11, 1, "paragraph", 37, False),
        (13, 3, "list_item", 37, False),
        (15, 3, "table_cell", 1, False),
        (17, 3, "table_cell", 37, False),
        (19, 1, "paragraph", 35, False),
    ]
    text = (FIXTURES / "sample.md").read_text(encoding="utf-8").split("\n\n")[2]
    theirs = _textstat_values(text)
    for key in SCORES:
        assert paras[2][key] == round(theirs[key], 2), key


def test_stats_missing_file_exits_2() -> None:
    rc, _ = _cli("stats", "--isolated", str(FIXTURES / "nope.md"))
    assert rc == 2
