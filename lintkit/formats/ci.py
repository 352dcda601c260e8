"""CI output formats: ``sarif`` (GitHub code scanning and other SARIF viewers),
``github`` (workflow-command annotations) and ``junit`` (JUnit XML).

See docs/integrations.md for how each is meant to be used.
"""

from __future__ import annotations

from lintkit.formats import Formatter
from lintkit.formats.github import format_github
from lintkit.formats.junit import format_junit
from lintkit.formats.sarif import format_sarif
from lintkit.hookspecs import hookimpl

__all__ = ["format_github", "format_junit", "format_sarif", "lintkit_formats"]


@hookimpl
def lintkit_formats() -> dict[str, Formatter]:
    return {"sarif": format_sarif, "github": format_github, "junit": format_junit}
