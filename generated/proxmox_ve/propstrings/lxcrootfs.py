"""The property-string class LxcRootfs."""

from __future__ import annotations

from collections.abc import Mapping

from .._runtime.propstring import Key, PropertyString
from .._runtime.validate import P

__all__ = ["LxcRootfs"]


class LxcRootfs(PropertyString):
    """Property string ``key=value,...`` (Root file system, e.g. 'local-lvm:8' for a new 8 GiB volume.)

    Keys:
        acl (boolean): Turn POSIX ACL support on or off explicitly.
        idmap (string): Own UID/GID mapping between container and volume: 'passthrough', or u/g:CT:HOST:COUNT entries joined by ';'.
        mountoptions (string): Extra mount flags joined by ';' (noatime, nodev, ...).
        quota (boolean): Enable user quotas inside the container (not on ZFS subvolumes).
        replicate (boolean; default 1): Include the volume in storage replication jobs.
        ro (boolean): Mount read-only.
        shared (boolean; default 0): Mark a bind mount (not a volume) as present on every node.
        size (string; format disk-size): Size of the volume (reported; setting it resizes nothing).
        volume (string; default key; required; format pve-lxc-mp-string): Volume, device or host directory to mount, or STORAGE:SIZE_GiB to allocate a new volume. May be written without the 'volume=' key.
    """

    __slots__ = (
        "acl",
        "idmap",
        "mountoptions",
        "quota",
        "replicate",
        "ro",
        "shared",
        "size",
        "volume",
    )
    _keys = (
        Key("acl", "acl", P("acl", "boolean")),
        Key(
            "idmap",
            "idmap",
            P(
                "idmap",
                "string",
                pattern="(?^:^(?:passthrough|[ug]:[0-9]+:[0-9]+:[1-9][0-9]*(?:;[ug]:[0-9]+:[0-9]+:[1-9][0-9]*)*)$)",
            ),
        ),
        Key(
            "mountoptions",
            "mountoptions",
            P(
                "mountoptions",
                "string",
                pattern="(?^:(?^:(discard|lazytime|noatime|nodev|noexec|nosuid))(;(?^:(discard|lazytime|noatime|nodev|noexec|nosuid)))*)",
            ),
        ),
        Key("quota", "quota", P("quota", "boolean")),
        Key("replicate", "replicate", P("replicate", "boolean")),
        Key("ro", "ro", P("ro", "boolean")),
        Key("shared", "shared", P("shared", "boolean")),
        Key("size", "size", P("size", "string", format="disk-size")),
        Key(
            "volume",
            "volume",
            P("volume", "string", format="pve-lxc-mp-string"),
            default_key=True,
            required=True,
        ),
    )
    _aliases = {}

    acl: bool | None
    idmap: str | None
    mountoptions: str | None
    quota: bool | None
    replicate: bool | None
    ro: bool | None
    shared: bool | None
    size: str | None
    volume: str | None

    def __init__(
        self,
        *,
        volume: str,
        acl: bool | None = None,
        idmap: str | None = None,
        mountoptions: str | None = None,
        quota: bool | None = None,
        replicate: bool | None = None,
        ro: bool | None = None,
        shared: bool | None = None,
        size: str | None = None,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        self._init(
            {
                "acl": acl,
                "idmap": idmap,
                "mountoptions": mountoptions,
                "quota": quota,
                "replicate": replicate,
                "ro": ro,
                "shared": shared,
                "size": size,
                "volume": volume,
            },
            extra,
        )
