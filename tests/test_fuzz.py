"""Property tests and fuzz targets (hypothesis), sized to run in CI in well under a
minute: the Markdown projection and its offset map, sentence splitting, suppression
comments, fixes (a fix never changes text outside its span; --fix is idempotent), the
config loader and the rule-pack loader (only their own errors, never a crash).

Raise the example counts locally with ``LINTKIT_FUZZ_EXAMPLES=2000``.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
import types
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lintkit.config import CORE_OPTIONS, build_config, load_raw
from lintkit.document.model import COPY, LineIndex, Source
from lintkit.document.readers import lintkit_read_document
from lintkit.document.segment import split_sentences
from lintkit.document.suppress import DIRECTIVE, parse_suppressions
from lintkit.errors import ConfigError, InputError, PackError
from lintkit.fixes import apply_fixes, fix_source
from lintkit.packs import Pack, compile_pattern, load_pack
from lintkit.types import Fix

N = int(os.environ.get("LINTKIT_FUZZ_EXAMPLES", "60"))
FAST = settings(max_examples=N, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Text built from pieces that exercise the readers: markup, breaks, URLs, abbreviations,
# directives, odd characters.
PIECES = ["# ", "## ", "- ", "1. ", "> ", "    ", "`code`", "``a`b``", "**b**", "*i*", "_u_", "~~s~~",
          "[link](http://x.y/z)", "![alt](i.png)", "<https://a.b>", "http://example.com/a.", "a@b.co",
          "\n", "\r\n", "\r", "\n\n", "|a|b|\n|-|-|\n|c|d|\n", "```\ncode\n```\n", "---\nk: v\n---\n",
          "Mr. Smith", "U.S. Senate", "e.g. this", "Hello world.", "Why? Yes!", "3.14", "...", "…", " ",
          "\t", "&amp;", "\\*", "<b>x</b>", "<!-- c -->", "<!-- lintkit-disable CN -->",
          "<!-- lintkit-enable -->", "<!-- lintkit-disable-next-line -->", "é", "e\u0301", "\u200b", "\u202e",
          "\U0001f600", "\x00", "\ufeff", "word", "Word", "the the", "\"quoted.\"", "(aside.)", "'"]
markdownish = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=25).map("".join)


# Projection and offset map -------------------------------------------------------------

@FAST
@given(markdownish, st.sampled_from(["markdown", "text"]))
def test_projection_maps_back_exactly(text: str, fmt: str) -> None:
    doc = lintkit_read_document(Source("f", text, fmt))
    n = len(text)
    prose = doc.prose
    for pstart, sstart, length, kind, slen in doc.offsets.runs():
        assert 0 <= sstart <= sstart + slen <= n
        if kind == COPY:  # copied characters are the source's, one for one
            assert prose[pstart:pstart + length] == text[sstart:sstart + length]
    prev_end = 0
    for para in doc.paragraphs:
        assert 0 <= para.start < para.end <= len(prose)
        assert para.start >= prev_end
        prev_end = para.end
        for s in para.sentences:
            assert para.start <= s.start < s.end <= para.end
            assert s.text == prose[s.start:s.end]
            for w in s.words:
                assert s.start <= w.start < w.end <= s.end and w.text == prose[w.start:w.end]
                a, b = doc.source_span(w.start, w.end)
                assert 0 <= a <= b <= n
                if doc.offsets.is_copy(w.start, w.end):
                    # a copied word starts and ends on its own characters in the source (markup
                    # may sit inside: "**b***i*" reads "bi", spanning "b***i")
                    assert text[a] == w.text[0] and text[b - 1] == w.text[-1]
    for s in doc.sentences:
        line, col = doc.position(doc.source_span(s.start, s.end)[0])
        assert line >= 1 and col >= 1


# Sentences -------------------------------------------------------------------------------

@FAST
@given(st.text(alphabet=st.sampled_from(list("ab A.?!…\"')] \n\tUSe,;3")), max_size=80), st.data())
def test_sentence_spans_are_inside_ordered_disjoint_and_trimmed(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    spans = split_sentences(text, start, end)
    prev = start
    for a, b in spans:
        assert prev <= a < b <= end  # inside, ordered, non-overlapping, non-empty
        assert not text[a].isspace() and not text[b - 1].isspace()
        assert text[prev:a].strip() == ""  # nothing but space is left out between sentences
        prev = b
    assert text[prev:end].strip() == ""


# The sentence-final mark as first written; segment._BOUNDARY is a faster form of it.
_BOUNDARY_REFERENCE = re.compile(r"(?:\.{3}|…|[.!?]+)[\"'”’»)\]]*(?=\s|$)")


@settings(max_examples=max(N, 400), deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from(list(".!?…\"'”’»)] \n\taB")), max_size=24))
def test_sentence_boundary_pattern_matches_as_first_written(text: str) -> None:
    from lintkit.document.segment import _BOUNDARY

    assert [m.span() for m in _BOUNDARY.finditer(text)] == [m.span() for m in _BOUNDARY_REFERENCE.finditer(text)]


# Suppression comments ------------------------------------------------------------------

directive = st.builds(lambda kind, codes, sp: f"<!--{sp}lintkit-{kind} {codes}{sp}-->",
                      st.sampled_from(["disable", "enable", "disable-line", "disable-next-line", "disable-file",
                                       "disablex", "enable-"]),
                      st.sampled_from(["", "CN", "CN101,CL", "GR:EN_A_VS_AN", " , ,", "-->", "<!--"]),
                      st.sampled_from(["", " ", "\n", "\t"]))
suppress_text = st.lists(st.one_of(directive, st.sampled_from(["text\n", "\n", "\r\n", "x", "<!--", "-->"]),
                                   st.text(max_size=4)), max_size=20).map("".join)


@FAST
@given(suppress_text, st.data())
def test_suppressions_never_crash_and_regions_are_well_formed(text: str, data: st.DataObject) -> None:
    lines = LineIndex(text)
    skips = data.draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))).map(sorted)
                               .map(tuple), max_size=3))
    sups = parse_suppressions(text, lines, list(skips))
    n = len(text)
    directives = [m for m in DIRECTIVE.finditer(text)]
    starts = {m.start() for m in directives}
    for s in sups:
        assert s.kind in ("disable", "disable-line", "disable-next-line", "disable-file")
        assert 0 <= s.start <= s.end <= n
        assert all(isinstance(c, str) and c and "," not in c and not c.isspace() for c in s.codes)
        if s.kind == "disable":
            assert s.start in starts  # a region opens at its directive
        if s.kind == "disable-file":
            assert (s.start, s.end) == (0, n)
        if s.kind in ("disable-line", "disable-next-line"):
            assert s.start in lines.starts  # whole lines
    # regions of one code never overlap each other
    by_code: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for s in sups:
        if s.kind == "disable":
            by_code.setdefault(s.codes, []).append((s.start, s.end))
    for spans in by_code.values():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


# Fixes ---------------------------------------------------------------------------------

@st.composite
def text_and_fixes(draw: st.DrawFn) -> tuple[str, list[Fix]]:
    text = draw(st.text(alphabet="ab \n\r.", max_size=40))
    fixes = []
    for _ in range(draw(st.integers(0, 6))):
        a = draw(st.integers(0, len(text) + 2))
        b = draw(st.integers(a, len(text) + 3))
        fixes.append(Fix(a, b, draw(st.sampled_from(["", "x", "ab", "\n", "b a"]))))
    return text, fixes


@FAST
@given(text_and_fixes(), st.sampled_from(["\n", "\r\n"]))
def test_a_fix_never_changes_text_outside_its_span(tf: tuple[str, list[Fix]], newline: str) -> None:
    text, fixes = tf
    new, chosen = apply_fixes(text, fixes, newline)
    assert all(0 <= f.start <= f.end <= len(text) for f in chosen)
    # rebuild: untouched stretches between the chosen spans are the original text
    pos, out = 0, []
    for f in chosen:
        assert f.start >= pos  # chosen fixes are ordered and disjoint
        out.append(text[pos:f.start])
        out.append(f.replacement.replace("\n", newline) if newline != "\n" else f.replacement)
        pos = f.end
    out.append(text[pos:])
    assert new == "".join(out)
    if not chosen:
        assert new == text
    # the same fixes on the same text give the same result (no hidden state)
    assert apply_fixes(text, fixes, newline) == (new, chosen)


FIXER = types.ModuleType("lintkit_fuzz_fixer")
FIXER.__dict__.update(__name__="lintkit_fuzz_fixer")
exec(  # noqa: S102 - a tiny plugin defined in place (no file owned elsewhere)
    '''
import re
from lintkit.hookspecs import hookimpl
from lintkit.types import Fix, Rule, Severity

@hookimpl
def lintkit_register_rules():
    return [Rule("FZ001", "fuzz-double-word", "fuzz", Severity.WARNING, "s", "d", "the the", "the"),
            Rule("FZ002", "fuzz-double-space", "fuzz", Severity.WARNING, "s", "d", "a  b", "a b")]

@hookimpl
def lintkit_check(document, ctx):
    out = []
    text = document.text
    for m in re.finditer(r"\\b(\\w+) \\1\\b", text):
        out.append(ctx.finding("FZ001", m.start(), m.end(), "doubled", fixes=[Fix(m.start(), m.end(), m.group(1))]))
    for m in re.finditer(r"(?<=\\S)  +(?=\\S)", text):
        out.append(ctx.finding("FZ002", m.start(), m.end(), "spaces", fixes=[Fix(m.start(), m.end(), " ")]))
    return out
''', FIXER.__dict__)


@pytest.fixture(scope="module")
def fix_engine():  # type: ignore[no-untyped-def]
    from lintkit.engine import Engine, Overrides

    sys.modules["lintkit_fuzz_fixer"] = FIXER
    engine = Engine(Overrides(select=["FZ"], isolated=True, cache=False), plugins=("lintkit_fuzz_fixer",))
    yield engine
    sys.modules.pop("lintkit_fuzz_fixer", None)


@settings(max_examples=max(10, N // 3), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["the", "the", "a", " ", "  ", "   ", "cat", "\n", "."]), max_size=20).map("".join))
def test_fix_is_idempotent(fix_engine, text: str) -> None:  # type: ignore[no-untyped-def]
    src = Source("f.txt", text, "text")
    once = fix_source(fix_engine, src)
    assert once.error is None and once.converged
    twice = fix_source(fix_engine, Source("f.txt", once.fixed, "text"))
    assert twice.fixed == once.fixed and twice.applied == 0
    assert [f.code for f in twice.report.findings] == []  # nothing fixable is left


# Config loader ---------------------------------------------------------------------------

KEYS = [o.name for o in CORE_OPTIONS.options] + ["fail_on", "unknown-key", "claims", "readability", "consistency"]
values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-5, 10**9), st.floats(allow_nan=True),
                                st.text(max_size=8), st.sampled_from(["error", "warning", "info", "en-GB", "*.md"])),
                      lambda inner: st.one_of(st.lists(inner, max_size=4),
                                              st.dictionaries(st.text(max_size=6), inner, max_size=4)),
                      max_leaves=10)


@FAST
@given(st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), values, max_size=6))
def test_build_config_accepts_or_rejects_cleanly(raw: dict) -> None:  # type: ignore[type-arg]
    from lintkit.engine import Engine

    sections = Engine.__new__(Engine)  # only the option sections are needed
    from lintkit.plugin import get_plugin_manager, option_sections

    sections = option_sections(get_plugin_manager())
    try:
        cfg = build_config(raw, sections, None, Path("/tmp"))
    except ConfigError as exc:
        assert "\n" not in exc.one_line()
        return
    for key in cfg.core:
        cfg.get(key)
    cfg.fingerprint()
    cfg.selected("CL101")


toml_ish = st.lists(st.sampled_from(['[tool.lintkit]\n', 'select = ["CL"]\n', 'ignore = 3\n', "fail-on = 'x'\n",
                                     '[claims]\n', 'a = [1, "b"]\n', "x = {y = 1}\n", '"\\u00e9" = 1\n', "= =\n",
                                     "[[t]]\n", "\xff", "\x00", "#c\n", "max-file-size = -1\n",
                                     'rule-packs = ["../nope.toml"]\n', "k = 1979-05-27T07:32:00Z\n"])
                    | st.text(max_size=8), max_size=12).map("".join)


@FAST
@given(toml_ish, st.sampled_from(["lintkit.toml", "pyproject.toml"]))
def test_load_raw_returns_a_table_or_a_config_error(tmp_path_factory: pytest.TempPathFactory, text: str,
                                                    name: str) -> None:
    path = tmp_path_factory.mktemp("cfg") / name
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        raw = load_raw(path)
    except ConfigError as exc:
        assert exc.where == str(path)
        return
    assert isinstance(raw, dict)


# Rule-pack loader ------------------------------------------------------------------------

@FAST
@given(toml_ish.map(lambda t: t.replace("[tool.lintkit]", "[pack]")))
def test_load_pack_returns_a_pack_or_a_pack_error(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("pack") / "p.toml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        pack = load_pack(path)
    except PackError as exc:
        assert exc.where == str(path)
        return
    assert isinstance(pack.name, str) and pack.name and isinstance(pack.kind, str)
    with open(path, "rb") as fh:
        assert "pack" in tomllib.load(fh)


regex_pieces = st.lists(st.sampled_from(["a", "b", "\\w", "\\s", "\\d", ".", "(", ")", "(?:", "|", "+", "*", "?",
                                         "{2}", "{1,3}", "{2,}", "[a-c]", "[^x]", "^", "$", "\\b", "(?>", "++",
                                         "(?=", "(?<!", "\\1", "\\p{L}", "\\", "[", "]", "{", "}"]),
                        max_size=12).map("".join)


@FAST
@given(regex_pieces)
def test_compile_pattern_compiles_or_rejects_cleanly(pattern: str) -> None:
    pack = Pack("fuzz", "claims", Path("/packs/fuzz.toml"), {})
    try:
        compiled = compile_pattern(pattern, pack, "tier 1 pattern 1")
    except PackError as exc:
        assert exc.one_line().startswith("/packs/fuzz.toml: entry 'tier 1 pattern 1': ")
        return
    # What is accepted runs in bounded time on text that punishes backtracking.
    for ch in "ab1 x":
        compiled.search(ch * 40 + "!", timeout=2.0)


def test_input_error_is_what_decoding_raises() -> None:
    from lintkit.engine import decode

    with pytest.raises(InputError):
        decode("x.md", b"\x00\x01binary")
