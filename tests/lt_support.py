"""Shared helpers for the grammar and LanguageTool tests: a real server (installed and
started once per session), a private server for fault tests, a counting proxy and
misbehaving stub servers.

A grammar test may skip only when ``java`` is truly absent; with
``LINTKIT_REQUIRE_GRAMMAR=1`` (CI) that skip is a failure.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def require_java() -> None:
    if shutil.which("java") or os.environ.get("JAVA_HOME"):
        return
    msg = "java is not installed: the grammar tests need a real LanguageTool server"
    if os.environ.get("LINTKIT_REQUIRE_GRAMMAR") == "1":
        pytest.fail(msg + " (LINTKIT_REQUIRE_GRAMMAR=1)")
    pytest.skip(msg)


def ensure_server() -> dict[str, Any]:
    """Install (if needed) and start (or reuse) the shared managed server."""
    require_java()
    from lintkit.families.grammar import settings_from_options, warmup_for
    from lintkit.languagetool import install, server

    if install.classpath() is None:
        install.install()
    return server.ensure_running(warmup=warmup_for(settings_from_options({}, "en-US")), idle_timeout=30)


@contextlib.contextmanager
def private_home(tmp: Path) -> Iterator[Path]:
    """An install folder of its own (jars linked from the shared install), so fault
    tests can kill, stop and restart their server without disturbing anyone."""
    from lintkit.languagetool import install, server

    shared = install.home()
    home = tmp / "lt-home"
    home.mkdir()
    (home / install.LT_VERSION).symlink_to(shared / install.LT_VERSION)
    old = os.environ.get("LINTKIT_LANGUAGETOOL_HOME")
    os.environ["LINTKIT_LANGUAGETOOL_HOME"] = str(home)
    try:
        yield home
    finally:
        with contextlib.suppress(Exception):
            server.stop(home)
        if old is None:
            os.environ.pop("LINTKIT_LANGUAGETOOL_HOME", None)
        else:
            os.environ["LINTKIT_LANGUAGETOOL_HOME"] = old


# Stub and proxy HTTP servers ---------------------------------------------------------------

class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


@contextlib.contextmanager
def http_stub(handler: Callable[[http.server.BaseHTTPRequestHandler], None]) -> Iterator[str]:
    """A local HTTP server on 127.0.0.1 whose every request is answered by ``handler``."""

    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            handler(self)

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            self.body = self.rfile.read(length)
            handler(self)

        def log_message(self, *args: Any) -> None:
            pass

    srv = _Server(("127.0.0.1", 0), H)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


def reply(h: http.server.BaseHTTPRequestHandler, status: int, body: bytes, ctype: str = "application/json") -> None:
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    with contextlib.suppress(OSError):
        h.wfile.write(body)


class CountingProxy:
    """Forwards every request to ``target`` and counts the /v2/check ones."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.checks = 0
        self.lock = threading.Lock()

    def handle(self, h: http.server.BaseHTTPRequestHandler) -> None:
        if h.path.endswith("/check"):
            with self.lock:
                self.checks += 1
        data = getattr(h, "body", None)
        req = urllib.request.Request(self.target + h.path, data=data, method=h.command)
        if data is not None:
            req.add_header("Content-Type", h.headers.get("Content-Type", "application/x-www-form-urlencoded"))
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                reply(h, r.status, r.read(), r.headers.get("Content-Type", "application/json"))
        except urllib.error.HTTPError as e:
            reply(h, e.code, e.read(), "text/plain")


def wait_until(cond: Callable[[], bool], timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(step)
    return cond()


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
