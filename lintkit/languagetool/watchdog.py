"""Idle stop for the managed server: ``python -m lintkit.languagetool.watchdog HOME PID MINUTES``.

Polls ``HOME/last-used`` (touched by every lintkit process that sends a check) and
stops the JVM ``PID`` after MINUTES without use. Exits when the JVM is gone or when
``HOME/server.json`` names another pid (the server was replaced).
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    from lintkit.languagetool import server

    home, pid, minutes = Path(argv[0]), int(argv[1]), float(argv[2])
    idle = minutes * 60.0
    poll = max(0.5, min(30.0, idle / 10.0))
    while True:
        time.sleep(poll)
        if not server.pid_alive(pid):
            return 0
        st = server.read_state(home)
        if st is None or st.get("pid") != pid:
            return 0
        try:
            last = (home / "last-used").stat().st_mtime
        except OSError:
            last = float(st.get("started", 0))
        if time.time() - last >= idle:
            with server.start_lock(home):
                st = server.read_state(home)
                if st is None or st.get("pid") != pid:
                    return 0
                server._terminate(pid)
                with contextlib.suppress(FileNotFoundError):
                    server.state_path(home).unlink()
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
