"""Permission checks read as logic (pvegen.permissions): every form parses (the real releases' forms:
test_permissions_real.py), the words say what the formula does, and ``compare`` agrees with brute force over
small privilege universes."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pvegen import Spec
from pvegen.load_ours import operation_from_entry
from pvegen.model import Permissions
from pvegen.permissions import (
    ALWAYS,
    NEVER,
    AllOf,
    AnyOf,
    Atom,
    Formula,
    GroupPrivilege,
    OwnUser,
    ParamGiven,
    PermissionsModify,
    PermissionSyntaxError,
    Privilege,
    RealmPrivilege,
    allows_anonymous,
    atoms,
    compare,
    describe,
    evaluate,
    parse,
    parse_check,
    privileges,
    role_atom,
)


def _block(**raw: Any) -> Permissions:
    """A Permissions object the way the loader builds it (frozen, through the real loader)."""
    op = operation_from_entry({"method": "GET", "path": "/x", "parameters": {}, "permissions": raw})
    assert op.permissions is not None
    return op.permissions


# -- parsing the forms PVE uses ------------------------------------------------------------------


def test_perm_without_any_needs_all_privileges_and_with_any_one() -> None:
    both = parse_check(["perm", "/", ["Sys.Modify", "Datastore.Allocate"]])
    either = parse_check(["perm", "/", ["Sys.Audit", "Datastore.Audit"], "any", 1])
    assert both == AllOf((Privilege("/", "Sys.Modify"), Privilege("/", "Datastore.Allocate")))
    assert either == AnyOf((Privilege("/", "Sys.Audit"), Privilege("/", "Datastore.Audit")))
    assert describe(both) == "all of Sys.Modify, Datastore.Allocate on /"
    assert describe(either) == "any of Sys.Audit, Datastore.Audit on /"
    assert parse_check(["perm", "/", ["Sys.Modify", "Datastore.Allocate"], "any", 0]) == both  # Perl: 0 is false


def test_bare_string_privilege_is_that_one_privilege() -> None:
    # 7.4 wrote PUT .../cloudinit's check as ["perm", "/vms/{vmid}", "VM.Config.Cloudinit"].
    assert parse_check(["perm", "/vms/{vmid}", "VM.Config.Cloudinit"]) == Privilege(
        "/vms/{vmid}", "VM.Config.Cloudinit"
    )


def test_require_param_is_an_atom_of_its_own() -> None:
    clone = parse_check(
        [
            "and",
            ["perm", "/vms/{vmid}", ["VM.Clone"]],
            [
                "or",
                ["perm", "/vms/{newid}", ["VM.Allocate"]],
                ["perm", "/pool/{pool}", ["VM.Allocate"], "require_param", "pool"],
            ],
        ]
    )
    assert ParamGiven("pool") in atoms(clone)
    assert describe(clone) == (
        "all of (VM.Clone on /vms/{vmid}; any of (VM.Allocate on /vms/{newid}; "
        "all of (parameter 'pool' given; VM.Allocate on /pool/{pool})))"
    )
    # Allocating in the pool without naming the pool does not pass.
    held = {Privilege("/vms/{vmid}", "VM.Clone"), Privilege("/pool/{pool}", "VM.Allocate")}
    assert not evaluate(clone, held.__contains__)
    assert evaluate(clone, (held | {ParamGiven("pool")}).__contains__)


def test_user_checks() -> None:
    password = parse_check(
        [
            "or",
            ["userid-param", "self"],
            ["and", ["userid-param", "Realm.AllocateUser"], ["userid-group", ["User.Modify"]]],
        ]
    )
    assert password == AnyOf(
        (OwnUser(), AllOf((RealmPrivilege("Realm.AllocateUser"), GroupPrivilege("User.Modify", None))))
    )
    # userid-group with several privileges accepts any of them (PVE's check_any / filter_groups).
    assert parse_check(["userid-group", ["User.Modify", "Sys.Audit"]]) == AnyOf(
        (GroupPrivilege("User.Modify"), GroupPrivilege("Sys.Audit"))
    )
    assert parse_check(["userid-group", ["User.Modify"], "groups_param", "update"]) == GroupPrivilege(
        "User.Modify", "update"
    )
    # 5.x: groups_param => 1 meant what 'create' means now.
    assert parse_check(["userid-group", ["User.Modify"], "groups_param", 1]) == GroupPrivilege("User.Modify", "create")
    assert parse_check(["perm-modify", "{path}"]) == PermissionsModify("{path}")


def test_user_key_decides_before_check() -> None:
    assert parse(_block(user="all")) == ALWAYS
    assert parse(_block(user="world")) == ALWAYS and allows_anonymous(_block(user="world"))
    assert not allows_anonymous(_block(user="all"))
    assert parse(_block(user="root", check=["perm", "/", ["Sys.Audit"]])) == NEVER
    assert parse(_block(user="all", check=["perm", "/", ["Sys.Audit"]])) == ALWAYS
    assert parse(_block(description="no check at all")) == NEVER  # PVE: root@pam only
    assert parse(None) == NEVER
    assert describe(ALWAYS) == "any authenticated user" and describe(NEVER) == "root@pam only"


def test_nested_connectives_flatten_and_duplicates_go() -> None:
    # 9.1 lists VM.GuestAgent.Unrestricted twice on POST .../agent.
    agent = parse_check(["perm", "/vms/{vmid}", ["VM.GuestAgent.Unrestricted", "VM.GuestAgent.Unrestricted"], "any", 1])
    assert agent == Privilege("/vms/{vmid}", "VM.GuestAgent.Unrestricted")
    nested = parse_check(["and", ["and", ["perm", "/", ["A.X"]], ["perm", "/", ["A.Y"]]], ["perm", "/", ["A.X"]]])
    assert nested == AllOf((Privilege("/", "A.X"), Privilege("/", "A.Y")))


@pytest.mark.parametrize(
    "bad",
    [
        [],
        "perm",
        ["nand", ["perm", "/", ["A.B"]]],
        ["perm", "/"],
        ["perm", "/", []],
        ["perm", "/", ["A.B"], "any"],
        ["perm", "/", ["A.B"], "sometimes", 1],
        ["perm", "/", ["A.B"], "require_param", ""],
        ["userid-param"],
        ["userid-group"],
        ["userid-group", ["User.Modify"], "groups", 1],
        ["perm-modify"],
        ["and", ["perm", "/", [1]]],
    ],
)
def test_malformed_checks_are_refused_with_the_place(bad: Any) -> None:
    with pytest.raises(PermissionSyntaxError, match="check"):
        parse_check(bad)


def test_unknown_user_value_is_refused() -> None:
    with pytest.raises(PermissionSyntaxError, match="'user'"):
        parse(_block(user="nobody"))


# -- every form of a spec --------------------------------------------------------------------------


def assert_every_permission_block_parses(spec: Spec) -> None:
    for op in spec.operations:
        formula = parse(op.permissions)
        assert isinstance(describe(formula), str)
        if op.permissions is not None and op.permissions.user is None and op.permissions.check is not None:
            # Every privilege the model sees in 'perm' nodes is in the formula (userid-* add their own).
            assert op.permissions.privileges() <= privileges(formula), op


def test_every_embedded_permission_block_parses(embedded: Spec) -> None:
    assert_every_permission_block_parses(embedded)
    # the embedded spec's checks: single 'perm' nodes and 'and' of several
    kinds = {op.permissions.check[0] for op in embedded.operations if op.permissions and op.permissions.check}
    assert {"perm", "and"} <= kinds


def test_an_unchanged_check_on_a_vanished_privilege_loses_everyone() -> None:
    check = parse_check(["perm", "/vms/{vmid}", ["VM.Monitor"]])
    assert privileges(check) == {"VM.Monitor"}
    verdict = compare(check, check, old_privileges={"VM.Monitor", "VM.Audit"}, new_privileges={"VM.Audit"})
    assert verdict.lost == (Privilege("*", "VM.Monitor"),) and verdict.gained is None
    kept = compare(check, check, old_privileges={"VM.Monitor", "VM.Audit"}, new_privileges={"VM.Monitor"})
    assert kept.equivalent and kept.lost is None


# -- paths: grants propagate from a path to what lies below it ---------------------------------


def test_moving_a_check_below_the_path_loses_nobody_by_role_but_may_by_acl() -> None:
    old = parse_check(["perm", "/", ["SDN.Audit"]])
    deeper = parse_check(["perm", "/sdn", ["SDN.Audit"]])
    sideways = parse_check(["perm", "/sdn/zones/{zone}", ["SDN.Allocate"]])
    down = compare(old, deeper)
    assert not down.narrower and down.lost_on_paths is None  # a grant on / covers /sdn
    assert down.gained_on_paths == (Privilege("/sdn", "SDN.Audit"),)  # a grant on /sdn alone now suffices
    up = compare(deeper, old)
    assert not up.narrower and up.lost_on_paths == (Privilege("/sdn", "SDN.Audit"),)
    across = compare(parse_check(["perm", "/sdn/vnets", ["SDN.Allocate"]]), sideways)
    assert not across.narrower and across.lost_on_paths == (Privilege("/sdn/vnets", "SDN.Allocate"),)


def test_group_checks_are_covered_by_grants_on_access_groups() -> None:
    by_group = parse_check(["userid-group", ["User.Modify"]])
    on_groups = parse_check(["perm", "/access/groups", ["User.Modify"]])
    verdict = compare(by_group, on_groups)
    assert not verdict.narrower  # the same privilege, for a role
    assert verdict.lost_on_paths == (GroupPrivilege("User.Modify"),)  # a grant on one group only
    assert compare(on_groups, by_group).lost_on_paths is None  # /access/groups covers every group


# -- brute force agrees with compare, on random formulas -------------------------------------------

_PATHS = ("/", "/vms", "/vms/{vmid}", "/access/groups", "/storage/{storage}")
_PRIVS = ("VM.Audit", "VM.Allocate", "User.Modify")
_ATOMS: tuple[Atom, ...] = (
    *(Privilege(path, priv) for path in _PATHS for priv in _PRIVS),
    OwnUser(),
    ParamGiven("pool"),
    GroupPrivilege("User.Modify"),
    RealmPrivilege("VM.Allocate"),
    PermissionsModify("{path}"),
)


def _formulas() -> st.SearchStrategy[Formula]:
    leaf: st.SearchStrategy[Formula] = st.sampled_from(_ATOMS)
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3).map(lambda items: AllOf(tuple(items))),
            st.lists(inner, max_size=3).map(lambda items: AnyOf(tuple(items))),
        ),
        max_leaves=6,
    )


_MODELS = st.one_of(st.none(), st.sets(st.sampled_from(_PRIVS)))


def _covers(grant: Atom, atom: Atom) -> bool:
    """Written out independently of the module: an ACL grant on a path reaches everything below it."""
    if not isinstance(grant, Privilege) or grant == atom:
        return grant == atom
    if isinstance(atom, Privilege):
        target, wanted = atom.path, atom.privilege
    elif isinstance(atom, GroupPrivilege):
        target, wanted = "/access/groups/some-group", atom.privilege
    elif isinstance(atom, RealmPrivilege):
        target, wanted = "/access/realm/some-realm", atom.privilege
    elif isinstance(atom, PermissionsModify):
        target, wanted = atom.path, "Permissions.Modify"
    else:
        return False
    return grant.privilege == wanted and (grant.path in ("/", target) or target.startswith(grant.path + "/"))


def _holds(model: frozenset[str] | None, granted: set[Atom], *, by_role: bool) -> Callable[[Atom], bool]:
    def oracle(atom: Atom) -> bool:
        name = getattr(atom, "privilege", None)
        if model is not None and name is not None and name not in model:
            return False
        if by_role:
            return role_atom(atom) in granted
        return any(_covers(grant, atom) for grant in granted)

    return oracle


def _brute(
    old: Formula, new: Formula, old_model: frozenset[str] | None, new_model: frozenset[str] | None, *, by_role: bool
) -> tuple[int | None, int | None]:
    """Smallest number of grants that pass old and fail new (and the reverse), by enumeration."""
    pool = sorted({role_atom(a) if by_role else a for a in atoms(AllOf((old, new)))}, key=repr)
    lost: int | None = None
    gained: int | None = None
    for size in range(len(pool) + 1):
        for chosen in itertools.combinations(pool, size):
            granted = set(chosen)
            if not by_role and any(_covers(g, a) and a not in granted for g in granted for a in pool):
                continue  # an ACL state is closed under propagation
            before = evaluate(old, _holds(old_model, granted, by_role=by_role))
            after = evaluate(new, _holds(new_model, granted, by_role=by_role))
            if before and not after and lost is None:
                lost = size
            if after and not before and gained is None:
                gained = size
    return lost, gained


@settings(max_examples=300, deadline=None)
@given(old=_formulas(), new=_formulas(), old_model=_MODELS, new_model=_MODELS)
def test_compare_agrees_with_brute_force(
    old: Formula, new: Formula, old_model: set[str] | None, new_model: set[str] | None
) -> None:
    before = None if old_model is None else frozenset(old_model)
    after = None if new_model is None else frozenset(new_model)
    verdict = compare(old, new, old_privileges=before, new_privileges=after)
    for by_role, lost, gained in (
        (True, verdict.lost, verdict.gained),
        (False, verdict.lost_on_paths, verdict.gained_on_paths),
    ):
        expect_lost, expect_gained = _brute(old, new, before, after, by_role=by_role)
        assert (None if lost is None else len(lost)) == expect_lost
        assert (None if gained is None else len(gained)) == expect_gained
        if lost is not None:  # the witness really is one: it passed the old check and fails the new
            granted = set(lost)
            assert evaluate(old, _holds(before, granted, by_role=by_role))
            assert not evaluate(new, _holds(after, granted, by_role=by_role))


@settings(max_examples=200, deadline=None)
@given(formula=_formulas())
def test_parse_of_written_form_round_trips_and_evaluate_short_circuits(formula: Formula) -> None:
    # A formula is equivalent to itself, and evaluate asks only what it needs, left to right.
    assert compare(formula, formula).equivalent
    asked: list[Atom] = []

    def oracle(atom: Atom) -> bool:
        asked.append(atom)
        return False

    evaluate(formula, oracle)
    assert set(asked) <= set(atoms(formula))


@pytest.mark.fuzz
@settings(max_examples=4000, deadline=None)
@given(old=_formulas(), new=_formulas(), old_model=_MODELS, new_model=_MODELS)
def test_compare_agrees_with_brute_force_long(
    old: Formula, new: Formula, old_model: set[str] | None, new_model: set[str] | None
) -> None:
    test_compare_agrees_with_brute_force.hypothesis.inner_test(old, new, old_model, new_model)  # type: ignore[attr-defined]
