"""The names of the readability metrics (RD): the scores, the counts and their labels.

Their own module, without the document model, so that the family's options (settings.py,
read when the plugin manager starts) do not import the metrics' code; metrics.py
re-exports them."""

from __future__ import annotations

# Metric keys, in display order. The grade-like ones rise as text gets harder;
# Flesch reading ease falls.
SCORES: tuple[str, ...] = (
    "flesch-reading-ease",
    "flesch-kincaid-grade",
    "gunning-fog",
    "smog",
    "coleman-liau",
    "ari",
    "dale-chall",
)
HIGHER_IS_EASIER = frozenset({"flesch-reading-ease"})
COUNTS: tuple[str, ...] = ("words", "sentences", "syllables-per-word", "complex-word-share")
LABELS: dict[str, str] = {
    "flesch-reading-ease": "Flesch reading ease",
    "flesch-kincaid-grade": "Flesch–Kincaid grade",
    "gunning-fog": "Gunning fog",
    "smog": "SMOG",
    "coleman-liau": "Coleman–Liau",
    "ari": "ARI",
    "dale-chall": "Dale–Chall",
    "words": "words",
    "sentences": "sentences",
    "syllables-per-word": "syllables per word",
    "complex-word-share": "share of complex words",
}
