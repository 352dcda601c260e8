"""Optional compiled speed-ups of the hottest per-word loops.

Each ``lintkit/_c/<name>.c`` is a CPython extension module that does, for one part, exactly
what a pure-Python function does (the reference; tests compare the two). It is built when
lintkit is installed (``hatch_build.py``, or ``python -m lintkit._c.build`` in a source
tree) if a C compiler is there; without one, lintkit runs the pure-Python code, with the
same output, only slower.

:func:`load` gives the module, or None when it is not built, when it was built from another
version of its source (a stale build next to an edited ``.c`` file), or when the
environment variable ``LINTKIT_PURE_PYTHON`` is set to a non-empty value other than ``0``
(tests and the benchmark use it to run the reference code).
"""

from __future__ import annotations

import hashlib
import importlib
import os
from pathlib import Path
from types import ModuleType

_HERE = Path(__file__).resolve().parent


def pure_python() -> bool:
    """Is the compiled code switched off (``LINTKIT_PURE_PYTHON``)?"""
    return os.environ.get("LINTKIT_PURE_PYTHON", "") not in ("", "0")


def source_sha256(name: str) -> str | None:
    """The SHA-256 of ``<name>.c`` next to this file, or None when it is not there."""
    try:
        return hashlib.sha256((_HERE / f"{name}.c").read_bytes()).hexdigest()
    except OSError:
        return None


def load(name: str) -> ModuleType | None:
    """The compiled module ``lintkit._c.<name>``, or None (see the module docstring)."""
    if pure_python():
        return None
    try:
        mod = importlib.import_module(f"{__name__}.{name}")
    except ImportError:
        return None
    sha = source_sha256(name)
    if sha is not None and getattr(mod, "SOURCE_SHA256", None) != sha:
        return None  # built from another version of the source: its behaviour is unknown
    return mod


def modules() -> dict[str, bool]:
    """Each compiled speed-up whose source ships with lintkit, and whether it is in use
    (built from that source, and not switched off)."""
    return {p.stem: load(p.stem) is not None for p in sorted(_HERE.glob("*.c"))}
