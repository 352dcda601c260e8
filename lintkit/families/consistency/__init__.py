"""The consistency family (codes ``CN``): one document, one way of writing each thing.

CN1xx names and terms, CN2xx dialect, CN3xx acronyms, CN4xx typography and number style.
The document's own preferences (majority, or first use) decide, with the house packs in
``rules/consistency/`` as the authority where they have an entry. See docs/consistency.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from lintkit.config import Option, OptionSection
from lintkit.hookspecs import hookimpl
from lintkit.types import Finding, Rule

from .rules import RULES

if TYPE_CHECKING:
    from lintkit.context import CheckContext
    from lintkit.document.model import Document


@hookimpl
def lintkit_add_options() -> list[OptionSection]:
    return [OptionSection("consistency", (
        Option("dialect", "auto", "US/UK spelling: 'auto' flags the document's minority dialect; "
               "'en-US' or 'en-GB' flags every spelling of the other one", str,
               choices=("auto", "en-US", "en-GB")),
        Option("oxford-spelling", False, "with dialect = 'en-GB', accept -ize (organize) as Oxford spelling", bool),
        Option("min-count", 3, "a spelling one or two edits away is reported only when the preferred spelling is "
               "used at least this often (house terms excepted)", int),
        Option("open-compounds", False, "also pair open and hyphenated compounds of dictionary words "
               "(break even / break-even); off by default because a compound is hyphenated before a noun only",
               bool),
        Option("ignore-terms", [], "spellings never reported as variants (matched by their letters, any case)",
               list, item_type=str),
    ), "consistency checks (CN)")]


@hookimpl
def lintkit_register_rules() -> Iterable[Rule]:
    return RULES


@hookimpl
def lintkit_check(document: Document, ctx: CheckContext) -> list[Finding]:
    if not ctx.enabled("CN"):
        return []
    from .check import check

    return check(document, ctx)
