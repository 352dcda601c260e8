"""Checking many files across processes (``--jobs``)."""

from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lintkit.engine import Engine, Report

_engine: Engine | None = None


def _init(overrides, plugins) -> None:  # type: ignore[no-untyped-def]
    global _engine
    import gc

    from lintkit.engine import BATCH_GC_THRESHOLD, Engine

    gc.set_threshold(*BATCH_GC_THRESHOLD)  # as in the parent's batch (a forked worker inherits it)
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


def _inherit() -> None:
    """Fork start: the worker already holds the parent's engine (see check_parallel)."""
    import sys

    assert _engine is not None
    _engine.timings.clear()  # the parent's own, reported by the parent
    # HTTP keep-alive connections must not be shared with the parent or a sibling: make
    # the grammar family open its own.
    clients = getattr(sys.modules.get("lintkit.families.grammar"), "_CLIENTS", None)
    if isinstance(clients, dict):
        clients.clear()


def check_parallel(engine: Engine, files: list[str], jobs: int) -> Report:
    from lintkit.engine import Report

    report = Report()
    # Check files here until one is not served from the result cache: a warm re-run never
    # starts a worker, and the first real check loads every plugin's lazy data (lexicons,
    # dictionaries, compiled patterns) in this process, so that forked workers inherit it
    # instead of each paying for it again.
    # Smallest first here: the data costs the same whatever the file, and this part is serial.
    order = sorted(files, key=_size)
    computed, i = engine.computed, 0
    while i < len(order) and engine.computed == computed:
        engine.check_file(order[i], report)
        i += 1
    rest = order[i:]
    jobs = min(jobs, len(rest))
    if jobs <= 1:
        for f in rest:
            engine.check_file(f, report)
        index = {f: n for n, f in enumerate(files)}
        report.files.sort(key=lambda f: index.get(f, len(index)))
        return report
    # Largest files first, dealt round-robin into a few chunks per worker.
    rest.sort(key=_size, reverse=True)
    chunks: list[list[str]] = [[] for _ in range(jobs * 4)]
    for n, f in enumerate(rest):
        chunks[n % len(chunks)].append(f)
    global _engine
    if "fork" in mp.get_all_start_methods():
        _engine = engine
        pool = ProcessPoolExecutor(jobs, mp_context=mp.get_context("fork"), initializer=_inherit)
    else:
        pool = ProcessPoolExecutor(jobs, initializer=_init, initargs=(engine.overrides, engine._extra_plugins))
    try:
        with pool as ex:
            for part in ex.map(_check, [c for c in chunks if c]):
                report.extend(part)
    finally:
        _engine = None
    index = {f: n for n, f in enumerate(files)}
    report.files.sort(key=lambda f: index.get(f, len(index)))  # the order a serial run gives
    return report


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
