"""Checking many files across processes (``--jobs``)."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lintkit.engine import Engine, Report

_engine: Engine | None = None


def _init(overrides, plugins) -> None:  # type: ignore[no-untyped-def]
    global _engine
    from lintkit.engine import Engine

    _engine = Engine(overrides, plugins)


def _check(paths: list[str]) -> Report:
    from lintkit.engine import Report

    assert _engine is not None
    report = Report()
    for p in paths:
        _engine.check_file(p, report)
    report.documents.clear()
    report.timings = dict(_engine.timings)
    _engine.timings.clear()
    return report


def check_parallel(engine: Engine, files: list[str], jobs: int) -> Report:
    from lintkit.engine import Report

    # Chunks of files, largest first, spread over workers.
    chunks: list[list[str]] = [[] for _ in range(jobs * 4)]
    for i, f in enumerate(files):
        chunks[i % len(chunks)].append(f)
    report = Report()
    with ProcessPoolExecutor(jobs, initializer=_init,
                             initargs=(engine.overrides, engine._extra_plugins)) as ex:
        for part in ex.map(_check, [c for c in chunks if c]):
            report.extend(part)
    return report
