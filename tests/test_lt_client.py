"""The LanguageTool HTTP client: a server on this machine is reached with lintkit's own
HTTP/1.1 code (a keep-alive connection per thread, no proxy), anything else with requests."""

from __future__ import annotations

import contextlib
import http.server
import json
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from lintkit.languagetool import client as ltclient
from lintkit.languagetool.client import Client

ANSWER = {"matches": [{"offset": 8, "length": 2, "message": "Use “a”.", "replacements": [{"value": "a"}],
                       "rule": {"id": "EN_A_VS_AN", "category": {"id": "MISC"}, "issueType": "grammar"}}]}


@contextlib.contextmanager
def stub(close_after_answer: bool = False) -> Iterator[dict[str, Any]]:
    """An HTTP/1.1 server on 127.0.0.1 that records connections and request bodies.
    ``close_after_answer``: drop the connection after each answer without saying so
    (what a server does to an idle keep-alive connection)."""
    seen: dict[str, Any] = {"connections": 0, "bodies": [], "paths": []}
    lock = threading.Lock()

    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            with lock:
                seen["connections"] += 1

        def _answer(self, body: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            if close_after_answer:
                self.close_connection = True

        def do_GET(self) -> None:  # noqa: N802
            seen["paths"].append(self.path)
            self._answer(b'{"software": {"version": "6.8"}}' if self.path.endswith("/info") else b"OK")

        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                seen["bodies"].append(body)
                seen["paths"].append(self.path)
            self._answer(json.dumps(ANSWER).encode())

        def log_message(self, *args: Any) -> None:
            pass

    class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True

    srv = S(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    seen["url"] = f"http://127.0.0.1:{srv.server_address[1]}"
    try:
        yield seen
    finally:
        srv.shutdown()
        srv.server_close()


def test_loopback_reuses_one_connection_per_thread() -> None:
    with stub() as seen:
        c = Client(seen["url"])
        retries = ltclient.STATS.retries
        found = [c.check("This is an test.", {"language": "en-US"}) for _ in range(5)]
        assert seen["connections"] == 1 and ltclient.STATS.retries == retries
        assert all((m[0].start, m[0].end, m[0].rule_id, m[0].replacements) == (8, 10, "EN_A_VS_AN", ["a"])
                   for m in found)
        assert seen["paths"] == ["/v2/check"] * 5


def test_a_connection_the_server_dropped_while_idle_is_replaced_quietly() -> None:
    import time

    with stub(close_after_answer=True) as seen:
        c = Client(seen["url"])
        retries = ltclient.STATS.retries
        for _ in range(3):
            assert len(c.check("This is an test.", {"language": "en-US"})) == 1
            time.sleep(0.05)  # the server's close reaches the idle socket
        assert seen["connections"] == 3 and ltclient.STATS.retries == retries


def test_form_body_carries_text_and_parameters_exactly() -> None:
    text = "Tom & Jerry + 50% = 1/2; naïve 😀 text?"
    with stub() as seen:
        Client(seen["url"]).check(text, {"language": "en-GB", "disabledRules": "A,B"})
        q = parse_qs(seen["bodies"][0].decode("ascii"), keep_blank_values=True, strict_parsing=True)
    assert q == {"language": ["en-GB"], "disabledRules": ["A,B"], "text": [text]}


def test_health_and_info_on_loopback() -> None:
    with stub() as seen:
        c = Client(seen["url"] + "/")
        assert c.healthy() and c.info() == {"version": "6.8"}
        assert seen["paths"] == ["/v2/healthcheck", "/v2/info"]
    assert not Client(seen["url"]).healthy(timeout=0.5)  # stopped: refused


@pytest.mark.skipif(not hasattr(__import__("socket"), "TCP_QUICKACK"), reason="TCP_QUICKACK is Linux only")
def test_every_request_on_a_kept_alive_connection_asks_for_an_immediate_ack(monkeypatch: pytest.MonkeyPatch) -> None:
    # A server that sends its headers and body in two segments with Nagle on waits for the
    # ACK of the headers, which Linux delays by 40 ms once a connection is kept alive.
    import socket

    calls: list[tuple[int, int, int]] = []
    real = socket.socket.setsockopt

    def record(self: socket.socket, level: int, opt: int, value: Any) -> None:
        calls.append((level, opt, value))
        real(self, level, opt, value)

    monkeypatch.setattr(socket.socket, "setsockopt", record)
    with stub() as seen:
        c = Client(seen["url"])
        for _ in range(3):
            assert len(c.check("This is an test.", {"language": "en-US"})) == 1
        assert c.healthy()
        assert seen["connections"] == 1
    assert calls.count((socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)) == 4


@contextlib.contextmanager
def scripted(*answers: bytes, close: bool = False) -> Iterator[dict[str, Any]]:
    """A server on 127.0.0.1 that answers the n-th request with ``answers[n]`` byte for
    byte (the last one again after that), on whatever connection it came, and records the
    raw requests and the number of connections. It closes the connection after an answer
    without a length (or after every answer with ``close``)."""
    import socket

    seen: dict[str, Any] = {"connections": 0, "requests": []}
    srv = socket.create_server(("127.0.0.1", 0))
    seen["url"] = f"http://127.0.0.1:{srv.getsockname()[1]}"

    def serve(conn: socket.socket) -> None:
        buf = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in buf:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buf += data
                head, _, buf = buf.partition(b"\r\n\r\n")
                length = next((int(ln.split(b":")[1]) for ln in head.split(b"\r\n")
                               if ln.lower().startswith(b"content-length:")), 0)
                while len(buf) < length:
                    buf += conn.recv(65536)
                seen["requests"].append(head + b"\r\n\r\n" + buf[:length])
                buf = buf[length:]
                answer = answers[min(len(seen["requests"]), len(answers)) - 1]
                conn.sendall(answer)
                if close or (b"Content-Length" not in answer and b"chunked" not in answer):
                    return  # the body ran to the end of the connection

    def accept() -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            seen["connections"] += 1
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield seen
    finally:
        srv.close()


_JSON = json.dumps(ANSWER).encode()


def test_answers_chunked_or_running_to_the_end_of_the_connection_are_read() -> None:
    half = len(_JSON) // 2
    chunked = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
               + f"{half:x};ext=1\r\n".encode() + _JSON[:half] + b"\r\n"
               + f"{len(_JSON) - half:X}\r\n".encode() + _JSON[half:] + b"\r\n0\r\nX-Trailer: 1\r\n\r\n")
    to_the_end = b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + _JSON
    with scripted(chunked, chunked, to_the_end, to_the_end) as seen:
        c = Client(seen["url"])
        found = [c.check("This is an test.", {"language": "en-US"}) for _ in range(4)]
        # chunked answers keep the connection; one that runs to the end closes it, so the
        # fourth request needs a new one
        assert seen["connections"] == 2 and len(seen["requests"]) == 4
    assert all([(m.start, m.end, m.rule_id) for m in f] == [(8, 10, "EN_A_VS_AN")] for f in found)
    head, _, body = seen["requests"][0].partition(b"\r\n\r\n")
    assert head.split(b"\r\n") == [
        b"POST /v2/check HTTP/1.1", f"Host: 127.0.0.1:{seen['url'].rsplit(':', 1)[1]}".encode(),
        b"Accept-Encoding: identity", b"Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {len(body)}".encode()]
    assert parse_qs(body.decode()) == {"language": ["en-US"], "text": ["This is an test."]}


def test_connection_close_and_100_continue_are_honoured() -> None:
    close = (b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nConnection: close\r\n"
             + f"Content-Length: {len(_JSON)}\r\n\r\n".encode() + _JSON)
    with scripted(close) as seen:
        c = Client(seen["url"])
        for _ in range(3):
            assert [m.rule_id for m in c.check("This is an test.", {"language": "en-US"})] == ["EN_A_VS_AN"]
        assert seen["connections"] == 3 and len(seen["requests"]) == 3


@pytest.mark.parametrize("answer", [b"garbage\r\n\r\n", b"HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\n{}",
                                    b"HTTP/1.1 200 OK\r\nbroken header\r\nContent-Length: 2\r\n\r\n{}",
                                    b"HTTP/1.1 200 OK\r\nContent-Length: \xb2\r\n\r\n{}",  # latin-1 "²"
                                    b"HTTP/1.1 \xb200 OK\r\nContent-Length: 2\r\n\r\n{}",
                                    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                                    # closed before the promised 99 bytes:
                                    b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n{\"matches\": []}"])
def test_a_garbled_or_cut_answer_is_retried_once_then_reported(answer: bytes) -> None:
    from lintkit.languagetool.client import ConnectionFailed

    with scripted(answer, close=True) as seen:
        retries = ltclient.STATS.retries
        with pytest.raises(ConnectionFailed) as err:
            Client(seen["url"], timeout=5).check("Text.", {"language": "en-US"})
        assert len(seen["requests"]) == 2 and ltclient.STATS.retries == retries + 1
    assert "cannot reach LanguageTool" in str(err.value)


def test_a_system_that_refuses_the_tcp_options_still_gets_its_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    real = socket.socket.setsockopt

    def refuse(self: socket.socket, level: int, opt: int, value: Any) -> None:
        if level == socket.IPPROTO_TCP:
            raise OSError(92, "Protocol not available")
        real(self, level, opt, value)

    monkeypatch.setattr(socket.socket, "setsockopt", refuse)
    with stub() as seen:
        c = Client(seen["url"])
        retries = ltclient.STATS.retries
        assert [len(c.check("This is an test.", {"language": "en-US"})) for _ in range(2)] == [1, 1]
        assert seen["connections"] == 1 and ltclient.STATS.retries == retries


def test_transport_by_address() -> None:
    for url in ("http://127.0.0.1:8081", "http://localhost:8081/", "http://[::1]:8081/v2"):
        c = Client(url)
        assert c._loopback is not None and c._requests is None, url
    for url in ("https://127.0.0.1:8081", "http://lt.example.org:8081", "https://api.languagetool.org"):
        c = Client(url)
        assert c._loopback is None and c._requests is not None, url
        # a remote server may need the user's proxy settings
        assert c._requests.session.trust_env


def test_a_forked_process_starts_its_own_request_threads_and_connections() -> None:
    import os

    from lintkit.families import grammar

    pool = grammar._pool(3)
    client = grammar._client("http://127.0.0.1:9", 1.0, 3)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        try:
            fresh = grammar._pool(3) is not pool and grammar._client("http://127.0.0.1:9", 1.0, 3) is not client
            ok = fresh and grammar._pool(3).submit(lambda: 41 + 1).result(timeout=10) == 42
            os.write(w, b"ok" if ok else b"inherited")
        finally:
            os._exit(0)
    os.close(w)
    os.waitpid(pid, 0)
    assert os.read(r, 100) == b"ok"
    os.close(r)
    assert grammar._pool(3) is pool and grammar._client("http://127.0.0.1:9", 1.0, 3) is client


def test_write_cache_file_replaces_atomically_owner_only(tmp_path: Path) -> None:
    from lintkit.fsutil import write_cache_file

    p = tmp_path / "ab" / "entry.json"
    p.parent.mkdir()
    write_cache_file(p, b"[1]")
    write_cache_file(p, b"[1, 2]" * 300_000)  # > 1 MB: written in full
    assert p.read_bytes() == b"[1, 2]" * 300_000 and p.stat().st_mode & 0o777 == 0o600
    assert [q.name for q in p.parent.iterdir()] == ["entry.json"]  # no temp file left
    with pytest.raises(OSError):
        write_cache_file(tmp_path / "missing" / "entry.json", b"x")
    assert not (tmp_path / "missing").exists()


def _answer(*spans: tuple[int, int]) -> dict[str, object]:
    return {"matches": [{"offset": o, "length": n, "message": "m", "rule": {"id": "R", "category": {"id": "C"}}}
                        for o, n in spans]}


def test_utf16_offsets_become_python_indices() -> None:
    from lintkit.languagetool.client import parse_matches

    bmp = "Caf\u00e9 an idea"  # no character outside the BMP: offsets are indices
    assert [(m.start, m.end) for m in parse_matches(bmp, _answer((5, 2), (0, 12)))] == [(5, 7), (0, 12)]
    astral = "\U0001f600 an \U0001d49e idea"  # two characters that take two UTF-16 units each
    # "an" at UTF-16 3..5 is 2..4; "idea" at UTF-16 9..13 is 7..11; a mid-pair end rounds up
    assert [(m.start, m.end) for m in parse_matches(astral, _answer((3, 2), (9, 4), (0, 1)))] == [
        (2, 4), (7, 11), (0, 1)]
    assert astral[2:4] == "an" and astral[7:11] == "idea"
    for text, size16 in ((bmp, 12), (astral, 13)):
        parse_matches(text, _answer((size16, 0)))  # an empty match at the very end is inside
        with pytest.raises(ValueError, match="outside the text"):
            parse_matches(text, _answer((size16 - 1, 2)))


def test_lone_surrogates_are_replaced_in_place() -> None:
    from lintkit.languagetool.client import clean

    text = "a\ud800b \U0001f600 c\udfff"
    assert clean(text) == "a\ufffdb \U0001f600 c\ufffd" and len(clean(text)) == len(text)
    plain = "caf\u00e9 \U0001f600"
    assert clean(plain) is plain  # nothing to replace: the text itself
