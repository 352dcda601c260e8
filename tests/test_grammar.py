"""Grammar and spelling (GR) against the real LanguageTool server."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from lt_support import ROOT, CountingProxy, ensure_server, http_stub, reply

from lintkit.api import check_text
from lintkit.document.model import Source
from lintkit.engine import Engine, Overrides
from lintkit.families import grammar
from lintkit.families.grammar import store as grammar_store
from lintkit.families.grammar.store import store_in
from lintkit.languagetool import client as ltclient
from lintkit.languagetool import server

pytestmark = pytest.mark.grammar

SEED = ROOT / "seeds" / "000_ea6b9445212ab19d.txt"
FIXTURE = ROOT / "fixtures" / "grammar" / "prose.md"
LINTKIT = [sys.executable, "-m", "lintkit"]


@pytest.fixture(scope="module", autouse=True)
def lt() -> dict[str, Any]:
    return ensure_server()


def gr(findings: list[Any]) -> list[tuple[int, int, str, str]]:
    """(line, column, code, LanguageTool rule id) of the GR findings."""
    return [(f.line, f.column, f.code, f.data["rule_id"]) for f in findings if f.code.startswith("GR")]


def seed_findings(select: list[str] | None = None, **grammar_opts: Any) -> list[Any]:
    cfg: dict[str, Any] = {"cache": False}
    if grammar_opts:
        cfg["grammar"] = grammar_opts
    return check_text(SEED.read_text(), path=str(SEED), select=select, config=cfg, isolated=True)


# Acceptance on the seed -------------------------------------------------------------------------

def test_seed_spelling_and_article_findings() -> None:
    found = seed_findings(select=["GR"])
    by_pos = {(f.line, f.column): f for f in found}
    gov, ent, art = by_pos[(6, 190)], by_pos[(20, 308)], by_pos[(8, 156)]
    text = SEED.read_text()
    assert (gov.code, text[gov.start:gov.end]) == ("GR101", "goverment")
    assert gov.data["spelling"] is True and gov.data["rule_id"] == "MORFOLOGIK_RULE_EN_US"
    assert gov.message == "possible spelling mistake: 'goverment' (suggestion: 'government')"
    assert [(x.replacement, x.safe) for x in gov.fixes] == [("government", False)]
    assert (ent.code, text[ent.start:ent.end], ent.fixes[0].replacement) == ("GR101", "entreprise", "enterprise")
    assert (art.code, text[art.start:art.end], art.aliases) == ("GR201", "an", ("GR:EN_A_VS_AN",))
    assert art.fixes[0].replacement == "a" and text[art.start:art.end + 7] == "an social"


def _name_spans() -> list[tuple[int, int]]:
    text = SEED.read_text()
    return [(m.start(), m.end()) for m in re.finditer(r"(?i)tencent|byte ?dance|we ?chat|tik ?tok", text)]


def test_no_spelling_finding_on_house_terms() -> None:
    spans = _name_spans()
    assert len(spans) == 16  # 3 Tencent, 7 Bytedance, 3 Wechat, 3 Tiktok
    for select in (["GR"], ["GR", "CN"]):  # grammar alone, and with the consistency family
        found = seed_findings(select=select)
        on_names = [(f.line, f.column, f.code) for f in found if f.code in ("GR101", "GR102")
                    and any(a <= f.start < b for a, b in spans)]
        if "CN" in select:  # CN owns variant spellings of house terms
            assert on_names == []
        else:  # alone, grammar still reports wrong casing of a name (GR102), never "unknown word"
            assert {c for _, _, c in on_names} <= {"GR102"}
    # the misspelled "Tecent" is still a spelling finding
    assert (16, 462, "GR101", "MORFOLOGIK_RULE_EN_US") in gr(seed_findings(select=["GR"]))


def test_house_terms_spelled_right_are_clean() -> None:
    found = check_text("Tencent, ByteDance, WeChat and TikTok compete hard.\n", path="t.txt", select=["GR"],
                       config={"cache": False}, isolated=True)
    assert gr(found) == []


def test_seed_exact_grammar_findings() -> None:
    text = SEED.read_text()
    found = seed_findings(select=["GR"])
    assert [(*k, text[f.start:f.end]) for k, f in zip(gr(found), found)] == [
        (3, 9, "GR101", "MORFOLOGIK_RULE_EN_US", "Luego"),
        (4, 7, "GR101", "MORFOLOGIK_RULE_EN_US", "readAug"),
        (6, 30, "GR102", "TIK_TOK", "Tiktok"),
        (6, 190, "GR101", "MORFOLOGIK_RULE_EN_US", "goverment"),
        (6, 376, "GR102", "TIK_TOK", "Tiktok"),
        (8, 111, "GR102", "TIK_TOK", "Tiktok"),
        (8, 156, "GR201", "EN_A_VS_AN", "an"),
        (8, 199, "GR501", "SPACE_BEFORE_PARENTHESIS", "("),
        (10, 52, "GR101", "MORFOLOGIK_RULE_EN_US", "judgement"),  # en-US spelling
        (10, 122, "GR102", "WHITE_HOUSE", "White house"),
        (10, 154, "GR102", "WECHAT", "Wechat"),
        (10, 269, "GR102", "WECHAT", "Wechat"),
        (12, 53, "GR101", "MORFOLOGIK_RULE_EN_US", "chinese"),
        (12, 237, "GR101", "MORFOLOGIK_RULE_EN_US", "chinese"),
        (12, 268, "GR101", "MORFOLOGIK_RULE_EN_US", "byebye"),
        (16, 33, "GR101", "MORFOLOGIK_RULE_EN_US", "chinese"),
        (16, 428, "GR102", "WECHAT", "Wechat"),
        (16, 462, "GR101", "MORFOLOGIK_RULE_EN_US", "Tecent"),
        (20, 308, "GR101", "MORFOLOGIK_RULE_EN_US", "entreprise"),
        (20, 435, "GR101", "MORFOLOGIK_RULE_EN_US", "chinese"),
        (22, 64, "GR101", "MORFOLOGIK_RULE_EN_US", "chinese"),
        (22, 119, "GR201", "MISSING_TO_BEFORE_A_VERB", "needs determine"),
    ]


def test_en_gb_variant_accepts_judgement() -> None:
    us = {(f.line, f.column) for f in seed_findings(select=["GR101"])}
    gb = {(f.line, f.column) for f in seed_findings(select=["GR101"], language="en-GB")}
    assert (10, 52) in us and (10, 52) not in gb


# Markdown, offsets, emoji -----------------------------------------------------------------------

def test_markdown_fixture_findings_only_in_prose_at_exact_positions() -> None:
    text = FIXTURE.read_text()
    found = check_text(text, path=str(FIXTURE), select=["GR"], config={"cache": False}, isolated=True)
    assert [(f.line, f.column, f.code, text[f.start:f.end]) for f in found] == [
        (1, 13, "GR101", "teh"),  # heading
        (3, 9, "GR201", "an"),
        (3, 60, "GR101", "goverment"),  # after an emoji (2 UTF-16 units)
        (11, 36, "GR201", "an"),  # after a ZWJ family emoji and two astral letters
        (13, 22, "GR101", "speling"),  # list item
    ]
    # nothing from the code block (lines 5-8), inline code, the link target or the URL


@pytest.mark.parametrize("prefix", ["", "😀 ", "👩‍👩‍👧 𝒞𝒞 ", "😀😀 👍🏽 "])
def test_astral_characters_before_an_error_do_not_shift_it(prefix: str) -> None:
    text = f"{prefix}She has an idea and an car.\n"
    found = check_text(text, path="e.txt", select=["GR"], config={"cache": False}, isolated=True)
    assert [(f.code, f.start, text[f.start:f.end]) for f in found] == [("GR201", text.index("an car"), "an")]


def test_utf16_index_map() -> None:
    m = ltclient.utf16_to_index("a😀b")
    assert m == [0, 1, 2, 2, 3]  # 'b' is UTF-16 offset 3, Python index 2


# Options ---------------------------------------------------------------------------------------

def test_user_words_and_words_file(tmp_path: Path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("# project words\nentreprise\n")
    (tmp_path / "lintkit.toml").write_text(
        '[grammar]\nwords = ["Goverment", "Luego"]\nwords-file = "words.txt"\n')
    draft = tmp_path / "draft.txt"
    draft.write_text(SEED.read_text())
    found = Engine(Overrides(select=["GR101"], cache=False)).check_paths([str(draft)]).findings
    positions = {(f.line, f.column) for f in found}
    assert {(6, 190), (20, 308), (3, 9)}.isdisjoint(positions)
    assert (16, 462) in positions and (4, 7) in positions  # other misspellings still found


def test_unreadable_words_file_is_an_error_before_any_request(tmp_path: Path) -> None:
    (tmp_path / "lintkit.toml").write_text('[grammar]\nwords-file = "missing.txt"\n')
    for i in range(3):
        (tmp_path / f"d{i}.txt").write_text(f"Paragraph {i} has a speling mistake.\n")
    before = ltclient.STATS.checks
    report = Engine(Overrides(select=["GR"], cache=False)).check_paths([str(tmp_path)])
    assert ltclient.STATS.checks == before  # the config error stops each file before it is sent
    assert report.findings == []
    missing = tmp_path / "missing.txt"
    assert [(Path(e.path).name, e.message) for e in report.errors] == [
        (f"d{i}.txt", f"{missing}: cannot read [grammar] words-file: No such file or directory") for i in range(3)]


def test_house_terms_of_a_user_pack_are_known_words(tmp_path: Path) -> None:
    pack = tmp_path / "house.toml"
    pack.write_text('[pack]\nname = "house"\nkind = "terms"\nversion = "1"\ndescription = "x"\n\n'
                    '[[term]]\ncanonical = "Zorblax Qwimby"\n')
    text = "We ship Zorblax Qwimby every spring.\n"
    plain = check_text(text, path="h.txt", select=["GR101"], config={"cache": False}, isolated=True)
    assert [text[f.start:f.end] for f in plain] == ["Zorblax", "Qwimby"]
    cfg = {"cache": False, "rule-packs": [str(pack)]}
    assert check_text(text, path="h.txt", select=["GR101"], config=cfg, isolated=True) == []


def test_ignore_languagetool_rule_by_alias() -> None:
    found = check_text(SEED.read_text(), path=str(SEED), select=["GR"], ignore=["GR:EN_A_VS_AN"],
                       config={"cache": False}, isolated=True)
    positions = {(f.line, f.column) for f in found}
    assert (8, 156) not in positions and (22, 119) in positions and (6, 190) in positions


def test_suppression_comment_by_alias() -> None:
    text = "Intro line.\n\n<!-- lintkit-disable-next-line GR:EN_A_VS_AN -->\nThis is an test.\n\nAnd an car.\n"
    found = check_text(text, path="s.md", select=["GR"], config={"cache": False}, isolated=True)
    assert [(f.line, f.column, f.data["rule_id"]) for f in found] == [(6, 5, "EN_A_VS_AN")]


def test_disabled_rules_and_categories_reach_the_server() -> None:
    text = "This is an test with a speling error.\n"
    base = check_text(text, path="o.txt", select=["GR"], config={"cache": False}, isolated=True)
    assert [f.data["rule_id"] for f in base] == ["EN_A_VS_AN", "MORFOLOGIK_RULE_EN_US"]
    cfg = {"cache": False, "grammar": {"disabled-categories": ["TYPOS"], "disabled-rules": ["EN_A_VS_AN"]}}
    assert check_text(text, path="o.txt", select=["GR"], config=cfg, isolated=True) == []


def test_picky_adds_rules() -> None:
    text = "We will do it soon, e.g. tomorrow.\n"
    plain = check_text(text, path="p.txt", select=["GR"], config={"cache": False}, isolated=True)
    picky = check_text(text, path="p.txt", select=["GR"], config={"cache": False, "grammar": {"picky": True}},
                       isolated=True)
    assert plain == []
    assert [(f.code, f.data["rule_id"], text[f.start:f.end]) for f in picky] == [("GR401", "EG_NO_COMMA", "e.g.")]


def test_rules_registered_with_examples() -> None:
    codes = [r.code for r in Engine().registry.sorted() if r.family == "grammar"]
    assert codes == ["GR101", "GR102", "GR201", "GR301", "GR401", "GR402", "GR501", "GR601", "GR701", "GR702",
                     "GR901"]
    out = subprocess.run([*LINTKIT, "rule", "GR201"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and "Give up an social app." in out.stdout and "EN_A_VS_AN" in out.stdout


@pytest.mark.parametrize("code", ["GR101", "GR201"])
def test_rule_bad_example_fires_and_good_is_clean(code: str) -> None:
    rule = Engine().registry.get(code)
    assert rule is not None
    bad = check_text(rule.bad + "\n", path="x.txt", select=[code], config={"cache": False}, isolated=True)
    good = check_text(rule.good + "\n", path="x.txt", select=[code], config={"cache": False}, isolated=True)
    assert [f.code for f in bad] == [code] and good == []


# Per-paragraph cache ----------------------------------------------------------------------------

def _doc(text: str, path: str = "c.md") -> Any:
    eng = Engine(Overrides(isolated=True, select=["GR"], cache=False))
    src = Source(path, text, "markdown")
    return eng, eng.document(src), src


def test_paragraph_cache_sends_nothing_for_unchanged_text_and_one_request_per_edit(tmp_path: Path,
                                                                                  monkeypatch: Any) -> None:
    monkeypatch.setenv("LINTKIT_CACHE_DIR", str(tmp_path / "cache"))
    paras = [f"Paragraph {i} has an unique speling error number {i}." for i in range(6)]
    text = "\n\n".join(paras) + "\n"
    eng = Engine(Overrides(isolated=True, select=["GR"], cache=False))
    before = ltclient.STATS.checks
    first = eng.check_source(Source("c.md", text, "markdown")).findings
    assert ltclient.STATS.checks - before == 6
    mid = ltclient.STATS.checks
    second = eng.check_source(Source("c.md", text, "markdown")).findings
    assert ltclient.STATS.checks == mid  # nothing sent
    assert [(f.start, f.code) for f in second] == [(f.start, f.code) for f in first]
    edited = text.replace("number 3.", "number three.")
    third = eng.check_source(Source("c.md", edited, "markdown")).findings
    assert ltclient.STATS.checks - mid == 1  # one edited paragraph re-checked
    assert len(third) == len(first)
    db = tmp_path / "cache" / "grammar" / "paragraphs.sqlite3"
    assert len(_rows(db)) == 7
    files = sorted((tmp_path / "cache" / "grammar").iterdir())  # with the log of the open connection
    assert [f.name for f in files] == ["paragraphs.sqlite3", "paragraphs.sqlite3-shm", "paragraphs.sqlite3-wal"]
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in files)  # they hold the user's text


def _rows(db: Path) -> dict[bytes, bytes]:
    with contextlib.closing(sqlite3.connect(db)) as con:
        return dict(con.execute("SELECT key, data FROM entries"))


@pytest.mark.parametrize("concurrency", [1, 16])
def test_answers_before_a_failed_request_are_cached(tmp_path: Path, monkeypatch: Any, concurrency: int) -> None:
    monkeypatch.setenv("LINTKIT_CACHE_DIR", str(tmp_path / "cache"))
    sent: list[str] = []
    fail = [True]

    def handle(h: Any) -> None:
        text = parse_qs(h.body.decode())["text"][0]
        sent.append(text)
        if "Beta" in text and fail[0]:
            time.sleep(0.5)  # the others are answered meanwhile
            reply(h, 500, b"boom", "text/plain")
        else:
            reply(h, 200, b'{"matches": []}')

    text = "Alpha one.\n\nBeta two.\n\nGamma three.\n\nDelta four.\n"
    with http_stub(handle) as url:
        cfg = {"cache": False, "grammar": {"server": url, "concurrency": concurrency}}
        eng = Engine(Overrides(isolated=True, select=["GR"], cache=False, raw=cfg))
        report = eng.check_paths([str(_write(tmp_path / "f.md", text))])
        assert [e.message for e in report.errors] == [
            f"{url}/v2: LanguageTool answered HTTP 500: boom (see the server log (`lintkit languagetool status`))"]
        first = sorted(t.split()[0] for t in sent)
        fail[0] = False
        sent.clear()
        report = eng.check_paths([str(tmp_path / "f.md")])
        assert report.errors == [] and report.findings == []
    if concurrency == 1:  # one by one: the paragraphs after the failure were never sent
        assert (first, sorted(t.split()[0] for t in sent)) == (["Alpha", "Beta"], ["Beta", "Delta", "Gamma"])
    else:  # all at once: every answer but the failed one was kept
        assert (first, sent) == (["Alpha", "Beta", "Delta", "Gamma"], ["Beta two."])


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_corrupt_cache_entry_is_ignored_and_rebuilt(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("LINTKIT_CACHE_DIR", str(tmp_path / "cache"))
    text = "This is an test.\n"
    eng = Engine(Overrides(isolated=True, select=["GR"], cache=False))
    first = eng.check_source(Source("k.md", text, "markdown")).findings
    db = tmp_path / "cache" / "grammar" / "paragraphs.sqlite3"
    ((key, data),) = _rows(db).items()
    with contextlib.closing(sqlite3.connect(db)) as con, con:
        con.execute("UPDATE entries SET data = ? WHERE key = ?", (data[:7], key))  # truncated
    before = ltclient.STATS.checks
    again = eng.check_source(Source("k.md", text, "markdown")).findings
    assert ltclient.STATS.checks == before + 1
    assert [(f.start, f.code) for f in again] == [(f.start, f.code) for f in first]
    assert _rows(db) == {key: data}  # rewritten whole


@pytest.mark.parametrize("garbage", [b"", b"not a database at all\n" * 300, b"SQLite format 3\0" + b"\xff" * 5000])
def test_a_cache_file_that_is_not_a_database_is_made_again(tmp_path: Path, monkeypatch: Any,
                                                           garbage: bytes) -> None:
    monkeypatch.setenv("LINTKIT_CACHE_DIR", str(tmp_path / "cache"))
    db = tmp_path / "cache" / "grammar" / "paragraphs.sqlite3"
    db.parent.mkdir(parents=True)
    db.write_bytes(garbage)
    text = "This is an test.\n"
    eng = Engine(Overrides(isolated=True, select=["GR"], cache=False))
    before = ltclient.STATS.checks
    first = eng.check_source(Source("k.md", text, "markdown")).findings
    assert [f.code for f in first] == ["GR201"] and ltclient.STATS.checks == before + 1
    assert len(_rows(db)) == 1  # a database again, with the answer
    again = eng.check_source(Source("k.md", text, "markdown")).findings
    assert ltclient.STATS.checks == before + 1 and again == first


def test_a_cache_of_another_schema_is_emptied_and_used(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("LINTKIT_CACHE_DIR", str(tmp_path / "cache"))
    db = tmp_path / "cache" / "grammar" / "paragraphs.sqlite3"
    db.parent.mkdir(parents=True)
    with contextlib.closing(sqlite3.connect(db)) as con, con:
        con.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, data TEXT)")
        con.execute("INSERT INTO entries VALUES ('k', '[]')")
        con.execute("PRAGMA user_version=99")
    eng = Engine(Overrides(isolated=True, select=["GR"], cache=False))
    before = ltclient.STATS.checks
    found = eng.check_source(Source("k.md", "This is an test.\n", "markdown")).findings
    assert [f.code for f in found] == ["GR201"] and ltclient.STATS.checks == before + 1
    rows = _rows(db)
    assert len(rows) == 1 and all(isinstance(k, bytes) and len(k) == 32 for k in rows)


def test_making_the_database_removes_the_entries_of_the_one_file_per_paragraph_layout(
        tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("LINTKIT_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "cache" / "grammar"
    old = [root / "ab" / ("ab" + "0" * 62 + ".json"), root / "ab" / ("ab" + "f" * 62 + ".json"),
           root / "ab" / f".ab{'1' * 62}.json.123.456.lintkit-tmp", root / "c9" / ("c9" + "2" * 62 + ".json")]
    kept = [root / "c9" / "notes.txt", root / "zz" / ("zz" + "3" * 62 + ".json"), root / "ab1.json"]
    for f in old + kept:
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("[]")
    eng = Engine(Overrides(isolated=True, select=["GR"], cache=False))
    found = eng.check_source(Source("k.md", "This is an test.\n", "markdown")).findings
    assert [f.code for f in found] == ["GR201"]
    assert [f.exists() for f in old] == [False] * 4 and all(f.exists() for f in kept)
    assert not (root / "ab").exists() and (root / "c9").is_dir()  # emptied folders only
    # An old cache larger than a process's time budget goes over several processes.
    (root / "ab").mkdir()
    (root / "ab" / old[0].name).write_text("[]")
    assert grammar_store.remove_old_entries(str(root), 0.0) == 0 and (root / "ab" / old[0].name).exists()
    assert grammar_store.remove_old_entries(str(root)) == 1 and not (root / "ab").exists()


def test_an_unwritable_cache_folder_costs_requests_not_findings(tmp_path: Path, monkeypatch: Any) -> None:
    if os.geteuid() == 0:
        # root writes anyway: a cache "folder" that is a file stands for it
        (tmp_path / "cache").mkdir()
        (tmp_path / "cache" / "grammar").write_text("a file, not a folder")
    else:
        (tmp_path / "cache").mkdir(mode=0o500)
    monkeypatch.setenv("LINTKIT_CACHE_DIR", str(tmp_path / "cache"))
    eng = Engine(Overrides(isolated=True, select=["GR"], cache=False))
    before = ltclient.STATS.checks
    for _ in range(2):
        found = eng.check_source(Source("k.md", "This is an test.\n", "markdown")).findings
        assert [f.code for f in found] == ["GR201"]
    assert ltclient.STATS.checks == before + 2  # checked both times: nothing could be cached


def _put_in_child(folder: str, key: bytes, parent_db: int) -> None:
    store = store_in(folder)
    # a store of its own: the parent's connection (the same object id after a fork) is
    # kept aside, never used (nor closed) here
    assert store._db is None and any(id(c) == parent_db for c in grammar_store._INHERITED)
    store.put_many([(key, b"[]")])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork: POSIX only")
def test_a_forked_worker_writes_through_its_own_connection(tmp_path: Path) -> None:
    import multiprocessing

    folder = str(tmp_path / "grammar")
    store = store_in(folder)
    store.put_many([(b"p" * 32, b"[1]")])
    parent_db = store._db
    child = multiprocessing.get_context("fork").Process(target=_put_in_child, args=(folder, b"c" * 32, id(parent_db)))
    child.start()
    child.join(60)
    assert child.exitcode == 0
    assert store._db is parent_db  # the parent's connection is untouched, and sees the child's row
    assert store.get_many([b"p" * 32, b"c" * 32, b"x" * 32]) == {b"p" * 32: b"[1]", b"c" * 32: b"[]"}


def test_second_lintkit_check_of_unchanged_seed_sends_no_request(tmp_path: Path, lt: dict[str, Any]) -> None:
    proxy = CountingProxy(f"http://127.0.0.1:{lt['port']}")
    env = {**os.environ, "LINTKIT_CACHE_DIR": str(tmp_path / "cache")}
    with http_stub(proxy.handle) as url:
        env["LINTKIT_LANGUAGETOOL_URL"] = url
        runs = []
        for _ in range(2):
            before = proxy.checks
            out = subprocess.run([*LINTKIT, "check", "--isolated", "--no-cache", "--select", "GR", "--format",
                                  "json", str(SEED)], capture_output=True, text=True, env=env, timeout=300)
            assert out.returncode == 1, out.stderr
            runs.append((proxy.checks - before, out.stdout))
    (n1, out1), (n2, out2) = runs
    paragraphs = len(Engine(Overrides(isolated=True)).document(Source(str(SEED), SEED.read_text())).paragraphs)
    assert n1 == paragraphs and n2 == 0
    assert out1 == out2 and '"GR:EN_A_VS_AN"' in out1


# The managed server ------------------------------------------------------------------------------

def test_second_process_reuses_the_running_server(lt: dict[str, Any], tmp_path: Path) -> None:
    env = {**os.environ, "LINTKIT_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run([*LINTKIT, "languagetool", "start"], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == str(lt["port"])
    chk = subprocess.run([*LINTKIT, "check", "--isolated", "--select", "GR", str(SEED)], capture_output=True,
                         text=True, env=env, timeout=300)
    assert chk.returncode == 1 and "6:190: GR101" in chk.stdout
    st = server.read_state()
    assert st is not None and (st["pid"], st["port"]) == (lt["pid"], lt["port"])
    assert server.pid_alive(lt["pid"])


def test_status_prints_version_port_pid_memory_uptime(lt: dict[str, Any]) -> None:
    out = subprocess.run([*LINTKIT, "languagetool", "status"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert re.search(rf"running, LanguageTool 6\.8, port {lt['port']}, pid {lt['pid']}, memory \d+ MiB, "
                     r"uptime \d+ (s|min)", out.stdout), out.stdout
    js = json.loads(subprocess.run([*LINTKIT, "languagetool", "status", "--json"], capture_output=True,
                                   text=True, timeout=60).stdout)
    assert js["running"] is True and js["pid"] == lt["pid"] and js["rss_bytes"] > 50 * 2**20


def test_server_binds_localhost_only(lt: dict[str, Any]) -> None:
    import socket

    with open(f"/proc/{lt['pid']}/net/tcp") as fh:
        rows = [ln.split() for ln in fh.readlines()[1:]]
    with open(f"/proc/{lt['pid']}/net/tcp6") as fh:
        rows6 = [ln.split() for ln in fh.readlines()[1:]]
    port_hex = f"{lt['port']:04X}"
    listening = [r[1] for r in rows + rows6 if r[1].endswith(":" + port_hex) and r[3] == "0A"]
    assert listening and all(a.split(":")[0] in ("0100007F", "00000000000000000000000001000000",
                                                  "0000000000000000FFFF00000100007F") for a in listening)
    assert socket.gethostbyname("localhost") == "127.0.0.1"


def test_managed_server_sends_answers_without_nagle_delay(lt: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    # The JDK's HTTP server writes headers and body apart; with Nagle's algorithm on, each
    # answer on a kept-alive connection waited 40 ms for a delayed ACK.
    with open(f"/proc/{lt['pid']}/cmdline", "rb") as fh:
        args = fh.read().decode().split("\0")
    assert server.NODELAY == "-Dsun.net.httpserver.nodelay=true" and server.NODELAY in args
    monkeypatch.setenv("LINTKIT_LANGUAGETOOL_JAVA_OPTS", "-Xmx2g -Dsun.net.httpserver.nodelay=false")
    cmd = server.java_command("java", ["a.jar", "b.jar"], 8123, tmp_path / "lt.properties")
    assert cmd == ["java", server.NODELAY, "-Xmx2g", "-Dsun.net.httpserver.nodelay=false", "-cp",
                   os.pathsep.join(["a.jar", "b.jar"]), server.SERVER_CLASS, "--port", "8123", "--config",
                   str(tmp_path / "lt.properties")]  # the user's own options come last, so they win


def test_remote_server_setting_is_used_and_nothing_else(lt: dict[str, Any], tmp_path: Path) -> None:
    proxy = CountingProxy(f"http://127.0.0.1:{lt['port']}")
    with http_stub(proxy.handle) as url:
        cfg = {"cache": False, "grammar": {"server": url, "cache": False}}
        found = check_text("This is an test.\n", path="r.txt", select=["GR"], config=cfg, isolated=True)
    assert proxy.checks == 1 and [f.data["rule_id"] for f in found] == ["EN_A_VS_AN"]


def test_grammar_family_deselected_needs_no_server(monkeypatch: Any) -> None:
    monkeypatch.setenv("LINTKIT_LANGUAGETOOL_URL", "http://127.0.0.1:9")  # nothing listens there
    assert check_text("This is an test.\n", path="n.txt", select=["XX"], config={"cache": False},
                      isolated=True) == []
    assert grammar.DEFAULT_DISABLED[0] == "WHITESPACE_RULE"


@pytest.mark.parametrize("cores", [1, 2, 8, 64, 256])
def test_server_queue_holds_default_requests_in_flight(cores: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # Four lintkit runs per core at once, each with the default concurrency, fit in the
    # managed server's queue (beyond it LanguageTool answers 503).
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    q = int(re.search(r"^textCheckerQueueSize=(\d+)$", server.properties(), re.M).group(1))  # type: ignore[union-attr]
    assert server.default_concurrency() == min(8 * server.check_threads(), 32)
    assert q == server.queue_size() >= max(512, 4 * cores * server.default_concurrency())


def test_files_checked_one_ahead_give_the_findings_of_each_file_alone(tmp_path: Path, monkeypatch: Any) -> None:
    # The engine sends the next file's paragraphs (lintkit_prefetch) before it collects
    # the current file's answers, and a run that uses the server stays in one process.
    monkeypatch.setenv("LINTKIT_CACHE_DIR", str(tmp_path / "cache"))
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(4):
        paras = [f"File {i} paragraph {k} is an test with a speling error." for k in range(i + 2)]
        (docs / f"f{i}.md").write_text(f"# Title {i}\n\n" + "\n\n".join(paras) + "\n")
    alone = []
    for i in range(4):
        eng = Engine(Overrides(isolated=True, select=["GR"], cache=False))
        p = docs / f"f{i}.md"
        alone += [(f.path, f.line, f.column, f.code, f.data["rule_id"])
                  for f in eng.check_source(Source(str(p), p.read_text(), "markdown")).findings]
    assert len(alone) == 2 * (2 + 3 + 4 + 5)
    monkeypatch.setenv("LINTKIT_CACHE_DIR", str(tmp_path / "cache2"))  # no paragraph cached
    before = ltclient.STATS.checks
    eng = Engine(Overrides(isolated=True, select=["GR"], cache=False))
    report = eng.check_paths([str(docs)], jobs=2)
    assert not report.errors
    assert ltclient.STATS.checks - before == 2 + 3 + 4 + 5 + 4  # every paragraph and title, in this process
    assert [(f.path, f.line, f.column, f.code, f.data["rule_id"]) for f in report.findings] == alone


def test_a_server_that_just_answered_is_not_asked_for_its_health(monkeypatch: Any) -> None:
    settings = grammar.settings_from_options({}, "en-US")
    client, managed = grammar.connect(settings)
    assert managed and [m.rule_id for m in client.check("This is an test.", settings.params)] == ["EN_A_VS_AN"]
    calls: list[int] = []
    real = server.running
    monkeypatch.setattr(server, "running", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert grammar.connect(settings) == (client, True) and calls == []
    client.last_answer -= 1.0  # a second ago: ask again
    assert grammar.connect(settings) == (client, True) and calls == [1]
