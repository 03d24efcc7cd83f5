"""The property-string class QemuVga."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from .._runtime.propstring import Key, PropertyString
from .._runtime.validate import P

__all__ = ["QemuVga"]


class QemuVga(PropertyString):
    """Property string ``key=value,...`` (Display adapter.)

    Keys:
        clipboard (string): Clipboard sharing ('vnc').
        memory (integer): Video memory in MiB.
        type (string; default key; default "std"): Display adapter. May be written as a bare value.
    """

    __slots__ = (
        "clipboard",
        "memory",
        "type",
    )
    _keys = (
        Key("clipboard", "clipboard", P("clipboard", "string", enum=("vnc",))),
        Key("memory", "memory", P("memory", "integer", minimum=4, maximum=512)),
        Key(
            "type",
            "type",
            P(
                "type",
                "string",
                enum=(
                    "cirrus",
                    "qxl",
                    "qxl2",
                    "qxl3",
                    "qxl4",
                    "none",
                    "serial0",
                    "serial1",
                    "serial2",
                    "serial3",
                    "std",
                    "virtio",
                    "virtio-gl",
                    "vmware",
                ),
            ),
            default_key=True,
        ),
    )
    _aliases = {}

    clipboard: Literal["vnc"] | None
    memory: int | None
    type: (
        Literal[
            "cirrus",
            "qxl",
            "qxl2",
            "qxl3",
            "qxl4",
            "none",
            "serial0",
            "serial1",
            "serial2",
            "serial3",
            "std",
            "virtio",
            "virtio-gl",
            "vmware",
        ]
        | None
    )

    def __init__(
        self,
        *,
        clipboard: Literal["vnc"] | None = None,
        memory: int | None = None,
        type: (
            Literal[
                "cirrus",
                "qxl",
                "qxl2",
                "qxl3",
                "qxl4",
                "none",
                "serial0",
                "serial1",
                "serial2",
                "serial3",
                "std",
                "virtio",
                "virtio-gl",
                "vmware",
            ]
            | None
        ) = None,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        self._init(
            {
                "clipboard": clipboard,
                "memory": memory,
                "type": type,
            },
            extra,
        )
