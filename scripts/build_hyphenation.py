"""Write lintkit/families/readability/hyphenation.bin: pyphen's English hyphenation
patterns as the trie the readability family walks, built from the pyphen package installed
in this environment (the version pyproject.toml pins).

Run it after changing the pyphen pin or the table's format
(``lintkit.families.readability.hyphenation.FORMAT``); tests/test_readability_hyphenation.py
fails while the shipped table is not the one this would write.

    .venv/bin/python scripts/build_hyphenation.py
"""

from __future__ import annotations

from lintkit.families.readability.hyphenation import write_shipped

if __name__ == "__main__":
    path = write_shipped()
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")
