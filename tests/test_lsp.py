"""End-to-end tests of ``lintkit lsp`` with pytest-lsp as the real client (stdio).

Most tests use the small plugin in tests/test_lsp_fixture_plugin.py (rules ZZ101 "very",
ZZ102 "utilize", grammar-phase GRZ901 "teh") loaded through a temporary workspace's
lintkit.toml, so they test the server and not the rule families. The seed-essay tests at
the end expect the consistency family (CN) and fail until it reports "Tecent".
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from test_lsp_fixture_plugin import (
    HANG_GUARD,
    SERVER_COMMAND,
    SERVER_ENV,
    apply_edits,
    make_client,
    spans,
    wait_publish,
    write_workspace,
)

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_ea6b9445212ab19d.txt"
WRN, INF, ERR = (int(t.DiagnosticSeverity.Warning), int(t.DiagnosticSeverity.Information),
                 int(t.DiagnosticSeverity.Error))


@pytest.fixture
def workspace(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    marker = request.node.get_closest_marker("lintkit_config")
    config = marker.args[0] if marker else 'select = ["ZZ"]\n'
    write_workspace(tmp_path, config)
    return tmp_path


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND, server_env=SERVER_ENV,
                                              client_factory=make_client))
async def client(lsp_client: LanguageClient, workspace: Path, request: pytest.FixtureRequest):
    caps = client_capabilities("visual-studio-code")
    enc = request.node.get_closest_marker("encodings")
    if enc:
        caps.general = t.GeneralClientCapabilities(position_encodings=list(enc.args))
    init = request.node.get_closest_marker("init_options")
    await lsp_client.initialize_session(t.InitializeParams(
        capabilities=caps, root_uri=workspace.as_uri(),
        workspace_folders=[t.WorkspaceFolder(uri=workspace.as_uri(), name="ws")],
        initialization_options=init.args[0] if init else None))
    yield
    await lsp_client.shutdown_session()


def _open(client: LanguageClient, path: Path, text: str, language: str = "markdown", version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(t.DidOpenTextDocumentParams(
        text_document=t.TextDocumentItem(uri=uri, language_id=language, version=version, text=text)))
    return uri


def _change(client: LanguageClient, uri: str, version: int, edits: list[t.TextEdit]) -> None:
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[t.TextDocumentContentChangePartial(range=e.range, text=e.new_text) for e in edits]))


async def _actions(client: LanguageClient, uri: str, d: t.Diagnostic) -> list[t.CodeAction]:
    res = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=t.TextDocumentIdentifier(uri=uri), range=d.range,
        context=t.CodeActionContext(diagnostics=[d], only=[t.CodeActionKind.QuickFix])))
    return [a for a in res or [] if isinstance(a, t.CodeAction)]


TEXT = "😀 A very good plan.\nWe utilize the tools.\n"


async def test_open_publishes_diagnostics_at_utf16_positions(client: LanguageClient, workspace: Path) -> None:
    uri = _open(client, workspace / "a.md", TEXT)
    p = await wait_publish(client, uri)
    assert p.version == 1
    # "😀" is two UTF-16 code units: "very" starts at code point 4 but UTF-16 character 5.
    assert spans(p.diagnostics) == [("ZZ101", 0, 5, 0, 9, WRN), ("ZZ102", 1, 3, 1, 10, INF)]
    d = p.diagnostics[0]
    assert (d.source, d.message) == ("lintkit", "avoid the intensifier 'very'")
    assert d.data == {"version": 1, "rule": "very",
                      "fixes": [{"range": [0, 5, 0, 10], "newText": "", "safe": True,
                                 "title": "ZZ101: delete “very ”"}]}


@pytest.mark.encodings("utf-32")
async def test_utf32_encoding_counts_code_points(client: LanguageClient, workspace: Path) -> None:
    uri = _open(client, workspace / "a.md", TEXT)
    p = await wait_publish(client, uri)
    assert spans(p.diagnostics)[0] == ("ZZ101", 0, 4, 0, 8, WRN)


@pytest.mark.encodings("utf-8")
async def test_utf8_encoding_counts_bytes(client: LanguageClient, workspace: Path) -> None:
    uri = _open(client, workspace / "a.md", TEXT)
    p = await wait_publish(client, uri)
    assert spans(p.diagnostics)[0] == ("ZZ101", 0, 7, 0, 11, WRN)  # 😀 is 4 bytes


async def test_quick_fix_then_change_updates_diagnostics(client: LanguageClient, workspace: Path) -> None:
    text = TEXT
    uri = _open(client, workspace / "a.md", text)
    p = await wait_publish(client, uri)
    very, utilize = p.diagnostics
    acts = await _actions(client, uri, very)
    assert [(a.title, a.is_preferred) for a in acts] == [("ZZ101: delete “very ”", True),
                                                         ("ZZ101: disable this rule on this line", None)]
    edits = acts[0].edit.changes[uri]
    text = apply_edits(text, edits)
    assert text == "😀 A good plan.\nWe utilize the tools.\n"
    n = len(client.published)
    _change(client, uri, 2, edits)
    p = await wait_publish(client, uri, lambda p: p.version == 2, start=n)
    assert spans(p.diagnostics) == [("ZZ102", 1, 3, 1, 10, INF)]

    acts = await _actions(client, uri, p.diagnostics[0])
    assert [(a.title, a.is_preferred) for a in acts] == [("ZZ102: replace “utilize” with “use”", True),
                                                         ("ZZ102: replace “utilize” with “employ”", False),
                                                         ("ZZ102: disable this rule on this line", None)]
    # type new text: an edit elsewhere moves the finding, and a new "very" appears
    n = len(client.published)
    edit = t.TextEdit(t.Range(t.Position(1, 0), t.Position(1, 0)), "Very often ")
    text = apply_edits(text, [edit])
    _change(client, uri, 3, [edit])
    p = await wait_publish(client, uri, lambda p: p.version == 3, start=n)
    assert spans(p.diagnostics) == [("ZZ101", 1, 0, 1, 4, WRN), ("ZZ102", 1, 14, 1, 21, INF)]


async def test_disable_rule_on_this_line(client: LanguageClient, workspace: Path) -> None:
    text = "# Title\n\n  - We utilize a very big tool.\n"
    uri = _open(client, workspace / "a.md", text)
    p = await wait_publish(client, uri)
    assert spans(p.diagnostics) == [("ZZ102", 2, 7, 2, 14, INF), ("ZZ101", 2, 17, 2, 21, WRN)]
    acts = await _actions(client, uri, p.diagnostics[0])
    disable = [a for a in acts if a.title == "ZZ102: disable this rule on this line"]
    assert len(disable) == 1
    text = apply_edits(text, disable[0].edit.changes[uri])
    assert text == "# Title\n\n  <!-- lintkit-disable-next-line ZZ102 -->\n  - We utilize a very big tool.\n"
    n = len(client.published)
    _change(client, uri, 2, disable[0].edit.changes[uri])
    p = await wait_publish(client, uri, lambda p: p.version == 2, start=n)
    assert spans(p.diagnostics) == [("ZZ101", 3, 17, 3, 21, WRN)]
    # a second rule on the same line joins the existing comment
    acts = await _actions(client, uri, p.diagnostics[0])
    disable = [a for a in acts if a.title == "ZZ101: disable this rule on this line"]
    text = apply_edits(text, disable[0].edit.changes[uri])
    assert text == "# Title\n\n  <!-- lintkit-disable-next-line ZZ102 ZZ101 -->\n  - We utilize a very big tool.\n"
    n = len(client.published)
    _change(client, uri, 3, disable[0].edit.changes[uri])
    p = await wait_publish(client, uri, lambda p: p.version == 3, start=n)
    assert spans(p.diagnostics) == []


async def test_disable_in_plain_text_keeps_crlf(client: LanguageClient, workspace: Path) -> None:
    text = "First line.\r\nA very long day.\r\n"
    uri = _open(client, workspace / "a.txt", text, language="plaintext")
    p = await wait_publish(client, uri)
    assert spans(p.diagnostics) == [("ZZ101", 1, 2, 1, 6, WRN)]
    acts = await _actions(client, uri, p.diagnostics[0])
    text = apply_edits(text, acts[1].edit.changes[uri])
    assert text == "First line.\r\n<!-- lintkit-disable-next-line ZZ101 -->\r\nA very long day.\r\n"
    n = len(client.published)
    _change(client, uri, 2, acts[1].edit.changes[uri])
    p = await wait_publish(client, uri, lambda p: p.version == 2, start=n)
    assert spans(p.diagnostics) == []


async def test_fix_all_safe_fixes(client: LanguageClient, workspace: Path) -> None:
    text = "A very nice, very fast way to utilize it.\n"
    uri = _open(client, workspace / "a.md", text)
    await wait_publish(client, uri)
    res = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=t.TextDocumentIdentifier(uri=uri), range=t.Range(t.Position(0, 0), t.Position(0, 0)),
        context=t.CodeActionContext(diagnostics=[], only=[t.CodeActionKind.SourceFixAll])))
    assert [a.title for a in res] == ["lintkit: apply all safe fixes"]
    assert apply_edits(text, res[0].edit.changes[uri]) == "A nice, fast way to use it.\n"


async def test_save_rereads_workspace_config(client: LanguageClient, workspace: Path) -> None:
    uri = _open(client, workspace / "a.md", TEXT)
    p = await wait_publish(client, uri)
    assert [d.code for d in p.diagnostics] == ["ZZ101", "ZZ102"]
    # saving the document checks it again (same version)
    n = len(client.published)
    client.text_document_did_save(t.DidSaveTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=uri)))
    p = await wait_publish(client, uri, start=n)
    assert (p.version, [d.code for d in p.diagnostics]) == (1, ["ZZ101", "ZZ102"])
    # saving the workspace config reloads it and re-checks open documents
    write_workspace(workspace, 'select = ["ZZ"]\nignore = ["ZZ101"]\n')
    n = len(client.published)
    cfg_uri = (workspace / "lintkit.toml").as_uri()
    client.text_document_did_save(t.DidSaveTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=cfg_uri)))
    p = await wait_publish(client, uri, start=n)
    assert [d.code for d in p.diagnostics] == ["ZZ102"]


@pytest.mark.init_options({"lintkit": {"ignore": ["ZZ102"], "ruleDocsUrl": "https://example.org/rules#{code}"}})
async def test_editor_settings_from_init_options_and_configuration(client: LanguageClient,
                                                                   workspace: Path) -> None:
    uri = _open(client, workspace / "a.md", TEXT)
    p = await wait_publish(client, uri)
    assert [d.code for d in p.diagnostics] == ["ZZ101"]
    assert p.diagnostics[0].code_description.href == "https://example.org/rules#ZZ101"
    # pulled configuration (workspace/configuration) replaces the initialization options' ignore
    client.set_configuration({"ignore": ["ZZ101"]}, section="lintkit")
    n = len(client.published)
    client.workspace_did_change_configuration(t.DidChangeConfigurationParams(settings=None))
    p = await wait_publish(client, uri, start=n)
    assert [d.code for d in p.diagnostics] == ["ZZ102"]
    # a bad value is reported, not applied
    client.set_configuration({"ignore": 5}, section="lintkit")
    n = len(client.messages)
    client.workspace_did_change_configuration(t.DidChangeConfigurationParams(settings=None))

    async def message() -> None:
        while len(client.messages) == n:
            await asyncio.sleep(0.01)

    await asyncio.wait_for(message(), HANG_GUARD)
    assert [m.message for m in client.messages[n:]] == [
        "lintkit: setting 'ignore' must be a list of rule codes or prefixes, got 5"]


async def test_untitled_buffer_uses_language_id(client: LanguageClient, workspace: Path) -> None:
    uri = "untitled:Untitled-1"
    client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(
        uri=uri, language_id="markdown", version=1, text="`very` is code; very is not.\n")))
    p = await wait_publish(client, uri)
    # checked with the workspace config although it is not a file (the fixture plugin scans
    # the raw text, so the "very" in inline code counts too)
    assert spans(p.diagnostics) == [("ZZ101", 0, 1, 0, 5, WRN), ("ZZ101", 0, 16, 0, 20, WRN)]


async def test_close_clears_diagnostics(client: LanguageClient, workspace: Path) -> None:
    uri = _open(client, workspace / "a.md", TEXT)
    await wait_publish(client, uri)
    n = len(client.published)
    client.text_document_did_close(t.DidCloseTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=uri)))
    p = await wait_publish(client, uri, start=n)
    assert spans(p.diagnostics) == []


async def test_grammar_phase_after_fast_phase_and_stale_results_dropped(client: LanguageClient,
                                                                        workspace: Path) -> None:
    gate = workspace / "gate"
    # GRZ901 makes ctx.enabled("GR") true, so the real grammar family runs in this phase too;
    # auto-start = false keeps it from starting LanguageTool (its findings are not selected)
    write_workspace(workspace, f'select = ["ZZ", "GRZ"]\n[zztest]\ngate = "{gate}"\n[grammar]\nauto-start = false\n')
    cfg_uri = (workspace / "lintkit.toml").as_uri()
    client.text_document_did_save(t.DidSaveTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=cfg_uri)))
    text = "A very teh thing.\n"
    uri = _open(client, workspace / "a.md", text)
    # fast phase: no grammar finding yet (the grammar phase waits for the gate)
    p1 = await wait_publish(client, uri)
    assert (p1.version, spans(p1.diagnostics)) == (1, [("ZZ101", 0, 2, 0, 6, WRN)])
    # edit while the grammar phase of version 1 is still running
    edit = t.TextEdit(t.Range(t.Position(0, 0), t.Position(0, 0)), "Teh end. ")
    _change(client, uri, 2, [edit])
    p2 = await wait_publish(client, uri, lambda p: p.version == 2)
    assert spans(p2.diagnostics) == [("ZZ101", 0, 11, 0, 15, WRN)]
    gate.write_text("go")
    p3 = await wait_publish(client, uri, lambda p: p.version == 2 and any(d.code == "GRZ901" for d in p.diagnostics))
    assert spans(p3.diagnostics) == [("ZZ101", 0, 11, 0, 15, WRN), ("GRZ901", 0, 16, 0, 19, ERR)]
    status = await client.protocol.send_request_async("lintkit/status", {})
    # the version-1 grammar result was computed but never published
    assert [(p.version, [d.code for d in p.diagnostics]) for p in client.published if p.uri == uri] == [
        (1, ["ZZ101"]), (2, ["ZZ101"]), (2, ["ZZ101", "GRZ901"])]
    assert status.checks.grammar == 2


# Seed essay: needs the consistency family (CN), written in parallel --------------------------


def _seed_workspace(workspace: Path) -> Path:
    target = workspace / "essay.txt"
    target.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    return target


@pytest.mark.lintkit_config('ignore = ["GR"]\n')
async def test_seed_essay_cn_diagnostic_and_fix(client: LanguageClient, workspace: Path) -> None:
    path = _seed_workspace(workspace)
    text = path.read_text(encoding="utf-8")
    uri = _open(client, path, text, language="plaintext")
    p = await wait_publish(client, uri)
    cn = [d for d in p.diagnostics if str(d.code).startswith("CN")]
    at = [d for d in cn if (d.range.start.line, d.range.start.character) == (15, 461)]
    assert len(at) == 1, [(d.code, d.range.start) for d in cn]
    acts = await _actions(client, uri, at[0])
    fixed = apply_edits(text, acts[0].edit.changes[uri])
    assert "has nothing to do with Tencent’s other business." in fixed
    n = len(client.published)
    _change(client, uri, 2, acts[0].edit.changes[uri])
    p = await wait_publish(client, uri, lambda p: p.version == 2, start=n)
    assert not [d for d in p.diagnostics if (d.range.start.line, d.range.start.character) == (15, 461)
                and str(d.code).startswith("CN")]


@pytest.mark.lintkit_config('ignore = ["GR"]\n')
async def test_seed_essay_emoji_before_finding_does_not_shift_it(client: LanguageClient, workspace: Path) -> None:
    path = _seed_workspace(workspace)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[15] = "🙂🙂 " + lines[15]
    uri = _open(client, path, "\n".join(lines), language="plaintext")
    p = await wait_publish(client, uri)
    starts = {(d.range.start.line, d.range.start.character) for d in p.diagnostics if str(d.code).startswith("CN")}
    assert (15, 461 + 5) in starts  # two emoji = 4 UTF-16 units, plus a space


# Without a client --------------------------------------------------------------------------


def test_plugin_module_does_not_import_pygls() -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", "import sys, lintkit.lsp.plugin as p; "
                          "print(sorted(p.lintkit_commands()), 'pygls' in sys.modules)"],
                         capture_output=True, text=True, check=True)
    assert out.stdout == "['lsp'] False\n"


@pytest.mark.parametrize(("encoding", "expected"), [
    ("utf-16", [(0, 0), (0, 3), (0, 5), (1, 0), (2, 0), (2, 3)]),
    ("utf-8", [(0, 0), (0, 5), (0, 9), (1, 0), (2, 0), (2, 6)]),
    ("utf-32", [(0, 0), (0, 2), (0, 4), (1, 0), (2, 0), (2, 2)]),
])
def test_position_map_encodings_and_line_breaks(encoding: str, expected: list[tuple[int, int]]) -> None:
    from lintkit.lsp.positions import PositionMap

    # U+2028 is not an LSP line break; CR LF and a lone CR are
    text = "😀a\u2028b\r\nx\r😀é"
    pm = PositionMap(text, encoding)
    assert [pm.position(o) for o in (0, 2, 4, 6, 8, 10)] == expected
