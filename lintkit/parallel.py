"""Checking many files across processes (``--jobs``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lintkit.engine import Engine, Report

_engine: Engine | None = None
_files: list[str] = []
_counter: Any = None  # multiprocessing.Value: index of the next file in _files


def _init(overrides, plugins, files, counter) -> None:  # type: ignore[no-untyped-def]
    global _engine, _files, _counter
    import gc

    from lintkit.engine import BATCH_GC_THRESHOLD, Engine

    gc.set_threshold(*BATCH_GC_THRESHOLD)  # as in the parent's batch (a forked worker inherits it)
    _engine = Engine(overrides, plugins)
    _files, _counter = files, counter


def _next_files() -> Iterator[str]:
    """The shared queue: each worker takes the next file when it is ready for one."""
    assert _counter is not None
    while True:
        with _counter.get_lock():
            i = _counter.value
            _counter.value = i + 1
        if i >= len(_files):
            return
        yield _files[i]


def _check() -> Report:
    from lintkit.engine import Report

    assert _engine is not None
    report = Report()
    _engine.check_files(_next_files(), report)
    report.documents.clear()
    report.timings = dict(_engine.timings)
    _engine.timings.clear()
    return report


def _inherit() -> None:
    """Fork start: the worker already holds the parent's engine, files and counter (see
    check_parallel). Plugins drop their own threads and connections after a fork
    (``os.register_at_fork``), e.g. the grammar family's HTTP pool."""
    assert _engine is not None
    _engine.timings.clear()  # the parent's own, reported by the parent


def check_parallel(engine: Engine, files: list[str], jobs: int) -> Report:
    from lintkit.engine import Report

    report = Report()
    # Check files here until one is not served from the result cache: a warm re-run never
    # starts a worker, and the first real check loads every plugin's lazy data (lexicons,
    # dictionaries, compiled patterns) in this process, so that forked workers inherit it
    # instead of each paying for it again.
    # Smallest first here: the data costs the same whatever the file, and this part is serial.
    order = sorted(files, key=_size)
    job, i = None, 0
    while i < len(order) and job is None:
        job = engine._begin_file(order[i], report)
        i += 1
    rest = order[i:]
    if job is not None and job.started:
        # A plugin sent this file's work to a backend (the LanguageTool server): the run is
        # bound by that backend's queue, not by this process. More processes would only
        # compete with it for the cores (the managed server runs on this machine); one
        # process checking one file ahead keeps the backend's queue full.
        engine.check_files(rest, report, first=job)
        return _in_given_order(report, files)
    if job is not None:
        engine._complete_file(job, report)
    jobs = min(jobs, len(rest))
    if jobs <= 1:
        engine.check_files(rest, report)
        return _in_given_order(report, files)
    # Largest files first, from one shared queue: a worker takes the next file when it is
    # ready (the longest files do not end up last, and no worker idles while another has a
    # backlog), and checks it one ahead (Engine.check_files) so a backend's queue never drains
    # between two of its files.
    rest.sort(key=_size, reverse=True)
    # imported here: a warm re-run, or a run of one file, starts no worker (~10 ms of imports)
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    global _engine, _files, _counter
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    counter = ctx.Value("q", 0)
    fork = ctx.get_start_method() == "fork"
    workers = jobs - 1 if fork else jobs  # with fork, this process is the last of the jobs
    if fork:
        # This process is one of the workers: it already holds everything loaded, so one
        # fork fewer (and one copy fewer of the pages a worker writes to), one result
        # fewer to pickle, and no process idling while the others check.
        _engine, _files, _counter = engine, rest, counter
        pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_inherit)
    else:
        pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init,
                                   initargs=(engine.overrides, engine._extra_plugins, rest, counter))
    try:
        with pool as ex:
            futures = [ex.submit(_check) for _ in range(workers)]
            if fork:
                engine.check_files(_next_files(), report)
            for fut in futures:
                report.extend(fut.result())
    finally:
        _engine, _files, _counter = None, [], None
    return _in_given_order(report, files)


def _in_given_order(report: Report, files: list[str]) -> Report:
    """``report.files`` in the order a serial run gives."""
    index = {f: n for n, f in enumerate(files)}
    report.files.sort(key=lambda f: index.get(f, len(index)))
    return report


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
