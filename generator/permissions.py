"""Proxmox VE permission checks read as logic: parse, evaluate, describe, compare.

Every operation of a Proxmox schema carries a ``permissions`` block, which the server judges in
``PVE::RPCEnvironment::check_api2_permissions`` before the call runs::

    {"check": ["perm", "/vms/{vmid}", ["VM.Audit", "VM.Console"], "any", 1]}
    {"check": ["and", CHECK, CHECK, ...]}          {"check": ["or", CHECK, CHECK, ...]}
    {"check": ["perm", "/pool/{pool}", ["VM.Allocate"], "require_param", "pool"]}
    {"check": ["userid-param", "self"]}            {"check": ["userid-param", "Realm.AllocateUser"]}
    {"check": ["userid-group", ["User.Modify"], "groups_param", "create"]}
    {"check": ["perm-modify", "{path}"]}
    {"user": "all"}  {"user": "world"}  {"user": "root"}

This module reads such a block as a boolean formula over *atoms*, the questions a server answers
about one caller and one request. The formula is the verdict for an authenticated caller other
than ``root@pam`` (PVE lets root@pam through every check before looking at it).

Atoms (frozen dataclasses; the server answers them, substituting request parameters):

``Privilege(path, privilege)``
    ``perm``: the caller holds ``privilege`` on the ACL ``path``. The path is a template: fill each
    ``{name}`` with the request parameter ``name`` (PVE's ``template_replace``) and normalise it.
``OwnUser()``
    ``userid-param self``: the request's ``userid`` names the caller.
``RealmPrivilege(privilege)``
    ``userid-param PRIV``: PRIV on ``/access/realm/<realm of the request's userid>``.
``GroupPrivilege(privilege, mode)``
    ``userid-group``: PRIV on ``/access/groups`` (every group), else on ``/access/groups/<g>`` for
    the groups that matter: mode None, a group the request's ``userid`` is a member of; ``"create"``,
    every group named in the request's ``groups`` (at least one); ``"update"``, both.
``PermissionsModify(path)``
    ``perm-modify``: the caller may change ACLs on the (templated) path: ``Permissions.Modify``
    there, or ``Datastore.Allocate`` for /storage/..., ``VM.Allocate`` for /vms/...,
    ``Pool.Allocate`` for /pool/....
``ParamGiven(name)``
    the ``require_param`` option of ``perm``: the request carries parameter ``name``.

Formulas: an atom, ``AllOf(items)`` or ``AnyOf(items)``; ``ALWAYS`` (``AllOf(())``, any
authenticated caller) and ``NEVER`` (``AnyOf(())``, root@pam only). They are monotone (no negation).

API (stable: the mock server judges requests with it):

``parse(permissions) -> Formula``
    from the model's ``Permissions`` (None, no block at all: root@pam only); raises
    ``PermissionSyntaxError`` (a ValueError) on a form PVE would not run.
``parse_check(expression) -> Formula``
    the ``check`` expression alone.
``allows_anonymous(permissions) -> bool``
    ``user: world``: callers need not log in at all.
``atoms(formula) -> tuple[Atom, ...]``
    distinct atoms in order of first appearance.
``privileges(formula) -> frozenset[str]``
    every privilege name the formula mentions.
``evaluate(formula, oracle) -> bool``
    ``oracle(atom) -> bool`` answers each atom; evaluated left to right with short-circuits,
    as PVE does.
``describe(formula) -> str``
    "any of VM.Audit, VM.Console on /vms/{vmid}", "all of (...; ...)".
``compare(old, new, old_privileges=..., new_privileges=...) -> Comparison``
    exactly which callers gain or lose the call (brute force over the atoms involved, as truth
    tables): by privileges a role holds (paths aside) and by ACL grants on paths (ancestors
    propagating to descendants). ``*_privileges`` are the releases' role models: a privilege
    missing from the old model cannot have been held, one missing from the new is held no more.

Readings of PVE's code that are deliberate: a bare string where the privilege list belongs
(``["perm", "/vms/{vmid}", "VM.Config.Cloudinit"]``, 7.x) means that one privilege; 5.x's
``groups_param => 1`` means today's ``"create"``; ``userid-group`` with several privileges is any of
one ``GroupPrivilege`` per privilege (PVE asks for any of them per group: the two differ only for a
caller holding different ones of them on different groups named in one request); checks that a user
exists are not permission atoms (PVE answers them with "does not exist", not "permission denied").
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from .model import Permissions

__all__ = [
    "ALWAYS",
    "NEVER",
    "AllOf",
    "AnyOf",
    "Atom",
    "Comparison",
    "Formula",
    "GroupPrivilege",
    "OwnUser",
    "ParamGiven",
    "PermissionSyntaxError",
    "PermissionsModify",
    "Privilege",
    "RealmPrivilege",
    "allows_anonymous",
    "atoms",
    "compare",
    "describe",
    "evaluate",
    "parse",
    "parse_check",
    "privileges",
]


class PermissionSyntaxError(ValueError):
    """A permission block in a form PVE would not run (or this module does not know)."""


# -- atoms -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Privilege:
    """``perm``: ``privilege`` held on the ACL ``path`` (a template with ``{param}`` placeholders)."""

    path: str
    privilege: str


@dataclass(frozen=True)
class OwnUser:
    """``userid-param self``: the request's ``userid`` is the caller."""


@dataclass(frozen=True)
class RealmPrivilege:
    """``userid-param PRIV``: PRIV on ``/access/realm/<realm of the request's userid>``."""

    privilege: str


@dataclass(frozen=True)
class GroupPrivilege:
    """``userid-group``: PRIV on the groups that matter (see the module docstring for ``mode``)."""

    privilege: str
    mode: str | None = None


@dataclass(frozen=True)
class PermissionsModify:
    """``perm-modify``: may change the ACLs on ``path`` (a template)."""

    path: str


@dataclass(frozen=True)
class ParamGiven:
    """``require_param``: the request carries the parameter ``name``."""

    name: str


Atom: TypeAlias = Privilege | OwnUser | RealmPrivilege | GroupPrivilege | PermissionsModify | ParamGiven
_ATOM_TYPES = (Privilege, OwnUser, RealmPrivilege, GroupPrivilege, PermissionsModify, ParamGiven)


@dataclass(frozen=True)
class AllOf:
    """Every item holds (PVE's ``and``; a ``perm`` without ``any``). Empty: always true."""

    items: tuple[Formula, ...]


@dataclass(frozen=True)
class AnyOf:
    """Some item holds (PVE's ``or``; a ``perm`` with ``any``). Empty: never true."""

    items: tuple[Formula, ...]


Formula: TypeAlias = Atom | AllOf | AnyOf
ALWAYS: Formula = AllOf(())
NEVER: Formula = AnyOf(())


# -- parsing -----------------------------------------------------------------------------------


def parse(permissions: Permissions | None) -> Formula:
    """The formula of a whole permission block (``user`` decides before ``check``, as in PVE)."""
    if permissions is None:
        return NEVER  # PVE: an operation without a permission block is for root@pam only
    user = permissions.user
    if user in ("all", "world"):
        return ALWAYS
    if user == "root":
        return NEVER
    if user is not None:
        raise PermissionSyntaxError(f"unknown 'user' value {user!r} (expected all, world or root)")
    check = permissions.check
    if check is None:
        return NEVER  # PVE raises "permission check failed" for everyone but root@pam
    return parse_check(check)


def allows_anonymous(permissions: Permissions | None) -> bool:
    """``user: world``: the call needs no login at all."""
    return permissions is not None and permissions.user == "world"


def parse_check(expression: Any) -> Formula:
    """The formula of a ``check`` expression (lists or the model's frozen tuples)."""
    return _simplify(_parse(expression, "check"))


def _parse(node: Any, where: str) -> Formula:
    if not isinstance(node, list | tuple) or not node or not isinstance(node[0], str):
        raise PermissionSyntaxError(f"{where}: expected [TEST, ...], found {node!r}")
    test, args = node[0], list(node[1:])
    if test in ("and", "or"):
        items = tuple(_parse(child, f"{where}[{i + 1}]") for i, child in enumerate(args))
        return AllOf(items) if test == "and" else AnyOf(items)
    if test == "perm":
        return _perm(args, where)
    if test == "userid-param":
        if len(args) != 1 or not isinstance(args[0], str):
            raise PermissionSyntaxError(f"{where}: userid-param needs one test ('self' or a privilege)")
        return OwnUser() if args[0] == "self" else RealmPrivilege(args[0])
    if test == "userid-group":
        if not args:
            raise PermissionSyntaxError(f"{where}: userid-group needs a privilege list")
        options = _options(args[1:], where)
        mode = _group_mode(options.pop("groups_param", None))
        _no_more(options, where)
        return AnyOf(tuple(GroupPrivilege(p, mode) for p in _privilege_list(args[0], where)))
    if test == "perm-modify":
        if len(args) != 1 or not isinstance(args[0], str):
            raise PermissionSyntaxError(f"{where}: perm-modify needs one path")
        return PermissionsModify(args[0])
    raise PermissionSyntaxError(f"{where}: unknown permission test {test!r}")


def _perm(args: list[Any], where: str) -> Formula:
    if len(args) < 2 or not isinstance(args[0], str) or not args[0]:
        raise PermissionSyntaxError(f"{where}: perm needs a path and privileges")
    path = args[0]
    held = tuple(Privilege(path, p) for p in _privilege_list(args[1], where))
    options = _options(args[2:], where)
    formula: Formula = AnyOf(held) if _perl_true(options.pop("any", None)) else AllOf(held)
    required = options.pop("require_param", None)
    _no_more(options, where)
    if required is not None:
        if not isinstance(required, str) or not required:
            raise PermissionSyntaxError(f"{where}: require_param needs a parameter name")
        formula = AllOf((ParamGiven(required), formula))
    return formula


def _privilege_list(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)  # 7.x wrote one privilege as a bare string
    if not isinstance(value, list | tuple) or not value or not all(isinstance(p, str) and p for p in value):
        raise PermissionSyntaxError(f"{where}: expected a list of privilege names, found {value!r}")
    return tuple(value)


def _options(args: list[Any], where: str) -> dict[str, Any]:
    if len(args) % 2:
        raise PermissionSyntaxError(f"{where}: options must come as name, value pairs: {args!r}")
    options: dict[str, Any] = {}
    for name, value in zip(args[::2], args[1::2], strict=True):
        if not isinstance(name, str):
            raise PermissionSyntaxError(f"{where}: option name {name!r} is not a string")
        options[name] = value
    return options


def _no_more(options: dict[str, Any], where: str) -> None:
    if options:
        raise PermissionSyntaxError(f"{where}: unknown option(s) {', '.join(sorted(options))}")


def _perl_true(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return value not in ("", "0")
    return bool(value)


def _group_mode(value: Any) -> str | None:
    if not _perl_true(value):
        return None
    if value in ("create", "update"):
        return str(value)
    return "create"  # 5.x: groups_param => 1 checked the named groups only, as 'create' does now


def _simplify(formula: Formula) -> Formula:
    """Flatten nested and/or, drop duplicates and neutral items, fold constants."""
    if isinstance(formula, _ATOM_TYPES):
        return formula
    assert isinstance(formula, AllOf | AnyOf)
    kind = type(formula)
    items: list[Formula] = []
    for child in (_simplify(c) for c in formula.items):
        if isinstance(child, kind):
            merged: Iterable[Formula] = child.items  # same connective: its items join ours
        elif child == (NEVER if kind is AllOf else ALWAYS):
            return child  # the absorbing element decides the whole
        else:
            merged = (child,)
        for item in merged:
            if item not in items:
                items.append(item)
    if len(items) == 1:
        return items[0]
    return kind(tuple(items))


# -- reading formulas ----------------------------------------------------------------------------


def atoms(formula: Formula) -> tuple[Atom, ...]:
    """The distinct atoms of ``formula``, in order of first appearance."""
    found: dict[Atom, None] = {}
    for atom in _walk(formula):
        found.setdefault(atom)
    return tuple(found)


def _walk(formula: Formula) -> Iterator[Atom]:
    if isinstance(formula, AllOf | AnyOf):
        for item in formula.items:
            yield from _walk(item)
    else:
        yield formula


def privileges(formula: Formula) -> frozenset[str]:
    """Every privilege name the formula mentions."""
    return frozenset(name for name in (_privilege_of(a) for a in atoms(formula)) if name is not None)


def _privilege_of(atom: Atom) -> str | None:
    if isinstance(atom, Privilege | RealmPrivilege | GroupPrivilege):
        return atom.privilege
    return None


def evaluate(formula: Formula, oracle: Callable[[Atom], bool]) -> bool:
    """The verdict, asking ``oracle`` about atoms left to right (and stopping early, as PVE does)."""
    if isinstance(formula, AllOf):
        return all(evaluate(item, oracle) for item in formula.items)
    if isinstance(formula, AnyOf):
        return any(evaluate(item, oracle) for item in formula.items)
    return bool(oracle(formula))


def describe(formula: Formula) -> str:
    """Plain words: "any of A, B on /path", "all of (X; Y)", "any authenticated user"."""
    if formula == ALWAYS:
        return "any authenticated user"
    if formula == NEVER:
        return "root@pam only"
    if isinstance(formula, AllOf | AnyOf):
        word = "all of" if isinstance(formula, AllOf) else "any of"
        # Privileges on one path read as one list: "Sys.Audit, Sys.Modify on /".
        by_path: dict[str, list[str]] = {}
        parts: list[str | list[str]] = []
        for item in formula.items:
            if isinstance(item, Privilege):
                if item.path not in by_path:
                    by_path[item.path] = []
                    parts.append(by_path[item.path])
                by_path[item.path].append(item.privilege)
            else:
                parts.append(describe(item))
        texts = [part if isinstance(part, str) else _on_path(part, by_path) for part in parts]
        if len(texts) == 1:
            return f"{word} {texts[0]}"
        return f"{word} (" + "; ".join(texts) + ")"
    return describe_atom(formula)


def _on_path(names: list[str], by_path: dict[str, list[str]]) -> str:
    path = next(p for p, listed in by_path.items() if listed is names)
    return f"{', '.join(names)} on {path}"


def describe_atom(atom: Atom) -> str:
    if isinstance(atom, Privilege):
        return f"{atom.privilege} on {atom.path}"
    if isinstance(atom, OwnUser):
        return "the caller's own user ('userid')"
    if isinstance(atom, RealmPrivilege):
        return f"{atom.privilege} on the realm of 'userid'"
    if isinstance(atom, GroupPrivilege):
        where = {
            None: "a group 'userid' belongs to",
            "create": "every group in 'groups'",
            "update": "every group in 'groups' and one 'userid' belongs to",
        }.get(atom.mode, f"the groups ({atom.mode})")
        return f"{atom.privilege} on {where} (or on /access/groups)"
    if isinstance(atom, PermissionsModify):
        return f"the right to change permissions on {atom.path}"
    return f"parameter '{atom.name}' given"


# -- comparing -----------------------------------------------------------------------------------

ANY_PATH = "*"
MAX_ATOMS = 16  # 2**16-bit truth tables; real checks have at most ~10 atoms between two releases


@dataclass(frozen=True)
class Comparison:
    """Who gains or loses the call from ``old`` to ``new``; each witness is a smallest example.

    By role (paths aside: privileges collapse to ``Privilege("*", name)``): ``lost`` is a set of
    atoms with which the call passed before and fails now; ``gained`` the reverse. By ACL grants
    on paths (grants on a path propagate to its descendants, as PVE's default ``propagate=1``
    does): ``lost_on_paths`` / ``gained_on_paths``. None: nobody."""

    lost: tuple[Atom, ...] | None
    gained: tuple[Atom, ...] | None
    lost_on_paths: tuple[Atom, ...] | None
    gained_on_paths: tuple[Atom, ...] | None

    @property
    def narrower(self) -> bool:
        """Some role that could make the call cannot any more."""
        return self.lost is not None

    @property
    def equivalent(self) -> bool:
        return self.lost is self.gained is self.lost_on_paths is self.gained_on_paths is None


def role_atom(atom: Atom) -> Atom:
    """An atom as a role sees it: a privilege is held or not, wherever it is checked."""
    name = _privilege_of(atom)
    return atom if name is None else Privilege(ANY_PATH, name)


def _on_roles(formula: Formula) -> Formula:
    if isinstance(formula, AllOf | AnyOf):
        return type(formula)(tuple(_on_roles(item) for item in formula.items))
    return role_atom(formula)


def compare(
    old: Formula,
    new: Formula,
    *,
    old_privileges: Collection[str] | None = None,
    new_privileges: Collection[str] | None = None,
) -> Comparison:
    """Exactly who gains and who loses the call (see ``Comparison``)."""
    old_model = None if old_privileges is None else frozenset(old_privileges)
    new_model = None if new_privileges is None else frozenset(new_privileges)
    lost, gained = _witnesses(_on_roles(old), _on_roles(new), old_model, new_model, propagate=False)
    lost_paths, gained_paths = _witnesses(old, new, old_model, new_model, propagate=True)
    return Comparison(lost, gained, lost_paths, gained_paths)


def _witnesses(
    old: Formula,
    new: Formula,
    old_model: frozenset[str] | None,
    new_model: frozenset[str] | None,
    *,
    propagate: bool,
) -> tuple[tuple[Atom, ...] | None, tuple[Atom, ...] | None]:
    variables = list(atoms(AllOf((old, new))))
    if len(variables) > MAX_ATOMS:
        raise PermissionSyntaxError(f"{len(variables)} atoms are too many to compare (at most {MAX_ATOMS})")
    count = len(variables)
    size = 1 << count
    full = (1 << size) - 1
    columns = {atom: _column(i, count) for i, atom in enumerate(variables)}

    def holdable(model: frozenset[str] | None) -> dict[Atom, int]:
        # A privilege outside the release's role model cannot be held there: its column is all false.
        if model is None:
            return columns
        return {a: (0 if (p := _privilege_of(a)) is not None and p not in model else c) for a, c in columns.items()}

    before = _table(old, holdable(old_model), full)
    after = _table(new, holdable(new_model), full)
    valid = full
    if propagate:
        for upper, lower in _implications(variables):
            valid &= (full ^ columns[upper]) | columns[lower]
    return _smallest(before & ~after & valid, variables), _smallest(after & ~before & valid, variables)


def _column(index: int, count: int) -> int:
    """The truth table of variable ``index`` over ``count`` variables (bit k: assignment k)."""
    run = 1 << index
    block = ((1 << run) - 1) << run  # 2*run bits: run zeros, then run ones
    period = 2 * run
    repeats = (1 << count) // period
    return block * (((1 << (period * repeats)) - 1) // ((1 << period) - 1))


def _table(formula: Formula, columns: dict[Atom, int], full: int) -> int:
    if isinstance(formula, AllOf):
        result = full
        for item in formula.items:
            result &= _table(item, columns, full)
        return result
    if isinstance(formula, AnyOf):
        result = 0
        for item in formula.items:
            result |= _table(item, columns, full)
        return result
    return columns[formula]


def _smallest(mask: int, variables: Sequence[Atom]) -> tuple[Atom, ...] | None:
    """The assignment in ``mask`` with the fewest true atoms (the clearest example), or None."""
    if not mask:
        return None
    best = -1
    best_count = len(variables) + 1
    while mask:
        low = mask & -mask
        index = low.bit_length() - 1
        ones = index.bit_count()
        if ones < best_count:
            best, best_count = index, ones
            if ones == 0:
                break
        mask ^= low
    return tuple(v for i, v in enumerate(variables) if best >> i & 1)


def _segments(path: str) -> tuple[str, ...]:
    return tuple(part for part in path.split("/") if part)


def _scope(atom: Atom) -> tuple[tuple[str, ...], str] | None:
    """The ACL path (as segments) and privilege an atom is decided on, for propagation."""
    if isinstance(atom, Privilege):
        return _segments(atom.path), atom.privilege
    if isinstance(atom, GroupPrivilege):
        return ("access", "groups", "\x00group"), atom.privilege
    if isinstance(atom, RealmPrivilege):
        return ("access", "realm", "\x00realm"), atom.privilege
    if isinstance(atom, PermissionsModify):
        return _segments(atom.path), "Permissions.Modify"
    return None


def _implications(variables: Sequence[Atom]) -> Iterator[tuple[Atom, Atom]]:
    """(A, B): holding A implies holding B, because A's path is an ancestor of B's (same privilege)."""
    scopes = [(atom, _scope(atom)) for atom in variables]
    for upper, upper_scope in scopes:
        if not isinstance(upper, Privilege) or upper_scope is None:
            continue
        for lower, lower_scope in scopes:
            if lower is upper or lower_scope is None or lower_scope[1] != upper_scope[1]:
                continue
            if lower_scope[0][: len(upper_scope[0])] == upper_scope[0]:
                yield upper, lower
