"""Shared test setup: an isolated result cache per session; the LanguageTool install
(resolved once by scripts/test.sh) stays where it is."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_ea6b9445212ab19d.txt"
SHARED = ROOT.parent / "shared"


def pytest_configure(config: pytest.Config) -> None:
    # Keep the LanguageTool server installation (jars, server state) outside the
    # per-session cache, so tests reuse what scripts/test.sh installed.
    if "LINTKIT_LANGUAGETOOL_HOME" not in os.environ:
        from lintkit.context import cache_dir

        os.environ["LINTKIT_LANGUAGETOOL_HOME"] = str(cache_dir() / "languagetool")
    base = Path(os.environ.get("PYTEST_LINTKIT_TMP", "/tmp")) / f"lintkit-test-cache-{os.getpid()}"
    os.environ["LINTKIT_CACHE_DIR"] = str(base)


@pytest.fixture
def seed_path() -> Path:
    return SEED
