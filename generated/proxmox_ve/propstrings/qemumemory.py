"""The property-string class QemuMemory."""

from __future__ import annotations

from collections.abc import Mapping

from .._runtime.propstring import Key, PropertyString
from .._runtime.validate import P

__all__ = ["QemuMemory"]


class QemuMemory(PropertyString):
    """Property string ``key=value,...`` (Memory size; the bare number is the RAM in MiB.)

    Keys:
        current (integer; default key; required; default 512): RAM in MiB; with ballooning this is the upper limit. May be written as a bare number.
    """

    __slots__ = ("current",)
    _keys = (
        Key(
            "current",
            "current",
            P("current", "integer", minimum=16),
            default_key=True,
            required=True,
        ),
    )
    _aliases = {}

    current: int | None

    def __init__(
        self,
        *,
        current: int,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        self._init(
            {
                "current": current,
            },
            extra,
        )
