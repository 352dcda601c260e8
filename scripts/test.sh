#!/usr/bin/env bash
# README command two (and CI): set everything up, then ruff and the whole test suite,
# grammar tests against the real LanguageTool server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
