"""Editor settings of the language server (``initializationOptions``,
``workspace/configuration`` section ``lintkit``, ``workspace/didChangeConfiguration``).

Keys may be written camelCase (VS Code style), kebab-case or snake_case. Settings from
the editor are applied on top of the workspace config file (``[tool.lintkit]`` in
pyproject.toml or ``lintkit.toml``, found upward from each document): ``select``
replaces the file's select list, ``extendSelect`` and ``ignore`` add to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

SECTION = "lintkit"


def _norm(key: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", key).replace("_", "-").lower()


def _codes(value: Any, key: str, problems: list[str]) -> list[str] | None:
    if isinstance(value, str):
        value = [c for c in re.split(r"[\s,]+", value) if c]
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        problems.append(f"setting {key!r} must be a list of rule codes or prefixes, got {value!r}")
        return None
    return value


@dataclass
class Settings:
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    config: str | None = None  # an explicit config file; no upward search
    language: str | None = None  # e.g. "en-GB"
    grammar: bool = True  # run the grammar (GR) phase after the fast checks
    debounce: float = 0.3  # seconds of quiet after an edit before checking
    max_diagnostics: int = 1000  # per document; the rest are dropped (and logged)
    rule_docs_url: str | None = None  # e.g. "https://example.org/rules#{code}" -> codeDescription

    @classmethod
    def from_mapping(cls, data: Any, base: Settings | None = None) -> tuple[Settings, list[str]]:
        """Settings from an editor payload; returns the settings and a list of problems
        (bad values are reported and keep their previous value)."""
        out = Settings(**vars(base)) if base is not None else Settings()
        problems: list[str] = []
        if data is None:
            return out, problems
        if not isinstance(data, dict):
            return out, [f"lintkit settings must be an object, got {type(data).__name__}"]
        if isinstance(data.get(SECTION), dict):  # {"lintkit": {...}} or the section itself
            data = data[SECTION]
        for key, value in data.items():
            k = _norm(str(key))
            if k in ("select", "extend-select", "ignore"):
                if k == "select" and value is None:
                    out.select = None
                    continue
                codes = _codes(value, key, problems)
                if codes is not None:
                    setattr(out, k.replace("-", "_"), codes)
            elif k in ("config", "language", "rule-docs-url"):
                if value is None or isinstance(value, str):
                    setattr(out, k.replace("-", "_"), value or None)
                else:
                    problems.append(f"setting {key!r} must be a string, got {value!r}")
            elif k == "grammar":
                if isinstance(value, bool):
                    out.grammar = value
                else:
                    problems.append(f"setting {key!r} must be true or false, got {value!r}")
            elif k == "debounce":
                if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 10:
                    out.debounce = float(value)
                else:
                    problems.append(f"setting {key!r} must be a number of seconds from 0 to 10, got {value!r}")
            elif k == "max-diagnostics":
                if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                    out.max_diagnostics = value
                else:
                    problems.append(f"setting {key!r} must be a positive integer, got {value!r}")
            else:
                problems.append(f"unknown setting {key!r} (allowed: select, extendSelect, ignore, config, "
                                "language, grammar, debounce, maxDiagnostics, ruleDocsUrl)")
        return out, problems

    def engine_key(self) -> tuple[Any, ...]:
        """What the engine depends on (a change rebuilds the engine)."""
        return (tuple(self.select) if self.select is not None else None, tuple(self.extend_select),
                tuple(self.ignore), self.config, self.language)
