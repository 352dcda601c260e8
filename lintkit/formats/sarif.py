"""SARIF 2.1.0 output (``--format sarif``).

One run; ``columnKind`` is ``unicodeCodePoints`` because lintkit's columns count code
points (Python string indices + 1); regions are 1-based with an exclusive
``endColumn``. Every rule that fired is described in ``tool.driver.rules`` with its
summary (short description), doc (full description) and the rendered rule doc with
the bad and good examples (help text and Markdown). Fixes become SARIF ``fixes`` with
``artifactChanges``/``replacements``. URIs are relative to ``%SRCROOT%`` (the current
folder) when the file lies below it. ``partialFingerprints`` are left to
``github/codeql-action/upload-sarif``, which computes ``primaryLocationLineHash``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from lintkit import __version__
from lintkit.formats import FormatOptions
from lintkit.types import Finding, Fix, Rule, Severity

if TYPE_CHECKING:
    from lintkit.document.model import LineIndex
    from lintkit.engine import Report
    from lintkit.plugin import Registry

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/lintkit/lintkit"
SRCROOT = "%SRCROOT%"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_PROBLEM = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation"}


def artifact_location(path: str, root: Path | None = None) -> dict[str, str]:
    """A repo-relative URI (with ``uriBaseId``) when ``path`` lies under ``root``
    (default: the current folder), else an absolute ``file://`` URI."""
    root = (root or Path.cwd()).resolve()
    if path in ("-", ""):
        return {"uri": "stdin"}
    full = Path(os.path.abspath(path))
    try:
        rel = full.relative_to(root)
    except ValueError:
        return {"uri": full.as_uri()}
    return {"uri": quote(rel.as_posix()), "uriBaseId": SRCROOT}


def _region(line: int, col: int, end_line: int, end_col: int) -> dict[str, int]:
    return {"startLine": max(line, 1), "startColumn": max(col, 1),
            "endLine": max(end_line, line, 1), "endColumn": max(end_col, 1)}


class _Positions:
    """Line/column of fix offsets: from the report's documents, else the file on disk."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self._index: dict[str, LineIndex | None] = {}

    def index(self, path: str) -> LineIndex | None:
        if path not in self._index:
            doc = self.report.documents.get(path)
            idx = doc.lines if doc is not None else None
            if idx is None and path not in ("", "-"):
                try:
                    from lintkit.document.model import LineIndex
                    from lintkit.engine import decode

                    with open(path, "rb") as fh:
                        idx = LineIndex(decode(path, fh.read()).text)
                except Exception:  # unreadable now: fall back to character offsets
                    idx = None
            self._index[path] = idx
        return self._index[path]

    def region(self, f: Finding, fix: Fix) -> dict[str, int]:
        reg: dict[str, int] = {"charOffset": fix.start, "charLength": fix.end - fix.start}
        if (fix.start, fix.end) == (f.start, f.end) and f.line:
            reg.update(_region(f.line, f.column, f.end_line, f.end_column))
            return reg
        idx = self.index(f.path)
        if idx is not None and fix.end <= len(idx.text):
            (sl, sc), (el, ec) = idx.position(fix.start), idx.position(fix.end)
            reg.update(_region(sl, sc, el, ec))
        return reg


def rule_descriptor(rule: Rule | None, code: str) -> dict[str, Any]:
    if rule is None:
        return {"id": code, "shortDescription": {"text": code}, "fullDescription": {"text": code},
                "help": {"text": code}}
    doc = rule.doc.strip() or rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": doc},
        "help": {"text": rule.render(), "markdown": rule_markdown(rule)},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": ["prose", rule.family], "problem.severity": _PROBLEM[rule.severity],
                       "fixable": rule.fixable},
    }


def rule_markdown(rule: Rule) -> str:
    def block(text: str) -> str:
        return "\n".join("    " + ln for ln in text.strip().splitlines())

    return (f"**{rule.code} {rule.name}** ({rule.family}, default severity {rule.severity})\n\n"
            f"{rule.summary}\n\n{rule.doc.strip()}\n\nBad:\n\n{block(rule.bad)}\n\nGood:\n\n{block(rule.good)}\n")


def report_to_sarif(report: Report, registry: Registry, *, root: Path | None = None,
                    baseline: bool = False) -> dict[str, Any]:
    root = (root or Path.cwd()).resolve()
    fired = sorted({f.code for f in report.findings})
    index = {code: i for i, code in enumerate(fired)}
    positions = _Positions(report)
    results: list[dict[str, Any]] = []
    for f in report.findings:
        loc = artifact_location(f.path, root)
        res: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": loc,
                "region": _region(f.line, f.column, f.end_line, f.end_column),
            }}],
        }
        if f.fixes:
            res["fixes"] = [{
                "description": {"text": (x.description or f"Replace with {x.replacement!r}")
                                + ("" if x.safe else " (unsafe)")},
                "artifactChanges": [{"artifactLocation": loc, "replacements": [{
                    "deletedRegion": positions.region(f, x),
                    "insertedContent": {"text": x.replacement}}]}],
            } for x in f.fixes]
        props: dict[str, Any] = {}
        if f.aliases:
            props["aliases"] = list(f.aliases)
        if props:
            res["properties"] = props
        if baseline:
            res["baselineState"] = "new"
        results.append(res)
    invocation: dict[str, Any] = {"executionSuccessful": not report.errors}
    if report.errors:
        invocation["toolExecutionNotifications"] = [{
            "level": "error",
            "message": {"text": e.message},
            "locations": [{"physicalLocation": {"artifactLocation": artifact_location(e.path, root)}}],
        } for e in report.errors]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "lintkit",
                "semanticVersion": __version__,
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(registry.get(code), code) for code in fired],
            }},
            "invocations": [invocation],
            "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def format_sarif(report: Report, registry: Registry, out: TextIO, options: FormatOptions) -> None:
    doc = report_to_sarif(report, registry, baseline=bool(options.extra.get("baseline")))
    json.dump(doc, out, indent=2, ensure_ascii=False)
    out.write("\n")
