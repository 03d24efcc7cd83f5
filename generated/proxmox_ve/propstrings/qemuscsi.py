"""The property-string class QemuScsi."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from .._runtime.propstring import Key, PropertyString
from .._runtime.validate import P

__all__ = ["QemuScsi"]


class QemuScsi(PropertyString):
    """Property string ``key=value,...`` (SCSI disk or CD-ROM number n (scsi0, scsi1, ...).)

    Short form NAME=VALUE sets bps_rd_max_length=VALUE; NAME is one of: bps_rd_length.
    Short form NAME=VALUE sets bps_wr_max_length=VALUE; NAME is one of: bps_wr_length.
    Short form NAME=VALUE sets iops_rd_max_length=VALUE; NAME is one of: iops_rd_length.
    Short form NAME=VALUE sets iops_wr_max_length=VALUE; NAME is one of: iops_wr_length.
    Short form NAME=VALUE sets file=VALUE; NAME is one of: volume.

    Keys:
        aio (string): How QEMU performs asynchronous I/O for this drive.
        backup (boolean): Include this drive in backups.
        bps (integer): Throughput cap for reads and writes together, in bytes per second.
        bps_max_length (integer): How long, in seconds, a burst above the throughput cap may last.
        bps_rd (integer): Read throughput cap in bytes per second.
        bps_rd_max_length (integer): How long, in seconds, a read burst may last.
        bps_wr (integer): Write throughput cap in bytes per second.
        bps_wr_max_length (integer): How long, in seconds, a write burst may last.
        cache (string): Host page-cache mode for the drive.
        detect_zeroes (boolean): Let QEMU recognise writes of zeroes and optimise them.
        discard (string): Pass TRIM/discard requests from the guest on to the storage ('on') or drop them ('ignore').
        file (string; default key; required; format pve-volume-id-or-qm-path): The volume behind the drive (such as 'local-lvm:vm-100-disk-0'), or STORAGE:SIZE_GiB to allocate a new one. May be written without the 'file=' key.
        format (string): Image format of the backing file.
        import-from (string; format pve-volume-id-or-absolute-path): Create the disk as a copy of this volume or absolute path (give STORAGE:0 as the file).
        iops (integer): Cap on read and write operations per second together.
        iops_max (integer): Burst pool for reads and writes, in operations per second.
        iops_max_length (integer): How long, in seconds, an I/O burst may last.
        iops_rd (integer): Cap on read operations per second.
        iops_rd_max (integer): Burst pool for reads, in operations per second.
        iops_rd_max_length (integer): How long, in seconds, a read I/O burst may last.
        iops_wr (integer): Cap on write operations per second.
        iops_wr_max (integer): Burst pool for writes, in operations per second.
        iops_wr_max_length (integer): How long, in seconds, a write I/O burst may last.
        iothread (boolean): Run this drive's I/O in a thread of its own.
        mbps (number): Throughput cap for reads and writes together, in MB/s.
        mbps_max (number): Burst pool for reads and writes, in MB/s.
        mbps_rd (number): Read throughput cap in MB/s.
        mbps_rd_max (number): Burst pool for reads, in MB/s.
        mbps_wr (number): Write throughput cap in MB/s.
        mbps_wr_max (number): Burst pool for writes, in MB/s.
        media (string; default "disk"): Whether the guest sees a hard disk or a CD/DVD drive.
        product (string): Product name shown to the guest (at most 16 bytes).
        queues (integer): Number of I/O queues.
        replicate (boolean; default 1): Include the drive in storage replication jobs.
        rerror (string): What happens when a read fails.
        ro (boolean): Attach the drive read-only.
        scsiblock (boolean; default 0): Pass a host block device through with scsi-block (may cause I/O errors when host memory is short).
        serial (string; format urlencoded): Serial number shown to the guest (URL-encoded).
        shared (boolean; default 0): Declare a locally managed volume as reachable from every node.
        size (string; format disk-size): Size of the disk; informational, changing it resizes nothing.
        snapshot (boolean): Throw away every write to the drive when the VM shuts down (QEMU snapshot mode).
        ssd (boolean): Present the drive as an SSD rather than a spinning disk.
        vendor (string): Vendor name shown to the guest (at most 8 bytes).
        werror (string): What happens when a write fails.
        wwn (string): World wide name of the drive: '0x' and 16 hex digits.
    """

    __slots__ = (
        "aio",
        "backup",
        "bps",
        "bps_max_length",
        "bps_rd",
        "bps_rd_max_length",
        "bps_wr",
        "bps_wr_max_length",
        "cache",
        "detect_zeroes",
        "discard",
        "file",
        "format",
        "import_from",
        "iops",
        "iops_max",
        "iops_max_length",
        "iops_rd",
        "iops_rd_max",
        "iops_rd_max_length",
        "iops_wr",
        "iops_wr_max",
        "iops_wr_max_length",
        "iothread",
        "mbps",
        "mbps_max",
        "mbps_rd",
        "mbps_rd_max",
        "mbps_wr",
        "mbps_wr_max",
        "media",
        "product",
        "queues",
        "replicate",
        "rerror",
        "ro",
        "scsiblock",
        "serial",
        "shared",
        "size",
        "snapshot",
        "ssd",
        "vendor",
        "werror",
        "wwn",
    )
    _keys = (
        Key("aio", "aio", P("aio", "string", enum=("native", "threads", "io_uring"))),
        Key("backup", "backup", P("backup", "boolean")),
        Key("bps", "bps", P("bps", "integer")),
        Key("bps_max_length", "bps_max_length", P("bps_max_length", "integer", minimum=1)),
        Key("bps_rd", "bps_rd", P("bps_rd", "integer")),
        Key("bps_rd_max_length", "bps_rd_max_length", P("bps_rd_max_length", "integer", minimum=1)),
        Key("bps_wr", "bps_wr", P("bps_wr", "integer")),
        Key("bps_wr_max_length", "bps_wr_max_length", P("bps_wr_max_length", "integer", minimum=1)),
        Key(
            "cache",
            "cache",
            P(
                "cache",
                "string",
                enum=("none", "writethrough", "writeback", "unsafe", "directsync"),
            ),
        ),
        Key("detect_zeroes", "detect_zeroes", P("detect_zeroes", "boolean")),
        Key("discard", "discard", P("discard", "string", enum=("ignore", "on"))),
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
        Key("iops", "iops", P("iops", "integer")),
        Key("iops_max", "iops_max", P("iops_max", "integer")),
        Key("iops_max_length", "iops_max_length", P("iops_max_length", "integer", minimum=1)),
        Key("iops_rd", "iops_rd", P("iops_rd", "integer")),
        Key("iops_rd_max", "iops_rd_max", P("iops_rd_max", "integer")),
        Key(
            "iops_rd_max_length",
            "iops_rd_max_length",
            P("iops_rd_max_length", "integer", minimum=1),
        ),
        Key("iops_wr", "iops_wr", P("iops_wr", "integer")),
        Key("iops_wr_max", "iops_wr_max", P("iops_wr_max", "integer")),
        Key(
            "iops_wr_max_length",
            "iops_wr_max_length",
            P("iops_wr_max_length", "integer", minimum=1),
        ),
        Key("iothread", "iothread", P("iothread", "boolean")),
        Key("mbps", "mbps", P("mbps", "number")),
        Key("mbps_max", "mbps_max", P("mbps_max", "number")),
        Key("mbps_rd", "mbps_rd", P("mbps_rd", "number")),
        Key("mbps_rd_max", "mbps_rd_max", P("mbps_rd_max", "number")),
        Key("mbps_wr", "mbps_wr", P("mbps_wr", "number")),
        Key("mbps_wr_max", "mbps_wr_max", P("mbps_wr_max", "number")),
        Key("media", "media", P("media", "string", enum=("cdrom", "disk"))),
        Key("product", "product", P("product", "string", pattern="[A-Za-z0-9\\-_\\s]{,16}")),
        Key("queues", "queues", P("queues", "integer", minimum=2)),
        Key("replicate", "replicate", P("replicate", "boolean")),
        Key("rerror", "rerror", P("rerror", "string", enum=("ignore", "report", "stop"))),
        Key("ro", "ro", P("ro", "boolean")),
        Key("scsiblock", "scsiblock", P("scsiblock", "boolean")),
        Key("serial", "serial", P("serial", "string", max_length=60, format="urlencoded")),
        Key("shared", "shared", P("shared", "boolean")),
        Key("size", "size", P("size", "string", format="disk-size")),
        Key("snapshot", "snapshot", P("snapshot", "boolean")),
        Key("ssd", "ssd", P("ssd", "boolean")),
        Key("vendor", "vendor", P("vendor", "string", pattern="[A-Za-z0-9\\-_\\s]{,8}")),
        Key("werror", "werror", P("werror", "string", enum=("enospc", "ignore", "report", "stop"))),
        Key("wwn", "wwn", P("wwn", "string", pattern="(?^:^(0x)[0-9a-fA-F]{16})")),
    )
    _aliases = {
        "bps_rd_length": ("bps_rd_max_length", None),
        "bps_wr_length": ("bps_wr_max_length", None),
        "iops_rd_length": ("iops_rd_max_length", None),
        "iops_wr_length": ("iops_wr_max_length", None),
        "volume": ("file", None),
    }

    aio: Literal["native", "threads", "io_uring"] | None
    backup: bool | None
    bps: int | None
    bps_max_length: int | None
    bps_rd: int | None
    bps_rd_max_length: int | None
    bps_wr: int | None
    bps_wr_max_length: int | None
    cache: Literal["none", "writethrough", "writeback", "unsafe", "directsync"] | None
    detect_zeroes: bool | None
    discard: Literal["ignore", "on"] | None
    file: str | None
    format: Literal["raw", "qcow", "qed", "qcow2", "vmdk", "cloop"] | None
    import_from: str | None
    iops: int | None
    iops_max: int | None
    iops_max_length: int | None
    iops_rd: int | None
    iops_rd_max: int | None
    iops_rd_max_length: int | None
    iops_wr: int | None
    iops_wr_max: int | None
    iops_wr_max_length: int | None
    iothread: bool | None
    mbps: float | None
    mbps_max: float | None
    mbps_rd: float | None
    mbps_rd_max: float | None
    mbps_wr: float | None
    mbps_wr_max: float | None
    media: Literal["cdrom", "disk"] | None
    product: str | None
    queues: int | None
    replicate: bool | None
    rerror: Literal["ignore", "report", "stop"] | None
    ro: bool | None
    scsiblock: bool | None
    serial: str | None
    shared: bool | None
    size: str | None
    snapshot: bool | None
    ssd: bool | None
    vendor: str | None
    werror: Literal["enospc", "ignore", "report", "stop"] | None
    wwn: str | None

    def __init__(
        self,
        *,
        file: str,
        aio: Literal["native", "threads", "io_uring"] | None = None,
        backup: bool | None = None,
        bps: int | None = None,
        bps_max_length: int | None = None,
        bps_rd: int | None = None,
        bps_rd_max_length: int | None = None,
        bps_wr: int | None = None,
        bps_wr_max_length: int | None = None,
        cache: Literal["none", "writethrough", "writeback", "unsafe", "directsync"] | None = None,
        detect_zeroes: bool | None = None,
        discard: Literal["ignore", "on"] | None = None,
        format: Literal["raw", "qcow", "qed", "qcow2", "vmdk", "cloop"] | None = None,
        import_from: str | None = None,
        iops: int | None = None,
        iops_max: int | None = None,
        iops_max_length: int | None = None,
        iops_rd: int | None = None,
        iops_rd_max: int | None = None,
        iops_rd_max_length: int | None = None,
        iops_wr: int | None = None,
        iops_wr_max: int | None = None,
        iops_wr_max_length: int | None = None,
        iothread: bool | None = None,
        mbps: float | None = None,
        mbps_max: float | None = None,
        mbps_rd: float | None = None,
        mbps_rd_max: float | None = None,
        mbps_wr: float | None = None,
        mbps_wr_max: float | None = None,
        media: Literal["cdrom", "disk"] | None = None,
        product: str | None = None,
        queues: int | None = None,
        replicate: bool | None = None,
        rerror: Literal["ignore", "report", "stop"] | None = None,
        ro: bool | None = None,
        scsiblock: bool | None = None,
        serial: str | None = None,
        shared: bool | None = None,
        size: str | None = None,
        snapshot: bool | None = None,
        ssd: bool | None = None,
        vendor: str | None = None,
        werror: Literal["enospc", "ignore", "report", "stop"] | None = None,
        wwn: str | None = None,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        self._init(
            {
                "aio": aio,
                "backup": backup,
                "bps": bps,
                "bps_max_length": bps_max_length,
                "bps_rd": bps_rd,
                "bps_rd_max_length": bps_rd_max_length,
                "bps_wr": bps_wr,
                "bps_wr_max_length": bps_wr_max_length,
                "cache": cache,
                "detect_zeroes": detect_zeroes,
                "discard": discard,
                "file": file,
                "format": format,
                "import_from": import_from,
                "iops": iops,
                "iops_max": iops_max,
                "iops_max_length": iops_max_length,
                "iops_rd": iops_rd,
                "iops_rd_max": iops_rd_max,
                "iops_rd_max_length": iops_rd_max_length,
                "iops_wr": iops_wr,
                "iops_wr_max": iops_wr_max,
                "iops_wr_max_length": iops_wr_max_length,
                "iothread": iothread,
                "mbps": mbps,
                "mbps_max": mbps_max,
                "mbps_rd": mbps_rd,
                "mbps_rd_max": mbps_rd_max,
                "mbps_wr": mbps_wr,
                "mbps_wr_max": mbps_wr_max,
                "media": media,
                "product": product,
                "queues": queues,
                "replicate": replicate,
                "rerror": rerror,
                "ro": ro,
                "scsiblock": scsiblock,
                "serial": serial,
                "shared": shared,
                "size": size,
                "snapshot": snapshot,
                "ssd": ssd,
                "vendor": vendor,
                "werror": werror,
                "wwn": wwn,
            },
            extra,
        )
