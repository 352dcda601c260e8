"""Build the compiled speed-ups (``lintkit/_c/*.c``) with the C compiler Python was built
with: ``python -m lintkit._c.build [--if-stale] [OUT_DIR]`` (default: next to the sources;
``--if-stale``: only the modules older than their source).

Each module is compiled on its own; one that fails is reported on standard error and left
out (lintkit then runs its pure-Python reference). A module is written to a temporary file
and renamed into place, so a failed or interrupted build never leaves a half-written one.
The source's SHA-256 is compiled in (``SOURCE_SHA256``): :func:`lintkit._c.load` refuses a
module built from another version of its source.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

SRC = Path(__file__).resolve().parent


def sources(src_dir: Path = SRC) -> list[Path]:
    return sorted(src_dir.glob("*.c"))


def build(out_dir: Path | None = None, quiet: bool = False, src_dir: Path = SRC,
          only_stale: bool = False) -> dict[str, Path]:
    """Compile every source of ``src_dir`` into ``out_dir`` (default: ``src_dir``); returns
    the modules built, by name. ``only_stale``: leave a module that is newer than its
    source as it is."""
    out_dir = out_dir or src_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    cc = shlex.split(sysconfig.get_config_var("CC") or "cc")
    include = sysconfig.get_paths()["include"]
    built: dict[str, Path] = {}
    for src in sources(src_dir):
        name = src.stem
        sha = hashlib.sha256(src.read_bytes()).hexdigest()
        target = out_dir / f"{name}{suffix}"
        if only_stale and target.exists() and target.stat().st_mtime >= src.stat().st_mtime:
            continue
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=suffix, dir=out_dir)
        os.close(fd)
        cmd = [*cc, "-O2", "-shared", "-fPIC", "-std=c99", "-Wall", "-Werror=implicit-function-declaration",
               f"-I{include}", f'-DSOURCE_SHA256="{sha}"', str(src), "-o", tmp]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True)
        except OSError as e:
            res = None
            err = str(e)
        if res is not None and res.returncode == 0:
            os.replace(tmp, target)
            built[name] = target
            if not quiet and res.stderr.strip():
                sys.stderr.write(res.stderr)
            continue
        os.unlink(tmp)
        err = res.stderr.strip() if res is not None else err
        sys.stderr.write(f"lintkit: warning: {src.name} not compiled (pure Python is used instead): {err}\n")
    return built


def main(argv: list[str]) -> int:
    stale = "--if-stale" in argv
    args = [a for a in argv if a != "--if-stale"]
    out = build(Path(args[0]) if args else None, only_stale=stale)
    for name, path in out.items():
        print(f"built {name}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
