"""Privacy: the whole check pipeline, run with every outbound connection except to the
loopback network turned into a hard exit, sends no text off the machine; ``--verbose``
logs never carry document text.

The guard is a ``sitecustomize.py`` put first on PYTHONPATH of the child process: it
wraps ``socket.socket.connect``/``connect_ex``/``sendto``/``sendmsg`` and records every
address; a non-loopback one ends the process at once with exit code 97 before anything
is sent. Grammar (LanguageTool) is included when ``lintkit languagetool status`` shows a
local server running; otherwise the run ignores GR and says so in the test id.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

GUARD = r'''
import ipaddress, os, socket

_LOG = os.environ["LINTKIT_PRIVACY_LOG"]


def _record(kind, address):
    with open(_LOG, "a", encoding="utf-8") as fh:
        fh.write(f"{kind} {address!r}\n")


def _loopback(sock, address):
    family = getattr(sock, "family", None)
    if family == socket.AF_UNIX:
        return True
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, bytes):
        host = host.decode()
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        ip = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False  # a host name other than localhost: would need DNS, and leave
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def _guard(name):
    original = getattr(socket.socket, name)

    def wrapped(self, *args):
        address = args[-1] if name in ("sendto",) else (args[0] if args else None)
        if name == "sendmsg":
            address = args[3] if len(args) > 3 else None
            if address is None:
                return original(self, *args)
        if not _loopback(self, address):
            _record("BLOCKED " + name, address)
            os._exit(97)
        _record("allowed " + name, address)
        return original(self, *args)

    setattr(socket.socket, name, wrapped)


for _name in ("connect", "connect_ex", "sendto", "sendmsg"):
    _guard(_name)
'''

DOC = """# Field notes on quixotic zebrafinches

Marguerite catalogued the zebrafinches of Ottoline Lake in nineteen ninety-one. This are a example of
grammar that a checker flags. Everyone always agrees that the the lake is the best in the world.

Studies show that 87% of zebrafinches prefer quixotic songs.
"""
SECRETS = ["Marguerite", "zebrafinch", "Ottoline", "quixotic", "nineteen ninety-one", "87%"]


def _env(tmp_path: Path, log: Path) -> dict[str, str]:
    guard_dir = tmp_path / "guard"
    guard_dir.mkdir(exist_ok=True)
    (guard_dir / "sitecustomize.py").write_text(GUARD)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(guard_dir), str(ROOT)])
    env["LINTKIT_PRIVACY_LOG"] = str(log)
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        env.pop(proxy, None)  # a proxy would make even loopback traffic leave
    return env


def _grammar_available() -> bool:
    try:
        out = subprocess.run([sys.executable, "-m", "lintkit", "languagetool", "status"], capture_output=True,
                             text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "server: running" in out.stdout


def test_guard_blocks_non_loopback_and_allows_loopback(tmp_path: Path) -> None:
    """The guard itself: a UDP connect (which sends no packet even unguarded) to a
    documentation address ends the process; a TCP connect to 127.0.0.1 goes through."""
    log = tmp_path / "net.log"
    code = ("import socket\n"
            "srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(1)\n"
            "c = socket.create_connection(srv.getsockname(), timeout=5); c.close(); srv.close()\n"
            "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            "u.connect(('192.0.2.1', 9))\n"
            "print('not reached')\n")
    proc = subprocess.run([sys.executable, "-c", code], env=_env(tmp_path, log), capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 97
    assert "not reached" not in proc.stdout
    lines = log.read_text().splitlines()
    assert lines[0].startswith("allowed connect ('127.0.0.1', ")
    assert lines[-1] == "BLOCKED connect ('192.0.2.1', 9)"


GRAMMAR = _grammar_available()


@pytest.mark.parametrize("grammar", [GRAMMAR], ids=["with-local-languagetool" if GRAMMAR else "without-GR"])
def test_whole_pipeline_keeps_text_on_the_machine(tmp_path: Path, grammar: bool) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.md").write_text(DOC)
    log = tmp_path / "net.log"
    args = [sys.executable, "-m", "lintkit", "check", "--no-cache", "--verbose", "--format", "json", "--jobs", "1"]
    if not grammar:
        args += ["--ignore", "GR"]
    proc = subprocess.run([*args, "notes.md"], cwd=work, env=_env(tmp_path, log), capture_output=True,
                          text=True, timeout=600)
    net = log.read_text().splitlines() if log.exists() else []
    assert [ln for ln in net if ln.startswith("BLOCKED")] == []
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    report = json.loads(proc.stdout)
    assert report["errors"] == []
    codes = {f["code"][:2] for f in report["findings"]}
    assert "CL" in codes  # the claims family found the unsupported statistic
    if grammar:
        assert "GR" in codes  # LanguageTool checked the text, over loopback only
        assert net and all(ln.startswith("allowed ") for ln in net)
    # --verbose logged the run, and no word of the document
    debug = [ln for ln in proc.stderr.splitlines() if ln.startswith("lintkit: debug:")]
    assert any(ln == "lintkit: debug: lintkit.engine: notes.md: markdown, utf-8, 301 characters, "
                     "3 paragraphs, 5 sentences" for ln in debug), debug
    ran = {ln.split(": plugin ")[1].split(":")[0] for ln in debug if ": plugin " in ln}
    assert {"claims", "consistency", "readability", "grammar"} <= ran
    for secret in SECRETS:
        assert secret.lower() not in proc.stderr.lower(), secret


def test_no_module_logs_document_text(tmp_path: Path) -> None:
    """In process, every record any lintkit logger emits at DEBUG during a check (grammar
    off) is free of the document's words, arguments included."""
    import logging

    from lintkit.api import check_text

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("lintkit")
    handler = Keep(level=logging.DEBUG)
    old = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        check_text(DOC, path=str(tmp_path / "notes.md"), ignore=["GR"], isolated=True, config={"cache": False})
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
    assert records, "the engine logs at DEBUG"
    for r in records:
        text = r.getMessage().lower()
        for secret in SECRETS:
            assert secret.lower() not in text, (secret, r.getMessage())
