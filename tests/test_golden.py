"""Golden fixtures: each folder under fixtures/golden/ holds documents, a lintkit.toml and
``expected.out``, the exact text output of ``lintkit check .`` run inside the folder.

Update after an intended change with ``LINTKIT_UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and review the diff (see fixtures/README.md).
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from lintkit.engine import Engine, Overrides
from lintkit.formats import FormatOptions
from lintkit.formats.builtin import format_text

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "fixtures" / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


@pytest.fixture(autouse=True)
def example_plugin_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "fixtures" / "plugin"))


def run_case(case: str) -> str:
    folder = GOLDEN / case
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        engine = Engine(Overrides(cache=False))
        report = engine.check_paths(["."])
        out = io.StringIO()
        format_text(report, engine.registry, out, FormatOptions())
        for err in report.errors:
            out.write(f"error: {err.path}: {err.message}\n")
        return out.getvalue()
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    got = run_case(case)
    expected_file = GOLDEN / case / "expected.out"
    if os.environ.get("LINTKIT_UPDATE_GOLDEN"):
        expected_file.write_text(got, encoding="utf-8")
    assert got == expected_file.read_text(encoding="utf-8")


def test_cases_exist() -> None:
    assert {"markdown", "crlf_bom", "suppress", "select", "plaintext"} <= set(CASES)
    sys.modules.pop("lintkit_example_plugin", None)
