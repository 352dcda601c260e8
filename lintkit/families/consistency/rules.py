"""Metadata of the consistency rules (family ``consistency``, codes ``CN``)."""

from __future__ import annotations

from lintkit.types import Rule, Severity

_DEDUP = ("When the grammar family (GR) reports a spelling error on exactly the same span, only this "
          "finding is shown: the consistency family knows the spelling the document (or the house pack) "
          "prefers and offers a safe fix, where a spelling checker can only guess from a dictionary.")

RULES: tuple[Rule, ...] = (
    Rule("CN101", "term-variant", "consistency", Severity.WARNING,
         "A name or term is spelled in more than one way inside the document.",
         "A capitalised term or a rare word appears in spellings that differ by letter case, hyphen or "
         "space (including multi-word names), or by one or two edits. Each occurrence of a minority "
         "spelling is reported with the preferred form, how often it is used and where first, and every "
         "spelling with its count. The preferred form is the house pack's canonical spelling if there is "
         "one, else the majority, else (a tie) the first use. Possessives, curly apostrophes and plurals "
         "count as the same spelling; a sentence-initial or heading capital is not a variant; ordinary "
         "dictionary words never pair with each other (form / from), and a lower-case dictionary word is "
         "not a variant of a capitalised name (apple / Apple). Quotations keep their own spelling. "
         + _DEDUP,
         "Tencent owns WeChat. Tencent grew fast. Analysts doubt Tecent's reach.",
         "Tencent owns WeChat. Tencent grew fast. Analysts doubt Tencent's reach.", fixable=True),
    Rule("CN102", "house-term", "consistency", Severity.WARNING,
         "A company, product or institution name is not spelled the house way.",
         "Names from the house term packs (rules/consistency/house-terms.toml and any pack of kind "
         "\"terms\" listed in `rule-packs`) are flagged when written with other letter case, hyphens or "
         "spaces, or in a listed wrong form, even if the document is consistent with itself. Words inside "
         "code, URLs, link targets and quotations are not checked. Names whose lower-case form is an "
         "ordinary word (apple, white house) are marked `lowercase-ok` in the pack and are only paired "
         "through CN101. " + _DEDUP,
         "Bytedance owns Tiktok.",
         "ByteDance owns TikTok.", fixable=True),
    Rule("CN103", "proper-adjective-case", "consistency", Severity.WARNING,
         "A nationality, language or people is written in lower case.",
         "Demonyms and language names (Chinese, American, English) are always capitalised in English, so "
         "a lower-case use is reported even when the document writes it in lower case as often as not. "
         "The list is data (rules/consistency/demonyms.toml); words that are also ordinary words (polish, "
         "china, turkey) are not on it. " + _DEDUP,
         "Many chinese companies list in New York.",
         "Many Chinese companies list in New York.", fixable=True),
    Rule("CN201", "dialect-mixed", "consistency", Severity.WARNING,
         "US and UK spellings are mixed.",
         "Spellings from the US/UK pair list (rules/consistency/dialect-us-uk.toml) are counted. With "
         "`dialect = \"auto\"` the minority dialect is flagged; the -ize/-ise group is decided on its "
         "own, so Oxford spelling (organize, colour) is not mixed. With `dialect = \"en-US\"` or "
         "`\"en-GB\"` every spelling of the other dialect is flagged. Capitalised words inside a sentence "
         "are names (Pearl Harbor, Labour Party) and are skipped.",
         "The colour of the center stage.",
         "The color of the center stage.", fixable=True),
    Rule("CN301", "acronym-before-definition", "consistency", Severity.WARNING,
         "An acronym is used before it is defined.",
         "An acronym defined later in the document (\"Monthly Active Users (MAU)\" or \"MAU (Monthly "
         "Active Users)\") is used before that definition. Common acronyms (US, EU, CEO, AI; data in "
         "rules/consistency/acronyms-common.toml) need no definition.",
         "MAU grew. Monthly Active Users (MAU) is the key metric.",
         "Monthly Active Users (MAU) is the key metric. MAU grew."),
    Rule("CN302", "acronym-redefined", "consistency", Severity.WARNING,
         "An acronym is defined twice, or with two different expansions.",
         "The second definition of an acronym is reported with the first one's position and expansion.",
         "Monthly Active Users (MAU) grew. Later, Monthly Active Users (MAU) fell.",
         "Monthly Active Users (MAU) grew. Later, MAU fell."),
    Rule("CN303", "acronym-unused", "consistency", Severity.INFO,
         "An acronym is defined but never used again.",
         "A definition such as \"Monthly Active Users (MAU)\" is pointless when the document never uses "
         "MAU afterwards: drop the acronym, or use it.",
         "We track Monthly Active Users (MAU) every week.",
         "We track monthly active users every week."),
    Rule("CN401", "quotes-mixed", "consistency", Severity.INFO,
         "Straight and curly quotation marks or apostrophes are mixed.",
         "The document's majority style (straight ' \" or curly ‘ ’ “ ”) wins; each mark in the other "
         "style is reported with a fix. Marks inside code are not prose and are not counted.",
         "It’s \"fine\", isn't it?",
         "It’s “fine”, isn’t it?", fixable=True),
    Rule("CN402", "dashes-mixed", "consistency", Severity.INFO,
         "Dash styles are mixed (em dash, spaced en dash, spaced hyphen or double hyphen).",
         "Dashes used as punctuation between words are counted by style: closed em dash (word—word), "
         "spaced em dash (word — word), spaced en dash (word – word), spaced hyphen (word - word) and "
         "double hyphen (word--word). The minority styles are reported with the majority style as fix. "
         "Ranges (1990–2000) and hyphenated words are not dashes.",
         "It rained — hard. Then it stopped - suddenly.",
         "It rained — hard. Then it stopped — suddenly.", fixable=True),
    Rule("CN403", "number-scale-mixed", "consistency", Severity.INFO,
         "Large numbers are written in more than one style (20 million, 20M, 20,000,000).",
         "Numbers of a million or more are counted by style: word scale (20 million, 1.5 billion), "
         "abbreviated scale (20M, $3bn) and full digits (20,000,000). Minority styles are reported; the "
         "fix rewrites the number in the majority style when that is exact.",
         "Revenue hit 20 million; costs were 15M.",
         "Revenue hit 20 million; costs were 15 million.", fixable=True),
    Rule("CN404", "percent-mixed", "consistency", Severity.INFO,
         "\"percent\" (or \"per cent\") and \"%\" are both used after numbers.",
         "The majority style wins; the fix rewrites the minority form.",
         "Sales rose 5% and costs 3 percent.",
         "Sales rose 5% and costs 3%.", fixable=True),
    Rule("CN405", "us-abbreviation-mixed", "consistency", Severity.INFO,
         "\"US\" and \"U.S.\" (or \"UK\" and \"U.K.\") are both used.",
         "The majority style wins; the fix rewrites the minority form.",
         "The US market and the U.S. government.",
         "The US market and the US government.", fixable=True),
)
