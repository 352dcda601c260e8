"""Evaluate the claims family (CL) on the gold set in fixtures/claims/.

    .venv/bin/python bench/claims_eval.py [--sensitivity low|medium|high]
                                          [--scope sentence|next-sentence|paragraph]
                                          [--errors] [--json]

Each ``*.gold`` file becomes one plain-text document (a blank line starts a paragraph;
the sentences of a paragraph are joined with a space) and is checked through the public
API (``lintkit.api.check_text(..., select=["CL"], isolated=True)``). A finding belongs to
the gold sentence that contains the start of its sentence (``data["sentence_start"]``).

Overall figures are per sentence: a sentence with expected codes and a finding is a true
positive, a finding on a sentence labelled ``-`` a false positive, a labelled sentence
without a finding a false negative. Per-code figures compare the expected codes with every
code the finding names (``data["codes"]``: its own and the other signals it lists).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "fixtures" / "claims"
CODES = ("CL101", "CL102", "CL103", "CL104", "CL105", "CL106", "CL107", "CL108")


@dataclass
class Item:
    file: str
    line: int
    text: str
    expected: frozenset[str]
    start: int = 0  # source offsets in the built document
    end: int = 0
    found: frozenset[str] = frozenset()
    message: str = ""


def parse_gold(path: Path) -> tuple[str, list[Item]]:
    """The document text and the labelled items of one gold file."""
    paragraphs: list[list[Item]] = [[]]
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line.startswith("#"):
            continue
        if not line:
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        labels, sep, text = line.partition(" | ")
        if not sep or not text.strip():
            raise ValueError(f"{path}:{n}: expected 'LABELS | sentence'")
        codes = frozenset() if labels.strip() == "-" else frozenset(c.strip() for c in labels.split(","))
        unknown = codes - set(CODES)
        if unknown:
            raise ValueError(f"{path}:{n}: unknown code(s) {sorted(unknown)}")
        paragraphs[-1].append(Item(path.name, n, text.strip(), codes))
    parts: list[str] = []
    pos = 0
    items: list[Item] = []
    for para in (p for p in paragraphs if p):
        if parts:
            parts.append("\n\n")
            pos += 2
        for i, item in enumerate(para):
            if i:
                parts.append(" ")
                pos += 1
            item.start, item.end = pos, pos + len(item.text)
            parts.append(item.text)
            pos = item.end
            items.append(item)
    return "".join(parts) + "\n", items


def evaluate(sensitivity: str = "medium", scope: str = "next-sentence") -> tuple[list[Item], dict[str, Any]]:
    from lintkit.api import check_text

    config = {"claims": {"sensitivity": sensitivity, "support-scope": scope}}
    all_items: list[Item] = []
    for path in sorted(GOLD.glob("*.gold")):
        text, items = parse_gold(path)
        findings = check_text(text, path=f"{path.stem}.txt", select=["CL"], isolated=True, config=config)
        for f in findings:
            at = f.data.get("sentence_start", f.start)
            for item in items:
                if item.start <= at < item.end:
                    item.found = item.found | frozenset(f.data.get("codes", [f.code]))
                    item.message = f.message
                    break
            else:  # a finding outside every gold sentence is a false positive of the file
                stray = Item(path.name, 0, text[f.start:f.end], frozenset(), f.start, f.end,
                             frozenset(f.data.get("codes", [f.code])), f.message)
                items.append(stray)
        all_items.extend(items)
    return all_items, scores(all_items)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3)}


def scores(items: list[Item]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for code in CODES:
        tp = sum(1 for i in items if code in i.expected and code in i.found)
        fp = sum(1 for i in items if code not in i.expected and code in i.found)
        fn = sum(1 for i in items if code in i.expected and code not in i.found)
        out[code] = {**_prf(tp, fp, fn), "support": tp + fn}
    tp = sum(1 for i in items if i.expected and i.found)
    fp = sum(1 for i in items if not i.expected and i.found)
    fn = sum(1 for i in items if i.expected and not i.found)
    out["overall"] = {**_prf(tp, fp, fn), "support": tp + fn}
    out["sentences"] = sum(1 for i in items if i.line)
    return out


def table(result: dict[str, Any]) -> str:
    rows = [f"{'code':<8} {'P':>6} {'R':>6} {'F1':>6} {'TP':>4} {'FP':>4} {'FN':>4} {'gold':>5}"]
    for key in (*CODES, "overall"):
        r = result[key]
        rows.append(f"{key:<8} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f} "
                    f"{r['tp']:>4} {r['fp']:>4} {r['fn']:>4} {r['support']:>5}")
    rows.append(f"({result['sentences']} gold sentences)")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sensitivity", default="medium", choices=("low", "medium", "high"))
    ap.add_argument("--scope", default="next-sentence", choices=("sentence", "next-sentence", "paragraph"))
    ap.add_argument("--errors", action="store_true", help="list false positives and false negatives")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    items, result = evaluate(args.sensitivity, args.scope)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"sensitivity={args.sensitivity} support-scope={args.scope}")
        print(table(result))
    if args.errors:
        for i in items:
            if i.expected != i.found:
                kind = "FP" if not i.expected else "FN" if not i.found else "CODES"
                exp = ",".join(sorted(i.expected)) or "-"
                got = ",".join(sorted(i.found)) or "-"
                print(f"{kind:5} {i.file}:{i.line} expected={exp} found={got} | {i.text[:110]}")
                if i.message and kind != "FN":
                    print(f"      {i.message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
