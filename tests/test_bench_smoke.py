"""The benchmark harness runs end to end on a tiny corpus (no timing asserts: speed is
measured by bench/run.py, never asserted in tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import measure  # noqa: E402
import run as bench_run  # noqa: E402


def test_measure_counts_output_and_exit_code() -> None:
    r = measure.run([sys.executable, "-c", "print('a'); print(); print('b'); raise SystemExit(3)"])
    assert (r.rc, r.out_lines, r.timed_out, r.ok) == (3, 2, False, True)
    assert r.cpu > 0 and r.rss_mb > 1


def test_measure_kills_on_timeout() -> None:
    r = measure.run([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert r.timed_out and not r.ok
    assert r.rc == -9
    assert r.status() == f"timeout (> {r.wall:.0f} s)"


def test_missing_corpus_is_skipped_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "essays").mkdir()
    (tmp_path / "essays" / "a.txt").write_text("One two three.\n")
    found, skipped = bench_run.corpora(tmp_path, quick=False)
    assert [(c.name, len(c.files), c.words) for c in found] == [("essays", 1, 3)]
    assert skipped == [f"{tmp_path / 'markdown-rfcs'}: absent, the RFC benchmarks are skipped"]


def test_bench_runs_on_a_tiny_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "markdown-rfcs").mkdir(parents=True)
    (corpus / "essays").mkdir()
    (corpus / "markdown-rfcs" / "0001-x.md").write_text(
        "# Title\n\nThe parser reads the file. It writes `out` to disk.\n")
    (corpus / "essays" / "e.txt").write_text("The committee approved the proposal after a short discussion.\n")
    out_md, out_json = tmp_path / "bench.md", tmp_path / "bench.json"
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--no-peers", "--no-grammar",
                        "--only", "families", "--corpus", str(corpus), "--output", str(out_md),
                        "--json", str(out_json)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    text = out_md.read_text()
    assert "- **rfcs**: 1 files, 0.00 MB, 11 words" in text
    assert "- **essays**: 1 files, 0.00 MB, 9 words" in text
    assert "| rfcs | GR grammar | skipped: --no-grammar |||||||" in text
    assert "| essays | all | skipped: --no-grammar |||||||" in text
    assert "## Peers, same files, same run\n\nSkipped (`--no-peers`)." in text
    data = json.loads(out_json.read_text())
    rows = {(f["corpus"], f["family"]): f for f in data["families"]}
    assert sorted(rows) == sorted((c, fam) for c in ("rfcs", "essays") for fam, _ in bench_run.FAMILIES)
    for corpus_name in ("rfcs", "essays"):
        for fam in ("RD readability", "CL claims", "CN consistency", "all but GR"):
            row = rows[(corpus_name, fam)]
            assert (row["cold"]["rc"], row["warm"]["rc"], row["cold"]["timed_out"]) == (0, 0, False)
            # three warm runs; the row's warm run is the median one
            assert len(row["warm_walls"]) == bench_run.WARM_RUNS == 3
            assert row["warm"]["wall"] == sorted(row["warm_walls"])[1]


def _tiny_tree(root: Path) -> list[str]:
    texts = {
        "a.md": "# Plan\n\nThe team will definitely finish the the migration next week.\n",
        "b.md": "Studies show that this approach is always faster. It is very very good.\n",
        "c.txt": "The colour of the logo changed. The color of the page did not.\n",
        "d.md": "Everyone knows the API is the best. The api never fails.\n",
    }
    for name, text in texts.items():
        (root / name).write_text(text)
    return [str(root / n) for n in sorted(texts)]


def _keys(report) -> list[tuple[str, int, int, str, str]]:  # type: ignore[no-untyped-def]
    return [(Path(f.path).name, f.line, f.column, f.code, f.message) for f in report.findings]


def test_parallel_run_equals_serial_and_warm_rerun_starts_no_worker(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from lintkit.engine import Engine, Overrides

    monkeypatch.setenv("LINTKIT_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "docs"
    root.mkdir()
    files = _tiny_tree(root)
    serial = Engine(Overrides(isolated=True, ignore=["GR"], cache=False)).check_paths(files, jobs=1)
    assert serial.findings and not serial.errors
    cold_engine = Engine(Overrides(isolated=True, ignore=["GR"]))
    cold = cold_engine.check_paths(files, jobs=2)
    assert (_keys(cold), cold.files, cold.errors) == (_keys(serial), serial.files, [])
    # this process checks the first (smallest) file, then takes files from the queue it
    # shares with the worker it forked (with --jobs 2)
    assert 1 <= cold_engine.computed <= len(files)
    assert "(document model)" in cold.timings

    def no_pool(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a warm re-run must not start worker processes")

    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)  # what check_parallel imports
    warm_engine = Engine(Overrides(isolated=True, ignore=["GR"]))
    warm = warm_engine.check_paths(files, jobs=2)
    assert (_keys(warm), warm.files, warm_engine.computed) == (_keys(serial), serial.files, 0)


def test_a_warm_ratio_near_the_target_is_shown_with_a_decimal() -> None:
    """6.58 s → 0.33 s is 19.9×: shown as "19.9×" beside "missed", not as "20×"."""
    from types import SimpleNamespace

    def fam(family: str, cold: float, warm: float) -> dict[str, object]:
        return {"corpus": "rfcs", "family": family, "cold": SimpleNamespace(wall=cold),
                "warm": SimpleNamespace(wall=warm)}

    bench = SimpleNamespace(results={"peers": [], "grammar": [], "scaling": {}, "startup": {},
                                     "families": [fam("all", 6.38, 0.14), fam("all but GR", 6.58, 0.33)]})
    rows = {t: (shown, ok) for t, shown, ok in bench_run.acceptance(bench)}  # type: ignore[arg-type]
    assert rows["warm re-run ≥ 20× faster than cold (all but GR, RFC corpus)"] == (
        "19.9× (6.58 s → 0.33 s)", False)
    assert rows["warm re-run ≥ 20× faster than cold (all, RFC corpus)"] == ("46× (6.38 s → 0.14 s)", True)
