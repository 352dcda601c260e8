"""The document model shared by every rule: built once per file."""

from lintkit.document.model import Document, OffsetMap, Paragraph, Sentence, Source, Word

__all__ = ["Document", "OffsetMap", "Paragraph", "Sentence", "Source", "Word"]
