"""The property-string class QemuAgent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from .._runtime.propstring import Key, PropertyString
from .._runtime.validate import P

__all__ = ["QemuAgent"]


class QemuAgent(PropertyString):
    """Property string ``key=value,...`` (QEMU guest agent settings; the bare value turns it on (1) or off (0).)

    Short form NAME=VALUE sets freeze-fs=VALUE; NAME is one of: freeze-fs-on-backup, guest-fsfreeze.

    Keys:
        enabled (boolean; default key; required; default 0): Talk to the QEMU guest agent inside the VM. May be written as a bare 0 or 1.
        freeze-fs (boolean; default 1): Freeze guest file systems through the agent for snapshots, backups and clones.
        fstrim_cloned_disks (boolean; default 0): Run fstrim in the guest after a disk move or a migration.
        type (string; default "virtio"): Device the agent talks over.
    """

    __slots__ = (
        "enabled",
        "freeze_fs",
        "fstrim_cloned_disks",
        "type",
    )
    _keys = (
        Key("enabled", "enabled", P("enabled", "boolean"), default_key=True, required=True),
        Key("freeze_fs", "freeze-fs", P("freeze-fs", "boolean")),
        Key("fstrim_cloned_disks", "fstrim_cloned_disks", P("fstrim_cloned_disks", "boolean")),
        Key("type", "type", P("type", "string", enum=("virtio", "isa"))),
    )
    _aliases = {"freeze-fs-on-backup": ("freeze-fs", None), "guest-fsfreeze": ("freeze-fs", None)}

    enabled: bool | None
    freeze_fs: bool | None
    fstrim_cloned_disks: bool | None
    type: Literal["virtio", "isa"] | None

    def __init__(
        self,
        *,
        enabled: bool,
        freeze_fs: bool | None = None,
        fstrim_cloned_disks: bool | None = None,
        type: Literal["virtio", "isa"] | None = None,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        self._init(
            {
                "enabled": enabled,
                "freeze_fs": freeze_fs,
                "fstrim_cloned_disks": fstrim_cloned_disks,
                "type": type,
            },
            extra,
        )
