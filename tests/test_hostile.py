"""The hostile-input corpus: ``lintkit check`` (a subprocess, grammar off, no cache) over
every case in scripts/make_hostile.py. Each file ends with findings or a one-line error
naming the file and the cause; never a traceback or a hang (every run has a timeout);
peak memory of each run is measured (os.wait4) and bounded; exit code 2 only with an
error. A probe plugin reports each paragraph with its kind and word count, so the
expected findings (line:column) show the document model survived the input exactly.

docs/robustness.md lists the measured time and memory of every case.
"""

from __future__ import annotations

import ctypes
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINTKIT = [sys.executable, "-m", "lintkit"]
FIXTURES = ROOT / "fixtures" / "hostile"
TIMEOUT = 180.0  # seconds per run: a hang fails the test, it never blocks CI
LARGE_TIMEOUT = 900.0  # the 5 MB line: about 1 min of CPU for the claims family alone
MAX_RSS_MB = 1500  # a 5 MB single-line file peaks near 600 MB; the 20 MB size limit bounds the rest

_spec = importlib.util.spec_from_file_location("make_hostile", ROOT / "scripts" / "make_hostile.py")
assert _spec and _spec.loader
make_hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_hostile)

PROBE = '''
from lintkit.hookspecs import hookimpl
from lintkit.types import Rule, Severity


@hookimpl
def lintkit_register_rules():
    return [Rule("HX001", "hostile-probe", "hostile", Severity.INFO, "probe", "doc", "bad", "good")]


@hookimpl
def lintkit_check(document, ctx):
    out = []
    for p in document.paragraphs:
        a, b = document.source_span(p.start, p.end)
        words = sum(len(s.words) for s in p.sentences)
        out.append(ctx.finding("HX001", a, b, f"{p.kind}: {len(p.sentences)} sentences, {words} words"))
    return out
'''


@dataclass
class Run:
    rc: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float


def run_lintkit(args: list[str], cwd: Path, env: dict[str, str], timeout: float = TIMEOUT,
                preexec_fn: Callable[[], None] | None = None) -> Run:
    """Run lintkit; return its exit code, output, wall time and its peak RSS: VmHWM of
    the child's own address space, read from /proc every 20 ms (the high-water mark only
    grows, so the last reading is the peak up to the last 20 ms; rusage's ru_maxrss
    would include the RSS of this pytest process, inherited across fork and exec).
    A run past ``timeout`` is killed and fails the test."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        proc = subprocess.Popen([*LINTKIT, *args], cwd=cwd, env=env, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, preexec_fn=preexec_fn)
        hwm_kb = 0
        while True:
            hwm_kb = max(hwm_kb, _vm_hwm_kb(proc.pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - t0 > timeout:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                pytest.fail(f"lintkit {' '.join(args)} did not finish within {timeout:.0f} s (hang)")
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        secs = time.monotonic() - t0
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   secs, (hwm_kb or usage.ru_maxrss) / 1024)


def _vm_hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


@pytest.fixture(scope="module")
def corpus() -> Path:
    """Small committed cases, the large generated ones and the file-system cases, in a
    world-readable temp folder (the unreadable case runs as another user)."""
    root = Path(tempfile.mkdtemp(prefix="lintkit-hostile-"))
    root.chmod(0o755)
    for f in FIXTURES.iterdir():
        shutil.copy(f, root / f.name)
    make_hostile.write_cases(root)  # the large ones, and the small ones again (identical)
    make_hostile.make_special(root)
    plugin_dir = root / "_plugin"
    plugin_dir.mkdir()
    (plugin_dir / "hostile_probe.py").write_text(PROBE)
    (root / "lintkit.toml").write_text('plugins = ["hostile_probe"]\n')
    yield root
    os.chmod(root / "unreadable.md", 0o600)
    shutil.rmtree(root, ignore_errors=True)


def _env(corpus: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(corpus / "_plugin"), str(ROOT)])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("LINTKIT_LOG", None)
    return env


RESULTS: dict[str, dict[str, object]] = {}


def check(corpus: Path, name: str, *extra: str, preexec_fn: Callable[[], None] | None = None) -> Run:
    large = make_hostile.CASES.get(name, (None, False))[1]
    run = run_lintkit(["check", "--no-cache", "--ignore", "GR", "--format", "json", "--jobs", "1", *extra, name],
                      corpus, _env(corpus), timeout=LARGE_TIMEOUT if large else TIMEOUT, preexec_fn=preexec_fn)
    errors = [ln for ln in run.stderr.splitlines() if ln.startswith("lintkit: error")]
    try:
        n = len(json.loads(run.stdout)["findings"])
    except ValueError:
        n = -1
    RESULTS[" ".join([*extra, name])] = {"rc": run.rc, "seconds": round(run.seconds, 2),
                                          "peak_rss_mb": round(run.peak_rss_mb), "findings": n, "errors": errors}
    return run


@pytest.fixture(scope="module", autouse=True)
def _write_results() -> None:
    """With LINTKIT_HOSTILE_RESULTS=path, write each run's exit code, time, peak RSS and
    errors as JSON (the figures in docs/robustness.md)."""
    yield
    out = os.environ.get("LINTKIT_HOSTILE_RESULTS")
    if out:
        Path(out).write_text(json.dumps(RESULTS, indent=1, ensure_ascii=False))


def probe_findings(run: Run) -> list[str]:
    data = json.loads(run.stdout)
    return [f"{f['start']['line']}:{f['start']['column']}-{f['end']['line']}:{f['end']['column']} {f['message']}"
            for f in data["findings"] if f["code"] == "HX001"]


def assert_clean(run: Run, name: str) -> None:
    """Checked: no traceback, no error, exit 0 or 1, the file is in the report."""
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert "lintkit: error" not in run.stderr, run.stderr[-3000:]
    assert run.rc in (0, 1), (run.rc, run.stderr[-3000:])
    data = json.loads(run.stdout)
    assert data["errors"] == []
    assert [f["path"] for f in data["files"]] == [name]
    assert run.peak_rss_mb < MAX_RSS_MB


def assert_error(run: Run, line: str) -> None:
    """One error line naming the file and the cause, exit 2, no traceback."""
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    errors = [ln for ln in run.stderr.splitlines() if ln.startswith("lintkit: error")]
    assert errors == [line], run.stderr[-3000:]
    assert run.rc == 2
    assert run.peak_rss_mb < MAX_RSS_MB


# Each checked case: its expected probe findings (line:col-line:col kind, counts).
CLEAN: dict[str, list[str]] = {
    "empty.md": [],
    "whitespace.md": [],
    # UTF-16 with a BOM: decoded; positions are characters of the decoded text.
    "utf16-bom.md": ["1:3-1:8 heading: 1 sentences, 1 words",
                     "3:1-3:52 paragraph: 2 sentences, 10 words"],
    # CRLF: "\r\n" is one line break; the paragraph spans two source lines.
    "crlf.md": ["1:3-1:10 heading: 1 sentences, 1 words",
                "3:1-4:19 paragraph: 2 sentences, 8 words",
                "6:1-6:17 paragraph: 1 sentences, 3 words"],
    # A lone CR is a line break too (CommonMark and lintkit's line index agree).
    "lone-cr.md": ["1:3-1:10 heading: 1 sentences, 1 words",
                   "3:1-4:19 paragraph: 2 sentences, 8 words",
                   "6:1-6:17 paragraph: 1 sentences, 3 words"],
    # Zero-width and bidi controls stay in the text (columns count them); ZWSP, ZWNJ and
    # ZWJ (format characters) split words: "joi\u200dner" is "joi" and "ner".
    "zero-width-bidi.md": ["1:1-1:68 paragraph: 1 sentences, 12 words",
                           "3:1-3:63 paragraph: 1 sentences, 7 words",
                           "5:1-5:29 paragraph: 1 sentences, 4 words"],
    # Combining marks stay inside their word: "Cafe\u0301" is one word, and so is
    # "letter" with 500 acute accents on its last letter.
    "combining.md": ["1:1-1:51 paragraph: 1 sentences, 8 words",
                     "3:1-3:552 paragraph: 1 sentences, 7 words"],
    # A ZWJ family counts as 7 code points; the keycap "1\ufe0f\u20e3" is one word.
    "emoji.md": ["1:1-1:81 paragraph: 3 sentences, 12 words",
                 "3:1-3:1001 paragraph: 1 sentences, 0 words"],
    # NUL bytes after the first 8 KiB are not sniffed as binary; the file is checked and
    # the NUL separates two words.
    "nul-late.md": ["1:1-1:9001 paragraph: 126 sentences, 1626 words",
                    "3:1-3:17 paragraph: 1 sentences, 4 words"],
    "table-10000-cols.md": None,  # 20,000 cells: checked by count below
    "long-line-5mb.md": None,
    "long-line-5mb.txt": None,
}


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_checked_cases(corpus: Path, name: str) -> None:
    run = check(corpus, name)
    assert_clean(run, name)
    found = probe_findings(run)
    expected = CLEAN[name]
    if expected is not None:
        assert found == expected
    elif name == "table-10000-cols.md":
        assert len(found) == 20_000
        assert found[:2] == ["1:3-1:5 table_cell: 1 sentences, 1 words",  # "| c0 | c1 |"
                             "1:8-1:10 table_cell: 1 sentences, 1 words"]
        # the last " word " cell of the body row: 1 + 9,999 × 7 characters in
        assert found[-1] == "3:69996-3:70000 table_cell: 1 sentences, 1 words"
    else:  # the 5 MB single line: one paragraph of 5 MiB (5,242,880 characters after the
        # trailing newline), 72,816 whole copies of a two-sentence text and a piece
        assert len(found) == 1
        assert found[0] == "1:1-1:5242881 paragraph: 72818 sentences, 946632 words"


ERRORS: dict[str, str] = {
    "binary.md": "binary file (NUL bytes), not text",
    "nul-early.txt": "binary file (NUL bytes), not text",
    "invalid-utf8.txt": "not valid UTF-8 (byte 0xff at offset 52); save it as UTF-8",
    # Latin-1 is not guessed: the byte is named and the fix is to save as UTF-8.
    "latin1.txt": "not valid UTF-8 (byte 0xe9 at offset 5); save it as UTF-8",
    "nested-lists.md": "Markdown nested more than 100 levels deep (lists or block quotes, line 1); "
                       "the text inside cannot be checked",
    "nested-quotes.md": "Markdown nested more than 100 levels deep (lists or block quotes, line 1); "
                        "the text inside cannot be checked",
    "nested-quotes-lines.md": "Markdown nested more than 100 levels deep (lists or block quotes, line 3); "
                              "the text inside cannot be checked",
    "big-50mb.txt": "file is 52,428,800 bytes, over the max-file-size limit of 20,000,000 (raise it in config)",
    "loop-a.md": "symbolic link loop",
    "fifo.md": "not a regular file (a FIFO)",
    "plain.md/child.md": "no such file or directory",
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_error_cases(corpus: Path, name: str) -> None:
    run = check(corpus, name)
    assert_error(run, f"lintkit: error: {name}: {ERRORS[name]}")
    assert json.loads(run.stdout)["errors"] == [{"path": name, "message": ERRORS[name]}]


def _drop_dac_capabilities() -> None:
    """In the child, before exec: drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the
    bounding set, so root is held to file modes like any user (prctl PR_CAPBSET_DROP)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _can_drop_capabilities() -> bool:
    try:
        return subprocess.run(["cat", "/dev/null"], preexec_fn=_drop_dac_capabilities).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def test_unreadable_file(corpus: Path) -> None:
    """chmod 000. Root reads such a file anyway, so as root the check runs without the
    capabilities that let root ignore file modes."""
    if os.geteuid() == 0:
        if not _can_drop_capabilities():
            pytest.skip("running as root without CAP_SETPCAP: a chmod 000 file stays readable")
        run = check(corpus, "unreadable.md", preexec_fn=_drop_dac_capabilities)
    else:
        run = check(corpus, "unreadable.md")
    assert_error(run, "lintkit: error: unreadable.md: permission denied")


def test_folder_with_symlink_loop_is_walked_once(corpus: Path) -> None:
    run = check(corpus, "looptree")
    assert_clean(run, "looptree/page.md")
    assert probe_findings(run) == ["1:1-1:45 paragraph: 1 sentences, 9 words"]


def test_max_file_size_is_configurable(corpus: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "small.toml"
    cfg.write_text('plugins = ["hostile_probe"]\nmax-file-size = 100\n')
    run = check(corpus, "crlf.md", "--config", str(cfg))
    assert_clean(run, "crlf.md")  # 83 bytes: under the limit
    run = check(corpus, "nul-late.md", "--config", str(cfg))
    assert_error(run, "lintkit: error: nul-late.md: file is 9,019 bytes, over the max-file-size limit of 100 "
                      "(raise it in config)")


def test_errors_do_not_stop_other_files(corpus: Path) -> None:
    run = run_lintkit(["check", "--no-cache", "--ignore", "GR", "--format", "json", "--jobs", "1",
                       "binary.md", "crlf.md", "fifo.md"], corpus, _env(corpus))
    assert run.rc == 2
    data = json.loads(run.stdout)
    assert [e["path"] for e in data["errors"]] == ["binary.md", "fifo.md"]
    assert [f["path"] for f in data["files"]] == ["crlf.md"]
    assert len(probe_findings(run)) == 3


def test_committed_fixtures_match_the_generator(tmp_path: Path) -> None:
    make_hostile.write_cases(tmp_path, small_only=True)
    generated = sorted(p.name for p in tmp_path.iterdir())
    assert sorted(p.name for p in FIXTURES.iterdir()) == generated
    for name in generated:
        assert (FIXTURES / name).read_bytes() == (tmp_path / name).read_bytes(), name
