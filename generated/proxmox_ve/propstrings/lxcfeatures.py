"""The property-string class LxcFeatures."""

from __future__ import annotations

from collections.abc import Mapping

from .._runtime.propstring import Key, PropertyString
from .._runtime.validate import P

__all__ = ["LxcFeatures"]


class LxcFeatures(PropertyString):
    """Property string ``key=value,...`` (Optional kernel features the container may use.)

    Keys:
        force_rw_sys (boolean; default 0): Mount /sys read-write in unprivileged containers (can break newer systemd-networkd).
        fuse (boolean; default 0): Allow FUSE file systems.
        keyctl (boolean; default 0): Allow the keyctl() system call in unprivileged containers (Docker needs it).
        mknod (boolean; default 0): Allow unprivileged containers to create some device nodes (experimental).
        mount (string): File system types the container may mount, joined by ';'.
        nesting (boolean; default 0): Allow containers inside the container (recent systemd needs it too).
    """

    __slots__ = (
        "force_rw_sys",
        "fuse",
        "keyctl",
        "mknod",
        "mount",
        "nesting",
    )
    _keys = (
        Key("force_rw_sys", "force_rw_sys", P("force_rw_sys", "boolean")),
        Key("fuse", "fuse", P("fuse", "boolean")),
        Key("keyctl", "keyctl", P("keyctl", "boolean")),
        Key("mknod", "mknod", P("mknod", "boolean")),
        Key("mount", "mount", P("mount", "string", pattern="(?^:[a-zA-Z0-9_; ]+)")),
        Key("nesting", "nesting", P("nesting", "boolean")),
    )
    _aliases = {}

    force_rw_sys: bool | None
    fuse: bool | None
    keyctl: bool | None
    mknod: bool | None
    mount: str | None
    nesting: bool | None

    def __init__(
        self,
        *,
        force_rw_sys: bool | None = None,
        fuse: bool | None = None,
        keyctl: bool | None = None,
        mknod: bool | None = None,
        mount: str | None = None,
        nesting: bool | None = None,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        self._init(
            {
                "force_rw_sys": force_rw_sys,
                "fuse": fuse,
                "keyctl": keyctl,
                "mknod": mknod,
                "mount": mount,
                "nesting": nesting,
            },
            extra,
        )
