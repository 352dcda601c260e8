"""A small HTTP client for LanguageTool's ``/v2/check``: bounded time, one retry on a
dropped connection, one-line errors, UTF-16 offsets converted to Python indices.

language-tool-python is not used on this path: it cannot send ``data``, does not check
HTTP status codes and corrects only ``offset`` (not ``length``) for non-BMP characters.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from lintkit.errors import BackendError


@dataclass
class Stats:
    """Counters for this process (tests and benchmarks read them)."""

    checks: int = 0  # /v2/check requests sent
    chars: int = 0
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, chars: int) -> None:
        with self.lock:
            self.checks += 1
            self.chars += chars


STATS = Stats()


class ConnectionFailed(BackendError):
    """The server did not answer at all (refused, reset, dropped): a restart may help."""


def utf16_to_index(text: str) -> list[int]:
    """``m[k]`` = Python index for UTF-16 offset ``k`` (0..len16). A mid-pair offset maps
    to the index after the pair."""
    m: list[int] = []
    for i, ch in enumerate(text):
        m.append(i)
        if ord(ch) > 0xFFFF:
            m.append(i + 1)
    m.append(len(text))
    return m


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: str) -> str:
    """Replace lone surrogates (not encodable as UTF-8) by U+FFFD, same length. (A scan
    in C: a Python loop over every character cost ~11 ms of request-thread CPU on the
    essays.)"""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


@dataclass
class Match:
    """One LanguageTool match in Python indices of the text that was sent."""

    start: int
    end: int
    rule_id: str
    sub_id: str
    category: str
    issue_type: str
    message: str
    replacements: list[str]
    type_name: str = ""

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Match:
        return cls(**d)


class _Timeout(Exception):
    """No answer within the read (or connect) timeout."""


class _Dropped(Exception):
    """Refused, reset or closed before an answer."""


LOOPBACK = ("127.0.0.1", "localhost", "::1")


class _BadAnswer(Exception):
    """Not an HTTP/1.x answer we can read (garbled status line, headers or chunks)."""


_MAX_HEAD = 64 * 1024  # bytes of status line and headers


class _Connection:
    """One kept-alive socket and the bytes read past the last answer."""

    __slots__ = ("sock", "buf")

    def __init__(self, sock: Any) -> None:
        self.sock = sock
        self.buf = b""

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def _more(self) -> None:
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionResetError("the server closed the connection before its answer was complete")
        self.buf += data

    def _exactly(self, n: int) -> bytes:
        while len(self.buf) < n:
            self._more()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def _upto(self, sep: bytes, what: str) -> bytes:
        """The bytes before ``sep`` (consumed with it); at most ``_MAX_HEAD`` of them."""
        while (i := self.buf.find(sep)) < 0:
            if len(self.buf) > _MAX_HEAD:
                raise _BadAnswer(f"{what} too long")
            self._more()
        data, self.buf = self.buf[:i], self.buf[i + len(sep):]
        return data

    def _line(self) -> bytes:
        return self._upto(b"\r\n", "line")

    def answer(self, method: str) -> tuple[int, str, bytes, bool]:
        """Read one answer: (status, reason, body, the server closes the connection)."""
        while True:
            lines = self._upto(b"\r\n\r\n", "headers").decode("latin-1").split("\r\n")
            version, _, rest = lines[0].partition(" ")
            code, _, reason = rest.partition(" ")
            if not version.startswith("HTTP/1.") or not (code.isascii() and code.isdigit() and len(code) == 3):
                raise _BadAnswer(f"bad status line {lines[0][:60]!r}")
            status = int(code)
            if status >= 200:
                break  # 1xx (100 Continue): an interim answer, the real one follows
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep:
                raise _BadAnswer(f"bad header line {line[:60]!r}")
            headers[name.strip().lower()] = value.strip()
        connection = headers.get("connection", "").lower()
        closes = "close" in connection or (version == "HTTP/1.0" and "keep-alive" not in connection)
        if method == "HEAD" or status in (204, 304):
            return status, reason, b"", closes
        if "chunked" in headers.get("transfer-encoding", "").lower():
            parts = []
            while True:
                size_field = self._line().split(b";", 1)[0].strip()
                try:
                    size = int(size_field, 16)
                except ValueError:
                    raise _BadAnswer(f"bad chunk size {size_field[:20]!r}") from None
                if size == 0:
                    while self._line():  # trailers, up to the empty line
                        pass
                    return status, reason, b"".join(parts), closes
                parts.append(self._exactly(size))
                if self._exactly(2) != b"\r\n":
                    raise _BadAnswer("chunk not followed by CRLF")
        length = headers.get("content-length")
        if length is not None:
            if not (length.isascii() and length.isdigit()):  # "²" is a digit to isdigit()
                raise _BadAnswer(f"bad Content-Length {length[:20]!r}")
            return status, reason, self._exactly(int(length)), closes
        while True:  # the body runs to the end of the connection
            data = self.sock.recv(65536)
            if not data:
                body, self.buf = self.buf, b""
                return status, reason, body, True
            self.buf += data


def _tcp_option(sock: Any, option: int | None) -> None:
    """Turn a TCP option on where the system has it; only speed depends on it."""
    if option is not None:
        import socket

        try:
            sock.setsockopt(socket.IPPROTO_TCP, option, 1)
        except OSError:
            pass


class _Loopback:
    """HTTP/1.1 to a server on this machine: one kept-alive connection per thread, no
    proxy (text for the local server never goes through one), the request in one write.
    The managed server runs on the same cores as lintkit, so the client's CPU counts: this
    costs ~80 µs of CPU per request, ``http.client`` ~230 µs (its header parsing goes
    through the email package) and ``requests`` about ten times that; on the first 60 RFCs
    (2,614 requests) the raw client spent 0.5 s of CPU instead of 0.8 s and finished ~5 %
    sooner. Answers with a Content-Length, chunked, or running to the connection's end are
    read; anything else is a dropped connection (retried once)."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.local = threading.local()
        # the Host header: an IPv6 literal goes in brackets
        self.authority = (f"[{host}]" if ":" in host else host) + f":{port}"

    def request(self, method: str, path: str, body: bytes | None, headers: dict[str, str], connect_timeout: float,
                read_timeout: float) -> tuple[int, str, bytes]:
        import select
        import socket

        conn: _Connection | None = getattr(self.local, "conn", None)
        if conn is not None and select.select([conn.sock], [], [], 0)[0]:
            conn.close()  # closed by the server while idle (or sent something unasked): a new one
            conn = None
        try:
            if conn is None:
                conn = _Connection(socket.create_connection((self.host, self.port), timeout=connect_timeout))
                _tcp_option(conn.sock, getattr(socket, "TCP_NODELAY", None))
                self.local.conn = conn
            conn.sock.settimeout(read_timeout)
            head = [f"{method} {path} HTTP/1.1", f"Host: {self.authority}", "Accept-Encoding: identity"]
            head += [f"{k}: {v}" for k, v in headers.items()]
            if body is not None:
                head.append(f"Content-Length: {len(body)}")
            conn.sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + (body or b""))
            # A server that writes its headers and body in two segments with Nagle on (the
            # JDK's HTTP server unless told otherwise, as a user's own may be) holds the
            # body until the headers are acknowledged, and Linux delays that ACK by 40 ms
            # on a kept-alive connection: acknowledge at once instead (Linux only).
            _tcp_option(conn.sock, getattr(socket, "TCP_QUICKACK", None))
            status, reason, data, closes = conn.answer(method)
            if closes or conn.buf:
                conn.close()
                self.local.conn = None
            return status, reason, data
        except BaseException as exc:
            if conn is not None:
                conn.close()
            self.local.conn = None
            if isinstance(exc, TimeoutError):
                raise _Timeout(str(exc) or "timed out") from None
            if isinstance(exc, (OSError, _BadAnswer)):
                raise _Dropped(f"{type(exc).__name__}: {exc}") from None
            raise


class _Requests:
    """Any other server (remote, https, behind the user's proxy): ``requests``."""

    def __init__(self, pool: int) -> None:
        import requests  # here, not at module load: a check without grammar never needs it
        import requests.adapters

        self.session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=max(pool, 1), max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def request(self, method: str, url: str, body: bytes | None, headers: dict[str, str], connect_timeout: float,
                read_timeout: float) -> tuple[int, str, bytes]:
        import requests

        try:
            r = self.session.request(method, url, data=body, headers=headers, timeout=(connect_timeout, read_timeout))
        except requests.Timeout as exc:
            raise _Timeout(_short(exc)) from None
        except requests.RequestException as exc:
            raise _Dropped(_short(exc)) from None
        return r.status_code, r.reason or "", r.content


class Client:
    """Talks to one server. Thread-safe: a server on this machine through ``_Loopback`` (a
    keep-alive connection per thread), any other through one ``requests.Session`` with
    a pool sized for the concurrency."""

    def __init__(self, url: str, timeout: float = 60.0, connect_timeout: float = 5.0, pool: int = 8) -> None:
        from urllib.parse import urlparse

        self.url = url.rstrip("/")
        if not self.url.endswith("/v2"):
            self.url += "/v2"
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        u = urlparse(self.url)
        self.path = u.path
        self._loopback: _Loopback | None = None
        self._requests: _Requests | None = None
        self.last_answer = float("-inf")  # time.monotonic() of the last 200 answer to a check
        if u.scheme == "http" and u.hostname in LOOPBACK:
            self._loopback = _Loopback(u.hostname, u.port or 80)
        else:
            self._requests = _Requests(pool)

    def _call(self, method: str, endpoint: str, body: bytes | None, connect_timeout: float,
              read_timeout: float) -> tuple[int, str, bytes]:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
        if self._loopback is not None:
            return self._loopback.request(method, f"{self.path}/{endpoint}", body, headers, connect_timeout,
                                          read_timeout)
        assert self._requests is not None
        return self._requests.request(method, f"{self.url}/{endpoint}", body, headers, connect_timeout, read_timeout)

    # ------------------------------------------------------------------------------
    def healthy(self, timeout: float = 2.0) -> bool:
        try:
            status, _, _ = self._call("GET", "healthcheck", None, timeout, timeout)
        except (_Timeout, _Dropped):
            return False
        return status == 200

    def info(self, timeout: float = 5.0) -> dict[str, Any]:
        try:
            status, reason, raw = self._call("GET", "info", None, self.connect_timeout, timeout)
            if status != 200:
                raise ValueError(f"HTTP {status} {reason}")
            return dict(json.loads(raw).get("software", {}))
        except (_Timeout, _Dropped, ValueError, AttributeError) as exc:
            raise BackendError(self.url, f"LanguageTool /v2/info failed: {_short(exc)}") from None

    def check(self, text: str, params: dict[str, str]) -> list[Match]:
        """Check ``text``; matches in Python indices of ``text``. One retry when the
        connection drops before an answer; HTTP errors and bad JSON are not retried
        (except 503, the server's "busy" answer)."""
        from urllib.parse import urlencode

        text = clean(text)
        body = dict(params)
        body["text"] = text
        payload = urlencode(body).encode("ascii")
        last: Exception | None = None
        for attempt in range(2):
            try:
                status, reason, raw = self._call("POST", "check", payload, self.connect_timeout, self.timeout)
            except _Timeout:
                raise BackendError(self.url, f"LanguageTool did not answer within {self.timeout:g} s",
                                   "the server may be stuck or overloaded: `lintkit languagetool stop` "
                                   "and retry, or raise [grammar] timeout") from None
            except _Dropped as exc:
                last = exc
                if attempt == 0:
                    with STATS.lock:
                        STATS.retries += 1
                    continue
                raise ConnectionFailed(self.url, f"cannot reach LanguageTool: {_short(exc)}",
                                       "start it with `lintkit languagetool start` or check [grammar] server") \
                    from None
            STATS.add(len(text))
            if status == 503 and attempt == 0:
                last = BackendError(self.url, "busy")
                continue
            if status != 200:
                body_text = " ".join(raw.decode("utf-8", "replace").split())[:200]
                raise BackendError(self.url, f"LanguageTool answered HTTP {status}: {body_text or reason}",
                                   "see the server log (`lintkit languagetool status`)")
            self.last_answer = time.monotonic()
            try:
                data = json.loads(raw)
                return parse_matches(text, data)
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise BackendError(self.url, f"malformed answer from LanguageTool ({type(exc).__name__}: "
                                   f"{_short(exc)})", "is [grammar] server a LanguageTool /v2 endpoint?") from None
        raise BackendError(self.url, f"LanguageTool failed twice: {_short(last)}")  # pragma: no cover


def parse_matches(text: str, data: Any) -> list[Match]:
    if not isinstance(data, dict) or not isinstance(data.get("matches"), list):
        raise ValueError("no 'matches' list in the answer")
    m16: list[int] | None = None
    # Without characters outside the BMP, UTF-16 offsets are Python indices (the usual case:
    # no per-character table to build).
    bmp = not text or text.isascii() or max(text) <= "\uffff"
    size16 = len(text)
    out: list[Match] = []
    for m in data["matches"]:
        off, length = int(m["offset"]), int(m["length"])
        if not bmp and m16 is None:
            m16 = utf16_to_index(text)
            size16 = len(m16) - 1
        if off < 0 or length < 0 or off + length > size16:
            raise ValueError(f"match offset {off}+{length} outside the text")
        start, end = (off, off + length) if m16 is None else (m16[off], m16[off + length])
        rule = m["rule"]
        cat = rule.get("category", {}) or {}
        reps = [r["value"] for r in m.get("replacements", [])[:8] if isinstance(r, dict) and "value" in r]
        out.append(Match(start, end, str(rule["id"]), str(rule.get("subId", "")),
                         str(cat.get("id", "")), str(rule.get("issueType", "")), str(m.get("message", "")),
                         reps, str((m.get("type") or {}).get("typeName", ""))))
    return out


def _short(exc: object) -> str:
    s = str(exc)
    if len(s) > 200:
        s = s[:200] + "..."
    return s.replace("\n", " ")


def dumps(matches: list[Match]) -> bytes:
    return json.dumps([m.to_json() for m in matches], separators=(",", ":")).encode()
