"""The engine through the CLI and the API: exit codes, errors, selection, stdin, JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lintkit.config import CORE_OPTIONS, Config, build_config
from lintkit.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
PLUGIN_DIR = ROOT / "fixtures" / "plugin"
EXAMPLE_CFG = 'plugins = ["lintkit_example_plugin"]\nselect = ["EX"]\n'


def run(args: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PLUGIN_DIR), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "lintkit", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "lintkit.toml").write_text(EXAMPLE_CFG)
    (tmp_path / "good.md").write_text("An apple a day.\n")
    (tmp_path / "bad.md").write_text("A banana a day.\n")
    return tmp_path


def test_exit_codes(project: Path) -> None:
    r = run(["check", "good.md", "--no-cache"], project)
    assert (r.returncode, r.stdout) == (0, "")
    assert r.stderr == "0 findings in 1 file.\n"
    r = run(["check", "bad.md", "--no-cache"], project)
    assert r.returncode == 1
    assert r.stdout == 'bad.md:1:3: EX101 "banana" is on the example list\n'
    assert run(["check", "bad.md", "--exit-zero", "--no-cache"], project).returncode == 0
    assert run(["check", "bad.md", "--fail-on", "error", "--no-cache"], project).returncode == 0
    assert run(["check", "bad.md", "--ignore", "EX101", "--no-cache"], project).stdout == ""


def test_errors_are_one_line_and_other_files_still_checked(project: Path) -> None:
    (project / "bin").mkdir()
    (project / "bin" / "a.md").write_bytes(b"\x00\x01\x02binary\x00")
    (project / "bin" / "b.txt").write_bytes(b"PK\x03\x04\x00\x00")
    (project / "latin.md").write_bytes("caf\xe9 banana\n".encode("latin-1"))
    r = run(["check", "missing.md", "bin", "latin.md", "bad.md", "--no-cache"], project)
    assert r.returncode == 2
    assert r.stdout == 'bad.md:1:3: EX101 "banana" is on the example list\n'
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("lintkit: error:")]
    assert errors == [
        "lintkit: error: bin/a.md: binary file (NUL bytes), not text",
        "lintkit: error: bin/b.txt: binary file (NUL bytes), not text",
        "lintkit: error: latin.md: not valid UTF-8 (byte 0xe9 at offset 3); save it as UTF-8",
        "lintkit: error: missing.md: no such file or directory",
    ]
    assert "Traceback" not in r.stderr


def test_malformed_config_names_file_and_cause(tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "lintkit.toml").write_text("select = [\n")
    (sub / "a.md").write_text("A banana.\n")
    (tmp_path / "lintkit.toml").write_text(EXAMPLE_CFG)
    (tmp_path / "b.md").write_text("A banana.\n")
    r = run(["check", "sub/a.md", "b.md", "--no-cache"], tmp_path)
    assert r.returncode == 2
    assert r.stdout == 'b.md:1:3: EX101 "banana" is on the example list\n'
    err = [ln for ln in r.stderr.splitlines() if ln.startswith("lintkit: error")]
    assert len(err) == 1 and err[0].startswith(f"lintkit: error: {sub / 'lintkit.toml'}: invalid TOML:")


def test_unknown_key_and_bad_value(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("text\n")
    (tmp_path / "lintkit.toml").write_text(EXAMPLE_CFG + "colour = true\n")
    r = run(["check", "a.md"], tmp_path)
    assert r.returncode == 2
    assert "unknown key 'colour' (allowed: " in r.stderr and "lintkit.toml" in r.stderr
    (tmp_path / "lintkit.toml").write_text(EXAMPLE_CFG + 'fail-on = "sometimes"\n')
    r = run(["check", "a.md"], tmp_path)
    assert r.returncode == 2
    assert "bad value 'sometimes' for key 'fail-on': expected one of 'error', 'warning', 'info'" in r.stderr
    (tmp_path / "lintkit.toml").write_text(EXAMPLE_CFG + "[example]\nword = []\n")
    r = run(["check", "a.md"], tmp_path)
    assert "unknown key 'word' in [example] (allowed: words)" in r.stderr


def test_pyproject_config_found_upward(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.lintkit]\nplugins = ["lintkit_example_plugin"]\nselect = ["EX"]\n'
        '[tool.lintkit.example]\nwords = ["kiwi"]\n')
    deep = tmp_path / "docs" / "deep"
    deep.mkdir(parents=True)
    (deep / "a.md").write_text("A kiwi and a banana.\n")
    r = run(["check", "docs", "--no-cache"], tmp_path)
    assert r.stdout == 'docs/deep/a.md:1:3: EX101 "kiwi" is on the example list\n'


def test_stdin_with_filename(project: Path) -> None:
    r = run(["check", "-", "--stdin-filename", "draft.md", "--no-cache"], project, stdin="# Banana\n")
    assert r.stdout == 'draft.md:1:3: EX101 "Banana" is on the example list\n'
    assert r.returncode == 1


def test_json_format(project: Path) -> None:
    r = run(["check", "bad.md", "--format", "json", "--no-cache"], project)
    data = json.loads(r.stdout)
    assert data["version"] == 1
    assert data["summary"] == {"files": 1, "findings": 1, "errors": 0,
                               "by_severity": {"error": 0, "warning": 1, "info": 0}}
    f = data["findings"][0]
    assert f["code"] == "EX101" and f["rule"] == "example-banned-word" and f["severity"] == "warning"
    assert f["start"] == {"line": 1, "column": 3, "offset": 2}
    assert f["end"] == {"line": 1, "column": 9, "offset": 8}
    assert f["fixes"] == [{"start": 2, "end": 8, "replacement": "fruit", "safe": True, "description": ""}]


def test_statistics_and_quiet(project: Path) -> None:
    r = run(["check", "bad.md", "--statistics", "--quiet", "--no-cache"], project)
    assert r.stdout.splitlines()[-1].split() == ["1", "EX101", "example-banned-word"]
    assert r.stderr == ""


def test_rule_doc_and_rules_list(project: Path) -> None:
    r = run(["rule", "EX101"], project)
    assert r.returncode == 0
    assert r.stdout.startswith("# EX101 example-banned-word\n")
    assert "Bad:\n\n    I ate a banana.\n" in r.stdout and "Good:\n\n    I ate an apple.\n" in r.stdout
    r = run(["rule", "ZZ999"], project)
    assert r.returncode == 2 and "unknown rule 'ZZ999'" in r.stderr


def test_usage_error_exits_2(project: Path) -> None:
    r = run(["check", "--fail-on", "never"], project)
    assert r.returncode == 2
    r = run(["check", "bad.md", "--format", "yaml"], project)
    assert r.returncode == 2 and "unknown format 'yaml'" in r.stderr


def _cfg(raw: dict) -> Config:
    return build_config(raw, [])


def test_selection_longest_selector_wins() -> None:
    cfg = _cfg({"select": ["CN"], "ignore": ["CN1"], "extend-select": ["CN101"]})
    assert cfg.selected("CN101") and not cfg.selected("CN102") and cfg.selected("CN201")
    assert not cfg.selected("GR101")
    cfg = _cfg({"ignore": ["GR:EN_QUOTES"]})
    assert not cfg.selected("GR501", ("GR:EN_QUOTES",)) and cfg.selected("GR501", ("GR:OTHER",))
    assert cfg.selected("CL101")


def test_selection_answers_are_kept_per_config_and_ignores(tmp_path: Path) -> None:
    """Config.selected/severity_for and CheckContext.enabled remember their answers; the
    remembered ones equal a fresh computation, and files with other per-file ignores do
    not share them."""
    from lintkit.context import CheckContext
    from lintkit.engine import Engine, Overrides
    from lintkit.types import Severity

    engine = Engine(Overrides(isolated=True))
    raw = {"select": ["CN", "RD1"], "ignore": ["CN1", "GR:EN_QUOTES"], "extend-select": ["CN101", "GR"],
           "severity": {"CN": "info", "CN101": "error"}, "per-file-ignores": {"a*.md": ["CN4", "RD"]}}
    cfg = build_config(raw, engine.sections, None, tmp_path)
    codes = ["CN", "CN1", "CN101", "CN102", "CN4", "CN401", "RD", "RD101", "RD2", "GR", "CL", "ZZ9"]
    for _ in range(2):  # the second pass reads the remembered answers
        for code in codes:
            fresh = build_config(raw, engine.sections, None, tmp_path)
            for aliases in ((), ("GR:EN_QUOTES",), ("GR:OTHER",)):
                assert cfg.selected(code, aliases) == fresh.selected(code, aliases)
            for sev in Severity:
                assert cfg.severity_for(code, sev) == fresh.severity_for(code, sev)
            for path in ("a.md", "b.md", "a2.md"):
                ctx = CheckContext(cfg, engine.registry, str(tmp_path / path))
                ref = CheckContext(fresh, engine.registry, str(tmp_path / path))
                assert ctx.enabled(code) == ref.enabled(code), (code, path)
    a = CheckContext(cfg, engine.registry, str(tmp_path / "a.md"))
    b = CheckContext(cfg, engine.registry, str(tmp_path / "b.md"))
    assert a.enabled("RD101") is False and b.enabled("RD101") is True
    assert not a.enabled("CN4") and b.enabled("CN4")


def test_severity_override_and_per_file_ignores(tmp_path: Path) -> None:
    cfg = build_config({"severity": {"CN": "info", "CN101": "error"},
                        "per-file-ignores": {"drafts/*.md": ["CL"]}}, [], tmp_path / "lintkit.toml")
    from lintkit.types import Severity

    assert cfg.severity_for("CN101", Severity.WARNING) == Severity.ERROR
    assert cfg.severity_for("CN201", Severity.WARNING) == Severity.INFO
    assert cfg.file_ignores(str(tmp_path / "drafts" / "a.md")) == ["CL"]
    assert cfg.file_ignores(str(tmp_path / "a.md")) == []
    with pytest.raises(ConfigError, match="bad severity 'loud'"):
        build_config({"severity": {"CN": "loud"}}, [])


def test_core_options_documented() -> None:
    assert all(o.help for o in CORE_OPTIONS.options)


def test_api_check_text() -> None:
    from lintkit.api import check_text

    sys.path.insert(0, str(PLUGIN_DIR))
    try:
        found = check_text("I like *banana* bread.", path="x.md", isolated=True,
                           config={"plugins": ["lintkit_example_plugin"], "select": ["EX"], "cache": False})
    finally:
        sys.path.remove(str(PLUGIN_DIR))
    assert [(f.code, f.line, f.column, f.end_column) for f in found] == [("EX101", 1, 9, 15)]


def test_batch_gc_thresholds_during_a_run_and_restored_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from lintkit import engine as engine_mod
    from lintkit.engine import BATCH_GC_THRESHOLD, Engine, Overrides

    (tmp_path / "a.txt").write_text("The committee will meet on Tuesday.\n")
    seen: list[tuple[int, ...]] = []
    real = Engine._begin_file

    def spy(self: Engine, *a: object, **k: object) -> object:
        seen.append(gc.get_threshold())
        return real(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(engine_mod.Engine, "_begin_file", spy)
    before = gc.get_threshold()
    report = Engine(Overrides(isolated=True, cache=False, ignore=["GR"])).check_paths([str(tmp_path)])
    assert seen == [BATCH_GC_THRESHOLD]
    assert report.files == [str(tmp_path / "a.txt")]
    assert gc.get_threshold() == before


def test_batch_gc_thresholds_in_check_source_and_restored_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """The API and the language server check through check_source: the same thresholds as
    a batch while it runs, Python's own after."""
    import gc

    from lintkit import engine as engine_mod
    from lintkit.document.model import Source
    from lintkit.engine import BATCH_GC_THRESHOLD, Engine, Overrides

    seen: list[tuple[int, ...]] = []
    real = Engine._complete

    def spy(self: Engine, *a: object, **k: object) -> None:
        seen.append(gc.get_threshold())
        real(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(engine_mod.Engine, "_complete", spy)
    before = gc.get_threshold()
    assert before != BATCH_GC_THRESHOLD
    report = Engine(Overrides(isolated=True, cache=False, ignore=["GR"])).check_source(
        Source("a.txt", "The committee will meet on Tuesday.\n", "text"))
    assert seen == [BATCH_GC_THRESHOLD]
    assert report.files == ["a.txt"]
    assert gc.get_threshold() == before


def test_batch_gc_overlapping_uses_restore_when_the_last_ends() -> None:
    """Two checks that overlap without nesting (the language server's two threads): the
    first to end leaves the batch thresholds to the other; the last restores Python's."""
    import gc
    import threading

    from lintkit.engine import BATCH_GC_THRESHOLD, batch_gc

    before = gc.get_threshold()
    a, b = batch_gc(), batch_gc()
    a.__enter__()
    assert gc.get_threshold() == BATCH_GC_THRESHOLD
    b.__enter__()
    a.__exit__(None, None, None)  # not in the order they began
    assert gc.get_threshold() == BATCH_GC_THRESHOLD
    b.__exit__(None, None, None)
    assert gc.get_threshold() == before

    inside = threading.Barrier(2)
    left = threading.Event()
    during: list[tuple[int, ...]] = []

    def first() -> None:
        with batch_gc():
            inside.wait()
        left.set()

    def second() -> None:
        with batch_gc():
            inside.wait()
            left.wait(5)
            during.append(gc.get_threshold())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert during == [BATCH_GC_THRESHOLD]
    assert gc.get_threshold() == before
    with pytest.raises(ValueError), batch_gc():  # an error inside still restores them
        raise ValueError
    assert gc.get_threshold() == before


def test_globs_answer_as_fnmatch_does() -> None:
    import fnmatch

    from lintkit.engine import _excluded, _globs

    patterns = ["*.md", "node_modules", ".git", "*/vendor/*", "a?b", "[!x]*.txt", "docs/**/*.rst", "*[.]bak"]
    names = ["README.md", "x.md", "node_modules", "node_modules2", ".git", ".github", "src/vendor/lib.py",
             "vendor/lib.py", "aXb", "ab", "y.txt", "x.txt", "docs/a/b.rst", "docs/b.rst", "f.bak", "f.md.orig",
             "a\nb.md", ""]
    for name in names:
        for full in (name, f"/root/{name}"):
            want = any(fnmatch.fnmatch(name, g) or fnmatch.fnmatch(full, g) for g in patterns)
            assert _excluded(full, name, _globs(patterns)) is want, (name, full)
    assert not _globs(()).match("anything") and _globs(("*",)).match("")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_plugin_that_cannot_load_is_reported_for_every_file_it_governs(tmp_path: Path, jobs: str) -> None:
    # Before, a failed load left the plugin in the engine's list, so only the first file a
    # process met reported it and the others were checked without it: which file, with
    # --jobs, depended on scheduling.
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "lintkit.toml").write_text('plugins = ["lintkit_no_such_plugin"]\n')
        for f in ("one.md", "two.md"):
            (tmp_path / name / f).write_text("An apple a day.\n")
    (tmp_path / "ok.md").write_text("An apple a day.\n")
    r = run(["check", "--no-cache", "--ignore", "GR", "-j", jobs, "--format", "json", "."], tmp_path)
    assert r.returncode == 2
    errors = sorted((e["path"], e["message"].split(":")[0]) for e in json.loads(r.stdout)["errors"])
    want = "cannot load plugin 'lintkit_no_such_plugin'"
    assert errors == [(os.path.join(d, f), want) for d in ("a", "b") for f in ("one.md", "two.md")]
