"""docs/compat.md quotes figures the checker produces (pvegen.compat.figures), never typed ones: these
tests fail when the page differs from what the checker reports (the release figures: test_compat_docs_real)."""

from __future__ import annotations

from pvegen.compat.figures import FIGURES, marked, replace_figures, rules_table
from tests.fixtures_shared import ROOT

DOC = ROOT / "docs" / "compat.md"
FIX = "python -m pvegen.compat.figures ../shared/pve-apidata --write docs/compat.md"


def quoted_figures() -> dict[str, str]:
    return marked(DOC.read_text(encoding="utf-8"))


def test_the_page_marks_every_figure() -> None:
    assert set(quoted_figures()) == set(FIGURES)


def test_rules_table_is_the_rule_set() -> None:
    assert quoted_figures()["rules"] == rules_table(), f"docs/compat.md is stale: {FIX}"


def test_replacing_figures_touches_only_the_marked_blocks() -> None:
    document = (
        "intro\n<!-- figures:rules -->\nold table\n<!-- /figures -->\noutro 145 breaking\n"
        "<!-- figures:sizes -->\nnot produced: kept\n<!-- /figures -->\n"
    )
    replaced = replace_figures(document, {"rules": rules_table()})
    assert replaced.startswith("intro\n<!-- figures:rules -->\n| rule | severity | basis | meaning |\n")
    assert replaced == document.replace("old table\n", rules_table())
    assert marked(replaced) == {"rules": rules_table(), "sizes": "not produced: kept\n"}
