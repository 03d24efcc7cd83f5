"""The design card in ../shared/DESIGN.md names only rule ids the checker has (needs ../shared)."""

from __future__ import annotations

import pytest

from pvegen.compat import RULES
from tests.fixtures_shared import SHARED_DIR, real_data_module

real_data_module()


def test_design_rule_ids_exist() -> None:
    design = SHARED_DIR.parent / "DESIGN.md"
    if not design.is_file():
        pytest.skip(f"the design card is not at {design}")
    table = design.read_text(encoding="utf-8").split("## Compat rule ids", 1)[1].split("\n## ", 1)[0]
    cells = [line.split("|")[1].strip() for line in table.splitlines() if line.startswith("|")]
    ids = [part.split(" (")[0].strip() for cell in cells[2:] for part in cell.split(" / ")]  # past header rows
    assert len(ids) >= 20
    assert [rule_id for rule_id in ids if rule_id not in RULES] == []
