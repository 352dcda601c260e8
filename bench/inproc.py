"""In-process measurements, run by bench/run.py as a subprocess of lintkit's venv:

- ``scaling FILE...``: check each document with the engine (result cache off, grammar
  off) several times and print the median seconds per document and per plugin, so
  start-up does not blur the time per MB;
- ``paragraphs OUT FILE...``: the exact paragraph texts and request parameters that the
  grammar family sends to LanguageTool for these files (same code path: the document
  model, ``paragraph_text`` and ``settings_from_options``);
- ``rawlt IN``: post those paragraphs straight to the LanguageTool server with the same
  concurrency (requests + ThreadPoolExecutor) and print the wall time.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path


def scaling(files: list[str], min_seconds: float = 1.5, max_reps: int = 25) -> dict:
    from lintkit.engine import Engine, Overrides, Report

    engine = Engine(Overrides(isolated=True, cache=False, ignore=["GR"]))
    out: dict[str, dict] = {}
    for path in files:
        source = engine.read(path)
        cfg = engine.config_for(path)
        engine.check_source(source, cfg, Report())  # warm-up: imports, packs, compiled patterns
        walls: list[float] = []
        plugins: dict[str, list[float]] = {}
        t_all = time.perf_counter()
        while len(walls) < max_reps and (len(walls) < 3 or time.perf_counter() - t_all < min_seconds):
            engine.timings.clear()
            t0 = time.perf_counter()
            engine.check_source(source, cfg, Report())
            walls.append(time.perf_counter() - t0)
            for k, v in engine.timings.items():
                plugins.setdefault(k, []).append(v)
        out[path] = {"bytes": len(source.text.encode()), "chars": len(source.text), "reps": len(walls),
                     "seconds": statistics.median(walls),
                     "plugins": {k: statistics.median(v) for k, v in plugins.items()}}
    return out


def paragraphs(files: list[str], config: str | None) -> dict:
    from lintkit.engine import Engine, Overrides
    from lintkit.families import grammar

    engine = Engine(Overrides(isolated=config is None, config_file=config, cache=False))
    cfg = engine.config_for(files[0])
    settings = grammar.settings_from_options(cfg.options(grammar.SECTION), cfg.language)
    texts: list[str] = []
    for path in files:
        doc = engine.document(engine.read(path))
        for p in doc.paragraphs:
            if p.end > p.start and doc.prose[p.start:p.end].strip():
                texts.append(grammar.paragraph_text(doc.prose, p.start, p.end))
    return {"params": settings.params, "concurrency": settings.concurrency, "texts": texts}


def rawlt(spec: dict) -> dict:
    """Post every text straight to the server: the standard library's http.client, one
    keep-alive connection per thread, ``workers`` threads; no lintkit code at all. (With
    ``requests`` the raw side itself costs ~1 ms more CPU per request, on the same cores
    as the server, which would flatter lintkit; ``rawlean`` is leaner still.)"""
    import http.client
    import threading
    from urllib.parse import urlencode, urlparse

    u = urlparse(spec["url"])
    path = u.path.rstrip("/") + "/v2/check"
    params, texts, workers = spec["params"], spec["texts"], int(spec["workers"])
    local = threading.local()

    def one(text: str) -> int:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
        conn.request("POST", path, body=urlencode({**params, "text": text}).encode(),
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise RuntimeError(f"HTTP {r.status}: {body[:200]!r}")
        return len(json.loads(body)["matches"])

    return _post_all(one, texts, workers)


def _post_all(one: Callable[[str], int], texts: list[str], workers: int) -> dict:
    """Post every text with ``one`` from ``workers`` threads, timed from the first request."""
    from concurrent.futures import ThreadPoolExecutor

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        matches = sum(pool.map(one, texts))
    return {"seconds": time.perf_counter() - t0, "requests": len(texts), "matches": matches}


def rawlean(spec: dict) -> dict:
    """``rawlt`` with the transport lintkit itself uses for a local server (one write per
    request, the answer read by Content-Length, no http.client), written here again so
    that no lintkit code runs: the strictest baseline, ~80 instead of ~230 µs of client CPU
    per request."""
    import socket
    import threading
    from urllib.parse import urlencode, urlparse

    u = urlparse(spec["url"])
    head = (f"POST {u.path.rstrip('/')}/v2/check HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n")
    params, texts, workers = spec["params"], spec["texts"], int(spec["workers"])
    local = threading.local()

    def one(text: str) -> int:
        sock = getattr(local, "sock", None)
        if sock is None:
            sock = local.sock = socket.create_connection((u.hostname, u.port), timeout=300)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        body = urlencode({**params, "text": text}).encode()
        sock.sendall((head % len(body)).encode() + body)
        buf = b""
        while b"\r\n\r\n" not in buf:
            buf += sock.recv(65536)
        top, _, buf = buf.partition(b"\r\n\r\n")
        lines = top.decode("latin-1").split("\r\n")
        length = next(int(v) for k, _, v in (ln.partition(":") for ln in lines[1:]) if k.lower() == "content-length")
        while len(buf) < length:
            buf += sock.recv(65536)
        if lines[0].split()[1] != "200":
            raise RuntimeError(f"{lines[0]}: {buf[:200]!r}")
        return len(json.loads(buf)["matches"])

    return _post_all(one, texts, workers)


def main(argv: list[str]) -> int:
    cmd = argv[0]
    if cmd == "scaling":
        result = scaling(argv[1:])
    elif cmd == "paragraphs":
        out, config, files = argv[1], argv[2] or None, argv[3:]
        Path(out).write_text(json.dumps(paragraphs(files, config)))
        return 0
    elif cmd == "rawlt":
        result = rawlt(json.loads(Path(argv[1]).read_text()))
    elif cmd == "rawlean":
        result = rawlean(json.loads(Path(argv[1]).read_text()))
    else:
        raise SystemExit(f"unknown command {cmd!r}")
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
