"""CN101 name/term variants inside the document, CN102 house terms, CN103 demonyms.

Cost is linear in the document: occurrences are grouped by a normalised key (case,
hyphens, spaces and apostrophes removed) in one hash pass, and a key's occurrences are
resolved and counted per class (spelling and position flags); spellings one or two edits
apart are found with a symmetric-delete index built only from the document's rare
words, probed once per distinct word that could be the preferred spelling. No pair of
vocabulary words is ever compared except the few candidates the index returns."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Container, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, filterfalse
from operator import add, itemgetter

from lintkit._c import load
from lintkit.context import CheckContext
from lintkit.document.model import Document
from lintkit.families.consistency.lexicon import MEMO_MAX, Lexicon, dictionary, norm_key
from lintkit.families.consistency.units import (
    CAPS,
    END,
    FORM,
    HEADING,
    INITIAL,
    JOINED,
    KEY,
    QUOTED,
    START,
    N,
    Occ,
    Units,
    hyphen_parts,
)
from lintkit.types import Finding, Fix

Pos = Callable[[int], str]
# The compiled loops (lintkit/_c/names.c), or None. Each must give what the Python code it
# replaces gives (tests/test_c_names.py compares them): NameChecker.groups(), _classify
# (with _single), _resolved, _probing, _rare_keys, _near_pairs, occurrences_with's passes
# and the one of Lexicon.spellings_with.
_C = load("names")
_START, _FORM = itemgetter(START), itemgetter(FORM)
_CHOP = itemgetter(slice(None, -1))  # a key without its last letter


def _apos(s: str) -> str:
    return s.replace("’", "'")


def compatible(form: str, target: str, o: Occ) -> bool:
    """Is ``form`` the same spelling as ``target`` once the case that position forces
    (sentence start, heading) is discounted?"""
    return _compatible(form, target, o[INITIAL], o[HEADING])


def _compatible(form: str, target: str, initial: bool, heading: bool) -> bool:
    if _apos(form) == _apos(target):
        return True
    if initial and form[:1].casefold() == target[:1].casefold() and _apos(form[1:]) == _apos(target[1:]):
        return True
    if heading:
        fw, tw = form.split(), target.split()
        return len(fw) == len(tw) and all(a[:1].casefold() == b[:1].casefold() and a[1:] == b[1:]
                                          for a, b in zip(fw, tw, strict=True))
    return False


def _match_case(o: Occ, target: str) -> str:
    if o[INITIAL] and o[FORM][:1].isupper() and target[:1].islower():
        return target[:1].upper() + target[1:]
    return target


_SUFFIXES = ("s", "es", "ed", "d", "ing", "er", "ers", "est", "ly", "ies", "ied")


# in_dictionary()'s answers, memoised across documents (the same words and parts of
# hyphenated spellings recur), emptied when it reaches MEMO_MAX entries.
_IN_DICTIONARY: dict[str, bool] = {}


def in_dictionary(word: str) -> bool:
    """Is ``word`` (or its stem: pretences, flitted, wreathed) an English dictionary word?"""
    found = _IN_DICTIONARY.get(word)
    if found is None:
        if len(_IN_DICTIONARY) >= MEMO_MAX:
            _IN_DICTIONARY.clear()
        found = _IN_DICTIONARY[word] = _in_dictionary(word)
    return found


def _in_dictionary(word: str) -> bool:
    words = dictionary()
    k = norm_key(word)
    if k in words:
        return True
    for suf in _SUFFIXES:
        if k.endswith(suf) and len(k) - len(suf) >= 3:
            stem = k[: -len(suf)]
            if suf in ("ies", "ied"):
                stem += "y"
            if stem in words or stem + "e" in words or (len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in words):
                return True
    return False


def _words_in_dictionary(form: str) -> bool:
    parts = form.replace("-", " ").split()
    return bool(parts) and all(in_dictionary(p) for p in parts)


# What resolve() reads of an occurrence, its class: the spelling, and whether its position
# (sentence start, heading) sets its case. A group is resolved and counted by class.
_Class = tuple[str, bool, bool]
_CLASS = itemgetter(FORM, INITIAL, HEADING)


@dataclass
class Group:
    key: str
    occs: list[Occ]
    counts: dict[str, int] = field(default_factory=dict)
    trusted: dict[str, int] = field(default_factory=dict)
    first: dict[str, Occ] = field(default_factory=dict)
    target: str = ""
    reason: str = ""
    # How many occurrences of each class, in order of first appearance.
    classes: dict[_Class, int] = field(default_factory=dict)
    # The spelling each class stands for (None: no longer counted); spelling() reads it.
    resolved: dict[_Class, str | None] = field(default_factory=dict)
    _firsts: dict[_Class, Occ] | None = field(default=None, repr=False)

    def spelling(self, o: Occ) -> str | None:
        """The spelling occurrence ``o`` stands for (None: not counted)."""
        return self.resolved[_CLASS(o)]

    def first_of(self) -> dict[_Class, Occ]:
        """Each class's first occurrence."""
        firsts = self._firsts
        if firsts is None:
            firsts = self._firsts = {}
            n = len(self.classes)
            for o in self.occs:
                c = _CLASS(o)
                if c not in firsts:
                    firsts[c] = o
                    if len(firsts) == n:
                        break
        return firsts

    def tally(self) -> None:
        counts: dict[str, int] = {}
        trusted: dict[str, int] = {}
        leads: list[_Class] = []  # the first class of each spelling (classes are in order of first use)
        resolved = self.resolved
        for c, n in self.classes.items():
            f = resolved[c]
            if f is None:
                continue
            if f in counts:
                counts[f] += n
            else:
                counts[f] = n
                leads.append(c)
            if not (c[1] or c[2]):  # trusted: case not set by the position
                trusted[f] = trusted.get(f, 0) + n
        firsts = self.first_of() if len(self.classes) > 1 else {c: self.occs[0] for c in leads}
        self.counts, self.trusted = counts, trusted
        self.first = {resolved[c]: firsts[c] for c in leads}  # type: ignore[misc]

    def drop(self, forms: list[str] | set[str]) -> bool:
        """Stop treating ``forms`` as spellings of this group; True while 2+ remain."""
        if forms:
            self.resolved = {c: None if f in forms else f for c, f in self.resolved.items()}
            self.tally()
        return len(self.counts) >= 2

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class NameChecker:
    def __init__(self, doc: Document, units: Units, lex: Lexicon, ctx: CheckContext, pos: Pos,
                 min_count: int, ignore: set[str], open_compounds: bool = False) -> None:
        self.doc, self.units, self.lex, self.ctx, self.pos = doc, units, lex, ctx, pos
        self.min_count = min_count
        self.ignore = ignore
        self.open_compounds = open_compounds
        self.demonym_keys = lex.demonym_keys
        self.flagged: list[tuple[int, int]] = []  # projection spans reported by CN101

    # Grouping -------------------------------------------------------------------------

    def groups(self) -> dict[str, list[Occ]]:
        """Occurrences by key, in order of first appearance of the key (words, then word
        sequences, then plurals joined to their singular); each list in document order.
        Sets ``sequences``: the keys with an occurrence of several words."""
        units = self.units
        if _C is not None:  # the same, compiled
            by_key, self.sequences = _C.groups(units.keyed, units.unsorted, units.sequences, _START)
            return by_key  # type: ignore[no-any-return]
        by_key = dict(units.keyed)
        unsorted = set(units.unsorted)  # the lists a word sequence was added to
        sequences = self.sequences = set(units.sequences)
        # Plurals join their singular: "Tiktoks" counts as "Tiktok" + "s". (A singular never
        # ends in "s" here, so no singular is itself joined to another key.)
        for key in list(compress(by_key, map(by_key.__contains__, map(_CHOP, by_key)))):
            if len(key) > 4 and key[-1] == "s" and key[-2] != "s":
                one = key[:-1]
                joined = by_key[one] = by_key[one][:]  # a copy: units.keyed stays as built
                for o in by_key.pop(key):
                    if o[FORM].endswith("s"):
                        joined.append((o[START], o[END] - 1, o[FORM][:-1], one, o[INITIAL], o[HEADING],
                                       o[CAPS], o[QUOTED], o[N], o[JOINED]))
                unsorted.add(one)
                if key in sequences:
                    sequences.add(one)
        for key in unsorted:
            occs = by_key.get(key)
            if occs is not None and len(occs) > 1:
                occs.sort(key=_START)
        return by_key

    def resolve(self, g: Group) -> None:
        """Give each occurrence the spelling it stands for (see :func:`_resolved`), and count
        them per spelling."""
        term = self.lex.terms.get(g.key) if g.key in self.lex.canonical_keys else None
        classes = g.classes = Counter(map(_CLASS, g.occs))
        g.resolved = _resolve(classes, None if term is None else term.canonical)
        g.tally()

    def eligible(self, g: Group) -> bool:
        """Drop spellings that are ordinary words in their own right (apple / Apple), and
        groups that are grammatical pairs rather than variants (set up / setup)."""
        if g.key in self.lex.exceptions or g.key in self.demonym_keys or g.key in self.ignore:
            return False
        if len(g.counts) < 2:
            return False
        term = self.lex.terms.get(g.key) if g.key in self.lex.canonical_keys else None
        if term is not None and " " not in term.canonical:
            # "we chat" / "We chat" are ordinary words, not a split "WeChat" (unless the pack lists them).
            split = {f for f in g.counts if " " in f and f not in term.wrong and _words_in_dictionary(f.lower())}
            if not g.drop(split):
                return False
        forms = list(g.counts)
        lower = [f for f in forms if f == f.lower()]
        if lower and any(f != f.lower() for f in forms):
            # A lower-case dictionary word is not a variant of a capitalised name (apple / Apple,
            # mental health / PLOS Mental Health), unless a house term says it is (github / GitHub), or
            # the house name has several words and the document uses it in Title Case at least twice.
            if term is None:
                keep_lower = False
            elif not term.lowercase_ok:
                keep_lower = True
            else:
                titled = max((g.trusted.get(f, 0) for f in forms
                              if all(w[:1].isupper() for w in f.replace("-", " ").split())), default=0)
                keep_lower = " " in term.canonical and titled >= 2
            if term is None and " " not in g.key:
                # tencent / Tencent: the name written in lower case is the variant, never the
                # other way round (Reading Gaol / gaol, the Reformations / reformations).
                titled_forms = [f for f in forms if f not in lower]
                if all(f[:1].isupper() and f[1:] == f[1:].lower() for f in titled_forms):
                    top = max(forms, key=lambda f: (g.counts[f], -g.first[f][START]))
                    if top in lower:
                        return False
            if not g.drop({f for f in lower if not keep_lower and _words_in_dictionary(f)}):
                return False
        # An open compound of dictionary words is not a variant of a closed dictionary word
        # (to day / today, of ten / often, a long / along).
        spaced = [f for f in g.counts if " " in f] if term is None else []
        if self.open_compounds and any("-" in f for f in g.counts):
            spaced = []  # break even / break-even, reported on request
        if spaced and g.key in dictionary() and not any("-" in f for f in g.counts):
            return False
        if spaced and in_dictionary(g.key) and not g.drop(set(spaced)):
            return False
        forms = list(g.counts)
        for f in forms:
            if f.casefold().startswith("re-") and g.key in dictionary():
                return False  # re-form / reform, re-sign / resign
        if term is None:
            folded = {f.casefold() for f in forms}
            if len(folded) == 1:
                # Only letter case differs and no house term knows the name: report only a clear
                # majority (3+ uses, at least twice the rest) in trusted positions.
                top = max(forms, key=lambda f: g.trusted.get(f, 0))
                rest = g.total - g.counts[top]
                if g.trusted.get(top, 0) < 3 or g.counts[top] < 2 * rest:
                    return False
            elif not self.open_compounds and any(" " in f for f in forms) and any("-" in f for f in forms) \
                    and all(_words_in_dictionary(f) for f in forms):
                # long-term plans / in the long term: hyphenated before a noun only; both right.
                return False
        return True

    def choose(self, g: Group) -> None:
        term = self.lex.terms.get(g.key) if g.key in self.lex.canonical_keys else None
        if term is not None:
            g.target, g.reason = term.canonical, "house"
            return
        ranked = sorted(g.counts, key=lambda f: (g.trusted.get(f, 0) == 0, -g.counts[f], not in_dictionary(f),
                                                 g.first[f][START]))
        best = ranked[0]
        tied = [f for f in ranked if g.counts[f] == g.counts[best] and (g.trusted.get(f, 0) > 0)
                == (g.trusted.get(best, 0) > 0)]
        g.target = best
        g.reason = "tie" if len(tied) > 1 else "majority"

    # Messages ---------------------------------------------------------------------------

    def _first_pos(self, o: Occ) -> str:
        return self.pos(self.doc.source_span(o[START], o[END])[0])

    def spellings(self, groups: list[Group]) -> tuple[str, list[dict[str, object]]]:
        items: list[tuple[int, str, int, str]] = []
        for g in groups:
            for f, n in g.counts.items():
                o = g.first[f]
                items.append((o[START], f, n, self._first_pos(o)))
        items.sort()
        text = ", ".join(f'"{f}" {n}× (first {p})' for _, f, n, p in items)
        data = [{"spelling": f, "count": n, "first": p} for _, f, n, p in items]
        return text, data

    def reason_text(self, g: Group, target: str) -> str:
        n = g.counts.get(target, 0)
        first = self._first_pos(g.first[target]) if target in g.first else ""
        times = f"used {n} time{'s' if n != 1 else ''}, first at {first}" if n else "not used in the document"
        if g.reason == "house":
            return f"house spelling; {times}"
        if g.reason == "tie":
            return f"no majority, first use wins; {times}"
        return times

    # Rules ------------------------------------------------------------------------------

    def variants(self) -> list[Finding]:
        out: list[Finding] = []
        # cands: what near_variants() may pair, in key order: a Group, or for a key with one
        # spelling (most keys) just its occurrences, made a Group only if it is reported.
        # probe: the candidates that may be a preferred spelling there (see near_variants),
        # in key order: keys with one spelling used often enough, and every Group. Keys with
        # one spelling and no house term are sorted out at once (see _classify); the others,
        # ``hard``, are resolved here, in key order (their entry in cands, if any, becomes a
        # Group).
        classify = _C.classify if _C is not None else _classify
        cands, probe, hard = classify(self.groups(), self.lex.canonical_keys, self.sequences,
                                      max(self.min_count, 2), _compatible)
        for key, occs, near, one, classes, form in hard:
            if classes is not None:
                # Most such keys differ only by a capital that the position sets (The / the):
                # resolved to one spelling (form), they report nothing of their own, and their
                # Group is what tally() would make of it (first: the first occurrence).
                if form is not None:
                    if near:
                        cands[key] = _single_group(key, occs, classes, form)
                    continue
                g = Group(key, occs, classes=classes, resolved=_resolve(classes, None))
                g.tally()
            else:
                g = Group(key, occs)
                self.resolve(g)
            if near:
                cands[key] = g
            if one or not self.eligible(g):
                continue
            self.choose(g)
            text, data = self.spellings([g])
            why = self.reason_text(g, g.target)
            spelling = g.spelling
            for o in g.occs:
                r = spelling(o)
                if r is None or r == g.target or compatible(o[FORM], g.target, o):
                    continue
                out.append(self._variant_finding(o, g.target, why, text, data))
        if self.ctx.enabled("CN101"):
            out.extend(self.near_variants(cands, probe))
        return out

    def _variant_finding(self, o: Occ, target: str, why: str, text: str, data: list[dict[str, object]]) -> Finding:
        a, b = self.doc.source_span(o[START], o[END])
        repl = _match_case(o, target)
        self.flagged.append((o[START], o[END]))
        return self.ctx.finding("CN101", a, b, f'"{o[FORM]}" → "{repl}" ({why}); spellings: {text}',
                                fixes=[Fix(a, b, repl, True, f'use "{repl}"')], spelling=True,
                                target=target, spellings=data)

    def near_variants(self, cands: dict[str, Group | list[Occ]], probe: list[str]) -> list[Finding]:
        """Spellings one or two edits apart (Tecent / Tencent) via a symmetric-delete index.
        ``cands``: the keys of 5+ letters written as single words, each with its Group or,
        for a key with one spelling, its occurrences; ``probe``: those that may be a preferred
        spelling (every Group, and keys used at least min-count times), in the same order."""
        words = dictionary()
        lex = self.lex
        canonical = lex.canonical_keys
        # Groups left with no spelling take no part. Only a house term, or a spelling used at
        # least min-count times and at least twice (twice as often as a minority used at
        # least once), can be the preferred spelling: only those keys (``probers``) probe
        # the index.
        least = max(self.min_count, 2)
        gone, probers = (_C.probing if _C is not None else _probing)(cands, probe, canonical, least)
        for key in gone:
            del cands[key]
        # Which keys may be a rare spelling depends on the key and the packs (memoised: the
        # same keys recur across documents), then on the document's spellings of it.
        rare_key, in_dict = lex.memo("near-variant keys"), lex.memo("dictionary spellings")
        for k in filterfalse(rare_key.__contains__, cands):
            rare_key[k] = (k not in words and not in_dictionary(k) and k not in canonical
                           and not any(k.startswith(w) for w in (k[:-1], k[:-2]) if w in lex.dialect)
                           and k not in lex.dialect
                           and k not in self.demonym_keys and k not in lex.exceptions)

        def spelled_in_dictionary(f: str) -> bool:
            found = in_dict.get(f)
            if found is None:
                # A spelling of one word (no hyphen, no space) whose key is a rare key is not in
                # the dictionary: in_dictionary() reads a word's key only, and it said no to
                # that key (rare_key), so the word list need not be asked again.
                k = norm_key(f)
                if rare_key.get(k) and "-" not in f and f.split() == [f] and norm_key(k) == k:
                    found = in_dict[f] = False
                else:
                    found = in_dict[f] = _words_in_dictionary(f)
            return found  # type: ignore[no-any-return]

        rare = (_C.rare_keys if _C is not None else _rare_keys)(cands, rare_key, self.ignore, in_dict,
                                                                spelled_in_dictionary)
        if not rare or not probers:
            return []

        def group(key: str) -> Group:
            c = cands[key]
            if type(c) is list:
                c = cands[key] = _one_spelling(key, c)
            return c

        best: dict[str, tuple[int, str]] = {}
        # (group() replaces values in cands, never adds keys)
        for k, near in (_C.near_pairs if _C is not None else _near_pairs)(probers, rare):
            total = _total(cands[k])
            is_term = k in canonical
            # Each rare key sharing a delete, once (what is decided for it depends on k and it
            # only, so their order does not matter).
            for r in near:
                minority = _total(cands[r])
                if not is_term and (total < 2 * minority or total < self.min_count):
                    continue
                # Two edits only between long lower-case words (goverment / government); names
                # that far apart are usually two names (Wandsworth / Wordsworth).
                named = _target(group(k))[:1].isupper() or _target(group(r))[:1].isupper()
                d = 2 if min(len(r), len(k)) >= 8 and not named else 1
                if _end_only(r, k) or _osa(r, k, d) > d:
                    continue
                score = (1 if is_term else 0) * 10**9 + total
                if r not in best or score > best[r][0]:
                    best[r] = (score, k)
        out: list[Finding] = []
        flagged = set(self.flagged)
        for r, (_, k) in sorted(best.items()):
            g, target_group = group(r), group(k)
            target = _target(target_group)
            text, data = self.spellings([target_group, g])
            why = self.reason_text(target_group, target) if target in target_group.counts else "house spelling"
            for o in g.occs:
                if g.spelling(o) is None or (o[START], o[END]) in flagged:
                    continue
                out.append(self._variant_finding(o, target, why, text, data))
        return out

    def house_terms(self) -> list[Finding]:
        out: list[Finding] = []
        spans = sorted(self.flagged)
        starts = [s for s, _ in spans]
        terms = self.lex.terms
        if terms.keys().isdisjoint(self.units.unigram_keys) and not any(o[KEY] in terms for o in self.units.grams):
            return out  # no house term in the document
        get = terms.get
        # The few house terms among the words, then the word sequences.
        for o in occurrences_with(self.units.words, terms, KEY) + occurrences_with(self.units.grams, terms, KEY):
            term = get(o[KEY])
            if term is None or o[QUOTED] or not o[KEY] or o[CAPS]:
                continue
            if o[KEY] == norm_key(term.canonical):
                if compatible(o[FORM], term.canonical, o):
                    continue
                if " " in o[FORM] and " " not in term.canonical and o[FORM] not in term.wrong:
                    continue  # "we chat" is two ordinary words, not a misspelt "WeChat"
                low = o[FORM][:1].lower() + o[FORM][1:]
                if term.lowercase_ok and low == low.lower() and (o[INITIAL] or o[FORM] == low):
                    continue
            elif o[FORM] not in term.wrong:
                continue
            i = bisect.bisect_right(starts, o[END]) - 1
            if i >= 0 and any(s < o[END] and o[START] < e for s, e in spans[max(0, i - 3):i + 1]):
                continue
            a, b = self.doc.source_span(o[START], o[END])
            repl = term.canonical
            out.append(self.ctx.finding("CN102", a, b, f'"{o[FORM]}" → "{repl}" (house spelling, pack {term.pack})',
                                        fixes=[Fix(a, b, repl, True, f'use "{repl}"')], spelling=True,
                                        target=repl, pack=term.pack))
        return _drop_nested(out)

    def demonyms(self) -> list[Finding]:
        out: list[Finding] = []
        dem = self.lex.demonyms
        # Per spelling: its lower-case demonym parts (offset, part).
        found = self.lex.spellings_with("demonyms", self.units.forms, lambda form: _demonym_parts(form, dem),
                                        dem.keys())
        if not found:
            return out
        for o in occurrences_with(self.units.words, found, FORM):  # the few words found
            if o[QUOTED]:
                continue
            for off, part in found[o[FORM]]:
                a, b = self.doc.source_span(o[START] + off, o[START] + off + len(part))
                repl = dem[part]
                out.append(self.ctx.finding("CN103", a, b, f'"{part}" → "{repl}" (nationalities, languages '
                                            "and peoples are capitalised)",
                                            fixes=[Fix(a, b, repl, True, f'use "{repl}"')], spelling=True,
                                            target=repl))
        return out


_Hard = tuple[str, list[Occ], bool, bool, dict[_Class, int] | None, str | None]


def _classify(by_key: dict[str, list[Occ]], canonical: AbstractSet[str], sequences: AbstractSet[str],
              least: int, compatible: Callable[[str, str, bool, bool], bool] = _compatible,
              ) -> tuple[dict[str, Group | list[Occ]], list[str], list[_Hard]]:
    """Sort the keys of ``by_key`` (NameChecker.groups()) for NameChecker.variants(), in key
    order: ``cands``, the keys near_variants() may pair (5+ letters, written as single
    words), each with its occurrences; ``probe``, those of them that may be a preferred
    spelling; ``hard``, the keys to resolve (several spellings, or a house term), each as
    (key, occurrences, in cands?, one spelling?, classes, single), with, for a key without
    a house term, its classes (see Group) counted in order of first use and the one
    spelling they resolve to (_single) or None, else None and None. A key of ``hard`` in
    cands is in probe (its Group will be a candidate); a key with one spelling and no house
    term is in probe if it is used at least ``least`` times. (The compiled ``classify`` of
    lintkit/_c/names.c does the same; it calls ``compatible``, _compatible, for spellings
    that are not ASCII.)"""
    cands: dict[str, Group | list[Occ]] = {}
    probe: list[str] = []
    hard: list[_Hard] = []
    for key, occs in by_key.items():
        if len(occs) == 1:  # most keys: the same as below, in short
            if key not in canonical:
                if len(key) >= 5 and key.isalpha() and key not in sequences:
                    cands[key] = occs  # (used once: never preferred, as least >= 2)
                continue
            one = True
        else:
            one = len(set(map(_FORM, occs))) == 1
        # near_variants() pairs keys of 5+ letters written as single words only.
        near = len(key) >= 5 and key not in sequences and key.isalpha()
        if near:
            cands[key] = occs
        if one and key not in canonical:
            # One spelling and no house term: nothing to resolve, no CN101 variant of its own.
            if near and len(occs) >= least:
                probe.append(key)
            continue
        if near:
            probe.append(key)
        if key in canonical:
            hard.append((key, occs, near, one, None, None))
        else:
            classes = Counter(map(_CLASS, occs))
            hard.append((key, occs, near, one, classes, _single(tuple(classes))))
    return cands, probe, hard


def occurrences_with(occs: list[Occ], table: Container[str], index: int) -> list[Occ]:
    """The occurrences whose item ``index`` is in ``table``, in order: C-level passes, or one
    compiled loop (the compiled ``select`` of lintkit/_c/names.c gives the same)."""
    if _C is not None:
        return _C.select(occs, table, index)  # type: ignore[no-any-return]
    return list(compress(occs, map(table.__contains__, map(itemgetter(index), occs))))


def _resolve(classes: dict[_Class, int], canonical: str | None) -> dict[_Class, str | None]:
    """_resolved(), compiled if it can be (the compiled ``resolved`` of lintkit/_c/names.c
    gives the same)."""
    if _C is not None:
        return _C.resolved(classes, canonical, _compatible)  # type: ignore[no-any-return]
    return _resolved(classes, canonical)


def _resolved(classes: Iterable[_Class], canonical: str | None) -> dict[_Class, str | None]:
    """The spelling each class stands for: apostrophe styles are one spelling, and a
    sentence-initial or heading capital takes the first trusted spelling (``canonical``,
    a house term's, comes first) it is compatible with. Decided per class (spelling and
    position flags), which is all it reads: with the classes in order of first use, first
    uses are those of the occurrences."""
    rep: dict[str, str] = {}
    seen: dict[str, str] = {}  # spelling -> rep[its apostrophe-free form], memoised
    resolved: dict[_Class, str | None] = {}
    for c in classes:
        form = c[0]
        r = seen.get(form)
        if r is None:
            r = seen[form] = rep.setdefault(_apos(form).replace("'", ""), form)
        resolved[c] = r
    trusted = list(dict.fromkeys(r for c, r in resolved.items() if not (c[1] or c[2]) and r))
    if canonical is not None and canonical not in trusted:
        trusted.insert(0, canonical)
    for c in resolved:
        if c[1] or c[2]:
            f = next((t for t in trusted if _compatible(c[0], t, c[1], c[2])), None)
            if f is not None:
                resolved[c] = f
    return resolved


@lru_cache(maxsize=50_000)
def _single(classes: tuple[_Class, ...]) -> str | None:
    """The one spelling that the classes of a key without a house term resolve to, or
    None if they resolve to several. Memoised across documents (the same sets of classes
    recur: The / the), bounded like the other tables."""
    spellings = set(_resolved(classes, None).values())
    return spellings.pop() if len(spellings) == 1 else None  # (never None: resolved to a spelling)


def _single_group(key: str, occs: list[Occ], classes: dict[_Class, int], form: str) -> Group:
    """The group of a key whose classes (``classes``: their counts, in order of first use)
    all resolve to ``form``: what resolve() and tally() would make of it (the first class's
    first occurrence is the first occurrence)."""
    trusted = sum(n for c, n in classes.items() if not (c[1] or c[2]))
    return Group(key, occs, {form: len(occs)}, {form: trusted} if trusted else {}, {form: occs[0]},
                 classes=classes, resolved=dict.fromkeys(classes, form))


def _demonym_parts(form: str, dem: dict[str, str]) -> tuple[tuple[int, str], ...]:
    """The lower-case demonyms among the hyphen parts of ``form``: (offset, part)."""
    return tuple((off, part) for off, part in hyphen_parts(form) if part.islower() and part in dem)


def _drop_nested(findings: list[Finding]) -> list[Finding]:
    """Keep the longest of overlapping findings (a 3-word term over its 2-word part)."""
    findings.sort(key=lambda f: (f.start, -(f.end - f.start)))
    out: list[Finding] = []
    end = -1
    for f in findings:
        if f.start < end:
            continue
        out.append(f)
        end = f.end
    return out


def _spellings(c: Group | list[Occ]) -> Iterable[str]:
    return (c[0][FORM],) if type(c) is list else c.counts


def _total(c: Group | list[Occ]) -> int:
    return len(c) if type(c) is list else c.total


def _one_spelling(key: str, occs: list[Occ]) -> Group:
    """The group of a key written one way: what resolve() and tally() would make of it."""
    return _single_group(key, occs, Counter(map(_CLASS, occs)), occs[0][FORM])


def _target(g: Group) -> str:
    """The group's preferred spelling: the one chosen for CN101, else its best-attested one."""
    if not g.target:
        g.target = max(g.counts, key=lambda f: (g.trusted.get(f, 0) > 0, g.counts[f], -g.first[f][START]))
    return g.target


def _probing(cands: dict[str, Group | list[Occ]], probe: list[str], canonical: AbstractSet[str],
             least: int) -> tuple[list[str], list[str]]:
    """For near_variants(): the keys of ``probe`` whose Group has no spelling left
    (``gone``), and, in order, the others that may be a preferred spelling (``probers``):
    a house term, or a key used at least ``least`` times. (The compiled ``probing`` of
    lintkit/_c/names.c does the same.)"""
    gone = [k for k in probe if type(cands[k]) is not list and not cands[k].counts]  # type: ignore[union-attr]
    if gone:
        left = set(probe) - set(gone)
        probe = [k for k in probe if k in left]
    return gone, [k for k in probe if k in canonical or _total(cands[k]) >= least]


def _rare_keys(cands: dict[str, Group | list[Occ]], rare_key: dict[str, bool], ignore: AbstractSet[str],
               in_dict: dict[str, bool], spelled: Callable[[str], bool]) -> list[str]:
    """For near_variants(): the candidates that may be a rare spelling, in order: ``rare_key``
    says so of the key, it is not ignored, and no spelling of it is a dictionary word (as
    the table ``in_dict`` says, else ``spelled``, which fills it). (The compiled
    ``rare_keys`` of lintkit/_c/names.c does the same.)"""
    def listed(f: str) -> bool:  # (not the module's in_dictionary(): the table first)
        found = in_dict.get(f)
        return spelled(f) if found is None else found

    return [k for k in compress(cands, map(rare_key.__getitem__, cands))
            if k not in ignore and not any(map(listed, _spellings(cands[k])))]


def _near_pairs(keys: list[str], rare: list[str]) -> list[tuple[str, list[str]]]:
    """For near_variants(): each of ``keys`` (in order) that may be a preferred spelling of
    one of the ``rare`` keys, with those rare keys (other keys of its first letter, in no
    set order): the rare keys sharing a delete (see _deletes) with it, when there are any.

    A pair shares its first letter, is two edits apart only between keys of 8+ letters (so
    at most two letters longer or shorter), else one edit apart; then, as its first
    difference comes before the last three letters of the shorter key (else _end_only), it
    also shares its last letter and differs in length by at most one. Only keys with a
    partner of such a shape on the other side take part (see _partnered), with the deletes
    of two letters only if that partner may be two edits away. (The compiled ``near_pairs``
    of lintkit/_c/names.c does the same.)"""
    probers = _partnered(keys, rare)
    if not probers:
        return []
    # The index: each delete of a rare key -> the keys it is a delete of (a space between
    # two: keys are letters only), as strings, not lists (no container per delete).
    index: dict[str, str] = {}
    indexed = index.keys()
    for k, d in _partnered(rare, probers).items():
        dk = _deletes(k, d)
        shared = [(v, index[v]) for v in indexed & dk]
        index.update(dict.fromkeys(dk, k))
        for v, before in shared:
            index[v] = before + " " + k
    out: list[tuple[str, list[str]]] = []
    for k, level in probers.items():
        dk = _deletes(k, level)
        if indexed.isdisjoint(dk):
            continue  # the usual case, decided in one set operation
        near = [r for r in dict.fromkeys(" ".join(map(index.__getitem__, indexed & dk)).split(" "))
                if r != k and r[0] == k[0]]
        if near:
            out.append((k, near))
    return out


def _partnered(keys: Iterable[str], others: Iterable[str]) -> dict[str, int]:
    """The ``keys`` that may pair with one of ``others`` (see near_variants), in order, each
    with the number of letters its deletes drop: 2 if a partner of 8+ letters may be two
    edits away (the key has 8+ letters too, the same first letter, a length at most two
    apart), else 1 (a partner with the same first and last letters, a length at most one
    apart)."""
    others = list(others)
    one = {(k[0], k[-1], len(k) + d) for k in others for d in (-1, 0, 1)}
    two = {(k[0], len(k) + d) for k in others if len(k) >= 8 for d in (-2, -1, 0, 1, 2)}
    out: dict[str, int] = {}
    for k in keys:
        n = len(k)
        if n >= 8 and (k[0], n) in two:
            out[k] = 2
        elif (k[0], k[-1], n) in one:
            out[k] = 1
    return out


@lru_cache(maxsize=2048)
def _deletes(word: str, d: int) -> frozenset[str]:
    """``word`` with up to ``d`` (1 or 2: what near_variants asks for) letters deleted.
    Memoised: the same words recur across the files of a run. The letters are deleted by
    C-level passes (slices of the word, joined), with the slices for each word length made
    once."""
    if d not in (1, 2):
        raise ValueError(f"deletes of one or two letters only, not {d}")
    get = word.__getitem__
    heads, tails, heads2, middles2, tails2 = _cuts(len(word))
    out = set(map(add, map(get, heads), map(get, tails)))
    out.add(word)
    if d == 2:
        out.update(map(add, map(add, map(get, heads2), map(get, middles2)), map(get, tails2)))
    return frozenset(out)


_Cuts = tuple[list[slice], list[slice], list[slice], list[slice], list[slice]]


@lru_cache(maxsize=64)
def _cuts(n: int) -> _Cuts:
    """For a word of ``n`` letters, the slices around each letter (deleting one), then
    around each pair of letters i < j (deleting two)."""
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    return ([slice(0, i) for i in range(n)], [slice(i + 1, None) for i in range(n)],
            [slice(0, i) for i, _ in pairs], [slice(i + 1, j) for i, j in pairs],
            [slice(j + 1, None) for _, j in pairs])


def _end_only(a: str, b: str) -> bool:
    """Do the spellings differ only in their last three letters (Victoria / Victorian,
    Marxist / Marxism)? Those are inflections and derivations, not variants."""
    p = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        p += 1
    return p >= min(len(a), len(b)) - 3


def _osa(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (edits incl. adjacent transposition), capped."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]
