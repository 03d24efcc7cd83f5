"""docs/compat.md quotes figures the checker produces (pvegen.compat.figures), never typed ones: these
tests fail when the page differs from what the checker reports."""

from __future__ import annotations

from collections.abc import Callable

from pvegen import Spec
from pvegen.compat.figures import FIGURES, marked, release_table, replace_figures, rules_table
from tests.fixtures_shared import ROOT

DOC = ROOT / "docs" / "compat.md"
FIX = "python -m pvegen.compat.figures ../shared/pve-apidata --write docs/compat.md"


def _quoted() -> dict[str, str]:
    return marked(DOC.read_text(encoding="utf-8"))


def test_the_page_marks_every_figure() -> None:
    assert set(_quoted()) == set(FIGURES)


def test_rules_table_is_the_rule_set() -> None:
    assert _quoted()["rules"] == rules_table(), f"docs/compat.md is stale: {FIX}"


def test_release_figures_are_what_the_checker_reports(release: Callable[[str], Spec]) -> None:
    quoted = _quoted()
    for name, make in FIGURES.items():
        assert quoted[name] == make(release), f"docs/compat.md figure '{name}' is stale: {FIX}"


def test_replacing_figures_touches_only_the_marked_blocks(release: Callable[[str], Spec]) -> None:
    document = "intro\n<!-- figures:releases -->\nold table\n<!-- /figures -->\noutro 145 breaking\n"
    replaced = replace_figures(document, {"releases": release_table(release)})
    assert replaced.startswith("intro\n<!-- figures:releases -->\n| pair | breaking |")
    assert replaced.endswith("<!-- /figures -->\noutro 145 breaking\n")
