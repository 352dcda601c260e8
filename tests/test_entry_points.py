"""Third-party plugins through the ``lintkit`` entry-point group, and the quick look that
spares a run without any the cost of importlib.metadata."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from lintkit.plugin import BUILTIN_PLUGINS, may_have_plugins

OWN = "[console_scripts]\nlintkit = lintkit.cli:main\n\n[lintkit]\n" + "".join(
    f"{name} = {module}\n" for name, module in BUILTIN_PLUGINS.items())


def dist(folder: Path, name: str, entry_points: str | bytes) -> Path:
    info = folder / name
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name.split('-')[0]}\nVersion: 1.0\n")
    target = info / "entry_points.txt"
    if isinstance(entry_points, bytes):
        target.write_bytes(entry_points)
    else:
        target.write_text(entry_points)
    return folder


def test_only_lintkit_itself_and_other_groups_need_no_metadata_scan(tmp_path: Path) -> None:
    site = dist(tmp_path / "site", "lintkit-0.1.0.dist-info", OWN)
    dist(site, "tool-2.0.dist-info", "[console_scripts]\ntool = tool:main\n")
    dist(site, "old-1.0.egg-info", "[other]\nlintkit = not.this.group\n")
    (site / "plain_module.py").write_text("")
    assert may_have_plugins([str(site), str(tmp_path / "missing"), ""]) is False


def test_anything_else_in_the_group_or_unsure_means_a_full_scan(tmp_path: Path) -> None:
    cases = {
        "plugin": ("acme-1.0.dist-info", "[lintkit]\nacme = acme_rules\n"),
        "spaced header": ("acme-1.0.dist-info", "[ lintkit ]\n  acme = acme_rules  \n"),
        "upper-case folder": ("Acme-1.0.DIST-INFO", "[lintkit]\nacme = acme_rules\n"),
        "egg-info": ("acme-1.0.egg-info", "[lintkit]\nacme = acme_rules\n"),
        "no equals sign": ("acme-1.0.dist-info", "[lintkit]\nacme\n"),
        "not UTF-8": ("acme-1.0.dist-info", b"[lintkit]\nacme = r\xe9gles\n"),
    }
    for case, (name, text) in cases.items():
        site = dist(tmp_path / case.replace(" ", "-"), name, text)
        assert may_have_plugins([str(site)]) is True, case
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("x.py", "")
    assert may_have_plugins([str(archive)]) is True  # inside a zip: importlib.metadata looks
    egg = tmp_path / "thing-1.0-py3.11.egg"
    egg.mkdir()
    assert may_have_plugins([str(egg)]) is True


def test_a_plugin_declared_by_an_entry_point_is_loaded(tmp_path: Path) -> None:
    site = dist(tmp_path / "site", "acme_rules-1.0.dist-info", "[lintkit]\nacme = acme_rules\n")
    (site / "acme_rules.py").write_text(
        "from lintkit.hookspecs import hookimpl\nfrom lintkit.types import Rule, Severity\n\n\n"
        "@hookimpl\ndef lintkit_register_rules():\n"
        "    return [Rule('AC101', 'acme-rule', 'acme', Severity.INFO, 's', 'd', 'bad', 'good')]\n")
    env = {**os.environ, "PYTHONPATH": str(site)}
    r = subprocess.run([sys.executable, "-m", "lintkit", "rules"], capture_output=True, text=True, env=env,
                       cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    assert [line.split()[:2] for line in r.stdout.splitlines() if line.startswith("AC")] == [["AC101", "acme-rule"]]
    plain = subprocess.run([sys.executable, "-m", "lintkit", "rules"], capture_output=True, text=True,
                           env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, cwd=tmp_path, timeout=120)
    assert "AC101" not in plain.stdout
