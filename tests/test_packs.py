"""Rule packs from users are untrusted input: invalid TOML, unknown keys, a regex that
does not compile and a catastrophic-backtracking pattern are rejected at load, with the
pack, the entry and the reason; through the API and end to end (exit 2, one line)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import regex

from lintkit.errors import PackError
from lintkit.packs import Pack, backtracking_risk, check_keys, compile_pattern, load_pack

ROOT = Path(__file__).resolve().parent.parent
HEADER = '[pack]\nname = "user"\nkind = "claims"\nversion = "1"\ndescription = "a user pack"\n'
TAIL = "(catastrophic backtracking); rewrite it so that each repeated part can match in only one way"


def _pack(tmp_path: Path) -> Pack:
    return Pack("user", "claims", tmp_path / "user.toml", {})


# Loading --------------------------------------------------------------------------------

def test_invalid_toml_names_the_pack_and_the_place(tmp_path: Path) -> None:
    p = tmp_path / "bad.toml"
    p.write_text('[pack]\nname = "bad\n')
    with pytest.raises(PackError) as exc:
        load_pack(p)
    assert str(exc.value) == f"{p}: invalid TOML: Illegal character '\\n' (at line 2, column 12)"


def test_binary_garbage_is_invalid_toml(tmp_path: Path) -> None:
    p = tmp_path / "garbage.toml"
    p.write_bytes(b"\xff\xfe\x00junk")
    with pytest.raises(PackError) as exc:
        load_pack(p)
    assert str(exc.value) == f"{p}: invalid TOML: not valid UTF-8 (byte 0xff at offset 0)"


def test_unknown_header_key(tmp_path: Path) -> None:
    p = tmp_path / "h.toml"
    p.write_text(HEADER + 'author = "me"\n')
    with pytest.raises(PackError) as exc:
        load_pack(p)
    assert str(exc.value) == (f"{p}: unknown key(s) in [pack]: author "
                              "(allowed: description, kind, name, version)")


def test_missing_header_and_bad_name(tmp_path: Path) -> None:
    p = tmp_path / "n.toml"
    p.write_text('[lexicon]\ncategory = "hedge"\n')
    with pytest.raises(PackError) as exc:
        load_pack(p)
    assert str(exc.value) == f"{p}: missing [pack] header (name, kind, version, description)"
    p.write_text("[pack]\nname = 3\nkind = \"claims\"\n")
    with pytest.raises(PackError) as exc:
        load_pack(p)
    assert str(exc.value) == f"{p}: [pack] needs a string 'name'"


def test_unknown_and_missing_entry_keys(tmp_path: Path) -> None:
    pack = _pack(tmp_path)
    with pytest.raises(PackError) as exc:
        check_keys({"canonical": "x", "colour": 1}, {"canonical", "wrong"}, pack, "Tencent")
    assert str(exc.value) == f"{pack.path}: entry 'Tencent': unknown key(s) colour (allowed: canonical, wrong)"
    with pytest.raises(PackError) as exc:
        check_keys({"wrong": []}, {"canonical", "wrong"}, pack, "Tencent", {"canonical"})
    assert str(exc.value) == f"{pack.path}: entry 'Tencent': missing key(s) canonical"


# Patterns -------------------------------------------------------------------------------

@pytest.mark.parametrize(("pattern", "reason"), [
    ("(a", "missing ) at position 2"),
    ("[z-a]", "bad character range at position 4"),
    ("x{5,2}", "min repeat greater than max repeat at position 2"),
    (r"\p{Foo}", "unknown property at position 7"),
])
def test_pattern_that_does_not_compile(tmp_path: Path, pattern: str, reason: str) -> None:
    pack = _pack(tmp_path)
    with pytest.raises(PackError) as exc:
        compile_pattern(pattern, pack, "tier 1 pattern 2")
    assert str(exc.value) == f"{pack.path}: entry 'tier 1 pattern 2': bad pattern {pattern!r}: {reason}"


def test_pattern_that_is_not_a_string(tmp_path: Path) -> None:
    pack = _pack(tmp_path)
    with pytest.raises(PackError) as exc:
        compile_pattern(42, pack, "e")  # type: ignore[arg-type]
    assert str(exc.value) == f"{pack.path}: entry 'e': pattern must be a string, not int"


NESTS = "nests quantifiers"
EMPTY = "repeats a part that can match the empty string"
ALT = "repeats an alternation whose branches overlap or can match the empty string"
OVERLAP = "repeats an alternation whose branches overlap"


@pytest.mark.parametrize(("pattern", "reason"), [
    ("(a+)+", NESTS),
    (r"(\w+\s?)+$", NESTS),
    ("((a+))+", NESTS),  # nested groups: the old textual check missed this one
    ("(?:a+)+", NESTS),
    ("(.*a){20}", NESTS),
    (r"(\w+\w+)+", NESTS),
    ("(?:a+ba+)+", NESTS),
    (r"(\p{L}+\s?)+$", NESTS),
    ("(a*)*", EMPTY),
    ("(a?)*", EMPTY),
    ("(|a)+", EMPTY),
    ("(a|a?)+", EMPTY),
    ("(a|aa)+", ALT),  # the parser factors out the "a": "a(?:|a)"
    ("(a|a)+b", ALT),
    (r"(?:\p{L}|\p{L}x)+", ALT),
    ("(?:ab|cd|a)+", OVERLAP),
])
def test_catastrophic_pattern_is_rejected_statically(tmp_path: Path, pattern: str, reason: str) -> None:
    assert backtracking_risk(pattern) == reason
    pack = _pack(tmp_path)
    with pytest.raises(PackError) as exc:
        compile_pattern(pattern, pack, "tier 2 pattern 1")
    assert str(exc.value) == f"{pack.path}: entry 'tier 2 pattern 1': pattern {pattern!r} {reason} {TAIL}"


@pytest.mark.parametrize(("pattern", "text", "match"), [
    (r"(\d{3}-)+", "call 555-123-now", "555-123-"),  # a fixed count inside is fine
    (r"(?:-\p{L}+)*", "-well-known", "-well-known"),
    (r"^(?:[a-z]+\.)+[a-z]{2,}$", "mail.example.org", "mail.example.org"),
    (r"(?:\s*,\s*\w+)+", "a , b,c", " , b,c"),
    (r"(?:\p{Lu}\p{Ll}+)+", "McDonald", "McDonald"),
    ("(a+b+)+", "aabbab", "aabbab"),
    ("(?>a|aa)+", "aaa", "aaa"),  # atomic groups never backtrack
    ("(a++)+", "aaa", "aaa"),  # possessive quantifiers neither
    ("(?:,|;)+", "x,;y", ",;"),
    (r"about\s+\d", "about  5", "about  5"),
    (r"(\w+)\1", "say hellohello", "hellohello"),
])
def test_safe_patterns_compile_and_match(tmp_path: Path, pattern: str, text: str, match: str) -> None:
    assert backtracking_risk(pattern) is None
    compiled = compile_pattern(pattern, _pack(tmp_path), "e")
    m = compiled.search(text)
    assert m is not None and m.group(0) == match


def test_probe_catches_what_the_static_check_cannot_see(tmp_path: Path) -> None:
    # The stdlib parser folds "[a-z]|[a-c]" into one class, so the static check sees
    # "[a-z]+"; the regex module keeps both branches and backtracks exponentially.
    pattern = "(?:[a-z]|[a-c])+$"
    assert backtracking_risk(pattern) is None
    pack = _pack(tmp_path)
    with pytest.raises(PackError) as exc:
        compile_pattern(pattern, pack, "e")
    assert str(exc.value) == (f"{pack.path}: entry 'e': pattern {pattern!r} takes over 1 s on 'aaa'... "
                              f"(30 of them) {TAIL}")


def test_ignorecase_compares_folded_first_characters() -> None:
    assert backtracking_risk("(?:ab|Ac)+") is None
    assert backtracking_risk("(?:ab|Ac)+", regex.IGNORECASE) == OVERLAP


def test_regex_only_syntax_falls_back_to_the_textual_check() -> None:
    # Variable-length lookbehind parses in the regex module only.
    assert backtracking_risk(r"(?<=a+)(b+)+") == NESTS
    assert backtracking_risk(r"(?<=a+)b") is None


# End to end -----------------------------------------------------------------------------

def _run(tmp_path: Path, pack_text: str | bytes) -> tuple[int, list[str], str]:
    pack = tmp_path / "bad.toml"
    if isinstance(pack_text, bytes):
        pack.write_bytes(pack_text)
    else:
        pack.write_text(pack_text)
    (tmp_path / "lintkit.toml").write_text('rule-packs = ["bad.toml"]\n')
    (tmp_path / "doc.md").write_text("Some plain text.\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "lintkit", "check", "--no-cache", "--ignore", "GR", "doc.md"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("lintkit: error")]
    return proc.returncode, errors, proc.stderr


@pytest.mark.parametrize(("body", "message"), [
    ('[pack]\nname = "bad\n', "invalid TOML: Illegal character '\\n' (at line 2, column 12)"),
    (HEADER + 'license = "MIT"\n',
     "unknown key(s) in [pack]: license (allowed: description, kind, name, version)"),
    (HEADER + '\n[lexicon]\ncategory = "booster"\n\n[[lexicon.tier]]\nweight = 1.0\nphrases = ["x"]\ncolour = 1\n',
     "entry 'tier 1': unknown key(s) colour (allowed: patterns, phrases, weight)"),
    (HEADER + '\n[lexicon]\ncategory = "booster"\n\n[[lexicon.tier]]\npatterns = ["(a"]\n',
     "entry 'tier 1 pattern 1': bad pattern '(a': missing ) at position 2"),
    (HEADER + '\n[lexicon]\ncategory = "booster"\n\n[[lexicon.tier]]\npatterns = ["(a|aa)+b"]\n',
     f"entry 'tier 1 pattern 1': pattern '(a|aa)+b' {ALT} {TAIL}"),
    (HEADER + '\n[lexicon]\ncategory = "booster"\n\n[[lexicon.tier]]\npatterns = ["(x+)+y"]\n',
     f"entry 'tier 1 pattern 1': pattern '(x+)+y' {NESTS} {TAIL}"),
], ids=["toml", "header-key", "entry-key", "regex", "alternation", "nested"])
def test_bad_user_pack_end_to_end(tmp_path: Path, body: str, message: str) -> None:
    rc, errors, stderr = _run(tmp_path, body)
    assert "Traceback" not in stderr
    assert errors == [f"lintkit: error: doc.md: {tmp_path / 'bad.toml'}: {message}"]
    assert rc == 2
