"""CI formats: SARIF (schema-valid, rule metadata, regions, fixes), GitHub annotations
(escaping, ranges, limits; golden fixtures) and JUnit XML."""

from __future__ import annotations

import json
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from lintkit.cli import main
from lintkit.formats.github import escape_data, escape_property

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "formats"
SCHEMA_PATH = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
CONFIG = 'plugins = ["lintkit_fixture_plugin"]\nselect = ["ZZ101", "ZZ102", "ZZ103", "ZZ104"]\n'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp folder with a config that loads the fixture plugin (rules ZZ1xx)."""
    monkeypatch.syspath_prepend(str(FIXTURES))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    (tmp_path / "lintkit.toml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--no-cache", "-j", "1", *args])
    out, err = capsys.readouterr()
    return code, out, err


def validate_sarif(doc: dict) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    cls(schema, format_checker=cls.FORMAT_CHECKER).validate(doc)


# SARIF ----------------------------------------------------------------------------------


def test_sarif_fixture_output_is_schema_valid_and_complete(project: Path, capsys) -> None:
    (project / "a.md").write_text("Tecent is weird.\nWe utilize BEGIN it\nnow END.\n", encoding="utf-8")
    code, out, _ = run(capsys, "a.md", "--format", "sarif")
    assert code == 1
    doc = json.loads(out)
    validate_sarif(doc)
    assert doc["version"] == "2.1.0"
    [run_] = doc["runs"]
    assert run_["columnKind"] == "unicodeCodePoints"
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["ZZ101", "ZZ102", "ZZ103", "ZZ104"]
    zz101 = rules[0]
    assert zz101["name"] == "tecent"
    assert zz101["shortDescription"] == {"text": "Misspelled company name."}
    assert zz101["fullDescription"] == {"text": "Write the company name as **Tencent**."}
    from lintkit.plugin import Registry, get_plugin_manager

    rule = Registry(get_plugin_manager(("lintkit_fixture_plugin",))).get("ZZ101")
    assert zz101["help"]["text"] == rule.render()
    assert "Bad:\n\n    Tecent makes games." in zz101["help"]["markdown"]
    assert zz101["defaultConfiguration"] == {"level": "warning"}
    assert rules[1]["defaultConfiguration"] == {"level": "note"}
    assert rules[2]["defaultConfiguration"] == {"level": "error"}

    results = {r["ruleId"]: r for r in run_["results"]}
    assert [r["ruleId"] for r in run_["results"]] == ["ZZ101", "ZZ104", "ZZ102", "ZZ103"]
    r101 = results["ZZ101"]
    assert r101["level"] == "warning" and r101["ruleIndex"] == 0
    loc = r101["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "a.md", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 7}
    assert r101["fixes"] == [{
        "description": {"text": "Replace with Tencent"},
        "artifactChanges": [{"artifactLocation": {"uri": "a.md", "uriBaseId": "%SRCROOT%"}, "replacements": [{
            "deletedRegion": {"charOffset": 0, "charLength": 6, "startLine": 1, "startColumn": 1,
                              "endLine": 1, "endColumn": 7},
            "insertedContent": {"text": "Tencent"}}]}]}]
    assert results["ZZ102"]["fixes"][0]["description"] == {"text": "Replace with use (unsafe)"}
    assert results["ZZ102"]["level"] == "note"
    # a multi-line region: BEGIN at 2:12, END ends at 3:8 (exclusive end column)
    assert results["ZZ103"]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2, "startColumn": 12, "endLine": 3, "endColumn": 8}
    assert "fixes" not in results["ZZ103"]
    assert results["ZZ104"]["message"] == {"text": "100% weird: a, b\r\nsecond line"}
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"
    assert run_["invocations"] == [{"executionSuccessful": True}]


def test_sarif_columns_count_code_points(project: Path, capsys) -> None:
    (project / "u.md").write_text("Ünïcode 😀 Tecent.\n", encoding="utf-8")
    _, out, _ = run(capsys, "u.md", "--format", "sarif")
    doc = json.loads(out)
    validate_sarif(doc)
    region = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    # "Ünïcode 😀 " is 10 code points (the emoji is one, though two UTF-16 units)
    assert region == {"startLine": 1, "startColumn": 11, "endLine": 1, "endColumn": 17}


def test_sarif_errors_and_no_findings_are_valid(project: Path, capsys) -> None:
    (project / "clean.md").write_text("Nothing to see.\n", encoding="utf-8")
    (project / "bin.md").write_bytes(b"\x00\x01binary")
    code, out, _ = run(capsys, "clean.md", "bin.md", "--format", "sarif")
    assert code == 2
    doc = json.loads(out)
    validate_sarif(doc)
    [run_] = doc["runs"]
    assert run_["results"] == [] and run_["tool"]["driver"]["rules"] == []
    [inv] = run_["invocations"]
    assert inv["executionSuccessful"] is False
    assert inv["toolExecutionNotifications"][0]["message"]["text"] == "binary file (NUL bytes), not text"


def test_sarif_of_the_seeds_validates(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """Acceptance: ``lintkit check seeds/ --format sarif`` validates against the schema
    (grammar ignored here so the test needs no LanguageTool)."""
    monkeypatch.chdir(ROOT)
    code, out, err = run(capsys, "seeds/", "--format", "sarif", "--ignore", "GR")
    assert code in (0, 1), err
    doc = json.loads(out)
    validate_sarif(doc)
    [run_] = doc["runs"]
    assert run_["columnKind"] == "unicodeCodePoints"
    ids = {r["id"] for r in run_["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in run_["results"]} == ids
    for r in run_["results"]:
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "seeds/000_ea6b9445212ab19d.txt"
    for d in run_["tool"]["driver"]["rules"]:
        assert d["shortDescription"]["text"] and d["fullDescription"]["text"] and d["help"]["text"]


@pytest.mark.skipif(not shutil.which("git"), reason="needs git")
def test_sarif_cli_subprocess(project: Path) -> None:
    """The same through the real entry point, as CI runs it."""
    import os
    import subprocess

    (project / "a.md").write_text("Tecent.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(FIXTURES)}
    proc = subprocess.run([sys.executable, "-m", "lintkit", "check", "a.md", "--format", "sarif", "-o", "out.sarif"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads((project / "out.sarif").read_text(encoding="utf-8"))
    validate_sarif(doc)
    assert [r["ruleId"] for r in doc["runs"][0]["results"]] == ["ZZ101"]


# GitHub annotations -----------------------------------------------------------------------


def test_escaping_functions() -> None:
    assert escape_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d"
    assert escape_property("100% a\r\nb: c, d") == "100%25 a%0D%0Ab%3A c%2C d"
    assert escape_property("%3A") == "%253A"  # % first, so nothing is escaped twice


def test_github_golden_escaping_and_ranges(project: Path, capsys) -> None:
    """Golden file: a path with ``,``, ``:`` and ``%``; a message with ``%``, CR, LF;
    a multi-line range (no col/endColumn); code-point columns after an emoji."""
    name = "we,ird:100%.md"
    shutil.copy(FIXTURES / "github" / "escaping.md", project / name)
    code, out, _ = run(capsys, name, "--format", "github")
    assert code == 1
    expected = (FIXTURES / "github" / "escaping.expected").read_text(encoding="utf-8")
    assert out == expected


def test_github_limits_summary(project: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = project / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    text = "BEGIN x END\n" * 12 + "Tecent here.\n" * 25 + "We utilize.\n" * 3
    (project / "many.md").write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "many.md", "--format", "github")
    assert code == 1
    lines = out.splitlines()
    errors = [ln for ln in lines if ln.startswith("::error ")]
    warnings = [ln for ln in lines if ln.startswith("::warning ")]
    notices = [ln for ln in lines if ln.startswith("::notice ")]
    plain = [ln for ln in lines if not ln.startswith("::")]
    assert len(errors) == 10 and len(warnings) == 10
    assert len(notices) == 4  # 3 findings + the summary notice (within the 10 notice slots)
    # errors first, then warnings, then notices, in file order
    assert errors[0].startswith("::error file=many.md,line=1,col=1,endLine=1,endColumn=12,")
    assert errors[9].startswith("::error file=many.md,line=10,")
    assert warnings[0].startswith("::warning file=many.md,line=13,col=1,")
    assert plain == ([f"many.md:{n}:1: ZZ103 block from BEGIN to END" for n in (11, 12)]
                     + [f"many.md:{n}:1: ZZ101 Tecent: did you mean Tencent?" for n in range(23, 38)])
    assert notices[-1] == (
        "::notice title=lintkit%3A annotation limit::17 more findings (2 errors, 15 warnings) are not "
        "annotated because GitHub shows at most 10 annotations of each type per step; they are listed "
        "in the log above and in the job summary. Use --format sarif for code scanning.")
    table = summary.read_text(encoding="utf-8")
    assert table.startswith("### lintkit: 40 findings in 1 file\n")
    assert table.count("| many.md |") == 40
    assert "| many.md | 40 | 4 | ZZ102 | info | utilize: use 'use' |" in table


def test_github_notice_cap_leaves_room_for_summary(project: Path, capsys) -> None:
    (project / "n.md").write_text("We utilize.\n" * 12, encoding="utf-8")
    _, out, _ = run(capsys, "n.md", "--format", "github")
    notices = [ln for ln in out.splitlines() if ln.startswith("::notice ")]
    assert len(notices) == 10  # 9 findings + 1 summary: GitHub keeps all of them
    assert notices[-1].startswith("::notice title=lintkit%3A annotation limit::3 more findings (3 notices)")


# JUnit -------------------------------------------------------------------------------------


def test_junit_layout(project: Path, capsys) -> None:
    (project / "a.md").write_text("Tecent is weird.\n", encoding="utf-8")
    (project / "clean.md").write_text("All fine.\n", encoding="utf-8")
    (project / "bad.md").write_bytes(b"\x00\x01binary")
    code, out, _ = run(capsys, "a.md", "clean.md", "bad.md", "--format", "junit")
    assert code == 2
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(out.split("\n", 1)[1])
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "2", "1")
    suites = {s.get("name"): s for s in root}
    assert list(suites) == ["a.md", "bad.md", "clean.md"]
    a = suites["a.md"]
    assert (a.get("tests"), a.get("failures"), a.get("errors")) == ("2", "2", "0")
    cases = [(c.get("classname"), c.get("name")) for c in a]
    assert cases == [("a.md", "ZZ101 1:1"), ("a.md", "ZZ104 1:11")]
    fail = a[0].find("failure")
    assert fail.get("type") == "ZZ101" and fail.get("message") == "Tecent: did you mean Tencent?"
    assert fail.text == "a.md:1:1: ZZ101 Tecent: did you mean Tencent?\nZZ101 tecent: Misspelled company name."
    assert a[1].find("failure").get("message") == "100% weird: a, b\r\nsecond line"
    clean = suites["clean.md"]
    assert [(c.get("name"), list(c)) for c in clean] == [("lintkit", [])]
    err = suites["bad.md"][0].find("error")
    assert err is not None and err.get("message") == "binary file (NUL bytes), not text"
    assert err.text == "bad.md: binary file (NUL bytes), not text"


def test_junit_replaces_characters_xml_cannot_carry() -> None:
    from lintkit.engine import Report
    from lintkit.formats.junit import report_to_junit
    from lintkit.plugin import Registry, get_plugin_manager
    from lintkit.types import Finding, Severity

    f = Finding("ZZ999", "x", Severity.WARNING, "bad \x1b char \x00", 0, 1, path="p.md", line=1, column=1,
                end_line=1, end_column=2)
    root = report_to_junit(Report(findings=[f], files=["p.md"]), Registry(get_plugin_manager()))
    text = ET.tostring(root, encoding="unicode")
    parsed = ET.fromstring(text)
    assert parsed[0][0].find("failure").get("message") == "bad \ufffd char \ufffd"
