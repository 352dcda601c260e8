"""Built-in check families, each a plugin on the same hooks as third-party ones."""
