"""Rule packs: declarative TOML data in ``rules/`` (shipped in the wheel) and in the
user's ``rule-packs`` paths.

Every pack starts with a header::

    [pack]
    name = "house-terms"
    kind = "terms"            # which rule kind reads it
    version = "1"
    description = "..."

and carries entries in whatever shape its kind declares. Loading validates the header
and (through :func:`check_keys`, :func:`compile_pattern`) each entry; errors name the
pack, the entry and the reason. Patterns are compiled with the ``regex`` module after a
static check that rejects nested quantifiers (catastrophic backtracking).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from lintkit.errors import PackError

PACK_KEYS = {"name", "kind", "version", "description"}


def builtin_rules_dir() -> Path:
    here = Path(__file__).resolve().parent
    installed = here / "rules"  # the wheel puts rules/ here
    return installed if installed.is_dir() else here.parent / "rules"


@dataclass
class Pack:
    name: str
    kind: str
    path: Path
    meta: dict[str, Any]
    data: dict[str, Any] = field(default_factory=dict)  # everything but [pack]


def load_pack(path: Path) -> Pack:
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(str(path), f"invalid TOML: {exc}") from None
    except OSError as exc:
        raise PackError(str(path), f"cannot read rule pack: {exc.strerror or exc}") from None
    head = raw.pop("pack", None)
    if not isinstance(head, dict):
        raise PackError(str(path), "missing [pack] header (name, kind, version, description)")
    unknown = set(head) - PACK_KEYS
    if unknown:
        raise PackError(str(path), f"unknown key(s) in [pack]: {', '.join(sorted(unknown))} "
                                   f"(allowed: {', '.join(sorted(PACK_KEYS))})")
    for key in ("name", "kind"):
        if not isinstance(head.get(key), str) or not head[key]:
            raise PackError(str(path), f"[pack] needs a string {key!r}")
    return Pack(head["name"], head["kind"], path, head, raw)


@lru_cache(maxsize=64)
def _packs_in(paths: tuple[str, ...]) -> tuple[Pack, ...]:
    out: list[Pack] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(load_pack(f) for f in sorted(path.rglob("*.toml")))
        elif path.is_file():
            out.append(load_pack(path))
        else:
            raise PackError(p, "rule pack not found")
    return tuple(out)


def packs(kind: str, extra: list[str] | tuple[str, ...] = ()) -> list[Pack]:
    """Built-in packs of ``kind`` followed by the user's (which may extend them)."""
    found = _packs_in((str(builtin_rules_dir()),)) + _packs_in(tuple(extra))
    return [p for p in found if p.kind == kind]


def check_keys(entry: dict[str, Any], allowed: set[str], pack: Pack, entry_id: str,
               required: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    unknown = set(entry) - allowed
    if unknown:
        raise PackError(str(pack.path), f"entry {entry_id!r}: unknown key(s) "
                        f"{', '.join(sorted(unknown))} (allowed: {', '.join(sorted(allowed))})")
    missing = required - set(entry)
    if missing:
        raise PackError(str(pack.path), f"entry {entry_id!r}: missing key(s) {', '.join(sorted(missing))}")


_NESTED = None


def compile_pattern(pattern: str, pack: Pack, entry_id: str, flags: int = 0) -> Any:
    """Compile a user pattern with the ``regex`` module, rejecting patterns that can
    backtrack catastrophically (a quantified group that itself contains a quantifier,
    or a quantified alternation with overlapping branches is rejected statically)."""
    import re as _re

    import regex

    global _NESTED
    if _NESTED is None:
        _NESTED = _re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]")
    if _NESTED.search(pattern):
        raise PackError(str(pack.path), f"entry {entry_id!r}: pattern {pattern!r} nests "
                        "quantifiers (catastrophic backtracking); rewrite it without a "
                        "repeated group that repeats inside")
    try:
        return regex.compile(pattern, flags | regex.V0)
    except regex.error as exc:
        raise PackError(str(pack.path), f"entry {entry_id!r}: bad pattern {pattern!r}: {exc}") from None
