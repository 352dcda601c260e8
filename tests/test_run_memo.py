"""The run memo: the same command over the same contents prints its stored output, and
anything that could change the output (a file, an option, the config) gives a fresh one."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

import lintkit.cache
from lintkit.cli import main
from lintkit.engine import Engine

DOC = ("# Notes\n\nStudies show that 90% of users agree with the Tecent plan. Tencent said so.\n\n"
       "It is very clear that everyone always agrees. Tencent agrees too.\n")
DOC2 = "Everyone knows that remote work always boosts productivity by 40%.\n"


@pytest.fixture()
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of documents written long enough ago for the stat index (its clock is moved
    10 s on), the cache in tmp_path, and the working folder set to the documents' parent."""
    monkeypatch.setenv("LINTKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(lintkit.cache, "_now_ns", lambda: time.time_ns() + 10_000_000_000)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(DOC)
    (docs / "b.txt").write_text(DOC2)
    monkeypatch.chdir(tmp_path)
    return docs


@pytest.fixture()
def checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times a run checked its files (Engine.check_paths was called)."""
    calls: list[int] = []
    real = Engine.check_paths

    def spy(self: Engine, *a: object, **k: object) -> object:
        calls.append(1)
        return real(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(Engine, "check_paths", spy)
    return calls


def _lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str, int]:
    code = main(["check", "--isolated", "--ignore", "GR", "--jobs", "1", *args])
    out, err = capsys.readouterr()
    return out, err, code


def _memos(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "results" / "runs").glob("*.memo"))


def _stored(memo: Path) -> tuple[dict, bytes]:
    """A memo's first line (JSON) and the bytes after it."""
    head, _, body = memo.read_bytes().partition(b"\n")
    return json.loads(head), body


def test_a_re_run_prints_the_stored_output_without_checking(work: Path, tmp_path: Path, checks: list[int],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    first = _lint(capsys, "docs")
    assert first[2] == 1 and first[1].endswith(" findings in 2 files.\n")
    assert "docs/a.md:3:" in first[0] and "CN101" in first[0] and "docs/b.txt:1:" in first[0]
    assert len(checks) == 1 and len(_memos(tmp_path)) == 1
    again = _lint(capsys, "docs")
    assert again == first and len(checks) == 1  # not checked again
    fresh = _lint(capsys, "--no-cache", "docs")
    assert fresh == first and len(checks) == 2


@pytest.mark.parametrize("options", [["--format", "json"], ["--statistics"], ["--quiet"], ["--select", "CL"],
                                     ["--fail-on", "error"], ["--exit-zero"], ["--color", "always"],
                                     ["--ignore", "CN"], ["--include", "*.txt"]],
                         ids=lambda o: " ".join(o))
def test_each_command_has_its_own_output(work: Path, checks: list[int], capsys: pytest.CaptureFixture[str],
                                         options: list[str]) -> None:
    plain = _lint(capsys, "docs")
    first = _lint(capsys, *options, "docs")
    assert first != plain
    assert _lint(capsys, *options, "docs") == first
    assert _lint(capsys, "docs") == plain
    assert len(checks) == 2  # each command checked once, then served from its memo
    assert _lint(capsys, "--no-cache", *options, "docs") == first


def test_a_changed_file_gives_a_fresh_output(work: Path, checks: list[int],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    first = _lint(capsys, "docs")
    target = work / "b.txt"
    before = os.stat(target).st_ctime_ns
    while os.stat(target).st_ctime_ns == before:  # a later clock tick, as any real later edit
        time.sleep(0.01)
        target.write_text("A calm sentence about the weather.\n")
    second = _lint(capsys, "docs")
    assert second != first and "b.txt" not in second[0] and len(checks) == 2
    assert second == _lint(capsys, "--no-cache", "docs")
    (work / "c.md").write_text(DOC2)  # a new file: the folder's run covers it
    third = _lint(capsys, "docs")
    assert "docs/c.md:1:" in third[0] and third == _lint(capsys, "--no-cache", "docs")


def test_a_changed_config_gives_a_fresh_output(work: Path, tmp_path: Path, checks: list[int],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    def lint() -> tuple[str, str, int]:
        code = main(["check", "--ignore", "GR", "--jobs", "1", "docs"])
        out, err = capsys.readouterr()
        return out, err, code

    config = tmp_path / "lintkit.toml"
    config.write_text('fail-on = "warning"\n')
    first = lint()
    assert lint() == first and len(checks) == 1
    config.write_text('fail-on = "warning"\nignore = ["CN"]\n')
    second = lint()
    assert "CN101" in first[0] and "CN101" not in second[0] and len(checks) == 2
    config.write_text('fail-on = "error"\nignore = ["CN"]\n')
    third = lint()
    assert (third[0], third[2]) == (second[0], 0)


def test_a_run_with_an_error_is_not_stored(work: Path, tmp_path: Path, checks: list[int],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    (work / "bad.md").write_bytes(b"abc\0def")
    first = _lint(capsys, "docs")
    assert first[2] == 2 and "bad.md: binary file" in first[1]
    assert _memos(tmp_path) == []
    assert _lint(capsys, "docs") == first and len(checks) == 2


@pytest.mark.parametrize("damage", [b"", b"{", b"[]", b'{"schema": 1}', b'{"schema": 1, "stdout": 5}', b"\n", b"[]\n",
                                    b"\xff\n", b'{"schema": 2}\n', b'{"schema": 2, "stdout": 5}\nabc'])
def test_a_damaged_memo_is_ignored_and_rewritten(work: Path, tmp_path: Path, checks: list[int],
                                                 capsys: pytest.CaptureFixture[str], damage: bytes) -> None:
    first = _lint(capsys, "docs")
    [memo] = _memos(tmp_path)
    memo.write_bytes(damage)
    assert _lint(capsys, "docs") == first and len(checks) == 2
    head, body = _stored(memo)
    assert head["schema"] == 2 and body == (first[0] + first[1]).encode()
    assert _lint(capsys, "docs") == first and len(checks) == 2


def test_a_memo_is_a_json_line_then_the_output_as_it_is(work: Path, tmp_path: Path, checks: list[int],
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    first = _lint(capsys, "docs")
    [memo] = _memos(tmp_path)
    head, body = _stored(memo)
    out, err = first[0].encode(), first[1].encode()
    assert head["stdout"] == len(out) and head["stderr"] == len(err) and head["exit"] == first[2] == 1
    assert body == out + err
    raw = memo.read_bytes()
    for bad in (raw[:-1], raw + b"x", raw.replace(b'"exit": 1', b'"exit": "1"'),
                raw.replace(b'"schema": 2', b'"schema": 1')):  # cut, longer, a wrong type, another schema
        memo.write_bytes(bad)
        assert _lint(capsys, "docs") == first
    assert len(checks) == 5
    # an old memo (schema 1: one JSON object in runs/*.json) is not read, nor removed
    old = memo.with_suffix(".json")
    old.write_text(json.dumps({"schema": 1, "ident": head["ident"], "files": head["files"], "stdout": "old",
                               "stderr": "", "exit": 0}))
    memo.unlink()
    assert _lint(capsys, "docs") == first and len(checks) == 6 and old.exists()


def test_memo_round_trip_of_any_text(tmp_path: Path) -> None:
    memo = lintkit.cache.RunMemo(lambda: str(tmp_path), "ident")
    for out, err, code in [("", "", 0), ("a\nb\n", "1 finding.\n", 1), ("caf\udce9 ü “x” \U0001f600\n", "\r\n", 2),
                           ("{\"json\": [1]}\n", "", 0)]:
        memo.put("files", out, err, code)
        assert memo.get("files") == (out, err, code)
        assert memo.get("other files") is None
    assert lintkit.cache.RunMemo(lambda: str(tmp_path), "another").get("files") is None


def test_output_file_is_written_again(work: Path, tmp_path: Path, checks: list[int],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "report.json"
    first = _lint(capsys, "--format", "json", "--output", str(report), "docs")
    content = report.read_bytes()
    assert first[0] == "" and json.loads(content)["summary"]["files"] == 2
    report.unlink()
    assert _lint(capsys, "--format", "json", "--output", str(report), "docs") == first
    assert report.read_bytes() == content and len(checks) == 1


def test_no_memo_for_other_formats_timings_or_without_the_cache(work: Path, tmp_path: Path, checks: list[int],
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    for options in (["--format", "sarif"], ["--timings"], ["--no-cache"], ["--format", "github"]):
        _lint(capsys, *options, "docs")
        _lint(capsys, *options, "docs")
    assert _memos(tmp_path) == [] and len(checks) == 8


def test_a_re_run_from_the_memo_loads_no_document_code(tmp_path: Path) -> None:
    """A re-run the run memo answers reads no document, so it does not import the readers,
    the document model, the metrics, a TOML parser (no config file) or logging."""
    import subprocess
    import sys

    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in (("a.md", DOC), ("b.txt", DOC2)):
        (docs / name).write_text(text)
    time.sleep(lintkit.cache.INDEX_MIN_AGE_NS / 1e9 + 0.2)  # settled for the stat index (change times)
    env = {**os.environ, "LINTKIT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("LINTKIT_PURE_PYTHON", None)
    probe = ("import sys; from lintkit.cli import main; code = main(sys.argv[1:]); "
             "heavy = ['lintkit.document.model', 'lintkit.document.readers', 'lintkit.families.readability.metrics', "
             "'tomllib', 'logging']; "
             "sys.stderr.write('LOADED ' + ' '.join(m for m in heavy if m in sys.modules) + '\\n'); sys.exit(code)")
    args = [sys.executable, "-c", probe, "check", "--isolated", "--ignore", "GR", "--jobs", "1", "docs"]
    runs = [subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300) for _ in range(2)]
    first, again = runs
    assert first.returncode == again.returncode == 1 and again.stdout == first.stdout and first.stdout
    assert first.stderr.splitlines()[-1].startswith("LOADED lintkit.document.model")  # it checked
    assert again.stderr.splitlines()[-1] == "LOADED ", again.stderr
    assert len(_memos(tmp_path)) == 1

