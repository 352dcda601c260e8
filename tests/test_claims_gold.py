"""Pin the claims family's figures on the gold set (fixtures/claims/*.gold).

The floors are the figures measured when this test was written; a change that lowers any
of them fails. Raise them when the detector improves (run bench/claims_eval.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent

# code: (precision, recall, f1) at the default settings (sensitivity medium, next-sentence scope)
FLOORS = {
    "CL101": (0.806, 0.926, 0.862),
    "CL102": (1.0, 1.0, 1.0),
    "CL103": (0.938, 0.938, 0.938),
    "CL104": (0.812, 0.765, 0.788),
    "CL105": (0.867, 0.929, 0.897),
    "CL106": (0.722, 0.929, 0.813),
    "CL107": (1.0, 0.875, 0.933),
    "CL108": (1.0, 0.8, 0.889),
    "overall": (0.931, 0.895, 0.913),
}


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("claims_eval", ROOT / "bench" / "claims_eval.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("claims_eval", mod)  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def result() -> dict:  # type: ignore[type-arg]
    return _bench().evaluate()[1]


def test_gold_set_size(result: dict) -> None:  # type: ignore[type-arg]
    assert result["sentences"] == 359
    assert result["overall"]["support"] == 105  # sentences with expected codes


@pytest.mark.parametrize("key", list(FLOORS))
def test_figures_do_not_drop(result: dict, key: str) -> None:  # type: ignore[type-arg]
    p, r, f1 = FLOORS[key]
    got = result[key]
    assert got["precision"] >= p and got["recall"] >= r and got["f1"] >= f1, \
        f"{key}: {got} is below the pinned {FLOORS[key]}"


def test_acceptance_thresholds(result: dict) -> None:  # type: ignore[type-arg]
    assert result["overall"]["precision"] >= 0.80
    assert result["overall"]["recall"] >= 0.60


def test_gold_parser_rejects_unknown_codes(tmp_path: Path) -> None:
    bad = tmp_path / "x.gold"
    bad.write_text("CL999 | A sentence.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown code"):
        _bench().parse_gold(bad)


def test_gold_parser_builds_paragraphs(tmp_path: Path) -> None:
    gold = tmp_path / "x.gold"
    gold.write_text("# comment\nCL101 | One.\n- | Two.\n\n- | Three.\n", encoding="utf-8")
    text, items = _bench().parse_gold(gold)
    assert text == "One. Two.\n\nThree.\n"
    assert [(i.start, i.end, sorted(i.expected)) for i in items] == [(0, 4, ["CL101"]), (5, 9, []), (11, 17, [])]
