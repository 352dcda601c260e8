"""Readability settings: an audience from the ``readability-audiences`` rule packs, with
per-key overrides from the ``[readability]`` config section."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lintkit.config import Config, Option, OptionSection
from lintkit.errors import ConfigError, PackError
from lintkit.families.readability.names import HIGHER_IS_EASIER, LABELS, SCORES
from lintkit.packs import Pack, builtin_rules_dir, check_keys, load_pack, packs

PACK_KIND = "readability-audiences"
THRESHOLDS = ("max-sentence-words", "min-paragraph-words", "run-sentence-words", "run-length")

OPTIONS = OptionSection(
    "readability",
    (
        Option("audience", "general", "audience whose targets apply (general, technical, academic, "
               "or one a rule pack adds)", str),
        Option("metric", "flesch-kincaid-grade", "the metric that drives RD201/RD301", str, choices=SCORES),
        Option("targets", {}, "explicit targets per metric, e.g. {flesch-kincaid-grade = 10}; "
               "override the audience's", dict),
        Option("max-sentence-words", None, "RD101/RD202: a sentence with more words is long "
               "(default: the audience's, 35 for general)", int),
        Option("min-paragraph-words", None, "paragraphs (and documents) with fewer words are not "
               "graded (default: the audience's, 40)", int),
        Option("run-sentence-words", None, "RD203: sentences of at least this many words count "
               "towards a run (default: the audience's, 25 for general)", int),
        Option("run-length", None, "RD203: this many such sentences in a row are a run (default 3)", int),
    ),
    help="readability metrics and targets (RD)",
)


@dataclass(frozen=True)
class Settings:
    audience: str
    metric: str
    targets: dict[str, float]
    max_sentence_words: int
    min_paragraph_words: int
    run_sentence_words: int
    run_length: int

    @property
    def target(self) -> float:
        return self.targets[self.metric]

    def too_hard(self, metric: str, value: float | None) -> bool:
        if value is None:
            return False
        target = self.targets[metric]
        return value < target if metric in HIGHER_IS_EASIER else value > target

    def describe_target(self, metric: str) -> str:
        """'≤ 12' or '≥ 50'."""
        op = "≥" if metric in HIGHER_IS_EASIER else "≤"
        return f"{op} {self.targets[metric]:g}"


def audiences(extra: list[str] | tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
    """Audience entries from every ``readability-audiences`` pack (later packs override)."""
    out: dict[str, dict[str, Any]] = {}
    allowed = {*SCORES, *THRESHOLDS, "description"}
    found = list(_builtin_packs())
    if extra:
        found += [p for p in packs(PACK_KIND, extra) if p.path.resolve() not in _builtin_paths()]
    for pack in found:
        table = pack.data.get("audiences")
        if not isinstance(table, dict):
            raise PackError(str(pack.path), "a readability-audiences pack needs [audiences.NAME] tables")
        for name, entry in table.items():
            if not isinstance(entry, dict):
                raise PackError(str(pack.path), f"entry {name!r}: must be a table")
            check_keys(entry, allowed, pack, name)
            _check_numbers(entry, pack, name)
            out[name] = {**out.get(name, {}), **entry}
    return out


@lru_cache(maxsize=1)
def _builtin_packs() -> tuple[Pack, ...]:
    """The shipped audiences, read from rules/readability/ alone (a broken pack of another
    family does not stop readability)."""
    folder = builtin_rules_dir() / "readability"
    found = (load_pack(f) for f in sorted(folder.glob("*.toml")))
    return tuple(p for p in found if p.kind == PACK_KIND)


def _builtin_paths() -> set[object]:
    return {p.path.resolve() for p in _builtin_packs()}


def _check_numbers(entry: dict[str, Any], pack: Pack, name: str) -> None:
    for key, value in entry.items():
        if key == "description":
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise PackError(str(pack.path), f"entry {name!r}: {key} must be a number, not {value!r}")
        if key in THRESHOLDS and (not isinstance(value, int) or value < 1):
            raise PackError(str(pack.path), f"entry {name!r}: {key} must be a positive integer")


def resolve(config: Config) -> Settings:
    opts = config.options("readability")
    where = str(config.path) if config.path else "command line"
    known = audiences(config.get("rule-packs"))
    name = opts.get("audience", "general")
    if name not in known:
        raise ConfigError(where, f"unknown readability audience {name!r} (allowed: {', '.join(sorted(known))})")
    base = known[name]
    targets: dict[str, float] = {}
    for metric in SCORES:
        if metric in base:
            targets[metric] = float(base[metric])
    for metric, value in (opts.get("targets") or {}).items():
        key = metric.replace("_", "-")
        if key not in SCORES:
            raise ConfigError(where, f"unknown metric {metric!r} in readability.targets "
                                     f"(allowed: {', '.join(SCORES)})")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(where, f"bad value {value!r} for readability.targets.{metric}: expected a number")
        targets[key] = float(value)
    metric = opts.get("metric", "flesch-kincaid-grade")
    if metric not in targets:
        raise ConfigError(where, f"no target for {LABELS[metric]} in audience {name!r}; "
                                 f"set readability.targets.{metric}")
    numbers: dict[str, int] = {}
    for key in THRESHOLDS:
        value = opts.get(key)
        if value is None:
            value = base.get(key)
        if not isinstance(value, int) or value < 1:
            raise ConfigError(where, f"readability.{key} must be a positive integer "
                                     f"(audience {name!r} gives {value!r})")
        numbers[key] = value
    return Settings(name, metric, targets, numbers["max-sentence-words"], numbers["min-paragraph-words"],
                    numbers["run-sentence-words"], numbers["run-length"])
