"""The lintkit language server (``lintkit lsp``), built on pygls 2.

Importing this package is cheap: pygls is imported only by :mod:`lintkit.lsp.server`.
"""
