"""Volumes as PVE's storage plugins name, size and allocate them, and what each storage type can do.

A storage's type decides a new volume's name (``PVE::Storage::Plugin::find_free_diskname`` and the
plugins' ``alloc_image``):

- file based (dir, nfs, cifs, glusterfs, cephfs): qemu ``VMID/vm-VMID-disk-N.qcow2`` (``.raw``,
  ``.vmdk``); lxc ``VMID/vm-VMID-disk-N.raw``, with size 0 ``VMID/subvol-VMID-disk-N.subvol``;
- btrfs: qemu ``VMID/vm-VMID-disk-N.raw``; lxc ``VMID/subvol-VMID-disk-N.subvol``;
- zfspool: qemu ``vm-VMID-disk-N``; lxc ``subvol-VMID-disk-N``;
- lvm, lvmthin, rbd and the other block storages: ``vm-VMID-disk-N`` for both.

N is the lowest number no ``vm-``, ``base-`` or ``subvol-`` volume of the guest on that storage uses.
LVM allocates whole 4 MiB extents, so sizes there round up. Sizes are printed as PVE's
``format_size`` prints them (``32G``, ``528K``, ``1536M``).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from .errors import ApiError
from .state import Storage, Volume

FILE_BASED = frozenset({"dir", "nfs", "cifs", "glusterfs", "cephfs"})
_EXTENT = 4 * 2**20  # LVM's default physical extent
_DISK_INDEX = re.compile(r"(?:^|/)(?:vm|base|subvol)-(\d+)-disk-(\d+)")
_SIZE = re.compile(r"^(\d+(?:\.\d+)?)([KMGT])?$")
_UNITS = {None: 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def parse_size(text: str) -> int | None:
    """PVE::JSONSchema::parse_size: ``32G`` -> bytes; a bare number is bytes; None when not a size."""
    match = _SIZE.match(text.strip())
    if match is None:
        return None
    return int(float(match.group(1)) * _UNITS[match.group(2)])


def format_size(size: int) -> str:
    """PVE::JSONSchema::format_size: the largest unit that divides the size exactly (``0`` prints ``0T``)."""
    for unit in ("", "K", "M", "G"):
        if size % 1024:
            return f"{size}{unit}"
        size //= 1024
    return f"{size}T"


# -- what a storage type can do (the plugins' volume_has_feature) ----------------------------
# feature -> where the volume is ("current", "base" = a template's, "snap" = in a snapshot) -> formats
_ANY = frozenset({"raw", "qcow2", "vmdk", "subvol"})
_FILE_FEATURES: dict[str, dict[str, frozenset[str]]] = {
    "snapshot": {"current": frozenset({"qcow2"}), "snap": frozenset({"qcow2"})},
    "clone": {"base": frozenset({"qcow2", "raw", "vmdk"})},
    "template": {"current": frozenset({"qcow2", "raw", "vmdk", "subvol"})},
    "copy": {"base": frozenset({"qcow2", "raw", "vmdk"}), "current": frozenset({"qcow2", "raw", "vmdk"})},
}
_THIN_FEATURES: dict[str, dict[str, frozenset[str]]] = {  # lvmthin, zfspool, rbd, btrfs
    "snapshot": {"current": _ANY, "snap": _ANY},
    "clone": {"base": _ANY, "snap": _ANY},
    "template": {"current": _ANY},
    "copy": {"base": _ANY, "current": _ANY, "snap": _ANY},
}
_BLOCK_FEATURES: dict[str, dict[str, frozenset[str]]] = {"copy": {"base": _ANY, "current": _ANY}}  # lvm and others


def has_feature(storage: Storage, feature: str, volume: Volume, in_snapshot: bool = False) -> bool:
    """Whether ``volume`` on ``storage`` supports ``feature`` (snapshot, clone, template, copy)."""
    if storage.type in FILE_BASED:
        table = _FILE_FEATURES
    elif storage.type in ("lvmthin", "zfspool", "rbd", "btrfs"):
        table = _THIN_FEATURES
    else:
        table = _BLOCK_FEATURES
    where = "snap" if in_snapshot else ("base" if is_base(volume.volid) else "current")
    return volume.format in table.get(feature, {}).get(where, frozenset())


def is_base(volid: str) -> bool:
    """A template's volume (``base-100-disk-0``), not a linked clone of one (``base-100-disk-0/vm-101-disk-0``)."""
    name = volid.partition(":")[2].rsplit("/", 1)[-1]
    return name.startswith("base-")


# -- allocation ------------------------------------------------------------------------------
@dataclass(frozen=True)
class NewVolume:
    volid: str
    size: int  # bytes, as allocated


def storage_of(storages: dict[str, Storage], storage_id: str) -> Storage:
    storage = storages.get(storage_id)
    if storage is None:
        raise ApiError(500, f"storage '{storage_id}' does not exist")
    return storage


def _next_index(storage: Storage, vmid: int) -> int:
    used = set()
    for volid in storage.volumes:
        for owner, index in _DISK_INDEX.findall(volid.partition(":")[2]):
            if int(owner) == vmid:
                used.add(int(index))
    index = 0
    while index in used:
        index += 1
    return index


def default_format(storage: Storage, kind: str, size: int) -> str:
    if storage.type in FILE_BASED:
        if kind == "lxc":
            return "raw" if size > 0 else "subvol"
        return "qcow2"
    if storage.type in ("zfspool", "btrfs") and kind == "lxc":
        return "subvol"
    return "raw"


def allocate(
    storage: Storage, vmid: int, kind: str, size: int, fmt: str | None = None, name: str | None = None
) -> NewVolume:
    """A new volume of ``size`` bytes for guest ``vmid``, named as the storage type names it and added to
    the storage's content (``name``: a special name such as ``vm-100-cloudinit``; else the next disk)."""
    content = "images" if kind == "qemu" else "rootdir"
    fmt = fmt or default_format(storage, kind, size)
    if storage.type not in FILE_BASED and storage.type != "btrfs":
        fmt = "subvol" if fmt == "subvol" else "raw"  # block and zfs storages know no image formats
    base = name or f"{'subvol' if fmt == 'subvol' else 'vm'}-{vmid}-disk-{_next_index(storage, vmid)}"
    volname = f"{vmid}/{base}.{fmt}" if storage.type in FILE_BASED or storage.type == "btrfs" else base
    if storage.type in ("lvm", "lvmthin"):
        size = -(-size // _EXTENT) * _EXTENT
    volid = f"{storage.storage}:{volname}"
    storage.volumes[volid] = Volume(volid, content, fmt, size, int(time.time()), vmid)
    return NewVolume(volid, size)


def linked_clone(storage: Storage, base: Volume, vmid: int) -> NewVolume:
    """A linked clone of a template's volume, named as the storage type names it."""
    index = _next_index(storage, vmid)
    base_name = base.volid.partition(":")[2]
    if storage.type in FILE_BASED or storage.type == "btrfs":
        volname = f"{base_name}/{vmid}/vm-{vmid}-disk-{index}.{base.format}"
    elif storage.type in ("zfspool", "rbd"):
        volname = f"{base_name}/{'subvol' if base.format == 'subvol' else 'vm'}-{vmid}-disk-{index}"
    else:
        volname = f"vm-{vmid}-disk-{index}"
    volid = f"{storage.storage}:{volname}"
    storage.volumes[volid] = Volume(
        volid, base.content, base.format, base.size, int(time.time()), vmid, base=base.volid
    )
    return NewVolume(volid, base.size)


def rename_to_base(storage: Storage, volume: Volume) -> str:
    """Make a template's volume: ``vm-100-disk-0`` becomes ``base-100-disk-0`` (``vdisk_create_base``)."""
    volname = volume.volid.partition(":")[2]
    head, _, leaf = volname.rpartition("/")
    if not leaf.startswith("vm-"):
        return volume.volid  # subvolumes and base volumes keep their names
    new_leaf = "base-" + leaf[len("vm-") :]
    volid = f"{storage.storage}:{head + '/' if head else ''}{new_leaf}"
    del storage.volumes[volume.volid]
    volume.volid = volid
    storage.volumes[volid] = volume
    return volid


def linked_clones_of(storages: dict[str, Storage], vmid: int) -> list[str]:
    """Volumes that are linked clones of the base volumes of guest ``vmid`` (a template)."""
    mine = {v.volid for s in storages.values() for v in s.volumes.values() if v.vmid == vmid}
    return sorted(v.volid for s in storages.values() for v in s.volumes.values() if v.base in mine)
