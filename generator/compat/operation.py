"""Compare one operation present in both releases: parameters, returns, token access,
permissions and deprecation notes."""

from __future__ import annotations

import re

from ..model import Operation, Schema
from .deprecation import deprecation_notice, is_deprecated, named_replacement
from .findings import Emit, Finding
from .permission import RoleModels, compare_permissions
from .returns import compare_returns
from .values import compare_request_value, describe_type
from .variants import is_required, required_where

__all__ = ["compare_operation"]

_IMPLICIT_PATH_PARAM = Schema.of_type("string")


def compare_operation(
    old: Operation,
    new: Operation,
    renames: dict[str, str],
    emit: Emit,
    models: RoleModels,
) -> None:
    _parameters(old, new, renames, emit)
    if old.is_role_read and new.is_role_read:
        _role_model(old, new, emit)
    else:
        compare_returns(old.returns, new.returns, emit)
    _access(old, new, emit)
    compare_permissions(old.permissions, new.permissions, models, emit)
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
    if not renames and old.open == new.open and old.parameters == new.parameters:
        return  # the operation changed elsewhere (returns, permissions, summary)
    before = {renames.get(name, name): schema for name, schema in _params(old).items()}
    after = _params(new)
    removed = [name for name in before if name not in after]
    added = [name for name in after if name not in before]
    links = _link_renamed(before, after, removed, added)
    for name in removed:
        emit(_removed(name, before[name], links.get(name), after))
    linked = set(links.values())
    for name in added:
        if name in linked:
            continue
        if is_required(after[name]):
            where = required_where(after[name])
            when = f" when {where}" if where else ""
            emit(
                Finding(
                    "param-added-required",
                    name,
                    None,
                    describe_type(after[name]),
                    f"new required parameter '{name}'{when}: existing calls lack it",
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
        if old_schema == new_schema:
            continue
        was, now = is_required(old_schema), is_required(new_schema)
        if now and not was:
            where = required_where(new_schema)
            # A oneOf may require a value for some types only: say which, and that a variant does it.
            why = f" when {where} (its oneOf variant for that type requires it)" if where else ""
            emit(Finding("param-became-required", name, False, True, f"parameter '{name}' became required{why}"))
        elif was and not now:
            emit(Finding("param-became-optional", name, True, False, f"parameter '{name}' became optional"))
        compare_request_value(old_schema, new_schema, name, "param", emit)
    if old.open and not new.open:
        message = "the call no longer accepts parameters beyond those listed"
        emit(Finding("param-extra-rejected", None, True, False, message))
    elif new.open and not old.open:
        emit(Finding("param-extra-accepted", None, False, True, "the call now accepts parameters beyond those listed"))


def _removed(name: str, schema: Schema, target: str | None, after: dict[str, Schema]) -> Finding:
    """A removed parameter; one that was deprecated names what its notice said to use instead."""
    kind = describe_type(schema)
    if target is not None:
        message = f"parameter '{name}' was removed; it was renamed to '{target}'"
        return Finding("param-removed", name, kind, None, message, related=target)
    pointer = named_replacement(schema.description)
    if pointer is not None and pointer in after:
        message = f"parameter '{name}' was removed; its deprecation notice said to use '{pointer}' instead"
        return Finding("param-removed", name, kind, None, message, related=pointer)
    notice = deprecation_notice(schema.description) if is_deprecated(schema.description) else None
    if notice is not None:
        message = f"parameter '{name}' was removed; it was deprecated: \"{notice}\""
        return Finding("param-removed", name, kind, None, message)
    return Finding("param-removed", name, kind, None, f"parameter '{name}' was removed")


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


def _access(old: Operation, new: Operation, emit: Emit) -> None:
    if old.allowtoken is True and new.allowtoken is False:
        emit(Finding("token-access-removed", None, True, False, "API tokens may no longer make this call"))
    elif old.allowtoken is False and new.allowtoken is True:
        emit(Finding("token-access-added", None, False, True, "API tokens may now make this call"))
