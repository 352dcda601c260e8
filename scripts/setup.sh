#!/usr/bin/env bash
# Set everything up on a fresh machine: a venv in .venv with lintkit and its pinned
# dependencies, then the English-only LanguageTool server (resolved from Maven Central
# and started on 127.0.0.1). Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

pick_python() {
  for py in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$py" ] || continue
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$py"; return 0
    fi
  done
  echo "lintkit: error: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)" >&2
  return 1
}

if [ ! -x .venv/bin/python ]; then
  py=$(pick_python)
  echo "setup: creating .venv with $py" >&2
  "$py" -m venv .venv
fi
stamp=.venv/.lintkit-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing lintkit and its pinned dependencies into .venv" >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[lsp,test]"
  touch "$stamp"
fi
# The optional C speed-ups (lintkit/_c/*.c), rebuilt when a source is newer than its module
# (the install above builds them; this catches an edited source). Without a C compiler
# lintkit runs the same checks in pure Python.
.venv/bin/python -m lintkit._c.build --if-stale >&2
if [ "${LINTKIT_SKIP_LANGUAGETOOL:-0}" != "1" ]; then
  bash scripts/languagetool.sh
fi
