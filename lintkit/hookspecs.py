"""The table of contents of lintkit: every extension point, in the order data flows.

Built-in families (grammar, readability, claims, consistency), the document readers and
the output formats are plugins on exactly these hooks, registered the way a third-party
plugin is (an entry point in the ``lintkit`` group, or ``plugins = [...]`` in config).

Data path::

    discover files → lintkit_read_document → Document
      → lintkit_prefetch (optional, slow backends) → lintkit_check (one call per plugin) → findings
      → suppression / select / ignore / severity → de-duplication
      → lintkit_formats (text, json, sarif, github, junit, ...) → exit code
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from lintkit.config import OptionSection
    from lintkit.context import CheckContext
    from lintkit.document.model import Document, Source
    from lintkit.formats import Formatter
    from lintkit.plugin import Command
    from lintkit.types import Finding, Rule

hookspec = pluggy.HookspecMarker("lintkit")
hookimpl = pluggy.HookimplMarker("lintkit")


# 1. Configuration -------------------------------------------------------------------


@hookspec
def lintkit_add_options() -> Iterable[OptionSection]:
    """Declare config sections with their keys, types and defaults.

    Called once at start-up. A section named ``"grammar"`` is read from
    ``[tool.lintkit.grammar]`` (or ``[grammar]`` in ``lintkit.toml``); an unknown key or a
    value of the wrong type stops the run with exit 2 and a message naming the file, the
    key and what is allowed.
    """


# 2. Rules ---------------------------------------------------------------------------


@hookspec
def lintkit_register_rules() -> Iterable[Rule]:
    """Return the metadata of every rule this plugin can report: stable code, name,
    family, default severity, summary, doc, bad and good examples, fixability.

    ``lintkit rules``, ``lintkit rule CODE``, docs/rules.md and SARIF rule metadata are
    built from these. A finding whose code is not registered is a plugin bug."""


# 3. Reading documents ---------------------------------------------------------------


@hookspec(firstresult=True)
def lintkit_read_document(source: Source) -> Document | None:
    """Build the shared :class:`~lintkit.document.model.Document` (prose projection with
    offset map, paragraphs, sentences, words, suppressions) for a decoded source, or
    return ``None`` if this reader does not handle ``source.format``.

    The first non-``None`` result wins; built-in readers handle ``markdown`` and
    ``text``. Called once per file; every rule then shares the result."""


# 4. Checking ------------------------------------------------------------------------


@hookspec
def lintkit_check(document: Document, ctx: CheckContext) -> Iterable[Finding] | None:
    """Check one document and return findings (source offsets; the engine adds lines,
    columns and the path, applies suppressions, select/ignore and severity overrides).

    ``ctx`` gives the resolved config, this plugin's options (``ctx.options("name")``),
    ``ctx.enabled(code)`` to skip work for deselected rules, rule packs and the cache
    folder. Raise :class:`lintkit.errors.LintkitError` for a failure the user can act on
    (backend down): the engine reports it and exits 2; findings are never silently lost.
    """


@hookspec
def lintkit_prefetch(document: Document, ctx: CheckContext) -> bool | None:
    """Start slow, waiting-bound work for a document whose ``lintkit_check`` comes later
    (requests to a server), and return ``True`` if something was started.

    When checking many files the engine builds the next file's document and calls this
    hook before it runs the current file's checks, so a backend has the next file's work
    queued while the current file's last answers come in (and the document model is built
    while the backend works). Keep what was started in ``ctx.state[<plugin>]``; the
    ``lintkit_check`` call for the same document receives the same ``ctx``. Optional: a
    plugin without it, or a call that returns ``False``, simply does its work in
    ``lintkit_check``; an exception here is ignored (``lintkit_check`` runs anyway and
    reports the failure).
    """


@hookspec
def lintkit_document_metrics(document: Document, ctx: CheckContext) -> Mapping[str, Any] | None:
    """Return per-document metrics (e.g. readability scores) for JSON output and
    ``lintkit stats``, keyed by plugin, or ``None``."""


# 5. Output --------------------------------------------------------------------------


@hookspec
def lintkit_formats() -> Mapping[str, Formatter]:
    """Return output formats by name (``--format NAME``). A formatter receives the whole
    run's report and the rule registry and writes to a text stream."""


# 6. Commands ------------------------------------------------------------------------


@hookspec
def lintkit_commands() -> Mapping[str, Command]:
    """Return extra sub-commands (``lintkit languagetool start``, ``lintkit stats``, ...).

    A command declares its arguments on an ``argparse`` parser and runs with the parsed
    namespace; it calls the engine or API, never the other way round."""
