"""Running a command as a subprocess and measuring it: wall time, CPU time and peak RSS
of the whole process tree (``os.wait4`` returns the child's usage including the
grandchildren it waited for, e.g. ``--jobs`` workers), with a hard timeout."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Run:
    cmd: list[str]
    wall: float = 0.0  # seconds
    cpu: float = 0.0  # user + system seconds, children included
    rss_mb: float = 0.0  # ru_maxrss: the largest single process of the tree, MiB
    rc: int | None = None
    timed_out: bool = False
    out_lines: int = 0
    err_tail: str = ""
    load: float = field(default_factory=lambda: os.getloadavg()[0])

    @property
    def ok(self) -> bool:
        return not self.timed_out and self.rc is not None and self.rc >= 0

    def status(self) -> str:
        if self.timed_out:
            return f"timeout (> {self.wall:.0f} s)"
        if self.rc is None or self.rc < 0:
            return f"killed ({self.rc})"
        return ""


def run(cmd: list[str], env: dict[str, str] | None = None, cwd: str | Path | None = None,
        timeout: float = 600.0, stdin: bytes | None = None) -> Run:
    """Run ``cmd`` once; stdout goes to a temporary file (its lines are counted)."""
    res = Run(list(cmd))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd,
                             stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                             start_new_session=True)
        if stdin is not None and p.stdin is not None:
            p.stdin.write(stdin)
            p.stdin.close()
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        res.wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        res.rc = p.returncode
        res.timed_out = killed.is_set()
        res.cpu = ru.ru_utime + ru.ru_stime
        res.rss_mb = ru.ru_maxrss / 1024.0  # Linux: KiB
        if res.timed_out:
            try:  # leftovers of the process group
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        out.seek(0)
        res.out_lines = sum(1 for line in out if line.strip())
        err.seek(0, os.SEEK_END)
        size = err.tell()
        err.seek(max(0, size - 2000))
        tail = err.read().decode("utf-8", "replace").strip().splitlines()
        res.err_tail = tail[-1][:300] if tail else ""
    return res


def median_run(runs: list[Run]) -> Run:
    """The run with the median wall time (for CPU and RSS of a representative run)."""
    ordered = sorted(runs, key=lambda r: r.wall)
    return ordered[len(ordered) // 2]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
