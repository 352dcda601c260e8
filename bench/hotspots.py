#!/usr/bin/env python3
"""Profile lintkit in-process on some files: where does the time go?

    .venv/bin/python bench/hotspots.py [--ignore GR] [--startup] [--top 25] FILE_OR_DIR...

Uses pyinstrument when it is installed (``pip install pyinstrument``), else cProfile. The
first check in a process pays for loading every family's data (lexicons, dictionaries,
compiled patterns); ``--startup`` profiles only that first check of the first file, the
default profiles a second pass over all files (the steady state).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--select", help="codes or prefixes, e.g. RD,CL")
    ap.add_argument("--ignore", help="codes or prefixes to skip, e.g. GR")
    ap.add_argument("--startup", action="store_true", help="profile the first check (data loading)")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args(argv)

    from lintkit.engine import Engine, Overrides, Report

    def split(s: str | None) -> list[str] | None:
        return [c.strip() for c in s.split(",") if c.strip()] if s else None

    engine = Engine(Overrides(isolated=True, cache=False, select=split(args.select), ignore=split(args.ignore)))
    files = [f for f in engine.discover(args.paths) if isinstance(f, str)]
    sources = [engine.read(f) for f in files]
    if not sources:
        sys.exit("no files")
    if not args.startup:
        engine.check_source(sources[0], None, Report())  # load the data first
        engine.timings.clear()
    todo = sources[:1] if args.startup else sources
    try:
        from pyinstrument import Profiler  # type: ignore[import-not-found]
    except ImportError:
        Profiler = None  # noqa: N806
    t0 = time.perf_counter()
    if Profiler is not None:
        prof = Profiler()
        prof.start()
        for s in todo:
            engine.check_source(s, None, Report())
        prof.stop()
        print(prof.output_text(unicode=True, color=False, show_all=False))
    else:
        cp = cProfile.Profile()
        cp.enable()
        for s in todo:
            engine.check_source(s, None, Report())
        cp.disable()
        for order in ("tottime", "cumulative"):
            buf = io.StringIO()
            pstats.Stats(cp, stream=buf).sort_stats(order).print_stats(args.top)
            text = buf.getvalue().replace(os.getcwd() + "/", "")
            print(f"== by {order} (cProfile; pyinstrument not installed) ==")
            print("\n".join(line[:170] for line in text.splitlines() if line.strip()))
    wall = time.perf_counter() - t0
    mb = sum(len(s.text.encode()) for s in todo) / 1e6
    print(f"\n{len(todo)} file(s), {mb:.2f} MB, {wall:.2f} s under the profiler. Per plugin (s, s/MB):")
    for name, secs in sorted(engine.timings.items(), key=lambda kv: -kv[1]):
        print(f"  {secs:8.3f}  {secs / mb if mb else 0:8.2f}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
