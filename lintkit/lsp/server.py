"""The lintkit language server (pygls 2.1, lsprotocol 2025.0.0), run as ``lintkit lsp``.

Design:

- Diagnostics on open and save (at once) and on change (debounced). Each check runs in
  two phases off the event loop: the *fast* phase (every family except grammar ``GR``)
  publishes first; the *grammar* phase (only ``GR``, usually a LanguageTool round trip)
  follows and the merged, de-duplicated result replaces it. Results for a document
  version that is no longer current are dropped. Each phase has its own one-thread pool,
  and per document at most one job per phase runs at a time, so a burst of edits never
  piles up work: a queued job is cancelled, a running one finishes and is discarded.
- The engine runs in-process: ``Engine.check_source`` with the workspace config found
  upward from the document (``pyproject.toml`` / ``lintkit.toml``) plus editor settings
  (:mod:`lintkit.lsp.settings`).
- Positions are converted from lintkit's code-point offsets to the negotiated position
  encoding (UTF-16 by default) by :class:`lintkit.lsp.positions.PositionMap`.
- Quick fixes come from each finding's ``Fix`` list (carried in ``Diagnostic.data`` and
  kept server-side for clients that drop ``data``), plus "disable this rule on this line"
  (a ``<!-- lintkit-disable-next-line CODE -->`` line above).
- stdout is the JSON-RPC channel: at start-up the real stdout is duplicated for pygls and
  file descriptor 1 is pointed at stderr, so a stray ``print`` in a plugin or output of a
  child process (LanguageTool) cannot corrupt the protocol stream.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import re
import sys
import threading
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from lintkit import __version__
from lintkit.config import CONFIG_NAMES
from lintkit.context import CheckContext
from lintkit.document.model import Source
from lintkit.engine import Engine, Overrides, dedupe, format_for
from lintkit.errors import LintkitError
from lintkit.lsp.positions import PositionMap
from lintkit.lsp.settings import SECTION, Settings
from lintkit.types import Finding, Fix, Severity

log = logging.getLogger("lintkit.lsp")

SOURCE = "lintkit"
GRAMMAR = "GR"
FAST, SLOW = "fast", "grammar"
SEVERITY = {
    Severity.ERROR: t.DiagnosticSeverity.Error,
    Severity.WARNING: t.DiagnosticSeverity.Warning,
    Severity.INFO: t.DiagnosticSeverity.Information,
}
DISABLE_NEXT_LINE = re.compile(r"^(\s*)<!--\s*lintkit-disable-next-line\b([^>]*?)\s*-->\s*$")
MARKDOWN_IDS = {"markdown", "mdx", "quarto", "rmd"}


@dataclass
class Job:
    """What one check needs, captured on the event loop."""

    uri: str
    path: str  # the file path used for config lookup and per-file-ignores
    format: str  # "markdown" | "text"
    encoding: str  # negotiated position encoding
    settings: Settings


@dataclass
class Outcome:
    """The result of one phase, converted in the worker thread."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    positions: PositionMap | None = None
    grammar: bool = False  # the fast phase says: a grammar phase should follow


@dataclass
class DocState:
    task: asyncio.Task[None] | None = None
    inflight: dict[str, concurrent.futures.Future[Outcome]] = field(default_factory=dict)
    # The last published result: the fallback for code actions when a client drops data.
    version: int | None = None
    findings: list[Finding] = field(default_factory=list)
    positions: PositionMap | None = None


class LintkitServer(LanguageServer):
    def __init__(self, debounce: float | None = None) -> None:
        super().__init__("lintkit", __version__, text_document_sync_kind=t.TextDocumentSyncKind.Incremental)
        base = Settings()
        if debounce is not None:
            base.debounce = debounce
        self.base_settings = base  # defaults + command line
        self.init_settings = base  # + initializationOptions
        self.settings = base  # + pulled/pushed configuration
        self.docs: dict[str, DocState] = {}
        self.pools = {
            FAST: concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="lintkit-fast"),
            SLOW: concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="lintkit-grammar"),
        }
        self._engine: Engine | None = None
        self._engine_key: tuple[Any, ...] | None = None
        self._lock = threading.Lock()
        self._shown: set[str] = set()
        self.checks_run = {FAST: 0, SLOW: 0}  # for the lintkit/status request

    # Engine (worker threads) -----------------------------------------------------------
    def engine_for(self, settings: Settings) -> Engine:
        with self._lock:
            key = settings.engine_key()
            if self._engine is None or key != self._engine_key:
                raw: dict[str, Any] = {}
                if settings.language:
                    raw["language"] = settings.language
                self._engine = Engine(Overrides(select=settings.select, extend_select=settings.extend_select,
                                                ignore=settings.ignore, config_file=settings.config,
                                                raw=raw, cache=False))
                self._engine_key = key
            return self._engine

    def reset_engine(self) -> None:
        with self._lock:
            self._engine = None

    def check(self, job: Job, text: str, phase: str) -> Outcome:
        """Run one phase of the check (in a worker thread)."""
        self.checks_run[phase] += 1
        try:
            engine = self.engine_for(job.settings)
            with self._lock:
                cfg = engine.config_for(job.path)
                registry = engine.registry
            limit = cfg.get("max-file-size")
            if limit and len(text) > limit // 4 and len(text.encode("utf-8", "surrogatepass")) > limit:
                return Outcome(errors=[f"{job.path}: document is over the max-file-size limit of {limit:,} bytes; "
                                       "not checked (raise max-file-size in the lintkit config)"],
                               positions=PositionMap(text, job.encoding))
            gr_codes = [c for c in registry.rules if c.startswith(GRAMMAR)]
            if phase == FAST:
                ignore = [*cfg.core["ignore"], GRAMMAR, *gr_codes]
            else:
                ignore = [*cfg.core["ignore"], *(c for c in registry.rules if not c.startswith(GRAMMAR))]
            phase_cfg = replace(cfg, core={**cfg.core, "ignore": ignore, "cache": False})
            report = engine.check_source(Source(job.path, text, job.format), phase_cfg)
            doc = report.documents.pop(job.path, None)
            grammar = (phase == FAST and job.settings.grammar and bool(gr_codes)
                       and CheckContext(cfg, registry, job.path).enabled(GRAMMAR))
            return Outcome(report.findings, [e.message if e.message.startswith(e.path) else f"{e.path}: {e.message}"
                                             for e in report.errors],
                           PositionMap(text, job.encoding, doc.lines if doc is not None else None), grammar)
        except LintkitError as exc:
            return Outcome(errors=[exc.one_line()], positions=PositionMap(text, job.encoding))
        except RecursionError:
            return Outcome(errors=[f"{job.path}: document nesting too deep to parse"],
                           positions=PositionMap(text, job.encoding))
        except Exception as exc:  # never take the server down with a plugin bug
            log.exception("check of %s failed", job.uri)
            return Outcome(errors=[f"{job.path}: internal error: {type(exc).__name__}: {exc} "
                                   f"(lintkit {__version__}; please report)"],
                           positions=PositionMap(text, job.encoding))

    # Scheduling (event loop) -----------------------------------------------------------
    def job_for(self, uri: str) -> Job | None:
        doc = self.workspace.text_documents.get(uri)
        if doc is None:
            return None
        fs = to_fs_path(uri) if uri.startswith("file:") else None
        if fs:
            path = fs
        else:  # untitled:, vscode-notebook-cell:, ... -> a name in the workspace root
            root = self.workspace.root_path or os.getcwd()
            name = os.path.basename((doc.path or "").rstrip("/")) or "untitled"
            path = os.path.join(root, name)
        lang = (doc.language_id or "").lower()
        fmt = "markdown" if lang in MARKDOWN_IDS or format_for(path) == "markdown" else "text"
        return Job(uri, path, fmt, self.encoding(), self.settings)

    def encoding(self) -> str:
        enc = self.workspace.position_encoding or t.PositionEncodingKind.Utf16
        return str(getattr(enc, "value", enc))

    def schedule(self, uri: str, delay: float) -> None:
        st = self.docs.setdefault(uri, DocState())
        if st.task is not None and not st.task.done():
            st.task.cancel()
        st.task = asyncio.ensure_future(self._pipeline(uri, delay))

    def relint_all(self) -> None:
        for uri in list(self.workspace.text_documents):
            self.schedule(uri, 0)

    def current_version(self, uri: str) -> int | None:
        doc = self.workspace.text_documents.get(uri)
        return None if doc is None else doc.version

    async def _run_phase(self, st: DocState, phase: str, job: Job, text: str) -> Outcome:
        prev = st.inflight.get(phase)
        if prev is not None and not prev.done():
            # One job per document and phase: wait for the running one (its result is stale).
            await asyncio.wait([asyncio.wrap_future(prev)])
        fut = self.pools[phase].submit(self.check, job, text, phase)
        st.inflight[phase] = fut
        return await asyncio.wrap_future(fut)  # cancelling us cancels fut if it has not started

    async def _pipeline(self, uri: str, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        st = self.docs.get(uri)
        job = self.job_for(uri)
        if st is None or job is None:
            return
        doc = self.workspace.text_documents[uri]
        version, text = doc.version, doc.source
        fast = await self._run_phase(st, FAST, job, text)
        if self.current_version(uri) != version:
            return  # stale: a newer version is (or will be) scheduled
        self._report_errors(fast.errors)
        self._publish(uri, version, fast.findings, fast.positions, job)
        if not fast.grammar:
            return
        slow = await self._run_phase(st, SLOW, job, text)
        if self.current_version(uri) != version:
            return
        self._report_errors(slow.errors)
        merged = dedupe([*fast.findings, *slow.findings])
        merged.sort(key=Finding.sort_key)
        self._publish(uri, version, merged, fast.positions, job)

    def _publish(self, uri: str, version: int | None, findings: list[Finding], positions: PositionMap | None,
                 job: Job) -> None:
        st = self.docs.setdefault(uri, DocState())
        limit = job.settings.max_diagnostics
        if len(findings) > limit:
            self.window_log_message(t.LogMessageParams(
                t.MessageType.Warning,
                f"{job.path}: {len(findings)} findings, showing the first {limit} (setting maxDiagnostics)"))
            findings = findings[:limit]
        st.version, st.findings, st.positions = version, findings, positions
        diags = [to_diagnostic(f, positions, version, job.settings) for f in findings] if positions else []
        self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=diags,
                                                                          version=version))

    def _report_errors(self, errors: list[str]) -> None:
        for msg in errors:
            if msg in self._shown:
                continue
            if len(self._shown) > 200:
                self._shown.clear()
            self._shown.add(msg)
            log.warning("%s", msg)
            self.window_show_message(t.ShowMessageParams(t.MessageType.Warning, f"lintkit: {msg}"))

    def apply_settings(self, data: Any, base: Settings) -> bool:
        new, problems = Settings.from_mapping(data, base)
        for p in problems:
            self._report_errors([p])
        changed = new != self.settings
        self.settings = new
        return changed

    def shutdown(self) -> None:
        for pool in self.pools.values():
            pool.shutdown(wait=False, cancel_futures=True)
        super().shutdown()


# Conversions ---------------------------------------------------------------------------


def _range(pm: PositionMap, start: int, end: int) -> t.Range:
    a, b = pm.position(start), pm.position(end)
    return t.Range(t.Position(*a), t.Position(*b))


def _range_list(r: t.Range) -> list[int]:
    return [r.start.line, r.start.character, r.end.line, r.end.character]


def fix_title(code: str, fix: Fix, text: str) -> str:
    if fix.description:
        return f"{code}: {fix.description}"
    old = text[fix.start:fix.end]
    if not fix.replacement:
        return f"{code}: delete “{old}”"
    if fix.start == fix.end:
        return f"{code}: insert “{fix.replacement}”"
    return f"{code}: replace “{old}” with “{fix.replacement}”"


def to_diagnostic(f: Finding, pm: PositionMap, version: int | None, settings: Settings) -> t.Diagnostic:
    fixes = [{"range": _range_list(_range(pm, x.start, x.end)), "newText": x.replacement, "safe": x.safe,
              "title": fix_title(f.code, x, pm.text)} for x in f.fixes]
    data: dict[str, Any] = {"version": version, "rule": f.rule, "fixes": fixes}
    href = settings.rule_docs_url.replace("{code}", f.code) if settings.rule_docs_url else None
    return t.Diagnostic(
        range=_range(pm, f.start, f.end),
        message=f.message,
        severity=SEVERITY.get(f.severity, t.DiagnosticSeverity.Warning),
        code=f.code,
        code_description=t.CodeDescription(href=href) if href else None,
        source=SOURCE,
        data=data,
    )


# The server and its handlers --------------------------------------------------------------


def build_server(debounce: float | None = None) -> LintkitServer:
    server = LintkitServer(debounce)

    @server.feature(t.INITIALIZE)
    def on_initialize(ls: LintkitServer, params: t.InitializeParams) -> None:
        ls.apply_settings(params.initialization_options, ls.base_settings)
        ls.init_settings = ls.settings

    async def pull_settings(ls: LintkitServer) -> bool:
        ws = ls.client_capabilities.workspace
        if ws is None or not ws.configuration:
            return False
        try:
            result = await ls.workspace_configuration_async(
                t.ConfigurationParams(items=[t.ConfigurationItem(section=SECTION)]))
        except Exception as exc:  # a client that fails the request: keep what we have
            log.warning("workspace/configuration failed: %s", exc)
            return False
        value = result[0] if isinstance(result, list | tuple) and result else None
        if value is None:
            return False
        return ls.apply_settings(value, ls.init_settings)

    @server.feature(t.INITIALIZED)
    async def on_initialized(ls: LintkitServer, params: t.InitializedParams) -> None:
        ws = ls.client_capabilities.workspace
        dcc = ws.did_change_configuration if ws else None
        if dcc and dcc.dynamic_registration:
            try:
                await ls.client_register_capability_async(t.RegistrationParams(registrations=[
                    t.Registration(id=str(uuid.uuid4()), method=t.WORKSPACE_DID_CHANGE_CONFIGURATION,
                                   register_options={"section": SECTION})]))
            except Exception as exc:
                log.info("didChangeConfiguration registration refused: %s", exc)
        if await pull_settings(ls):
            ls.relint_all()

    @server.feature(t.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def on_config(ls: LintkitServer, params: t.DidChangeConfigurationParams) -> None:
        pushed = params.settings
        if isinstance(pushed, dict) and isinstance(pushed.get(SECTION), dict):
            changed = ls.apply_settings(pushed[SECTION], ls.init_settings)
        else:
            changed = await pull_settings(ls)
        if changed:
            ls.relint_all()

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: LintkitServer, params: t.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: LintkitServer, params: t.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.settings.debounce)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE, t.SaveOptions(include_text=False))
    async def did_save(ls: LintkitServer, params: t.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if os.path.basename(to_fs_path(uri) or "") in CONFIG_NAMES:
            ls.reset_engine()  # the workspace config changed on disk
            ls.relint_all()
        elif uri in ls.workspace.text_documents:
            ls.schedule(uri, 0)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: LintkitServer, params: t.DidCloseTextDocumentParams) -> None:
        st = ls.docs.pop(params.text_document.uri, None)
        if st is not None and st.task is not None:
            st.task.cancel()
        ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=params.text_document.uri,
                                                                        diagnostics=[]))

    @server.feature(
        t.TEXT_DOCUMENT_CODE_ACTION,
        t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix, t.CodeActionKind.SourceFixAll],
                            resolve_provider=False),
    )
    def code_action(ls: LintkitServer, params: t.CodeActionParams) -> list[t.CodeAction] | None:
        return code_actions(ls, params)

    @server.feature("lintkit/status")
    def status(ls: LintkitServer, params: Any) -> dict[str, Any]:
        """Server state for tests and bug reports: documents, checks run, memory."""
        rss = None
        try:
            import psutil

            rss = psutil.Process().memory_info().rss
        except Exception:  # psutil is optional
            pass
        return {"documents": len(ls.workspace.text_documents), "checks": dict(ls.checks_run), "rss": rss,
                "versions": {uri: d.version for uri, d in ls.docs.items()}}

    return server


def code_actions(ls: LintkitServer, params: t.CodeActionParams) -> list[t.CodeAction] | None:
    uri = params.text_document.uri
    only = params.context.only
    doc = ls.workspace.text_documents.get(uri)
    if doc is None:
        return None
    st = ls.docs.get(uri)
    current = st is not None and st.version == doc.version and st.positions is not None
    pm = st.positions if current and st is not None and st.positions is not None else \
        PositionMap(doc.source, ls.encoding())
    want_quick = not only or any(k == t.CodeActionKind.QuickFix or t.CodeActionKind.QuickFix.startswith(k)
                                 for k in only)
    want_fix_all = bool(only) and any(str(k).startswith(t.CodeActionKind.SourceFixAll) for k in only)
    actions: list[t.CodeAction] = []
    if want_quick:
        diags = [d for d in params.context.diagnostics if d.source == SOURCE]
        if not diags and current and st is not None:  # no context: the findings under the range
            diags = [to_diagnostic(f, pm, doc.version, ls.settings) for f in st.findings
                     if _overlaps(_range(pm, f.start, f.end), params.range)]
        seen: set[tuple[str, int]] = set()
        for d in diags:
            code = str(d.code) if d.code is not None else ""
            fixes = _fixes_of(d, doc.version, st if current else None, pm)
            for i, fx in enumerate(fixes):
                actions.append(t.CodeAction(
                    title=fx["title"], kind=t.CodeActionKind.QuickFix, diagnostics=[d],
                    is_preferred=i == 0 and bool(fx["safe"]),
                    edit=t.WorkspaceEdit(changes={uri: [t.TextEdit(_list_range(fx["range"]), fx["newText"])]})))
            line = d.range.start.line
            if code and (code, line) not in seen:
                seen.add((code, line))
                edit = disable_edit(pm, line, code)
                actions.append(t.CodeAction(
                    title=f"{code}: disable this rule on this line", kind=t.CodeActionKind.QuickFix,
                    diagnostics=[d], edit=t.WorkspaceEdit(changes={uri: [edit]})))
    if want_fix_all and current and st is not None:
        edits: list[t.TextEdit] = []
        last = -1
        firsts = [next(x for x in f.fixes if x.safe) for f in st.findings if any(x.safe for x in f.fixes)]
        for x in sorted(set(firsts), key=lambda x: (x.start, x.end)):
            if x.start < last:  # overlaps a fix already taken
                continue
            edits.append(t.TextEdit(_range(pm, x.start, x.end), x.replacement))
            last = x.end if x.end > x.start else x.start + 1
        if edits:
            actions.append(t.CodeAction(title="lintkit: apply all safe fixes", kind=t.CodeActionKind.SourceFixAll,
                                        edit=t.WorkspaceEdit(changes={uri: edits})))
    return actions or None


def _fixes_of(d: t.Diagnostic, version: int | None, st: DocState | None, pm: PositionMap) -> list[dict[str, Any]]:
    data = d.data if isinstance(d.data, dict) else None
    if data is not None and isinstance(data.get("fixes"), list) and data.get("version") == version:
        return [x for x in data["fixes"] if isinstance(x, dict) and _valid_fix(x)]
    if st is None:
        return []
    for f in st.findings:  # a client that does not round-trip data: match code and range
        if f.code == d.code and _range(pm, f.start, f.end) == d.range:
            return [{"range": _range_list(_range(pm, x.start, x.end)), "newText": x.replacement,
                     "safe": x.safe, "title": fix_title(f.code, x, pm.text)} for x in f.fixes]
    return []


def _valid_fix(x: dict[str, Any]) -> bool:
    r = x.get("range")
    return (isinstance(r, list) and len(r) == 4 and all(isinstance(v, int) and v >= 0 for v in r)
            and isinstance(x.get("newText"), str) and isinstance(x.get("title"), str))


def _list_range(r: list[int]) -> t.Range:
    return t.Range(t.Position(r[0], r[1]), t.Position(r[2], r[3]))


def _overlaps(a: t.Range, b: t.Range) -> bool:
    a0, a1 = (a.start.line, a.start.character), (a.end.line, a.end.character)
    b0, b1 = (b.start.line, b.start.character), (b.end.line, b.end.character)
    return a0 <= b1 and b0 <= a1


def disable_edit(pm: PositionMap, line: int, code: str) -> t.TextEdit:
    """Insert ``<!-- lintkit-disable-next-line CODE -->`` above ``line`` (same indentation),
    or add the code to such a comment already there."""
    if line > 0:
        prev = pm.line_text(line - 1)
        m = DISABLE_NEXT_LINE.match(prev)
        if m:
            codes = [c for c in re.split(r"[\s,]+", m.group(2).strip()) if c]
            if code not in codes:
                codes.append(code)
            new = f"{m.group(1)}<!-- lintkit-disable-next-line {' '.join(codes)} -->"
            start = pm.line_start(line - 1)
            return t.TextEdit(_range(pm, start, start + len(prev)), new)
    text = pm.line_text(line)
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    start = pm.line_start(line)
    brk = pm.text[start + len(text): start + len(text) + 2]
    newline = "\r\n" if brk.startswith("\r\n") else ("\r" if brk.startswith("\r") else "\n")
    pos = t.Position(*pm.position(start))
    return t.TextEdit(t.Range(pos, pos), f"{indent}<!-- lintkit-disable-next-line {code} -->{newline}")


MAX_MESSAGE = 128 * 1024 * 1024  # bytes of one JSON-RPC message body
MAX_HEADER_LINE = 64 * 1024


class BoundedReader:
    """stdin for pygls with bounded memory: a header line is read in pieces of at most
    ``MAX_HEADER_LINE`` bytes, and a body over ``limit`` bytes (a hostile or broken
    Content-Length) is read and discarded in 1 MB chunks instead of being allocated at
    once; pygls then gets an unparsable body, reports it, and goes on with the next
    message."""

    def __init__(self, raw: Any, limit: int = MAX_MESSAGE) -> None:
        self.raw = raw
        self.limit = limit
        self.discarded = 0

    def readline(self) -> bytes:
        return bytes(self.raw.readline(MAX_HEADER_LINE))

    def read(self, n: int) -> bytes:
        if n <= self.limit:
            return bytes(self.raw.read(n))
        remaining = n
        while remaining > 0:
            chunk = self.raw.read(min(remaining, 1 << 20))
            if not chunk:
                return b""  # end of input
            remaining -= len(chunk)
        self.discarded += 1
        log.error("discarded a JSON-RPC message of %d bytes (over the limit of %d)", n, self.limit)
        return b"!message over size limit"


def main(log_level: str = "WARNING", debounce: float | None = None) -> int:
    # Keep the protocol stream clean: pygls writes to a duplicate of the real stdout, and
    # fd 1 / sys.stdout go to stderr (stray prints, child processes). Same for stdin.
    rpc_out = os.fdopen(os.dup(1), "wb")
    rpc_in = os.fdopen(os.dup(0), "rb")
    os.dup2(2, 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.stdout = sys.stderr
    logging.basicConfig(level=getattr(logging, log_level, logging.WARNING), stream=sys.stderr,
                        format="lintkit-lsp %(levelname)s %(name)s: %(message)s")
    server = build_server(debounce)
    server.start_io(BoundedReader(rpc_in), rpc_out)  # type: ignore[arg-type]
    return 0
