"""``lintkit languagetool install|start|stop|status``."""

from __future__ import annotations

import argparse
import json
import sys

from lintkit.errors import LintkitError
from lintkit.languagetool import install as inst


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="lt_command", metavar="{install,start,stop,status}")
    sub.required = True
    i = sub.add_parser("install", help="resolve the English LanguageTool server from Maven Central")
    i.add_argument("--force", action="store_true", help="reinstall even if present")
    i.add_argument("--via", choices=("maven", "language-tool-python"), default="maven",
                   help="maven (default) or language-tool-python's download from languagetool.org")
    s = sub.add_parser("start", help="start the managed server (reuses a running one); prints the port")
    s.add_argument("--idle-timeout", type=float, default=None,
                   help="minutes without use before it stops by itself (0 = never; default from config or 30)")
    s.add_argument("--install", action="store_true", help="install first if not installed")
    s.add_argument("--port", type=int, default=None, help="preferred port (another free one if taken)")
    sub.add_parser("stop", help="stop the managed server")
    st = sub.add_parser("status", help="version, port, pid, memory and uptime of the managed server")
    st.add_argument("--json", action="store_true", help="print JSON")


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except LintkitError as exc:
        print(f"lintkit: error: {exc.one_line()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _config_options() -> dict:
    """[grammar] options of the config governing the current folder (best effort)."""
    try:
        from lintkit.engine import Engine

        return Engine().config_for(None).options("grammar")
    except LintkitError:
        raise
    except Exception:  # pragma: no cover - config is optional here
        return {}


def _run(args: argparse.Namespace) -> int:
    # imported here: every lintkit command builds this subcommand's parser (add_arguments)
    from lintkit.languagetool import server

    cmd = args.lt_command
    if cmd == "install":
        if args.via == "language-tool-python":
            inst.install_via_ltp(log=_log)
        else:
            inst.install(force=args.force, log=_log)
        print(inst.home())
        return 0
    if cmd == "start":
        from lintkit.families.grammar import settings_from_options, warmup_for

        opts = _config_options()
        if args.install and inst.classpath() is None:
            inst.install(log=_log)
        idle = args.idle_timeout if args.idle_timeout is not None else float(opts.get("idle-timeout", 30))
        settings = settings_from_options(opts, "en-US")
        st = server.ensure_running(warmup=warmup_for(settings), idle_timeout=idle, log=_log, port=args.port)
        print(st["port"])
        return 0
    if cmd == "stop":
        st = server.stop()
        _log(f"stopped LanguageTool (pid {st['pid']}, port {st['port']})" if st else "no LanguageTool server running")
        return 0
    if cmd == "status":
        info = server.status()
        if args.json:
            print(json.dumps(info, indent=1))
        else:
            print(f"home: {info['home']}")
            print(f"installed: {info['installed'] or 'no (run `lintkit languagetool install`)'}")
            if "pid" not in info:
                print("server: not running")
            else:
                rss = info.get("rss_bytes")
                print(f"server: {info['state']}, LanguageTool {info.get('version')}, port {info['port']}, "
                      f"pid {info['pid']}, memory {rss / 2**20:.0f} MiB" if rss else
                      f"server: {info['state']}, LanguageTool {info.get('version')}, port {info['port']}, "
                      f"pid {info['pid']}", end="")
                print(f", uptime {_human(info['uptime_seconds'])}, idle stop after "
                      f"{info.get('idle_timeout_minutes')} min")
                print(f"log: {info['log']}")
        return 0 if info["running"] else 1
    return 2  # pragma: no cover


def _human(seconds: float) -> str:
    s = int(seconds)
    if s < 120:
        return f"{s} s"
    if s < 7200:
        return f"{s // 60} min"
    return f"{s // 3600} h {s % 3600 // 60} min"
