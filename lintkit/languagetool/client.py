"""A small HTTP client for LanguageTool's ``/v2/check``: bounded time, one retry on a
dropped connection, one-line errors, UTF-16 offsets converted to Python indices.

language-tool-python is not used on this path: it cannot send ``data``, does not check
HTTP status codes and corrects only ``offset`` (not ``length``) for non-BMP characters.
"""

from __future__ import annotations

import json
import threading
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


def clean(text: str) -> str:
    """Replace lone surrogates (not encodable as UTF-8) by U+FFFD, same length."""
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return text
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


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


class Client:
    """Talks to one server. Thread-safe (one ``requests.Session`` with a pool sized for
    the concurrency)."""

    def __init__(self, url: str, timeout: float = 60.0, connect_timeout: float = 5.0, pool: int = 8) -> None:
        self.url = url.rstrip("/")
        if not self.url.endswith("/v2"):
            self.url += "/v2"
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        import requests  # here, not at module load: a check without grammar never needs it
        import requests.adapters

        self.session = requests.Session()
        # never route text for the local server through a proxy from the environment;
        # a remote server may need the user's proxy settings
        from urllib.parse import urlparse

        self.session.trust_env = urlparse(self.url).hostname not in ("127.0.0.1", "localhost", "::1")
        adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=max(pool, 1), max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    # ------------------------------------------------------------------------------
    def healthy(self, timeout: float = 2.0) -> bool:
        import requests

        try:
            r = self.session.get(f"{self.url}/healthcheck", timeout=(timeout, timeout))
        except requests.RequestException:
            return False
        return r.status_code == 200

    def info(self, timeout: float = 5.0) -> dict[str, Any]:
        import requests

        try:
            r = self.session.get(f"{self.url}/info", timeout=(self.connect_timeout, timeout))
            r.raise_for_status()
            return dict(r.json().get("software", {}))
        except (requests.RequestException, ValueError, AttributeError) as exc:
            raise BackendError(self.url, f"LanguageTool /v2/info failed: {_short(exc)}") from None

    def check(self, text: str, params: dict[str, str]) -> list[Match]:
        """Check ``text``; matches in Python indices of ``text``. One retry when the
        connection drops before an answer; HTTP errors and bad JSON are not retried
        (except 503, the server's "busy" answer)."""
        import requests

        text = clean(text)
        body = dict(params)
        body["text"] = text
        last: Exception | None = None
        for attempt in range(2):
            try:
                r = self.session.post(f"{self.url}/check", data=body,
                                      timeout=(self.connect_timeout, self.timeout))
            except requests.Timeout:
                raise BackendError(self.url, f"LanguageTool did not answer within {self.timeout:g} s",
                                   "the server may be stuck or overloaded: `lintkit languagetool stop` "
                                   "and retry, or raise [grammar] timeout") from None
            except requests.ConnectionError as exc:
                last = exc
                if attempt == 0:
                    with STATS.lock:
                        STATS.retries += 1
                    continue
                raise ConnectionFailed(self.url, f"cannot reach LanguageTool: {_short(exc)}",
                                       "start it with `lintkit languagetool start` or check [grammar] server") \
                    from None
            STATS.add(len(text))
            if r.status_code == 503 and attempt == 0:
                last = BackendError(self.url, "busy")
                continue
            if r.status_code != 200:
                body_text = " ".join(r.text.split())[:200]
                raise BackendError(self.url, f"LanguageTool answered HTTP {r.status_code}: {body_text or r.reason}",
                                   "see the server log (`lintkit languagetool status`)")
            try:
                data = r.json()
                return parse_matches(text, data)
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise BackendError(self.url, f"malformed answer from LanguageTool ({type(exc).__name__}: "
                                   f"{_short(exc)})", "is [grammar] server a LanguageTool /v2 endpoint?") from None
        raise BackendError(self.url, f"LanguageTool failed twice: {_short(last)}")  # pragma: no cover


def parse_matches(text: str, data: Any) -> list[Match]:
    if not isinstance(data, dict) or not isinstance(data.get("matches"), list):
        raise ValueError("no 'matches' list in the answer")
    m16 = None
    out: list[Match] = []
    for m in data["matches"]:
        off, length = int(m["offset"]), int(m["length"])
        if m16 is None:
            m16 = utf16_to_index(text)
        if off < 0 or length < 0 or off + length > len(m16) - 1:
            raise ValueError(f"match offset {off}+{length} outside the text")
        rule = m["rule"]
        cat = rule.get("category", {}) or {}
        reps = [r["value"] for r in m.get("replacements", [])[:8] if isinstance(r, dict) and "value" in r]
        out.append(Match(m16[off], m16[off + length], str(rule["id"]), str(rule.get("subId", "")),
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
