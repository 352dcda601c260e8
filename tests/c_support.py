"""The compiled speed-ups in tests: :func:`c_module` gives ``lintkit._c.<name>``, built.

Tests that compare a compiled function with its pure-Python reference skip when the module
is not built (no C compiler, or ``LINTKIT_PURE_PYTHON`` set); with
``LINTKIT_REQUIRE_C=1`` (CI, where a compiler is present) that skip is a failure.
"""

from __future__ import annotations

import os
from types import ModuleType

import pytest

from lintkit._c import load, pure_python


def c_module(name: str) -> ModuleType:
    mod = load(name)
    if mod is None:
        why = "LINTKIT_PURE_PYTHON is set" if pure_python() else "not built, or built from another source"
        msg = f"lintkit._c.{name}: {why} (python -m lintkit._c.build)"
        if os.environ.get("LINTKIT_REQUIRE_C") == "1":
            pytest.fail(msg + " (LINTKIT_REQUIRE_C=1)")
        pytest.skip(msg)
    return mod
