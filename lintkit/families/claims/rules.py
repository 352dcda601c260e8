"""Rule metadata of the claims family (CL1xx): one sub-rule per claim signal."""

from __future__ import annotations

from lintkit.types import Rule, Severity

# Signal category -> code.
CODES = {
    "quantity": "CL101",
    "vague_attribution": "CL102",
    "booster": "CL103",
    "absolute": "CL104",
    "superlative": "CL105",
    "prediction": "CL106",
    "hearsay": "CL107",
    "trend": "CL108",
}
THRESHOLDS = {"low": 2.0, "medium": 1.5, "high": 1.0}  # [claims] sensitivity -> score threshold
SCOPES = ("sentence", "next-sentence", "paragraph")  # [claims] support-scope

FAMILY = "claims"

_SUPPORT = (
    "Support within reach cancels the finding: a link or DOI, a citation or footnote marker "
    "(`[1]`, `[^1]`, `^1`, `[@key]`, `(Author, 2020)`, `(Author et al. 2020)`), \"according to\" a "
    "named source, a named subject with a reporting verb (\"Reuters reported\", or \"They claimed\" "
    "after a sentence that names them) or an attributed quotation. By default the support may stand "
    "in the same or the next sentence (`support-scope` in `[tool.lintkit.claims]`). Hedges (\"may\", "
    "\"likely\") weaken a claim, opinion markers (\"I think\") make it an opinion, and questions are "
    "not assertions. One finding is reported per sentence, under the code of its strongest signal; "
    "the other signals are named in the message."
)

# category -> (label used in messages, fixes suggested)
LABELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "quantity": ("statistic without a source", ("add a source",)),
    "vague_attribution": ("vague attribution", ("name the source",)),
    "booster": ("certainty booster", ("add a source", "hedge it")),
    "absolute": ("sweeping generalisation", ("qualify it",)),
    "superlative": ("superlative stated as fact", ("add a source", "qualify it")),
    "prediction": ("prediction stated as certain", ("hedge it",)),
    "hearsay": ("hearsay", ("name the source",)),
    "trend": ("unsourced trend", ("quantify it", "add a source")),
}

RULES: list[Rule] = [
    Rule(
        "CL101", "unsourced-statistic", FAMILY, Severity.WARNING,
        "A statistic or quantity (a number, percentage, amount of money, \"hundreds of\", \"a majority "
        "of\") is stated without a source.",
        "Figures are the claims readers check first. Percentages, money, magnitudes (\"20 million\"), "
        "counts of people or companies and vague quantities (\"hundreds of\", \"a majority of\") need a "
        "source. Dates, ordinals, version numbers, section references and small counts (\"two "
        "options\") are not statistics. A hedged figure (\"roughly 20 million\") still needs a source, "
        "and so does a figure inside a question or an opinion.\n\n" + _SUPPORT,
        "The app has more than 20 million monthly active users in the US.",
        "The app has more than 20 million monthly active users in the US, according to Sensor Tower.",
    ),
    Rule(
        "CL102", "vague-attribution", FAMILY, Severity.WARNING,
        "An unnamed authority is invoked: \"studies show\", \"experts say\", \"it is known that\", "
        "\"many believe\".",
        "A weasel attribution borrows authority without naming it (Wikipedia MOS:WEASEL). Name the "
        "study, the experts or the report. \"According to experts\" is itself the defect, so only a "
        "citation or link in the same sentence (or the next) clears it.\n\n" + _SUPPORT,
        "Studies show that remote workers are more productive.",
        "A 2020 Stanford study (Bloom et al., 2020) found that remote workers were more productive.",
    ),
    Rule(
        "CL103", "unsupported-certainty", FAMILY, Severity.INFO,
        "A certainty booster (\"without doubt\", \"of course\", \"clearly\", \"absolutely\", "
        "\"undeniably\") asserts a claim as beyond question.",
        "Boosters (Hyland 2005) claim more certainty than the text shows. Give the evidence or let "
        "the claim stand on its own, hedged if it is uncertain. \"Clearly\" as a manner adverb "
        "(\"speak clearly\") is not a booster.\n\n" + _SUPPORT,
        "Of course the ban will hurt the company.",
        "The ban is likely to hurt the company, whose US revenue was $2bn last year [3].",
    ),
    Rule(
        "CL104", "sweeping-generalisation", FAMILY, Severity.INFO,
        "A sweeping generalisation or absolute (\"everyone\", \"always\", \"never\", \"all\", "
        "\"determine everything\") is stated as fact.",
        "Universal claims are almost never true as stated. Qualify them (\"many\", \"often\") or "
        "support them. Idioms such as \"after all\", \"at all\", \"not all\" and \"all in all\" are "
        "exceptions. A single weak absolute (\"always\") is only reported together with another "
        "signal.\n\n" + _SUPPORT,
        "Everyone wants a faster phone, and customer needs determine everything.",
        "Most of the customers we surveyed wanted a faster phone (survey, May 2021).",
    ),
    Rule(
        "CL105", "unsupported-superlative", FAMILY, Severity.INFO,
        "A superlative or a first (\"the biggest\", \"the first\", \"the most popular\") is "
        "presented as fact.",
        "Rankings are claims: the biggest by what measure, according to whom? \"First,\" as a "
        "discourse marker, \"at first\", \"at least\", \"for the first time\" and -est words that are "
        "not superlatives (\"the interest\", \"the latest version\") are exceptions.\n\n" + _SUPPORT,
        "Chinese companies are now facing the biggest problem in the US market.",
        "Chinese companies now face one of their biggest problems in the US market.",
    ),
    Rule(
        "CL106", "certain-prediction", FAMILY, Severity.INFO,
        "A prediction is stated as certain (\"will eventually have to\", \"will be the first\", "
        "\"is bound to\").",
        "Nobody knows the future. State how likely it is (\"is likely to\", \"may\") or give the "
        "basis of the forecast. Plain \"will\" only counts together with other signals; "
        "metadiscourse (\"I will argue\"), instructions (\"you will need\") and conditionals are "
        "discounted.\n\n" + _SUPPORT,
        "Bytedance will eventually have to hand over its US business.",
        "Bytedance may have to hand over its US business.",
    ),
    Rule(
        "CL107", "hearsay", FAMILY, Severity.INFO,
        "A hearsay evidential (\"apparently\", \"reportedly\", \"allegedly\") points to an unnamed "
        "source.",
        "Evidentials (MOS:ALLEGED) say that someone reported something without saying who. Name "
        "them and cite them. Unlike a hedge, an evidential does not make the claim weaker.\n\n"
        + _SUPPORT,
        "Apparently, the company will sell its US business.",
        "The company will sell its US business, Reuters reported on Monday.",
    ),
    Rule(
        "CL108", "unsourced-trend", FAMILY, Severity.INFO,
        "A trend (\"more and more\", \"a growing number of\", \"on the rise\") is stated without "
        "figures or a source.",
        "A trend is a claim about numbers over time. Quantify it and say where the numbers come "
        "from.\n\n" + _SUPPORT,
        "More and more Chinese companies expand their business in the US.",
        "The number of Chinese companies listed in the US rose from 200 to 250 between 2015 and 2020 "
        "(USCC, 2021).",
    ),
]
