"""``lintkit check --timings``: the time per plugin, and under each plugin the parts it
timed (rules, rule packs), as users read it to find a slow house rule."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_ea6b9445212ab19d.txt"
LINE = re.compile(r"^ {0,9}(\d+\.\d) ms  (  )?(\S.*)$")

SLOW_PLUGIN = '''
import time

from lintkit.hookspecs import hookimpl
from lintkit.types import Rule, Severity


@hookimpl
def lintkit_register_rules():
    return [Rule("SL101", "slow-rule", "slow", Severity.INFO, "s", "d", "bad", "good")]


@hookimpl
def lintkit_check(document, ctx):
    with ctx.timed("SL101 slow-rule"):
        time.sleep(0.05)
    ctx.add_time("SL101 measured by the plugin", 0.25)
    return []
'''


def with_plugin(cwd: Path, name: str, source: str, select: list[str]) -> None:
    """A plugin module ``name`` in ``cwd`` (on PYTHONPATH for :func:`timings`), named in
    the folder's config with the rules to select."""
    (cwd / f"{name}.py").write_text(source)
    (cwd / "lintkit.toml").write_text(f"plugins = [{json.dumps(name)}]\nselect = {json.dumps(select)}\n")


def timings(args: list[str], cwd: Path) -> dict[str, tuple[float, dict[str, float]]]:
    """stderr of ``--timings``: {plugin: (ms, {part: ms})}, checking the layout (each
    plugin then its parts, both slowest first)."""
    env = {**os.environ, "PYTHONPATH": str(cwd), "NO_COLOR": "1", "LINTKIT_CACHE_DIR": str(cwd / "cache")}
    r = subprocess.run([sys.executable, "-m", "lintkit", "check", "--timings", "--no-cache", "--exit-zero", "-q",
                        *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    out: dict[str, tuple[float, dict[str, float]]] = {}
    plugin = ""
    for line in r.stderr.splitlines():
        m = LINE.match(line)
        assert m, line
        ms, indent, name = float(m[1]), m[2], m[3]
        if indent:
            parts = out[plugin][1]
            assert name not in parts
            assert not parts or list(parts.values())[-1] >= ms  # slowest first
            parts[name] = ms
        else:
            assert not out or list(out.values())[-1][0] >= ms
            plugin = name
            out[plugin] = (ms, {})
    return out


def test_families_time_each_rule_and_pack(tmp_path: Path) -> None:
    got = timings(["--isolated", "--ignore", "GR", str(SEED)], tmp_path)
    assert set(got) == {"(document model)", "consistency", "readability", "claims", "grammar"}
    parts = {name: set(p) for name, (_ms, p) in got.items()}
    assert parts["consistency"] == {
        "rule packs (loaded once per process)", "CN1 CN2 word index", "CN1 name index", "CN101 term-variant",
        "CN102 house-term", "CN103 proper-adjective-case", "CN201 dialect-mixed", "CN3 acronyms",
        "CN4 typography"}
    assert parts["readability"] == {"RD counts and scores (textstat)", "RD101 RD202 long sentences",
                                    "RD203 long-sentence-run", "RD201 hard-paragraph", "RD301 hard-document"}
    assert parts["claims"] == {
        "rule packs (loaded once per process)", "CL scoring, hedges and support",
        "CL101 pack claims-quantity", "CL102 pack claims-vague-attribution", "CL103 pack claims-boosters",
        "CL104 pack claims-absolutes", "CL105 pack claims-superlatives", "CL106 pack claims-predictions",
        "CL107 pack claims-hearsay", "CL108 pack claims-trends"}
    assert parts["(document model)"] == parts["grammar"] == set()  # GR is ignored: nothing to wait for
    for name, (ms, p) in got.items():
        assert sum(p.values()) <= ms + 0.05 * len(p) + 0.05, name  # the parts are inside the plugin's time


def test_only_the_selected_rules_are_timed_and_a_user_pack_has_its_own_line(tmp_path: Path) -> None:
    pack = tmp_path / "house.toml"
    pack.write_text(
        '[pack]\nname = "house-boosters"\nkind = "claims"\nversion = "1"\ndescription = "x"\n\n'
        '[lexicon]\ncategory = "booster"\n\n[[lexicon.tier]]\nweight = 2.0\nphrases = ["hands down"]\n',
        encoding="utf-8")
    (tmp_path / "lintkit.toml").write_text(f'rule-packs = ["{pack.name}"]\nselect = ["CL103", "RD201"]\n')
    (tmp_path / "a.md").write_text("This is hands down the right choice. It is clearly better.\n")
    got = timings(["a.md"], tmp_path)
    assert set(got["claims"][1]) == {"rule packs (loaded once per process)", "CL scoring, hedges and support",
                                     "CL103 pack claims-boosters", "CL103 pack house-boosters"}
    assert set(got["readability"][1]) == {"RD counts and scores (textstat)", "RD201 hard-paragraph"}
    assert got["consistency"][1] == {}  # no CN rule selected: the family returns at once


def test_a_plugin_times_its_own_rules(tmp_path: Path) -> None:
    with_plugin(tmp_path, "slow_plugin", SLOW_PLUGIN, ["SL"])
    (tmp_path / "a.md").write_text("One sentence.\n")
    got = timings(["a.md", "--jobs", "1"], tmp_path)
    ms, parts = got["slow_plugin"]
    assert set(parts) == {"SL101 slow-rule", "SL101 measured by the plugin"}
    assert parts["SL101 measured by the plugin"] == 250.0
    assert 50.0 <= parts["SL101 slow-rule"] <= ms


METRICS_PLUGIN = '''
from lintkit.hookspecs import hookimpl


@hookimpl
def lintkit_document_metrics(document, ctx):
    ctx.add_time("word count", 0.125)
    return {"words": 1}
'''


def test_a_metrics_hook_is_timed_under_its_own_plugin(tmp_path: Path) -> None:
    with_plugin(tmp_path, "metrics_plugin", METRICS_PLUGIN, ["RD301"])
    (tmp_path / "a.md").write_text("One sentence.\n")
    got = timings(["a.md", "--jobs", "1"], tmp_path)
    ms, parts = got["metrics_plugin"]
    assert parts == {"word count": 125.0} and ms >= 0.0
    assert "word count" not in got["readability"][1]  # not charged to the plugin called before it


def test_parts_are_added_up_across_worker_processes(tmp_path: Path) -> None:
    with_plugin(tmp_path, "slow_plugin", SLOW_PLUGIN, ["SL", "CL101"])
    for i in range(4):
        (tmp_path / f"s{i}.txt").write_text(SEED.read_text(encoding="utf-8") * (i + 1), encoding="utf-8")
    for jobs in ("1", "2"):  # with 2: the parent and one worker share the files
        got = timings(["--jobs", jobs, "."], tmp_path)
        assert got["slow_plugin"][1]["SL101 measured by the plugin"] == 1000.0  # 250 ms for each of 4 files
        assert set(got["claims"][1]) == {"rule packs (loaded once per process)", "CL scoring, hedges and support",
                                         "CL101 pack claims-quantity"}
