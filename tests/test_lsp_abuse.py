"""The language server under abuse (issue 9, item 7), with pytest-lsp as the client:
malformed JSON-RPC, unknown methods, a storm of 1,000 edits, a 10 MB document, a
document over max-file-size. The server must keep answering and its memory must stay
bounded. Memory is the server's RSS (psutil, via the ``lintkit/status`` request); the
figures are printed (run with ``-s``). Nothing here asserts wall-clock time.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as t
from pygls.exceptions import JsonRpcMethodNotFound
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from test_lsp_fixture_plugin import (
    HANG_GUARD,
    SERVER_COMMAND,
    SERVER_ENV,
    make_client,
    spans,
    wait_publish,
    write_workspace,
)

MB = 1024 * 1024
WRN = int(t.DiagnosticSeverity.Warning)
BIG_GUARD = 600.0  # building the document model of 10 MB takes tens of seconds; a hang guard only


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    write_workspace(tmp_path, 'select = ["ZZ"]\n')
    return tmp_path


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND, server_env=SERVER_ENV,
                                              client_factory=make_client))
async def client(lsp_client: LanguageClient, workspace: Path):
    await lsp_client.initialize_session(t.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=workspace.as_uri()))
    yield
    await lsp_client.shutdown_session()


async def _status(client: LanguageClient) -> object:
    return await asyncio.wait_for(client.protocol.send_request_async("lintkit/status", {}), HANG_GUARD)


def _raw(client: LanguageClient, body: bytes, header: bytes | None = None) -> None:
    head = header if header is not None else b"Content-Length: %d\r\n\r\n" % len(body)
    client.protocol.writer.write(head + body)  # type: ignore[union-attr]


def _open(client: LanguageClient, uri: str, text: str, language: str = "markdown") -> None:
    client.text_document_did_open(t.DidOpenTextDocumentParams(
        text_document=t.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))


async def test_malformed_json_rpc_and_unknown_methods(client: LanguageClient, workspace: Path) -> None:
    _raw(client, b"{this is not json")
    _raw(client, b"[1, 2, 3]")  # valid JSON, not a JSON-RPC message
    _raw(client, b'{"jsonrpc": "2.0", "method": 42}')
    _raw(client, b'{"jsonrpc": "2.0"}')
    _raw(client, b"", header=b"garbage without a header\r\n\r\n")
    _raw(client, "{\"jsonrpc\": \"2.0\", \"method\": \"textDocument/didOpen\", \"params\": {\"nope\": \"ü\"}}".encode())
    _raw(client, b'{"jsonrpc": "2.0", "method": "textDocument/didChange", '
                 b'"params": {"textDocument": {"uri": "file:///never/opened.md", "version": 2}, '
                 b'"contentChanges": [{"text": "x"}]}}')
    client.protocol.notify("lintkit/noSuchNotification", {"x": 1})
    client.protocol.notify("$/noSuchNotification", None)
    with pytest.raises(JsonRpcMethodNotFound):
        await asyncio.wait_for(client.protocol.send_request_async("lintkit/noSuchMethod", {"x": 1}), HANG_GUARD)
    # still answering, and still checking
    status = await _status(client)
    assert status.documents >= 0
    uri = (workspace / "a.md").as_uri()
    _open(client, uri, "A very short note.\n")
    p = await wait_publish(client, uri)
    assert spans(p.diagnostics) == [("ZZ101", 0, 2, 0, 6, WRN)]
    # the bad input was reported to the client, not swallowed
    assert any(m.message.startswith("Error in server") for m in client.messages), client.messages


def test_oversized_message_is_discarded_with_bounded_memory() -> None:
    import io

    from lintkit.lsp.server import BoundedReader

    body = b'{"jsonrpc": "2.0", "method": "exit"}'
    data = b"Content-Length: 3000000\r\n\r\n" + b"x" * 3_000_000 + b"Content-Length: %d\r\n\r\n" % len(body) + body
    r = BoundedReader(io.BufferedReader(io.BytesIO(data)), limit=1_000_000)
    assert r.readline() == b"Content-Length: 3000000\r\n"
    assert r.readline() == b"\r\n"
    assert r.read(3_000_000) == b"!message over size limit"  # discarded in 1 MB chunks
    assert (r.readline(), r.readline(), r.read(len(body))) == (b"Content-Length: 36\r\n", b"\r\n", body)
    assert r.discarded == 1
    long_line = BoundedReader(io.BufferedReader(io.BytesIO(b"y" * 200_000 + b"\r\n")))
    assert len(long_line.readline()) == 64 * 1024


async def test_did_change_storm_of_1000_edits(client: LanguageClient, workspace: Path) -> None:
    uri = (workspace / "storm.md").as_uri()
    _open(client, uri, "Start.\n")
    await wait_publish(client, uri)
    before = await _status(client)
    typed = ("a very " * 200)[:1000]  # typed one character per didChange
    for i, ch in enumerate(typed):
        pos = t.Position(1, i)
        client.text_document_did_change(t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=i + 2),
            content_changes=[t.TextDocumentContentChangePartial(range=t.Range(pos, pos), text=ch)]))
    final = await wait_publish(client, uri, lambda p: p.version == 1001)
    after = await _status(client)
    expected = [("ZZ101", 1, 2 + 7 * k, 1, 6 + 7 * k, WRN) for k in range(1000 // 7 + (1000 % 7 > 5))]
    assert spans(final.diagnostics) == expected
    publishes = [p for p in client.published if p.uri == uri]
    fast_checks = after.checks.fast - before.checks.fast
    print(f"\nstorm: 1000 edits -> {fast_checks} fast checks, {len(publishes) - 1} publishes; "
          f"RSS {before.rss / MB:.1f} -> {after.rss / MB:.1f} MB")
    # debounced: the burst does not become 1,000 checks; every publish names a real version
    assert fast_checks < 100
    assert all(1 <= p.version <= 1001 for p in publishes)
    assert after.rss - before.rss < 50 * MB


@pytest.mark.slow
async def test_10_mb_document(client: LanguageClient, workspace: Path) -> None:
    para = "This is a very plain sentence in a long document, repeated to fill ten megabytes.\n\n"
    text = para * (10 * MB // len(para) + 1)
    uri = (workspace / "big.txt").as_uri()  # plain text: the Markdown model is ~2x slower to build
    before = await _status(client)
    _open(client, uri, text, "plaintext")
    during = await _status(client)  # answered while the check is running
    p = await wait_publish(client, uri, guard=BIG_GUARD)
    after_check = await _status(client)
    n_lines = text.count("\n")
    # capped at maxDiagnostics (1000): the first 1000 findings, in order
    assert len(p.diagnostics) == 1000
    assert spans(p.diagnostics[:2]) == [("ZZ101", 0, 10, 0, 14, WRN), ("ZZ101", 2, 10, 2, 14, WRN)]
    assert any("findings, showing the first 1000" in m.message for m in client.log_messages)
    # an edit at the very end is applied and checked
    end = t.Position(n_lines, 0)
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[t.TextDocumentContentChangePartial(range=t.Range(end, end), text="Done.\n")]))
    p2 = await wait_publish(client, uri, lambda p: p.version == 2, guard=BIG_GUARD)
    assert len(p2.diagnostics) == 1000
    client.text_document_did_close(t.DidCloseTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=uri)))
    await wait_publish(client, uri, lambda p: not p.diagnostics)
    after_close = await _status(client)
    print(f"\n10 MB: {len(text) / MB:.1f} MB, RSS before {before.rss / MB:.1f} MB, during {during.rss / MB:.1f}, "
          f"after check {after_check.rss / MB:.1f}, after edit+close {after_close.rss / MB:.1f}")
    assert after_close.documents == 0
    assert after_check.rss - before.rss < 600 * MB  # measured: ~160 MB for the check of 10 MB
    assert after_close.rss - before.rss < 150 * MB  # measured: ~35 MB; the document's memory is released


async def test_document_over_max_file_size_is_reported_not_checked(client: LanguageClient,
                                                                   workspace: Path) -> None:
    write_workspace(workspace, 'select = ["ZZ"]\nmax-file-size = 1000\n')
    uri = (workspace / "over.md").as_uri()
    _open(client, uri, "A very long line. " * 100)
    p = await wait_publish(client, uri)
    assert spans(p.diagnostics) == []
    assert [m.message for m in client.messages] == [
        f"lintkit: {workspace / 'over.md'}: document is over the max-file-size limit of 1,000 bytes; "
        "not checked (raise max-file-size in the lintkit config)"]
