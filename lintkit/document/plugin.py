"""The built-in document readers as a plugin (named ``readers``): Markdown and plain text.

The readers (:mod:`lintkit.document.readers`, with the document model, the segmenter and
the suppression parser: ~8 ms of imports) are loaded by the first document read, not when
the plugin manager starts, so a re-run the run memo answers, which reads no document,
starts without them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lintkit.hookspecs import hookimpl

if TYPE_CHECKING:
    from lintkit.document.model import Document, Source


@hookimpl
def lintkit_read_document(source: Source) -> Document | None:
    from lintkit.document.readers import lintkit_read_document as read

    return read(source)
