"""Output formats. Each is a plugin contribution through ``lintkit_formats``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from lintkit.engine import Report
    from lintkit.plugin import Registry


@dataclass
class FormatOptions:
    color: bool = False
    statistics: bool = False
    quiet: bool = False
    show_fixes: bool = False
    extra: dict[str, object] = field(default_factory=dict)


class Formatter(Protocol):
    def __call__(self, report: Report, registry: Registry, out: TextIO, options: FormatOptions) -> None: ...
