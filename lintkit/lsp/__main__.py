"""``python -m lintkit.lsp``: the same as ``lintkit lsp``."""

import sys

from lintkit.lsp.server import main

if __name__ == "__main__":
    sys.exit(main())
