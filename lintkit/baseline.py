"""Baselines: adopt lintkit on an existing corpus without fixing everything first.

``lintkit check --write-baseline FILE`` records the current findings;
``lintkit check --baseline FILE`` then reports only findings that are not in it.

An entry is keyed on the file (relative to the baseline file's folder), the rule code
and a *fingerprint* of the matched text with its neighbourhood: up to
:data:`CONTEXT_WORDS` words before and after the match inside the same paragraph,
whitespace collapsed. There are no line numbers in the key, so edits elsewhere in the
draft (new paragraphs above, reflowed lines) do not resurrect old findings, while a
new occurrence of the same problem in another sentence is reported. Identical
fingerprints are counted: a baseline with ``count: 2`` hides two such findings, a
third is new.

File format (JSON, sorted, stable for diffs)::

    {"version": 1, "tool": "lintkit",
     "files": {"drafts/a.md": [{"code": "CN101", "fingerprint": "3f0c...", "count": 1,
                                "text": "Tecent", "message": "..."}]}}

``text`` and ``message`` are for humans reading the file; only path, code and
fingerprint take part in matching. The file is written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lintkit.errors import ConfigError
from lintkit.fsutil import atomic_write
from lintkit.types import Finding

if TYPE_CHECKING:
    from lintkit.engine import Report

BASELINE_VERSION = 1
CONTEXT_WORDS = 3
_WS = re.compile(r"\s+")
_PARA_BREAK = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)")
_WORD = re.compile(r"\S+")
_MAX_TEXT = 200  # characters of matched text kept for humans

Key = tuple[str, str, str]  # (path, code, fingerprint)


def _norm(s: str) -> str:
    return _WS.sub(" ", s).strip()


def neighbourhood(text: str, start: int, end: int, words: int = CONTEXT_WORDS) -> tuple[str, str, str]:
    """(before, matched, after): the match and up to ``words`` words on each side,
    inside the match's paragraph, whitespace collapsed."""
    lo = max(0, start - 400)
    before = text[lo:start]
    breaks = list(_PARA_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    after = text[end:end + 400]
    m = _PARA_BREAK.search(after)
    if m:
        after = after[:m.start()]
    # A partial word cut off by the 400-character window would make the key unstable.
    b_words = _WORD.findall(before)[-words:] if len(before) < 400 or lo == 0 else _WORD.findall(before)[1:][-words:]
    a_words = _WORD.findall(after)
    if len(after) == 400:
        a_words = a_words[:-1]
    a_words = a_words[:words]
    return " ".join(b_words), _norm(text[start:end]), " ".join(a_words)


def fingerprint(code: str, text: str, start: int, end: int) -> str:
    before, matched, after = neighbourhood(text, start, end)
    blob = "\0".join((code, before, matched, after)).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:20]


def _rel(path: str, base: Path) -> str:
    if path in ("", "-"):
        return path
    try:
        return Path(os.path.relpath(os.path.abspath(path), base)).as_posix()
    except ValueError:  # another drive on Windows
        return Path(os.path.abspath(path)).as_posix()


@dataclass
class Baseline:
    """Counts of fingerprinted findings, keyed by (relative path, code, fingerprint)."""

    base: Path
    counts: Counter[Key] = field(default_factory=Counter)
    info: dict[Key, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> Baseline:
        p = Path(path)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(str(p), "baseline file not found (create it with --write-baseline)") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ConfigError(str(p), f"cannot read baseline: {exc}") from None
        if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION \
                or not isinstance(data.get("files"), dict):
            raise ConfigError(str(p), f"not a lintkit baseline (version {BASELINE_VERSION} expected)")
        bl = cls(Path(os.path.abspath(p)).parent)
        for rel, entries in data["files"].items():
            if not isinstance(entries, list):
                raise ConfigError(str(p), f"bad baseline entry for {rel!r}")
            for e in entries:
                try:
                    key = (str(rel), str(e["code"]), str(e["fingerprint"]))
                    bl.counts[key] += int(e.get("count", 1))
                except (KeyError, TypeError, ValueError):
                    raise ConfigError(str(p), f"bad baseline entry for {rel!r}: {e!r}") from None
        return bl

    @classmethod
    def from_findings(cls, findings: Iterable[Finding], texts: Callable[[str], str | None],
                      base: str | Path) -> Baseline:
        bl = cls(Path(os.path.abspath(base)))
        for f in findings:
            key = bl.key(f, texts)
            if key is None:
                continue
            bl.counts[key] += 1
            if key not in bl.info:
                text = texts(f.path) or ""
                bl.info[key] = {"text": text[f.start:f.end][:_MAX_TEXT], "message": f.message}
        return bl

    def key(self, f: Finding, texts: Callable[[str], str | None]) -> Key | None:
        text = texts(f.path)
        if text is None:
            return None
        return (_rel(f.path, self.base), f.code, fingerprint(f.code, text, f.start, f.end))

    def to_json(self) -> dict[str, Any]:
        files: dict[str, list[dict[str, Any]]] = {}
        for (rel, code, fp), n in sorted(self.counts.items()):
            entry: dict[str, Any] = {"code": code, "fingerprint": fp, "count": n}
            entry.update(self.info.get((rel, code, fp), {}))
            files.setdefault(rel, []).append(entry)
        return {"version": BASELINE_VERSION, "tool": "lintkit", "files": files}

    def write(self, path: str | Path) -> None:
        data = json.dumps(self.to_json(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        atomic_write(path, data.encode("utf-8"), mode=0o644)

    def filter(self, findings: Iterable[Finding], texts: Callable[[str], str | None]) -> FilterResult:
        """Split ``findings`` into new ones and ones the baseline covers."""
        left = Counter(self.counts)
        result = FilterResult()
        for f in findings:
            key = self.key(f, texts)
            if key is not None and left[key] > 0:
                left[key] -= 1
                result.known.append(f)
            else:
                result.new.append(f)
        result.stale = sum(n for n in left.values() if n > 0)
        return result


@dataclass
class FilterResult:
    new: list[Finding] = field(default_factory=list)
    known: list[Finding] = field(default_factory=list)
    stale: int = 0  # baseline entries that matched nothing (fixed or moved findings)


class TextLoader:
    """Decoded texts of checked files, read once (the engine does not keep them)."""

    def __init__(self, preset: dict[str, str] | None = None) -> None:
        self._texts: dict[str, str | None] = dict(preset or {})

    def __call__(self, path: str) -> str | None:
        if path not in self._texts:
            from lintkit.engine import decode

            try:
                with open(path, "rb") as fh:
                    self._texts[path] = decode(path, fh.read()).text
            except Exception:
                self._texts[path] = None
        return self._texts[path]


def apply_to_report(report: Report, baseline: str | None = None, write: str | None = None,
                    preset_texts: dict[str, str] | None = None) -> list[str]:
    """The CLI's ``--baseline`` / ``--write-baseline``: write first (all current
    findings), then drop the findings the baseline covers from ``report``. Returns
    one-line notes for stderr."""
    texts = TextLoader(preset_texts)
    notes: list[str] = []
    written: Baseline | None = None
    if write:
        written = Baseline.from_findings(report.findings, texts, Path(os.path.abspath(write)).parent)
        written.write(write)
        n = sum(written.counts.values())
        notes.append(f"wrote baseline {write} with {n} finding{'s' if n != 1 else ''}")
    bl = Baseline.load(baseline) if baseline else written
    if bl is None:
        return notes
    result = bl.filter(report.findings, texts)
    report.findings = result.new
    if baseline:
        k = len(result.known)
        notes.append(f"{k} finding{'s' if k != 1 else ''} hidden by baseline {baseline}")
        if result.stale:
            notes.append(f"{result.stale} baseline entr{'ies' if result.stale != 1 else 'y'} no longer "
                         f"match{'' if result.stale != 1 else 'es'} (fixed or changed); "
                         f"refresh with --write-baseline {baseline}")
    return notes
