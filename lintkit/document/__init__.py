"""The document model shared by every rule: built once per file.

The names below are loaded on first use (module ``__getattr__``): importing a submodule
(the readers plugin, say) does not import the model, so a run the run memo answers, which
reads no document, does not pay for it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lintkit.document.model import Document, OffsetMap, Paragraph, Sentence, Source, Word

__all__ = ["Document", "OffsetMap", "Paragraph", "Sentence", "Source", "Word"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from lintkit.document import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
