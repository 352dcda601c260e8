"""Findings, fixes and rule metadata: the values every part of lintkit exchanges."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (allowed: error, warning, info)") from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Fix:
    """Replace ``source[start:end]`` (string offsets into the decoded source) with
    ``replacement``. ``safe`` fixes are applied by ``--fix``; others need
    ``--unsafe-fixes``."""

    start: int
    end: int
    replacement: str
    safe: bool = True
    description: str = ""


@dataclass
class Finding:
    """One problem at a source span. Offsets are string indices into the decoded source;
    the engine fills in ``path`` and the 1-based line/column fields."""

    code: str
    rule: str
    severity: Severity
    message: str
    start: int
    end: int
    fixes: tuple[Fix, ...] = ()
    path: str = ""
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    # Secondary identifiers that may be selected or ignored, e.g. "GR:EN_A_VS_AN".
    aliases: tuple[str, ...] = ()
    # Free-form details for JSON output (LanguageTool rule id, variant counts, ...).
    data: dict[str, Any] = field(default_factory=dict)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.start, self.end, self.code)


@dataclass(frozen=True)
class Rule:
    """Metadata of one rule. ``doc`` is Markdown prose; ``bad`` and ``good`` are the
    examples printed by ``lintkit rule CODE`` and written to docs/rules.md."""

    code: str
    name: str
    family: str
    severity: Severity
    summary: str
    doc: str
    bad: str
    good: str
    fixable: bool = False

    def render(self) -> str:
        lines = [
            f"# {self.code} {self.name}",
            "",
            f"Family: {self.family}. Default severity: {self.severity}."
            + (" Fixable." if self.fixable else ""),
            "",
            self.summary,
            "",
            self.doc.strip(),
            "",
            "Bad:",
            "",
            *["    " + ln for ln in self.bad.strip().splitlines()],
            "",
            "Good:",
            "",
            *["    " + ln for ln in self.good.strip().splitlines()],
        ]
        return "\n".join(lines).rstrip() + "\n"
