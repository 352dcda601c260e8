"""Built-in plugin "lsp": contributes the ``lintkit lsp`` sub-command.

Kept light to import: pygls and the server module load only when the command runs.
"""

from __future__ import annotations

import argparse

from lintkit.hookspecs import hookimpl
from lintkit.plugin import Command


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stdio", action="store_true",
                        help="talk JSON-RPC over stdin/stdout (the default and only transport)")
    parser.add_argument("--log-level", default="WARNING",
                        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
                        help="log level of the server log on stderr")
    parser.add_argument("--debounce", type=float, default=None,
                        help="seconds to wait after the last edit before checking (default 0.3)")


def _run(args: argparse.Namespace) -> int:
    try:
        from lintkit.lsp.server import main
    except ImportError as exc:  # pygls is an optional dependency (extra "lsp")
        import sys

        sys.stderr.write(f"lintkit: error: the language server needs pygls ({exc}); "
                         "install it with: pip install 'lintkit[lsp]'\n")
        return 2
    return main(log_level=args.log_level, debounce=args.debounce)


@hookimpl
def lintkit_commands() -> dict[str, Command]:
    return {"lsp": Command("run the language server over stdio (for editors)", _add_arguments, _run)}
