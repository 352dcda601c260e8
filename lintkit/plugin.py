"""The plugin manager: built-in families, entry points and ``plugins = [...]``."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from dataclasses import dataclass

import pluggy

from lintkit import hookspecs
from lintkit.config import OptionSection
from lintkit.errors import ConfigError
from lintkit.types import Rule

# Built-in plugins, by entry-point name. pyproject.toml declares the same names in the
# ``lintkit`` entry-point group; registering them here first keeps a source checkout
# working, and load_setuptools_entrypoints() skips names already registered.
BUILTIN_PLUGINS: dict[str, str] = {
    "readers": "lintkit.document.plugin",
    "formats": "lintkit.formats.builtin",
    "consistency": "lintkit.families.consistency",
    "grammar": "lintkit.families.grammar",
    "readability": "lintkit.families.readability",
    "claims": "lintkit.families.claims",
    "ci-formats": "lintkit.formats.ci",
    "lsp": "lintkit.lsp.plugin",
}


@dataclass
class Command:
    """A sub-command contributed by a plugin."""

    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


class Registry:
    """Rules by code, built from every plugin's ``lintkit_register_rules``."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.rules: dict[str, Rule] = {}
        for batch in pm.hook.lintkit_register_rules():
            for rule in batch or ():
                if rule.code in self.rules:
                    raise ConfigError(None, f"two plugins register rule {rule.code}")
                self.rules[rule.code] = rule

    def get(self, code: str) -> Rule | None:
        return self.rules.get(code)

    def sorted(self) -> list[Rule]:
        return [self.rules[c] for c in sorted(self.rules)]


_cache: dict[tuple[str, ...], pluggy.PluginManager] = {}


def get_plugin_manager(extra: tuple[str, ...] = (), entry_points: bool = True) -> pluggy.PluginManager:
    """A plugin manager with built-ins, entry-point plugins and ``extra`` modules."""
    key = (*extra, str(entry_points))
    if key in _cache:
        return _cache[key]
    pm = pluggy.PluginManager("lintkit")
    pm.add_hookspecs(hookspecs)
    for name, module in BUILTIN_PLUGINS.items():
        try:
            pm.register(importlib.import_module(module), name=name)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    if entry_points:
        _load_entry_points(pm)
    for module in extra:
        if pm.get_plugin(module) is not None:
            continue
        try:
            mod = importlib.import_module(module)
        except ImportError as exc:
            raise ConfigError(None, f"cannot load plugin {module!r}: {exc}") from None
        pm.register(mod, name=module)
    _cache[key] = pm
    return pm


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    """Third-party plugins from the ``lintkit`` entry-point group. Built-in names are
    registered above (from this source tree), so they are skipped here."""
    if not may_have_plugins():
        return
    from importlib.metadata import entry_points

    for ep in entry_points(group="lintkit"):
        if ep.name in BUILTIN_PLUGINS or pm.get_plugin(ep.name) is not None or pm.is_blocked(ep.name):
            continue
        try:
            plugin = ep.load()
        except Exception as exc:
            raise ConfigError(None, f"cannot load plugin {ep.name!r} ({ep.value}) from entry point: "
                                    f"{type(exc).__name__}: {exc}") from None
        pm.register(plugin, name=ep.name)


def option_sections(pm: pluggy.PluginManager) -> list[OptionSection]:
    out: list[OptionSection] = []
    for batch in pm.hook.lintkit_add_options():
        out.extend(batch or ())
    return out


def may_have_plugins(path: list[str] | None = None) -> bool:
    """Could an installed distribution declare a ``lintkit`` entry point other than the
    built-in ones? A quick look at the ``entry_points.txt`` of each ``*.dist-info`` and
    ``*.egg-info`` folder on ``sys.path`` (about a millisecond), so that a run without
    third-party plugins does not import and run importlib.metadata (~17 ms of every
    start-up). Whenever the answer is not certain (a zip or egg on the path, an unreadable
    file, a line it does not understand): yes, and importlib.metadata decides."""
    import os
    import sys

    for entry in sys.path if path is None else path:
        folder = entry or "."
        if folder.lower().endswith(".egg"):
            return True
        try:
            children = os.listdir(folder)
        except NotADirectoryError:
            return True  # a zip archive on the path
        except OSError:
            continue  # missing: importlib.metadata finds nothing there either
        for name in children:
            low = name.lower()
            if not low.endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), encoding="utf-8") as f:
                    text = f.read()
            except (FileNotFoundError, NotADirectoryError):
                continue
            except (OSError, UnicodeDecodeError):
                return True
            if "lintkit" in text and _declares_others(text):
                return True
    return False


def _declares_others(text: str) -> bool:
    """Does this ``entry_points.txt`` put anything but the built-in names in the
    ``lintkit`` group (or anything this reading is unsure of)?"""
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if section != "lintkit":
            continue
        name, eq, _value = line.partition("=")
        if not eq or name.strip() not in BUILTIN_PLUGINS:
            return True
    return False
