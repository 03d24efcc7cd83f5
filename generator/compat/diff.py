"""``diff(old, new)``: every change between two releases, deterministic and pure."""

from __future__ import annotations

from ..model import Operation, Spec
from .change import Change, make_change
from .findings import Finding
from .match import match_operations, resolve_hint
from .operation import compare_operation
from .permission import RoleModels

__all__ = ["diff"]


def diff(old: Spec, new: Spec) -> list[Change]:
    """All changes from ``old`` to ``new``, most severe first, then by path, method, parameter, rule."""
    matching = match_operations(old, new)
    changes: list[Change] = []
    models = RoleModels(old.privileges, new.privileges)

    for before, after, renames in matching.pairs:
        if not renames and before == after and not _lost_privileges(before, models):
            continue  # most operations do not change between releases: skip the detailed walk
        found: list[Finding] = []
        compare_operation(before, after, renames, found.append, models)
        if renames:
            shown = ", ".join(f"{{{a}}} -> {{{b}}}" for a, b in renames.items())
            found.append(
                Finding(
                    "path-placeholder-renamed",
                    None,
                    before.path,
                    after.path,
                    f"path placeholder renamed ({shown}); the URL is unchanged",
                )
            )
        changes.extend(_tie(after, f, new) for f in found)

    for gone, moved_to in matching.moved:
        changes.append(
            make_change(
                "endpoint-moved",
                gone.method,
                gone.path,
                None,
                gone.path,
                moved_to.path,
                f"{_label(gone)} moved to {moved_to.method} {moved_to.path}",
                related=f"{moved_to.method} {moved_to.path}",
            )
        )
    for gone, instead in matching.removed:
        if instead is None:
            message = f"{_label(gone)} was removed"
        else:
            message = f"{_label(gone)} was removed; use {instead.method} {instead.path} instead"
        changes.append(
            make_change(
                "endpoint-removed",
                gone.method,
                gone.path,
                None,
                gone.path,
                None,
                message,
                related=None if instead is None else f"{instead.method} {instead.path}",
            )
        )
    for fresh in matching.added:
        changes.append(
            make_change(
                "endpoint-added", fresh.method, fresh.path, None, None, fresh.path, f"new operation {_label(fresh)}"
            )
        )
    changes.sort(key=Change.sort_key)
    return changes


def _lost_privileges(op: Operation, models: RoleModels) -> bool:
    """An unchanged check can still break: a privilege it names left the role model."""
    return bool(models.vanished) and op.permissions is not None and bool(op.permissions.privileges() & models.vanished)


def _label(op: Operation) -> str:
    return f"{op.method} {op.path}" + (f" ({op.name})" if op.name else "")


def _tie(op: Operation, finding: Finding, new: Spec) -> Change:
    related = finding.related
    if finding.rule == "endpoint-deprecated":
        # A deprecation notice's pointer becomes the operation it names, or nothing (never a bare verb).
        target = resolve_hint(related, op.method, new)
        related = None if target is None else f"{target.method} {target.path}"
    return make_change(
        finding.rule,
        op.method,
        op.path,
        finding.parameter,
        finding.old,
        finding.new,
        finding.message,
        severity=finding.severity,
        related=related,
    )
