"""Rule docs are complete and docs/rules.md is generated from the current metadata."""

from __future__ import annotations

import os
import re
from pathlib import Path

from lintkit.docgen import builtin_registry, rules_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_every_rule_is_documented() -> None:
    rules = builtin_registry().sorted()
    assert {r.family for r in rules} >= {"grammar", "readability", "claims", "consistency"}
    for r in rules:
        assert re.fullmatch(r"(GR|RD|CL|CN)\d{3}", r.code), r.code
        assert r.name and re.fullmatch(r"[a-z0-9-]+", r.name), r.code
        assert r.summary and r.doc.strip() and r.bad.strip() and r.good.strip(), r.code
        assert r.bad.strip() != r.good.strip(), r.code


def test_names_are_unique() -> None:
    rules = builtin_registry().sorted()
    assert len({r.name for r in rules}) == len(rules)


def test_rules_md_is_current() -> None:
    text = rules_markdown(builtin_registry().sorted())
    path = ROOT / "docs" / "rules.md"
    if os.environ.get("LINTKIT_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, "run: python -m lintkit.docgen > docs/rules.md"
