"""The property-string class QemuMachine."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from .._runtime.propstring import Key, PropertyString
from .._runtime.validate import P

__all__ = ["QemuMachine"]


class QemuMachine(PropertyString):
    """Property string ``key=value,...`` (Machine type and its options.)

    Keys:
        aw-bits (number): Address width, in bits, of the virtual IOMMU.
        enable-s3 (boolean): Offer the S3 (suspend to RAM) power state to the guest.
        enable-s4 (boolean): Offer the S4 (hibernate) power state to the guest.
        type (string; default key): QEMU machine type such as 'q35' or 'pc-i440fx-9.0'. May be written as a bare value.
        viommu (string): Virtual IOMMU variant ('intel' needs a q35 machine).
    """

    __slots__ = (
        "aw_bits",
        "enable_s3",
        "enable_s4",
        "type",
        "viommu",
    )
    _keys = (
        Key("aw_bits", "aw-bits", P("aw-bits", "number", minimum=32, maximum=64)),
        Key("enable_s3", "enable-s3", P("enable-s3", "boolean")),
        Key("enable_s4", "enable-s4", P("enable-s4", "boolean")),
        Key(
            "type",
            "type",
            P(
                "type",
                "string",
                max_length=40,
                pattern="(pc|pc(-i440fx)?-\\d+(\\.\\d+)+(\\+pve\\d+)?(\\.pxe)?|q35|pc-q35-\\d+(\\.\\d+)+(\\+pve\\d+)?(\\.pxe)?|virt(?:-\\d+(\\.\\d+)+)?(\\+pve\\d+)?)",
            ),
            default_key=True,
        ),
        Key("viommu", "viommu", P("viommu", "string", enum=("intel", "virtio"))),
    )
    _aliases = {}

    aw_bits: float | None
    enable_s3: bool | None
    enable_s4: bool | None
    type: str | None
    viommu: Literal["intel", "virtio"] | None

    def __init__(
        self,
        *,
        aw_bits: float | None = None,
        enable_s3: bool | None = None,
        enable_s4: bool | None = None,
        type: str | None = None,
        viommu: Literal["intel", "virtio"] | None = None,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        self._init(
            {
                "aw_bits": aw_bits,
                "enable_s3": enable_s3,
                "enable_s4": enable_s4,
                "type": type,
                "viommu": viommu,
            },
            extra,
        )
