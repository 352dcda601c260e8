"""How the consistency family (CN) scales with document length.

Builds one Markdown document of about 10 KB and one of about 1 MB by concatenating the
RFCs in ../shared/corpus/markdown-rfcs/ (or a folder given as argument), checks each with
only CN rules selected (no cache), after one warm-up run that loads the word list and the
packs, and prints seconds per megabyte for both and their ratio. The acceptance bar is a
ratio below 2 (1 MB costs less than twice as much per MB as 10 KB).

    .venv/bin/python bench/consistency_scaling.py [CORPUS_DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from lintkit.document.model import Source
from lintkit.engine import Engine, Overrides, batch_gc

ROOT = Path(__file__).resolve().parent.parent


def build(corpus: Path, size: int) -> str:
    parts: list[str] = []
    total = 0
    files = sorted(corpus.glob("*.md"))
    i = 0
    while total < size:
        t = files[i % len(files)].read_text(encoding="utf-8")
        parts.append(t)
        total += len(t.encode("utf-8"))
        i += 1
    text = "\n\n".join(parts)
    return text.encode("utf-8")[:size].decode("utf-8", "ignore")


def timed(engine: Engine, text: str, repeat: int) -> tuple[float, int]:
    """Best wall time of ``repeat`` full checks (parse + CN rules + engine filtering)."""
    best = float("inf")
    n = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        with batch_gc():  # the collector thresholds the CLI checks files with
            report = engine.check_source(Source("bench.md", text, "markdown"))
        best = min(best, time.perf_counter() - t0)
        n = len(report.findings)
    return best, n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus" / "markdown-rfcs"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    engine = Engine(Overrides(select=["CN"], isolated=True, raw={"cache": False}))
    corpus = Path(args.corpus)
    small, big = build(corpus, 10_000), build(corpus, 1_000_000)
    timed(engine, small, 1)  # warm-up: word list, packs, imports
    rows = []
    for name, text in (("10 KB", small), ("1 MB", big)):
        secs, n = timed(engine, text, args.repeat * 10 if name == "10 KB" else args.repeat)
        mb = len(text.encode("utf-8")) / 1_000_000
        words = len(text.split())
        rows.append((name, mb, words, secs, secs / mb, n))
    print(f"{'doc':>6} {'MB':>8} {'words':>8} {'seconds':>9} {'s/MB':>8} {'findings':>9}")
    for name, mb, words, secs, per, n in rows:
        print(f"{name:>6} {mb:8.3f} {words:8d} {secs:9.3f} {per:8.3f} {n:9d}")
    ratio = rows[1][4] / rows[0][4]
    print(f"ratio (1 MB s/MB ÷ 10 KB s/MB) = {ratio:.2f}  ({'OK' if ratio < 2 else 'ABOVE 2'}; bar: < 2)")


if __name__ == "__main__":
    main()
