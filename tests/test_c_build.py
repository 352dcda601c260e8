"""Building and loading the compiled speed-ups (lintkit/_c): a module is compiled with its
source's SHA-256, refused when built from another source, switched off by
LINTKIT_PURE_PYTHON, and a failed compile leaves nothing behind."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

import pytest

import lintkit._c as c
from lintkit._c import build

_MODULE = r"""
#define PY_SSIZE_T_CLEAN
#include <Python.h>
static PyObject *twice(PyObject *self, PyObject *arg) { return PyNumber_Add(arg, arg); }
static PyMethodDef methods[] = {{"twice", twice, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "probe", NULL, -1, methods};
PyMODINIT_FUNC PyInit_probe(void) {
    PyObject *m = PyModule_Create(&def);
    if (m && PyModule_AddStringConstant(m, "SOURCE_SHA256", SOURCE_SHA256) < 0) { Py_DECREF(m); return NULL; }
    return m;
}
"""


def _import(path: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("probe", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_build_compiles_with_the_source_hash(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "probe.c").write_text(_MODULE)
    out = tmp_path / "out"
    built = build.build(out, src_dir=src)
    if not built:
        pytest.skip("no C compiler")
    assert list(built) == ["probe"]
    mod = _import(built["probe"])
    assert mod.twice(21) == 42
    assert mod.SOURCE_SHA256 == hashlib.sha256(_MODULE.encode()).hexdigest()
    assert sorted(p.name for p in out.iterdir()) == [built["probe"].name]  # no temporary file left


def test_a_failed_compile_is_reported_and_leaves_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "broken.c").write_text("this is not C;\n")
    out = tmp_path / "out"
    assert build.build(out, src_dir=src) == {}
    err = capsys.readouterr().err
    assert "lintkit: warning: broken.c not compiled (pure Python is used instead)" in err
    assert list(out.iterdir()) == []


def test_load_refuses_a_stale_build_and_honours_pure_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "lintkit_probe_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "probe.c").write_text(_MODULE)
    if not build.build(pkg, src_dir=pkg):
        pytest.skip("no C compiler")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(c, "__name__", "lintkit_probe_pkg")
    monkeypatch.setattr(c, "_HERE", pkg)
    monkeypatch.delenv("LINTKIT_PURE_PYTHON", raising=False)
    mod = c.load("probe")
    assert mod is not None and mod.twice(2) == 4
    monkeypatch.setenv("LINTKIT_PURE_PYTHON", "1")
    assert c.load("probe") is None
    monkeypatch.setenv("LINTKIT_PURE_PYTHON", "0")
    assert c.load("probe") is mod
    (pkg / "probe.c").write_text(_MODULE + "/* edited */\n")  # the build is now stale
    assert c.load("probe") is None
    assert c.load("missing") is None
    sys.modules.pop("lintkit_probe_pkg.probe", None)


def test_modules_lists_each_source_and_whether_it_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "lintkit_probe_pkg2"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "probe.c").write_text(_MODULE)
    (pkg / "other.c").write_text("not built\n")
    built = build.build(pkg, src_dir=pkg, quiet=True)  # other.c fails: reported, left out
    if "probe" not in built:
        pytest.skip("no C compiler")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(c, "__name__", "lintkit_probe_pkg2")
    monkeypatch.setattr(c, "_HERE", pkg)
    monkeypatch.delenv("LINTKIT_PURE_PYTHON", raising=False)
    assert c.modules() == {"other": False, "probe": True}
    monkeypatch.setenv("LINTKIT_PURE_PYTHON", "1")
    assert c.modules() == {"other": False, "probe": False}
    sys.modules.pop("lintkit_probe_pkg2.probe", None)
