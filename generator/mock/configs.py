"""Guest configuration writes as PVE normalises them (qemu-server's ``update_vm``/``create_disks`` and
pve-container's ``update_pct_config``), for qemu and lxc alike.

- **Drives** (qemu ``ide/sata/scsi/virtio N``, ``efidisk0``, ``tpmstate0``; lxc ``rootfs``, ``mpN``) are
  parsed and printed again with the one property-string grammar. ``STORAGE:SIZE`` (GiB) allocates a
  volume (``local-lvm:vm-100-disk-0,size=32G``); ``efidisk0`` takes the size of the EFI vars (528K for
  ``efitype=4m``, 128K else) and ``tpmstate0`` 4 MiB, as the schema descriptions say; ``STORAGE:cloudinit``
  makes ``vm-ID-cloudinit``; an existing volume must exist and gets its size; ``size=`` is printed as
  ``format_size`` prints it.
- **NICs** (``netN``) get a MAC when they have none (the release's ``mac_prefix`` default, ``BC:24:11``
  from 8.x; a random locally administered one before), unique in the mock; an lxc NIC is a ``veth``.
- A drive replaced or deleted leaves its volume as ``unusedN`` (the lowest free N); deleting ``unusedN``
  frees the volume (``force`` with ``delete`` frees a drive's volume at once).
- Every other value is stored as given. Values PVE would refuse with a parameter error are refused
  before anything changes, so a failed write leaves the config as it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..model import Schema
from ..runtime.propstring import print_property_string
from .errors import ApiError, param_error
from .state import Guest, State
from .validate import parse_property_string
from .volumes import allocate, format_size, parse_size, storage_of

DRIVE_KEYS = {
    "qemu": re.compile(r"^(?:(?:ide|sata|scsi|virtio)\d+|efidisk0|tpmstate0)$"),
    "lxc": re.compile(r"^(?:rootfs|mp\d+)$"),
}
UNUSED_KEY = re.compile(r"^unused\d+$")
NIC_KEY = re.compile(r"^net\d+$")
_NEW_VOLUME = re.compile(r"^(?P<storage>[a-zA-Z][\w.-]*):(?P<size>\d+(?:\.\d+)?)$")
_CLOUDINIT = re.compile(r"^(?P<storage>[a-zA-Z][\w.-]*):cloudinit$")
_VOLUME_ID = re.compile(r"^(?P<storage>[a-zA-Z][\w.-]*):(?P<name>.+)$")
_EFI_VARS = {"4m": 540672, "2m": 131072}  # OVMF_VARS files: 528 KiB and 128 KiB
_TPM_STATE = 4 * 2**20
_CLOUDINIT_SIZE = 4 * 2**20
_MAX_UNUSED = 256
_DRIVE_ORDER = re.compile(r"^([a-z]+?)(\d*)$")
_BUSES = {"qemu": ("ide", "sata", "scsi", "virtio", "efidisk", "tpmstate"), "lxc": ("rootfs", "mp")}


@dataclass(frozen=True)
class Format:
    """A property-string format as the grammar needs it."""

    properties: Mapping[str, Schema]

    @property
    def default_key(self) -> str | None:
        return next((k for k, s in self.properties.items() if s.default_key), None)

    @property
    def required(self) -> set[str]:
        return {k for k, s in self.properties.items() if s.required and s.alias is None}

    @property
    def aliases(self) -> dict[str, tuple[str, str | None]]:
        return {k: (s.alias, s.key_alias) for k, s in self.properties.items() if s.alias is not None}

    def parse(self, text: str) -> dict[str, str]:
        return parse_property_string(self.properties, text)

    def print(self, values: Mapping[str, str]) -> str:
        return print_property_string(values, default_key=self.default_key, required=self.required, aliases=self.aliases)

    def key_with_format(self, name: str) -> str | None:
        return next((k for k, s in self.properties.items() if s.format == name and s.alias is None), None)


def config_format(state: State, kind: str, key: str) -> Format | None:
    """The property-string format of config key ``key`` of a ``kind`` guest (None: not a property string)."""
    schema = state.config_schema(kind, key)
    if schema is None or schema.format_properties is None:
        return None
    return Format(schema.format_properties)


def volume_of(state: State, kind: str, key: str, value: Any) -> str | None:
    """The volume id a drive or ``unusedN`` value names (None for ``none``, CD-ROM images, paths)."""
    if not isinstance(value, str):
        return None
    if UNUSED_KEY.match(key):
        return value
    if not DRIVE_KEYS[kind].match(key):
        return None
    fmt = config_format(state, kind, key)
    try:
        parsed = fmt.parse(value) if fmt else {"file": value.split(",", 1)[0]}
    except ValueError:
        return None
    volid = parsed.get(fmt.default_key or "file", "") if fmt else parsed["file"]
    if parsed.get("media") == "cdrom" or _VOLUME_ID.match(volid) is None:
        return None
    return volid


def referenced_volumes(state: State, guest: Guest) -> set[str]:
    """Every volume the guest's config and its snapshots name (drives, unusedN, vmstate)."""
    found: set[str] = set()
    for config in [guest.config, *(snap.config for snap in guest.snapshots.values())]:
        for key, value in config.items():
            if key == "vmstate" and isinstance(value, str):
                found.add(value)
            volid = volume_of(state, guest.kind, key, value)
            if volid is not None:
                found.add(volid)
    return found


class ConfigWriter:
    """Applies one config write (create or update) to a guest's config, as PVE normalises it."""

    def __init__(self, state: State, kind: str, vmid: int) -> None:
        self.state = state
        self.kind = kind
        self.vmid = vmid
        self.freed: list[str] = []  # volumes to free once the write is accepted
        self.allocated: list[str] = []  # volumes made by this write (freed again if it fails)

    # -- values ---------------------------------------------------------------------------
    def normalise(self, key: str, value: Any) -> Any:
        """The value as PVE stores it (allocating volumes and MACs as it goes)."""
        if not isinstance(value, str):
            return value
        fmt = config_format(self.state, self.kind, key)
        if fmt is None:
            return value
        if DRIVE_KEYS[self.kind].match(key):
            return self._drive(key, fmt, value)
        if NIC_KEY.match(key):
            return self._nic(key, fmt, value)
        return value

    def _parsed(self, key: str, fmt: Format, value: str) -> dict[str, str]:
        try:
            return fmt.parse(value)
        except ValueError as err:  # the parameter check has run already: only a bug of ours lands here
            raise param_error(key, f"invalid format - {err}") from None

    def _drive(self, key: str, fmt: Format, value: str) -> str:
        values = self._parsed(key, fmt, value)
        file_key = fmt.default_key or "file"
        target = values.get(file_key, "")
        new = _NEW_VOLUME.match(target)
        cloudinit = _CLOUDINIT.match(target) if self.kind == "qemu" else None
        if new is not None:
            storage = storage_of(self.state.storages, new.group("storage"))
            self._check_content(key, storage.content, storage.storage)
            size = self._new_size(key, values, float(new.group("size")))
            made = allocate(storage, self.vmid, self.kind, size, self._image_format(key, values))
            self.allocated.append(made.volid)
            values[file_key] = made.volid
            values["size"] = format_size(made.size)
            values.pop("import-from", None)
        elif cloudinit is not None:
            storage = storage_of(self.state.storages, cloudinit.group("storage"))
            fmt_name = "qcow2" if storage.type in ("dir", "nfs", "cifs", "glusterfs") else "raw"
            name = f"vm-{self.vmid}-cloudinit"
            made = allocate(storage, self.vmid, self.kind, _CLOUDINIT_SIZE, fmt_name, name)
            self.allocated.append(made.volid)
            values[file_key] = made.volid
            values["media"] = "cdrom"
        elif _VOLUME_ID.match(target) is not None and not target.startswith("/"):
            existing = self._existing(target)
            if existing is not None and values.get("media") != "cdrom" and "size" not in values:
                values["size"] = format_size(existing)
        given = parse_size(values.get("size", ""))
        if given is not None:
            values["size"] = format_size(given)
        return fmt.print(values)

    def _check_content(self, key: str, content: list[str], storage: str) -> None:
        wanted = "images" if self.kind == "qemu" else "rootdir"
        if wanted not in content:
            what = "vm images" if self.kind == "qemu" else "container directories"
            raise ApiError(500, f"storage '{storage}' does not support {what}")

    def _new_size(self, key: str, values: dict[str, str], gib: float) -> int:
        if key == "efidisk0":
            return _EFI_VARS.get(values.get("efitype", "2m"), _EFI_VARS["2m"])
        if key == "tpmstate0":
            return _TPM_STATE
        source = values.get("import-from")
        if source is not None:
            size = self._existing(source)
            return size if size is not None else 0
        return int(gib * 2**30)

    def _image_format(self, key: str, values: dict[str, str]) -> str | None:
        if key == "tpmstate0":
            return "raw"  # "The format is fixed to 'raw'."
        return values.get("format")

    def _existing(self, volid: str) -> int | None:
        """The size of an existing volume on a storage of the mock; unknown storages and missing volumes fail."""
        match = _VOLUME_ID.match(volid)
        if match is None or volid.startswith("/"):
            return None
        storage = storage_of(self.state.storages, match.group("storage"))
        volume = storage.volumes.get(volid)
        if volume is None:
            raise ApiError(500, f"volume '{volid}' does not exist")
        return volume.size

    def _nic(self, key: str, fmt: Format, value: str) -> str:
        values = self._parsed(key, fmt, value)
        mac_key = fmt.key_with_format("mac-addr")
        if mac_key is not None and not values.get(mac_key):
            values[mac_key] = self.state.new_mac()
        for name, schema in fmt.properties.items():
            # a NIC kind with one possible value (lxc: type=veth) is filled in as PVE's parser does
            if name not in values and schema.enum is not None and len(schema.enum) == 1 and schema.alias is None:
                values[name] = str(schema.enum[0])
        return fmt.print(values)

    # -- a whole write --------------------------------------------------------------------
    def apply(
        self, config: dict[str, Any], updates: Mapping[str, Any], deletes: list[str], force: bool = False
    ) -> None:
        """Change ``config`` in place: ``updates`` normalised, ``deletes`` removed (drives become unused)."""
        for key in deletes:
            if key in updates:
                raise param_error("delete", f"you can't use '-{key}' and -delete {key}' at the same time")
        try:
            staged = {key: self.normalise(key, updates[key]) for key in sorted(updates, key=self._order)}
        except ApiError:
            free_volumes(self.state, self.allocated)  # nothing of a refused write stays behind
            raise
        for key, value in staged.items():
            old = volume_of(self.state, self.kind, key, config.get(key))
            config[key] = value
            if old is not None and old != volume_of(self.state, self.kind, key, value):
                self._detach(config, old)
        for key in deletes:
            if key not in config:
                continue  # PVE only warns: "cannot delete 'x' - not set in current configuration!"
            old = volume_of(self.state, self.kind, key, config.pop(key))
            if old is None:
                continue
            if UNUSED_KEY.match(key) or force:
                self.freed.append(old)
            else:
                self._detach(config, old)

    def _order(self, key: str) -> tuple[int, str, int]:
        """Drives are allocated in PVE's order (qemu: ide, sata, scsi, virtio, efidisk, tpmstate; lxc:
        rootfs, then mount points), each bus by number, so disk numbers come out as on PVE."""
        match = _DRIVE_ORDER.match(key)
        buses = _BUSES[self.kind]
        if match is None or match.group(1) not in buses or not DRIVE_KEYS[self.kind].match(key):
            return (len(buses), key, 0)
        return (buses.index(match.group(1)), "", int(match.group(2) or 0))

    def _detach(self, config: dict[str, Any], volid: str) -> None:
        """A volume the guest owns that no drive names any more becomes ``unusedN`` (add_unused_volume)."""
        if self._owner(volid) != self.vmid:
            return
        if any(volume_of(self.state, self.kind, k, v) == volid for k, v in config.items()):
            return
        for index in range(_MAX_UNUSED):
            if f"unused{index}" not in config:
                config[f"unused{index}"] = volid
                return
        raise ApiError(500, "Too many unused volumes - please delete them first.")

    def _owner(self, volid: str) -> int | None:
        storage = self.state.storages.get(volid.partition(":")[0])
        volume = storage.volumes.get(volid) if storage else None
        return volume.vmid if volume else None


def free_volumes(state: State, volids: list[str], keep: set[str] | None = None) -> None:
    """Delete volumes from their storages (those in ``keep``, e.g. still in a snapshot, stay)."""
    for volid in volids:
        if keep and volid in keep:
            continue
        storage = state.storages.get(volid.partition(":")[0])
        if storage is not None:
            storage.volumes.pop(volid, None)
