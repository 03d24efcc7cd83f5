"""Compare one operation present in both releases: parameters, returns, token access,
permissions and deprecation notes."""

from __future__ import annotations

import re

from ..model import Operation, Schema
from .deprecation import is_deprecated, named_replacement
from .findings import Emit, Finding
from .returns import compare_returns
from .values import compare_request_value, describe_type

__all__ = ["compare_operation", "privilege_model"]

_PRIVILEGE = re.compile(r"^[A-Z][A-Za-z]*(?:\.[A-Z][A-Za-z]*)+$")
_IMPLICIT_PATH_PARAM = Schema.of_type("string")


def compare_operation(
    old: Operation,
    new: Operation,
    renames: dict[str, str],
    emit: Emit,
    old_privileges: frozenset[str],
) -> None:
    _parameters(old, new, renames, emit)
    if _is_role_model(old) and _is_role_model(new):
        _role_model(old, new, emit)
    else:
        compare_returns(old.returns, new.returns, emit)
    _access(old, new, emit, old_privileges)
    if not is_deprecated(old.summary) and is_deprecated(new.summary):
        emit(
            Finding(
                "endpoint-deprecated",
                None,
                None,
                new.summary,
                f"the operation is now documented as deprecated: {' '.join((new.summary or '').split())}",
                related=named_replacement(new.summary),
            )
        )


def _params(op: Operation) -> dict[str, Schema]:
    """Parameters with path placeholders the schema forgot filled in as plain strings."""
    found = dict(op.parameters)
    for name in op.path_parameters:
        found.setdefault(name, _IMPLICIT_PATH_PARAM)
    return found


def _parameters(old: Operation, new: Operation, renames: dict[str, str], emit: Emit) -> None:
    before = {renames.get(name, name): schema for name, schema in _params(old).items()}
    after = _params(new)
    removed = [name for name in before if name not in after]
    added = [name for name in after if name not in before]
    links = _link_renamed(before, after, removed, added)
    for name in removed:
        target = links.get(name)
        pointer = named_replacement(before[name].description)
        if target is not None:
            emit(
                Finding(
                    "param-removed",
                    name,
                    describe_type(before[name]),
                    None,
                    f"parameter '{name}' was removed; it was renamed to '{target}'",
                    related=target,
                )
            )
        elif pointer is not None and pointer in after:
            emit(
                Finding(
                    "param-removed",
                    name,
                    describe_type(before[name]),
                    None,
                    f"parameter '{name}' was removed; its deprecation notice said to use '{pointer}' instead",
                    related=pointer,
                )
            )
        else:
            emit(Finding("param-removed", name, describe_type(before[name]), None, f"parameter '{name}' was removed"))
    linked = set(links.values())
    for name in added:
        if name in linked:
            continue
        if after[name].required:
            emit(
                Finding(
                    "param-added-required",
                    name,
                    None,
                    describe_type(after[name]),
                    f"new required parameter '{name}': existing calls lack it",
                )
            )
        else:
            emit(
                Finding(
                    "param-added-optional", name, None, describe_type(after[name]), f"new optional parameter '{name}'"
                )
            )
    for name, old_schema in before.items():
        new_schema = after.get(name)
        if new_schema is None or old_schema is _IMPLICIT_PATH_PARAM or new_schema is _IMPLICIT_PATH_PARAM:
            continue
        if old_schema.optional and new_schema.required:
            emit(Finding("param-became-required", name, False, True, f"parameter '{name}' became required"))
        elif old_schema.required and new_schema.optional:
            emit(Finding("param-became-optional", name, True, False, f"parameter '{name}' became optional"))
        compare_request_value(old_schema, new_schema, name, "param", emit)


def _link_renamed(
    before: dict[str, Schema], after: dict[str, Schema], removed: list[str], added: list[str]
) -> dict[str, str]:
    """A removed parameter and the added one that replaces it: the old deprecation notice names
    the new one, the new description names the old one, only ``-``/``_`` differ, or the schema is
    the same and one name's words contain the other's (``db_size`` -> ``db_dev_size``)."""
    links: dict[str, str] = {}
    for name in removed:
        hint = named_replacement(before[name].description)
        for candidate in added:
            if candidate in links.values():
                continue
            text = after[candidate].description or ""
            if (
                candidate == hint
                or f"'{name}'" in text
                or f"`{name}`" in text
                or candidate.replace("_", "-") == name.replace("_", "-")
                or (_same_schema(before[name], after[candidate]) and _related_names(name, candidate))
            ):
                links[name] = candidate
                break
    return links


_PROSE = ("description", "verbose_description", "typetext")


def _same_schema(a: Schema, b: Schema) -> bool:
    return {k: v for k, v in a.to_raw().items() if k not in _PROSE} == {
        k: v for k, v in b.to_raw().items() if k not in _PROSE
    }


def _related_names(a: str, b: str) -> bool:
    words_a, words_b = set(re.split(r"[-_]", a)), set(re.split(r"[-_]", b))
    return words_a <= words_b or words_b <= words_a


def _is_role_model(op: Operation) -> bool:
    """GET /access/roles/{roleid} returns one boolean per privilege: the role model itself."""
    names = list(op.returns.properties or ())
    return len(names) >= 5 and all(_PRIVILEGE.match(n) for n in names)


def privilege_model(ops: tuple[Operation, ...]) -> frozenset[str]:
    """Every privilege the release knows, read from the role model's return schema."""
    for op in ops:
        if op.method == "GET" and _is_role_model(op):
            return frozenset(op.returns.properties or ())
    return frozenset()


def _role_model(old: Operation, new: Operation, emit: Emit) -> None:
    before, after = set(old.returns.properties or ()), set(new.returns.properties or ())
    if before - after:
        gone = sorted(before - after)
        emit(
            Finding(
                "privilege-removed",
                "returns",
                gone,
                None,
                f"privileges removed from the role model: {', '.join(gone)} (roles and ACLs that grant them "
                "lose those rights; calls that needed them now need others)",
            )
        )
    if after - before:
        emit(
            Finding(
                "privilege-added",
                "returns",
                None,
                sorted(after - before),
                f"new privileges in the role model: {', '.join(sorted(after - before))}",
            )
        )


def _access(old: Operation, new: Operation, emit: Emit, old_privileges: frozenset[str]) -> None:
    if old.allowtoken is True and new.allowtoken is False:
        emit(Finding("token-access-removed", None, True, False, "API tokens may no longer make this call"))
    elif old.allowtoken is False and new.allowtoken is True:
        emit(Finding("token-access-added", None, False, True, "API tokens may now make this call"))
    old_perm, new_perm = old.permissions, new.permissions
    if old_perm is None or new_perm is None or old_perm == new_perm:
        return
    had, needs = old_perm.privileges(), new_perm.privileges()
    old_raw, new_raw = old_perm.to_raw(), new_perm.to_raw()
    if had != needs:
        added, dropped = sorted(needs - had), sorted(had - needs)
        unknown = sorted(p for p in added if old_privileges and p not in old_privileges)
        parts = []
        if added:
            parts.append(f"now needs {', '.join(added)}")
        if dropped:
            parts.append(f"no longer {', '.join(dropped)}")
        message = "permission check changed: " + "; ".join(parts)
        severity = None
        if unknown:
            # No role of the old release can hold these: every existing custom role lacks them.
            message += f" ({', '.join(unknown)} did not exist before: roles must be updated)"
            severity = "breaking"
        emit(Finding("permission-changed", None, sorted(had), sorted(needs), message, severity=severity))
    elif old_perm.check != new_perm.check or old_perm.user != new_perm.user:
        emit(
            Finding(
                "permission-changed",
                None,
                old_raw,
                new_raw,
                "permission check changed (same privileges, different rule)",
            )
        )
    else:
        emit(
            Finding(
                "permission-changed",
                None,
                old_perm.description,
                new_perm.description,
                "permission description reworded",
                severity="info",
            )
        )
