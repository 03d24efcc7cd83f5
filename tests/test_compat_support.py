"""Helpers shared by the compat tests (no tests here): cached diffs of real release pairs, change lookups."""

from __future__ import annotations

import functools

from pvegen import Spec
from pvegen.compat import Change, diff
from tests.fixtures_shared import _load, require_shared


def spec(version: str) -> Spec:
    """The shared release, loaded once per run (the same cache as the ``release`` fixture)."""
    require_shared()
    return _load(version)


@functools.cache
def changes(old: str, new: str) -> tuple[Change, ...]:
    return tuple(diff(spec(old), spec(new)))


def find(found: tuple[Change, ...], rule: str | None = None, **match: object) -> list[Change]:
    """Changes with the given rule whose attributes equal ``match`` (method=..., path=..., parameter=...)."""
    return [c for c in found if (rule is None or c.rule == rule) and all(getattr(c, k) == v for k, v in match.items())]
