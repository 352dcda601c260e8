"""Benchmark of the grammar family: ``python -m lintkit.languagetool.bench [N] [CORPUS]``.

On the first N Markdown files of CORPUS (default 40 of ../shared/corpus/markdown-rfcs):

1. start a private managed server (its own install folder linking the shared jars):
   time to /v2/healthcheck and the warm-up check;
2. ``lintkit check --select GR --no-cache -j 1`` with an empty paragraph cache (first run)
   and again (cached run): wall time, words per second, requests sent;
3. a fresh server, then the same paragraph texts posted straight to /v2/check with the
   same concurrency (``requests`` + a thread pool): lintkit's overhead is the difference;
4. peak RSS (VmHWM) of each JVM.

The machine's load average is printed with the figures: they are only comparable on an
otherwise idle machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests


def vm_hwm(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 40
    corpus = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[3] / "shared/corpus/markdown-rfcs"
    files = sorted(str(p) for p in corpus.glob("*.md"))[:n]
    from lintkit.engine import Engine, Overrides
    from lintkit.families.grammar import paragraph_text, settings_from_options, warmup_for
    from lintkit.languagetool import install, server

    eng = Engine(Overrides(isolated=True))
    texts: list[str] = []
    words = 0
    for f in files:
        doc = eng.document(eng.read(f))
        words += doc.word_count()
        texts.extend(paragraph_text(doc.prose, p.start, p.end) for p in doc.paragraphs
                     if p.end > p.start and doc.prose[p.start:p.end].strip())
    chars = sum(len(t) for t in texts)
    settings = settings_from_options({}, "en-US")
    shared = install.home()
    tmp = Path(tempfile.mkdtemp(prefix="lintkit-bench-"))
    home = tmp / "lt"
    home.mkdir()
    (home / install.LT_VERSION).symlink_to(shared / install.LT_VERSION)
    os.environ["LINTKIT_LANGUAGETOOL_HOME"] = str(home)
    env = {**os.environ, "LINTKIT_CACHE_DIR": str(tmp / "cache")}
    env.pop("LINTKIT_LANGUAGETOOL_URL", None)
    out: dict[str, object] = {"files": len(files), "words": words, "paragraphs": len(texts), "chars": chars,
                              "concurrency": settings.concurrency, "cores": os.cpu_count(),
                              "java_opts": os.environ.get("LINTKIT_LANGUAGETOOL_JAVA_OPTS", "(default)"),
                              "load_before": os.getloadavg()[0]}
    try:
        t0 = time.monotonic()
        st = server.ensure_running(warmup=warmup_for(settings), idle_timeout=0)
        out["start_total_s"] = round(time.monotonic() - t0, 2)
        out["start_health_s"] = st["startup_seconds"]
        out["start_warmup_s"] = st["warmup_seconds"]
        cmd = [sys.executable, "-m", "lintkit", "check", "--isolated", "--no-cache", "--select", "GR", "-j", "1",
               "--format", "json", "--exit-zero", *files]
        for label in ("first", "cached"):
            t0 = time.monotonic()
            r = subprocess.run(cmd, capture_output=True, text=True, env=env)
            wall = time.monotonic() - t0
            if r.returncode != 0:
                print(r.stderr, file=sys.stderr)
                return 2
            out[f"{label}_run_s"] = round(wall, 2)
            out[f"{label}_words_per_s"] = round(words / wall)
            out[f"{label}_findings"] = len(json.loads(r.stdout).get("findings", []))
        out["jvm_peak_rss_mib"] = round(vm_hwm(st["pid"]) / 2**20)
        server.stop(home)
        # same texts, straight to a fresh server, same concurrency and parameters
        st = server.ensure_running(warmup=warmup_for(settings), idle_timeout=0)
        url = f"http://127.0.0.1:{st['port']}/v2/check"
        sess = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_maxsize=settings.concurrency)
        sess.mount("http://", adapter)

        def post(text: str) -> int:
            r = sess.post(url, data={**settings.params, "text": text}, timeout=120)
            r.raise_for_status()
            return len(r.json()["matches"])

        t0 = time.monotonic()
        with ThreadPoolExecutor(settings.concurrency) as pool:
            direct_matches = sum(pool.map(post, texts))
        direct = time.monotonic() - t0
        out["direct_s"] = round(direct, 2)
        out["direct_matches"] = direct_matches
        out["direct_words_per_s"] = round(words / direct)
        out["overhead_s"] = round(float(out["first_run_s"]) - direct, 2)  # type: ignore[arg-type]
        out["overhead_pct"] = round(100 * (float(out["first_run_s"]) / direct - 1), 1)  # type: ignore[arg-type]
        out["jvm2_peak_rss_mib"] = round(vm_hwm(st["pid"]) / 2**20)
        out["load_after"] = os.getloadavg()[0]
    finally:
        server.stop(home)
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
