"""The codegen model: the spec turned into resources, operations, names and types ready to render.

Names come from ``naming`` (the one table), types are ``annotation`` values that know which
names they need, rules are ``rules.Rule`` data; the templates turn all of it into source. Paths
whose placeholders differ only in name (``/a/{x}`` and ``/a/{y}``) share one resource; the
placeholder is bound by calling the parent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Operation, Schema, Spec, split_indexed
from . import annotation as a
from .docs import operation_doc, resource_doc
from .naming import (
    EXTRA_ARGUMENT,
    RESERVED_MEMBERS,
    RESERVED_PARAMETERS,
    TAKEN_CLASS_NAMES,
    UNKNOWN_ARGUMENT,
    Namespace,
    enum_alias_names,
    item_argument,
    member_name,
    parameter_name,
    resource_class,
    resource_module,
    root_members,
)
from .propstrings import PropertyStringClass, PropertyStrings
from .rules import Rule, response_shape, rule_for
from .typemap import EnumAliases, ReturnTypes, TypedDictPlan, param_type, runtime_type

__all__ = ["OperationPlan", "PackagePlan", "ParamPlan", "ResourcePlan", "plan_package"]

_VERBS = {"GET": "get", "POST": "post", "PUT": "put", "DELETE": "delete"}
_STRING = Schema.of_type("string")
_ITEM_TYPES = {"integer": a.INT, "number": a.FLOAT}


@dataclass
class ParamPlan:
    wire: str  # the name sent (for an indexed parameter: the base, sent as base0, base1, ...)
    py_name: str
    annotation: a.Annotation  # without "| None"
    required: bool
    rule: Rule


@dataclass
class OperationPlan:
    method: str
    verb: str
    path: str
    const: str  # class attribute holding the runtime Op
    params: list[ParamPlan]
    path_rules: list[Rule]
    returns: a.Annotation
    shape: Any  # rules.response_shape of the return schema
    doc: str
    open: bool  # the server accepts parameters beyond the listed ones

    @property
    def catch_all(self) -> tuple[str, a.Annotation]:
        """``**extra: Any`` passes unlisted parameters of an open operation; ``**unknown: NoReturn``
        makes mypy refuse them elsewhere, and at run time the runtime explains them."""
        return (EXTRA_ARGUMENT, a.ANY) if self.open else (UNKNOWN_ARGUMENT, a.NO_RETURN)

    @property
    def op_annotation(self) -> a.Annotation:
        return a.generic("ClassVar", a.generic("Op", self.returns))


@dataclass
class ResourcePlan:
    segments: tuple[str, ...]
    class_name: str
    module: str
    children: list[tuple[str, ResourcePlan]] = field(default_factory=list)  # (attribute, child)
    item: ResourcePlan | None = None  # the child bound by calling this resource
    item_param: str = "value"
    item_annotation: a.Annotation = a.STR
    operations: list[OperationPlan] = field(default_factory=list)
    typed_dicts: list[TypedDictPlan] = field(default_factory=list)
    summaries: list[tuple[str, str]] = field(default_factory=list)  # (verb, summary) for the class docstring

    @property
    def path(self) -> str:
        return "/" + "/".join(self.segments)

    @property
    def doc(self) -> str:
        return resource_doc(self.path, self.summaries)

    def members(self) -> set[str]:
        """Names defined in the class body (they hide same-named builtins there)."""
        return {attr for attr, _ in self.children} | {op.verb for op in self.operations}

    @property
    def annotation(self) -> a.Annotation:
        """This resource's class, as its parent's annotations name it."""
        return a.resource(self.module, self.class_name)


@dataclass
class PackagePlan:
    package: str
    product: str
    version: str | None
    operations: list[tuple[str, str]]
    root: ResourcePlan
    resources: list[ResourcePlan]
    enum_aliases: list[tuple[str, a.Annotation]]
    propstring_classes: list[PropertyStringClass] = field(default_factory=list)
    tfa_flow: str = "challenge"  # the release's TFA login flow, see client_tfa_flow()


def _is_placeholder(segment: str) -> bool:
    return len(segment) > 2 and segment.startswith("{") and segment.endswith("}")


def _segments(path: str) -> tuple[str, ...]:
    return tuple(part for part in path.split("/") if part)


def _shape_key(segments: tuple[str, ...]) -> tuple[str, ...]:
    return tuple("{}" if _is_placeholder(s) else s for s in segments)


class _Builder:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        # Every class and alias name of the package is unique in it (resources, TypedDicts,
        # enum aliases, property-string classes): a name always means one thing.
        self.class_names = Namespace(TAKEN_CLASS_NAMES | {"annotations"})
        self.module_names = Namespace(["root"])
        self.enums = EnumAliases(self.class_names)
        self.nodes: dict[tuple[str, ...], ResourcePlan] = {}
        self.attr_names: dict[tuple[str, ...], Namespace] = {}
        self.root = ResourcePlan((), "Root", "root")
        self.nodes[()] = self.root
        self.propstrings = PropertyStrings(self.class_names)

    # -- tree ---------------------------------------------------------------------
    def resource(self, segments: tuple[str, ...]) -> ResourcePlan:
        """The resource for a path (placeholders of one parent merge into one item child)."""
        key = _shape_key(segments)
        if key in self.nodes:
            return self.nodes[key]
        parent = self.resource(segments[:-1])
        last = segments[-1]
        class_name = self.class_names.name(key, resource_class(segments))
        module = self.module_names.name(key, resource_module(segments))
        node = ResourcePlan(segments, class_name, module)
        self.nodes[key] = node
        if _is_placeholder(last):
            parent.item = node
            parent.item_param = item_argument(last[1:-1])
        else:
            reserved = root_members() if not key[:-1] else RESERVED_MEMBERS
            names = self.attr_names.setdefault(key[:-1], Namespace(reserved))
            parent.children.append((names.name(last, member_name(last, reserved)), node))
        return node

    # -- operations ---------------------------------------------------------------
    def add(self, op: Operation) -> None:
        node = self.resource(_segments(op.path))
        if any(existing.method == op.method for existing in node.operations):
            return  # two paths that differ only in placeholder names: the first wins
        verb = _VERBS[op.method]
        returns = ReturnTypes(self.class_names, node.class_name)
        annotation = returns.annotation(op.returns, verb)
        node.typed_dicts.extend(returns.typed_dicts)
        path_names = op.path_parameters
        catch_all = EXTRA_ARGUMENT if op.open else UNKNOWN_ARGUMENT
        py_names = Namespace(RESERVED_PARAMETERS | {catch_all})
        params = [
            self._param(op, wire, schema, py_names) for wire, schema in op.parameters.items() if wire not in path_names
        ]
        path_rules = [rule_for(name, op.parameters.get(name, _STRING)) for name in path_names]
        for name in path_names:
            self._type_item(node, op, name)
        summary = " ".join((op.summary or "").split())
        node.summaries.append((verb, summary))
        node.operations.append(
            OperationPlan(
                method=op.method,
                verb=verb,
                path=op.path,
                const=f"_op_{verb}",
                params=params,
                path_rules=path_rules,
                returns=annotation,
                shape=response_shape(op.returns),
                doc=operation_doc(op),
                open=op.open,
            )
        )

    def _param(self, op: Operation, wire: str, schema: Schema, py_names: Namespace) -> ParamPlan:
        base, indexed = split_indexed(wire)
        py_name = py_names.name(wire, parameter_name(base))
        typed = self.propstrings.class_of(schema)
        if typed is not None:  # a property string: its text, its typed class, or its default key's value
            value = a.union(a.STR, a.propstring(typed.name), *filter(None, [typed.bare_value]))
        else:
            value = param_type(schema, self.enums, lambda: enum_alias_names(op.path, op.method, base))
        annotation = a.generic("Mapping", a.INT, value) if indexed else value
        rule = rule_for(base if indexed else wire, schema, indexed=indexed, propstring_of=self.propstrings.class_name)
        return ParamPlan(base if indexed else wire, py_name, annotation, schema.required, rule)

    def _type_item(self, node: ResourcePlan, op: Operation, name: str) -> None:
        """Type the argument of calling a resource from the schema of its placeholder."""
        segments = node.segments
        for depth in range(len(segments)):
            if segments[depth] == "{" + name + "}":
                parent = self.nodes[_shape_key(segments[:depth])]
                if parent.item_annotation == a.STR and name in op.parameters:
                    parent.item_annotation = _ITEM_TYPES.get(runtime_type(op.parameters[name]), a.STR)
                return


def plan_package(spec: Spec, package: str) -> PackagePlan:
    builder = _Builder(spec)
    for op in spec.operations:  # every resource first: classes and members get their names
        builder.resource(_segments(op.path))
    for op in spec.operations:  # then the property-string classes, before any parameter uses one
        builder.propstrings.add_operation(op)
    # A TypedDict is used inside a class body: it must never be named like a member there.
    builder.class_names.reserve(attr for names in builder.attr_names.values() for attr in names.given())
    for op in spec.operations:
        builder.add(op)
    return PackagePlan(
        package=package,
        product=spec.product,
        version=spec.version,
        operations=[(op.method, op.path) for op in spec.operations],
        root=builder.root,
        resources=list(builder.nodes.values()),
        enum_aliases=builder.enums.definitions(),
        propstring_classes=builder.propstrings.classes(),
        tfa_flow=client_tfa_flow(spec),
    )


def client_tfa_flow(spec: Spec) -> str:
    """The client's login flow (runtime ``TFA_FLOWS``): the challenge whenever the release offers it."""
    return "otp" if spec.tfa_flow == "otp" else "challenge"
