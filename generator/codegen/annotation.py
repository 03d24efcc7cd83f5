"""Type annotations as values: what an annotation says, and which names (and so imports) it needs.

The planner builds them from the spec (``typemap``); the renderer spells them in a ``Scope``:
the scope knows which names a class member hides there (inside a class with a ``list`` member,
``list`` is written ``builtins.list``) and how each name is reached, and the same rule gives
the module's import lines. Nothing is searched for in rendered text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .literals import literal

__all__ = [
    "ANY",
    "BOOL",
    "FLOAT",
    "INT",
    "NONE",
    "NO_RETURN",
    "STR",
    "Annotation",
    "Imports",
    "Ref",
    "Scope",
    "enum_alias",
    "generic",
    "literal_of",
    "local",
    "propstring",
    "resource",
    "union",
]

# Where a name comes from. Package sources are reached from a module one folder down
# (``_resources/`` or ``propstrings/``), under TYPE_CHECKING: annotations are never evaluated.
BUILTINS = "builtins"
TYPING = "typing"
ABC = "collections.abc"
RUNTIME = "_runtime"  # imported by the template itself (the class body uses them at run time)
TYPES = "types"  # the package's enum aliases, as ``_t.Name``
PROPSTRINGS = "propstrings"  # the package's property-string classes, as ``_ps.Name``
LOCAL = ""  # defined in the module itself
RESOURCES = "_resources."  # prefix: a sibling resource module (``_resources.r_nodes``)

_PACKAGE_ALIASES = {TYPES: "_t", PROPSTRINGS: "_ps"}


@dataclass(frozen=True)
class Ref:
    """A name and where it comes from."""

    module: str
    name: str


class Annotation:
    """A type expression; ``refs()`` are the names it needs, ``spell(scope)`` its source."""

    def refs(self) -> Iterator[Ref]:
        raise NotImplementedError

    def spell(self, scope: Scope) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Name(Annotation):
    ref: Ref

    def refs(self) -> Iterator[Ref]:
        yield self.ref

    def spell(self, scope: Scope) -> str:
        return scope.spell(self.ref)


@dataclass(frozen=True)
class _NoneType(Annotation):
    def refs(self) -> Iterator[Ref]:
        return iter(())

    def spell(self, scope: Scope) -> str:
        return "None"


@dataclass(frozen=True)
class Generic(Annotation):
    """``base[arg, ...]``: list[...], dict[...], Mapping[...], ClassVar[...], Op[...]."""

    base: Ref
    args: tuple[Annotation, ...]

    def refs(self) -> Iterator[Ref]:
        yield self.base
        for arg in self.args:
            yield from arg.refs()

    def spell(self, scope: Scope) -> str:
        return f"{scope.spell(self.base)}[{', '.join(arg.spell(scope) for arg in self.args)}]"


@dataclass(frozen=True)
class Union(Annotation):
    members: tuple[Annotation, ...]

    def refs(self) -> Iterator[Ref]:
        for member in self.members:
            yield from member.refs()

    def spell(self, scope: Scope) -> str:
        return " | ".join(member.spell(scope) for member in self.members)


@dataclass(frozen=True)
class LiteralOf(Annotation):
    """``Literal["a", "b"]``: the values are spec text, written by ``literals.literal``."""

    values: tuple[object, ...]

    def refs(self) -> Iterator[Ref]:
        yield Ref(TYPING, "Literal")

    def spell(self, scope: Scope) -> str:
        return f"{scope.spell(Ref(TYPING, 'Literal'))}[{', '.join(literal(v) for v in self.values)}]"


def _builtin(name: str) -> Name:
    return Name(Ref(BUILTINS, name))


STR, INT, FLOAT, BOOL = _builtin("str"), _builtin("int"), _builtin("float"), _builtin("bool")
NONE: Annotation = _NoneType()
ANY = Name(Ref(TYPING, "Any"))
NO_RETURN = Name(Ref(TYPING, "NoReturn"))
_GENERIC_BASES = {
    "list": Ref(BUILTINS, "list"),
    "dict": Ref(BUILTINS, "dict"),
    "Mapping": Ref(ABC, "Mapping"),
    "Sequence": Ref(ABC, "Sequence"),
    "ClassVar": Ref(TYPING, "ClassVar"),
    "Op": Ref(RUNTIME, "Op"),
}


def generic(base: str, *args: Annotation) -> Annotation:
    return Generic(_GENERIC_BASES[base], args)


def union(*members: Annotation) -> Annotation:
    """``a | b``, flattened, each member once, in the order given."""
    flat: list[Annotation] = []
    for member in members:
        for part in member.members if isinstance(member, Union) else (member,):
            if part not in flat:
                flat.append(part)
    return flat[0] if len(flat) == 1 else Union(tuple(flat))


def literal_of(values: Iterable[object]) -> Annotation:
    return LiteralOf(tuple(values))


def local(name: str) -> Annotation:
    return Name(Ref(LOCAL, name))


def enum_alias(name: str) -> Annotation:
    return Name(Ref(TYPES, name))


def propstring(name: str) -> Annotation:
    return Name(Ref(PROPSTRINGS, name))


def resource(module: str, name: str) -> Annotation:
    return Name(Ref(RESOURCES + module, name))


@dataclass
class Imports:
    """The import lines a module needs for what it spelled."""

    names: dict[str, set[str]] = field(default_factory=dict)  # from MODULE import NAME, ...
    modules: set[str] = field(default_factory=set)  # import MODULE
    type_checking: set[str] = field(default_factory=set)  # lines under ``if TYPE_CHECKING:``

    def from_stdlib(self, module: str) -> list[str]:
        """The names of ``from MODULE import ...`` (``TYPE_CHECKING`` when anything needs it)."""
        names = set(self.names.get(module, ()))
        if module == TYPING and self.type_checking:
            names.add("TYPE_CHECKING")
        return sorted(names, key=lambda n: (not n.isupper(), n))


class Scope:
    """Where annotations are spelled: a module, or a class body whose members hide some names."""

    def __init__(self, imports: Imports, hidden: Iterable[str] = ()) -> None:
        self.imports = imports
        self.hidden = frozenset(hidden)
        self._spelled: dict[int, tuple[Annotation, str]] = {}

    def spelled(self, annotation: Annotation) -> str:
        """``annotation.spell(self)``, worked out once per annotation object."""
        found = self._spelled.get(id(annotation))
        if found is None:
            found = self._spelled[id(annotation)] = (annotation, annotation.spell(self))  # holding it keeps its id
        return found[1]

    def spell(self, ref: Ref) -> str:
        module, name = ref.module, ref.name
        if module in (BUILTINS, TYPING, ABC):
            if name in self.hidden:  # ``list`` is a member here: say which one is meant
                self.imports.modules.add(module)
                return f"{module}.{name}"
            if module != BUILTINS:
                self.imports.names.setdefault(module, set()).add(name)
            return name
        if module in _PACKAGE_ALIASES:
            alias = _PACKAGE_ALIASES[module]
            self.imports.type_checking.add(f"from .. import {module} as {alias}")
            return f"{alias}.{name}"
        if module.startswith(RESOURCES):
            sibling = module[len(RESOURCES) :]
            if name in self.hidden:  # a member with the class's name: reach it through its module
                self.imports.type_checking.add(f"from . import {sibling} as _{sibling}")
                return f"_{sibling}.{name}"
            self.imports.type_checking.add(f"from .{sibling} import {name}")
            return name
        if name in self.hidden:
            raise AssertionError(f"pvegen bug: {name!r} is hidden by a member of the class using it")
        return name  # LOCAL and RUNTIME: defined or imported by the module itself
