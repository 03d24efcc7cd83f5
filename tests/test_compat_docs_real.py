"""The release figures docs/compat.md quotes are what the checker reports on the real releases (needs ../shared)."""

from __future__ import annotations

from collections.abc import Callable

from pvegen import Spec
from pvegen.compat.figures import FIGURES
from tests.fixtures_shared import real_data_module
from tests.test_compat_docs import FIX, quoted_figures

real_data_module()


def test_release_figures_are_what_the_checker_reports(release: Callable[[str], Spec]) -> None:
    quoted = quoted_figures()
    for name, make in FIGURES.items():
        assert quoted[name] == make(release), f"docs/compat.md figure '{name}' is stale: {FIX}"
