"""Hatchling build hook: compile lintkit's optional C speed-ups (``lintkit/_c/*.c``).

An editable install builds them next to their sources; a wheel gets them as platform
files (the wheel is then tagged for this Python and platform). Without a C compiler the
build goes on with a warning and lintkit runs its pure-Python code.
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def _build_module() -> Any:
    path = Path(__file__).resolve().parent / "lintkit" / "_c" / "build.py"
    spec = importlib.util.spec_from_file_location("_lintkit_c_build", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class SpeedupsHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        build = _build_module()
        if version == "editable":
            build.build()
            return
        out = Path(tempfile.mkdtemp(prefix="lintkit-c-"))
        built = build.build(out)
        for path in built.values():
            build_data["force_include"][str(path)] = f"lintkit/_c/{path.name}"
        if built:
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
