"""Fold identical findings for reports people read: the same change to the same key of every disk bus
(``ide[n].cyls``, ``sata[n].cyls``, ...) or to several keys of one property string is one line naming
the set (``{ide,sata,scsi,virtio}[n].{cyls,heads,secs,trans}``). JSON never folds.

Two findings fold when rule, severity, operation and message agree once the parameter's own names
are taken out: first across the head of the parameter (the bus: ``ide[n]`` of ``ide[n].cyls``),
then across its last key (``cyls``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .change import Change, Use

__all__ = ["Group", "fold"]

_WHOLE, _HEAD, _TAIL = "\x00P", "\x00H", "\x00T"


@dataclass(frozen=True)
class Group:
    """One line of a report: one change, or several that differ only in the names of a parameter."""

    changes: tuple[Change, ...]
    heads: tuple[str, ...]  # the parameter's heads (one entry when not folded across them)
    tails: tuple[str, ...]  # its last keys ("" when it has no dotted key)
    template: str  # the message with the parameter's names taken out

    @property
    def first(self) -> Change:
        return self.changes[0]

    @property
    def parameter(self) -> str | None:
        if self.first.parameter is None:
            return None
        head = _set(self.heads)
        return head if self.tails == ("",) else f"{head}.{_set(self.tails)}"

    @property
    def message(self) -> str:
        if len(self.changes) == 1:
            return self.first.message
        text = self.template.replace(_WHOLE, self.parameter or "")
        return text.replace(_HEAD, _set(self.heads)).replace(_TAIL, _set(self.tails))

    @property
    def uses(self) -> tuple[Use, ...]:
        seen: dict[tuple[str, int, int, str], Use] = {}
        for change in self.changes:
            for use in change.uses:
                seen.setdefault((use.file, use.line, use.column, use.call), use)
        return tuple(sorted(seen.values(), key=lambda u: (u.file, u.line, u.column)))


def _set(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0]
    # "{ide,sata,scsi}[n]" when every name shares the index suffix, else "{efidisk0,ide[n]}".
    if all(n.endswith("[n]") for n in names):
        return "{" + ",".join(n[:-3] for n in names) + "}[n]"
    return "{" + ",".join(names) + "}"


def _split(parameter: str) -> tuple[str, str]:
    """``scsi[n].format`` -> (``scsi[n]``, ``format``); ``memory`` -> (``memory``, "")."""
    head, _, tail = parameter.partition(".")
    return head, tail


def _template(change: Change) -> tuple[str, str, str]:
    parameter = change.parameter or ""
    head, tail = _split(parameter)
    text = change.message
    if parameter:
        text = text.replace(parameter, _WHOLE)
        if tail:
            text = text.replace(f"'{tail}'", f"'{_TAIL}'").replace(f" of {head}", f" of {_HEAD}")
    return head, tail, text


def fold(changes: Iterable[Change]) -> list[Group]:
    """Groups in the order of their first change."""
    singles = []
    for change in changes:
        head, tail, template = _template(change)
        singles.append(Group((change,), (head,), (tail,), template))
    return _merge(_merge(singles, across="heads"), across="tails")


def _merge(groups: list[Group], *, across: str) -> list[Group]:
    merged: dict[tuple[object, ...], list[Group]] = {}
    for group in groups:
        change = group.first
        if change.parameter is None or "." not in change.parameter:
            key: tuple[object, ...] = ("single", id(group))
        else:
            fixed = group.tails if across == "heads" else group.heads
            key = (change.rule, change.severity, change.method, change.path, fixed, group.template)
        merged.setdefault(key, []).append(group)
    out = []
    for members in merged.values():
        if len(members) == 1:
            out.append(members[0])
            continue
        names = [n for g in members for n in (g.heads if across == "heads" else g.tails)]
        unique = tuple(dict.fromkeys(names))
        first = members[0]
        out.append(
            Group(
                tuple(c for g in members for c in g.changes),
                unique if across == "heads" else first.heads,
                first.tails if across == "heads" else unique,
                first.template,
            )
        )
    order = {id(c): i for i, c in enumerate(c for g in groups for c in g.changes)}
    return sorted(out, key=lambda g: order[id(g.first)])
