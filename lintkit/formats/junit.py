"""JUnit XML (``--format junit``) for CI systems that read test reports.

Layout: one ``<testsuite>`` per checked file (``name`` = the path) and one
``<testcase>`` per finding (``classname`` = the path, ``name`` = ``CODE line:column``)
holding a ``<failure>`` whose ``type`` is the rule code, ``message`` the finding's
message and text the ``path:line:col: CODE message`` line plus the rule summary. A file
without findings gets one passing ``<testcase name="lintkit">`` so it shows up as
checked; a file that could not be checked gets a ``<testcase>`` with an ``<error>``.
Characters that XML 1.0 cannot carry are replaced by U+FFFD.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TextIO

from lintkit.formats import FormatOptions

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

    from lintkit.engine import Report
    from lintkit.plugin import Registry

_XML_BAD: re.Pattern[str] | None = None  # compiled on first use: ~4 ms at every start-up otherwise


def _x(s: str) -> str:
    global _XML_BAD
    if _XML_BAD is None:
        _XML_BAD = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    return _XML_BAD.sub("\ufffd", s)


def report_to_junit(report: Report, registry: Registry) -> ET.Element:
    import xml.etree.ElementTree as ET  # noqa: N817 (imported when used: ~3 ms of every start-up otherwise)

    root = ET.Element("testsuites", name="lintkit")
    by_path: dict[str, list] = {p: [] for p in report.files}
    for f in report.findings:
        by_path.setdefault(f.path, []).append(f)
    errors: dict[str, list[str]] = {}
    for e in report.errors:
        errors.setdefault(e.path, []).append(e.message)
        by_path.setdefault(e.path, [])
    total = failures = n_errors = 0
    for path in sorted(by_path):
        findings = by_path[path]
        errs = errors.get(path, [])
        cases = max(len(findings), 1) if not errs else len(findings) + len(errs)
        suite = ET.SubElement(root, "testsuite", name=_x(path), tests=str(cases),
                              failures=str(len(findings)), errors=str(len(errs)), skipped="0")
        for f in findings:
            case = ET.SubElement(suite, "testcase", classname=_x(path), name=f"{f.code} {f.line}:{f.column}")
            rule = registry.get(f.code)
            body = f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}"
            if rule is not None:
                body += f"\n{rule.code} {rule.name}: {rule.summary}"
            fail = ET.SubElement(case, "failure", type=f.code, message=_x(f.message))
            fail.text = _x(body)
        for msg in errs:
            case = ET.SubElement(suite, "testcase", classname=_x(path), name="lintkit")
            err = ET.SubElement(case, "error", type="error", message=_x(msg))
            err.text = _x(f"{path}: {msg}")
        if not findings and not errs:
            ET.SubElement(suite, "testcase", classname=_x(path), name="lintkit")
        total += cases
        failures += len(findings)
        n_errors += len(errs)
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", str(n_errors))
    return root


def format_junit(report: Report, registry: Registry, out: TextIO, options: FormatOptions) -> None:
    import xml.etree.ElementTree as ET  # noqa: N817

    root = report_to_junit(report, registry)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
