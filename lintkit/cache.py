"""The on-disk result cache: findings and metrics per file, keyed on the content, the
path's format, the resolved settings, the rule packs and the versions of lintkit and
every plugin. Files are written atomically, readable by the owner only; a corrupt or
truncated entry is ignored and rebuilt.

Beside the entries, a stat index (:class:`StatIndex`) remembers which content each file
held when it was last checked, so that a re-run over unchanged files finds their entries
without reading and hashing them."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pluggy

from lintkit import __version__
from lintkit.config import Config
from lintkit.context import cache_dir
from lintkit.fsutil import write_cache_file
from lintkit.types import Finding, Fix, Severity

SCHEMA = 2
"""Version of the entry format. 2: a finding is an array (see :func:`finding_to_row`),
which decodes in about two thirds of the time of the keyed objects of 1 (warm re-run)."""

_SEVERITY = {str(s): s for s in Severity}


def finding_to_row(f: Finding) -> list[Any]:
    """A finding as the array stored in an entry: code, rule, severity, message, start,
    end, line, column, end line, end column, aliases, data, fixes (each an array: start,
    end, replacement, safe, description). The path is not stored: the entry is keyed on
    the content, so the same text under another name shares it."""
    return [f.code, f.rule, str(f.severity), f.message, f.start, f.end, f.line, f.column,
            f.end_line, f.end_column, list(f.aliases), f.data,
            [[x.start, x.end, x.replacement, x.safe, x.description] for x in f.fixes]]


def finding_from_row(row: list[Any]) -> Finding:
    code, rule, sev, message, start, end, line, column, end_line, end_column, aliases, data, fixes = row
    if not isinstance(data, dict):
        raise TypeError("finding data is not an object")
    return Finding(code, rule, _SEVERITY[sev], message, start, end,
                   tuple(Fix(a, b, r, safe, d) for a, b, r, safe, d in fixes) if fixes else (),
                   "", line, column, end_line, end_column, tuple(aliases), data)


def text_digest(text: str) -> str:
    """The digest of a decoded text that cache keys and the stat index hold."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


StatSig = tuple[int, int, int, int, int]
"""What the stat index compares: device, inode, size, modification and change time (ns)."""

INDEX_MIN_AGE_NS = 2_000_000_000
"""A file enters the stat index only if its last change (ctime) was this long before the
stat taken before reading it (see :func:`index_sig`)."""


_now_ns = time.time_ns  # the clock index_sig() compares change times with (tests move it)


def index_sig(st: os.stat_result) -> StatSig | None:
    """The stat signature of a file for the stat index, or ``None`` when the file changed
    too recently to be indexed.

    A matching signature must mean the same content. Any write to a file sets its change
    time (ctime) to the kernel's clock, and no tool can set it back (unlike the modification
    time, which ``touch -d``, ``tar`` or ``rsync -t`` restore). The clock ticks in steps of
    a few milliseconds, so a write in the same tick as the one recorded could keep the
    ctime; a file whose ctime is over 2 s old when it is stat'ed (before it is read) is past
    that risk: a later write gives it a newer ctime. The index is the 'racily clean' rule
    of git's index, with a wide margin."""
    if st.st_ctime_ns > _now_ns() - INDEX_MIN_AGE_NS:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class StatIndex:
    """Which content a file held when it was last checked: one JSON file per folder of
    checked files, ``{"schema", "folder", "files": {name: [device, inode, size, mtime,
    ctime, digest]}}``, under ``<cache>/results/stat/``. A run looks a file up by its stat
    signature (:func:`index_sig`) and, when it matches, takes the content's digest from
    here instead of reading the file; the entries it learnt are written at the end of the
    run (:meth:`record`), atomically and owner-only. Two runs writing the same folder's
    index at once lose, at worst, one run's new entries (the next run reads those files
    again). A damaged index file is ignored and rewritten."""

    SCHEMA = 1

    def __init__(self, folder: Callable[[], str]) -> None:
        self._results = folder  # the result cache's folder, resolved when first needed
        self._folders: dict[str, dict[str, list[Any]]] = {}  # absolute folder -> its entries

    def _file(self, folder: str) -> str:
        name = hashlib.sha256(folder.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return os.path.join(self._results(), "stat", name + ".json")

    def _load(self, folder: str) -> dict[str, list[Any]]:
        files = self._folders.get(folder)
        if files is None:
            files = {}
            try:
                with open(self._file(folder), "rb") as fh:
                    data = json.loads(fh.read())
                if data.get("schema") == self.SCHEMA and data.get("folder") == folder \
                        and isinstance(data.get("files"), dict):
                    files = data["files"]
            except (OSError, ValueError, AttributeError):
                pass  # missing, damaged or foreign: an empty index, rewritten by record()
            self._folders[folder] = files
        return files

    def lookup(self, path: str, sig: StatSig) -> str | None:
        """The digest of ``path``'s content if its stat signature is the one recorded."""
        folder, name = os.path.split(os.path.abspath(path))
        entry = self._load(folder).get(name)
        if type(entry) is list and len(entry) == 6 and tuple(entry[:5]) == sig and type(entry[5]) is str:
            return entry[5]
        return None

    def record(self, entries: dict[str, tuple[StatSig, str]]) -> None:
        """Store what a run learnt, path -> (stat signature, digest), and write the index
        files of the folders that changed. A cache that cannot be written is not an error."""
        changed: set[str] = set()
        for path, (sig, digest) in entries.items():
            folder, name = os.path.split(os.path.abspath(path))
            files = self._load(folder)
            entry = [*sig, digest]
            if files.get(name) != entry:
                files[name] = entry
                changed.add(folder)
        for folder in sorted(changed):
            _store(self._file(folder), json.dumps({"schema": self.SCHEMA, "folder": folder,
                                                   "files": self._folders[folder]},
                                                  separators=(",", ":")).encode("utf-8", "surrogatepass"))


class RunMemo:
    """The output of a whole run, for the same command over the same contents.

    One file per command (``ident``: the working folder and the command's options, see
    ``lintkit.cli``) under ``<cache>/results/runs/``: the rendered report, the summary line
    and the exit code, with the digest of every checked file's path and result-cache key
    (:meth:`digest`). A re-run whose files all have the same keys, known from the stat index
    without reading a file, prints the stored output instead of decoding every entry and
    rendering them again. Each file's key already covers its content, its settings, the rule
    packs and the versions of lintkit and every plugin, so the same keys in the same order
    give the same report. A run with an error is never stored."""

    SCHEMA = 2
    # A memo is one line of JSON (schema, ident, files, exit code, and the lengths in bytes
    # of stdout and stderr), then stdout's and stderr's UTF-8 bytes as they are: decoding
    # a report as one JSON string cost 29 ms for the RFC corpus's 7.8 MB (JSON format),
    # a third of a warm run; the raw bytes decode in ~3 ms. (Schema 1, a JSON object, is
    # not read: its first line has another schema.)

    def __init__(self, folder: Callable[[], str], ident: str) -> None:
        self._results = folder  # the result cache's folder, resolved when first needed
        self._ident = ident

    def _file(self) -> str:
        return os.path.join(self._results(), "runs", self._ident[:32] + ".memo")

    @staticmethod
    def digest(files: list[tuple[str, str]]) -> str:
        """The digest of a run's files, each (path, result-cache key), in report order."""
        h = hashlib.sha256()
        for path, key in files:
            h.update(path.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
            h.update(key.encode())
            h.update(b"\0")
        return h.hexdigest()

    def get(self, digest: str) -> tuple[str, str, int] | None:
        """(report, summary, exit code) stored for these files, if any."""
        try:
            with open(self._file(), "rb") as fh:
                data = fh.read()
            nl = data.index(b"\n")
            head = json.loads(data[:nl])
            if head.get("schema") != self.SCHEMA or head.get("ident") != self._ident or head.get("files") != digest:
                return None
            n_out, n_err, code = head["stdout"], head["stderr"], head["exit"]
            if not (type(n_out) is int and type(n_err) is int and type(code) is int and n_out >= 0 and n_err >= 0
                    and nl + 1 + n_out + n_err == len(data)):
                return None
            body = memoryview(data)[nl + 1:]
            out = str(body[:n_out], "utf-8", "surrogatepass")
            err = str(body[n_out:], "utf-8", "surrogatepass")
            return out, err, code
        except (OSError, ValueError, KeyError, AttributeError):
            pass  # missing, damaged or foreign: the run goes on as usual and rewrites it
        return None

    def put(self, digest: str, stdout: str, stderr: str, code: int) -> None:
        out = stdout.encode("utf-8", "surrogatepass")
        err = stderr.encode("utf-8", "surrogatepass")
        head = json.dumps({"schema": self.SCHEMA, "ident": self._ident, "files": digest, "exit": code,
                           "stdout": len(out), "stderr": len(err)})
        _store(self._file(), b"".join((head.encode(), b"\n", out, err)))


class ResultCache:
    def __init__(self, root: Path | None = None) -> None:
        self._root = root
        self._results: str | None = None  # the folder of the entries, resolved once
        self.index = StatIndex(self._folder)
        self._plugin_sig: str | None = None
        # The part of a key that depends on the settings only, per Config (see key()).
        self._prefix: tuple[Config | None, Any] = (None, None)
        self._folders: set[str] = set()  # entry folders made or found by this process

    def memo(self, ident: str) -> RunMemo:
        """The run memo of the command ``ident`` (see :class:`RunMemo`)."""
        return RunMemo(self._folder, ident)

    @property
    def root(self) -> Path:
        return Path(self._folder())

    def _folder(self) -> str:
        if self._results is None:  # cache_dir() reads the environment: once per cache
            self._results = os.path.join(self._root or cache_dir(), "results")
        return self._results

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

    def key(self, digest: str, path: str, config: Config, pm: pluggy.PluginManager) -> str:
        """The entry's key: the content's ``digest`` (:func:`text_digest`), the path's
        suffix and per-file ignores, the settings, the rule packs, the versions."""
        cfg, prefix = self._prefix
        if cfg is not config:  # one Config serves every file of a folder: hashed once
            prefix = hashlib.sha256()
            for part in (str(SCHEMA), __version__, self._plugins(pm), config.fingerprint(),
                         _packs_stamp(config.get("rule-packs"))):
                prefix.update(part.encode("utf-8", "surrogatepass"))
                prefix.update(b"\0")
            self._prefix = (config, prefix)
        h = prefix.copy()
        for part in (os.path.splitext(path)[1].lower(), config.file_ignores(path).__repr__()):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        h.update(digest.encode())
        return h.hexdigest()

    def _file(self, key: str) -> str:
        # a string path: pathlib costs more than the read for a small entry
        return os.path.join(self._folder(), key[:2], key + ".json")

    def get(self, key: str) -> tuple[list[Finding], dict[str, Any]] | None:
        try:
            with open(self._file(key), "rb") as fh:
                data = json.loads(fh.read())
            if data.get("schema") != SCHEMA:
                return None
            metrics = data.get("metrics") or {}
            if not isinstance(metrics, dict):
                return None
            return [finding_from_row(r) for r in data["findings"]], metrics
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            return None  # corrupt, truncated or foreign: ignored, rebuilt by the next put()

    def put(self, key: str, findings: list[Finding], metrics: dict[str, Any]) -> None:
        path = self._file(key)
        folder = os.path.dirname(path)
        try:
            blob = json.dumps({"schema": SCHEMA, "findings": [finding_to_row(f) for f in findings],
                               "metrics": metrics}, default=str).encode()
            if folder not in self._folders:  # a stat and pathlib objects per entry saved
                _private_dirs(Path(folder))
                self._folders.add(folder)
            try:
                write_cache_file(path, blob)
            except FileNotFoundError:  # the folder was removed during the run: made again
                _private_dirs(Path(folder))
                write_cache_file(path, blob)
        except OSError:
            pass  # a cache that cannot be written is not an error


def _store(path: str, blob: bytes) -> None:
    """Write a file of the stat index or a run memo: atomically, owner-only, in folders
    made owner-only. A cache that cannot be written is not an error."""
    try:
        _private_dirs(Path(os.path.dirname(path)))
        write_cache_file(path, blob)
    except OSError:
        pass


def _packs_stamp(packs: list[str]) -> str:
    """The state of the user's rule packs, as the packs loader reads them: each file, and
    each ``*.toml`` under a folder (an edited file in a folder pack leaves the folder's own
    times unchanged), with its modification and change times and size. Taken when a key's
    settings part is hashed (:meth:`ResultCache.key`: again only when the Config changes
    from one file to the next), not per file."""
    parts = []
    for p in packs:
        files = sorted(Path(p).rglob("*.toml")) if os.path.isdir(p) else [Path(p)]
        for f in files:
            try:
                st = f.stat()
                parts.append(f"{f}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_size}")
            except OSError:
                parts.append(str(f))
    return "|".join(parts)


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
