"""Properties of ``diff``: nothing between a spec and itself, exactly one rule for one mutation,
and the two directions mirror each other (added <-> removed, narrowed <-> widened, ...).

They run on the embedded spec (43 operations written after PVE 9.1) and on releases derived from it here;
test_compat_properties_real.py checks the same properties on the real releases."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pvegen import Operation, Spec
from pvegen.compat import RULES, SEVERITIES, Change, diff
from pvegen.compat.change import fingerprint
from pvegen.compat.match import path_shape
from pvegen.load_ours import operation_from_entry, operation_to_entry
from tests.fixtures_shared import embedded_spec


def base() -> Spec:
    """The spec every mutation starts from: the embedded one."""
    return embedded_spec()


def with_operations(spec: Spec, operations: list[Operation]) -> Spec:
    return Spec(
        tuple(operations), version=spec.version, product=spec.product, unstated_permissions=spec.unstated_permissions
    )


def test_diff_of_a_spec_with_itself_is_empty() -> None:
    assert diff(base(), base()) == []
    assert diff(_with_role_model(), _with_role_model()) == []


def test_diff_is_deterministic_and_fingerprints_ignore_wording() -> None:
    old, new = _with_role_model(), _evolved()
    first, second = diff(old, new), diff(old, new)
    assert len(first) >= 20
    assert first == second
    assert [c.fingerprint for c in first] == [c.fingerprint for c in second]
    assert len({c.fingerprint for c in first}) == len(first)  # one finding per rule, operation and place
    sample = first[0]
    assert sample.fingerprint == fingerprint(sample.rule, sample.method, sample.path, sample.parameter)
    assert fingerprint("param-removed", "GET", "/x", "a") != fingerprint("param-removed", "GET", "/x", "b")


def test_every_rule_has_a_known_severity_and_basis() -> None:
    assert all(rule.severity in SEVERITIES and rule.basis in ("documented", "refined") for rule in RULES.values())
    documented = {r.id for r in RULES.values() if r.basis == "documented"}
    assert documented == {
        "endpoint-removed",
        "endpoint-moved",
        "endpoint-added",
        "param-removed",
        "param-added-optional",
        "return-type-changed",
        "return-type-changed-from-null",
        "return-property-added",
    }


# -- one mutation, one rule -------------------------------------------------------------------------

Entry = dict[str, Any]
Mutation = Callable[[Entry, str], None]


def _is_role_model(op: Operation) -> bool:
    return op.path.startswith("/access/roles/")


def _own_params(op: Operation) -> list[str]:
    return [n for n in op.parameters if n not in op.path_parameters]


def _alias_free_keys(op: Operation, name: str) -> list[str]:
    keys = op.parameters[name].format_properties
    if keys is None:
        return []
    targets = {k.alias for k in keys.values() if k.alias}
    return [k for k, v in keys.items() if v.alias is None and k not in targets]


def _set(key: str, value: Any) -> Mutation:
    def apply(schema: Entry, _: str) -> None:
        schema[key] = value

    return apply


# (rule, what a parameter must satisfy, how to mutate it)
PARAM_MUTATIONS: list[tuple[str, Callable[[Operation, str], bool], Mutation]] = [
    # (oneOf values are required where their variants say so: the outer 'optional' alone decides nothing)
    (
        "param-became-required",
        lambda op, n: op.parameters[n].optional and not op.parameters[n].one_of,
        lambda s, _: s.pop("optional"),
    ),
    (
        "param-became-optional",
        lambda op, n: op.parameters[n].required and not op.parameters[n].one_of,
        _set("optional", 1),
    ),
    (
        "param-enum-narrowed",
        lambda op, n: len(op.parameters[n].enum or ()) >= 2,
        lambda s, _: s.__setitem__("enum", s["enum"][:-1]),
    ),
    (
        "param-enum-widened",
        lambda op, n: bool(op.parameters[n].enum),
        lambda s, _: s.__setitem__("enum", [*s["enum"], "zz-added-value"]),
    ),
    (
        "param-constraint-tightened",
        lambda op, n: (op.parameters[n].max_length or 0) >= 2,
        lambda s, _: s.__setitem__("maxLength", int(s["maxLength"]) - 1),
    ),
    (
        "param-constraint-loosened",
        lambda op, n: (op.parameters[n].max_length or 0) >= 2,
        lambda s, _: s.__setitem__("maxLength", int(s["maxLength"]) + 1),
    ),
    (
        "param-default-changed",
        lambda op, n: op.parameters[n].type == "integer" and isinstance(op.parameters[n].default, int),
        lambda s, _: s.__setitem__("default", int(s["default"]) + 1),
    ),
    ("param-default-removed", lambda op, n: op.parameters[n].has_default, lambda s, _: s.pop("default")),
    (
        "param-deprecated",
        lambda op, n: "deprecat" not in (op.parameters[n].description or "").lower(),
        lambda s, _: s.__setitem__("description", (s.get("description") or "") + " Deprecated, do not use."),
    ),
    (
        "param-type-changed",
        lambda op, n: op.parameters[n].type == "string" and not op.parameters[n].is_property_string,
        _set("type", "boolean"),
    ),
]


def _eligible_params(check: Callable[[Operation, str], bool]) -> list[tuple[int, str]]:
    ops = base().operations
    return [(i, n) for i, op in enumerate(ops) for n in _own_params(op) if check(op, n)]


@functools.cache
def _param_candidates(rule: str) -> list[tuple[int, str]]:
    check = next(c for r, c, _ in PARAM_MUTATIONS if r == rule)
    found = _eligible_params(check)
    assert found, f"no parameter in the embedded spec to mutate for {rule}"
    return found


def _replace(index: int, entry: Entry | None, extra: Entry | None = None) -> Spec:
    ops = list(base().operations)
    if entry is None:
        del ops[index]
    else:
        ops[index] = operation_from_entry(entry)
    if extra is not None:
        ops.append(operation_from_entry(extra))
    return with_operations(base(), ops)


def _rules(new: Spec) -> list[str]:
    return [c.rule for c in diff(base(), new)]


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(data=st.data(), rule=st.sampled_from([r for r, _, _ in PARAM_MUTATIONS]))
def test_one_parameter_mutation_yields_exactly_its_rule(data: st.DataObject, rule: str) -> None:
    index, name = data.draw(st.sampled_from(_param_candidates(rule)))
    mutate = next(m for r, _, m in PARAM_MUTATIONS if r == rule)
    entry = operation_to_entry(base().operations[index])
    mutate(entry["parameters"][name], name)
    assert _rules(_replace(index, entry)) == [rule]


@SETTINGS
@given(data=st.data(), required=st.booleans())
def test_adding_or_removing_a_parameter(data: st.DataObject, required: bool) -> None:
    ops = base().operations
    index = data.draw(st.integers(0, len(ops) - 1))
    entry = operation_to_entry(ops[index])
    entry["parameters"]["zz-added"] = {"type": "string"} if required else {"type": "string", "optional": 1}
    assert _rules(_replace(index, entry)) == ["param-added-required" if required else "param-added-optional"]
    index, name = data.draw(st.sampled_from(_eligible_params(lambda op, n: True)))
    entry = operation_to_entry(ops[index])
    del entry["parameters"][name]
    assert _rules(_replace(index, entry)) == ["param-removed"]


@SETTINGS
@given(data=st.data())
def test_removing_a_property_string_key(data: st.DataObject) -> None:
    ops = base().operations
    candidates = [
        (i, n, k)
        for i, n in _eligible_params(lambda op, n: op.parameters[n].is_property_string)
        for k in _alias_free_keys(ops[i], n)
    ]
    index, name, key = data.draw(st.sampled_from(candidates))
    entry = operation_to_entry(ops[index])
    del entry["parameters"][name]["format"][key]
    assert _rules(_replace(index, entry)) == ["param-subkey-removed"]


@SETTINGS
@given(
    data=st.data(),
    kind=st.sampled_from(
        ["endpoint-removed", "endpoint-added", "endpoint-deprecated", "token-access-removed", "permission-changed"]
    ),
)
def test_one_operation_mutation_yields_exactly_its_rule(data: st.DataObject, kind: str) -> None:
    ops = base().operations
    eligible: Callable[[Operation], bool] = {
        "endpoint-removed": lambda op: True,
        "endpoint-added": lambda op: True,
        "endpoint-deprecated": lambda op: "deprecat" not in (op.summary or "").lower(),
        "token-access-removed": lambda op: op.allowtoken is True,
        # ('user: all' lets every caller in before the check is looked at: a changed check changes nothing)
        "permission-changed": lambda op: bool(
            op.permissions and op.permissions.privileges() and not op.permissions.user
        ),
    }[kind]
    index = data.draw(st.sampled_from([i for i, op in enumerate(ops) if eligible(op)]))
    entry = operation_to_entry(ops[index])
    if kind == "endpoint-removed":
        assert _rules(_replace(index, None)) == [kind]
        return
    if kind == "endpoint-added":
        extra = {**copy.deepcopy(entry), "path": entry["path"] + "/zz-added"}
        assert _rules(_replace(index, entry, extra)) == [kind]
        return
    if kind == "endpoint-deprecated":
        entry["summary"] = (entry.get("summary") or "") + " Deprecated, do not use."
    elif kind == "token-access-removed":
        entry["allowtoken"] = 0
    else:
        entry["permissions"]["check"] = ["and", entry["permissions"]["check"], ["perm", "/", ["Sys.ZzNew"]]]
    assert _rules(_replace(index, entry)) == [kind]


@SETTINGS
@given(
    data=st.data(),
    kind=st.sampled_from(
        ["return-property-removed", "return-property-added", "return-type-changed", "return-type-changed-from-null"]
    ),
)
def test_one_return_mutation_yields_exactly_its_rule(data: st.DataObject, kind: str) -> None:
    ops = base().operations

    def eligible(op: Operation) -> bool:
        if kind.startswith("return-property"):
            return op.returns.type == "object" and bool(op.returns.properties) and not _is_role_model(op)
        return op.returns.type == ("null" if kind.endswith("null") else "string")

    index = data.draw(st.sampled_from([i for i, op in enumerate(ops) if eligible(op)]))
    entry = operation_to_entry(ops[index])
    returns = entry["returns"]
    if kind == "return-property-removed":
        del returns["properties"][data.draw(st.sampled_from(sorted(returns["properties"])))]
    elif kind == "return-property-added":
        returns["properties"]["zz_added"] = {"type": "string", "optional": 1}
    elif kind == "return-type-changed":
        entry["returns"] = {"type": "integer"}
    else:
        entry["returns"] = {"type": "object"}
    assert _rules(_replace(index, entry)) == [kind]


# -- mirrors ---------------------------------------------------------------------------------------


def _renamed(change: Change) -> bool:
    return change.related is not None and "renamed to" in change.message


def _keys(found: tuple[Change, ...], *rules: str) -> set[tuple[str, str, str | None]]:
    """Where each change is, placeholder names erased (the two directions name them differently)."""
    return {(c.method, path_shape(c.path), c.parameter) for c in found if c.rule in rules and not _renamed(c)}


MIRRORED = [
    (("param-removed",), ("param-added-optional", "param-added-required")),
    (("param-subkey-removed",), ("param-subkey-added-optional", "param-subkey-added-required")),
    (("param-became-required",), ("param-became-optional",)),
    (("param-subkey-became-required",), ("param-subkey-became-optional",)),
    (("return-property-removed",), ("return-property-added",)),
    (("token-access-removed",), ("token-access-added",)),
    (("privilege-removed",), ("privilege-added",)),
]


# The role model of a release: what GET /access/roles/{roleid} returns (Spec.privileges reads it by shape).
_ROLE_READ: Entry = {
    "method": "GET",
    "path": "/access/roles/{roleid}",
    "name": "read_role",
    "summary": "Get role configuration.",
    "parameters": {"roleid": {"type": "string"}},
    "returns": {
        "type": "object",
        "properties": {
            name: {"type": "boolean", "optional": 1}
            for name in ("VM.Audit", "VM.Monitor", "VM.PowerMgmt", "Sys.Audit", "Sys.Modify", "Datastore.Audit")
        },
    },
    "permissions": {"user": "all"},
}


@functools.cache
def _with_role_model() -> Spec:
    """The embedded spec and a role read (it has none), so privileges can come and go."""
    return with_operations(base(), [*base().operations, operation_from_entry(copy.deepcopy(_ROLE_READ))])


@functools.cache
def _evolved() -> Spec:
    """A next release of ``_with_role_model()``, changed in every way the mirror rules speak of."""
    entries = {op.key: operation_to_entry(op) for op in _with_role_model().operations}

    def at(method: str, path: str) -> Entry:
        return entries[(method, path)]

    def params(method: str, path: str) -> dict[str, Entry]:
        found: dict[str, Entry] = at(method, path)["parameters"]
        return found

    qemu, lxc = params("POST", "/nodes/{node}/qemu"), params("POST", "/nodes/{node}/lxc")
    # operations: one moved (same name and parameters, another path), one removed, one added
    moved = entries.pop(("GET", "/cluster/nextid"))
    entries[("GET", "/cluster/next-free-id")] = {**moved, "path": "/cluster/next-free-id"}
    del entries[("DELETE", "/nodes/{node}/storage/{storage}/content/{volume}")]
    added = {**copy.deepcopy(at("GET", "/version")), "path": "/nodes/{node}/zz-added", "name": "zz_added"}
    added["parameters"] = {"node": {"type": "string", "format": "pve-node"}}
    entries[("GET", "/nodes/{node}/zz-added")] = added
    # parameters: removed, added (optional and required), renamed, required <-> optional
    del lxc["hostname"]
    lxc["zz-optional"] = {"type": "string", "optional": 1}
    lxc["zz-required"] = {"type": "string"}
    stop = params("POST", "/nodes/{node}/qemu/{vmid}/status/stop")
    stop["overrule_shutdown"] = stop.pop("overrule-shutdown")
    qemu["cores"].pop("optional")
    lxc["ostemplate"]["optional"] = 1
    # enums: narrowed, widened, a first one where any value was accepted (parameters and sub-keys alike)
    qemu["ostype"]["enum"] = qemu["ostype"]["enum"][:-1]
    qemu["bios"]["enum"] = [*qemu["bios"]["enum"], "zz-firmware"]
    qemu["ciuser"]["enum"] = ["root", "admin"]
    disk = qemu["scsi[n]"]["format"]
    disk["cache"]["enum"] = disk["cache"]["enum"][:-1]
    disk["aio"]["enum"] = [*disk["aio"]["enum"], "zz-aio"]
    lxc["features"]["format"]["mount"]["enum"] = ["nfs", "cifs"]
    # property-string keys: removed, added (optional and required), required <-> optional
    del disk["wwn"]
    disk["zz-key"] = {"type": "string", "optional": 1}
    lxc["rootfs"]["format"]["zz-needed"] = {"type": "string"}
    lxc["net[n]"]["format"]["bridge"].pop("optional")
    lxc["net[n]"]["format"]["name"]["optional"] = 1
    # returns, token access, the role model
    del at("GET", "/version")["returns"]["properties"]["console"]
    at("GET", "/nodes/{node}/status")["returns"]["properties"]["zz_added"] = {"type": "string", "optional": 1}
    at("GET", "/cluster/status")["allowtoken"] = 0
    at("POST", "/access/ticket")["allowtoken"] = 1
    roles = at("GET", "/access/roles/{roleid}")["returns"]["properties"]
    del roles["VM.Monitor"]
    roles["Sys.ZzNew"] = {"type": "boolean", "optional": 1}
    return with_operations(base(), [operation_from_entry(entry) for entry in entries.values()])


def test_the_derived_release_changes_what_the_mirrors_compare() -> None:
    """The mirror test below compares something: each rule it pairs up occurs in the derived release."""
    found = diff(_with_role_model(), _evolved())
    paired = {rule for one, other in MIRRORED for rule in (*one, *other)}
    paired |= {"endpoint-moved", "endpoint-removed", "endpoint-added", "param-enum-narrowed", "param-enum-widened",
               "param-constraint-added", "param-subkey-enum-narrowed", "param-subkey-enum-widened",
               "param-subkey-constraint-added"}  # fmt: skip
    assert paired - {c.rule for c in found} == set()
    assert [c for c in found if _renamed(c)]


def test_diff_and_reverse_diff_mirror_each_other() -> None:
    assert_mirrored(tuple(diff(_with_role_model(), _evolved())), tuple(diff(_evolved(), _with_role_model())))


def assert_mirrored(forward: tuple[Change, ...], backward: tuple[Change, ...]) -> None:
    """What one direction finds, the other finds mirrored (added <-> removed, narrowed <-> widened, ...)."""
    for one, other in MIRRORED:
        assert _keys(forward, *one) == _keys(backward, *other), one
        assert _keys(forward, *other) == _keys(backward, *one), other

    def endpoints(found: tuple[Change, ...], rule: str) -> set[tuple[str, str]]:
        return {(c.method, c.path) for c in found if c.rule == rule}

    assert endpoints(forward, "endpoint-removed") == endpoints(backward, "endpoint-added")
    assert endpoints(forward, "endpoint-added") == endpoints(backward, "endpoint-removed")
    moved = {(c.method, c.path, c.related) for c in forward if c.rule == "endpoint-moved"}
    assert moved == {
        (c.method, c.related.split(" ", 1)[1], f"{c.method} {c.path}")
        for c in backward
        if c.related and c.rule == "endpoint-moved"
    }
    renamed = {(c.method, c.path, c.parameter, c.related) for c in forward if _renamed(c)}
    assert renamed == {(c.method, c.path, c.related, c.parameter) for c in backward if _renamed(c)}

    def enums(found: tuple[Change, ...], rule: str) -> dict[tuple[str, str, str | None], tuple[Any, Any]]:
        return {(c.method, path_shape(c.path), c.parameter): (c.old, c.new) for c in found if c.rule == rule}

    def first_enums(found: tuple[Change, ...], rule: str) -> dict[tuple[str, str, str | None], tuple[Any, Any]]:
        # A first enum is a limit added where there was none: its own rule, the mirror of an enum dropped.
        return {
            (c.method, path_shape(c.path), c.parameter): (None, c.new["enum"])
            for c in found
            if c.rule == rule and isinstance(c.new, dict) and "enum" in c.new
        }

    for place in ("param", "param-subkey"):
        narrowed = {**enums(forward, f"{place}-enum-narrowed"), **first_enums(forward, f"{place}-constraint-added")}
        widened = enums(backward, f"{place}-enum-widened")
        assert narrowed == {key: (new, old) for key, (old, new) in widened.items()}
