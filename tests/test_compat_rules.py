"""Single rules on small hand-made specs: the edge cases real releases show only in passing."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pvegen import Spec
from pvegen.compat import Change, diff
from pvegen.load_ours import operation_from_entry

PATH = "/nodes/{node}/qemu/{vmid}/thing"


def _spec(version: str, params: dict[str, Any], returns: dict[str, Any] | None = None) -> Spec:
    entry = {
        "method": "POST",
        "path": PATH,
        "name": "thing",
        "parameters": {"node": {"type": "string"}, "vmid": {"type": "integer", "format": "pve-vmid"}, **params},
        "returns": {"type": "null"} if returns is None else returns,
    }
    # The loader converts nested dicts in place: give it its own copy.
    return Spec((operation_from_entry(copy.deepcopy(entry)),), version=version)


def _diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    return diff(_spec("1.0", {"p": old}), _spec("1.1", {"p": new}))


def _rules(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [c.rule for c in _diff(old, new)]


def test_perl_wrapper_is_not_a_pattern_change() -> None:
    assert _rules({"type": "string", "pattern": "(?^:[a-z]+)"}, {"type": "string", "pattern": "[a-z]+"}) == []


def test_pattern_rejecting_the_old_default_is_a_proven_tightening() -> None:
    old = {"type": "string", "pattern": "[a-z]+", "default": "abc1", "optional": 1}
    assert _rules({**old, "pattern": "[a-z0-9]+"}, old) == ["param-constraint-tightened"]
    assert _rules(old, {**old, "pattern": "[a-z0-9]+"}) == ["param-pattern-changed"]


@pytest.mark.parametrize("perl_only", ["(?{ 1 })", "\\G[a-z]", "\\p{L}+", "(?|a|b)", "(?^u:x)"])
def test_untranslatable_perl_pattern_is_compared_as_text_without_crashing(perl_only: str) -> None:
    old = {"type": "string", "pattern": "[a-z]+", "default": "a"}
    (change,) = _diff(old, {**old, "pattern": perl_only})
    assert change.rule == "param-pattern-changed"
    assert "no Python translation" in change.message


def test_enum_null_means_no_restriction() -> None:
    assert _rules({"type": "string", "enum": None}, {"type": "string"}) == []
    assert _rules({"type": "string", "enum": None}, {"type": "string", "enum": ["a"]}) == ["param-enum-narrowed"]
    assert _rules({"type": "string", "enum": ["a"]}, {"type": "string", "enum": None}) == ["param-enum-widened"]


def test_enum_values_compare_as_text() -> None:
    assert _rules({"type": "integer", "enum": [1, 2]}, {"type": "integer", "enum": ["1", "2"]}) == []


def test_bounds_a_named_format_implies_are_not_a_change() -> None:
    base = {"type": "integer", "format": "pve-vmid"}
    assert _rules({**base, "minimum": 1}, {**base, "minimum": 100, "maximum": 999999999}) == []
    assert _rules({**base, "minimum": 1}, {**base, "minimum": 200}) == ["param-constraint-tightened"]


def test_boolean_defaults_written_differently_are_equal() -> None:
    assert _rules({"type": "boolean", "default": 0}, {"type": "boolean", "default": "0"}) == []
    assert _rules({"type": "boolean", "default": 1}, {"type": "boolean", "default": 0}) == ["param-default-changed"]


def test_integer_to_number_accepts_more() -> None:
    assert _rules({"type": "integer"}, {"type": "number"}) == ["param-constraint-loosened"]
    assert _rules({"type": "number"}, {"type": "integer"}) == ["param-type-changed"]


def test_bare_value_to_property_string_without_default_key_breaks() -> None:
    keyed = {"type": "string", "format": {"size": {"type": "integer", "default_key": 1}}}
    unkeyed = {"type": "string", "format": {"size": {"type": "integer"}}}
    assert _rules({"type": "integer"}, keyed) == ["param-became-property-string"]
    assert _rules({"type": "integer"}, unkeyed) == ["param-type-changed"]
    # The old bare value's limits are judged against the default key.
    assert _rules(
        {"type": "integer", "minimum": 1},
        {**keyed, "format": {"size": {"type": "integer", "default_key": 1, "minimum": 4}}},
    ) == [  # most severe first
        "param-constraint-tightened",
        "param-became-property-string",
    ]


def test_property_string_key_kept_as_alias_is_not_removed() -> None:
    old = {"type": "string", "format": {"fs-freeze": {"type": "boolean", "optional": 1}}}
    new = {"type": "string", "format": {"freeze": {"type": "boolean", "optional": 1}, "fs-freeze": {"alias": "freeze"}}}
    assert [(c.rule, c.parameter) for c in _diff(old, new)] == [("param-subkey-added-optional", "p.freeze")]
    dropped = {"type": "string", "format": {"freeze": {"type": "boolean", "optional": 1}}}
    assert ("param-subkey-removed", "p.fs-freeze") in [(c.rule, c.parameter) for c in _diff(old, dropped)]


def test_alias_keys_are_never_required() -> None:
    old = {"type": "string", "format": {"a": {"type": "string", "optional": 1}}}
    new = {"type": "string", "format": {"a": {"type": "string", "optional": 1}, "b": {"alias": "a"}}}
    assert _rules(old, new) == ["param-subkey-added-optional"]


def test_response_number_to_integer_is_info_and_integer_to_number_breaks() -> None:
    def returns(kind: str) -> Spec:
        return _spec("1", {}, {"type": "object", "properties": {"t": {"type": kind}}})

    (info,) = diff(returns("number"), returns("integer"))
    (breaking,) = diff(returns("integer"), returns("number"))
    assert (info.rule, info.severity) == ("return-property-type-changed", "info")
    assert (breaking.rule, breaking.severity) == ("return-property-type-changed", "breaking")


def test_unspecified_return_type_is_no_promise() -> None:
    assert diff(_spec("1", {}, {}), _spec("1", {}, {"type": "string"})) == []
    assert [c.rule for c in diff(_spec("1", {}, {"type": "string"}), _spec("1", {}, {"type": "null"}))] == [
        "return-type-changed"
    ]


def test_returned_property_that_may_now_be_missing_is_a_warning() -> None:
    def returns(optional: int) -> Spec:
        return _spec("1", {}, {"type": "object", "properties": {"t": {"type": "string", "optional": optional}}})

    (change,) = diff(returns(0), returns(1))
    assert (change.rule, change.parameter, change.severity) == (
        "return-property-became-optional",
        "returns.t",
        "warning",
    )
    assert diff(returns(1), returns(0)) == []


def test_nested_returned_properties_are_compared_at_any_depth() -> None:
    def returns(kind: str) -> Spec:
        item = {"type": "object", "properties": {"net": {"type": "object", "properties": {"mtu": {"type": kind}}}}}
        return _spec("1", {}, {"type": "array", "items": item})

    (change,) = diff(returns("integer"), returns("string"))
    assert (change.rule, change.parameter) == ("return-property-type-changed", "returns[].net.mtu")


def test_keys_spelled_out_versus_a_named_property_string_format() -> None:
    # 8.4 wrote qemu rng0 as the named format pve-qm-rng where 8.0 spelled out its keys.
    keys = {"type": "string", "format": {"source": {"type": "string", "default_key": 1}}, "typetext": "[source=]<x>"}
    named = {"type": "string", "format": "pve-qm-rng", "typetext": "[source=]<x>"}
    assert _rules(keys, named) == [] and _rules(named, keys) == []  # same text: same format
    assert _rules(keys, {**named, "typetext": "[source=]<x> [,period=<n>]"}) == ["param-format-changed"]
    # A plain named format is a bare value: keys dropped for it is a break, and bare values (which set
    # the default key) must now also be MAC addresses: the mirror of became-property-string's check.
    plain = {"type": "string", "format": "mac-addr", "typetext": "<string>"}
    assert _rules(keys, plain) == ["param-constraint-tightened", "param-type-changed"]
    assert _rules(plain, keys) == ["param-became-property-string", "param-constraint-loosened"]
