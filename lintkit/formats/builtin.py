"""The built-in ``text`` and ``json`` formats.

Text: one finding per line, ``path:line:col: CODE message``, sorted by path and
position. JSON: see docs/json-format.md (schema version 1).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any, TextIO

from lintkit import __version__
from lintkit.formats import FormatOptions, Formatter
from lintkit.hookspecs import hookimpl
from lintkit.types import Severity

if TYPE_CHECKING:
    from lintkit.engine import Report
    from lintkit.plugin import Registry

JSON_SCHEMA_VERSION = 1

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}


def format_text(report: Report, registry: Registry, out: TextIO, options: FormatOptions) -> None:
    for f in report.findings:
        if options.color:
            out.write(f"\033[1m{f.path}\033[0m:{f.line}:{f.column}: "
                      f"{_COLORS[f.severity]}{f.code}\033[0m {f.message}\n")
        else:
            out.write(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}\n")
    if options.statistics:
        counts = Counter(f.code for f in report.findings)
        for code, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])):
            rule = registry.get(code)
            out.write(f"{n:6d}  {code:<8} {rule.name if rule else ''}\n")


def _pos(doc_line: int, col: int, offset: int) -> dict[str, int]:
    return {"line": doc_line, "column": col, "offset": offset}


def report_to_json(report: Report) -> dict[str, Any]:
    findings = []
    for f in report.findings:
        findings.append({
            "path": f.path,
            "code": f.code,
            "rule": f.rule,
            "severity": str(f.severity),
            "message": f.message,
            "start": _pos(f.line, f.column, f.start),
            "end": _pos(f.end_line, f.end_column, f.end),
            "aliases": list(f.aliases),
            "fixes": [{"start": x.start, "end": x.end, "replacement": x.replacement,
                       "safe": x.safe, "description": x.description} for x in f.fixes],
            "data": f.data,
        })
    by_sev = Counter(str(f.severity) for f in report.findings)
    return {
        "version": JSON_SCHEMA_VERSION,
        "lintkit": __version__,
        "findings": findings,
        "errors": [{"path": e.path, "message": e.message} for e in report.errors],
        "files": [{"path": p, "metrics": report.metrics.get(p, {})} for p in report.files],
        "summary": {"files": len(report.files), "findings": len(findings),
                    "errors": len(report.errors),
                    "by_severity": {k: by_sev.get(k, 0) for k in ("error", "warning", "info")}},
    }


def format_json(report: Report, registry: Registry, out: TextIO, options: FormatOptions) -> None:
    json.dump(report_to_json(report), out, indent=2, ensure_ascii=False, default=str)
    out.write("\n")


@hookimpl
def lintkit_formats() -> dict[str, Formatter]:
    return {"text": format_text, "json": format_json}
