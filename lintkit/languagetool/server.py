"""The managed local LanguageTool server: start, reuse, stop, status, idle stop.

One server per install folder (``home()``), shared by every lintkit process (CLI,
pre-commit, editor, CI). ``server.json`` records its port, pid and start time; a later
process reuses it after checking that the pid is alive, is a LanguageTool JVM and
answers ``/v2/healthcheck``. Starting is serialised by an ``flock`` on ``server.lock``.

Idle stop: every process that sends a check touches ``<home>/last-used``. A small
detached watchdog process (``python -m lintkit.languagetool.watchdog``) started with the
server polls that file and stops the JVM after ``idle-timeout`` minutes without use (and
exits by itself when the JVM is gone or replaced). It is plain Python, so it needs no
Java-side code and survives the lintkit process that started it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from lintkit.errors import BackendError
from lintkit.fsutil import atomic_write
from lintkit.languagetool import install as inst
from lintkit.languagetool.client import Client

WHERE = "languagetool"
SERVER_CLASS = "org.languagetool.server.HTTPServer"
START_TIMEOUT = float(os.environ.get("LINTKIT_LANGUAGETOOL_START_TIMEOUT", "90"))
PORT_ATTEMPTS = 4


def check_threads() -> int:
    return max(2, min(os.cpu_count() or 2, 8))


def default_concurrency() -> int:
    """Requests a lintkit process keeps in flight against the managed server.

    More requests than check threads keep the server busy between one request's answer and
    the next request's arrival (HTTP, JSON, the client's own work). Measured on 2 cores
    (essays, 360 paragraphs, the same requests straight from a thread pool): 4 in flight
    5.5 s, 8 in flight 3.5 s, 16 in flight 3.1 s. A run that uses the server checks its
    files in one process (lintkit.parallel), so this is the run's total.
    """
    return min(8 * check_threads(), 32)


def queue_size() -> int:
    """The server's ``textCheckerQueueSize`` (requests beyond it are refused with HTTP 503):
    room for four lintkit runs at once (CI, pre-commit, the editor) per core at
    :func:`default_concurrency` (a margin: a run that uses the server is one process);
    at least 512."""
    return max(512, 4 * (os.cpu_count() or 2) * default_concurrency())


def properties() -> str:
    """lt.properties for the managed server (see docs/grammar.md)."""
    n = check_threads()
    return "\n".join([
        "# written by lintkit; rewritten at every start",
        "pipelineCaching=true",
        "maxPipelinePoolSize=64",
        "pipelineExpireTimeInSeconds=86400",
        "cacheSize=20000",
        "cacheTTLSeconds=86400",
        f"maxCheckThreads={n}",
        f"maxTextCheckerThreads={n}",
        f"textCheckerQueueSize={queue_size()}",
        "maxCheckTimeMillis=120000",
        "",
    ])


def state_path(h: Path | None = None) -> Path:
    return (h or inst.home()) / "server.json"


def log_path(h: Path | None = None) -> Path:
    return (h or inst.home()) / "server.log"


def read_state(h: Path | None = None) -> dict[str, Any] | None:
    try:
        data = json.loads(state_path(h).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("port"), int) or not isinstance(data.get("pid"), int):
        return None
    return data


def write_state(state: dict[str, Any], h: Path | None = None) -> None:
    atomic_write(state_path(h), json.dumps(state, indent=1).encode(), mode=0o600)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie (our own exited child not yet reaped) is not alive
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def is_lt_process(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return SERVER_CLASS.encode() in fh.read()
    except OSError:
        return pid_alive(pid)  # no /proc: trust the pid


def rss_bytes(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def touch(h: Path | None = None) -> None:
    p = (h or inst.home()) / "last-used"
    try:
        p.touch()
    except OSError:
        pass


@contextlib.contextmanager
def start_lock(h: Path, timeout: float = START_TIMEOUT + 60) -> Iterator[None]:
    h.mkdir(parents=True, exist_ok=True)
    fd = os.open(h / "server.lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() > deadline:
                    raise BackendError(WHERE, f"another process holds {h / 'server.lock'} for over {timeout:.0f} s",
                                       "check `lintkit languagetool status`; remove the lock if no lintkit runs") \
                        from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)


def running(h: Path | None = None) -> dict[str, Any] | None:
    """The recorded server if it is alive, a LanguageTool JVM, and healthy."""
    st = read_state(h)
    if st is None:
        return None
    if not (pid_alive(st["pid"]) and is_lt_process(st["pid"])):
        return None
    if not Client(f"http://127.0.0.1:{st['port']}").healthy(timeout=3.0):
        return None
    return st


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# The JDK's HTTP server (LanguageTool's) writes an answer's headers and body in two
# segments. With Nagle's algorithm on, the body waits for the client's ACK of the headers,
# which Linux delays by 40 ms on a kept-alive connection: every check after a
# connection's first took 40 ms longer than the server's work (a 6 ms check, 46 ms).
NODELAY = "-Dsun.net.httpserver.nodelay=true"


def java_command(java: str, cp: list[str], port: int, config: Path) -> list[str]:
    opts = os.environ.get("LINTKIT_LANGUAGETOOL_JAVA_OPTS", "-Xmx1g -XX:+UseSerialGC").split()
    # <= 9 arguments after the class name, or HTTPServer prints its usage and exits; the
    # user's options come after NODELAY, so they can still turn it off
    cmd = [java, NODELAY, *opts, "-cp", os.pathsep.join(cp), SERVER_CLASS]
    return [*cmd, "--port", str(port), "--config", str(config)]


def ensure_running(warmup: Callable[[Client], None] | None = None, idle_timeout: float = 30.0,
                   log: Callable[[str], None] = lambda s: None, port: int | None = None) -> dict[str, Any]:
    """Reuse the running server or start one. Returns its state (port, pid, ...)."""
    h = inst.home()
    st = running(h)
    if st is not None:
        touch(h)
        return st
    with start_lock(h):
        st = running(h)  # someone else may have started it while we waited
        if st is not None:
            touch(h)
            return st
        return _start(h, warmup, idle_timeout, log, port)


def _start(h: Path, warmup: Callable[[Client], None] | None, idle_timeout: float,
           log: Callable[[str], None], port: int | None) -> dict[str, Any]:
    java = inst.find_java()
    cp = inst.classpath(h)
    if cp is None:
        raise inst.not_installed_error(h)
    old = read_state(h)
    if old is not None and pid_alive(old["pid"]) and is_lt_process(old["pid"]):
        _terminate(old["pid"])  # alive but not answering: replace it
    config = h / "lt.properties"
    atomic_write(config, properties().encode(), mode=0o600)
    t0 = time.monotonic()
    clashes: list[int] = []
    for attempt in range(PORT_ATTEMPTS):
        p = port if (attempt == 0 and port) else free_port()
        log(f"starting LanguageTool on 127.0.0.1:{p} ...")
        with open(log_path(h), "ab") as logf:
            os.chmod(log_path(h), 0o600)
            logf.write(f"\n--- lintkit: starting on port {p} at {time.ctime()} ---\n".encode())
            logf.flush()
            proc = subprocess.Popen(java_command(java, cp, p, config), stdin=subprocess.DEVNULL,
                                    stdout=logf, stderr=subprocess.STDOUT, start_new_session=True,
                                    cwd=str(h))
        outcome = _wait_healthy(proc, p, h)
        if outcome == "ok":
            break
        if outcome == "port":
            clashes.append(p)
            continue
        _terminate(proc.pid)
        raise BackendError(WHERE, f"LanguageTool did not start: {outcome}",
                           f"see {log_path(h)}; `lintkit languagetool install --force` reinstalls")
    else:
        raise BackendError(WHERE, f"LanguageTool could not bind a port (tried {', '.join(map(str, clashes))})",
                           f"see {log_path(h)}")
    started = time.monotonic() - t0
    client = Client(f"http://127.0.0.1:{p}", timeout=120)
    version = None
    try:
        version = client.info().get("version")
        t1 = time.monotonic()
        if warmup is not None:
            warmup(client)
        warm = time.monotonic() - t1
    except BackendError:
        _terminate(proc.pid)
        raise
    state = {"port": p, "pid": proc.pid, "started": time.time(), "version": version or inst.installed_version(h),
             "java": java, "home": str(h), "startup_seconds": round(started, 3), "warmup_seconds": round(warm, 3),
             "idle_timeout_minutes": idle_timeout, "port_clashes": clashes}
    write_state(state, h)
    touch(h)
    if idle_timeout and idle_timeout > 0:
        _spawn_watchdog(h, proc.pid, idle_timeout)
    log(f"LanguageTool {state['version']} ready on 127.0.0.1:{p} (pid {proc.pid}, "
        f"up in {started:.1f} s, warm-up {warm:.1f} s)")
    return state


def _wait_healthy(proc: subprocess.Popen[bytes], port: int, h: Path) -> str:
    client = Client(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        rc = proc.poll()
        if rc is not None:
            tail = _log_tail(h)
            if "port" in tail.lower() and ("could not start" in tail.lower() or "in use" in tail.lower()):
                return "port"
            return f"java exited with status {rc}: {_last_error(tail)}"
        if client.healthy(timeout=1.0):
            return "ok"
        time.sleep(0.2)
    return f"no answer on /v2/healthcheck within {START_TIMEOUT:.0f} s"


def _log_tail(h: Path, size: int = 4000) -> str:
    try:
        with open(log_path(h), "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - size))
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return text.rsplit("--- lintkit: starting", 1)[-1]


def _last_error(tail: str) -> str:
    lines = [ln.strip() for ln in tail.splitlines() if ln.strip()]
    for ln in reversed(lines):
        if "Exception" in ln or "Error" in ln:
            return ln[:300]
    return lines[-1][:300] if lines else "(empty log)"


def _terminate(pid: int, grace: float = 10.0) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
        os.kill(pid, signal.SIGCONT)  # a stopped JVM must run to handle SIGTERM
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        if not pid_alive(pid):
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _spawn_watchdog(h: Path, pid: int, idle_minutes: float) -> None:
    subprocess.Popen([sys.executable, "-m", "lintkit.languagetool.watchdog", str(h), str(pid), str(idle_minutes)],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True, close_fds=True)


def stop(h: Path | None = None) -> dict[str, Any] | None:
    """Stop the managed server; returns the state it had, or None if none ran."""
    h = h or inst.home()
    with start_lock(h):
        st = read_state(h)
        if st is None:
            return None
        alive = pid_alive(st["pid"]) and is_lt_process(st["pid"])
        if alive:
            _terminate(st["pid"])
        with contextlib.suppress(FileNotFoundError):
            state_path(h).unlink()
        return st if alive else None


def status(h: Path | None = None) -> dict[str, Any]:
    h = h or inst.home()
    out: dict[str, Any] = {"home": str(h), "installed": inst.installed_version(h), "running": False}
    st = read_state(h)
    if st is None:
        return out
    alive = pid_alive(st["pid"]) and is_lt_process(st["pid"])
    healthy = alive and Client(f"http://127.0.0.1:{st['port']}").healthy(timeout=3.0)
    out.update({"running": bool(healthy), "pid": st["pid"], "port": st["port"], "version": st.get("version"),
                "uptime_seconds": round(time.time() - float(st.get("started", time.time())), 1),
                "rss_bytes": rss_bytes(st["pid"]) if alive else None,
                "idle_timeout_minutes": st.get("idle_timeout_minutes"), "log": str(log_path(h)),
                "state": "running" if healthy else ("not answering" if alive else "dead (stale server.json)")})
    return out
