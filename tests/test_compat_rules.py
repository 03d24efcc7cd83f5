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
    (narrower,) = _diff({**old, "pattern": "[a-z0-9]+"}, old)
    assert narrower.rule == "param-constraint-tightened"
    assert "the old default 'abc1' is now rejected" in narrower.message
    # The other way round the new pattern covers the old one piece by piece: proven wider.
    assert _rules(old, {**old, "pattern": "[a-z0-9]+"}) == ["param-constraint-loosened"]


def test_pattern_example_found_where_the_patterns_differ_is_a_tightening() -> None:
    (change,) = _diff(
        {"type": "string", "pattern": "(/dev/.+|socket)"}, {"type": "string", "pattern": "(/dev/[^,]+|socket)"}
    )
    assert change.rule == "param-constraint-tightened"
    assert "('/dev/,' is now rejected)" in change.message


def test_patterns_that_cannot_be_told_apart_are_a_warning() -> None:
    # Each accepts values the other does not, and no value of the old one is known to be rejected
    # by the new one the samples can find: neither proven narrower nor wider.
    (change,) = _diff({"type": "string", "pattern": "[a-m]x"}, {"type": "string", "pattern": "[a-m]x|[n-z]y"})
    assert change.rule == "param-constraint-loosened"  # an alternative added: covers the old one
    (change,) = _diff({"type": "string", "pattern": "a(?=b)b"}, {"type": "string", "pattern": "ab"})
    assert (change.rule, change.severity) == ("param-pattern-changed", "warning")


@pytest.mark.parametrize("perl_only", ["(?{ 1 })", "\\G[a-z]", "\\p{L}+", "(?|a|b)", "(?^u:x)"])
def test_untranslatable_perl_pattern_is_compared_as_text_without_crashing(perl_only: str) -> None:
    old = {"type": "string", "pattern": "[a-z]+", "default": "a"}
    (change,) = _diff(old, {**old, "pattern": perl_only})
    assert change.rule == "param-pattern-changed"
    assert "no Python translation" in change.message


def test_enum_null_means_no_restriction() -> None:
    assert _rules({"type": "string", "enum": None}, {"type": "string"}) == []
    assert _rules({"type": "string", "enum": None}, {"type": "string", "enum": ["a"]}) == ["param-constraint-added"]
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
    assert _rules(keys, plain) == ["param-type-changed", "param-constraint-added"]
    assert _rules(plain, keys) == ["param-became-property-string", "param-constraint-loosened"]


# -- a limit where there was none: warning, breaking only with evidence ---------------------------


@pytest.mark.parametrize(
    ("old", "new", "evidence"),
    [
        ({"type": "integer", "default": 100}, {"type": "integer", "default": 100, "maximum": 64}, "default '100'"),
        ({"type": "string", "enum": None, "default": "zstd"}, {"type": "string", "enum": ["gzip"]}, "default 'zstd'"),
        (
            {"type": "integer", "description": "Number of workers (between 1 and 128)."},
            {"type": "integer", "maximum": 64},
            "documented range '128'",
        ),
        (
            {"type": "string", "description": "A label, e.g. 'my label'."},
            {"type": "string", "pattern": "\\S+"},
            "example in the description 'my label'",
        ),
        (
            {"type": "string", "typetext": "<string> (1 - 99)"},
            {"type": "string", "maxLength": 1},
            "typetext range '99'",
        ),
    ],
)
def test_limit_added_is_breaking_with_evidence_from_the_old_schema(
    old: dict[str, Any], new: dict[str, Any], evidence: str
) -> None:
    (change,) = [c for c in _diff(old, new) if c.rule == "param-constraint-added"]
    assert change.severity == "breaking"
    assert f"the old {evidence} is now rejected" in change.message


def test_limit_added_without_evidence_is_a_warning() -> None:
    (change,) = _diff({"type": "string", "description": "Comment."}, {"type": "string", "maxLength": 2048})
    assert (change.rule, change.severity, change.old, change.new) == (
        "param-constraint-added",
        "warning",
        {"maxLength": None},
        {"maxLength": 2048},
    )
    # An example the new limit still accepts is no evidence.
    (kept,) = _diff({"type": "string", "description": "e.g. 'abc'"}, {"type": "string", "maxLength": 8})
    assert kept.severity == "warning"


def test_tightening_an_existing_limit_stays_breaking() -> None:
    (change,) = _diff({"type": "string", "minLength": 5}, {"type": "string", "minLength": 8})
    assert (change.rule, change.severity) == ("param-constraint-tightened", "breaking")


def test_named_format_knowledge_comes_from_the_runtime_checkers() -> None:
    # pve-vmid's checker rejects what the new bounds reject: nothing to report. A bound inside the
    # format's range is a real tightening.
    vmid = {"type": "integer", "format": "pve-vmid"}
    assert _rules(vmid, {**vmid, "minimum": 100, "maximum": 999999999}) == []
    assert _rules(vmid, {**vmid, "minimum": 1000}) == ["param-constraint-added"]
    # An unknown format replaced by an enum cannot be proven narrower or wider: a warning that says so.
    (change,) = _diff({"type": "string", "format": "pve-storage-format"}, {"type": "string", "enum": ["raw"]})
    assert (change.rule, change.severity) == ("param-constraint-added", "warning")
    assert "replaces the named format pve-storage-format, whose checks are not known here" in change.message


# -- coverage: oneOf, requires, additionalProperties ---------------------------------------------

_DELETE_PLAIN = {"type": "array", "items": {"type": "string"}, "optional": 1}


def _one_of(*variants: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "type-property": "protocol", "oneOf": list(variants)}


def _variant(types: list[str], *, optional: int = 1, enum: list[str] | None = None) -> dict[str, Any]:
    items: dict[str, Any] = {"type": "string"} if enum is None else {"type": "string", "enum": enum}
    return {"type": "array", "instance-types": types, "items": items, "optional": optional}


def test_oneof_with_optional_variants_does_not_make_a_value_required() -> None:
    # 9.1's SDN fabric 'delete': the outer schema has no 'optional', every variant has.
    new = _one_of(_variant(["ospf"]), _variant(["wireguard"]))
    assert not [c for c in _diff(_DELETE_PLAIN, new) if "required" in c.rule]


def test_oneof_variant_that_requires_a_value_says_for_which_type() -> None:
    new = _one_of(_variant(["ospf"]), _variant(["wireguard"], optional=0))
    (required,) = [c for c in _diff(_DELETE_PLAIN, new) if c.rule == "param-became-required"]
    assert required.message == (
        "parameter 'p' became required when protocol=wireguard (its oneOf variant for that type requires it)"
    )


def test_oneof_variants_are_compared_one_by_one() -> None:
    old = _one_of(_variant(["ospf"], enum=["area", "redistribute"]), _variant(["wireguard"], enum=["peers"]))
    new = _one_of(_variant(["ospf"], enum=["area"]), _variant(["openfabric"], enum=["x"]))
    found = {(c.rule, c.parameter) for c in _diff(old, new)}
    assert ("param-enum-narrowed", "p{protocol=ospf}.items") in found
    assert ("param-variant-removed", "p{protocol=wireguard}") in found
    assert ("param-variant-added", "p{protocol=openfabric}") in found


def test_requires_added_and_removed() -> None:
    base = {"type": "string", "optional": 1}
    assert _rules(base, {**base, "requires": "other"}) == ["param-requires-added"]
    assert _rules({**base, "requires": "other"}, base) == ["param-requires-removed"]


def test_additional_properties_of_an_object_and_of_the_call() -> None:
    obj = {"type": "object", "properties": {"a": {"type": "string"}}, "optional": 1}
    assert _rules({**obj, "additionalProperties": 1}, {**obj, "additionalProperties": 0}) == ["param-extra-rejected"]
    assert _rules({**obj, "additionalProperties": 0}, {**obj, "additionalProperties": 1}) == ["param-extra-accepted"]

    def call(is_open: bool) -> Spec:
        entry = {"method": "POST", "path": "/x", "parameters": {}, "returns": {"type": "null"}, "open": is_open}
        return Spec((operation_from_entry(entry),), version="1")

    assert [c.rule for c in diff(call(True), call(False))] == ["param-extra-rejected"]
    assert [c.rule for c in diff(call(False), call(True))] == ["param-extra-accepted"]


def test_returned_values_enum_format_pattern() -> None:
    def returns(schema: dict[str, Any]) -> Spec:
        return _spec("1", {}, {"type": "object", "properties": {"t": schema}})

    (wider,) = diff(returns({"type": "string", "enum": ["a"]}), returns({"type": "string", "enum": ["a", "b"]}))
    assert (wider.rule, wider.severity) == ("return-enum-widened", "warning")
    (fewer,) = diff(returns({"type": "string", "enum": ["a", "b"]}), returns({"type": "string", "enum": ["a"]}))
    assert (fewer.rule, fewer.severity) == ("return-enum-narrowed", "non-breaking")
    (fmt,) = diff(returns({"type": "string", "format": "ipv4"}), returns({"type": "string", "format": "ip"}))
    assert (fmt.rule, fmt.severity) == ("return-format-changed", "warning")
    (pat,) = diff(returns({"type": "string", "pattern": "[a-z]+"}), returns({"type": "string", "pattern": "[a-z0-9]+"}))
    assert (pat.rule, pat.severity) == ("return-pattern-changed", "warning")
    assert (
        diff(returns({"type": "string", "pattern": "[a-z0-9]+"}), returns({"type": "string", "pattern": "[a-z]+"}))
        == []
    )


# -- deprecation wording --------------------------------------------------------------------------


def test_deprecation_that_covers_only_some_values_flags_those_values() -> None:
    enum = {"type": "string", "enum": ["2011", "2023", "2023w", "2023k"], "optional": 1}
    note = "The values '2023' and '2023w' are deprecated and for compatibility only."
    (change,) = _diff({**enum, "description": "Marker."}, {**enum, "description": f"Marker. {note}"})
    assert (change.rule, change.new) == ("param-deprecated", ["2023", "2023w"])
    assert change.message.startswith("p: the values 2023, 2023w are now documented as deprecated")
    (whole,) = _diff({**enum, "description": "Marker."}, {**enum, "description": "Deprecated: use 'q' instead."})
    assert whole.message == "p is now documented as deprecated: Deprecated: use 'q' instead."
    assert whole.related == "q"


def test_an_unchanged_check_on_a_privilege_gone_from_the_role_model_is_breaking() -> None:
    def release(version: str, privileges: list[str]) -> Spec:
        roles = {
            "method": "GET",
            "path": "/access/roles/{roleid}",
            "parameters": {"roleid": {"type": "string"}},
            "returns": {"type": "object", "properties": {p: {"type": "boolean", "optional": 1} for p in privileges}},
        }
        monitor = {
            "method": "POST",
            "path": "/nodes/{node}/qemu/{vmid}/monitor",
            "parameters": {"node": {"type": "string"}, "vmid": {"type": "integer"}},
            "permissions": {"check": ["perm", "/vms/{vmid}", ["VM.Monitor"]]},
        }
        return Spec((operation_from_entry(roles), operation_from_entry(monitor)), version=version)

    before = ["VM.Audit", "VM.Monitor", "VM.Console", "VM.Migrate", "Sys.Audit", "Sys.Modify"]
    after = [p for p in before if p != "VM.Monitor"]
    found = {c.rule: c for c in diff(release("9.0", before), release("9.1", after))}
    assert set(found) == {"privilege-removed", "permission-changed"}
    change = found["permission-changed"]
    assert (change.path, change.severity) == ("/nodes/{node}/qemu/{vmid}/monitor", "breaking")
    assert change.message == (
        "permission check narrowed: still VM.Monitor on /vms/{vmid}; a role with only VM.Monitor loses the call "
        "(VM.Monitor is gone from the role model)"
    )
