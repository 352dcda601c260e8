"""Applying fixes: ``lintkit check --fix`` / ``--unsafe-fixes`` / ``--diff``.

Used by the CLI and callable from the language server or the API.

- A finding's ``fixes`` are alternatives: the first one allowed (``safe``, or any with
  ``unsafe=True``) is the one applied.
- In one pass, fixes are applied from the start of the file; a fix that overlaps one
  already taken (or inserts at the boundary of one) waits. The file is then checked
  again and the next pass applies what is left, until nothing changes or
  :data:`MAX_PASSES` passes ran (a fix that keeps producing new fixes is reported,
  never looped on forever). Fixing a fixed file therefore changes nothing.
- Writes (:func:`fix_file`): the fixed text is encoded like the original (UTF-8, with
  its BOM if it had one, UTF-16/32 with the same byte order), keeps the file's newlines
  (a replacement's ``\\n`` becomes the file's newline), and is written with
  :func:`lintkit.fsutil.atomic_write`: temp file in the same folder, fsync, rename, so
  a reader (or a crash, even SIGKILL) sees the old file or the new one, never a mix.
  Mode and ownership are kept; a symlink stays a symlink (its target is replaced).
  Nothing is written when the file changed since it was read (bytes, size or mtime),
  when the check reported an error, or when the original bytes do not round-trip
  through the decoder.
"""

from __future__ import annotations

import codecs
import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lintkit.document.model import Source
from lintkit.types import Finding, Fix

if TYPE_CHECKING:
    from lintkit.config import Config
    from lintkit.engine import Engine, Report

MAX_PASSES = 10


def select_fixes(findings: Iterable[Finding], unsafe: bool = False) -> list[Fix]:
    """The fix to apply for each finding (first allowed alternative), de-duplicated."""
    out: list[Fix] = []
    seen: set[tuple[int, int, str]] = set()
    for f in findings:
        for fix in f.fixes:
            if fix.safe or unsafe:
                key = (fix.start, fix.end, fix.replacement)
                if key not in seen:
                    seen.add(key)
                    out.append(fix)
                break
    return out


def apply_fixes(text: str, fixes: Iterable[Fix], newline: str = "\n") -> tuple[str, list[Fix]]:
    """Apply the fixes that do not overlap an earlier one; return the new text and the
    fixes applied. ``newline`` is used for line breaks inside replacements."""
    chosen: list[Fix] = []
    last_start = last_end = -1
    for fix in sorted(fixes, key=lambda x: (x.start, x.end)):
        if not 0 <= fix.start <= fix.end <= len(text):
            continue
        if chosen and (fix.start < last_end or (fix.start == last_end and (fix.start == fix.end
                                                                           or last_start == last_end))):
            continue  # overlaps, or an insertion at the boundary (order ambiguous): next pass
        if text[fix.start:fix.end] == fix.replacement:
            continue  # a no-op
        chosen.append(fix)
        last_start, last_end = fix.start, fix.end
    parts: list[str] = []
    pos = 0
    for fix in chosen:
        parts.append(text[pos:fix.start])
        rep = fix.replacement
        if newline != "\n" and "\n" in rep:
            rep = rep.replace("\r\n", "\n").replace("\n", newline)
        parts.append(rep)
        pos = fix.end
    parts.append(text[pos:])
    return "".join(parts), chosen


@dataclass
class FixOutcome:
    """What fixing one file did."""

    path: str
    original: str
    fixed: str
    applied: int = 0
    passes: int = 0
    converged: bool = True
    written: bool = False
    error: str | None = None
    report: Report | None = None  # the check of the final text (remaining findings)
    first_report: Report | None = None  # the check of the original text

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def fix_source(engine: Engine, source: Source, config: Config | None = None, unsafe: bool = False,
               max_passes: int = MAX_PASSES) -> FixOutcome:
    """Fix ``source`` in memory (no file access): check, apply, re-check until stable."""
    from lintkit.engine import Report

    cfg = config or engine.config_for(source.path if source.path != "-" else None)
    out = FixOutcome(source.path, source.text, source.text)
    text = source.text
    while True:
        rep = engine.check_source(Source(source.path, text, source.format, source.encoding, source.bom,
                                         source.newline), cfg, Report())
        rep.documents.clear()
        out.report = rep
        if out.first_report is None:
            out.first_report = rep
        if rep.errors:
            out.error = rep.errors[0].message
            break
        fixes = select_fixes(rep.findings, unsafe)
        if not fixes:
            break
        if out.passes >= max_passes:
            out.converged = False
            break
        new, applied = apply_fixes(text, fixes, source.newline)
        if not applied or new == text:
            break
        text = new
        out.applied += len(applied)
        out.passes += 1
    out.fixed = text
    return out


def encode_like(text: str, source: Source, original: bytes) -> bytes:
    """Encode ``text`` as ``original`` was encoded (same BOM and byte order)."""
    enc = source.encoding
    if enc == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    if enc in ("utf-32", "utf-16"):
        for bom, name in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                          (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
            if name.startswith(enc) and original.startswith(bom):
                return bom + text.encode(name)
    return text.encode(enc)


def fix_file(engine: Engine, path: str, unsafe: bool = False, write: bool = True,
             max_passes: int = MAX_PASSES) -> FixOutcome:
    """Fix one file on disk (``write=False``: compute only, for ``--diff``)."""
    from lintkit.engine import decode
    from lintkit.errors import LintkitError
    from lintkit.fsutil import atomic_write

    try:
        cfg = engine.config_for(path)
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            data = fh.read()
        max_size = cfg.get("max-file-size")
        if max_size is not None and len(data) > max_size:
            return FixOutcome(path, "", "", error=f"file is {len(data):,} bytes, over the max-file-size "
                                                  f"limit of {max_size:,} (raise it in config)")
        source = decode(path, data)
    except LintkitError as exc:
        return FixOutcome(path, "", "", error=exc.cause + (f" ({exc.fix})" if exc.fix else ""))
    except OSError as exc:
        return FixOutcome(path, "", "", error=(exc.strerror or str(exc)).lower())
    out = fix_source(engine, source, cfg, unsafe, max_passes)
    if not write or out.error or not out.changed:
        return out
    if encode_like(source.text, source, data) != data:
        return _refused(out, "the file's bytes do not round-trip through its encoding; fixes not written")
    new = encode_like(out.fixed, source, data)
    try:
        st2 = os.stat(path)
        with open(path, "rb") as fh:
            now = fh.read()
    except OSError as exc:
        return _refused(out, f"cannot re-read before writing: {(exc.strerror or str(exc)).lower()}; "
                             "fixes not written")
    if now != data or (st2.st_mtime_ns, st2.st_size, st2.st_ino) != (st.st_mtime_ns, st.st_size, st.st_ino):
        return _refused(out, "file changed since it was read; fixes not written (run again)")
    try:
        atomic_write(path, new)
    except OSError as exc:
        return _refused(out, f"cannot write: {(exc.strerror or str(exc)).lower()}; file left unchanged")
    out.written = True
    return out


def _refused(out: FixOutcome, why: str) -> FixOutcome:
    """Nothing was written: report the original text's findings, not the fixed text's."""
    out.error = why
    out.fixed = out.original
    out.applied = 0
    out.report = out.first_report
    return out


@dataclass
class FixRun:
    report: Report
    outcomes: list[FixOutcome] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return sum(o.applied for o in self.outcomes)

    @property
    def changed_files(self) -> list[FixOutcome]:
        return [o for o in self.outcomes if o.changed]

    @property
    def unconverged(self) -> list[FixOutcome]:
        return [o for o in self.outcomes if not o.converged]


def fix_paths(engine: Engine, paths: Iterable[str], unsafe: bool = False, write: bool = True) -> FixRun:
    """Fix every file ``paths`` name (folders walked like ``check``). The report holds
    the findings left in the final text of each file, plus per-file errors."""
    from lintkit.engine import FileError, Report
    from lintkit.types import Finding as _F

    report = Report()
    run = FixRun(report)
    for item in engine.discover(paths):
        if isinstance(item, FileError):
            report.errors.append(item)
            continue
        if item == "-":
            report.errors.append(FileError("-", "--fix and --diff need files, not standard input"))
            continue
        out = fix_file(engine, item, unsafe, write)
        run.outcomes.append(out)
        if out.report is not None:
            report.extend(out.report)
        elif out.error:
            report.files.append(item)
        if out.error and not (out.report and out.report.errors):
            report.errors.append(FileError(item, out.error))
    report.findings.sort(key=_F.sort_key)
    report.errors.sort(key=lambda e: e.path)
    report.timings = dict(engine.timings)
    return run


def unified_diff(out: FixOutcome) -> str:
    """A unified diff of the fixes in ``out`` (empty when nothing changed)."""
    if not out.changed:
        return ""
    a = out.original.splitlines(keepends=True)
    b = out.fixed.splitlines(keepends=True)
    lines = []
    for line in difflib.unified_diff(a, b, fromfile=f"a/{out.path}", tofile=f"b/{out.path}"):
        if not line.endswith(("\n", "\r")):
            line += "\n\\ No newline at end of file\n"
        lines.append(line)
    return "".join(lines)
