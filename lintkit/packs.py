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
pack, the entry and the reason. Patterns are compiled with the ``regex`` module, then
rejected if they can backtrack catastrophically: a static check of the parsed pattern
(nested variable quantifiers, repeated parts that can match empty, repeated alternations
whose branches overlap) and a probe under the regex module's timeout. See
docs/robustness.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from lintkit.config import read_toml
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
    raw = read_toml(path, PackError, " rule pack")
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


def compile_pattern(pattern: str, pack: Pack, entry_id: str, flags: int = 0) -> Any:
    """Compile a user pattern with the ``regex`` module, after a static check that
    rejects the shapes that backtrack catastrophically (see :func:`backtracking_risk`)."""
    import regex

    if not isinstance(pattern, str):
        raise PackError(str(pack.path), f"entry {entry_id!r}: pattern must be a string, not {type(pattern).__name__}")
    try:
        compiled = regex.compile(pattern, flags | regex.V0)
    except (regex.error, ValueError, OverflowError, RecursionError) as exc:
        raise PackError(str(pack.path), f"entry {entry_id!r}: bad pattern {pattern!r}: {exc}") from None
    risk = backtracking_risk(pattern, flags) or _probe(compiled, pattern)
    if risk:
        raise PackError(str(pack.path), f"entry {entry_id!r}: pattern {pattern!r} {risk} (catastrophic "
                        "backtracking); rewrite it so that each repeated part can match in only one way")
    return compiled


PROBE_TIMEOUT = 1.0  # seconds for one probe search; a safe pattern needs microseconds


def _probe(compiled: Any, pattern: str) -> str | None:
    """Second line of defence: search runs of each character the pattern names (30 of
    them, then a NUL the pattern is unlikely to accept) under the regex module's
    timeout. An exponential pattern needs about 2**30 steps there; a linear one, 30."""
    chars = dict.fromkeys(ch for ch in pattern if ch.isalnum() or ch in " -.,'")
    chars.update(dict.fromkeys("aA1 -."))
    for ch in list(chars)[:48]:
        text = ch * 30 + "\0"
        try:
            compiled.search(text, timeout=PROBE_TIMEOUT)
        except TimeoutError:
            return f"takes over {PROBE_TIMEOUT:g} s on {ch * 3!r}... (30 of them)"
    return None


# Static backtracking check ------------------------------------------------------------
#
# The pattern is parsed with Python's own regex parser (``re._parser``) and every
# repetition that can run more than once (``+``, ``*``, ``{n,}``, ``{n,m}`` with m > 1) is
# inspected. Its body must not
#   1. contain another variable repetition: ``(a+)+``, ``(\w+\s?)+$``, ``((a+))+``
#      (a fixed count such as ``(\d{3}-)+`` is fine);
#   2. be able to match the empty string: ``(a?)*``, ``(|a)+``;
#   3. contain an alternation whose branches can start with the same character, or of
#      which one can match empty: ``(a|aa)+``, ``(\w|\d)+``, ``(a|a?)+``.
# Atomic groups ``(?>...)`` and possessive quantifiers ``a++`` never backtrack and are
# not inspected. First characters are compared over a sample alphabet (ASCII and a few
# letters, digits and spaces from elsewhere), case-folded under IGNORECASE. Patterns the
# stdlib parser cannot read (regex-module-only syntax) fall back to a textual check for
# a quantified group with a quantifier inside.

_SAMPLE = frozenset(chr(c) for c in range(32, 127)) | frozenset("\t\n\u00a0\u2003éßÉ٣五ـ\u0301")
_TEXTUAL = None


def backtracking_risk(pattern: str, flags: int = 0) -> str | None:
    """Why ``pattern`` can backtrack catastrophically, or None."""
    import re
    import warnings

    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - Python < 3.11
        import sre_parse  # type: ignore[no-redef]
    simplified = _simplify_properties(pattern)
    try:
        with warnings.catch_warnings():  # "possible nested set" and the like: not ours to report
            warnings.simplefilter("ignore")
            parsed = sre_parse.parse(simplified, flags & (re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE))
    except (re.error, ValueError, OverflowError, RecursionError, TypeError):
        global _TEXTUAL
        if _TEXTUAL is None:
            _TEXTUAL = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]")
        return "nests quantifiers" if _TEXTUAL.search(pattern) else None
    ignorecase = bool(parsed.state.flags & re.IGNORECASE)
    try:
        return _Checker(sre_parse, ignorecase).seq(list(parsed))
    except RecursionError:
        return "nests groups too deeply to check"


# \p{...} (regex module only) as stdlib ranges that keep case and letter/digit apart.
_PROPERTIES = {"lu": "A-ZÀ-ÖØ-Þ", "ll": "a-zß-öø-ÿ", "l": "A-Za-zÀ-ÖØ-öø-ÿ", "alpha": "A-Za-zÀ-ÖØ-öø-ÿ",
               "n": "0-9", "nd": "0-9", "digit": "0-9", "z": " \\t", "zs": " ", "p": "!-/:-@\\[-`{-~"}


def _simplify_properties(pattern: str) -> str:
    out: list[str] = []
    i, in_class, n = 0, False, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            m = _PROP.match(pattern, i)
            if m:
                name = (m.group(2) or m.group(3)).lower().replace("_", "").removeprefix("is")
                ranges = _PROPERTIES.get(name, "\\w") if m.group(1) == "p" else "\\s\\S"
                out.append(ranges if in_class else f"[{ranges}]")
                i = m.end()
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            i += 1
            if pattern[i : i + 1] == "^":
                out.append("^")
                i += 1
            if pattern[i : i + 1] == "]":
                out.append("]")
                i += 1
            continue
        if ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


_PROP = __import__("re").compile(r"\\([pP])(?:\{\^?([^}]*)\}|([A-Za-z]))")


class _Checker:
    def __init__(self, sre_parse: Any, ignorecase: bool) -> None:
        from re import _constants as c  # type: ignore[attr-defined]

        self.c = c
        self.fold = ignorecase
        self.REPEATS = {c.MAX_REPEAT, c.MIN_REPEAT}
        self.MAXREPEAT = c.MAXREPEAT

    # Outside any repetition ------------------------------------------------------------
    def seq(self, items: list[Any]) -> str | None:
        for op, av in items:
            why = self.item(op, av)
            if why:
                return why
        return None

    def item(self, op: Any, av: Any) -> str | None:
        c = self.c
        if op in self.REPEATS:
            lo, hi, body = av
            if hi == self.MAXREPEAT or hi > 1:
                return self.repeated(list(body))
            return self.seq(list(body))
        if op == c.SUBPATTERN:
            return self.seq(list(av[-1]))
        if op == c.BRANCH:
            return next((w for alt in av[1] if (w := self.seq(list(alt)))), None)
        if op in (c.ASSERT, c.ASSERT_NOT):
            return self.seq(list(av[1]))
        if op == c.GROUPREF_EXISTS:
            return next((w for part in av[1:] if part is not None and (w := self.seq(list(part)))), None)
        return None  # literals, classes, anchors; ATOMIC_GROUP and POSSESSIVE_REPEAT never backtrack

    # The body of a repetition ----------------------------------------------------------
    def repeated(self, body: list[Any]) -> str | None:
        c = self.c
        if self.nullable(body):
            return "repeats a part that can match the empty string"
        flat = self.flatten(body)
        why = self.branches_overlap(flat)
        if why:
            return why
        for i, (op, av) in enumerate(flat):
            if op in self.REPEATS:
                lo, hi, inner = av
                if lo != hi:
                    # An inner variable repeat is safe only when what follows it (the rest of
                    # the body, then the next round) cannot start with what it consumes:
                    # "(?:-\w+)*" and "(?:[a-z]+\.)+" are fine, "(\w+\s?)+" is not.
                    if self.first(list(inner)) & self.first(flat[i + 1 :] + flat):
                        return "nests quantifiers"
                why = self.nested(list(inner))
            elif op == c.BRANCH:
                why = self.nested([(op, av)])
            elif op in (c.ASSERT, c.ASSERT_NOT):
                why = self.nested(list(av[1]))
            elif op == c.GROUPREF_EXISTS:
                why = next((w for part in av[1:] if part is not None and (w := self.nested(list(part)))), None)
            if why:
                return why
        return None

    def nested(self, items: list[Any]) -> str | None:
        """Deeper inside a repetition: any variable repeat is rejected."""
        c = self.c
        for op, av in items:
            why = None
            if op in self.REPEATS:
                lo, hi, inner = av
                if lo != hi:
                    return "nests quantifiers"
                why = self.nested(list(inner))
            elif op == c.SUBPATTERN:
                why = self.nested(list(av[-1]))
            elif op == c.BRANCH:
                if any(self.nullable(list(alt)) for alt in av[1]):
                    # also what "(a|aa)+" becomes once the parser factors out the "a"
                    return "repeats an alternation whose branches overlap or can match the empty string"
                why = next((w for alt in av[1] if (w := self.nested(list(alt)))), None)
            elif op in (c.ASSERT, c.ASSERT_NOT):
                why = self.nested(list(av[1]))
            elif op == c.GROUPREF_EXISTS:
                why = next((w for part in av[1:] if part is not None and (w := self.nested(list(part)))), None)
            if why:
                return why
        return None

    def flatten(self, items: list[Any]) -> list[Any]:
        out: list[Any] = []
        for op, av in items:
            if op == self.c.SUBPATTERN:
                out.extend(self.flatten(list(av[-1])))
            else:
                out.append((op, av))
        return out

    def branches_overlap(self, items: list[Any]) -> str | None:
        """An alternation directly in a repeated body (through groups) with branches that
        can start alike or match empty."""
        c = self.c
        for op, av in items:
            if op == c.SUBPATTERN:
                why = self.branches_overlap(list(av[-1]))
                if why:
                    return why
            elif op == c.BRANCH:
                seen: set[str] = set()
                for alt in av[1]:
                    alt = list(alt)
                    if self.nullable(alt):
                        return "repeats an alternation with a branch that can match the empty string"
                    first = self.first(alt)
                    if first & seen:
                        return "repeats an alternation whose branches overlap"
                    seen |= first
            if not self.nullable([(op, av)]):
                break  # only what can come first in the body matters
        return None

    # First characters (over the sample alphabet) and nullability ----------------------
    def nullable(self, items: list[Any]) -> bool:
        c = self.c
        for op, av in items:
            if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                continue
            if op in self.REPEATS or op == c.POSSESSIVE_REPEAT:
                if av[0] == 0 or self.nullable(list(av[2])):
                    continue
                return False
            if op in (c.SUBPATTERN, c.ATOMIC_GROUP):
                if self.nullable(_body(op, av, c)):
                    continue
                return False
            if op == c.BRANCH:
                if any(self.nullable(list(alt)) for alt in av[1]):
                    continue
                return False
            if op in (c.GROUPREF, c.GROUPREF_EXISTS):
                continue
            return False
        return True

    def first(self, items: list[Any]) -> set[str]:
        c = self.c
        out: set[str] = set()
        for op, av in items:
            if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                continue
            if op == c.LITERAL:
                out.add(chr(av))
            elif op == c.NOT_LITERAL:
                out |= _SAMPLE - {chr(av)}
            elif op == c.ANY:
                out |= _SAMPLE
            elif op == c.IN:
                out |= {ch for ch in _SAMPLE if self._in(av, ch)}
                out |= {chr(v) for k, v in av if k == c.LITERAL}
            elif op in self.REPEATS or op == c.POSSESSIVE_REPEAT:
                out |= self.first(list(av[2]))
            elif op in (c.SUBPATTERN, c.ATOMIC_GROUP):
                out |= self.first(_body(op, av, c))
            elif op == c.BRANCH:
                for alt in av[1]:
                    out |= self.first(list(alt))
            else:  # back-references and anything else: could be anything
                out |= _SAMPLE
            if not self.nullable([(op, av)]):
                break
        if self.fold:
            out = {ch.lower() for ch in out}
        return out

    def _in(self, items: list[Any], ch: str) -> bool:
        import re

        c = self.c
        negate = False
        hit = False
        for op, av in items:
            if op == c.NEGATE:
                negate = True
            elif op == c.LITERAL:
                hit = hit or ch == chr(av) or (self.fold and ch.lower() == chr(av).lower())
            elif op == c.RANGE:
                lo, hi = av
                hit = hit or lo <= ord(ch) <= hi or (self.fold and (lo <= ord(ch.lower()) <= hi
                                                                    or lo <= ord(ch.upper()) <= hi))
            elif op == c.CATEGORY:
                hit = hit or bool(re.match(_CATEGORY_RE.get(str(av), "."), ch))
        return hit != negate


def _body(op: Any, av: Any, c: Any) -> list[Any]:
    """The items inside a group: SUBPATTERN carries (group, flags, flags, body)."""
    return list(av[-1]) if op == c.SUBPATTERN else list(av)


_CATEGORY_RE = {
    "CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W",
    "CATEGORY_LINEBREAK": r"\n", "CATEGORY_NOT_LINEBREAK": r"[^\n]",
}
