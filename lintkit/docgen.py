"""Generate docs/rules.md from the rules' own metadata.

    python -m lintkit.docgen > docs/rules.md

tests/test_docs.py fails when docs/rules.md is out of date.
"""

from __future__ import annotations

from lintkit.plugin import BUILTIN_PLUGINS, Registry, get_plugin_manager
from lintkit.types import Rule


def builtin_registry() -> Registry:
    """Rules of the built-in plugins only (third-party plugins document themselves)."""
    pm = get_plugin_manager(entry_points=False)
    for name, _ in list(pm.list_name_plugin()):
        if name not in BUILTIN_PLUGINS:
            pm.unregister(name=name)
    return Registry(pm)


def rules_markdown(rules: list[Rule]) -> str:
    out = ["# Rules", "", "Generated from the rules' metadata by `python -m lintkit.docgen`; "
           "`lintkit rule CODE` prints the same text.", "", "| code | name | family | severity | fixable | summary |",
           "| --- | --- | --- | --- | --- | --- |"]
    for r in rules:
        summary = r.summary.replace("|", "\\|")
        out.append(f"| [{r.code}](#{r.code.lower()}-{r.name.lower()}) | {r.name} | {r.family} | {r.severity} | "
                   f"{'yes' if r.fixable else ''} | {summary} |")
    out.append("")
    for r in rules:
        body = r.render().replace(f"# {r.code} {r.name}", f"## {r.code} {r.name}", 1)
        out.append(body)
    return "\n".join(out).rstrip() + "\n"


def main() -> None:
    import sys

    sys.stdout.write(rules_markdown(builtin_registry().sorted()))


if __name__ == "__main__":
    main()
