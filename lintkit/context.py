"""What a plugin's ``lintkit_check`` receives besides the document."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from lintkit.config import Config
from lintkit.errors import LintkitError
from lintkit.plugin import Registry
from lintkit.types import Finding, Fix


def cache_dir() -> Path:
    """``LINTKIT_CACHE_DIR`` or the user cache folder."""
    env = os.environ.get("LINTKIT_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("lintkit"))


class CheckContext:
    def __init__(self, config: Config, registry: Registry, path: str) -> None:
        self.config = config
        self.registry = registry
        self.path = path
        self._file_ignores = config.file_ignores(path) if path else []
        # shared by the files with the same config, registry and per-file ignores
        self._enabled: dict[str, bool] = config.enabled_memo(registry, self._file_ignores)
        # Per-document scratch space, keyed by plugin: what a plugin's lintkit_prefetch
        # started for this document, for its lintkit_check to finish.
        self.state: dict[str, Any] = {}
        # Seconds per part of a plugin's work on this document (:meth:`timed`), keyed
        # ``"<plugin>{TIMING_SEP}<label>"``; the engine adds them to ``--timings``.
        self.timings: dict[str, float] = {}
        self.plugin = ""  # the plugin the engine is calling (set by the engine)

    @property
    def language(self) -> str:
        return self.config.language

    @property
    def cache_dir(self) -> Path:
        return cache_dir()

    def options(self, section: str) -> dict[str, Any]:
        return self.config.options(section)

    def enabled(self, code: str) -> bool:
        """Is ``code`` (or any rule under the prefix) selected for this file?"""
        hit = self._enabled.get(code)
        if hit is None:
            codes = [c for c in self.registry.rules if c.startswith(code)] or [code]
            hit = self._enabled[code] = any(
                self.config.selected(c) and not any(c.startswith(i) for i in self._file_ignores)
                for c in codes
            )
        return hit

    def timed(self, label: str) -> _Timer:
        """``with ctx.timed("XX101 my rule"):`` adds the time spent in the block to
        ``--timings``, under the calling plugin's line. Label a part by the codes it
        reports (or the rule pack it runs) so users see what each rule costs."""
        return _Timer(self, f"{self.plugin}{TIMING_SEP}{label}")

    def add_time(self, label: str, seconds: float) -> None:
        """Like :meth:`timed`, for time measured by the plugin itself."""
        self._add_time(f"{self.plugin}{TIMING_SEP}{label}", seconds)

    def _add_time(self, key: str, seconds: float) -> None:
        self.timings[key] = self.timings.get(key, 0.0) + seconds

    def finding(
        self,
        code: str,
        start: int,
        end: int,
        message: str,
        fixes: tuple[Fix, ...] | list[Fix] = (),
        aliases: tuple[str, ...] = (),
        **data: Any,
    ) -> Finding:
        """A finding with the registered rule's name and default severity."""
        rule = self.registry.get(code)
        if rule is None:
            raise LintkitError(None, f"internal error: rule {code} is not registered")
        return Finding(code, rule.name, rule.severity, message, start, end, tuple(fixes),
                       aliases=aliases, data=data)


# Separates a plugin's name from the label of a part of its work in timing keys.
TIMING_SEP = " › "


class _Timer:
    __slots__ = ("ctx", "key", "t0")

    def __init__(self, ctx: CheckContext, key: str) -> None:
        self.ctx = ctx
        self.key = key  # fixed when the block starts
        self.t0 = 0.0

    def __enter__(self) -> None:
        self.t0 = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.ctx._add_time(self.key, time.perf_counter() - self.t0)
