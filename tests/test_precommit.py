"""pre-commit integration: the manifest validates, and an end-to-end run with the real
``pre-commit`` tool installs the hook from this repository offline and refuses a bad
commit, then accepts a clean one.

Offline: pre-commit clones the hook repository from git at a rev and runs
``pip install .`` in a fresh virtualenv. The test commits a copy of the current working
tree (uncommitted work included) into a temporary git repository, and builds a
wheelhouse from the distributions installed in this venv (lintkit's dependencies and
the hatchling build backend), so pip runs with ``PIP_NO_INDEX=1`` and
``PIP_FIND_LINKS=<wheelhouse>``.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")


def test_manifest_is_valid_and_declares_both_hooks() -> None:
    assert PRE_COMMIT, "pre-commit is not installed"
    subprocess.run([PRE_COMMIT, "validate-manifest", str(MANIFEST)], check=True, capture_output=True)
    hooks = {h["id"]: h for h in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))}
    assert set(hooks) == {"lintkit", "lintkit-project"}
    assert hooks["lintkit"]["language"] == "python"
    assert hooks["lintkit"]["types_or"] == ["markdown", "plain-text", "rst"]
    assert hooks["lintkit"].get("pass_filenames", True) is True
    assert hooks["lintkit-project"]["pass_filenames"] is False
    assert hooks["lintkit-project"]["entry"].endswith(" .")  # it finds the files itself


# Offline wheelhouse ----------------------------------------------------------------------


def _requirements(dist: metadata.Distribution) -> list[str]:
    from packaging.requirements import Requirement

    out = []
    for spec in dist.requires or ():
        req = Requirement(spec)
        if req.marker is None or req.marker.evaluate({"extra": ""}):
            out.append(req.name)
    return out


def _closure(names: list[str]) -> dict[str, metadata.Distribution]:
    from packaging.utils import canonicalize_name

    seen: dict[str, metadata.Distribution] = {}
    todo = list(names)
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        dist = metadata.distribution(name)
        seen[name] = dist
        todo.extend(_requirements(dist))
    return seen


def _repack(dist: metadata.Distribution, outdir: Path) -> Path:
    """Write an installed distribution back out as a wheel (no network needed)."""
    files = [f for f in dist.files or () if not str(f).startswith("..") and "__pycache__" not in str(f)]
    info_dir = next(str(f).split("/")[0] for f in files if ".dist-info/" in str(f))
    wheel_meta = (dist.read_text("WHEEL") or "")
    tags = re.findall(r"^Tag: (\S+)$", wheel_meta, re.M) or ["py3-none-any"]
    name = info_dir[: -len(".dist-info")].rsplit("-", 1)[0]
    parts = [list(dict.fromkeys(t.split("-")[i] for t in tags)) for i in range(3)]  # py2.py3-none-any
    tag = "-".join(".".join(p) for p in parts)
    target = outdir / f"{name}-{dist.version}-{tag}.whl"
    records = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in files:
            rel = str(f)
            if rel.startswith(info_dir + "/") and rel.split("/", 1)[1] in (
                    "RECORD", "INSTALLER", "REQUESTED", "direct_url.json"):
                continue
            path = Path(f.locate())
            if not path.is_file():
                continue
            data = path.read_bytes()
            zf.writestr(rel, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            records.append(f"{rel},sha256={digest},{len(data)}")
        records.append(f"{info_dir}/RECORD,,")
        zf.writestr(f"{info_dir}/RECORD", "\n".join(records) + "\n")
    return target


def _wheelhouse(dest: Path) -> Path:
    dest.mkdir()
    lintkit_deps = _requirements(metadata.distribution("lintkit"))
    for dist in _closure([*lintkit_deps, "hatchling"]).values():
        _repack(dist, dest)
    return dest


def _git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env=env or _git_env())


def _git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT", "PYTHONPATH"))}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.invalid", GIT_CONFIG_NOSYSTEM="1")
    return env


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_end_to_end(tmp_path: Path) -> None:
    assert PRE_COMMIT, "pre-commit is not installed"
    home = tmp_path / "home"
    home.mkdir()
    hook_repo = tmp_path / "hook-repo"
    hook_repo.mkdir()
    wheels = _wheelhouse(tmp_path / "wheels")
    env = _git_env()
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))
    rev = _hook_repo_with_env(hook_repo, env)

    project = tmp_path / "essays"
    project.mkdir()
    _git(project, "init", "-q", env=env)
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hook_repo}\n  rev: {rev}\n  hooks:\n  - id: lintkit\n  - id: lintkit-project\n",
        encoding="utf-8")
    # consistency rules only: no LanguageTool needed
    (project / "lintkit.toml").write_text('select = ["CN"]\nignore = ["GR"]\n', encoding="utf-8")
    (project / "notes.py").write_text("x = 'Wechat'\n", encoding="utf-8")  # not prose: never checked
    run_env = {**env, "PRE_COMMIT_HOME": str(tmp_path / "pc-home"), "PIP_NO_INDEX": "1",
               "PIP_FIND_LINKS": str(wheels), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
               "PATH": str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")}
    subprocess.run([PRE_COMMIT, "install"], cwd=project, env=run_env, check=True, capture_output=True)
    _git(project, "add", ".pre-commit-config.yaml", "lintkit.toml", "notes.py", env=run_env)

    # a bad draft: the commit is refused and the findings are shown
    (project / "draft.md").write_text("# Draft\n\nStaff use Wechat at Bytedance.\n", encoding="utf-8")
    _git(project, "add", "draft.md", env=run_env)
    bad = subprocess.run(["git", "commit", "-m", "bad draft"], cwd=project, env=run_env, capture_output=True,
                         text=True, timeout=900)
    log = bad.stdout + bad.stderr
    assert bad.returncode != 0, log
    assert re.search(r"lintkit \(prose\)\.+Failed", log), log
    assert 'draft.md:3:11: CN102 "Wechat" → "WeChat"' in log, log
    assert 'draft.md:3:21: CN102 "Bytedance" → "ByteDance"' in log, log
    assert re.search(r"lintkit \(whole-project consistency\)\.+Failed", log), log
    assert "notes.py" not in log
    head = subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=project, env=run_env,
                          capture_output=True, text=True)
    assert head.returncode != 0  # nothing was committed

    # the clean draft passes
    (project / "draft.md").write_text("# Draft\n\nStaff use WeChat at ByteDance.\n", encoding="utf-8")
    _git(project, "add", "draft.md", env=run_env)
    good = subprocess.run(["git", "commit", "-m", "clean draft"], cwd=project, env=run_env,
                          capture_output=True, text=True, timeout=900)
    log = good.stdout + good.stderr
    assert good.returncode == 0, log
    assert re.search(r"lintkit \(prose\)\.+Passed", log), log
    assert re.search(r"lintkit \(whole-project consistency\)\.+Passed", log), log


def _hook_repo_with_env(dest: Path, env: dict[str, str]) -> str:
    """A git repository with the current working tree committed (uncommitted work too)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                            capture_output=True).stdout.decode().split("\0")
    keep = ("lintkit/", "rules/", "languagetool/")
    for rel in listed:
        if not rel or "__pycache__" in rel:
            continue
        top = ("pyproject.toml", "hatch_build.py", "README.md", ".pre-commit-hooks.yaml", "LICENSE")
        if not (rel.startswith(keep) or rel in top):
            continue
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    _git(dest, "init", "-q", env=env)
    _git(dest, "add", "-A", env=env)
    _git(dest, "commit", "-q", "-m", "lintkit snapshot", env=env)
    return _git(dest, "rev-parse", "HEAD", env=env).stdout.strip()
