"""Source offsets (code points) to LSP positions in the negotiated encoding.

LSP lines end at ``\\n``, ``\\r\\n`` or ``\\r`` only (not at U+2028 or form feed, which
``str.splitlines`` also splits on), exactly like :class:`lintkit.document.model.LineIndex`.
Columns count UTF-16 code units (the default), UTF-8 bytes or code points (``utf-32``).
Conversion is O(log n) per offset for UTF-16 and UTF-32, so a 10 MB single-line
document with many findings stays cheap.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from lintkit.document.model import LineIndex

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class PositionMap:
    def __init__(self, text: str, encoding: str = "utf-16", lines: LineIndex | None = None) -> None:
        self.text = text
        self.encoding = str(encoding).lower()
        self.lines = lines if lines is not None and lines.text is text else LineIndex(text)
        self._astral: list[int] | None = None
        if self.encoding == "utf-16":
            self._astral = [m.start() for m in _ASTRAL.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        """0-based (line, character) of a code-point offset."""
        offset = max(0, min(offset, len(self.text)))
        line = self.lines.line_of(offset)
        start = self.lines.starts[line]
        if self._astral is not None:
            col = offset - start + bisect_left(self._astral, offset) - bisect_left(self._astral, start)
        elif self.encoding == "utf-8":
            col = len(self.text[start:offset].encode("utf-8", "surrogatepass"))
        else:
            col = offset - start
        return line, col

    def line_start(self, line: int) -> int:
        starts = self.lines.starts
        return starts[line] if line < len(starts) else len(self.text)

    def line_text(self, line: int) -> str:
        """The text of 0-based ``line`` without its line break."""
        starts = self.lines.starts
        if line < 0 or line >= len(starts):
            return ""
        end = starts[line + 1] if line + 1 < len(starts) else len(self.text)
        return self.text[starts[line]:end].rstrip("\r\n")

    def line_count(self) -> int:
        return len(self.lines.starts)
