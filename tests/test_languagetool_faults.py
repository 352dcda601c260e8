"""LanguageTool faults (issue 9, item 4): each ends within bounded time with a clear
one-line message and exit 2, or with a retry that then succeeds. Real server processes
(a private one per test module, so the shared server is never disturbed) and local HTTP
stubs for the malformed cases."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from lt_support import ROOT, ensure_server, http_stub, private_home, reply, wait_until

from lintkit.api import check_text
from lintkit.errors import LintkitError
from lintkit.families.grammar import settings_from_options, warmup_for
from lintkit.languagetool import install, server

pytestmark = pytest.mark.grammar

LINTKIT = [sys.executable, "-m", "lintkit"]
TEXT = "This is an test.\n\nA second paragraph with an speling error.\n"
EXPECTED = [(1, 9, "GR201"), (3, 25, "GR201"), (3, 28, "GR101")]


@pytest.fixture(scope="module", autouse=True)
def shared() -> dict[str, Any]:
    return ensure_server()  # installs the jars the private homes link to


def grammar_findings(**opts: Any) -> list[tuple[int, int, str]]:
    cfg = {"cache": False, "grammar": {"cache": False, **opts}}
    return [(f.line, f.column, f.code) for f in check_text(TEXT, path="f.md", select=["GR"], config=cfg,
                                                            isolated=True)]


def run_check(env: dict[str, str], *extra: str, path: str | None = None, timeout: float = 120) -> tuple[
        subprocess.CompletedProcess[str], float]:
    t0 = time.monotonic()
    out = subprocess.run([*LINTKIT, "check", "--isolated", "--no-cache", *extra, path or str(_draft())],
                         capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT)
    return out, time.monotonic() - t0


def _draft() -> Path:
    p = Path(os.environ.get("PYTEST_LINTKIT_TMP", "/tmp")) / f"lt-fault-draft-{os.getpid()}.md"
    p.write_text(TEXT)
    return p


# Stub servers: HTTP 500, malformed JSON, slow, refused -------------------------------------------

def _env(**kw: str) -> dict[str, str]:
    env = {**os.environ, "LINTKIT_CACHE_DIR": str(Path(os.environ["LINTKIT_CACHE_DIR"]) / "faults")}
    env.update(kw)
    return env


def test_http_500_is_a_one_line_error_with_exit_2_and_other_findings_still_print() -> None:
    def h(req: Any) -> None:
        reply(req, 500, b"Error: Internal Server Error: java.lang.RuntimeException: boom", "text/plain")

    with http_stub(h) as url:
        out, _ = run_check(_env(LINTKIT_LANGUAGETOOL_URL=url), "--select", "GR,CN")
    assert out.returncode == 2
    err = [ln for ln in out.stderr.splitlines() if "HTTP 500" in ln]
    assert len(err) == 1 and "boom" in err[0] and "lt-fault-draft" in err[0]


def test_malformed_json_is_reported() -> None:
    def h(req: Any) -> None:
        reply(req, 200, b'{"matches": [{"offset": 1', "application/json")

    with http_stub(h) as url:
        out, _ = run_check(_env(LINTKIT_LANGUAGETOOL_URL=url), "--select", "GR")
    assert out.returncode == 2 and "malformed answer from LanguageTool" in out.stderr


def test_json_that_is_not_a_languagetool_answer_is_reported() -> None:
    def h(req: Any) -> None:
        reply(req, 200, json.dumps({"matches": [{"offset": 999, "length": 3, "rule": {"id": "X"}}]}).encode())

    with http_stub(h) as url:
        with pytest.raises(LintkitError, match="malformed answer.*outside the text"):
            grammar_findings(server=url)


def test_slow_server_times_out_in_bounded_time() -> None:
    def h(req: Any) -> None:
        time.sleep(5)
        reply(req, 200, b'{"matches": []}')

    with http_stub(h) as url:
        t0 = time.monotonic()
        with pytest.raises(LintkitError, match="did not answer within 1 s"):
            grammar_findings(server=url, timeout=1)
        assert time.monotonic() - t0 < 4


def test_refused_connection_is_retried_once_then_reported() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens
    out, took = run_check(_env(LINTKIT_LANGUAGETOOL_URL=f"http://127.0.0.1:{port}"), "--select", "GR")
    assert out.returncode == 2 and "cannot reach LanguageTool" in out.stderr and took < 60


def test_busy_503_is_retried_once_and_succeeds(shared: dict[str, Any]) -> None:
    import urllib.request

    calls = {"n": 0}

    def h(req: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            reply(req, 503, b"Error: Server overloaded, please try again later", "text/plain")
            return
        fwd = urllib.request.Request(f"http://127.0.0.1:{shared['port']}{req.path}", data=req.body)
        with urllib.request.urlopen(fwd, timeout=60) as r:
            reply(req, 200, r.read())

    with http_stub(h) as url:
        assert grammar_findings(server=url, concurrency=1) == EXPECTED
    assert calls["n"] == 3


# Install and Java problems --------------------------------------------------------------------------

def test_not_installed(tmp_path: Path) -> None:
    env = _env(LINTKIT_LANGUAGETOOL_HOME=str(tmp_path / "empty"))
    env.pop("LINTKIT_LANGUAGETOOL_URL", None)
    out, _ = run_check(env, "--select", "GR")
    assert out.returncode == 2
    assert "LanguageTool is not installed in" in out.stderr and "lintkit languagetool install" in out.stderr


def test_java_missing(tmp_path: Path) -> None:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    env = _env(LINTKIT_LANGUAGETOOL_HOME=str(tmp_path / "home"), PATH=str(bindir))
    env.pop("JAVA_HOME", None)
    out = subprocess.run([*LINTKIT, "languagetool", "install"], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "lintkit: error: languagetool: java not found (LanguageTool 6.8 needs Java 17+) (install a JDK/JRE 17 or "
        "newer, e.g. `apt-get install openjdk-17-jre-headless`, and put java on PATH or set JAVA_HOME)"]


def test_java_too_old(tmp_path: Path) -> None:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    fake = bindir / "java"
    fake.write_text('#!/bin/sh\necho \'openjdk version "11.0.2" 2019-01-15\' >&2\n')
    fake.chmod(0o755)
    env = _env(LINTKIT_LANGUAGETOOL_HOME=str(tmp_path / "home"), PATH=f"{bindir}:/usr/bin:/bin")
    env.pop("JAVA_HOME", None)
    out = subprocess.run([*LINTKIT, "languagetool", "start"], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 2 and "needs Java 17+" in out.stderr and "is 11" in out.stderr


def test_maven_missing_mentions_the_language_tool_python_fallback(tmp_path: Path) -> None:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "java").symlink_to(install.find_java())
    env = _env(LINTKIT_LANGUAGETOOL_HOME=str(tmp_path / "home"), PATH=str(bindir))
    env.pop("LINTKIT_MVN", None)
    out = subprocess.run([*LINTKIT, "languagetool", "install"], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 2
    assert "mvn (Apache Maven) not found" in out.stderr
    assert "lintkit languagetool install --via language-tool-python" in out.stderr


def stop_process(pid: int) -> None:
    """SIGSTOP and wait until the kernel reports the process stopped (delivery is async)."""
    os.kill(pid, signal.SIGSTOP)

    def stopped() -> bool:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] in ("T", "t")

    assert wait_until(stopped, 10, step=0.05)
    time.sleep(0.2)


# A private real server: port clash, SIGSTOP, crash mid-run, idle stop -------------------------------

@pytest.fixture(scope="module")
def private(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("lt-private")
    with private_home(tmp) as home:
        # take a port first: the server must notice the clash and move to another one
        blocker = socket.socket()
        blocker.bind(("127.0.0.1", 0))
        blocker.listen(1)
        taken = blocker.getsockname()[1]
        try:
            st = server.ensure_running(warmup=warmup_for(settings_from_options({}, "en-US")), idle_timeout=0,
                                       port=taken)
        finally:
            blocker.close()
        yield {**st, "home": home, "taken": taken}


def test_port_taken_before_start_moves_to_another_port(private: dict[str, Any]) -> None:
    assert private["port_clashes"] == [private["taken"]] and private["port"] != private["taken"]
    assert "Could not start LanguageTool HTTP server on localhost, port" in (private["home"] / "server.log").read_text()
    assert grammar_findings() == EXPECTED


def test_sigstopped_server_times_out_in_bounded_time(private: dict[str, Any]) -> None:
    """A stuck server mid-run: the request times out with a clear error (here through
    the server URL, so nothing restarts it)."""
    st = server.read_state(private["home"])
    assert st is not None
    url = f"http://127.0.0.1:{st['port']}"
    stop_process(st["pid"])
    try:
        t0 = time.monotonic()
        with pytest.raises(LintkitError, match="did not answer within 2 s"):
            grammar_findings(server=url, timeout=2, concurrency=1)
        assert time.monotonic() - t0 < 15
    finally:
        os.kill(st["pid"], signal.SIGCONT)
    assert grammar_findings(server=url) == EXPECTED  # back to normal


def test_stuck_managed_server_is_replaced(private: dict[str, Any]) -> None:
    """The managed server stops answering its health check: the next run replaces it."""
    st = server.read_state(private["home"])
    assert st is not None
    stop_process(st["pid"])
    try:
        t0 = time.monotonic()
        assert grammar_findings() == EXPECTED
        took = time.monotonic() - t0
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(st["pid"], signal.SIGCONT)
    assert wait_until(lambda: not server.pid_alive(st["pid"]), 15)
    new = server.read_state(private["home"])
    assert new is not None and new["pid"] != st["pid"] and took < server.START_TIMEOUT + 60


def test_server_killed_mid_run_is_restarted_and_the_check_completes(private: dict[str, Any]) -> None:
    import threading

    st = server.read_state(private["home"])
    assert st is not None
    old_pid = st["pid"]
    text = "\n\n".join(f"Paragraph {i} is an test of an speling error." for i in range(40)) + "\n"
    killer = threading.Timer(0.3, lambda: os.kill(old_pid, signal.SIGKILL))
    killer.start()
    try:
        found = check_text(text, path="k.md", select=["GR"], config={"cache": False, "grammar": {"cache": False,
                           "concurrency": 1}}, isolated=True)
    finally:
        killer.cancel()
    assert not server.pid_alive(old_pid)
    new = server.read_state(private["home"])
    assert new is not None and new["pid"] != old_pid
    assert len(found) == 40 * 3 and {f.code for f in found} == {"GR201", "GR101"}


def test_killed_server_without_auto_start_is_a_clear_error(private: dict[str, Any]) -> None:
    st = server.read_state(private["home"])
    assert st is not None
    os.kill(st["pid"], signal.SIGKILL)
    assert wait_until(lambda: not server.pid_alive(st["pid"]), 10)
    with pytest.raises(LintkitError, match="no LanguageTool server is running and .grammar. auto-start is off"):
        grammar_findings(**{"auto-start": False})
    assert grammar_findings() == EXPECTED  # auto-start (the default) brings it back


def test_idle_timeout_stops_the_server(tmp_path: Path) -> None:
    with private_home(tmp_path) as home:
        st = server.ensure_running(warmup=None, idle_timeout=0.05)  # 3 s
        assert server.pid_alive(st["pid"])
        assert wait_until(lambda: not server.pid_alive(st["pid"]) and server.read_state(home) is None, 60)
        assert server.status(home)["running"] is False


def test_stop_command(tmp_path: Path) -> None:
    with private_home(tmp_path) as home:
        env = {**os.environ, "LINTKIT_LANGUAGETOOL_HOME": str(home)}
        start = subprocess.run([*LINTKIT, "languagetool", "start", "--idle-timeout", "0"], capture_output=True,
                               text=True, env=env, timeout=180)
        assert start.returncode == 0, start.stderr
        st = server.read_state(home)
        assert st is not None and start.stdout.strip() == str(st["port"])
        stop = subprocess.run([*LINTKIT, "languagetool", "stop"], capture_output=True, text=True, env=env,
                              timeout=60)
        assert stop.returncode == 0 and f"stopped LanguageTool (pid {st['pid']}" in stop.stderr
        assert not server.pid_alive(st["pid"]) and server.read_state(home) is None
        status = subprocess.run([*LINTKIT, "languagetool", "status"], capture_output=True, text=True, env=env,
                                timeout=60)
        assert status.returncode == 1 and "server: not running" in status.stdout


def test_interrupt_drops_queued_requests_and_exits_promptly(tmp_path: Path) -> None:
    """Ctrl-C mid-run: the requests already sent are waited for (a few), the queued ones
    (this file's and the next file's, sent one ahead) are dropped."""
    seen = {"n": 0}

    def h(req: Any) -> None:
        seen["n"] += 1
        time.sleep(0.5)
        reply(req, 200, b'{"matches": []}')

    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("\n\n".join(f"Paragraph {i} of {name}." for i in range(40)) + "\n")
    with http_stub(h) as url:
        # A process started with SIGINT ignored (as a shell starts background jobs, and so
        # everything under a backgrounded test run) keeps ignoring it, rightly: the child
        # gets the default disposition, as from a terminal.
        proc = subprocess.Popen([*LINTKIT, "check", "--isolated", "--no-cache", "--select", "GR", str(tmp_path)],
                                env=_env(LINTKIT_LANGUAGETOOL_URL=url), cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        assert wait_until(lambda: seen["n"] >= 4, 30, step=0.05)
        sent = seen["n"]
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "lintkit: interrupted" in err
    # 2 requests in flight (the remote default), and at most one more each from a thread
    # that finished its request before the queue was dropped; not the other ~75
    assert seen["n"] <= sent + 4, (sent, seen["n"])
