"""Fixes from the CLI: --fix, --unsafe-fixes, --diff; safe writes (encoding, newlines,
mode, symlinks, concurrent edits, SIGKILL mid-run); idempotence."""

from __future__ import annotations

import codecs
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lintkit.cli import main
from lintkit.engine import Engine, Overrides
from lintkit.fixes import MAX_PASSES, apply_fixes, fix_file, select_fixes, unified_diff
from lintkit.types import Finding, Fix, Severity

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "formats"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.syspath_prepend(str(FIXTURES))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lintkit.toml").write_text(
        'plugins = ["lintkit_fixture_plugin"]\nselect = ["ZZ101", "ZZ102", "ZZ105"]\n', encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--no-cache", "-j", "1", *args])
    out, err = capsys.readouterr()
    return code, out, err


# Pure functions -------------------------------------------------------------------------


def test_apply_fixes_skips_overlaps_and_boundary_insertions() -> None:
    text = "abcdefghij"
    fixes = [Fix(2, 5, "X"), Fix(3, 4, "Y"), Fix(5, 5, "+"), Fix(7, 8, "h"), Fix(8, 10, "Z"), Fix(0, 1, "A")]
    new, applied = apply_fixes(text, fixes)
    # (3,4) overlaps (2,5); the insertion at 5 touches (2,5): next pass; (7,8) is a no-op
    assert new == "AbXfghZ"
    assert applied == [Fix(0, 1, "A"), Fix(2, 5, "X"), Fix(8, 10, "Z")]


def test_apply_fixes_uses_the_file_newline_and_ignores_bad_spans() -> None:
    new, applied = apply_fixes("a b\r\nc", [Fix(1, 2, "\n"), Fix(9, 12, "x")], newline="\r\n")
    assert new == "a\r\nb\r\nc" and len(applied) == 1


def test_select_fixes_takes_the_first_allowed_alternative() -> None:
    def finding(*fixes: Fix) -> Finding:
        return Finding("ZZ1", "r", Severity.WARNING, "m", 0, 3, fixes)

    fs = [finding(Fix(0, 3, "u", safe=False), Fix(0, 3, "s")), finding(Fix(4, 5, "u2", safe=False)),
          finding(Fix(0, 3, "s"))]
    assert select_fixes(fs) == [Fix(0, 3, "s")]  # the duplicate is applied once
    # with unsafe fixes the third finding's fix is a different edit of the same span;
    # apply_fixes then keeps only the first of the two
    assert select_fixes(fs, unsafe=True) == [Fix(0, 3, "u", safe=False), Fix(4, 5, "u2", safe=False), Fix(0, 3, "s")]
    assert apply_fixes("abcdef", select_fixes(fs, unsafe=True))[0] == "udu2f"


# CLI ------------------------------------------------------------------------------------

DRAFT = "Tecent Inc is big.\nWe utilize it.\nTecent again.\n"


def test_diff_shows_fixes_and_writes_nothing(project: Path, capsys) -> None:
    (project / "d.md").write_text(DRAFT, encoding="utf-8")
    before = (project / "d.md").stat().st_mtime_ns
    code, out, err = run(capsys, "d.md", "--diff")
    assert code == 1
    assert out == (
        "--- a/d.md\n+++ b/d.md\n@@ -1,3 +1,3 @@\n"
        "-Tecent Inc is big.\n+Tencent Ltd is big.\n We utilize it.\n-Tecent again.\n+Tencent again.\n")
    assert "3 fixes would change 1 file." in err
    assert (project / "d.md").read_text(encoding="utf-8") == DRAFT
    assert (project / "d.md").stat().st_mtime_ns == before
    code, out, _ = run(capsys, "d.md", "--diff", "--unsafe-fixes")
    assert out.endswith("-Tecent Inc is big.\n-We utilize it.\n-Tecent again.\n"
                        "+Tencent Ltd is big.\n+We use it.\n+Tencent again.\n")
    (project / "clean.md").write_text("Fine.", encoding="utf-8")
    assert run(capsys, "clean.md", "--diff")[:2] == (0, "")


def test_diff_marks_a_missing_final_newline(project: Path, capsys) -> None:
    (project / "n.md").write_text("Tecent", encoding="utf-8")
    _, out, _ = run(capsys, "n.md", "--diff")
    assert out.endswith("-Tecent\n\\ No newline at end of file\n+Tencent\n\\ No newline at end of file\n")


def test_fix_safe_then_unsafe_then_nothing(project: Path, capsys) -> None:
    path = project / "d.md"
    path.write_text(DRAFT, encoding="utf-8")
    code, out, err = run(capsys, "d.md", "--fix")
    # overlapping ZZ101/ZZ105 on "Tecent Inc": pass 1 fixes Tecent, pass 2 Inc -> Ltd
    assert path.read_text(encoding="utf-8") == "Tencent Ltd is big.\nWe utilize it.\nTencent again.\n"
    assert "Fixed 3 findings in 1 file." in err
    assert out == "d.md:2:4: ZZ102 utilize: use 'use'\n"  # the unsafe one remains, reported at its new place
    assert code == 0  # ZZ102 is info, below the default fail-on=warning
    code, out, err = run(capsys, "d.md", "--unsafe-fixes")
    assert path.read_text(encoding="utf-8") == "Tencent Ltd is big.\nWe use it.\nTencent again.\n"
    assert (code, out) == (0, "") and "Fixed 1 finding in 1 file." in err
    stamp = path.stat().st_mtime_ns
    code, out, err = run(capsys, "d.md", "--fix", "--unsafe-fixes")
    assert (code, out) == (0, "") and "Fixed 0 findings in 0 files." in err
    assert path.stat().st_mtime_ns == stamp  # the second run did not even rewrite it


def test_fixes_that_never_settle_are_bounded(project: Path, capsys) -> None:
    (project / "lintkit.toml").write_text('plugins = ["lintkit_fixture_plugin"]\nselect = ["ZZ106"]\n',
                                          encoding="utf-8")
    (project / "p.md").write_text("ping\n", encoding="utf-8")
    code, out, err = run(capsys, "p.md", "--fix")
    assert f"lintkit: warning: p.md: fixes did not settle after {MAX_PASSES} passes" in err
    # an even number of flips brings it back to "ping": nothing written
    assert (project / "p.md").read_text(encoding="utf-8") == "ping\n"
    assert out == "p.md:1:1: ZZ106 ping becomes pong\n"


@pytest.mark.parametrize("name,data", [
    ("bom.md", codecs.BOM_UTF8 + "Tecent é.\r\nTecent.\r\n".encode()),
    ("le.md", codecs.BOM_UTF16_LE + "Tecent é.\nTecent 😀.\n".encode("utf-16-le")),
    ("be.txt", codecs.BOM_UTF16_BE + "Tecent é.\rTecent.\r".encode("utf-16-be")),
    ("u32.md", codecs.BOM_UTF32_LE + "x Tecent\n".encode("utf-32-le")),
    ("plain.txt", "Tecent\u2028Tecent\n".encode()),
])
def test_fix_keeps_encoding_bom_and_newlines(project: Path, capsys, name: str, data: bytes) -> None:
    path = project / name
    path.write_bytes(data)
    run(capsys, name, "--fix")
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF8, "utf-8"),
                     (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            expected = bom + data[len(bom):].decode(enc).replace("Tecent", "Tencent").encode(enc)
            break
    else:
        expected = data.decode("utf-8").replace("Tecent", "Tencent").encode("utf-8")
    assert path.read_bytes() == expected


def test_fix_keeps_mode_and_symlink(project: Path, capsys) -> None:
    (project / "real").mkdir()
    target = project / "real" / "t.md"
    target.write_text("Tecent.\n", encoding="utf-8")
    os.chmod(target, 0o600)
    link = project / "link.md"
    os.symlink("real/t.md", link)
    code, _, err = run(capsys, "link.md", "--fix")
    assert link.is_symlink() and os.readlink(link) == "real/t.md"
    assert target.read_text(encoding="utf-8") == "Tencent.\n"
    assert target.stat().st_mode & 0o777 == 0o600
    assert not list(project.rglob("*.lintkit-tmp"))


def test_fix_refuses_when_the_file_changed_meanwhile(project: Path, capsys, monkeypatch) -> None:
    path = project / "c.md"
    path.write_text("Tecent.\n", encoding="utf-8")
    engine = Engine(Overrides(cache=False))
    real = engine.check_source

    def check_and_edit(*a, **kw):  # another program saves the file while lintkit checks it
        rep = real(*a, **kw)
        path.write_text("Tecent, edited by someone else.\n", encoding="utf-8")
        return rep

    monkeypatch.setattr(engine, "check_source", check_and_edit)
    out = fix_file(engine, "c.md")
    assert out.error == "file changed since it was read; fixes not written (run again)"
    assert not out.written and out.applied == 0
    assert path.read_text(encoding="utf-8") == "Tecent, edited by someone else.\n"
    # the findings reported are those of the text that was read, not of an unwritten fix
    assert [(f.code, f.line, f.column) for f in out.report.findings] == [("ZZ101", 1, 1)]


def test_fix_write_failure_exit_code_and_message(project: Path, capsys, monkeypatch) -> None:
    (project / "c.md").write_text("Tecent.\n", encoding="utf-8")
    import lintkit.fsutil

    def full_disk(*a, **kw):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(lintkit.fsutil, "atomic_write", full_disk)
    code, out, err = run(capsys, "c.md", "--fix")
    assert code == 2
    assert "lintkit: error: c.md: cannot write: no space left on device; file left unchanged" in err
    assert "Fixed 0 findings in 0 files." in err
    assert out == "c.md:1:1: ZZ101 Tecent: did you mean Tencent?\n"  # the original text's finding
    assert (project / "c.md").read_text(encoding="utf-8") == "Tecent.\n"


def test_fix_rejects_stdin(project: Path, capsys, monkeypatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("Tecent"))
    code, _, err = run(capsys, "-", "--fix")
    assert code == 2 and "-: --fix and --diff need files, not standard input" in err


def test_unified_diff_of_unchanged_is_empty(project: Path) -> None:
    (project / "c.md").write_text("Fine.\n", encoding="utf-8")
    assert unified_diff(fix_file(Engine(Overrides(cache=False)), "c.md", write=False)) == ""


# SIGKILL in the middle of a large fix run ---------------------------------------------------


def _big_text(n: int = 15_000) -> str:
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa".split()
    lines = []
    for i in range(n):
        lines.append(" ".join(words[(i * 7 + k) % 10] for k in range(10)) + (" Tecent." if i % 3 == 0 else "."))
        if i % 5 == 4:
            lines.append("")
    return "\n".join(lines) + "\n"


def test_sigkill_mid_fix_leaves_old_or_new_never_partial(tmp_path: Path) -> None:
    (tmp_path / "lintkit.toml").write_text('plugins = ["lintkit_fixture_plugin"]\nselect = ["ZZ101"]\n',
                                           encoding="utf-8")
    old = _big_text().encode("utf-8")
    new = old.replace(b"Tecent", b"Tencent")
    path = tmp_path / "big.txt"
    env = {**os.environ, "PYTHONPATH": str(FIXTURES)}
    cmd = [sys.executable, "-m", "lintkit", "check", "--no-cache", "-j", "1", "-q", "big.txt", "--fix"]

    path.write_bytes(old)
    t0 = time.monotonic()
    proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, timeout=600)
    full = time.monotonic() - t0
    assert path.read_bytes() == new, proc.stderr.decode()

    states: list[str] = []
    caught_writing = 0
    # kills spread over the run, then kills aimed at the write itself (temp file present)
    plans: list[float | None] = [full * k / 5 for k in range(1, 5)] + [None] * 4
    for delay in plans:
        path.write_bytes(old)
        child = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if delay is not None:
            time.sleep(delay)
        else:
            deadline = time.monotonic() + full * 3 + 30
            while time.monotonic() < deadline and child.poll() is None:
                if any(p.name.endswith(".lintkit-tmp") for p in os.scandir(tmp_path)):
                    caught_writing += 1
                    break
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        data = path.read_bytes()
        assert data in (old, new), f"partial file after SIGKILL ({len(data)} bytes)"
        states.append("new" if data == new else "old")
        for p in tmp_path.iterdir():  # a killed run may leave its temp file, never a broken target
            if p.name.endswith(".lintkit-tmp"):
                p.unlink()
    print(f"full run {full:.1f}s; states {states}; killed while writing {caught_writing}x")
    assert "old" in states
    assert caught_writing >= 1, "never managed to kill while the temp file was being written"


# Acceptance against the real consistency family -------------------------------------------


def test_fix_seed_essay_with_the_consistency_family(tmp_path: Path, monkeypatch, capsys) -> None:
    """Acceptance: --fix on a copy of the seed essay fixes Tecent, Wechat, Tiktok,
    Bytedance and the lower-case chinese; a second run finds none of them; nothing else
    in the file moved (checked by a character diff against the reported fixes)."""
    import difflib
    import json
    import re

    from lintkit.plugin import Registry, get_plugin_manager

    if not any(c.startswith("CN") for c in Registry(get_plugin_manager()).rules):
        pytest.fail("the consistency family (CN rules) is not registered")
    seed = ROOT / "seeds" / "000_ea6b9445212ab19d.txt"
    original = seed.read_text(encoding="utf-8")
    copy = tmp_path / "essay.txt"
    copy.write_text(original, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    wrong = {"Tecent": "Tencent", "Wechat": "WeChat", "Tiktok": "TikTok", "Bytedance": "ByteDance",
             "chinese": "Chinese"}
    for w in wrong:
        assert re.search(rf"\b{w}\b", original), w
    args = ("--isolated", "--select", "CN", "essay.txt")
    _, out, _ = run(capsys, *args, "--format", "json")
    reported = json.loads(out)["findings"]
    safe = {(x["start"], x["end"], x["replacement"]) for f in reported for x in f["fixes"][:1] if x["safe"]}
    for w, right in wrong.items():
        spans = {(m.start(), m.end(), right) for m in re.finditer(rf"\b{w}\b", original)}
        assert spans <= safe, f"not every {w!r} has a safe fix to {right!r}"

    code, _, err = run(capsys, *args, "--fix")
    fixed = copy.read_text(encoding="utf-8")
    for w in wrong:
        assert not re.search(rf"\b{w}\b", fixed), f"{w} still in the fixed essay"
    # nothing else moved: the only differences are the reported safe fixes, in place
    changes = [(op, i1, i2, fixed[j1:j2]) for op, i1, i2, j1, j2
               in difflib.SequenceMatcher(None, original, fixed, autojunk=False).get_opcodes() if op != "equal"]
    expected = original
    for start, end, rep in sorted(safe, reverse=True):
        expected = expected[:start] + rep + expected[end:]
    assert fixed == expected, changes
    assert len(original.splitlines()) == len(fixed.splitlines())
    assert changes and all(any(s <= i1 and i2 <= e for s, e, _ in safe) for _, i1, i2, _ in changes)

    # a second run: none of them is found, nothing changes
    code, out, err = run(capsys, *args, "--fix")
    assert copy.read_text(encoding="utf-8") == fixed
    assert "Fixed 0 findings in 0 files." in err
    for w in wrong:
        assert f'"{w}"' not in out
