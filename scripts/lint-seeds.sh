#!/usr/bin/env bash
# README command one: set everything up, then lint seeds/ with every family
# (LanguageTool included). Exits 1 because the seed essay has findings.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/lintkit check seeds/ "$@"
