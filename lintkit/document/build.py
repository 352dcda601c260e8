"""Helpers that readers use to build a projection and its offset map."""

from __future__ import annotations

from lintkit.document.model import COPY, REPLACED, OffsetMap


class ProjectionBuilder:
    """Accumulates prose pieces with their source spans."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.length = 0
        self.offsets = OffsetMap()
        self.blocks: list[tuple[int, int, str]] = []
        self._block_start: int | None = None
        self._block_kind = "paragraph"
        self.placeholders: list[tuple[int, int]] = []  # projection spans

    def copy(self, sstart: int, send: int) -> None:
        if send <= sstart:
            return
        self.offsets.add(self.length, sstart, send - sstart, COPY, send - sstart)
        self.parts.append(self.source[sstart:send])
        self.length += send - sstart

    def replace(self, text: str, sstart: int, send: int, placeholder: bool = False) -> None:
        if not text:
            return
        self.offsets.add(self.length, sstart, len(text), REPLACED, send - sstart)
        if placeholder:
            self.placeholders.append((self.length, self.length + len(text)))
        self.parts.append(text)
        self.length += len(text)

    def begin_block(self, kind: str, sstart: int) -> None:
        if self.length:
            self.replace("\n\n", sstart, sstart)
        self._block_start = self.length
        self._block_kind = kind

    def end_block(self) -> None:
        if self._block_start is not None and self.length > self._block_start:
            self.blocks.append((self._block_start, self.length, self._block_kind))
        self._block_start = None

    def text(self) -> str:
        return "".join(self.parts)
