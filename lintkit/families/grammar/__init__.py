"""The grammar-and-spelling family (``GR``), backed by a real LanguageTool server.

Each paragraph of the document's prose projection is sent as its own ``/v2/check``
request (concurrently, up to the server's check threads), unless an on-disk
per-paragraph cache already holds its result. Matches come back in UTF-16 units of the
paragraph text; they are converted to Python indices, then to source offsets through
``document.source_span``. Every LanguageTool category maps to a stable lintkit code; the
LanguageTool rule id is an alias ``GR:<RULE_ID>`` (selectable, ignorable, suppressible).

Text goes to the managed local server (127.0.0.1) unless ``[grammar] server`` or
``LINTKIT_LANGUAGETOOL_URL`` names another one. See docs/grammar.md.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lintkit.config import Option, OptionSection
from lintkit.context import cache_dir
from lintkit.errors import BackendError, ConfigError, PackError
from lintkit.hookspecs import hookimpl
from lintkit.languagetool import install as inst
from lintkit.plugin import Command
from lintkit.types import Finding, Fix, Rule, Severity

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

    from lintkit.languagetool.client import Client, Match

# The HTTP client, the server manager and thread pools are imported when a check needs the
# server (``from lintkit.languagetool import server`` in the functions below): every other
# command loads this plugin too, to list its rules and options, and need not pay ~15 ms of
# imports (socket, subprocess, concurrent.futures) for it.

SECTION = "grammar"
ENV_URL = "LINTKIT_LANGUAGETOOL_URL"

# Rules that misfire on Markdown/technical prose (notes §5.3); users re-enable them
# with enabled-rules or replace the list with disabled-rules.
DEFAULT_DISABLED = [
    "WHITESPACE_RULE", "EN_QUOTES", "DASH_RULE", "WORD_CONTAINS_UNDERSCORE", "COMMA_PARENTHESIS_WHITESPACE",
    "UNLIKELY_OPENING_PUNCTUATION", "SENTENCE_WHITESPACE", "ARROWS", "EN_UNPAIRED_BRACKETS",
    "PUNCTUATION_PARAGRAPH_END",
]

LANGUAGES = ("", "en-US", "en-GB", "en-AU", "en-CA", "en-NZ", "en-ZA")


# Options ---------------------------------------------------------------------------------

@hookimpl
def lintkit_add_options() -> list[OptionSection]:
    return [OptionSection(SECTION, (
        Option("server", "", "URL of a LanguageTool server to use instead of the managed local one "
                             f"(also {ENV_URL}); text is sent there", str),
        Option("language", "", "language variant sent to LanguageTool (default: the top-level language)", str,
               choices=LANGUAGES),
        Option("picky", False, "also run LanguageTool's picky rules (level=picky)", bool),
        Option("enabled-rules", [], "LanguageTool rule ids to enable (also re-enables default-disabled ones)",
               list, item_type=str),
        Option("disabled-rules", list(DEFAULT_DISABLED), "LanguageTool rule ids to disable", list, item_type=str),
        Option("enabled-categories", [], "LanguageTool category ids to enable", list, item_type=str),
        Option("disabled-categories", [], "LanguageTool category ids to disable (e.g. TYPOS)", list, item_type=str),
        Option("words", [], "words spelling never flags (case-insensitive)", list, item_type=str),
        Option("words-file", "", "file with one known word per line (# comments), relative to the config", str),
        Option("idle-timeout", 30.0, "minutes without use before the managed server stops (0 = never)",
               (int, float)),
        Option("timeout", 60.0, "seconds to wait for one LanguageTool answer", (int, float)),
        Option("concurrency", 0, "requests in flight (0 = 8 per check thread of the managed server, at most 32; "
               "2 for a remote one); a run that uses the server checks its files in one process", int),
        Option("auto-start", True, "start the managed server when a check needs it", bool),
        Option("cache", True, "keep per-paragraph results on disk (re-linting unchanged text sends nothing)",
               bool),
    ), help="grammar and spelling with LanguageTool")]


@dataclass
class Settings:
    language: str
    params: dict[str, str]
    url: str  # "" = the managed local server
    timeout: float
    concurrency: int
    auto_start: bool
    idle_timeout: float
    cache: bool
    words: frozenset[str] = field(default_factory=frozenset)
    variants: dict[str, bool] = field(default_factory=dict)  # squeezed canonical term -> lowercase-ok
    # The rule packs whose house terms are still to be added to words and variants by
    # load_words(). They only filter the answers, so they are read once a document's
    # requests are sent, not on the way to the first request (parsing every pack is ~10 ms).
    terms_from: tuple[str, ...] | None = field(default=None, repr=False, compare=False)

    def load_words(self) -> None:
        """Add the house terms of the rule packs to the known words and variants (once)."""
        if self.terms_from is not None:
            packs = self.terms_from
            self.words = self.words | pack_terms(packs)
            self.variants = term_variants(packs)
            self.terms_from = None

    def key_prefix(self) -> str:
        ident = f"remote:{self.url}" if self.url else f"local:{inst.installed_version() or inst.LT_VERSION}"
        return json.dumps([ident, sorted(self.params.items())], separators=(",", ":"))


def settings_from_options(opts: dict[str, Any], default_language: str) -> Settings:
    language = opts.get("language") or default_language
    disabled = [r for r in opts.get("disabled-rules", DEFAULT_DISABLED) if r not in opts.get("enabled-rules", [])]
    params: dict[str, str] = {"language": language}
    if opts.get("picky"):
        params["level"] = "picky"
    for key, value in (("enabledRules", opts.get("enabled-rules", [])), ("disabledRules", disabled),
                       ("enabledCategories", opts.get("enabled-categories", [])),
                       ("disabledCategories", opts.get("disabled-categories", []))):
        if value:
            params[key] = ",".join(sorted(set(value)))
    url = os.environ.get(ENV_URL) or opts.get("server") or ""
    if url and not url.startswith(("http://", "https://")):
        raise ConfigError(None, f"[grammar] server {url!r} is not an http(s) URL")
    concurrency = int(opts.get("concurrency", 0) or 0)
    if concurrency <= 0:
        from lintkit.languagetool import server

        concurrency = 2 if url else server.default_concurrency()
    return Settings(language, params, url.rstrip("/"), float(opts.get("timeout", 60.0)), concurrency,
                    bool(opts.get("auto-start", True)), float(opts.get("idle-timeout", 30.0)),
                    bool(opts.get("cache", True)))


def warmup_for(settings: Settings) -> Callable[[Client], None]:
    def warm(client: Client) -> None:
        client.check("This is an warm-up sentence for LanguageTool, with a speling mistake.", settings.params)
    return warm


# Rules -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    code: str
    name: str
    severity: Severity
    categories: tuple[str, ...]
    summary: str
    bad: str
    good: str


KINDS = (
    Kind("GR101", "spelling", Severity.WARNING, ("TYPOS",), "A word LanguageTool's speller does not know.",
         "The goverment announced the plan.", "The government announced the plan."),
    Kind("GR102", "typo", Severity.WARNING, ("TYPOS", "MULTITOKEN_SPELLING", "PROPER_NOUNS"),
         "A known typo pattern or a misspelled name or multi-word expression.",
         "I bought a new Iphone.", "I bought a new iPhone."),
    Kind("GR201", "grammar", Severity.WARNING, ("GRAMMAR",), "A grammar error (agreement, articles, verb forms).",
         "Give up an social app.", "Give up a social app."),
    Kind("GR301", "punctuation", Severity.WARNING, ("PUNCTUATION",), "Missing, extra or wrong punctuation.",
         "However we left.", "However, we left."),
    Kind("GR401", "style", Severity.INFO,
         ("STYLE", "PLAIN_ENGLISH", "WIKIPEDIA", "CREATIVE_WRITING", "TON_ACADEMIC", "TEXT_ANALYSIS",
          "AMERICAN_ENGLISH_STYLE", "BRITISH_ENGLISH"),
         "A style hint: wordy, informal or unclear phrasing.",
         "We did this in order to save time.", "We did this to save time."),
    Kind("GR402", "redundancy", Severity.INFO, ("REDUNDANCY", "REPETITIONS", "REPETITIONS_STYLE"),
         "A redundant phrase or a repeated word.", "It was a free gift.", "It was a gift."),
    Kind("GR501", "typography", Severity.INFO, ("TYPOGRAPHY",), "Typography: spacing, symbols, dashes.",
         "It costs 5 $ .", "It costs $5."),
    Kind("GR601", "casing", Severity.WARNING, ("CASING",), "Wrong upper or lower case.",
         "we met on monday.", "We met on Monday."),
    Kind("GR701", "word-choice", Severity.WARNING,
         ("CONFUSED_WORDS", "SEMANTICS", "NONSTANDARD_PHRASES", "COLLOCATIONS"),
         "A commonly confused word, a nonstandard phrase or a semantic slip.",
         "Their going home.", "They're going home."),
    Kind("GR702", "compounding", Severity.WARNING, ("COMPOUNDING",), "A compound written open, closed or "
         "hyphenated the wrong way.", "It was a well known fact.", "It was a well-known fact."),
    Kind("GR901", "other", Severity.INFO, (), "A LanguageTool match in a category lintkit does not map.",
         "(any LanguageTool rule in category MISC)", "(the text after following its suggestion)"),
)
_BY_CATEGORY = {c: k.code for k in KINDS for c in k.categories if k.code != "GR101"}
# LanguageTool files some core rules under MISC; give them the code of what they check.
RULE_CODES = {
    "EN_A_VS_AN": "GR201", "ENGLISH_WORD_REPEAT_RULE": "GR402", "EN_COMPOUNDS": "GR702",
    "EN_WORD_COHERENCY": "GR102", "EN_SIMPLE_REPLACE": "GR701", "REP_PASSIVE_VOICE": "GR401",
    "REP_THANK_YOU_FOR": "GR401", "EN_CONSISTENT_APOS": "GR501",
}
SPELLING_CODES = ("GR101", "GR102")

_DOC = """Reported by LanguageTool {version} (rule id in the finding as `GR:<RULE_ID>`, e.g. `GR:EN_A_VS_AN`;
ignore a single LanguageTool rule with `ignore = ["GR:<RULE_ID>"]` or turn it off on the server side with
`[tool.lintkit.grammar] disabled-rules`). LanguageTool categories: {cats}. Suggestions become fixes (unsafe:
applied only with `--unsafe-fixes`). Needs the managed LanguageTool server (`lintkit languagetool install`) or
`[tool.lintkit.grammar] server`. See docs/grammar.md."""


@hookimpl
def lintkit_register_rules() -> list[Rule]:
    out = []
    for k in KINDS:
        cats = ", ".join(k.categories) or "any other"
        doc = _DOC.format(version=inst.LT_VERSION, cats=cats)
        extra = sorted(r for r, c in RULE_CODES.items() if c == k.code)
        if extra:
            doc += f" Also these LanguageTool rules: {', '.join(extra)}."
        if k.code == "GR102":
            doc += ("\n\nFindings carry `spelling=true`: a consistency (CN) finding on the same span wins.")
        if k.code == "GR101":
            doc += ("\n\nSpelling matches (MORFOLOGIK_* rules) are dropped for words in `[grammar] words`, "
                    "`words-file` and the canonical terms of `terms` rule packs. They carry `spelling=true`, "
                    "so a consistency (CN) finding on the same span wins.")
        out.append(Rule(k.code, k.name, SECTION, k.severity, k.summary, doc, k.bad, k.good, fixable=True))
    return out


def code_for(m: Match) -> str:
    if is_spelling(m):
        return "GR101"
    return RULE_CODES.get(m.rule_id) or _BY_CATEGORY.get(m.category, "GR901")


def is_spelling(m: Match) -> bool:
    rid = m.rule_id
    return (rid.startswith(("MORFOLOGIK_", "HUNSPELL_")) or rid.endswith(("_SPELLER_RULE", "_SPELLING_RULE"))
            or (m.category == "TYPOS" and m.type_name == "UnknownWord"))


# Known words -----------------------------------------------------------------------------

def configured_words(opts: dict[str, Any], root: Path) -> frozenset[str]:
    """``[grammar] words`` and ``words-file``, case-folded. The spelling rule also accepts
    the canonical terms of the ``terms`` rule packs (:func:`pack_terms`, added by
    :meth:`Settings.load_words`)."""
    words = {w.casefold() for w in opts.get("words", [])}
    wf = opts.get("words-file")
    if wf:
        path = (root / wf) if not os.path.isabs(wf) else Path(wf)
        try:
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    words.add(line.casefold())
        except OSError as exc:
            raise ConfigError(str(path), f"cannot read [grammar] words-file: {exc.strerror or exc}") from None
    return frozenset(words)


_TERMS_CACHE: dict[tuple[str, ...], frozenset[str]] = {}
_CANON_CACHE: dict[tuple[str, ...], dict[str, bool]] = {}


def squeeze(text: str) -> str:
    """Case, hyphens, spaces and apostrophes removed: how the consistency family
    compares a spelling with a canonical term."""
    return "".join(c for c in text.casefold() if c.isalnum())


def canonical_terms(rule_packs: tuple[str, ...]) -> dict[str, bool]:
    """Canonical spellings from every ``terms`` rule pack (tolerant of the entry shape:
    any ``canonical``/``term``/``preferred`` string, at any depth) -> lowercase-ok."""
    if rule_packs in _CANON_CACHE:
        return _CANON_CACHE[rule_packs]
    from lintkit.packs import packs

    found: dict[str, bool] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            lower_ok = bool(node.get("lowercase-ok", False))
            for k, v in node.items():
                if k in ("canonical", "term", "preferred") and isinstance(v, str):
                    found[v] = found.get(v, False) or lower_ok
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    try:
        terms = packs("terms", list(rule_packs))
    except PackError:
        terms = _terms_packs_one_by_one(rule_packs)
    for pack in terms:
        walk(pack.data)
    _CANON_CACHE[rule_packs] = found
    return found


def term_variants(rule_packs: tuple[str, ...]) -> dict[str, bool]:
    return {squeeze(t): ok for t, ok in canonical_terms(rule_packs).items() if squeeze(t)}


def cn_owns(word: str, variants: dict[str, bool]) -> bool:
    """True when ``word`` is a case/space/hyphen variant of a house term, which the
    consistency family flags (unless the term's all-lower-case form is an ordinary word)."""
    key = squeeze(word)
    if key not in variants:
        return False
    return not (variants[key] and word == word.lower())


def pack_terms(rule_packs: tuple[str, ...]) -> frozenset[str]:
    """Known words from the canonical terms of ``terms`` packs (whole terms and their words)."""
    if rule_packs in _TERMS_CACHE:
        return _TERMS_CACHE[rule_packs]
    found = canonical_terms(rule_packs)
    out = set()
    for term in found:
        out.add(term.casefold())
        out.update(w.casefold() for w in term.replace("-", " ").split() if w)
    _TERMS_CACHE[rule_packs] = frozenset(out)
    return _TERMS_CACHE[rule_packs]


def _terms_packs_one_by_one(rule_packs: tuple[str, ...]) -> list[Any]:
    """Another family's broken pack must not stop grammar checking (that family reports
    it): load pack files one by one and keep the readable ``terms`` packs."""
    from lintkit.packs import builtin_rules_dir, load_pack

    files: list[Path] = []
    for p in (str(builtin_rules_dir()), *rule_packs):
        path = Path(p)
        files.extend(sorted(path.rglob("*.toml")) if path.is_dir() else [path] if path.is_file() else [])
    out = []
    for f in files:
        try:
            pack = load_pack(f)
        except PackError:
            continue
        if pack.kind == "terms":
            out.append(pack)
    return out


def is_known(text: str, words: frozenset[str]) -> bool:
    t = text.strip().casefold()
    if not t:
        return False
    if t in words:
        return True
    parts = t.replace("-", " ").split()
    return bool(parts) and all(p in words for p in parts)


# Per-paragraph cache ---------------------------------------------------------------------

def _cache_root() -> Path:
    return cache_dir() / "grammar"


def cache_key(prefix: str, text: str) -> bytes:
    return hashlib.sha256(f"{prefix}\0{text}".encode("utf-8", "surrogatepass")).digest()


def cache_get(keys: list[bytes]) -> dict[bytes, list[Match]]:
    """The cached answers of those ``keys`` that have a readable one (see :mod:`.store`)."""
    from lintkit.families.grammar.store import store_in
    from lintkit.languagetool.client import Match

    found: dict[bytes, list[Match]] = {}
    for key, data in store_in(str(_cache_root())).get_many(keys).items():
        try:
            found[key] = [Match.from_json(d) for d in json.loads(data)]
        except (ValueError, TypeError, KeyError, AttributeError):
            pass  # corrupt: checked again, and replaced
    return found


def cache_put(entries: list[tuple[bytes, list[Match]]]) -> None:
    from lintkit.families.grammar.store import store_in
    from lintkit.languagetool.client import dumps

    store_in(str(_cache_root())).put_many([(key, dumps(matches)) for key, matches in entries])


# Checking --------------------------------------------------------------------------------

_CLIENTS: dict[tuple[str, float, int], Client] = {}


def _client(url: str, timeout: float, pool: int) -> Client:
    key = (url, timeout, pool)
    if key not in _CLIENTS:
        from lintkit.languagetool.client import Client

        _CLIENTS[key] = Client(url, timeout=timeout, pool=pool)
    return _CLIENTS[key]


# A managed server that answered a check this recently is not asked for its health again
# (a run asks before each document otherwise; with the server busy, that answer waits
# behind the queued checks, ~70 ms on 2 cores, and holds up the next document's requests).
RECENT_ANSWER = 0.1
_MANAGED: dict[tuple[float, int], Client] = {}


def connect(settings: Settings) -> tuple[Client, bool]:
    """A client for the configured server; (client, managed)."""
    from lintkit.languagetool import server

    if settings.url:
        return _client(settings.url, settings.timeout, settings.concurrency), False
    last = _MANAGED.get((settings.timeout, settings.concurrency))
    if last is not None and time.monotonic() - last.last_answer < RECENT_ANSWER:
        server.touch()  # the idle stop counts from the last use
        return last, True
    st = server.running()
    if st is None:
        if not settings.auto_start:
            if inst.classpath() is None:
                raise inst.not_installed_error()
            raise BackendError("languagetool", "no LanguageTool server is running and [grammar] auto-start is off",
                               "run `lintkit languagetool start`")
        st = server.ensure_running(warmup=warmup_for(settings), idle_timeout=settings.idle_timeout)
    server.touch()
    client = _client(f"http://127.0.0.1:{st['port']}", settings.timeout, settings.concurrency)
    _MANAGED[(settings.timeout, settings.concurrency)] = client
    return client, True


def paragraph_text(prose: str, start: int, end: int) -> str:
    # newlines inside a paragraph are soft breaks: a space for LanguageTool, same length
    return prose[start:end].replace("\r", " ").replace("\n", " ")


# One pool of request threads per process and concurrency, shared by every document, so
# that the next document's requests (queued by lintkit_prefetch) keep the server busy while
# this one's last answers come in. Threads do not survive a fork: a forked worker (--jobs)
# starts its own pool and its own HTTP connections (see _forget_after_fork).
_POOLS: dict[int, ThreadPoolExecutor] = {}
_DROP_REGISTERED = False  # _drop_queued registered as an exit hook (by _pool)


def _pool(concurrency: int) -> ThreadPoolExecutor:
    global _DROP_REGISTERED
    pool = _POOLS.get(concurrency)
    if pool is None:
        from concurrent.futures import ThreadPoolExecutor

        if not _DROP_REGISTERED:
            # The executor joins its threads from a hook of threading's shutdown, which runs
            # before atexit handlers and calls its hooks last-registered first. Its hook is
            # registered when concurrent.futures.thread is first imported (just above, at
            # the latest): registering ours now puts it first.
            getattr(threading, "_register_atexit", atexit.register)(_drop_queued)
            _DROP_REGISTERED = True
        pool = _POOLS[concurrency] = ThreadPoolExecutor(concurrency, thread_name_prefix="lintkit-grammar")
    return pool


def _forget_after_fork() -> None:
    _POOLS.clear()
    _CLIENTS.clear()
    _MANAGED.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def _drop_queued() -> None:
    """At exit (Ctrl-C, an error): cancel the requests still queued, this file's and the
    next one's; only the few in flight are waited for. Without it the executor's own exit
    hook would send every queued request first."""
    for pool in list(_POOLS.values()):
        pool.shutdown(wait=False, cancel_futures=True)


class Batch:
    """The paragraphs of one document: cache hits at once, the rest sent to the server
    when the batch is made (through the shared pool); :meth:`results` waits for the
    answers. With ``concurrency = 1`` the requests are sent one by one by :meth:`results`."""

    def __init__(self, texts: list[str], settings: Settings) -> None:
        self.texts = texts
        self.settings = settings
        prefix = settings.key_prefix()
        self.keys = [cache_key(prefix, t) for t in texts]
        self.done: list[list[Match] | None] = [None] * len(texts)
        self.todo: list[int] = []
        hits = cache_get(self.keys) if settings.cache else {}
        for i, k in enumerate(self.keys):
            hit = hits.get(k)
            if hit is not None:
                self.done[i] = hit
            else:
                self.todo.append(i)
        self.error: BaseException | None = None
        self.futures: list[tuple[int, Future[list[Match]]]] = []
        self.client: Client | None = None
        self.managed = False
        if self.todo:
            try:
                self.client, self.managed = connect(settings)
            except Exception as exc:  # raised by results(), in the check, as before
                self.error = exc
            else:
                self._submit(self.todo)

    def _submit(self, todo: list[int]) -> None:
        if self.settings.concurrency > 1:
            pool = _pool(self.settings.concurrency)
            # longest paragraphs first: the last answers of a run are then short ones, so
            # the server's queue stays full until nearly the end
            order = sorted(todo, key=lambda i: -len(self.texts[i]))
            self.futures = sorted(((i, pool.submit(self._one, i)) for i in order), key=lambda f: f[0])

    def _one(self, i: int) -> list[Match]:
        assert self.client is not None
        return self.client.check(self.texts[i], self.settings.params)

    def _wait(self) -> None:
        fresh: list[int] = []  # answered now: written to the cache below
        error: BaseException | None = None
        if self.settings.concurrency <= 1:
            for i in self.todo:
                if self.done[i] is None:
                    try:
                        self.done[i] = self._one(i)
                    except BaseException as exc:
                        error = exc
                        break
                    fresh.append(i)
        else:
            futures, self.futures = self.futures, []
            for i, f in futures:
                if error is not None:  # the first error wins; the rest are cancelled
                    if not f.cancel() and f.done() and f.exception() is None:
                        self.done[i] = f.result()  # answered already: kept, and cached below
                        fresh.append(i)
                    continue
                try:
                    self.done[i] = f.result()
                except BaseException as exc:
                    error = exc
                else:
                    fresh.append(i)
        # Cache entries are written here, by this thread, once the answers are in: one
        # transaction for the document (see .store). By now the next document's requests are
        # in flight and their threads wait on the server.
        if self.settings.cache and fresh:
            cache_put([(self.keys[i], done) for i in fresh if (done := self.done[i]) is not None])
        if error is not None:
            raise error

    def results(self) -> list[list[Match]]:
        if self.error is not None:
            raise self.error
        if self.todo:
            from lintkit.languagetool.client import ConnectionFailed

            try:
                self._wait()
            except ConnectionFailed:
                if not self.managed or not self.settings.auto_start:
                    raise
                # the managed server died (crash, OOM kill, idle stop): restart once, retry the rest
                if self.client is not None:
                    self.client.last_answer = float("-inf")  # ask the server state, not the last answer
                self.client, _ = connect(self.settings)
                self._submit([i for i in self.todo if self.done[i] is None])
                self._wait()
        return [r if r is not None else [] for r in self.done]


_SETTINGS_CACHE: dict[tuple[str, str, str], Settings] = {}


def settings_for(ctx: Any) -> Settings:
    key = (ctx.config.fingerprint(), str(ctx.config.root), os.environ.get(ENV_URL, ""))
    s = _SETTINGS_CACHE.get(key)
    if s is None:
        opts = ctx.options(SECTION)
        s = settings_from_options(opts, ctx.language)
        s.words = configured_words(opts, ctx.config.root)  # a bad words-file fails here, before any request
        s.terms_from = tuple(ctx.config.get("rule-packs"))
        _SETTINGS_CACHE[key] = s
    return s


def _paragraphs(document: Any) -> tuple[list[tuple[int, int]], list[str]]:
    paras = [(p.start, p.end) for p in document.paragraphs if p.end > p.start
             and document.prose[p.start:p.end].strip()]
    return paras, [paragraph_text(document.prose, a, b) for a, b in paras]


@hookimpl
def lintkit_prefetch(document: Any, ctx: Any) -> bool:
    """Send this document's uncached paragraphs now; lintkit_check collects the answers."""
    if not ctx.enabled("GR"):
        return False
    paras, texts = _paragraphs(document)
    if not paras:
        return False
    batch = Batch(texts, settings_for(ctx))
    ctx.state[SECTION] = (paras, texts, batch)
    return bool(batch.futures)


@hookimpl
def lintkit_check(document: Any, ctx: Any) -> list[Finding]:
    if not ctx.enabled("GR"):
        return []
    settings = settings_for(ctx)
    prefetched = ctx.state.pop(SECTION, None)
    if prefetched is not None and prefetched[2].settings is settings:
        paras, texts, batch = prefetched
    else:
        paras, texts = _paragraphs(document)
        if not paras:
            return []
        batch = Batch(texts, settings)
    settings.load_words()  # while the server works on the requests prefetch sent
    with ctx.timed("GR waiting for LanguageTool"):
        results = batch.results()
    out: list[Finding] = []
    for (pstart, _pend), text, matches in zip(paras, texts, results):
        for m in matches:
            f = to_finding(document, ctx, pstart, text, m, settings)
            if f is not None:
                out.append(f)
    return out


def to_finding(document: Any, ctx: Any, pstart: int, text: str, m: Match, settings: Settings) -> Finding | None:
    code = code_for(m)
    if not ctx.enabled(code):
        return None
    a, b = pstart + m.start, pstart + max(m.end, m.start + 1)
    if b > a and not _touches_prose(document, a, b):
        return None  # entirely inside a placeholder (inline code, URL)
    word = text[m.start:m.end]
    spelling = code in SPELLING_CODES
    if code == "GR101" and is_known(word, settings.words):
        return None
    if spelling and ctx.enabled("CN") and cn_owns(word, settings.variants):
        return None  # a variant spelling of a house term: the consistency family reports it (CN102)
    sa, sb = document.source_span(a, pstart + m.end)
    # alternatives, best first (the fix engine applies the first); never safe: ranked guesses
    fixes = [Fix(sa, sb, r, safe=False, description=f"replace with {r!r}") for r in m.replacements[:3]]
    message = m.message.strip()
    if code == "GR101":
        message = f"possible spelling mistake: {word!r}"
    if m.replacements:
        shown = ", ".join(repr(r) for r in m.replacements[:3])
        message += f" (suggestion{'s' if len(m.replacements) > 1 else ''}: {shown})"
    return ctx.finding(code, sa, sb, message, fixes=fixes, aliases=(f"GR:{m.rule_id}",),
                       rule_id=m.rule_id, category=m.category, replacements=m.replacements[:5],
                       spelling=spelling)


def _touches_prose(document: Any, a: int, b: int) -> bool:
    return any(document.offsets.is_copy(i, i + 1) for i in range(a, b))


# Commands --------------------------------------------------------------------------------

@hookimpl
def lintkit_commands() -> dict[str, Command]:
    from lintkit.languagetool import cli

    return {"languagetool": Command("install, start, stop or show the managed LanguageTool server",
                                    cli.add_arguments, cli.run)}
