"""lintkit_prefetch: the engine builds the next file's document and lets plugins start
slow backend work for it before it runs the current file's checks; a run whose plugins
prefetch stays in one process whatever --jobs says."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest

from lintkit.engine import Engine, Overrides

PLUGIN = '''
import os
from lintkit.hookspecs import hookimpl
from lintkit.types import Rule, Severity

EVENTS = []
PREFETCH = True
RAISE = False
SLOW = 0.0  # seconds each check takes


@hookimpl
def lintkit_register_rules():
    return [Rule("PF101", "prefetched", "PF", Severity.WARNING, "prefetch probe", "doc",
                 bad="x", good="y")]


@hookimpl
def lintkit_prefetch(document, ctx):
    if not ctx.enabled("PF") or not PREFETCH:
        return False
    if RAISE:
        raise RuntimeError("backend down")
    EVENTS.append(("prefetch", os.path.basename(document.path), os.getpid()))
    ctx.state["pfprobe"] = len(document.paragraphs)
    return True


@hookimpl
def lintkit_check(document, ctx):
    if not ctx.enabled("PF"):
        return []
    EVENTS.append(("check", os.path.basename(document.path), os.getpid()))
    if SLOW:
        import time
        time.sleep(SLOW)
    n = ctx.state.pop("pfprobe", None)
    if n is None:
        n = -1  # not prefetched
    return [ctx.finding("PF101", 0, 1, f"{n} paragraphs, prefetched={n >= 0}", pid=os.getpid())]
'''


@pytest.fixture()
def probe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    name = f"pfprobe_{os.getpid()}_{abs(hash(tmp_path)) % 10**8}"
    (tmp_path / "mods").mkdir()
    (tmp_path / "mods" / f"{name}.py").write_text(PLUGIN)
    monkeypatch.syspath_prepend(str(tmp_path / "mods"))
    docs = tmp_path / "docs"
    docs.mkdir()
    for i, size in enumerate((3, 1, 2)):  # a.txt has 3 paragraphs, b.txt 1, c.txt 2
        (docs / f"{'abc'[i]}.txt").write_text("\n\n".join(f"Paragraph {k} of file {i}." for k in range(size)) + "\n")
    yield name, docs
    sys.modules.pop(name, None)


def _run(name: str, docs: Path, jobs: int = 1, select: str = "PF") -> tuple[list[str], list[tuple[str, str, int]]]:
    engine = Engine(Overrides(isolated=True, cache=False, select=[select]), plugins=(name,))
    report = engine.check_paths([str(docs)], jobs=jobs)
    mod = sys.modules[name]
    return [f"{Path(f.path).name}:{f.message}" for f in report.findings], list(mod.EVENTS)


def test_next_file_is_prefetched_before_the_current_one_is_checked(probe) -> None:  # type: ignore[no-untyped-def]
    name, docs = probe
    findings, events = _run(name, docs)
    assert findings == ["a.txt:3 paragraphs, prefetched=True", "b.txt:1 paragraphs, prefetched=True",
                        "c.txt:2 paragraphs, prefetched=True"]
    assert [(e, f) for e, f, _ in events] == [
        ("prefetch", "a.txt"), ("prefetch", "b.txt"), ("check", "a.txt"),
        ("prefetch", "c.txt"), ("check", "b.txt"), ("check", "c.txt")]


def test_without_prefetch_files_are_checked_one_at_a_time(probe) -> None:  # type: ignore[no-untyped-def]
    name, docs = probe
    Engine(Overrides(isolated=True, cache=False), plugins=(name,))  # imports the probe
    sys.modules[name].PREFETCH = False
    findings, events = _run(name, docs)
    assert findings == ["a.txt:-1 paragraphs, prefetched=False", "b.txt:-1 paragraphs, prefetched=False",
                        "c.txt:-1 paragraphs, prefetched=False"]
    assert [(e, f) for e, f, _ in events] == [("check", "a.txt"), ("check", "b.txt"), ("check", "c.txt")]


def test_a_prefetching_run_stays_in_one_process_whatever_jobs_says(probe) -> None:  # type: ignore[no-untyped-def]
    name, docs = probe
    findings, events = _run(name, docs, jobs=2)
    assert {pid for _, _, pid in events} == {os.getpid()}
    # the parent begins the smallest file first, then the rest one ahead
    assert [(e, f) for e, f, _ in events] == [
        ("prefetch", "b.txt"), ("prefetch", "c.txt"), ("check", "b.txt"),
        ("prefetch", "a.txt"), ("check", "c.txt"), ("check", "a.txt")]
    assert findings == ["a.txt:3 paragraphs, prefetched=True", "b.txt:1 paragraphs, prefetched=True",
                        "c.txt:2 paragraphs, prefetched=True"]


def test_errors_and_order_are_kept_with_lookahead(probe, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    name, docs = probe
    (docs / "bad.txt").write_bytes(b"caf\xe9\n")  # Latin-1: rejected with a clear error
    engine = Engine(Overrides(isolated=True, cache=False, select=["PF"]), plugins=(name,))
    report = engine.check_paths([str(docs)])
    assert report.files == [str(docs / n) for n in ("a.txt", "b.txt", "c.txt")]  # the ones read
    assert [(Path(e.path).name, e.message) for e in report.errors] == [
        ("bad.txt", "not valid UTF-8 (byte 0xe9 at offset 3); save it as UTF-8")]
    assert [Path(f.path).name for f in report.findings] == ["a.txt", "b.txt", "c.txt"]
    assert report.documents == {}


def test_a_run_without_prefetch_still_uses_workers(probe) -> None:  # type: ignore[no-untyped-def]
    name, docs = probe
    Engine(Overrides(isolated=True, cache=False), plugins=(name,))  # imports the probe
    sys.modules[name].PREFETCH = False
    sys.modules[name].SLOW = 0.3  # so that the forked worker is up before the queue is empty
    for n in (4, 5, 6):  # d, e and f: more files than this process takes (one, and one ahead)
        (docs / f"{'abcdef'[n - 1]}.txt").write_text("\n\n".join(f"Paragraph {k}." for k in range(n)) + "\n")
    engine = Engine(Overrides(isolated=True, cache=False, select=["PF"]), plugins=(name,))
    report = engine.check_paths([str(docs)], jobs=2)
    pids = {Path(f.path).name: f.data["pid"] for f in report.findings}
    assert pids.pop("b.txt") == os.getpid()  # the smallest, checked here before the worker starts
    # the rest from one queue, by this process (one of the --jobs workers) and a forked one
    assert os.getpid() in pids.values() and len(set(pids.values())) == 2
    assert [f"{Path(f.path).name}:{f.message}" for f in report.findings] == [
        f"{c}.txt:-1 paragraphs, prefetched=False" for c in "abcdef"]


def test_jobs_give_the_same_findings_as_one_process(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    body = textwrap.dedent("""\
        Studies show that the White house and the white house are the same.

        Everyone knows it will certainly happen.
        """)
    for i in range(6):
        (docs / f"d{i}.md").write_text(body * (i + 1))
    one = Engine(Overrides(isolated=True, cache=False, ignore=["GR"])).check_paths([str(docs)], jobs=1)
    two = Engine(Overrides(isolated=True, cache=False, ignore=["GR"])).check_paths([str(docs)], jobs=2)
    key = [(f.path, f.line, f.column, f.code) for f in one.findings]
    assert key == [(f.path, f.line, f.column, f.code) for f in two.findings] and len(key) > 6
    assert one.files == two.files == [str(docs / f"d{i}.md") for i in range(6)]


def test_a_failing_prefetch_is_ignored_and_the_check_runs(probe) -> None:  # type: ignore[no-untyped-def]
    name, docs = probe
    Engine(Overrides(isolated=True, cache=False), plugins=(name,))  # imports the probe
    sys.modules[name].RAISE = True
    engine = Engine(Overrides(isolated=True, cache=False, select=["PF"]), plugins=(name,))
    report = engine.check_paths([str(docs)])
    assert report.errors == []
    assert [f"{Path(f.path).name}:{f.message}" for f in report.findings] == [
        "a.txt:-1 paragraphs, prefetched=False", "b.txt:-1 paragraphs, prefetched=False",
        "c.txt:-1 paragraphs, prefetched=False"]
