"""GitHub Actions workflow-command annotations (``--format github``).

One line per finding::

    ::warning file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=lintkit CODE (name)::PATH:L:C: CODE message

- Severity: error -> ``::error``, warning -> ``::warning``, info -> ``::notice``.
- Escaping as in actions/toolkit ``command.ts``: in the message ``%`` -> ``%25``,
  CR -> ``%0D``, LF -> ``%0A``; in property values also ``:`` -> ``%3A`` and
  ``,`` -> ``%2C``.
- ``col``/``endColumn`` are sent only when the finding starts and ends on the same
  line: GitHub rejects them for multi-line ranges. Columns are 1-based code points.
- GitHub shows at most 10 annotations of each type per step (50 per job) and drops
  the rest silently. Findings are ordered errors first; past 10 of a type the finding
  is printed as a plain log line instead, and one ``::notice`` says how many were not
  annotated. When ``$GITHUB_STEP_SUMMARY`` is set, a Markdown table of every finding
  is appended to the job summary (kept under GitHub's 1 MiB limit).
"""

from __future__ import annotations

import os
from collections import Counter
from typing import TYPE_CHECKING, TextIO

from lintkit.formats import FormatOptions
from lintkit.types import Finding, Severity

if TYPE_CHECKING:
    from lintkit.engine import Report
    from lintkit.plugin import Registry

PER_TYPE_LIMIT = 10  # annotations per type per step
SUMMARY_LIMIT = 1024 * 1024 - 4096  # bytes; GitHub's step summary limit is 1 MiB
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding, rule_name: str = "") -> str:
    props = [f"file={escape_property(f.path)}", f"line={f.line}"]
    end_line = max(f.end_line, f.line)
    if end_line == f.line:
        props += [f"col={f.column}", f"endLine={end_line}", f"endColumn={max(f.end_column, f.column)}"]
    else:
        props.append(f"endLine={end_line}")
    title = f"lintkit {f.code}" + (f" ({rule_name})" if rule_name else "")
    props.append(f"title={escape_property(title)}")
    return f"::{_LEVEL[f.severity]} {','.join(props)}::{escape_data(plain(f))}"


def plain(f: Finding) -> str:
    return f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}"


def github_lines(report: Report, registry: Registry, limit: int = PER_TYPE_LIMIT) -> list[str]:
    findings = sorted(report.findings, key=lambda f: (-int(f.severity), f.path, f.start, f.end, f.code))
    per_level = Counter(_LEVEL[f.severity] for f in findings)
    overflow = any(n > limit for n in per_level.values())
    # The overflow notice is a notice itself: keep one notice slot free for it.
    caps = {lvl: limit - (1 if overflow and lvl == "notice" else 0) for lvl in ("error", "warning", "notice")}
    shown: Counter[str] = Counter()
    lines: list[str] = []
    hidden: list[Finding] = []
    for f in findings:
        lvl = _LEVEL[f.severity]
        if shown[lvl] < caps[lvl]:
            shown[lvl] += 1
            rule = registry.get(f.code)
            lines.append(annotation(f, rule.name if rule else ""))
        else:
            hidden.append(f)
    for f in hidden:  # still in the log, just not as annotations
        line = escape_data(plain(f))
        lines.append(" " + line if line.startswith("::") else line)  # never read as a command
    if hidden:
        by = Counter(_LEVEL[f.severity] for f in hidden)
        detail = ", ".join(f"{by[k]} {k}{'s' if by[k] != 1 else ''}" for k in ("error", "warning", "notice") if by[k])
        lines.append(f"::notice title={escape_property('lintkit: annotation limit')}::"
                     + escape_data(f"{len(hidden)} more findings ({detail}) are not annotated because GitHub "
                                   f"shows at most {limit} annotations of each type per step; they are "
                                   "listed in the log above and in the job summary. Use --format sarif "
                                   "for code scanning."))
    return lines


def step_summary(report: Report, limit: int = SUMMARY_LIMIT) -> str:
    def cell(s: str) -> str:
        return s.replace("|", "\\|").replace("\r", " ").replace("\n", " ")

    n = len(report.findings)
    head = [f"### lintkit: {n} finding{'s' if n != 1 else ''} in {len(report.files)} "
            f"file{'s' if len(report.files) != 1 else ''}", ""]
    if not n:
        return "\n".join(head) + "\n"
    head += ["| file | line | column | code | severity | message |", "| --- | --- | --- | --- | --- | --- |"]
    out = "\n".join(head) + "\n"
    size = len(out.encode())
    for i, f in enumerate(sorted(report.findings, key=Finding.sort_key)):
        row = f"| {cell(f.path)} | {f.line} | {f.column} | {f.code} | {f.severity} | {cell(f.message)} |\n"
        if size + len(row.encode()) > limit - 200:
            out += f"\n_{n - i} more findings not shown (summary size limit)._\n"
            break
        out += row
        size += len(row.encode())
    return out


def format_github(report: Report, registry: Registry, out: TextIO, options: FormatOptions) -> None:
    for line in github_lines(report, registry):
        out.write(line + "\n")
    for e in report.errors:
        out.write(f"::error file={escape_property(e.path)},title={escape_property('lintkit: error')}::"
                  f"{escape_data(e.path + ': ' + e.message)}\n")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(step_summary(report))
        except OSError:
            pass
