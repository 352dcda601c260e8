"""Suppression comments.

Markdown and plain text share one syntax (in plain text the comment stands alone on its
line and is not prose)::

    <!-- lintkit-disable CN101,CL -->   ... <!-- lintkit-enable -->   (or -enable CN101)
    <!-- lintkit-disable-next-line CL -->
    <!-- lintkit-disable-line GR -->     (on the line it stands on)
    <!-- lintkit-disable-file -->         (codes optional everywhere: none means all)

Codes match by prefix (``CN`` covers ``CN101``) and also match a finding's aliases, such
as ``GR:EN_A_VS_AN``.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from lintkit.document.model import LineIndex, Suppression

DIRECTIVE = re.compile(
    r"<!--\s*lintkit-(disable-next-line|disable-line|disable-file|disable|enable)\b"
    r"([^>]*?)\s*-->"
)


def _codes(raw: str) -> tuple[str, ...]:
    return tuple(c for c in re.split(r"[\s,]+", raw.strip()) if c)


def parse_suppressions(
    text: str, lines: LineIndex, skip: list[tuple[int, int]] | None = None
) -> list[Suppression]:
    """Directives in ``text``; ``skip`` lists source spans (code blocks) to ignore."""
    skip = sorted(skip or [])
    skip_starts = [a for a, _ in skip]
    out: list[Suppression] = []
    open_regions: dict[str, int] = {}  # code ("" = all) -> start offset
    n = len(text)

    def in_skip(pos: int) -> bool:
        i = bisect_left(skip_starts, pos + 1) - 1
        return i >= 0 and skip[i][0] <= pos < skip[i][1]

    for m in DIRECTIVE.finditer(text):
        if in_skip(m.start()):
            continue
        kind, codes = m.group(1), _codes(m.group(2))
        line = lines.line_of(m.start())
        if kind == "disable-file":
            out.append(Suppression(codes, 0, n, kind))
        elif kind == "disable-line":
            end = lines.starts[line + 1] if line + 1 < len(lines.starts) else n
            out.append(Suppression(codes, lines.starts[line], end, kind))
        elif kind == "disable-next-line":
            if line + 1 < len(lines.starts):
                a = lines.starts[line + 1]
                b = lines.starts[line + 2] if line + 2 < len(lines.starts) else n
                out.append(Suppression(codes, a, b, kind))
        elif kind == "disable":
            for c in codes or ("",):
                open_regions.setdefault(c, m.start())
        else:  # enable
            targets = codes or tuple(open_regions)
            for c in targets:
                if c in open_regions:
                    out.append(Suppression((c,) if c else (), open_regions.pop(c), m.end(), "disable"))
    for c, start in open_regions.items():
        out.append(Suppression((c,) if c else (), start, n, "disable"))
    return out


def code_matches(selector: str, code: str, aliases: tuple[str, ...] = ()) -> bool:
    if code.startswith(selector):
        return True
    return any(a == selector or a.startswith(selector) for a in aliases)


def is_suppressed(
    suppressions: list[Suppression], start: int, code: str, aliases: tuple[str, ...] = ()
) -> bool:
    for s in suppressions:
        if s.start <= start < s.end or (s.kind == "disable-file"):
            if not s.codes or any(code_matches(c, code, aliases) for c in s.codes):
                return True
    return False
