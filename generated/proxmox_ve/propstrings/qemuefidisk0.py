"""The property-string class QemuEfidisk0."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from .._runtime.propstring import Key, PropertyString
from .._runtime.validate import P

__all__ = ["QemuEfidisk0"]


class QemuEfidisk0(PropertyString):
    """Property string ``key=value,...`` (Disk holding the EFI variables (needed with bios=ovmf).)

    Short form NAME=VALUE sets file=VALUE; NAME is one of: volume.

    Keys:
        efitype (string; default "2m"): Size and layout of the EFI variable store; '4m' is needed for Secure Boot.
        file (string; default key; required; format pve-volume-id-or-qm-path): The volume behind the drive (such as 'local-lvm:vm-100-disk-0'), or STORAGE:SIZE_GiB to allocate a new one. May be written without the 'file=' key.
        format (string): Image format of the backing file.
        import-from (string; format pve-volume-id-or-absolute-path): Create the disk as a copy of this volume or absolute path (give STORAGE:0 as the file).
        ms-cert (string; default "2011"): Which generation of Microsoft UEFI certificates is enrolled (informational).
        pre-enrolled-keys (boolean; default 0): Start from an EFI store with distribution and Microsoft keys enrolled (turns Secure Boot on).
        size (string; format disk-size): Size of the disk; informational, changing it resizes nothing.
    """

    __slots__ = (
        "efitype",
        "file",
        "format",
        "import_from",
        "ms_cert",
        "pre_enrolled_keys",
        "size",
    )
    _keys = (
        Key("efitype", "efitype", P("efitype", "string", enum=("2m", "4m"))),
        Key(
            "file",
            "file",
            P("file", "string", format="pve-volume-id-or-qm-path"),
            default_key=True,
            required=True,
        ),
        Key(
            "format",
            "format",
            P("format", "string", enum=("raw", "qcow", "qed", "qcow2", "vmdk", "cloop")),
        ),
        Key(
            "import_from",
            "import-from",
            P("import-from", "string", format="pve-volume-id-or-absolute-path"),
        ),
        Key("ms_cert", "ms-cert", P("ms-cert", "string", enum=("2011", "2023", "2023w", "2023k"))),
        Key("pre_enrolled_keys", "pre-enrolled-keys", P("pre-enrolled-keys", "boolean")),
        Key("size", "size", P("size", "string", format="disk-size")),
    )
    _aliases = {"volume": ("file", None)}

    efitype: Literal["2m", "4m"] | None
    file: str | None
    format: Literal["raw", "qcow", "qed", "qcow2", "vmdk", "cloop"] | None
    import_from: str | None
    ms_cert: Literal["2011", "2023", "2023w", "2023k"] | None
    pre_enrolled_keys: bool | None
    size: str | None

    def __init__(
        self,
        *,
        file: str,
        efitype: Literal["2m", "4m"] | None = None,
        format: Literal["raw", "qcow", "qed", "qcow2", "vmdk", "cloop"] | None = None,
        import_from: str | None = None,
        ms_cert: Literal["2011", "2023", "2023w", "2023k"] | None = None,
        pre_enrolled_keys: bool | None = None,
        size: str | None = None,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        self._init(
            {
                "efitype": efitype,
                "file": file,
                "format": format,
                "import_from": import_from,
                "ms_cert": ms_cert,
                "pre_enrolled_keys": pre_enrolled_keys,
                "size": size,
            },
            extra,
        )
