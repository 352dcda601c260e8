"""``lintkit stats PATH ...``: every readability metric per file (and per paragraph with
``--paragraphs``), as a table or JSON. Documents are read through the engine, with the
config that governs each file (its audience and targets)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from lintkit.plugin import Command

_SHORT = {
    "flesch-reading-ease": "FRE",
    "flesch-kincaid-grade": "FKG",
    "gunning-fog": "Fog",
    "smog": "SMOG",
    "coleman-liau": "CLI",
    "ari": "ARI",
    "dale-chall": "DC",
    "syllables-per-word": "syl/w",
    "complex-word-share": "cplx",
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", help="files, folders, or - for stdin")
    p.add_argument("--paragraphs", action="store_true", help="also list the metrics of every paragraph")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--config", help="use this config file (no upward search)")
    p.add_argument("--isolated", action="store_true", help="ignore all config files")
    p.add_argument("--audience", help="audience whose targets to show (overrides config)")
    p.add_argument("--stdin-filename", help="file name for stdin input (picks the format)")


def collect(args: argparse.Namespace, stdin_text: str | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """Per-file metrics (and errors) for the paths in ``args``."""
    from lintkit.engine import Engine, FileError, Overrides
    from lintkit.errors import LintkitError
    from lintkit.families.readability.metrics import BODY_KINDS, SCORES, analyse, rounded
    from lintkit.families.readability.settings import resolve

    raw: dict[str, Any] = {}
    if args.audience:
        raw["readability"] = {"audience": args.audience}
    engine = Engine(Overrides(config_file=args.config, isolated=args.isolated, raw=raw, cache=False))
    files: list[dict[str, Any]] = []
    errors: list[str] = []
    for item in engine.discover(args.paths):
        if isinstance(item, FileError):
            errors.append(f"{item.path}: {item.message}")
            continue
        try:
            cfg = engine.config_for(args.stdin_filename if item == "-" else item)
            source = engine.read(item, stdin_text, args.stdin_filename, cfg.get("max-file-size"))
            doc = engine.document(source)
            settings = resolve(cfg)
            an = analyse(doc, cfg.language)
        except LintkitError as exc:
            errors.append(exc.one_line())
            continue
        entry: dict[str, Any] = {
            "path": source.path,
            "audience": settings.audience,
            "metric": settings.metric,
            "targets": {k: settings.targets[k] for k in SCORES if k in settings.targets},
            "document": rounded(an.scores),
        }
        if args.paragraphs:
            paras = []
            for ps in an.paragraphs:
                if not ps.counts.words:
                    continue
                sents = ps.paragraph.sentences
                a, b = doc.source_span(sents[0].start, sents[-1].end)
                (line, col), (end_line, end_col) = doc.position(a), doc.position(b)
                longest = ps.longest()
                paras.append({
                    "index": ps.index, "kind": ps.paragraph.kind,
                    "line": line, "column": col, "end_line": end_line, "end_column": end_col,
                    "graded": ps.paragraph.kind in BODY_KINDS
                    and ps.counts.words >= settings.min_paragraph_words,
                    "longest_sentence_words": longest[1] if longest else 0,
                    **rounded(ps.scores),
                })
            entry["paragraphs"] = paras
        files.append(entry)
    return files, errors


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def write_text(files: list[dict[str, Any]], out: TextIO) -> None:
    from lintkit.families.readability.metrics import COUNTS, HIGHER_IS_EASIER, LABELS, SCORES

    for n, f in enumerate(files):
        if n:
            out.write("\n")
        out.write(f"{f['path']}  (audience: {f['audience']}; findings use {LABELS[f['metric']]})\n")
        rows = [("metric", "value", "target")]
        for key in SCORES:
            target = f["targets"].get(key)
            op = "≥" if key in HIGHER_IS_EASIER else "≤"
            mark = " *" if key == f["metric"] else ""
            shown = f"{op} {target:g}" if target is not None else ""
            rows.append((LABELS[key] + mark, _fmt(f["document"][key]), shown))
        for key in COUNTS:
            rows.append((LABELS[key], _fmt(f["document"][key]), ""))
        w0 = max(len(r[0]) for r in rows)
        w1 = max(len(r[1]) for r in rows)
        for r in rows:
            out.write(f"  {r[0]:<{w0}}  {r[1]:>{w1}}  {r[2]}".rstrip() + "\n")
        if "paragraphs" in f:
            keys = ["words", "sentences", *_SHORT]
            head = ["para", "at", "kind", *[_SHORT.get(k, k) for k in keys]]
            table = [head]
            for p in f["paragraphs"]:
                table.append([str(p["index"]) + ("" if p["graded"] else "*"), f"{p['line']}:{p['column']}",
                              p["kind"], *[_fmt(p[k]) for k in keys]])
            widths = [max(len(r[i]) for r in table) for i in range(len(head))]
            out.write("\n")
            for r in table:
                cells = [r[0].rjust(widths[0]), r[1].ljust(widths[1]), r[2].ljust(widths[2]),
                         *[c.rjust(w) for c, w in zip(r[3:], widths[3:], strict=True)]]
                out.write("  " + "  ".join(cells).rstrip() + "\n")
            out.write("  (* not graded: fewer words than min-paragraph-words, or not body text)\n")


def run(args: argparse.Namespace) -> int:
    stdin_text = sys.stdin.read() if "-" in args.paths else None
    files, errors = collect(args, stdin_text)
    if args.format == "json":
        json.dump({"files": files}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        write_text(files, sys.stdout)
    for e in errors:
        sys.stderr.write(f"lintkit: error: {e}\n")
    return 2 if errors else 0


COMMAND = Command("print readability metrics per file (and per paragraph)", add_arguments, run)
