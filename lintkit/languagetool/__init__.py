"""LanguageTool for lintkit: install (Maven), the managed local server, the HTTP client.

- :mod:`lintkit.languagetool.install`: install folder, Java/Maven checks, ``mvn`` run.
- :mod:`lintkit.languagetool.server`: start/reuse/stop/status of the managed server.
- :mod:`lintkit.languagetool.client`: ``/v2/check`` with bounded time and UTF-16 offsets.
- :mod:`lintkit.languagetool.cli`: ``lintkit languagetool install|start|stop|status``.
"""

from lintkit.languagetool.install import LT_VERSION, home

__all__ = ["LT_VERSION", "home"]
