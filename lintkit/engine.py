"""The engine: discover files, decode, read documents, run plugins, filter findings.

The CLI, the language server and the Python API all call :class:`Engine`; the engine
calls plugins only through hooks.
"""

from __future__ import annotations

import codecs
import fnmatch
import gc
import os
import re
import stat
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from lintkit import __version__
from lintkit.cache import ResultCache, StatSig, index_sig, text_digest
from lintkit.config import Config, build_config, find_config_file, load_raw, merge_raw
from lintkit.context import CheckContext
from lintkit.errors import ConfigError, InputError, LintkitError
from lintkit.plugin import Registry, get_plugin_manager, option_sections
from lintkit.types import Finding

if TYPE_CHECKING:  # (imported where used: a run the run memo answers reads no document)
    from lintkit.document.model import Document, Source

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdx"}
# When two families report the same span as a misspelling, the earlier family wins:
# consistency knows the document's own preferred spelling and offers a safe fix.
DEDUPE_ORDER = ("CN", "GR")


class _DebugLog:
    """``logging.getLogger(name).debug``, without importing ``logging``: while nothing in
    the process has imported it, nothing has given a logger a handler or a level that
    would show a debug record (``--verbose`` imports it first), so the record is dropped
    as it would be anyway. A re-run the run memo answers starts ~4 ms sooner."""

    def __init__(self, name: str) -> None:
        self.name = name

    def debug(self, msg: str, *args: object) -> None:
        logging = sys.modules.get("logging")
        if logging is not None:
            logging.getLogger(self.name).debug(msg, *args)


# Debug log (``lintkit check --verbose``): paths, sizes, counts and timings only, never
# document text: a log may be pasted into a public bug report.
log = _DebugLog("lintkit.engine")


# Generation-0 threshold while checking a batch of files (the default is 700 allocations).
BATCH_GC_THRESHOLD = (100_000, 50, 1000)


# batch_gc's nesting: how many checks are under way in this process (the language server
# checks on two threads), and the thresholds to restore when the last one ends.
_gc_lock = threading.Lock()
_gc_depth = 0
_gc_saved: tuple[int, ...] = ()


@contextmanager
def batch_gc() -> Iterator[None]:
    """Fewer cyclic garbage collections while checking files.

    A document builds hundreds of thousands of short-lived objects (tokens, words,
    occurrences) that reference counting frees; almost none form cycles. With the default
    thresholds the collector ran tens of thousands of times per RFC-corpus run and kept
    re-scanning every family's loaded data (dictionaries, lexicons): 20 % of the CPU time
    (17.4 s -> 13.9 s on the RFC corpus with ``-j1``; peak memory unchanged, 121 -> 123
    MB). On one large document the cost grows faster than the document: the objects of
    the document model and the word index all live until the check ends, and each full
    collection walks all of them (1 MB of Markdown: ~320 collections, ~110 ms of a ~450 ms
    check, freeing ~1,600 objects; 10 KB: 0.1 ms). Collections still happen, just rarely;
    the thresholds are restored when the last check under way ends, so a long-lived
    process (the language server) keeps Python's defaults between checks. Nested and
    concurrent uses (``check_paths`` around ``check_source``; the language server's two
    threads) share one raise.
    """
    global _gc_depth, _gc_saved
    with _gc_lock:
        if _gc_depth == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(*BATCH_GC_THRESHOLD)
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0:
                gc.set_threshold(*_gc_saved)


@dataclass
class _Job:
    """A document between ``Engine._begin`` and ``Engine._complete``."""

    source: Source
    doc: Document
    ctx: CheckContext
    key: str | None
    started: bool  # a plugin's lintkit_prefetch started work for it
    keep_document: bool = False  # standard input: formats cannot re-read it for positions
    index: tuple[StatSig, str] | None = None  # for the stat index once cached: (signature, digest)


@dataclass
class FileError:
    path: str
    message: str


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    # What this run learnt for the result cache's stat index: path -> (signature, digest).
    index: dict[str, tuple[StatSig, str]] = field(default_factory=dict)
    # The result-cache key of each file whose findings are in the cache (served or stored).
    keys: dict[str, str] = field(default_factory=dict)

    def extend(self, other: Report) -> None:
        self.findings.extend(other.findings)
        self.errors.extend(other.errors)
        self.files.extend(other.files)
        self.metrics.update(other.metrics)
        self.index.update(other.index)
        self.keys.update(other.keys)
        for k, v in other.timings.items():
            self.timings[k] = self.timings.get(k, 0.0) + v


def format_for(path: str) -> str:
    name = os.path.basename(path)
    suffix = os.path.splitext(name)[1] if not name.endswith(".") else ""  # as Path(path).suffix
    return "markdown" if suffix.lower() in MARKDOWN_SUFFIXES else "text"


def decode(path: str, data: bytes) -> Source:
    """Decode bytes: UTF-8 (BOM removed), UTF-16/32 with a BOM; reject binaries."""
    bom = False
    if data.startswith(codecs.BOM_UTF8):
        text = _utf8(path, data[3:])
        bom = True
        enc = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        text, enc = _decode_bom(path, data, "utf-32")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, enc = _decode_bom(path, data, "utf-16")
    else:
        if b"\0" in data[:8192]:
            raise InputError(path, "binary file (NUL bytes), not text")
        text = _utf8(path, data)
        enc = "utf-8"
    newline = "\r\n" if "\r\n" in text[:65536] else ("\r" if "\r" in text[:65536] else "\n")
    from lintkit.document.model import Source

    return Source(path, text, format_for(path), enc, bom, newline)


def _utf8(path: str, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                               "save it as UTF-8") from None


def _decode_bom(path: str, data: bytes, enc: str) -> tuple[str, str]:
    try:
        return data.decode(enc), enc
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid {enc.upper()} ({exc.reason} at offset {exc.start})") from None


@dataclass
class Overrides:
    """Command-line settings that override config files."""

    select: list[str] | None = None
    extend_select: list[str] | None = None
    ignore: list[str] | None = None
    config_file: str | None = None
    isolated: bool = False  # ignore config files
    raw: dict[str, Any] = field(default_factory=dict)  # e.g. {"fail-on": "info"}
    cache: bool | None = None


class Engine:
    def __init__(self, overrides: Overrides | None = None, plugins: tuple[str, ...] = ()) -> None:
        self.overrides = overrides or Overrides()
        self._configs: dict[Path | None, Config] = {}
        self._dir_config: dict[Path, Path | None] = {}
        self._extra_plugins = plugins
        self.pm: pluggy.PluginManager = get_plugin_manager(plugins)
        self.registry = Registry(self.pm)
        self.sections = option_sections(self.pm)
        self.timings: dict[str, float] = {}
        self.computed = 0  # documents checked (not served from the result cache)
        self.cache = ResultCache()

    # Configuration -------------------------------------------------------------------
    def _load_plugins_for(self, raw: dict[str, Any]) -> None:
        plugins = tuple(raw.get("plugins", ()) or ())
        if plugins and not set(plugins) <= set(self._extra_plugins):
            wanted = tuple(dict.fromkeys((*self._extra_plugins, *plugins)))
            # Loaded before anything is changed: a plugin that cannot be loaded leaves the
            # engine as it was, so every file under this config reports it (not only the
            # first one a process meets, which with --jobs depended on scheduling).
            self.pm = get_plugin_manager(wanted)
            self._extra_plugins = wanted
            self.registry = Registry(self.pm)
            self.sections = option_sections(self.pm)

    def config_for(self, path: str | None) -> Config:
        """The config that governs ``path`` (nearest file upward), with overrides."""
        ov = self.overrides
        if ov.config_file:
            cfg_path: Path | None = Path(ov.config_file)
            if not cfg_path.is_file():
                raise ConfigError(ov.config_file, "config file not found")
        elif ov.isolated:
            cfg_path = None
        else:
            folder = Path(path).parent if path else Path.cwd()
            folder = folder if str(folder) else Path(".")
            key = folder.resolve() if folder.exists() else Path.cwd()
            if key not in self._dir_config:
                self._dir_config[key] = find_config_file(key)
            cfg_path = self._dir_config[key]
        if cfg_path in self._configs:
            return self._configs[cfg_path]
        raw = merge_raw(load_raw(cfg_path) if cfg_path else {}, ov.raw)
        self._load_plugins_for(raw)
        if ov.select is not None:
            raw["select"] = ov.select
        if ov.extend_select:
            raw["extend-select"] = list(raw.get("extend-select", [])) + ov.extend_select
        if ov.ignore:
            raw["ignore"] = list(raw.get("ignore", [])) + ov.ignore
        if ov.cache is not None:
            raw["cache"] = ov.cache
        cfg = build_config(raw, self.sections, cfg_path, None if cfg_path else Path.cwd())
        self._configs[cfg_path] = cfg
        return cfg

    # Discovery -----------------------------------------------------------------------
    def discover(self, paths: Iterable[str]) -> Iterator[str | FileError]:
        """Files to check: explicit files always; folders walked with include/exclude."""
        seen: set[str] = set()
        for p in paths:
            if p == "-":
                yield p
                continue
            if os.path.isdir(p):
                cfg = self.config_for(os.path.join(p, "_"))
                for f in self._walk(p, cfg):
                    if f not in seen:
                        seen.add(f)
                        yield f
            elif os.path.lexists(p) or os.path.exists(p):
                if p not in seen:
                    seen.add(p)
                    yield p
            else:
                yield FileError(p, "no such file or directory")

    def _walk(self, root: str, cfg: Config) -> Iterator[str]:
        include = _globs(cfg.get("include"))
        exclude = _globs([*cfg.get("exclude"), *cfg.get("extend-exclude")])
        visited: set[tuple[int, int]] = set()
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            try:
                st = os.stat(dirpath)
                ident = (st.st_dev, st.st_ino)
            except OSError:
                dirnames[:] = []
                continue
            if ident in visited:  # symlink loop
                dirnames[:] = []
                continue
            visited.add(ident)
            dirnames[:] = sorted(d for d in dirnames if not _excluded(os.path.join(dirpath, d), d, exclude))
            for name in sorted(filenames):
                full = os.path.normpath(os.path.join(dirpath, name))
                if _excluded(full, name, exclude):
                    continue
                if include.match(os.path.normcase(name)):
                    yield full

    # Checking ------------------------------------------------------------------------
    def read(self, path: str, stdin_text: str | None = None, stdin_filename: str | None = None,
             max_size: int | None = None) -> Source:
        if path == "-":
            name = stdin_filename or "-"
            from lintkit.document.model import Source

            return Source(name, stdin_text or "", format_for(name))
        self._stat(path, max_size)
        return self._read(path, max_size)

    def _stat(self, path: str, max_size: int | None) -> os.stat_result:
        """Stat a file to be read: a regular file, within ``max_size``."""
        try:
            st = os.stat(path)
        except OSError as exc:
            raise InputError(path, _os_reason(exc)) from None
        if stat.S_ISDIR(st.st_mode):
            raise InputError(path, "is a directory")
        if not stat.S_ISREG(st.st_mode):  # a FIFO would block open() forever, a device never ends
            raise InputError(path, f"not a regular file ({_file_kind(st.st_mode)})")
        if max_size is not None and st.st_size > max_size:
            raise InputError(path, f"file is {st.st_size:,} bytes, over the max-file-size limit of "
                                   f"{max_size:,} (raise it in config)")
        return st

    def _read(self, path: str, max_size: int | None) -> Source:
        """Read and decode a file that :meth:`_stat` let through."""
        try:
            with open(path, "rb") as fh:
                data = fh.read() if max_size is None else fh.read(max_size + 1)
        except OSError as exc:
            raise InputError(path, _os_reason(exc)) from None
        if max_size is not None and len(data) > max_size:  # grew since stat
            raise InputError(path, f"file is over the max-file-size limit of {max_size:,} bytes (raise it in config)")
        return decode(path, data)

    def document(self, source: Source) -> Document:
        doc = self.pm.hook.lintkit_read_document(source=source)
        if doc is None:
            raise InputError(source.path, f"no reader for format {source.format!r}")
        return doc

    def check_source(self, source: Source, config: Config | None = None,
                     report: Report | None = None) -> Report:
        """Check one decoded source (used by the CLI, the API and the language server)."""
        report = report if report is not None else Report()
        with batch_gc():
            job = self._begin(source, config or self.config_for(source.path if source.path != "-" else None),
                              report)
            if job is not None:
                self._complete(job, report)
        return report

    def _begin(self, source: Source, cfg: Config, report: Report, sig: StatSig | None = None) -> _Job | None:
        """First half of a check: the result cache, else the document model and every
        plugin's ``lintkit_prefetch``. ``None`` when the cache answered. ``sig``: the
        file's stat signature (:func:`index_sig`) taken before it was read, for the stat
        index."""
        report.files.append(source.path)
        key = index = None
        if cfg.get("cache"):
            digest = text_digest(source.text)
            key = self.cache.key(digest, source.path, cfg, self.pm)
            index = (sig, digest) if sig is not None else None
            if self._serve(source.path, key, report):
                if index is not None:
                    report.index[source.path] = index
                return None
        self.computed += 1
        t0 = time.perf_counter()
        doc = self.document(source)
        self._time("(document model)", t0)
        log.debug("%s: %s, %s, %d characters, %d paragraphs, %d sentences", source.path, source.format,
                  source.encoding, len(source.text), len(doc.paragraphs), len(doc.sentences))
        ctx = CheckContext(cfg, self.registry, source.path)
        started = False
        for impl in self.pm.hook.lintkit_prefetch.get_hookimpls():
            t0 = time.perf_counter()
            ctx.plugin = impl.plugin_name
            try:
                started = bool(impl.function(document=doc, ctx=ctx)) or started
            except Exception as exc:  # lintkit_check runs anyway and reports the failure
                log.debug("%s: prefetch in plugin %s failed: %s", source.path, impl.plugin_name, exc)
            self._time(impl.plugin_name, t0)
        return _Job(source, doc, ctx, key, started, index=index)

    def _serve(self, path: str, key: str, report: Report) -> bool:
        """Add the result cache's entry for ``key`` to the report, if it has one."""
        hit = self.cache.get(key)
        log.debug("%s: cache %s", path, "hit" if hit is not None else "miss")
        if hit is None:
            return False
        findings, metrics = hit
        for f in findings:
            f.path = path
        report.findings.extend(findings)
        if metrics:
            report.metrics[path] = metrics
        report.keys[path] = key
        return True

    def _complete(self, job: _Job, report: Report) -> None:
        """Second half: every plugin's ``lintkit_check``, metrics, filtering, the cache."""
        source, doc, ctx, key = job.source, job.doc, job.ctx, job.key
        raw: list[Finding] = []
        failed = False
        for impl in reversed(self.pm.hook.lintkit_check.get_hookimpls()):
            t0 = time.perf_counter()
            ctx.plugin = impl.plugin_name
            out = None
            try:
                out = impl.function(document=doc, ctx=ctx)
                if out:
                    raw.extend(out)
            except LintkitError as exc:
                failed = True
                err = FileError(source.path, exc.one_line())
                if err not in report.errors:  # a broken rule pack read by several families: say it once
                    report.errors.append(err)
            except Exception as exc:  # a plugin bug: report it, keep the others
                failed = True
                report.errors.append(FileError(
                    source.path, f"internal error in plugin {impl.plugin_name!r}: "
                                 f"{type(exc).__name__}: {exc} (lintkit {__version__}; please report)"))
            self._time(impl.plugin_name, t0)
            log.debug("%s: plugin %s: %d findings in %.1f ms", source.path, impl.plugin_name,
                      len(out or ()), (time.perf_counter() - t0) * 1000)
        metrics: dict[str, Any] = {}
        for impl in self.pm.hook.lintkit_document_metrics.get_hookimpls():
            t0 = time.perf_counter()
            ctx.plugin = impl.plugin_name
            try:
                m = impl.function(document=doc, ctx=ctx)
            except Exception as exc:  # metrics are optional; never fail a run on them
                report.errors.append(FileError(source.path, f"metrics from {impl.plugin_name!r} failed: {exc}"))
                failed = True
                m = None
            self._time(impl.plugin_name, t0)
            if m:
                metrics.update(m)
        for k, v in ctx.timings.items():  # the parts each plugin timed (ctx.timed)
            self.timings[k] = self.timings.get(k, 0.0) + v
        findings = self.finalize(doc, raw, ctx)
        report.findings.extend(findings)
        if metrics:
            report.metrics[source.path] = metrics
        report.documents[source.path] = doc
        if key is not None and not failed:
            self.cache.put(key, findings, metrics)
            report.keys[source.path] = key
            if job.index is not None:
                report.index[source.path] = job.index

    def finalize(self, doc: Document, raw: list[Finding], ctx: CheckContext) -> list[Finding]:
        from lintkit.document.suppress import is_suppressed

        cfg = ctx.config
        file_ignores = ctx._file_ignores
        out: list[Finding] = []
        for f in raw:
            if not cfg.selected(f.code, f.aliases):
                continue
            if any(f.code.startswith(i) or i in f.aliases for i in file_ignores):
                continue
            if is_suppressed(doc.suppressions, f.start, f.code, f.aliases):
                continue
            f.severity = cfg.severity_for(f.code, f.severity)
            f.path = doc.path
            f.line, f.column = doc.position(f.start)
            f.end_line, f.end_column = doc.position(f.end)
            out.append(f)
        out = dedupe(out)
        out.sort(key=Finding.sort_key)
        return out

    def check_paths(self, paths: Iterable[str], stdin_text: str | None = None,
                    stdin_filename: str | None = None, jobs: int = 1) -> Report:
        with batch_gc():
            return self._check_paths(paths, stdin_text, stdin_filename, jobs)

    def _check_paths(self, paths: Iterable[str], stdin_text: str | None, stdin_filename: str | None,
                     jobs: int) -> Report:
        report = Report()
        files: list[str] = []
        for item in self.discover(paths):
            if isinstance(item, FileError):
                report.errors.append(item)
            else:
                files.append(item)
        if jobs > 1 and len(files) > 1 and "-" not in files:
            from lintkit.parallel import check_parallel

            report.extend(check_parallel(self, files, jobs))
        else:
            self.check_files(files, report, stdin_text, stdin_filename)
        if report.index:
            self.cache.index.record(report.index)
        report.findings.sort(key=Finding.sort_key)
        report.errors.sort(key=lambda e: e.path)
        for k, v in self.timings.items():  # this process's, added to the workers' (--jobs)
            report.timings[k] = report.timings.get(k, 0.0) + v
        return report

    def plan(self, paths: Iterable[str]) -> list[tuple[str, str]] | None:
        """Every file a check of ``paths`` would cover, in report order, with the key of its
        result-cache entry, all known without reading a file (from the stat index); ``None``
        when one is not (not indexed, changed, the cache off, standard input, an error)."""
        out: list[tuple[str, str]] = []
        try:
            for item in self.discover(paths):
                if isinstance(item, FileError) or item == "-":
                    return None
                cfg = self.config_for(item)
                if not cfg.get("cache"):
                    return None
                key = self._indexed(item, self._stat(item, cfg.get("max-file-size")), cfg)[1]
                if key is None:
                    return None
                out.append((item, key))
        except LintkitError:
            return None  # the run itself reports it
        return out

    def check_file(self, path: str, report: Report, stdin_text: str | None = None,
                   stdin_filename: str | None = None) -> None:
        job = self._begin_file(path, report, stdin_text, stdin_filename)
        if job is not None:
            self._complete_file(job, report)

    def check_files(self, paths: Iterable[str], report: Report, stdin_text: str | None = None,
                    stdin_filename: str | None = None, first: _Job | None = None) -> None:
        """Check files in order, one ahead when a plugin prefetches: the next file's
        document is built and its ``lintkit_prefetch`` called before the current file's
        checks, so a backend has the next file's work queued while this one finishes.
        Findings, errors and ``report.files`` come out as from ``check_file`` in turn;
        ``first`` is a file already begun (``_begin_file``), completed before the others."""
        pending: _Job | None = first
        for path in paths:
            if pending is not None and not pending.started:
                self._complete_file(pending, report)
                pending = None
            job = self._begin_file(path, report, stdin_text, stdin_filename)
            if pending is not None:
                self._complete_file(pending, report)
            pending = job
        if pending is not None:
            self._complete_file(pending, report)

    def _begin_file(self, path: str, report: Report, stdin_text: str | None = None,
                    stdin_filename: str | None = None) -> _Job | None:
        with _file_errors(path, report):
            cfg = self.config_for(stdin_filename if path == "-" else path)
            max_size = cfg.get("max-file-size")
            if path == "-":
                job = self._begin(self.read(path, stdin_text, stdin_filename, max_size), cfg, report)
                if job is not None:
                    job.keep_document = True
                return job
            st = self._stat(path, max_size)
            sig = None
            if cfg.get("cache"):
                # An unchanged file (same stat signature as when it was last checked) is
                # served without being read; with no entry for its key (removed, or other
                # settings) it is checked as usual.
                sig, key = self._indexed(path, st, cfg)
                if key is not None and self._serve(path, key, report):
                    report.files.append(path)
                    return None
            return self._begin(self._read(path, max_size), cfg, report, sig)
        return None

    def _indexed(self, path: str, st: os.stat_result, cfg: Config) -> tuple[StatSig | None, str | None]:
        """The file's stat signature for the stat index (``None`` when it changed too
        recently, :func:`index_sig`), and the key of its result-cache entry when the index
        knows its content (``None`` otherwise)."""
        sig = index_sig(st)
        digest = self.cache.index.lookup(path, sig) if sig is not None else None
        return sig, (self.cache.key(digest, path, cfg, self.pm) if digest is not None else None)

    def _complete_file(self, job: _Job, report: Report) -> None:
        with _file_errors(job.source.path, report):
            self._complete(job, report)
        if not job.keep_document:
            report.documents.pop(job.source.path, None)

    def _time(self, name: str, t0: float) -> None:
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - t0


@contextmanager
def _file_errors(path: str, report: Report) -> Iterator[None]:
    """Report a failure to check one file as a one-line error for that file; the run goes on."""
    try:
        yield
    except LintkitError as exc:
        report.errors.append(FileError(exc.where or path, exc.cause + (f" ({exc.fix})" if exc.fix else "")))
    except RecursionError:
        report.errors.append(FileError(path, "document nesting too deep to parse"))


def dedupe(findings: list[Finding]) -> list[Finding]:
    """Drop a lower-priority spelling finding on the exact span of a higher one."""
    spelling: dict[tuple[int, int], int] = {}
    for f in findings:
        if f.data.get("spelling"):
            rank = _rank(f.code)
            key = (f.start, f.end)
            spelling[key] = min(spelling.get(key, rank), rank)
    if not spelling:
        return findings
    return [f for f in findings
            if not (f.data.get("spelling") and _rank(f.code) > spelling[(f.start, f.end)])]


def _rank(code: str) -> int:
    for i, prefix in enumerate(DEDUPE_ORDER):
        if code.startswith(prefix):
            return i
    return len(DEDUPE_ORDER)


def _excluded(full: str, name: str, exclude: re.Pattern[str]) -> bool:
    """Does the name or the full path match the exclude globs (see :func:`_globs`)?"""
    return bool(exclude.match(os.path.normcase(name)) or exclude.match(os.path.normcase(full)))


def _globs(patterns: Iterable[str]) -> re.Pattern[str]:
    """One compiled pattern for a list of globs (made once per folder walk): what
    ``any(fnmatch(x, g) for g in ...)`` answers, without one fnmatch call per glob per file."""
    patterns = list(patterns)
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{fnmatch.translate(os.path.normcase(g))})" for g in patterns))


def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a file or folder"


def _os_reason(exc: OSError) -> str:
    if exc.errno == 40:  # ELOOP
        return "symbolic link loop"
    return (exc.strerror or str(exc)).lower() if exc.strerror else str(exc)
