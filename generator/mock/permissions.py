"""Judging a request as PVE's check_api2_permissions does, before the call runs.

Each operation's ``permissions`` block is read once into a formula by the checker's own reader
(``pvegen.permissions``); the mock is the oracle that answers each atom of it for the caller, from the state's
users, groups, roles, ACLs and tokens (``acl.Resolver``), filling ``{param}`` in ACL paths from the request as
PVE's template_replace does. A refusal is PVE's 403 in PVE's words: ``Permission check failed (/vms/101,
VM.PowerMgmt)`` names the first privilege missing, ``(/path, A|B)`` a choice of privileges none of which is
held, ``(user != root@pam)`` a call without a permission block, which only root@pam may make (not even
root@pam's API tokens).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import Any

from .. import permissions as checks
from ..model import Operation
from .acl import ROOT, Resolver, judged_as, modify_privileges, normalize_path
from .auth import Identity
from .call import split_list
from .errors import ApiError
from .state import State

FAILED = "Permission check failed"
_PLACEHOLDER = re.compile(r"\{([^}]+)\}")


def forbidden(what: str | None = None) -> ApiError:
    """PVE's raise_perm_exc: 403, the reason phrase says what was missing."""
    return ApiError(403, f"{FAILED} ({what})" if what else FAILED)


def template_replace(template: str, params: Mapping[str, Any]) -> str:
    """PVE's template_replace: ``{name}`` becomes the request's parameter, ``-`` when it is missing or false."""
    return _PLACEHOLDER.sub(lambda m: _text(params.get(m.group(1))) or "-", template)


def _text(value: Any) -> str:
    if value is None or value == "" or str(value) == "0":
        return ""  # Perl's || treats these as false
    return str(value)


class Guard:
    """Judges every request of one spec; the formulas are read once per operation.

    An operation without a permission block is root@pam's in Proxmox's own schemas (PVE's code has no check for
    it). In our own format the block is optional, so there its absence says nothing: with ``unstated_open`` such
    an operation lets every authenticated caller in (a root-only call is written ``{"user": "root"}``)."""

    def __init__(self, unstated_open: bool = False) -> None:
        self._formulas: dict[tuple[str, str], checks.Formula] = {}
        self._lock = threading.Lock()
        self.unstated_open = unstated_open

    def formula(self, op: Operation) -> checks.Formula:
        with self._lock:
            found = self._formulas.get(op.key)
        if found is None:
            try:
                found = checks.ALWAYS if op.permissions is None and self.unstated_open else checks.parse(op.permissions)
            except checks.PermissionSyntaxError as err:
                raise ApiError(500, f"cannot judge {op.method} {op.path}: {err}") from None
            with self._lock:
                self._formulas[op.key] = found
        return found

    def required(self, formula: checks.Formula) -> frozenset[checks.Atom]:
        """The atoms every passing caller must satisfy (not under an ``or``): where PVE checks them without
        ``noerr``, so a user that does not exist is an error ("no such user"), not a refusal."""
        if isinstance(formula, checks.AllOf):
            return frozenset().union(*(self.required(item) for item in formula.items))
        if isinstance(formula, checks.AnyOf):
            # one userid-group test with several privileges reads as a choice of GroupPrivilege atoms
            choice = [i for i in formula.items if isinstance(i, checks.GroupPrivilege)]
            return frozenset(choice) if choice and len(choice) == len(formula.items) else frozenset()
        return frozenset((formula,))

    def judge(self, op: Operation, identity: Identity, params: Mapping[str, Any], state: State) -> str:
        """Raise PVE's 403 unless the caller may make this call with ``params``; return whom it was judged for
        (a user id or a full token id)."""
        authid = judged_as(state.access, identity.userid, identity.token)
        self.check(op, authid, params, state)
        return authid

    def check(self, op: Operation, authid: str, params: Mapping[str, Any], state: State) -> None:
        """Raise PVE's 403 unless ``authid`` (a user or a full token id) may make this call with ``params``."""
        if authid == ROOT:
            return  # PVE lets root@pam through before looking at the check
        formula = self.formula(op)
        if formula == checks.ALWAYS:
            return
        if formula == checks.NEVER:
            raise forbidden("user != root@pam" if op.permissions is None else None)
        with state.lock:
            oracle = Oracle(state, authid, params, self.required(formula))
            if checks.evaluate(formula, oracle):
                return
            raise forbidden(oracle.explain(formula))


class Oracle:
    """Answers the atoms of a check for one caller and one request."""

    def __init__(
        self, state: State, authid: str, params: Mapping[str, Any], required: frozenset[checks.Atom] = frozenset()
    ) -> None:
        self.state = state
        self.authid = authid
        self.params = params
        self.resolver = Resolver(state)
        self.required = required

    def __call__(self, atom: checks.Atom) -> bool:
        self.check_user_exists(atom)
        if isinstance(atom, checks.Privilege):
            return self.holds(self.path(atom.path), (atom.privilege,))
        if isinstance(atom, checks.ParamGiven):
            return self.params.get(atom.name) is not None
        if isinstance(atom, checks.OwnUser):
            userid = self.userid()
            return userid in self.state.users and userid == self.authid
        if isinstance(atom, checks.RealmPrivilege):
            return self.holds(self.realm_path(), (atom.privilege,))
        if isinstance(atom, checks.GroupPrivilege):
            return self.group_problem(atom) is None
        return self.holds(self.path(atom.path), modify_privileges(self.path(atom.path) or ""))

    def check_user_exists(self, atom: checks.Atom) -> None:
        """``userid-param self`` and ``userid-group`` (but for a user being created) look the user up first; where
        the atom must hold, PVE does so without ``noerr``: a missing user is its 500, not a refusal."""
        looks_up = isinstance(atom, checks.OwnUser) or (
            isinstance(atom, checks.GroupPrivilege) and atom.mode != "create"
        )
        if looks_up and atom in self.required and self.userid() not in self.state.users:
            raise ApiError(500, f"no such user ('{self.userid()}')")

    # -- the facts atoms are decided on ----------------------------------------------------------
    def holds(self, path: str | None, any_of: tuple[str, ...]) -> bool:
        if path is None:
            return False
        held = self.resolver.privileges(self.authid, path)
        return any(priv in held for priv in any_of)

    def path(self, template: str) -> str | None:
        return normalize_path(template_replace(template, self.params))

    def userid(self) -> str:
        return str(self.params.get("userid") or "")

    def realm_path(self) -> str:
        return f"/access/realm/{self.userid().rpartition('@')[2]}"

    def group_problem(self, atom: checks.GroupPrivilege) -> str | None:
        """Why ``userid-group`` fails for this privilege (PVE's wording; "" when PVE says nothing), or None."""
        privilege, mode = atom.privilege, atom.mode
        userid = self.userid()
        existing_user = mode != "create"
        if existing_user and userid not in self.state.users:
            return ""
        if self.holds("/access/groups", (privilege,)):
            return None  # on every group, so on every user
        allowed = {g for g in self.state.groups if self.holds(f"/access/groups/{g}", (privilege,))}
        if mode is not None:
            named = split_list(self.params.get("groups"))
            if not named:
                return f"/access/groups, {privilege}"
            for group in named:
                if group not in allowed:
                    return f"/access/groups/{group}, {privilege}"
        if existing_user and not any(userid in self.state.groups[g].get("members", ()) for g in allowed):
            return ""
        return None

    # -- PVE's wording of a refusal ----------------------------------------------------------------
    def explain(self, formula: checks.Formula) -> str | None:
        """What PVE's message names for the first part of ``formula`` that fails (None: nothing named)."""
        if isinstance(formula, checks.AllOf):
            for item in formula.items:
                if not checks.evaluate(item, self):
                    return self.explain(item)
            return None
        if isinstance(formula, checks.AnyOf):
            return self._explain_choice(formula.items)
        return self._explain_atom(formula)

    def _explain_choice(self, items: tuple[checks.Formula, ...]) -> str | None:
        # one 'perm ... any' (privileges on one path) or one multi-privilege userid-group names its list;
        # an 'or' of different tests says nothing more, as PVE's does
        if all(isinstance(i, checks.Privilege) for i in items):
            paths = {i.path for i in items if isinstance(i, checks.Privilege)}
            if len(paths) == 1:
                names = "|".join(i.privilege for i in items if isinstance(i, checks.Privilege))
                return f"{self.path(paths.pop()) or ''}, {names}"
        if items and all(isinstance(i, checks.GroupPrivilege) for i in items):
            first = self._explain_atom(items[0])
            names = "|".join(i.privilege for i in items if isinstance(i, checks.GroupPrivilege))
            return first.rsplit(", ", 1)[0] + f", {names}" if first else None
        return None

    def _explain_atom(self, atom: checks.Formula) -> str | None:
        if isinstance(atom, checks.Privilege):
            return f"{self.path(atom.path) or ''}, {atom.privilege}"
        if isinstance(atom, checks.RealmPrivilege):
            return f"{self.realm_path()}, {atom.privilege}"
        if isinstance(atom, checks.PermissionsModify):
            path = self.path(atom.path) or ""
            return f"{path}, {'|'.join(modify_privileges(path))}"
        if isinstance(atom, checks.GroupPrivilege):
            return self.group_problem(atom) or None
        return None
