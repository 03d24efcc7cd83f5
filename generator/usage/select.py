"""``compat --usage``: keep the changes the user's calls touch, each with the places that make them.

Which call touches which change (resolved against both releases, so a call the other release lacks
still counts):
- the operation itself (endpoint, path, return, token, permission changes): every call of it;
- a parameter change: a call passing that parameter (for a key of a property string, a literal value
  must name that key: ``scsi0="local-lvm:32"`` does not touch ``scsi[n].heads``); a parameter that became
  required: every call (it lacks it, or passes it already, either way the break is about these calls); a changed or new
  default: a call NOT passing it (omitting it is what now behaves differently);
- a call whose parameters the scan cannot fully see (``**kwargs`` from elsewhere) touches every
  parameter change of its operation as "may hit", and so does a call whose method the code does not show;
- a privilege gone from (or new in) the role model: calls whose operation's permission check names it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..compat.change import Change, Use
from ..compat.report import Report, UsageScope
from ..mock.validate import parse_property_string
from ..model import Operation, Spec
from .calls import Call
from .resolve import PathIndex

__all__ = ["filter_report", "touched_by"]

_ALWAYS_PARAMETER_RULES = frozenset({"param-added-required", "param-became-required"})


@dataclass(frozen=True, slots=True)
class _Reach:
    """One call reaching one operation (in either release)."""

    call: Call
    may_hit_method: bool
    passed: frozenset[str]  # top-level wire names the call passes (``net[n]`` for net0)
    subkeys: dict[str, frozenset[str] | None]  # keys its literal property strings name (None: not literal)
    complete: bool
    privileges: frozenset[str]


def touched_by(calls: Sequence[Call], old: Spec, new: Spec, changes: Sequence[Change]) -> list[Change]:
    """The changes at least one call touches, each with its ``uses`` (others dropped), in order."""
    return _touched(_reaches(calls, (PathIndex(old), PathIndex(new))), changes)


def _touched(reaches: dict[tuple[str, str], list[_Reach]], changes: Sequence[Change]) -> list[Change]:
    by_privilege: dict[str, list[_Reach]] = {}
    for found in reaches.values():
        for reach in found:
            for privilege in reach.privileges:
                by_privilege.setdefault(privilege, []).append(reach)
    kept = []
    for change in changes:
        uses = _uses(change, reaches.get((change.method, change.path), []), by_privilege)
        if uses:
            kept.append(dataclasses.replace(change, uses=uses))
    return kept


def filter_report(report: Report, calls: Sequence[Call], old: Spec, new: Spec, sources: Sequence[str]) -> Report:
    """The report narrowed to ``calls``; its one-line "what else changed" keeps the unfiltered counts."""
    reaches = _reaches(calls, (PathIndex(old), PathIndex(new)))
    changes = _touched(reaches, report.changes)
    ignored_changes = _touched(reaches, [change for change, _ in report.ignored])
    reasons = {change.fingerprint: reason for change, reason in report.ignored}
    ignored = [(change, reasons[change.fingerprint]) for change in ignored_changes]
    scope = UsageScope(tuple(sources), len(calls), report.summary())
    return dataclasses.replace(report, changes=changes, ignored=ignored, usage=scope)


def _reaches(calls: Sequence[Call], indexes: Sequence[PathIndex]) -> dict[tuple[str, str], list[_Reach]]:
    reaches: dict[tuple[str, str], list[_Reach]] = {}
    privileges_of: dict[tuple[str, str], frozenset[str]] = {}
    for call in calls:
        resolved = [(index, hit) for index in indexes for hit in index.resolve(call).hits]
        if not resolved:
            continue
        # Names recognised by either release: a parameter 9.1 removed is still "passed" for 8.4 -> 9.1.
        passed: set[str] = set()
        subkeys: dict[str, frozenset[str] | None] = {}
        for index, hit in resolved:
            passed.update(index.families(hit.op, call.params))
            _collect_subkeys(index, hit.op, call.params, subkeys)
        seen: set[tuple[str, str, bool]] = set()
        for _, hit in resolved:
            key = (*hit.op.key, hit.may_hit)
            if key in seen:
                continue
            seen.add(key)
            privileges = privileges_of.get(hit.op.key)
            if privileges is None:
                permissions = hit.op.permissions
                privileges = permissions.privileges() if permissions is not None else frozenset()
                privileges_of[hit.op.key] = privileges
            reach = _Reach(call, hit.may_hit, frozenset(passed), subkeys, call.params_complete, privileges)
            reaches.setdefault(hit.op.key, []).append(reach)
    return reaches


def _collect_subkeys(
    index: PathIndex, op: Operation, params: dict[str, Any], into: dict[str, frozenset[str] | None]
) -> None:
    """The property-string keys each passed parameter's literal value names (None once any is not literal)."""
    for name, value in params.items():
        wire = index.wire_name(op, name)
        if wire is None or value is None:
            continue
        schema = op.parameters[wire]
        properties = schema.format_properties
        if properties is None:
            continue
        try:
            keys = frozenset(parse_property_string(properties, value)) if isinstance(value, str) else None
        except ValueError:
            keys = None  # a key this release does not know: the other release may
        if keys is not None:
            into[wire] = (into.get(wire) or frozenset()) | keys
        else:
            into.setdefault(wire, None)


def _uses(change: Change, reaches: list[_Reach], by_privilege: dict[str, list[_Reach]]) -> tuple[Use, ...]:
    found: dict[tuple[str, int, int], bool] = {}
    if change.rule.startswith("privilege-"):
        names = [*(change.old or ()), *(change.new or ())]
        candidates = [*reaches, *(reach for name in names for reach in by_privilege.get(str(name), ()))]
        for reach in candidates:
            _add(found, reach, reach.may_hit_method)
        return _as_uses(found, candidates)
    for reach in reaches:
        verdict = _touches(change, reach)
        if verdict is not None:
            _add(found, reach, verdict or reach.may_hit_method)
    return _as_uses(found, reaches)


def _touches(change: Change, reach: _Reach) -> bool | None:
    """None: not touched; False: touched for certain; True: may be touched."""
    if not change.rule.startswith("param-") or change.parameter is None:
        return False
    if change.rule in _ALWAYS_PARAMETER_RULES:
        return False
    top, _, subkey = change.parameter.partition(".")
    passed = top in reach.passed
    if change.rule.startswith("param-default-"):
        if passed:
            return None
        return not reach.complete
    if not passed:
        return None if reach.complete else True
    if not change.rule.startswith("param-subkey-") or not subkey:
        return False
    # A key inside the property string the call passes: literal values tell which keys it names.
    named = reach.subkeys.get(top)
    if named is None:
        return True
    key = subkey.split(".", 1)[0]
    if change.rule in ("param-subkey-added-required", "param-subkey-became-required"):
        return False
    if change.rule.startswith("param-subkey-default-"):
        return None if key in named else False
    return False if key in named else None


def _add(found: dict[tuple[str, int, int], bool], reach: _Reach, may_hit: bool) -> None:
    key = (reach.call.file, reach.call.line, reach.call.column)
    found[key] = found.get(key, True) and may_hit  # certain once any reach is certain


def _as_uses(found: dict[tuple[str, int, int], bool], reaches: list[_Reach]) -> tuple[Use, ...]:
    texts = {(r.call.file, r.call.line, r.call.column): r.call.text for r in reaches}
    return tuple(Use(*key, texts[key], may_hit) for key, may_hit in sorted(found.items()))
