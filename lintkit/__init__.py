"""lintkit: an editorial quality checker for prose.

The public, in-process API lives in :mod:`lintkit.api` (``check_text``, ``check_path``,
``check_paths``). Importing this package is cheap: heavy modules load lazily.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
