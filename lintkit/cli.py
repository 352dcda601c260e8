"""The command line: a thin layer over :mod:`lintkit.engine`.

Exit codes: 0 nothing at or above the fail threshold; 1 findings at or above it;
2 usage, config, input or backend error (the other files are still checked).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lintkit import __version__
from lintkit.errors import LintkitError

if TYPE_CHECKING:
    from lintkit.cache import RunMemo
    from lintkit.engine import Engine

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with one line
        self.print_usage(sys.stderr)
        sys.stderr.write(f"lintkit: error: {message}\n")
        raise SystemExit(EXIT_ERROR)


def _codes(value: str) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()]


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="lintkit", description="An editorial quality checker for prose.")
    p.add_argument("--version", action="version", version=f"lintkit {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    c = sub.add_parser("check", help="check files and folders (the default command)")
    c.add_argument("paths", nargs="*", default=["."], help="files, folders, or - for stdin")
    c.add_argument("--format", default="text", help="output format: text, json, sarif, github, junit, ...")
    c.add_argument("--output", "-o", help="write the report to this file instead of stdout")
    c.add_argument("--select", type=_codes, help="comma-separated codes or prefixes to enable (replaces config)")
    c.add_argument("--extend-select", type=_codes, help="codes or prefixes to enable on top of config")
    c.add_argument("--ignore", type=_codes, help="comma-separated codes or prefixes to disable")
    c.add_argument("--fail-on", choices=("error", "warning", "info"), help="lowest severity that fails the run")
    c.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings (errors still exit 2)")
    c.add_argument("--statistics", action="store_true", help="print a count per rule")
    c.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary")
    c.add_argument("--config", help="use this config file (no upward search)")
    c.add_argument("--isolated", action="store_true", help="ignore all config files")
    c.add_argument("--stdin-filename", help="file name for stdin input (picks format and config)")
    c.add_argument("--include", action="append", help="file glob to check in folders (repeatable)")
    c.add_argument("--exclude", action="append", help="glob to skip in folders (repeatable)")
    c.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    c.add_argument("--jobs", "-j", type=int, default=0, help="worker processes (default: number of cores)")
    c.add_argument("--timings", action="store_true",
                   help="print time spent per plugin, and per rule or rule pack within it, on stderr")
    c.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    c.add_argument("--language", help="language variant, e.g. en-GB")
    c.add_argument("--verbose", "-v", action="store_true",
                   help="debug log on stderr: files, sizes, timings, cache (never document text)")
    c.add_argument("--fix", action="store_true", help="apply safe fixes to the files (atomic writes)")
    c.add_argument("--unsafe-fixes", action="store_true", help="apply unsafe fixes too (implies --fix unless --diff)")
    c.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    c.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in this baseline file")
    c.add_argument("--write-baseline", metavar="FILE", help="record the current findings in this baseline file")

    sub.add_parser("rules", help="list every rule").add_argument("--format", choices=("text", "json"), default="text")
    r = sub.add_parser("rule", help="print the doc of one rule, with a bad and a good example")
    r.add_argument("code")
    sub.add_parser("version", help="print the version")

    from lintkit.plugin import get_plugin_manager

    for batch in get_plugin_manager().hook.lintkit_commands():
        for name, cmd in (batch or {}).items():
            sp = sub.add_parser(name, help=cmd.help)
            cmd.add_arguments(sp)
            sp.set_defaults(_plugin_command=cmd)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] in ("--version", "-V", "version"):
        print(f"lintkit {__version__}")
        return EXIT_OK
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help")) \
            or (args_list[0] not in _known_commands() and not args_list[0].startswith("-")):
        args_list = ["check", *args_list]
    try:
        args = build_parser().parse_args(args_list)
        if getattr(args, "_plugin_command", None) is not None:
            return int(args._plugin_command.run(args))
        if args.command == "rules":
            return cmd_rules(args)
        if args.command == "rule":
            return cmd_rule(args)
        return cmd_check(args)
    except LintkitError as exc:
        sys.stderr.write(f"lintkit: error: {exc.one_line()}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("lintkit: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: one short report, never a traceback
        if os.environ.get("LINTKIT_DEBUG"):
            raise
        sys.stderr.write(f"lintkit: internal error: {type(exc).__name__}: {exc} "
                         f"(lintkit {__version__}; set LINTKIT_DEBUG=1 for a traceback)\n")
        return EXIT_ERROR


def _known_commands() -> set[str]:
    return {"check", "rules", "rule", "version", "languagetool", "stats", "lsp", "-h", "--help"}


def cmd_check(args: argparse.Namespace) -> int:
    from lintkit.engine import Engine, Overrides
    from lintkit.formats import FormatOptions

    if args.verbose:
        import logging

        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("lintkit: debug: %(name)s: %(message)s"))
        logging.getLogger("lintkit").addHandler(handler)
        logging.getLogger("lintkit").setLevel(logging.DEBUG)
    raw: dict[str, object] = {}
    if args.fail_on:
        raw["fail-on"] = args.fail_on
    if args.language:
        raw["language"] = args.language
    if args.include:
        raw["include"] = args.include
    if args.exclude:
        raw["extend-exclude"] = args.exclude
    overrides = Overrides(select=args.select, extend_select=args.extend_select, ignore=args.ignore,
                          config_file=args.config, isolated=args.isolated, raw=raw,
                          cache=False if args.no_cache else None)
    engine = Engine(overrides)
    formats: dict[str, object] = {}
    for batch in engine.pm.hook.lintkit_formats():
        formats.update(batch or {})
    if args.format not in formats:
        raise LintkitError(None, f"unknown format {args.format!r} (allowed: {', '.join(sorted(formats))})")
    stdin_text = None
    if "-" in args.paths:
        stdin_text = sys.stdin.read()
    jobs = args.jobs or (os.cpu_count() or 1)
    memo = None
    if args.fix or args.unsafe_fixes or args.diff:
        from lintkit.fixes import fix_paths, unified_diff

        run = fix_paths(engine, args.paths, unsafe=args.unsafe_fixes, write=not args.diff)
        report = run.report
        for o in run.unconverged:
            sys.stderr.write(f"lintkit: warning: {o.path}: fixes did not settle after {o.passes} passes\n")
        if args.diff:
            for o in run.outcomes:
                sys.stdout.write(unified_diff(o))
            for err in report.errors:
                sys.stderr.write(f"lintkit: error: {err.path}: {err.message}\n")
            n, m = run.applied, len(run.changed_files)
            sys.stderr.write(f"{n} fix{'es' if n != 1 else ''} would change {m} file{'s' if m != 1 else ''}.\n")
            return EXIT_ERROR if report.errors else (EXIT_FINDINGS if m else EXIT_OK)
        n, m = run.applied, len([o for o in run.outcomes if o.written])
        sys.stderr.write(f"Fixed {n} finding{'s' if n != 1 else ''} in {m} file{'s' if m != 1 else ''}.\n")
    else:
        memo = _run_memo(args, engine, formats[args.format])
        if memo is not None:
            plan = engine.plan(args.paths)
            stored = memo.get(memo.digest(plan)) if plan is not None else None
            if stored is not None:  # the same command over the same contents: its output again
                out, err, code = stored
                _emit(args, out)
                sys.stderr.write(err)
                return code
        report = engine.check_paths(args.paths, stdin_text, args.stdin_filename, jobs=jobs)
    extra: dict[str, object] = {}
    if args.baseline or args.write_baseline:
        from lintkit.baseline import apply_to_report

        preset = {args.stdin_filename or "-": stdin_text} if stdin_text is not None else None
        for note in apply_to_report(report, args.baseline, args.write_baseline, preset):
            sys.stderr.write(f"lintkit: {note}\n")
        extra["baseline"] = bool(args.baseline)
    fail_on = engine.config_for(None).fail_on if not args.fail_on else None
    from lintkit.types import Severity

    threshold = Severity.parse(args.fail_on) if args.fail_on else fail_on
    opts = FormatOptions(color=_color(args), statistics=args.statistics, quiet=args.quiet, extra=extra)
    fmt = formats[args.format]
    import io

    buf = io.StringIO()
    fmt(report, engine.registry, buf, opts)  # type: ignore[operator]
    out = buf.getvalue()
    _emit(args, out)
    for err in report.errors:
        sys.stderr.write(f"lintkit: error: {err.path}: {err.message}\n")
    if args.timings:
        sys.stderr.write(format_timings(report.timings))
    failing = [f for f in report.findings if threshold is not None and f.severity >= threshold]
    summary = ""
    if not args.quiet:
        n = len(report.findings)
        summary = (f"{n} finding{'s' if n != 1 else ''} in {len(report.files)} file"
                   f"{'s' if len(report.files) != 1 else ''}"
                   + (f", {len(report.errors)} error{'s' if len(report.errors) != 1 else ''}" if report.errors else "")
                   + ".\n")
        sys.stderr.write(summary)
    code = EXIT_ERROR if report.errors else (EXIT_FINDINGS if failing and not args.exit_zero else EXIT_OK)
    if memo is not None and not report.errors and all(p in report.keys for p in report.files):
        memo.put(memo.digest([(p, report.keys[p]) for p in report.files]), out, summary, code)
    return code


def _emit(args: argparse.Namespace, out: str) -> None:
    """The rendered report to ``--output`` (atomically) or to stdout."""
    if args.output:
        from lintkit.fsutil import atomic_write

        atomic_write(args.output, out.encode("utf-8"))
    else:
        sys.stdout.write(out)
        sys.stdout.flush()


def _run_memo(args: argparse.Namespace, engine: Engine, fmt: object) -> RunMemo | None:
    """The run memo (``lintkit.cache.RunMemo``) for this command, or ``None`` where a stored
    output could differ from a fresh one: fixes, baselines, standard input, timings, the
    debug log, the cache off, or a format that is not one of the built-in text and JSON
    (another plugin's format may print times, environment or anything else)."""
    if args.baseline or args.write_baseline or args.timings or args.verbose or args.no_cache or "-" in args.paths \
            or getattr(fmt, "__module__", None) != "lintkit.formats.builtin":
        return None
    import hashlib
    import json

    # The command as the working folder and every option that shapes the output (--jobs does
    # not); the color setting as resolved for this terminal; the fail threshold of the config.
    options = {k: v for k, v in sorted(vars(args).items()) if k not in ("jobs",)}
    ident = json.dumps([__version__, os.getcwd(), options, _color(args),
                        str(engine.config_for(None).fail_on)], default=str)
    return engine.cache.memo(hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest())


def _color(args: argparse.Namespace) -> bool:
    return args.color == "always" or (args.color == "auto" and sys.stdout.isatty()
                                      and not os.environ.get("NO_COLOR") and not args.output)


def format_timings(timings: dict[str, float]) -> str:
    """``--timings``: each plugin by time spent, slowest first, followed by the parts it
    timed (``ctx.timed``: rules, rule packs), indented, slowest first. The engine times
    every hook call of a plugin, so a plugin with parts always has its own line."""
    from lintkit.context import TIMING_SEP

    parts: dict[str, list[tuple[str, float]]] = {}
    for key, secs in timings.items():
        plugin, sep, label = key.partition(TIMING_SEP)
        if sep:
            parts.setdefault(plugin, []).append((label, secs))
    lines = []
    for name, secs in sorted(((k, v) for k, v in timings.items() if TIMING_SEP not in k), key=lambda kv: -kv[1]):
        lines.append(f"{secs * 1000:10.1f} ms  {name}")
        for label, part in sorted(parts.get(name, ()), key=lambda kv: -kv[1]):
            lines.append(f"{part * 1000:10.1f} ms    {label}")
    return "".join(line + "\n" for line in lines)


def _registry():  # type: ignore[no-untyped-def]
    """Rules of every plugin, including those named in the config of the current folder."""
    from lintkit.engine import Engine

    engine = Engine()
    engine.config_for(None)
    return engine.registry


def cmd_rules(args: argparse.Namespace) -> int:
    reg = _registry()
    if args.format == "json":
        import json

        print(json.dumps([{"code": r.code, "name": r.name, "family": r.family, "severity": str(r.severity),
                           "summary": r.summary, "fixable": r.fixable} for r in reg.sorted()], indent=2))
        return EXIT_OK
    for r in reg.sorted():
        print(f"{r.code:<8} {r.name:<32} {str(r.severity):<8} {r.summary}")
    return EXIT_OK


def cmd_rule(args: argparse.Namespace) -> int:
    reg = _registry()
    rule = reg.get(args.code.upper())
    if rule is None:
        matches = [r for r in reg.sorted() if r.name == args.code]
        if not matches:
            raise LintkitError(None, f"unknown rule {args.code!r} (see `lintkit rules`)")
        rule = matches[0]
    sys.stdout.write(rule.render())
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
