"""Configuration: ``[tool.lintkit]`` in pyproject.toml or ``lintkit.toml``, found upward
from each file. Plugins declare their own sections through ``lintkit_add_options``.

Keys are kebab-case (``fail-on``); snake_case spellings are accepted too.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lintkit.errors import ConfigError, LintkitError
from lintkit.types import Severity

CONFIG_NAMES = ("lintkit.toml", ".lintkit.toml", "pyproject.toml")


@dataclass(frozen=True)
class Option:
    """One config key of a plugin section."""

    name: str
    default: Any
    help: str
    type: type | tuple[type, ...] = str
    choices: tuple[Any, ...] | None = None
    item_type: type | None = None  # for lists: the type of each item

    def describe(self) -> str:
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        t = self.type if isinstance(self.type, tuple) else (self.type,)
        names = " or ".join(_TYPE_NAMES.get(x, x.__name__) for x in t)
        if self.item_type is not None:
            names += f" of {_TYPE_NAMES.get(self.item_type, self.item_type.__name__)}s"
        return names


_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true/false",
               list: "a list", dict: "a table"}


@dataclass(frozen=True)
class OptionSection:
    name: str
    options: tuple[Option, ...]
    help: str = ""


def _norm_key(key: str) -> str:
    return key.replace("_", "-")


# Top-level keys of [tool.lintkit].
CORE_OPTIONS = OptionSection(
    "",
    (
        Option("select", None, "codes or prefixes to enable (default: every rule)", list, item_type=str),
        Option("extend-select", [], "codes or prefixes added to select", list, item_type=str),
        Option("ignore", [], "codes or prefixes to disable", list, item_type=str),
        Option("severity", {}, "severity overrides: CODE = error|warning|info", dict),
        Option("per-file-ignores", {}, "glob = [codes] ignored in matching files", dict),
        Option("include", ["*.md", "*.markdown", "*.mdown", "*.mkd", "*.txt", "*.text", "*.rst"],
               "file globs checked when a folder is given", list, item_type=str),
        Option("exclude", [".git", ".hg", ".venv", "venv", "node_modules", "__pycache__", "build", "dist",
                           ".tox", ".mypy_cache", ".pytest_cache", ".ruff_cache"],
               "names or globs skipped when walking folders", list, item_type=str),
        Option("extend-exclude", [], "globs added to exclude", list, item_type=str),
        Option("rule-packs", [], "extra rule-pack files or folders (TOML)", list, item_type=str),
        Option("plugins", [], "Python modules to load as plugins", list, item_type=str),
        Option("language", "en-US", "language variant", str,
               choices=("en-US", "en-GB", "en-AU", "en-CA", "en-NZ", "en-ZA")),
        Option("fail-on", "warning", "lowest severity that makes the exit code 1", str,
               choices=("error", "warning", "info")),
        Option("cache", True, "use the on-disk result cache", bool),
        Option("max-file-size", 20_000_000, "bytes; larger files are reported and skipped", int),
    ),
)


def _check_value(opt: Option, value: Any, where: str, key: str) -> Any:
    t = opt.type if isinstance(opt.type, tuple) else (opt.type,)
    ok = isinstance(value, t) and not (isinstance(value, bool) and bool not in t)
    if float in t and isinstance(value, int) and not isinstance(value, bool):
        ok = True
    if ok and opt.choices is not None and value not in opt.choices:
        ok = False
    if ok and opt.item_type is not None and isinstance(value, list):
        ok = all(isinstance(v, opt.item_type) for v in value)
    if not ok:
        raise ConfigError(where, f"bad value {value!r} for key {key!r}: expected {opt.describe()}")
    return value


@dataclass
class Config:
    """Resolved settings for the files under one config file."""

    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    core: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    _fingerprint: str | None = field(default=None, init=False, repr=False, compare=False)
    # Answers of selected() and of CheckContext.enabled(), kept for the Config's life: it
    # is not changed after it is built, and every file of a folder asks the same codes.
    _selected: dict[tuple[str, tuple[str, ...]], bool] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    _enabled: dict[tuple[object, tuple[str, ...]], dict[str, bool]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    _severity: dict[tuple[str, Severity], Severity] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    # Convenience accessors ------------------------------------------------------------
    def get(self, key: str) -> Any:
        return self.core[key]

    def options(self, section: str) -> dict[str, Any]:
        return self.sections.get(section, {})

    @property
    def language(self) -> str:
        return str(self.core["language"])

    @property
    def fail_on(self) -> Severity:
        return Severity.parse(self.core["fail-on"])

    def fingerprint(self) -> str:
        """A short hash of the resolved settings (cache keys). Computed once: a Config is
        not changed after it is built (a changed file or override gives a new one)."""
        if self._fingerprint is None:
            import hashlib
            import json

            blob = json.dumps([self.core, self.sections], sort_keys=True, default=str)
            self._fingerprint = hashlib.sha256(blob.encode()).hexdigest()[:16]
        return self._fingerprint

    # Selection --------------------------------------------------------------------------
    def selected(self, code: str, aliases: tuple[str, ...] = ()) -> bool:
        """Longest matching selector wins; on a tie, ignore wins."""
        key = (code, tuple(aliases))
        hit = self._selected.get(key)
        if hit is None:
            hit = self._selected[key] = self._select(code, aliases)
        return hit

    def enabled_memo(self, registry: object, file_ignores: list[str]) -> dict[str, bool]:
        """The table of CheckContext.enabled() answers for one registry and one set of
        per-file ignores, shared by every file that has them."""
        key = (registry, tuple(file_ignores))
        memo = self._enabled.get(key)
        if memo is None:
            memo = self._enabled[key] = {}
        return memo

    def _select(self, code: str, aliases: tuple[str, ...]) -> bool:
        select = self.core["select"]
        select = (list(select) if select is not None else [""]) + list(self.core["extend-select"])
        best_sel = _best(select, code, aliases)
        best_ign = _best(self.core["ignore"], code, aliases)
        if best_sel < 0:
            return False
        return best_sel > best_ign

    def file_ignores(self, path: str) -> list[str]:
        out: list[str] = []
        if not self.core["per-file-ignores"]:
            return out
        try:
            rel = os.path.relpath(os.path.abspath(path), self.root)
        except ValueError:
            rel = path
        for glob, codes in self.core["per-file-ignores"].items():
            if fnmatch.fnmatch(rel, glob) or fnmatch.fnmatch(os.path.basename(path), glob) \
                    or fnmatch.fnmatch(path, glob):
                out.extend(codes)
        return out

    def severity_for(self, code: str, default: Severity) -> Severity:
        key = (code, default)
        sev = self._severity.get(key)
        if sev is None:
            sev = self._severity[key] = self._severity_for(code, default)
        return sev

    def _severity_for(self, code: str, default: Severity) -> Severity:
        best, sev = -1, default
        for sel, value in self.core["severity"].items():
            if code.startswith(sel) and len(sel) > best:
                best, sev = len(sel), Severity.parse(value)
        return sev


def _best(selectors: list[str], code: str, aliases: tuple[str, ...]) -> int:
    best = -1
    for s in selectors:
        if code.startswith(s) or any(a.startswith(s) for a in aliases if s):
            best = max(best, len(s) if s else 0)
    return best


def find_config_file(start: Path) -> Path | None:
    """The nearest config file at or above ``start`` (a folder)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            cand = folder / name
            if cand.is_file():
                if name == "pyproject.toml" and "lintkit" not in read_toml(cand).get("tool", {}):
                    continue
                return cand
    return None


def read_toml(path: Path, error: type[LintkitError] = ConfigError, what: str = "") -> dict[str, Any]:
    """Parse a TOML file; any failure is ``error`` naming the file and the cause."""
    import tomllib  # (here: a run without a config file or rule pack needs no TOML parser)

    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise error(str(path), f"invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise error(str(path), f"invalid TOML: not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} "
                               f"at offset {exc.start})") from None
    except OSError as exc:
        raise error(str(path), f"cannot read{what}: {exc.strerror or exc}") from None


def load_raw(path: Path) -> dict[str, Any]:
    data = read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("lintkit", {})
    if not isinstance(data, dict):
        raise ConfigError(str(path), "[tool.lintkit] must be a table")
    return data


def build_config(
    raw: dict[str, Any],
    sections: list[OptionSection],
    path: Path | None = None,
    root: Path | None = None,
) -> Config:
    """Validate ``raw`` against the core keys and plugin sections; fill defaults."""
    where = str(path) if path else "command line"
    by_name = {s.name: s for s in sections}
    core_opts = {o.name: o for o in CORE_OPTIONS.options}
    core: dict[str, Any] = {k: _copy(o.default) for k, o in core_opts.items()}
    plugin: dict[str, dict[str, Any]] = {
        s.name: {o.name: _copy(o.default) for o in s.options} for s in sections
    }
    for key, value in raw.items():
        k = _norm_key(key)
        if k in core_opts:
            core[k] = _check_value(core_opts[k], value, where, key)
        elif k in by_name and isinstance(value, dict):
            opts = {o.name: o for o in by_name[k].options}
            for sk, sv in value.items():
                nk = _norm_key(sk)
                if nk not in opts:
                    allowed = ", ".join(sorted(opts)) or "(none)"
                    raise ConfigError(where, f"unknown key {sk!r} in [{k}] (allowed: {allowed})")
                plugin[k][nk] = _check_value(opts[nk], sv, where, f"{k}.{sk}")
        else:
            allowed = ", ".join(sorted(core_opts) + sorted(f"[{s}]" for s in by_name if s))
            raise ConfigError(where, f"unknown key {key!r} (allowed: {allowed})")
    for sev_key, sev in core["severity"].items():
        if not isinstance(sev, str) or sev.lower() not in ("error", "warning", "info"):
            raise ConfigError(where, f"bad severity {sev!r} for {sev_key!r} (allowed: error, warning, info)")
    for glob, codes in core["per-file-ignores"].items():
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise ConfigError(where, f"per-file-ignores {glob!r} must be a list of codes")
    base = path.parent if path else (root or Path.cwd())
    core["rule-packs"] = [str((base / p).resolve()) for p in core["rule-packs"]]
    return Config(path=path, root=base, core=core, sections=plugin)


def _copy(v: Any) -> Any:
    if isinstance(v, list):
        return list(v)
    if isinstance(v, dict):
        return dict(v)
    return v


def merge_raw(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict) and _norm_key(k) not in (
            "severity", "per-file-ignores"):
            out[k] = {**out[k], **v}
        else:
            out[k] = v
    return out
