"""The result cache on bad days: a truncated or corrupt entry is ignored and rebuilt,
an unwritable cache is not an error, and everything it creates is owner-only."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lintkit.cache import ResultCache
from lintkit.engine import Engine, Overrides
from lintkit.types import Finding, Fix, Severity

ROOT = Path(__file__).resolve().parent.parent
DOC = ("# Notes\n\nThe the committee met on Tuesday. Studies show that that 90% of users agree.\n\n"
       "It is very very clear that everyone always agrees.\n")


def _finding() -> Finding:
    return Finding("CL101", "unsupported-claim", Severity.WARNING, "needs a source", 4, 9,
                   (Fix(4, 9, "x", True, "replace"),), "", 1, 5, 1, 10, ("CL:x",), {"score": 2.5})


def _entry(cache: ResultCache, key: str) -> Path:
    return cache.root / key[:2] / f"{key}.json"


def test_round_trip_and_modes(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "deep" / "cache")
    key = "ab" + "0" * 62
    cache.put(key, [_finding()], {"words": 12})
    got = cache.get(key)
    assert got is not None
    findings, metrics = got
    assert metrics == {"words": 12}
    f = findings[0]
    assert (f.code, f.rule, f.severity, f.message, f.start, f.end, f.fixes, f.line, f.column, f.end_line,
            f.end_column, f.aliases, f.data) == (
        "CL101", "unsupported-claim", Severity.WARNING, "needs a source", 4, 9, (Fix(4, 9, "x", True, "replace"),),
        1, 5, 1, 10, ("CL:x",), {"score": 2.5})
    # every folder the cache created, up from the entry to the cache root's parents, is 0700
    for folder in (tmp_path / "deep", tmp_path / "deep" / "cache", cache.root, cache.root / "ab"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(_entry(cache, key).stat().st_mode) == 0o600


def test_modes_do_not_depend_on_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        cache = ResultCache(tmp_path / "c")
        cache.put("cd" + "1" * 62, [], {})
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "c").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "c" / "results" / "cd").stat().st_mode) == 0o700
    assert stat.S_IMODE(_entry(cache, "cd" + "1" * 62).stat().st_mode) == 0o600


_ROW = '["CL101", "x", "warning", "m", 0, 1, 1, 1, 1, 2, [], {}, []]'


@pytest.mark.parametrize("content", [
    b"",
    b'{"schema": 2, "findings": [["CL101", "x"',  # truncated mid-entry
    b"\xff\xfe\x00garbage",
    b"[]",
    b"null",
    b'{"schema": 99, "findings": []}',
    # an entry of schema 1 (keyed objects), written by lintkit before the arrays of 2
    b'{"schema": 1, "findings": [{"code": "CL101", "rule": "x", "severity": "warning", "message": "m", '
    b'"start": 0, "end": 1, "line": 1, "column": 1, "end_line": 1, "end_column": 2, "aliases": [], '
    b'"data": {}, "fixes": []}], "metrics": {}}',
    b'{"schema": 2, "findings": "abc"}',
    b'{"schema": 2, "findings": [1, 2]}',
    b'{"schema": 2, "findings": [["CL101"]]}',
    b'{"schema": 2, "findings": [["CL101", "x", "loud", "m", 0, 1, 1, 1, 1, 2, [], {}, []]]}',
    b'{"schema": 2, "findings": [["CL101", "x", "warning", "m", 0, 1, 1, 1, 1, 2, [], [], []]]}',
    b'{"schema": 2, "findings": [["CL101", "x", "warning", "m", 0, 1, 1, 1, 1, 2, [], {}, [[0, 1]]]]}',
    b'{"schema": 2, "findings": [], "metrics": 5}',
], ids=["empty", "truncated", "binary", "list", "null", "schema", "schema1", "str", "ints", "short",
        "severity", "data", "fix", "metrics"])
def test_corrupt_entry_is_a_miss_and_is_rebuilt(tmp_path: Path, content: bytes) -> None:
    cache = ResultCache(tmp_path)
    key = "ef" + "2" * 62
    cache.put(key, [_finding()], {})
    _entry(cache, key).write_bytes(content)
    assert cache.get(key) is None
    cache.put(key, [_finding()], {"n": 1})
    got = cache.get(key)
    assert got is not None and got[1] == {"n": 1} and got[0][0].code == "CL101"


def test_a_well_formed_row_is_read(tmp_path: Path) -> None:
    """The counterpart of the corrupt cases above: the same shape, well formed, is a hit."""
    cache = ResultCache(tmp_path)
    key = "ef" + "3" * 62
    cache.put(key, [], {})
    _entry(cache, key).write_bytes(('{"schema": 2, "findings": [' + _ROW + '], "metrics": {}}').encode())
    got = cache.get(key)
    assert got is not None
    assert [(f.code, f.rule, f.severity, f.message, f.start, f.end, f.end_column) for f in got[0]] == [
        ("CL101", "x", Severity.WARNING, "m", 0, 1, 2)]


def test_unwritable_cache_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = ResultCache(blocker)
    cache.put("aa" + "3" * 62, [_finding()], {})  # cannot create folders under a file: ignored
    assert cache.get("aa" + "3" * 62) is None


# End to end ---------------------------------------------------------------------------

def _check(cwd: Path, cache_dir: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LINTKIT_CACHE_DIR=str(cache_dir), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "lintkit", "check", "--ignore", "GR", "--format", "json",
                           "--jobs", "1", "doc.md"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _entries(cache_dir: Path) -> list[Path]:
    """The result entries (not the stat index or the run memos beside them)."""
    return sorted(p for p in (cache_dir / "results").rglob("*.json") if p.parent.name not in ("stat", "runs"))


def test_truncated_cache_file_is_ignored_and_rebuilt_end_to_end(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "doc.md").write_text(DOC)
    cache_dir = tmp_path / "cache"
    first = _check(work, cache_dir)
    assert first.returncode in (0, 1), first.stderr
    report = json.loads(first.stdout)
    assert report["errors"] == []
    [entry] = _entries(cache_dir)
    good = entry.read_bytes()
    assert json.loads(good)["findings"] == json.loads(good)["findings"]  # valid JSON

    entry.write_bytes(good[: len(good) // 2])  # a crash mid-write (without atomic replace)
    second = _check(work, cache_dir)
    assert second.returncode == first.returncode
    assert "Traceback" not in second.stderr
    assert json.loads(second.stdout)["findings"] == report["findings"]
    assert _entries(cache_dir) == [entry]
    assert entry.read_bytes() == good  # rebuilt, byte for byte

    third = _check(work, cache_dir)  # a hit now
    assert json.loads(third.stdout)["findings"] == report["findings"]


def test_everything_in_the_cache_folder_is_owner_only(tmp_path: Path) -> None:
    """After a full check (all families but grammar) nothing under LINTKIT_CACHE_DIR is
    readable by group or others."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "doc.md").write_text(DOC)
    cache_dir = tmp_path / "fresh" / "lintkit-cache"
    run = _check(work, cache_dir)
    assert run.returncode in (0, 1), run.stderr
    seen = [cache_dir, *cache_dir.rglob("*")]
    assert len(_entries(cache_dir)) == 1
    assert len(list((cache_dir / "results" / "runs").glob("*.memo"))) == 1  # the run memo
    loose = [f"{p} {stat.S_IMODE(p.lstat().st_mode):o}" for p in seen
             if stat.S_IMODE(p.lstat().st_mode) & 0o077]
    assert loose == []
    assert stat.S_IMODE((tmp_path / "fresh").stat().st_mode) == 0o700


def test_entry_folder_removed_during_a_run_is_made_again(tmp_path: Path) -> None:
    """put() remembers the entry folders it made; one removed since is made again (0700)."""
    import shutil

    cache = ResultCache(tmp_path / "c")
    first, second = "ab" + "0" * 62, "ab" + "1" * 62
    cache.put(first, [_finding()], {})
    shutil.rmtree(tmp_path / "c")
    cache.put(second, [_finding()], {"words": 3})
    assert cache.get(second) is not None and cache.get(second)[1] == {"words": 3}
    for folder in (tmp_path / "c", cache.root, cache.root / "ab"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(_entry(cache, second).stat().st_mode) == 0o600


# The stat index: unchanged files are served without being read ---------------------------

DOC2 = "Everyone knows that remote work always boosts productivity by 40%.\n"


def _aged(monkeypatch: pytest.MonkeyPatch) -> None:
    """Move the index's clock 10 s on: the files a test has just written look old enough
    to be indexed (their last change over 2 s before the stat)."""
    import lintkit.cache

    monkeypatch.setattr(lintkit.cache, "_now_ns", lambda: time.time_ns() + 10_000_000_000)


def _run(paths: list[Path], jobs: int = 1, **overrides: object) -> tuple[list[tuple], list[str], Engine]:
    engine = Engine(Overrides(isolated=True, ignore=["GR"], **overrides))  # type: ignore[arg-type]
    report = engine.check_paths([str(p) for p in paths], jobs=jobs)
    assert report.errors == []
    return ([(f.path, f.code, f.line, f.column, f.message) for f in report.findings], report.files, engine)


@pytest.fixture()
def reads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """The files the engine reads from disk (this process only), with the cache in tmp_path."""
    monkeypatch.setenv("LINTKIT_CACHE_DIR", str(tmp_path / "cache"))
    seen: list[str] = []
    real = Engine._read

    def spy(self: Engine, path: str, max_size: int | None) -> object:
        seen.append(os.path.basename(path))
        return real(self, path, max_size)

    monkeypatch.setattr(Engine, "_read", spy)
    return seen


def _docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(DOC)
    (docs / "b.txt").write_text(DOC2)
    (docs / "c.md").write_text("# Plain\n\nThe committee met on Tuesday.\n")
    return docs


def _index(tmp_path: Path) -> dict:
    [f] = (tmp_path / "cache" / "results" / "stat").glob("*.json")
    return json.loads(f.read_bytes())


def test_unchanged_files_are_served_without_reading_them(tmp_path: Path, reads: list[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _aged(monkeypatch)
    docs = _docs(tmp_path)
    first, files, engine = _run([docs])
    assert sorted(reads) == ["a.md", "b.txt", "c.md"] and engine.computed == 3
    assert {p for p, *_ in first} == {str(docs / "a.md"), str(docs / "b.txt")}  # c.md is clean
    index = _index(tmp_path)
    assert index["folder"] == str(docs) and sorted(index["files"]) == ["a.md", "b.txt", "c.md"]
    st = os.stat(docs / "b.txt")
    assert index["files"]["b.txt"][:5] == [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]
    assert stat.S_IMODE(os.stat(next((tmp_path / "cache" / "results" / "stat").glob("*.json"))).st_mode) == 0o600
    reads.clear()
    second, files2, engine = _run([docs])
    assert reads == [] and engine.computed == 0
    assert (second, files2) == (first, files)


def test_a_changed_file_is_read_again_even_with_its_size_and_mtime_restored(
        tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _aged(monkeypatch)
    docs = _docs(tmp_path)
    first, _, _ = _run([docs])
    target = docs / "b.txt"
    before = os.stat(target)
    changed = DOC2.replace("always boosts productivity by 40%", "sometimes helps with productivity")
    assert len(changed) == len(DOC2)
    while True:  # a write in a later clock tick than the recorded one (as any real later edit)
        target.write_text(changed)
        os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
        if os.stat(target).st_ctime_ns != before.st_ctime_ns:
            break
        time.sleep(0.01)
    after = os.stat(target)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    reads.clear()
    second, _, engine = _run([docs])
    assert reads == ["b.txt"] and engine.computed == 1
    fresh, _, _ = _run([docs], cache=False)
    assert second == fresh and second != first
    assert [m for p, *_, m in second if p.endswith("b.txt")] != [m for p, *_, m in first if p.endswith("b.txt")]


def test_a_recently_changed_file_is_not_indexed(tmp_path: Path, reads: list[str]) -> None:
    """Without the clock moved on, the files were changed under 2 s ago: a write in the same
    clock tick could keep their change time, so they are read every time (and still served
    from the result cache)."""
    docs = _docs(tmp_path)
    first, _, _ = _run([docs])
    reads.clear()
    second, _, engine = _run([docs])
    assert sorted(reads) == ["a.md", "b.txt", "c.md"] and engine.computed == 0 and second == first
    assert not (tmp_path / "cache" / "results" / "stat").exists()


@pytest.mark.parametrize("damage", [b"", b"{", b"[]", b'{"schema": 1, "folder": "/elsewhere", "files": {}}',
                                    b'{"schema": 1, "folder": "F", "files": {"b.txt": [1, 2]}}',
                                    b'{"schema": 1, "folder": "F", "files": {"b.txt": "x"}}',
                                    b'{"schema": 1, "folder": "F", "files": []}'],
                         ids=["empty", "truncated", "list", "other-folder", "short", "str", "files-list"])
def test_a_damaged_index_is_ignored_and_rewritten(tmp_path: Path, reads: list[str],
                                                  monkeypatch: pytest.MonkeyPatch, damage: bytes) -> None:
    _aged(monkeypatch)
    docs = _docs(tmp_path)
    first, _, _ = _run([docs])
    [index_file] = (tmp_path / "cache" / "results" / "stat").glob("*.json")
    index_file.write_bytes(damage.replace(b'"F"', json.dumps(str(docs)).encode()))
    reads.clear()
    second, _, engine = _run([docs])
    assert second == first and engine.computed == 0
    assert "b.txt" in reads
    assert sorted(_index(tmp_path)["files"]) == ["a.md", "b.txt", "c.md"]
    reads.clear()
    assert _run([docs])[0] == first and reads == []


def test_an_index_entry_without_its_result_is_checked_as_usual(tmp_path: Path, reads: list[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Other settings (another key for the same content), or result entries removed: the file
    is read and checked."""
    _aged(monkeypatch)
    docs = _docs(tmp_path)
    _run([docs])
    reads.clear()
    narrow, _, engine = _run([docs], select=["CL"])
    assert sorted(reads) == ["a.md", "b.txt", "c.md"] and engine.computed == 3
    assert narrow == _run([docs], select=["CL"], cache=False)[0] and {c for _, c, *_ in narrow} <= {
        "CL101", "CL102", "CL103", "CL104", "CL105", "CL106", "CL107", "CL108"}
    for folder in (tmp_path / "cache" / "results").iterdir():
        if folder.name != "stat":
            shutil.rmtree(folder)
    reads.clear()
    again, _, engine = _run([docs])
    assert sorted(reads) == ["a.md", "b.txt", "c.md"] and engine.computed == 3
    assert again == _run([docs], cache=False)[0]


def test_files_checked_by_workers_are_indexed(tmp_path: Path, reads: list[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _aged(monkeypatch)
    docs = _docs(tmp_path)
    for i in range(6):
        (docs / f"more{i}.md").write_text(f"# Part {i}\n\n" + DOC)
    first, _, _ = _run([docs], jobs=2)
    assert len(_index(tmp_path)["files"]) == 9
    reads.clear()
    assert _run([docs], jobs=2)[0] == first and reads == []


def test_no_index_without_the_cache(tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _aged(monkeypatch)
    docs = _docs(tmp_path)
    _run([docs], cache=False)
    _run([docs], cache=False)
    assert len(reads) == 6
    assert not (tmp_path / "cache" / "results").exists()


def test_an_edited_file_in_a_folder_rule_pack_invalidates_the_cache(tmp_path: Path) -> None:
    """A folder of rule packs: editing a file inside it leaves the folder's own times as they
    were, and even with the file's size and modification time restored the next run uses
    the edited pack (the key stamps each pack file, change time included)."""
    work = tmp_path / "work"
    (work / "packs").mkdir(parents=True)
    pack = work / "packs" / "terms.toml"
    body = ('[pack]\nname = "ours"\nkind = "terms"\nversion = "1"\ndescription = "house names"\n\n'
            '[[term]]\ncanonical = "{}"\n')
    pack.write_text(body.format("FooBar"))
    (work / "lintkit.toml").write_text('rule-packs = ["packs"]\n')
    (work / "doc.md").write_text("We ship Foobar today. Our team likes Foobar and Zipzap.\n")
    env = dict(os.environ, LINTKIT_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))

    def codes() -> list[str]:
        run = subprocess.run([sys.executable, "-m", "lintkit", "check", "--select", "CN102", "--jobs", "1",
                              "--format", "json", "doc.md"], cwd=work, env=env, capture_output=True, text=True,
                             timeout=300)
        assert run.returncode in (0, 1), run.stderr
        return [f["message"] for f in json.loads(run.stdout)["findings"]]

    first = codes()
    assert len(first) == 2 and all("FooBar" in m for m in first)
    assert codes() == first
    before = os.stat(pack)
    folder_before = os.stat(work / "packs").st_mtime_ns
    while os.stat(pack).st_ctime_ns == before.st_ctime_ns:  # a later clock tick, as any real edit
        time.sleep(0.01)
        pack.write_text(body.format("ZipZap"))
        os.utime(pack, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(pack).st_size == before.st_size and os.stat(work / "packs").st_mtime_ns == folder_before
    second = codes()
    assert len(second) == 1 and "ZipZap" in second[0]
