"""runtime/booleans.py: the two ways PVE reads a boolean."""

from __future__ import annotations

from pvegen.runtime.booleans import parse_bool, parse_parameter_bool


def test_booleans_follow_both_of_pves_rules() -> None:
    assert [parse_bool(w) for w in ("Yes", " on ", "TRUE", "1", "off", "No", "0", "maybe")] == [
        True, True, True, True, False, False, False, None,
    ]  # fmt: skip
    assert [parse_parameter_bool(v) for v in ("1", "0", 1, 0, True, False, "yes", "true", "on", 2, " 1")] == [
        True, False, True, False, True, False, None, None, None, None, None,
    ]  # fmt: skip
