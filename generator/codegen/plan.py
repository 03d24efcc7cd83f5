"""The codegen model: the spec turned into resources, operations and names ready to render.

This is the only place where spec names become Python names (through ``naming``), so the
templates receive identifiers that are valid and unique, and sources (``*_src``) already
escaped by ``literals``. Paths whose placeholders differ only in name (``/a/{x}`` and
``/a/{y}``) share one resource; the placeholder is bound by calling the parent.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from ..model import Operation, Schema, Spec, split_indexed
from .docs import docstring_text, operation_doc
from .literals import docstring, literal
from .naming import RESERVED_MEMBERS, RESERVED_PARAMETERS, Namespace, camel, identifier
from .propstrings import PropertyStringClass, PropertyStrings
from .typemap import EnumAliases, ReturnTypes, TypedDictDef, is_placeholder_key, param_annotation, runtime_type

__all__ = ["OperationPlan", "PackagePlan", "ParamPlan", "ResourcePlan", "plan_package"]

_MAX_MODULE_NAME = 80
_ITEM_RESERVED = RESERVED_PARAMETERS | {"_cls"}
_TYPING_NAMES = ["Any", "ClassVar", "Literal", "Mapping", "Sequence", "TypedDict", "TYPE_CHECKING", "Op", "P"]
_VERBS = {"GET": "get", "POST": "post", "PUT": "put", "DELETE": "delete"}
_STRING = Schema.of_type("string")


@dataclass
class ParamPlan:
    wire: str  # the name sent (for an indexed parameter: the base, sent as base0, base1, ...)
    py_name: str
    annotation: str
    required: bool


@dataclass
class OperationPlan:
    method: str
    verb: str
    path: str
    const: str  # class attribute holding the runtime Op
    params: list[ParamPlan]
    returns: str
    doc_src: str
    op_src: str  # source of the runtime Op(...) expression
    open: bool  # the server accepts parameters beyond the listed ones: **extra


@dataclass
class ResourcePlan:
    segments: tuple[str, ...]
    class_name: str
    module: str
    doc_src: str = ""
    children: list[tuple[str, ResourcePlan]] = field(default_factory=list)  # (attribute, child)
    item: ResourcePlan | None = None  # the child bound by calling this resource
    item_param: str = "value"
    item_annotation: str = "str"
    operations: list[OperationPlan] = field(default_factory=list)
    typed_dicts: list[TypedDictDef] = field(default_factory=list)
    classvar: str = "ClassVar"
    module_imports: list[str] = field(default_factory=list)  # e.g. builtins, when a member hides a name

    def imports(self) -> list[tuple[str, str]]:
        """(module, class) of every resource this one hands out."""
        found = [(child.module, child.class_name) for _, child in self.children]
        if self.item is not None:
            found.append((self.item.module, self.item.class_name))
        return sorted(set(found))


@dataclass
class PackagePlan:
    package: str
    product: str
    version: str | None
    operations: list[tuple[str, str]]
    root: ResourcePlan
    resources: list[ResourcePlan]
    enum_aliases: list[tuple[str, str]]
    propstring_classes: list[PropertyStringClass] = field(default_factory=list)  # propstrings.py
    tfa_flow: str = "challenge"  # the release's TFA login flow, see tfa_flow()


def _is_placeholder(segment: str) -> bool:
    return len(segment) > 2 and segment.startswith("{") and segment.endswith("}")


def _segments(path: str) -> tuple[str, ...]:
    return tuple(part for part in path.split("/") if part)


class _Builder:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.class_names = Namespace(["ProxmoxVE", "Root", "Resource", "BaseClient", *_TYPING_NAMES])
        self.module_names = Namespace(["root"])
        self.enums = EnumAliases()
        self.nodes: dict[tuple[str, ...], ResourcePlan] = {}
        self.attr_names: dict[tuple[str, ...], Namespace] = {}
        self.root = ResourcePlan((), "Root", "root", doc_src=docstring(docstring_text("The API root: /"), "    "))
        self.nodes[()] = self.root
        # Property-string classes live in their own module; named before any operation is added.
        self.propstrings = PropertyStrings(Namespace(["Key", "PropertyString", "P", "Literal", "Mapping"]))
        for op in spec.operations:
            self.propstrings.add_operation(op)
        self.propstring_classes = self.propstrings.classes()

    # -- tree ---------------------------------------------------------------------
    def resource(self, segments: tuple[str, ...]) -> ResourcePlan:
        """The resource for a path (placeholders of one parent merge into one item child)."""
        key = tuple("{}" if _is_placeholder(s) else s for s in segments)
        if key in self.nodes:
            return self.nodes[key]
        parent = self.resource(segments[:-1])
        last = segments[-1]
        class_name = self.class_names.name(key, camel(segments))
        module = self.module_names.name(key, self._module_name(segments))
        doc = docstring(docstring_text("Resource /" + "/".join(segments)), "    ")
        node = ResourcePlan(segments, class_name, module, doc_src=doc)
        self.nodes[key] = node
        if _is_placeholder(last):
            parent.item = node
            parent.item_param = identifier(last[1:-1], _ITEM_RESERVED)
        else:
            names = self.attr_names.setdefault(key[:-1], Namespace(RESERVED_MEMBERS))
            parent.children.append((names.name(last, _member(last)), node))
        return node

    @staticmethod
    def _module_name(segments: tuple[str, ...]) -> str:
        words = [camel([s]).lower() for s in segments]
        name = identifier("r_" + "_".join(words))
        if len(name) > _MAX_MODULE_NAME:
            digest = hashlib.sha256("/".join(segments).encode("utf-8", "surrogatepass")).hexdigest()[:10]
            name = f"{name[:_MAX_MODULE_NAME]}_{digest}"
        return name

    # -- operations ---------------------------------------------------------------
    def add(self, op: Operation) -> None:
        node = self.resource(_segments(op.path))
        if any(existing.method == op.method for existing in node.operations):
            return  # two paths that differ only in placeholder names: the first wins
        verb = _VERBS[op.method]
        returns = ReturnTypes(Namespace([td.name for td in node.typed_dicts]))
        # The "_" keeps TypedDict names apart from class names (camel case, no "_").
        annotation = returns.annotation(op.returns, f"{node.class_name}_{verb.capitalize()}Result")
        node.typed_dicts.extend(returns.typed_dicts)
        path_names = op.path_parameters
        params: list[ParamPlan] = []
        rules: list[str] = []
        py_names = Namespace(RESERVED_PARAMETERS | ({"extra"} if op.open else set()))
        for wire, schema in op.parameters.items():
            if wire in path_names:
                continue
            base, indexed = split_indexed(wire)
            py_name = py_names.name(wire, identifier(base, RESERVED_PARAMETERS))
            hint = camel([base]) or "Value"
            typed = self.propstrings.class_name(schema)
            if typed is not None:  # a property string: its typed class or, as before, the text
                ann = f"Mapping[int, str | _ps.{typed}]" if indexed else f"str | _ps.{typed}"
            else:
                ann = param_annotation(schema, self.enums, hint, indexed=indexed, context=node.class_name)
            params.append(ParamPlan(base if indexed else wire, py_name, ann, schema.required))
            rules.append(f"{literal(py_name)}: {_rule_src(base if indexed else wire, schema, indexed=indexed)}")
        path_rules = [_rule_src(name, op.parameters.get(name, _STRING), indexed=False) for name in path_names]
        for name in path_names:
            self._type_item(node, op, name)
        op_src = (
            f"Op({literal(op.method)}, {literal(op.path)}, params={{{', '.join(rules)}}}, "
            f"path_params=({', '.join(path_rules)}{',' if len(path_rules) == 1 else ''}), "
            f"open={op.open!r}, returns={literal(_coercion_shape(op.returns))})"
        )
        node.operations.append(
            OperationPlan(
                method=op.method,
                verb=verb,
                path=op.path,
                const=f"_op_{verb}",
                params=params,
                returns=annotation,
                doc_src=docstring(operation_doc(op), " " * 8),
                op_src=op_src,
                open=op.open,
            )
        )

    def _type_item(self, node: ResourcePlan, op: Operation, name: str) -> None:
        """Type the argument of calling a resource from the schema of its placeholder."""
        segments = node.segments
        for depth in range(len(segments)):
            if segments[depth] == "{" + name + "}":
                parent = self.nodes[tuple("{}" if _is_placeholder(s) else s for s in segments[:depth])]
                if parent.item_annotation == "str" and name in op.parameters:
                    schema = op.parameters[name]
                    kind = runtime_type(schema)
                    parent.item_annotation = {"integer": "int", "number": "float"}.get(kind, "str")
                return


def _member(segment: str) -> str:
    name = identifier(segment, RESERVED_MEMBERS)
    # Attributes starting with "_" would be taken for (and could hide) private members.
    return f"x{name}" if name.startswith("_") else name


_RULE_KEYS = (
    ("minimum", "minimum"),
    ("maximum", "maximum"),
    ("minLength", "min_length"),
    ("maxLength", "max_length"),
    ("pattern", "pattern"),
)


def _rule_src(wire: str, schema: Schema, *, indexed: bool) -> str:
    """Source of the runtime rule ``P(...)`` that validates and encodes one parameter."""
    kind = runtime_type(schema)
    args = [literal(wire), literal(kind)]
    if schema.required:
        args.append("required=True")
    if indexed:
        args.append("indexed=True")
    if schema.enum:
        args.append(f"enum={literal(tuple(schema.enum))}")
    for key, keyword in _RULE_KEYS:
        value = schema.get(key)
        if value is None:
            continue
        if key == "pattern":
            args.append(f"pattern={literal(str(value))}")
        else:
            number = getattr(schema, keyword)
            if number is not None:
                args.append(f"{keyword}={literal(number)}")
    if schema.format is not None:
        args.append(f"format={literal(schema.format)}")
    if kind == "array" and schema.items is not None:
        args.append(f"items={_rule_src(wire, schema.items, indexed=False)}")
    return f"P({', '.join(args)})"


def _coercion_shape(schema: Schema) -> Any:
    """A compact description of where a response may need repair ("100" -> 100, 1 -> True).

    None where nothing below needs it, so most shapes stay tiny.
    """
    kind = runtime_type(schema) if schema.type is not None or schema.items or schema.properties else None
    if kind in ("integer", "number", "boolean"):
        return kind
    if kind == "array" and schema.items is not None:
        inner = _coercion_shape(schema.items)
        return None if inner is None else ["array", inner]
    if kind == "object" and schema.properties:
        props = schema.properties
        if all(is_placeholder_key(key) for key in props):
            inner = _coercion_shape(next(iter(props.values())))
            return None if inner is None else ["map", inner]
        fields = {k: s for k, s in ((k, _coercion_shape(v)) for k, v in props.items()) if s is not None}
        return ["object", fields] if fields else None
    return None


# Names annotations use, by the module that defines them. A member of a resource class with one
# of these names (``disks.list``) would hide it inside the class body, so there the annotation
# says ``builtins.list`` instead.
_VOCABULARY = {
    **{name: "builtins" for name in ("str", "int", "float", "bool", "list", "dict", "object")},
    **{name: "typing" for name in ("Any", "ClassVar")},
    **{name: "collections.abc" for name in ("Mapping", "Sequence")},
}


def _qualify(resource: ResourcePlan) -> None:
    members = {attr for attr, _ in resource.children} | {op.verb for op in resource.operations}
    hidden = {name: module for name, module in _VOCABULARY.items() if name in members}
    if not hidden:
        return
    pattern = re.compile(r"(?<![.\w])(" + "|".join(sorted(hidden)) + r")\b")

    def fix(annotation: str) -> str:
        return pattern.sub(lambda m: f"{hidden[m.group(1)]}.{m.group(1)}", annotation)

    for op in resource.operations:
        op.returns = fix(op.returns)
        for param in op.params:
            param.annotation = fix(param.annotation)
    resource.item_annotation = fix(resource.item_annotation)
    resource.classvar = fix(resource.classvar)
    resource.module_imports = sorted(set(hidden.values()))


def plan_package(spec: Spec, package: str) -> PackagePlan:
    builder = _Builder(spec)
    for op in spec.operations:
        builder.add(op)
    resources = list(builder.nodes.values())
    for resource in resources:
        _qualify(resource)
    return PackagePlan(
        package=package,
        product=spec.product,
        version=spec.version,
        operations=[(op.method, op.path) for op in spec.operations],
        root=builder.root,
        resources=resources,
        enum_aliases=builder.enums.definitions(),
        propstring_classes=builder.propstring_classes,
        tfa_flow=client_tfa_flow(spec),
    )


def client_tfa_flow(spec: Spec) -> str:
    """The client's login flow (runtime ``TFA_FLOWS``): the challenge whenever the release offers it."""
    return "otp" if spec.tfa_flow == "otp" else "challenge"
