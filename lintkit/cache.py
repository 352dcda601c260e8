"""The on-disk result cache: findings and metrics per file, keyed on the content, the
path's format, the resolved settings, the rule packs and the versions of lintkit and
every plugin. Files are written atomically, readable by the owner only; a corrupt or
truncated entry is ignored and rebuilt."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pluggy

from lintkit import __version__
from lintkit.config import Config
from lintkit.context import cache_dir
from lintkit.fsutil import write_cache_file
from lintkit.types import Finding, Fix, Severity

SCHEMA = 1


def finding_to_dict(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code, "rule": f.rule, "severity": str(f.severity), "message": f.message,
        "start": f.start, "end": f.end, "line": f.line, "column": f.column,
        "end_line": f.end_line, "end_column": f.end_column, "aliases": list(f.aliases),
        "data": f.data,
        "fixes": [{"start": x.start, "end": x.end, "replacement": x.replacement, "safe": x.safe,
                   "description": x.description} for x in f.fixes],
    }


def finding_from_dict(d: dict[str, Any]) -> Finding:
    return Finding(
        d["code"], d["rule"], Severity.parse(d["severity"]), d["message"], d["start"], d["end"],
        tuple(Fix(x["start"], x["end"], x["replacement"], x["safe"], x.get("description", ""))
              for x in d["fixes"]),
        "", d["line"], d["column"], d["end_line"], d["end_column"], tuple(d["aliases"]), d["data"],
    )


class ResultCache:
    def __init__(self, root: Path | None = None) -> None:
        self._root = root
        self._plugin_sig: str | None = None

    @property
    def root(self) -> Path:
        return (self._root or cache_dir()) / "results"

    def _plugins(self, pm: pluggy.PluginManager) -> str:
        if self._plugin_sig is None:
            parts = []
            for name, plugin in sorted(pm.list_name_plugin(), key=lambda x: x[0]):
                ver = getattr(plugin, "__version__", None) or getattr(plugin, "CACHE_VERSION", "")
                parts.append(f"{name}={ver}")
            # Source and rule-pack mtimes too, so an edited plugin or pack never serves
            # stale results (one stat per file, once per process).
            here = Path(__file__).resolve().parent
            from lintkit.packs import builtin_rules_dir

            stamp = hashlib.sha256()
            for folder, pattern in ((here, "*.py"), (builtin_rules_dir(), "*.toml")):
                for f in sorted(folder.rglob(pattern)):
                    try:
                        stamp.update(f"{f}:{f.stat().st_mtime_ns}".encode())
                    except OSError:
                        pass
            parts.append(stamp.hexdigest()[:16])
            self._plugin_sig = ";".join(parts)
        return self._plugin_sig

    def key(self, text: str, path: str, config: Config, pm: pluggy.PluginManager) -> str:
        h = hashlib.sha256()
        packs = []
        for p in config.get("rule-packs"):
            try:
                st = os.stat(p)
                packs.append(f"{p}:{st.st_mtime_ns}:{st.st_size}")
            except OSError:
                packs.append(p)
        for part in (str(SCHEMA), __version__, self._plugins(pm), config.fingerprint(),
                     "|".join(packs), Path(path).suffix.lower(), config.file_ignores(path).__repr__()):
            h.update(part.encode())
            h.update(b"\0")
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def _file(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> tuple[list[Finding], dict[str, Any]] | None:
        try:
            with open(self._file(key), encoding="utf-8") as fh:
                data = json.load(fh)
            if data.get("schema") != SCHEMA:
                return None
            metrics = data.get("metrics") or {}
            if not isinstance(metrics, dict):
                return None
            return [finding_from_dict(d) for d in data["findings"]], metrics
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            return None  # corrupt, truncated or foreign: ignored, rebuilt by the next put()

    def put(self, key: str, findings: list[Finding], metrics: dict[str, Any]) -> None:
        path = self._file(key)
        try:
            _private_dirs(path.parent)
            blob = json.dumps({"schema": SCHEMA, "findings": [finding_to_dict(f) for f in findings],
                               "metrics": metrics}, default=str).encode()
            write_cache_file(path, blob)
        except OSError:
            pass  # a cache that cannot be written is not an error


def _private_dirs(folder: Path) -> None:
    """Create ``folder`` and any missing parents owner-only (0700); mkdir(parents=True)
    would give the parents the umask's mode (usually 0755)."""
    missing = []
    for p in (folder, *folder.parents):
        if p.is_dir():
            break
        missing.append(p)
    for p in reversed(missing):
        try:
            p.mkdir(mode=0o700)
        except FileExistsError:
            pass
        os.chmod(p, 0o700)
