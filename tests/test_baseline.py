"""Baselines: --write-baseline records findings, --baseline hides them; keys survive
edits elsewhere; duplicates are counted; the file is written atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lintkit.baseline import Baseline, TextLoader, fingerprint, neighbourhood
from lintkit.cli import main
from lintkit.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "formats"
DRAFT = (
    "Tecent makes games.\n"
    "\n"
    "Our partner Tecent ships them.\n"
    "\n"
    "Tecent makes games.\n"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.syspath_prepend(str(FIXTURES))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lintkit.toml").write_text('plugins = ["lintkit_fixture_plugin"]\nselect = ["ZZ101"]\n',
                                           encoding="utf-8")
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--no-cache", "-j", "1", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_write_then_check_reports_nothing(project: Path, capsys) -> None:
    code, out, err = run(capsys, "draft.md", "--write-baseline", "lintkit-baseline.json")
    assert code == 0 and out == ""
    assert "lintkit: wrote baseline lintkit-baseline.json with 3 findings" in err
    data = json.loads((project / "lintkit-baseline.json").read_text(encoding="utf-8"))
    assert data["version"] == 1 and list(data["files"]) == ["draft.md"]
    entries = data["files"]["draft.md"]
    # lines 1 and 5 have the same text and neighbourhood: one entry with count 2
    assert sorted(e["count"] for e in entries) == [1, 2]
    assert {e["code"] for e in entries} == {"ZZ101"} and {e["text"] for e in entries} == {"Tecent"}
    assert "line" not in json.dumps(data)
    code, out, err = run(capsys, "draft.md", "--baseline", "lintkit-baseline.json")
    assert (code, out) == (0, "")
    assert "lintkit: 3 findings hidden by baseline lintkit-baseline.json" in err


def test_edits_elsewhere_do_not_resurrect_and_new_findings_show(project: Path, capsys) -> None:
    run(capsys, "draft.md", "--write-baseline", "bl.json")
    edited = ("# A new title\n\nA new first paragraph, long enough\nto wrap over lines.\n\n"
              + DRAFT.replace("\n\n", "\n\n\n")
              + "\nAnd Tecent again, a new one.\n")
    (project / "draft.md").write_text(edited, encoding="utf-8")
    code, out, err = run(capsys, "draft.md", "--baseline", "bl.json")
    assert code == 1
    assert out == "draft.md:14:5: ZZ101 Tecent: did you mean Tencent?\n"
    assert "3 findings hidden" in err


def test_duplicates_are_counted(project: Path, capsys) -> None:
    run(capsys, "draft.md", "--write-baseline", "bl.json")
    (project / "draft.md").write_text(DRAFT + "\nTecent makes games.\n", encoding="utf-8")
    code, out, _ = run(capsys, "draft.md", "--baseline", "bl.json")
    assert code == 1
    # a third identical paragraph: two are in the baseline, one is new (the last one)
    assert out == "draft.md:7:1: ZZ101 Tecent: did you mean Tencent?\n"


def test_fixed_findings_become_stale_entries(project: Path, capsys) -> None:
    run(capsys, "draft.md", "--write-baseline", "bl.json")
    (project / "draft.md").write_text(DRAFT.replace("partner Tecent", "partner Tencent"), encoding="utf-8")
    code, out, err = run(capsys, "draft.md", "--baseline", "bl.json")
    assert (code, out) == (0, "")
    assert "lintkit: 1 baseline entry no longer matches (fixed or changed); refresh with " \
           "--write-baseline bl.json" in err


def test_paths_are_relative_to_the_baseline_file(project: Path, capsys, monkeypatch) -> None:
    (project / "ci").mkdir()
    run(capsys, "draft.md", "--write-baseline", "ci/bl.json")
    data = json.loads((project / "ci" / "bl.json").read_text(encoding="utf-8"))
    assert list(data["files"]) == ["../draft.md"]
    # the same baseline works when lintkit runs from another folder with another path spelling
    monkeypatch.chdir(project / "ci")
    code, out, _ = run(capsys, "--config", "../lintkit.toml", "../draft.md", "--baseline", "bl.json")
    assert (code, out) == (0, "")
    code, out, _ = run(capsys, "--config", "../lintkit.toml", str(project / "draft.md"), "--baseline", "bl.json")
    assert (code, out) == (0, "")


def test_baseline_with_json_and_sarif_formats(project: Path, capsys) -> None:
    run(capsys, "draft.md", "--write-baseline", "bl.json")
    with open("draft.md", "a", encoding="utf-8") as fh:
        fh.write("\nFresh Tecent.\n")
    _, out, _ = run(capsys, "draft.md", "--baseline", "bl.json", "--format", "sarif")
    [res] = json.loads(out)["runs"][0]["results"]
    assert res["baselineState"] == "new"
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == 7


def test_bad_baseline_files(project: Path, capsys) -> None:
    code, _, err = run(capsys, "draft.md", "--baseline", "missing.json")
    assert code == 2 and "missing.json: baseline file not found" in err
    (project / "bad.json").write_text('{"version": 99, "files": {}}', encoding="utf-8")
    code, _, err = run(capsys, "draft.md", "--baseline", "bad.json")
    assert code == 2 and "not a lintkit baseline" in err
    with pytest.raises(ConfigError):
        Baseline.load(project / "lintkit.toml")


def test_neighbourhood_stays_in_the_paragraph() -> None:
    text = "One two three four five.\n\nsix Tecent seven eight nine ten.\n\nnext"
    start = text.index("Tecent")
    assert neighbourhood(text, start, start + 6) == ("six", "Tecent", "seven eight nine")
    # line breaks inside the paragraph are whitespace; reflowing does not change the key
    reflowed = "One two three four five.\n\nsix Tecent\nseven   eight nine ten.\n\nnext"
    assert fingerprint("ZZ101", text, start, start + 6) == fingerprint("ZZ101", reflowed, start, start + 6)
    assert fingerprint("ZZ101", text, start, start + 6) != fingerprint("ZZ102", text, start, start + 6)


def test_write_is_atomic_and_keeps_a_symlink(project: Path, capsys) -> None:
    real = project / "real-baseline.json"
    real.write_text("{}", encoding="utf-8")
    os.chmod(real, 0o640)
    os.symlink("real-baseline.json", project / "bl.json")
    run(capsys, "draft.md", "--write-baseline", "bl.json")
    assert (project / "bl.json").is_symlink()
    assert json.loads(real.read_text(encoding="utf-8"))["version"] == 1
    assert real.stat().st_mode & 0o777 == 0o640
    assert not [p for p in project.iterdir() if p.name.endswith(".lintkit-tmp")]


def test_api_filter_directly(project: Path) -> None:
    from lintkit.api import check_path

    findings = check_path("draft.md")
    texts = TextLoader()
    bl = Baseline.from_findings(findings[:2], texts, project)
    res = bl.filter(findings, texts)
    assert [(f.line, f.column) for f in res.known] == [(1, 1), (3, 13)]
    assert [(f.line, f.column) for f in res.new] == [(5, 1)]
    assert res.stale == 0
