"""A small lintkit plugin for the language-server tests (loaded by the server through
``plugins = ["test_lsp_fixture_plugin"]`` in a temporary workspace's lintkit.toml, with
this folder on PYTHONPATH). It does not depend on the real families, so the LSP tests
exercise the server, not the rules.

- ZZ101 (warning): the word "very"; one safe fix deletes it with the following space.
- ZZ102 (info): "utilize"; a safe fix "use" and an unsafe fix "employ".
- GRZ901 (error): "teh", reported in the *grammar* phase (code prefix GR). It waits until
  the file named by ``[zztest] gate`` exists (when set), so tests control when the grammar
  phase returns without sleeping.

The module also holds the shared client helpers of tests/test_lsp*.py and a test of the
plugin itself, so that it cannot silently rot.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lintkit.config import Option, OptionSection
from lintkit.hookspecs import hookimpl
from lintkit.types import Fix, Rule, Severity


@hookimpl
def lintkit_add_options() -> list[OptionSection]:
    return [OptionSection("zztest", (Option("gate", "", "file to wait for in the grammar phase", str),))]


@hookimpl
def lintkit_register_rules() -> list[Rule]:
    return [
        Rule("ZZ101", "very", "zztest", Severity.WARNING, "Avoid 'very'.", "doc", "very good", "good", True),
        Rule("ZZ102", "utilize", "zztest", Severity.INFO, "Prefer 'use'.", "doc", "utilize", "use", True),
        Rule("GRZ901", "teh", "zztest", Severity.ERROR, "Typo 'teh'.", "doc", "teh", "the", True),
    ]


@hookimpl
def lintkit_check(document, ctx):  # type: ignore[no-untyped-def]
    out = []
    text = document.text
    if ctx.enabled("ZZ101"):
        for m in re.finditer(r"\b[Vv]ery\b", text):
            end = m.end() + 1 if text[m.end():m.end() + 1] == " " else m.end()
            out.append(ctx.finding("ZZ101", m.start(), m.end(), "avoid the intensifier 'very'",
                                   fixes=[Fix(m.start(), end, "")]))
    if ctx.enabled("ZZ102"):
        for m in re.finditer(r"\butilize\b", text):
            out.append(ctx.finding("ZZ102", m.start(), m.end(), "prefer 'use' to 'utilize'",
                                   fixes=[Fix(m.start(), m.end(), "use"),
                                          Fix(m.start(), m.end(), "employ", safe=False)]))
    if ctx.enabled("GRZ901"):
        gate = ctx.options("zztest").get("gate")
        if gate:
            deadline = time.monotonic() + 30
            while not os.path.exists(gate) and time.monotonic() < deadline:
                time.sleep(0.02)
        for m in re.finditer(r"\bteh\b", text):
            out.append(ctx.finding("GRZ901", m.start(), m.end(), "possible typo: 'teh'",
                                   fixes=[Fix(m.start(), m.end(), "the")]))
    return out


def test_fixture_plugin_findings(tmp_path: Path) -> None:
    from lintkit.document.model import Source
    from lintkit.engine import Engine, Overrides

    (tmp_path / "lintkit.toml").write_text('plugins = ["test_lsp_fixture_plugin"]\nignore = ["GR1", "GR2"]\n')
    path = str(tmp_path / "a.txt")
    engine = Engine(Overrides(cache=False))
    cfg = engine.config_for(path)
    report = engine.check_source(Source(path, "A very good plan to utilize teh tool.\n", "text"), cfg)
    got = [(f.code, f.line, f.column, f.end_column) for f in report.findings if f.code.startswith(("ZZ", "GRZ"))]
    assert got == [("ZZ101", 1, 3, 7), ("ZZ102", 1, 21, 28), ("GRZ901", 1, 29, 32)]


# Client helpers -------------------------------------------------------------------------

TESTS = Path(__file__).resolve().parent
SERVER_COMMAND = [sys.executable, "-m", "lintkit.lsp"]
SERVER_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(TESTS), os.environ.get("PYTHONPATH"))
                                                          if p)}
HANG_GUARD = 60.0  # seconds before a missing notification fails a test (a hang guard, not a speed limit)


def make_client() -> Any:
    """A pytest-lsp client that records every publishDiagnostics (with its version) in
    ``client.published`` and accepts capability registrations."""
    from lsprotocol import types as t
    from pygls.protocol import default_converter
    from pytest_lsp import LanguageClient
    from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

    client = LanguageClient(converter_factory=default_converter)
    client.published = []  # type: ignore[attr-defined]

    def on_publish(ls: LanguageClient, params: t.PublishDiagnosticsParams) -> None:
        ls.diagnostics[params.uri] = params.diagnostics
        ls.published.append(params)  # type: ignore[attr-defined]

    def on_register(ls: LanguageClient, params: t.RegistrationParams) -> None:
        return None

    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: on_publish,
                                   t.CLIENT_REGISTER_CAPABILITY: on_register})
    return client


async def wait_publish(client: Any, uri: str, pred: Callable[[Any], bool] = lambda p: True,
                       start: int = 0, guard: float = HANG_GUARD) -> Any:
    """The first publishDiagnostics for ``uri`` at index >= ``start`` that satisfies ``pred``."""

    async def scan() -> Any:
        i = start
        while True:
            while i < len(client.published):
                p = client.published[i]
                i += 1
                if p.uri == uri and pred(p):
                    return p
            await asyncio.sleep(0.01)

    return await asyncio.wait_for(scan(), guard)


def utf16_offset(text: str, line: int, character: int) -> int:
    """Code-point offset of a 0-based LSP position counted in UTF-16 units."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    i = starts[line]
    units = 0
    while units < character:
        units += 2 if ord(text[i]) > 0xFFFF else 1
        i += 1
    return i


def apply_edits(text: str, edits: list[Any]) -> str:
    """Apply LSP TextEdits (UTF-16 positions), last first."""
    spans = []
    for e in edits:
        a = utf16_offset(text, e.range.start.line, e.range.start.character)
        b = utf16_offset(text, e.range.end.line, e.range.end.character)
        spans.append((a, b, e.new_text))
    for a, b, new in sorted(spans, reverse=True):
        text = text[:a] + new + text[b:]
    return text


def spans(diags: list[Any]) -> list[tuple[Any, ...]]:
    """(code, start line, start char, end line, end char, severity) of each diagnostic."""
    return [(d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character,
             int(d.severity)) for d in diags]


def write_workspace(root: Path, config: str) -> None:
    (root / "lintkit.toml").write_text('plugins = ["test_lsp_fixture_plugin"]\n' + config, encoding="utf-8")
