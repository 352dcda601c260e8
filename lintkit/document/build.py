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
        n = send - sstart
        if n <= 0:
            return
        # OffsetMap.add, inline (readers copy a span per text event): a copy that continues
        # the last COPY run in both texts extends it.
        o = self.offsets
        p = self.length
        lens = o._len
        if lens and o._kind[-1] == COPY and o._p[-1] + lens[-1] == p and o._s[-1] + lens[-1] == sstart:
            lens[-1] += n
            o._slen[-1] += n
        else:
            o._p.append(p)
            o._s.append(sstart)
            lens.append(n)
            o._kind.append(COPY)
            o._slen.append(n)
        self.parts.append(self.source[sstart:send])
        self.length = p + n

    def replace(self, text: str, sstart: int, send: int, placeholder: bool = False) -> None:
        n = len(text)
        if not n:
            return
        o = self.offsets
        p = self.length
        o._p.append(p)  # OffsetMap.add, inline: a REPLACED run is never merged
        o._s.append(sstart)
        o._len.append(n)
        o._kind.append(REPLACED)
        o._slen.append(send - sstart)
        if placeholder:
            self.placeholders.append((p, p + n))
        self.parts.append(text)
        self.length = p + n

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
