"""The public Python API: check text or paths in-process.

>>> from lintkit.api import check_text
>>> findings = check_text("Tencent and Tecent.", path="draft.md", select=["CN"])

Every function returns :class:`lintkit.types.Finding` objects (sorted, with 1-based
lines and columns). Errors the user can act on raise :class:`lintkit.errors.LintkitError`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lintkit.document.model import Document, Source
from lintkit.engine import Engine, Overrides, Report, format_for
from lintkit.errors import LintkitError
from lintkit.types import Finding

__all__ = ["check_text", "check_path", "check_paths", "read_document", "Engine", "Overrides", "Report"]


def _engine(select: list[str] | None, ignore: list[str] | None, config: dict[str, Any] | None,
            config_file: str | None, isolated: bool) -> Engine:
    return Engine(Overrides(select=select, ignore=ignore, raw=config or {}, config_file=config_file,
                            isolated=isolated))


def check_text(text: str, path: str = "<text>.md", *, select: list[str] | None = None,
               ignore: list[str] | None = None, config: dict[str, Any] | None = None,
               config_file: str | None = None, isolated: bool = False,
               engine: Engine | None = None) -> list[Finding]:
    """Check ``text`` as if it were the file ``path`` (its suffix picks the format;
    config files are looked up from its folder unless ``isolated``)."""
    eng = engine or _engine(select, ignore, config, config_file, isolated)
    report = eng.check_source(Source(path, text, format_for(path)))
    if report.errors:
        raise LintkitError(report.errors[0].path, report.errors[0].message)
    return report.findings


def check_paths(paths: Iterable[str], *, select: list[str] | None = None,
                ignore: list[str] | None = None, config: dict[str, Any] | None = None,
                config_file: str | None = None, isolated: bool = False, jobs: int = 1) -> Report:
    """Check files and folders; the report carries findings, per-file errors, metrics."""
    return _engine(select, ignore, config, config_file, isolated).check_paths(list(paths), jobs=jobs)


def check_path(path: str, **kwargs: Any) -> list[Finding]:
    report = check_paths([path], **kwargs)
    if report.errors:
        raise LintkitError(report.errors[0].path, report.errors[0].message)
    return report.findings


def read_document(text: str, path: str = "<text>.md") -> Document:
    """The shared document model for ``text`` (projection, paragraphs, sentences)."""
    return Engine(Overrides(isolated=True)).document(Source(path, text, format_for(path)))
