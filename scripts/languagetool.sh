#!/usr/bin/env bash
# Install LanguageTool (Maven Central, English) if missing and start the managed server
# if it is not running; prints its port on stdout. Idempotent: safe to call before every
# test or lint run. Progress goes to stderr.
#
#   bash scripts/languagetool.sh            # install + start, print the port
#   bash scripts/languagetool.sh stop       # stop the managed server
#   bash scripts/languagetool.sh status     # version, port, pid, memory, uptime
#
# Honours LINTKIT_LANGUAGETOOL_HOME / LINTKIT_CACHE_DIR (install folder) and
# LINTKIT_LANGUAGETOOL_IDLE_TIMEOUT (minutes, default 30; 0 = never stop).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${LINTKIT_PYTHON:-$here/.venv/bin/python}"
[ -x "$py" ] || py="$(command -v python3)"
cmd="${1:-start}"
case "$cmd" in
  start)
    "$py" -m lintkit languagetool install >/dev/null
    exec "$py" -m lintkit languagetool start --idle-timeout "${LINTKIT_LANGUAGETOOL_IDLE_TIMEOUT:-30}"
    ;;
  install|stop|status)
    exec "$py" -m lintkit languagetool "$cmd" "${@:2}"
    ;;
  *)
    echo "usage: $0 [start|install|stop|status]" >&2
    exit 2
    ;;
esac
