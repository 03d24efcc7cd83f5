"""Checker fuzzing: random spec pairs and single mutations of every real release.

test_compat_properties.py proves the properties on 9.1 and on real release pairs; this file takes
them to volume: (1) random pairs of random specs (a base and an edited copy, or two unrelated
ones, hostile text included): diff(x, x) == [], no crash, deterministic, well-formed changes,
mirror symmetry, every reporter renders; (2) one mutation of a real operation, in every release,
maps to exactly its rule (its mutation table on all releases, plus mutations it does not make).
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pvegen import Operation, Spec, load_spec_text
from pvegen.compat import RULES, SEVERITIES, Change, build_report, diff
from pvegen.compat.deprecation import named_replacement
from pvegen.compat.reporters import FORMATS, render
from pvegen.load_ours import operation_from_entry, operation_to_entry
from pvegen.model import path_placeholders, path_shape
from tests.fixtures_shared import RELEASES
from tests.strategies import hostile_documents, hostile_operations, hostile_schemas, routable_operations
from tests.test_compat_properties import MIRRORED, PARAM_MUTATIONS, _keys, _own_params
from tests.test_compat_support import spec

pytestmark = pytest.mark.fuzz

PAIR_EXAMPLES = 2500
MUTATION_EXAMPLES = 1000
COUNTS = {"pairs": 0, "changes": 0, "mutations": 0}

Doc = dict[str, Any]
Entry = dict[str, Any]

# -- random pairs ----------------------------------------------------------------------------------

_SCHEMA_EDITS: list[tuple[str, Any]] = [
    ("optional", 1), ("optional", 0), ("type", "string"), ("type", "integer"), ("type", "boolean"),
    ("type", "array"), ("enum", ["a", "b"]), ("enum", ["a"]), ("enum", ["a", "b", "c"]), ("enum", None),
    ("minimum", 0), ("minimum", 5), ("maximum", 10), ("maxLength", 3), ("maxLength", 30), ("minLength", 1),
    ("pattern", "[a-z]+"), ("pattern", "\\d+"), ("format", "pve-node"), ("format", "pve-vmid"),
    ("format", {"k": {"type": "string", "default_key": 1}, "m": {"type": "integer", "optional": 1}}),
    ("default", 1), ("default", "x"), ("description", "Deprecated, do not use."), ("items", {"type": "string"}),
]  # fmt: skip
_PICK = st.integers(0, 10**6)
_SCHEMA_EDIT = st.sampled_from(_SCHEMA_EDITS)
_NEW_SCHEMA = hostile_schemas("/nonexistent/compat-fuzz", 1)
_NEW_OPERATION = hostile_operations("/nonexistent/compat-fuzz")
_EDIT_KINDS = st.sampled_from(
    ["drop-op", "add-op", "move-op", "rename-placeholder", "drop-param", "add-param", "edit-param", "drop-key",
     "new-returns", "returns-property", "allowtoken", "permissions", "summary"]
)  # fmt: skip


def _edit(doc: Doc, draw: st.DrawFn) -> None:
    """One random edit of a document in place (any that keeps it loadable)."""
    ops = doc["operations"]
    kind = draw(_EDIT_KINDS)
    if kind == "add-op" or not ops:
        new = draw(_NEW_OPERATION)
        if all((op["method"], op["path"]) != (new["method"], new["path"]) for op in ops):
            ops.append(new)
        return
    op = ops[draw(_PICK) % len(ops)]
    params: dict[str, Any] = op["parameters"]
    names = sorted(params)
    name = names[draw(_PICK) % len(names)] if names else None
    if kind == "drop-op":
        ops.remove(op)
    elif kind == "move-op":
        if all((other["method"], other["path"]) != (op["method"], op["path"] + "/zz") for other in ops):
            op["path"] += "/zz"
    elif kind == "rename-placeholder" and path_placeholders(op["path"]):
        placeholder = path_placeholders(op["path"])[0]
        op["path"] = op["path"].replace("{" + placeholder + "}", "{" + placeholder + "x}", 1)
        if placeholder in params:  # as a release renames it: the schema goes with the name
            params[placeholder + "x"] = params.pop(placeholder)
    elif kind == "drop-param" and name is not None:
        del params[name]
    elif kind == "add-param":
        params["zz" + str(draw(_PICK) % 5)] = draw(_NEW_SCHEMA)
    elif kind == "edit-param" and name is not None:
        key, value = draw(_SCHEMA_EDIT)
        params[name][key] = copy.deepcopy(value)
    elif kind == "drop-key" and name is not None and params[name]:
        keys = sorted(params[name])
        del params[name][keys[draw(_PICK) % len(keys)]]
    elif kind == "new-returns":
        op["returns"] = draw(_NEW_SCHEMA)
    elif kind == "returns-property":
        returns = op.setdefault("returns", {"type": "object"})
        returns["type"] = "object"
        props = returns.setdefault("properties", {})
        if props and draw(st.booleans()):
            del props[sorted(props)[draw(_PICK) % len(props)]]
        else:
            props["zz" + str(draw(_PICK) % 3)] = draw(_NEW_SCHEMA)
    elif kind == "allowtoken":
        op["allowtoken"] = 1 - int(op.get("allowtoken", 1))
    elif kind == "permissions":
        op["permissions"] = {"check": ["perm", "/", ["Sys.Audit", "Sys.ZzNew"][: 1 + draw(_PICK) % 2]]}
    else:
        op["summary"] = str(op.get("summary") or "") + " Deprecated."


# hostile_documents rather than documents(): as varied, and several times cheaper to draw.
_BASES = hostile_documents("/nonexistent/compat-fuzz", max_operations=4)


def _routable(doc: Doc) -> Doc:
    """Keeps only operations a server could route, as the loader demands (see routable_operations)."""
    return {**doc, "operations": routable_operations(doc["operations"])}


@st.composite
def spec_pairs(draw: st.DrawFn) -> tuple[Doc, Doc]:
    """(old, new): an edited copy of a random document, or two unrelated documents."""
    old = _routable(draw(_BASES))
    if draw(st.integers(0, 9)) == 0:
        return old, _routable(draw(_BASES))
    new = copy.deepcopy(old)
    for _ in range(draw(st.integers(1, 5))):
        _edit(new, draw)
    return old, _routable(new)


def _load(doc: Doc) -> Spec:
    return load_spec_text(json.dumps(doc))


def _check_well_formed(found: list[Change], old: Spec, new: Spec) -> None:
    keys = {op.key for op in old.operations} | {op.key for op in new.operations}
    for change in found:
        rule = RULES[change.rule]  # a known rule id
        assert change.severity in SEVERITIES and change.basis == rule.basis
        assert (change.method, change.path) in keys, change
        assert change.message.strip(), change


def _check_mirrored(forward: list[Change], backward: list[Change]) -> None:
    fwd, bwd = tuple(forward), tuple(backward)
    for one, other in MIRRORED:
        assert _keys(fwd, *one) == _keys(bwd, *other), one
        assert _keys(fwd, *other) == _keys(bwd, *one), other

    def endpoints(found: tuple[Change, ...], rule: str) -> set[tuple[str, str]]:
        return {(c.method, c.path) for c in found if c.rule == rule}

    assert endpoints(fwd, "endpoint-removed") == endpoints(bwd, "endpoint-added")
    assert endpoints(fwd, "endpoint-added") == endpoints(bwd, "endpoint-removed")
    moved = {(c.method, c.path, c.related) for c in fwd if c.rule == "endpoint-moved"}
    assert moved == {
        (c.method, (c.related or "").split(" ", 1)[-1], f"{c.method} {c.path}")
        for c in bwd
        if c.rule == "endpoint-moved"
    }
    # Where the kind of value changed (plain <-> property string), enums are not compared: see
    # test_enum_of_a_value_that_became_a_property_string_mirrors.
    retyped = _keys(fwd + bwd, "param-type-changed", "param-became-property-string", "param-subkey-type-changed",
                    "param-subkey-became-property-string")  # fmt: skip
    for place in ("param", "param-subkey"):
        narrowed = {(c.method, path_shape(c.path), c.parameter): (c.old, c.new)
                    for c in fwd if c.rule == f"{place}-enum-narrowed"}  # fmt: skip
        # A first enum is a limit added where there was none (its own rule): the mirror of one dropped.
        narrowed |= {(c.method, path_shape(c.path), c.parameter): (None, c.new["enum"])
                     for c in fwd if c.rule == f"{place}-constraint-added" and "enum" in c.new}  # fmt: skip
        widened = {(c.method, path_shape(c.path), c.parameter): (c.new, c.old)
                   for c in bwd if c.rule == f"{place}-enum-widened"}  # fmt: skip
        assert {k: v for k, v in narrowed.items() if k not in retyped} == {
            k: v for k, v in widened.items() if k not in retyped
        }


@settings(max_examples=PAIR_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(pair=spec_pairs())
def test_random_spec_pairs(pair: tuple[Doc, Doc]) -> None:
    old, new = _load(pair[0]), _load(pair[1])
    assert diff(old, old) == [] and diff(new, new) == []
    forward, backward = diff(old, new), diff(new, old)
    assert forward == diff(_load(pair[0]), _load(pair[1]))  # deterministic
    _check_well_formed(forward, old, new)
    _check_well_formed(backward, new, old)
    _check_mirrored(forward, backward)
    report = build_report(old, new, fail_on="never")
    assert report.changes == forward and not report.failed
    for fmt in FORMATS:
        assert isinstance(render(report, fmt), str)
    if not any(_XML_ILLEGAL.search(text) for text in _strings(pair)):  # see test_junit_report_is_xml_...
        ElementTree.fromstring(render(report, "junit"))
    for line in render(report, "github").rstrip("\n").split("\n"):  # one workflow command a line, none injected
        assert line.startswith("::"), line
    document = json.loads(render(report, "json"))
    assert document["summary"] == report.summary()
    assert [c["rule"] for c in document["changes"]] == [c.rule for c in forward]
    COUNTS["pairs"] += 1
    COUNTS["changes"] += len(forward) + len(backward)


# -- one mutation of a real release, one rule --------------------------------------------------------


def _no_format(op: Operation, name: str) -> bool:
    # A named format (pve-vmid: 100..999999999) bounds a value by itself; a looser minimum is no change.
    return op.parameters[name].format is None


def _bump(key: str, by: float) -> Callable[[Entry, str], None]:
    def apply(schema: Entry, _: str) -> None:
        schema[key] = float(schema[key]) + by

    return apply


def _became_array(schema: Entry, _: str) -> None:
    items = {"type": "string", **({"format": schema.pop("format")} if "format" in schema else {})}
    for key in ("pattern", "maxLength", "minLength"):
        schema.pop(key, None)
    schema.update(type="array", items=items)


def _plain_string(op: Operation, name: str) -> bool:
    schema = op.parameters[name]
    return schema.type == "string" and not schema.is_property_string and not schema.enum


# Mutations test_compat_properties.py does not make: (rule, which parameters qualify, mutation).
MORE_PARAM_MUTATIONS: list[tuple[str, Callable[[Operation, str], bool], Callable[[Entry, str], None]]] = [
    ("param-constraint-tightened",
     lambda op, n: op.parameters[n].type == "integer" and op.parameters[n].minimum is not None and _no_format(op, n),
     _bump("minimum", 1)),
    ("param-constraint-loosened",
     lambda op, n: op.parameters[n].type == "integer" and op.parameters[n].maximum is not None and _no_format(op, n),
     _bump("maximum", 1)),
    ("param-constraint-added",  # a limit where there was none
     lambda op, n: op.parameters[n].type == "integer" and op.parameters[n].minimum is None and _no_format(op, n),
     lambda s, _: s.__setitem__("minimum", -5)),
    ("param-constraint-added",
     lambda op, n: _plain_string(op, n) and op.parameters[n].pattern is None and op.parameters[n].format is None,
     lambda s, _: s.__setitem__("pattern", "[a-z]+")),
    ("param-constraint-loosened", lambda op, n: op.parameters[n].pattern is not None, lambda s, _: s.pop("pattern")),
    ("param-format-changed", lambda op, n: op.parameters[n].format == "pve-node",
     lambda s, _: s.__setitem__("format", "pve-storage-id")),
    ("param-default-added",
     lambda op, n: op.parameters[n].optional and not op.parameters[n].has_default
     and op.parameters[n].type == "integer",
     lambda s, _: s.__setitem__("default", 7)),
    ("param-became-array", _plain_string, _became_array),
]  # fmt: skip
ALL_PARAM_MUTATIONS = [*PARAM_MUTATIONS, *MORE_PARAM_MUTATIONS]


def _replace(version: str, index: int, entry: Entry) -> Spec:
    ops = list(spec(version).operations)
    ops[index] = operation_from_entry(entry)
    return Spec(tuple(ops), version=version)


@functools.cache
def _param_candidates(version: str, mutation: int) -> list[tuple[int, str]]:
    check = ALL_PARAM_MUTATIONS[mutation][1]
    return [(i, n) for i, op in enumerate(spec(version).operations) for n in _own_params(op) if check(op, n)]


@settings(max_examples=MUTATION_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), version=st.sampled_from(RELEASES), mutation=st.integers(0, len(ALL_PARAM_MUTATIONS) - 1))
def test_one_parameter_mutation_in_any_release_yields_its_rule(
    data: st.DataObject, version: str, mutation: int
) -> None:
    rule, _, mutate = ALL_PARAM_MUTATIONS[mutation]
    candidates = _param_candidates(version, mutation)
    if not candidates:
        return  # e.g. a release with no parameter of that kind
    index, name = data.draw(st.sampled_from(candidates))
    entry = operation_to_entry(spec(version).operations[index])
    mutate(entry["parameters"][name], name)
    assert [c.rule for c in diff(spec(version), _replace(version, index, entry))] == [rule]
    COUNTS["mutations"] += 1


def _unique_names(version: str) -> list[int]:
    ops = spec(version).operations
    counts: dict[tuple[str, str | None], int] = {}
    for op in ops:
        counts[(op.method, op.name)] = counts.get((op.method, op.name), 0) + 1
    return [i for i, op in enumerate(ops) if op.name and counts[(op.method, op.name)] == 1]


def _move(entry: Entry, op: Operation) -> None:
    entry["path"] = entry["path"] + "/zz-moved"


def _rename_placeholder(entry: Entry, op: Operation) -> None:
    last = op.path_parameters[-1]
    entry["path"] = entry["path"].replace("{" + last + "}", "{" + last + "zz}")
    entry["parameters"][last + "zz"] = entry["parameters"].pop(last)


def _return_property_type(entry: Entry, op: Operation) -> None:
    props = entry["returns"]["properties"]
    key = sorted(k for k, v in props.items() if v.get("type") == "integer")[0]
    props[key]["type"] = "string"


# (rule, which operations qualify, mutation of its entry)
OPERATION_MUTATIONS: list[tuple[str, Callable[[str, int, Operation], bool], Callable[[Entry, Operation], None]]] = [
    # A shared name ("index") is ambiguous; a deprecation notice naming the replacement wins over the name.
    ("endpoint-moved", lambda v, i, op: i in _unique_names(v) and named_replacement(op.summary) is None, _move),
    ("path-placeholder-renamed", lambda v, i, op: bool(op.path_parameters) and op.path_parameters[-1] in op.parameters,
     _rename_placeholder),
    ("token-access-added", lambda v, i, op: op.allowtoken is False,
     lambda entry, _: entry.__setitem__("allowtoken", 1)),
    ("return-property-type-changed",
     lambda v, i, op: op.returns.type == "object"
     and any(p.type == "integer" for p in (op.returns.properties or {}).values()),
     _return_property_type),
]  # fmt: skip


@functools.cache
def _operation_candidates(version: str, mutation: int) -> list[int]:
    check = OPERATION_MUTATIONS[mutation][1]
    return [i for i, op in enumerate(spec(version).operations) if check(version, i, op)]


@settings(max_examples=MUTATION_EXAMPLES // 2, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), version=st.sampled_from(RELEASES), mutation=st.integers(0, len(OPERATION_MUTATIONS) - 1))
def test_one_operation_mutation_in_any_release_yields_its_rule(
    data: st.DataObject, version: str, mutation: int
) -> None:
    rule, _, mutate = OPERATION_MUTATIONS[mutation]
    candidates = _operation_candidates(version, mutation)
    if not candidates:
        return
    index = data.draw(st.sampled_from(candidates))
    op = spec(version).operations[index]
    entry = operation_to_entry(op)
    mutate(entry, op)
    mutated = _replace(version, index, entry)  # converts the entry in place: once only
    found = diff(spec(version), mutated)
    assert [c.rule for c in found] == [rule]
    _check_mirrored(found, diff(mutated, spec(version)))
    COUNTS["mutations"] += 1


def test_every_mutation_has_candidates_somewhere() -> None:
    """The tables above are not vacuous: each mutation applies to some release."""
    for mutation, (rule, _, _) in enumerate(ALL_PARAM_MUTATIONS):
        assert any(_param_candidates(v, mutation) for v in RELEASES), rule
    for mutation, (rule, _, _) in enumerate(OPERATION_MUTATIONS):
        assert any(_operation_candidates(v, mutation) for v in RELEASES), rule


def test_empty_braces_in_a_path_do_not_crash_the_checker() -> None:
    old = _load({"format": "pvegen-spec/1", "product": "pve", "operations": [{"method": "GET", "path": "/{}"}]})
    new = _load({"format": "pvegen-spec/1", "product": "pve", "operations": [{"method": "GET", "path": "/{x}"}]})
    # ``{}`` is no placeholder (the model's syntax), so these are two different endpoints, both ways.
    assert [c.rule for c in diff(old, new)] == ["endpoint-removed", "endpoint-added"]
    assert [c.rule for c in diff(new, old)] == ["endpoint-removed", "endpoint-added"]


def test_enum_of_a_value_that_became_a_property_string_mirrors() -> None:
    plain = {"type": "string", "enum": ["x"]}
    keyed = {**plain, "format": {"node": {"type": "string", "default_key": 1}}}

    def one(schema: Entry) -> Spec:
        return _load({"format": "pvegen-spec/1", "product": "pve",
                      "operations": [{"method": "GET", "path": "/a", "parameters": {"node": schema}}]})  # fmt: skip

    forward, backward = diff(one(keyed), one(plain)), diff(one(plain), one(keyed))
    # The enum leaves the (untyped) default key and lands on the plain value, and back: a first enum
    # is a limit added where there was none, the mirror of an enum dropped.
    mirror = {"param-enum-widened": "param-constraint-added", "param-enum-narrowed": "param-enum-widened"}
    enum_rules = ("param-enum-narrowed", "param-constraint-added")
    assert [c.rule for c in forward if c.rule in enum_rules] == [
        mirror[c.rule] for c in backward if c.rule in ("param-enum-widened", "param-enum-narrowed")
    ]


def _strings(value: Any) -> Iterator[str]:
    """Every string in a JSON-like value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _report(path: str, parameter: str) -> Any:
    def one(params: dict[str, Any]) -> Spec:
        return _load({"format": "pvegen-spec/1", "product": "pve",
                      "operations": [{"method": "GET", "path": path, "parameters": params}]})  # fmt: skip

    return build_report(one({parameter: {"type": "string"}}), one({}), fail_on="never")


def test_junit_report_is_xml_whatever_the_spec_text() -> None:
    ElementTree.fromstring(render(_report("/a\x00b", "p\x1b[31m"), "junit"))


def test_text_report_lines_cannot_become_workflow_commands() -> None:
    text = render(_report("/a\n::error::injected", "p\n::add-mask::x"), "text")
    assert not [line for line in text.splitlines() if line.startswith("::")]


def test_fuzz_counts_are_reported(capsys: pytest.CaptureFixture[str]) -> None:
    """Runs last in this module: prints what the fuzz tests above did (for the closing note)."""
    with capsys.disabled():
        print(f"\ncompat fuzz: {COUNTS}")
