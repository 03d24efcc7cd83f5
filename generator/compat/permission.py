"""``permission-changed``: an operation's permission check, read as logic (``pvegen.permissions``).

Severity, decided exactly (the formulas are small):
- breaking: some role that could make the call before cannot any more: its privileges pass the old
  check and fail the new one, also because a privilege it relied on left the role model or one the
  new check needs did not exist before; or the call now needs a login (``user: world`` went);
- warning: no role loses it, but an ACL granted on the old path alone no longer reaches the new one,
  or only the description says more is needed (a privilege the checks never named);
- non-breaking: it accepts more; info: only the description's wording changed; nothing when the two
  checks are equivalent (the same privilege written as a bare string and as a list).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Permissions
from ..permissions import (
    ALWAYS,
    Atom,
    Comparison,
    OwnUser,
    ParamGiven,
    PermissionsModify,
    PermissionSyntaxError,
    Privilege,
    allows_anonymous,
    compare,
    describe,
    describe_atom,
    parse,
    privileges,
)
from .findings import Emit, Finding

__all__ = ["RoleModels", "compare_permissions"]

_NAMED = re.compile(r"\b[A-Z][A-Za-z]*(?:\.[A-Z][A-Za-z]*)+\b")


@dataclass(frozen=True)
class RoleModels:
    """The privileges each release knows (None when its schema has no role model)."""

    old: frozenset[str] | None
    new: frozenset[str] | None

    @property
    def vanished(self) -> frozenset[str]:
        if self.old is None or self.new is None:
            return frozenset()
        return self.old - self.new

    def known(self, name: str) -> bool:
        models = [m for m in (self.old, self.new) if m is not None]
        return not models or any(name in m for m in models)


def compare_permissions(old: Permissions | None, new: Permissions | None, models: RoleModels, emit: Emit) -> None:
    if old is None or new is None:
        return  # a spec that does not document permissions promises nothing about them
    try:
        before, after = parse(old), parse(new)
    except PermissionSyntaxError as err:
        if old != new:
            emit(Finding("permission-changed", None, old.to_raw(), new.to_raw(), _unreadable(err), severity="warning"))
        return
    if old == new and not privileges(before) & models.vanished:
        return
    was, now = describe(before), describe(after)
    if allows_anonymous(old) and not allows_anonymous(new):
        message = f"the call now needs a login (it was open to anyone); now: {now}"
        emit(Finding("permission-changed", None, "anyone (no login)", now, message, severity="breaking"))
        return
    verdict = compare(before, after, old_privileges=models.old, new_privileges=models.new)
    found = _verdict(verdict, before == ALWAYS, after == ALWAYS, was, now, old, new, models)
    if found is not None:
        emit(found)


def _verdict(
    verdict: Comparison,
    was_open: bool,
    now_open: bool,
    was: str,
    now: str,
    old: Permissions,
    new: Permissions,
    models: RoleModels,
) -> Finding | None:
    change = f"{was} -> {now}" if was != now else f"still {now}"
    if verdict.lost is not None:
        notes = _notes(verdict.lost, new, models)
        message = f"permission check narrowed: {change}; {_who(verdict.lost)} loses the call{notes}"
        return Finding("permission-changed", None, was, now, message, severity="breaking")
    if verdict.lost_on_paths is not None:
        grant = "; ".join(describe_atom(a) for a in verdict.lost_on_paths) or "no grant"
        message = (
            f"permission check moved between ACL paths: {change}; a role granted only as {grant} no longer "
            "reaches it (grants on a parent path with propagation still do)"
        )
        return Finding("permission-changed", None, was, now, message, severity="warning")
    if now_open and not was_open and _NAMED.search(new.description or ""):
        # The schema no longer states a check, the code makes one: its ACL paths are not ours to compare.
        message = f"the check is now made by the call itself; its description says: {_clip(new.description)}"
        return Finding("permission-changed", None, was, now, message, severity="warning")
    named = _named_only_in_text(old, new, models)
    if named:
        message = f"the description now also names {', '.join(named)}: {_clip(new.description)}"
        return Finding("permission-changed", None, was, now, message, severity="warning")
    if verdict.gained is not None or verdict.gained_on_paths is not None:
        return Finding(
            "permission-changed", None, was, now, f"permission check widened: {change}", severity="non-breaking"
        )
    if (old.description or "") != (new.description or ""):
        return Finding(
            "permission-changed",
            None,
            old.description,
            new.description,
            "permission description reworded",
            severity="info",
        )
    return None  # equivalent checks written differently


def _who(witness: tuple[Atom, ...]) -> str:
    held = [a.privilege for a in witness if isinstance(a, Privilege)]
    facts = [_fact(a) for a in witness if not isinstance(a, Privilege)]
    who = f"a role with only {', '.join(held)}" if held else "a user with no privileges"
    return who + (f" ({'; '.join(facts)})" if facts else "")


def _fact(atom: Atom) -> str:
    if isinstance(atom, OwnUser):
        return "acting on its own user"
    if isinstance(atom, ParamGiven):
        return f"passing '{atom.name}'"
    if isinstance(atom, PermissionsModify):
        return f"allowed to change permissions on {atom.path}"
    return describe_atom(atom)


def _notes(witness: tuple[Atom, ...], new: Permissions, models: RoleModels) -> str:
    notes = []
    gone = sorted({a.privilege for a in witness if isinstance(a, Privilege)} & models.vanished)
    if gone:
        notes.append(f"{', '.join(gone)} {'is' if len(gone) == 1 else 'are'} gone from the role model")
    if models.old is not None:
        fresh = sorted(p for p in privileges(parse(new)) if p not in models.old)
        if fresh:
            notes.append(f"{', '.join(fresh)} did not exist before: roles must be updated")
    return f" ({'; '.join(notes)})" if notes else ""


def _named_only_in_text(old: Permissions, new: Permissions, models: RoleModels) -> list[str]:
    """Privileges the new description names that neither the old block nor the new check did."""
    before = privileges(parse(old)) | set(_NAMED.findall(old.description or ""))
    named = set(_NAMED.findall(new.description or "")) - before - privileges(parse(new))
    return sorted(n for n in named if models.known(n))


def _unreadable(err: PermissionSyntaxError) -> str:
    return f"permission check changed; it cannot be read as logic ({err})"


def _clip(text: str | None, limit: int = 160) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
