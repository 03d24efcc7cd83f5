"""Render the codegen model through the jinja2 templates into (relative path, text) pairs.

Templates place names made by ``naming``, write rules and ``Op(...)`` from plan data, spell
annotations through ``annotation.Scope`` (which also decides the imports) and write spec text
only through ``literals``; spec text is never a template itself, so ``{{ }}`` in a description
is just text.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import jinja2

from . import annotation as a
from .docs import docstring_text, markdown_cell
from .literals import docstring, literal
from .naming import HEADER, distribution_name, distribution_version
from .plan import PackagePlan, ResourcePlan
from .propstrings import PropertyStringClass
from .rules import rule_source

__all__ = ["TEMPLATES_DIR", "render_package", "render_pyproject", "toml_string"]


def _templates_dir() -> Path:
    """The jinja2 templates: ``pvegen/templates`` in an installed wheel, the top-level ``templates/`` in a checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "templates", package.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"pvegen's templates are missing (looked in {package} and beside it)")


TEMPLATES_DIR = _templates_dir()


def _docstring(text: str, indent: str = "") -> str:
    return docstring(docstring_text(text), indent)


def toml_string(text: str) -> str:
    """A TOML basic string holding ``text`` (lone surrogates, which no file can hold, become U+FFFD)."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append("\ufffd" if 0xD800 <= code <= 0xDFFF else ch)
    return '"' + "".join(out) + '"'


@functools.cache
def _environment() -> jinja2.Environment:
    # One environment per process: jinja compiles each template once (30 of 36 ms per small render).
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters["literal"] = literal
    env.filters["docstring"] = _docstring
    env.filters["md"] = markdown_cell
    env.filters["toml"] = toml_string
    env.filters["rule"] = rule_source
    env.filters["spell"] = _spell
    env.globals["header"] = HEADER
    return env


def _spell(annotation: a.Annotation, scope: a.Scope) -> str:
    return scope.spelled(annotation)


def _scope(imports: a.Imports, annotations: Iterable[a.Annotation], hidden: Iterable[str] = ()) -> a.Scope:
    """A scope with every annotation spelled once up front, so the imports are known before
    the module's top is written (the template spells them again, with the ``spell`` filter)."""
    scope = a.Scope(imports, hidden)
    for annotation in annotations:
        scope.spelled(annotation)
    return scope


def _resource_module(env: jinja2.Environment, resource: ResourcePlan) -> str:
    imports = a.Imports()
    module_scope = _scope(imports, (ann for td in resource.typed_dicts for _, ann in td.fields))
    in_class: list[a.Annotation] = [resource.item_annotation, *(child.annotation for _, child in resource.children)]
    if resource.item is not None:
        in_class.append(resource.item.annotation)
    for op in resource.operations:
        in_class += [op.op_annotation, op.catch_all[1], *(p.annotation for p in op.params)]
    class_scope = _scope(imports, in_class, resource.members())
    if resource.typed_dicts:
        imports.names.setdefault(a.TYPING, set()).add("TypedDict")
    return env.get_template("resource.py.j2").render(
        r=resource, imports=imports, scope=class_scope, module_scope=module_scope
    )


def _propstring_module(env: jinja2.Environment, cls: PropertyStringClass) -> str:
    imports = a.Imports()
    extra = a.generic("Mapping", a.STR, a.STR)
    scope = _scope(imports, [extra, *(key.annotation for key in cls.keys)], {key.attr for key in cls.keys})
    return env.get_template("propstring_class.py.j2").render(c=cls, imports=imports, scope=scope, extra=extra)


def render_package(plan: PackagePlan) -> dict[str, str]:
    """Every generated module of the package (and its API.md), keyed by path relative to the package folder."""
    env = _environment()
    label = f"{plan.product} {plan.version}" if plan.version else plan.product
    files: dict[str, str] = {}
    files["__init__.py"] = env.get_template("package_init.py.j2").render(plan=plan, label=label)
    files["_client.py"] = env.get_template("client.py.j2").render(plan=plan, label=label)
    files["_operations.py"] = env.get_template("operations.py.j2").render(operations=plan.operations)
    types_imports = a.Imports()
    types_scope = _scope(types_imports, (ann for _, ann in plan.enum_aliases))
    files["types.py"] = env.get_template("types.py.j2").render(
        aliases=plan.enum_aliases, scope=types_scope, imports=types_imports
    )
    files["propstrings/__init__.py"] = env.get_template("propstrings_init.py.j2").render(
        classes=plan.propstring_classes, package=plan.package
    )
    for cls in plan.propstring_classes:
        files[f"propstrings/{cls.module}.py"] = _propstring_module(env, cls)
    files["_resources/__init__.py"] = env.get_template("resources_init.py.j2").render()
    for resource in plan.resources:
        files[f"_resources/{resource.module}.py"] = _resource_module(env, resource)
    files["API.md"] = env.get_template("api.md.j2").render(plan=plan, label=label)
    return files


def render_pyproject(plan: PackagePlan, packages: Iterable[str], pvegen_version: str) -> str:
    """``pyproject.toml`` beside the package: ``pip install DIR`` installs it (with ``py.typed``)."""
    label = f"{plan.product} {plan.version}" if plan.version else plan.product
    return (
        _environment()
        .get_template("pyproject.toml.j2")
        .render(
            package=plan.package,
            packages=sorted(packages),
            distribution=distribution_name(plan.package),
            version=distribution_version(plan.version, pvegen_version),
            label=label,
        )
    )
