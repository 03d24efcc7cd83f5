"""Shared types: one Literal alias per distinct enum of the spec."""

from __future__ import annotations

from typing import Literal

__all__ = [
    "Source",
    "Ostype",
    "Bios",
    "Scsihw",
    "NodesNodeLxcOstype",
    "Arch",
    "Type",
    "Format",
    "Content",
    "ChecksumAlgorithm",
    "NodesNodeNetworkType",
    "NodesNodeNetworkIfaceType",
    "BondMode",
    "ClusterResourcesType",
]

Source = Literal["archive", "active", "all"]

Ostype = Literal[
    "other",
    "wxp",
    "w2k",
    "w2k3",
    "w2k8",
    "wvista",
    "win7",
    "win8",
    "win10",
    "win11",
    "l24",
    "l26",
    "solaris",
]

Bios = Literal["seabios", "ovmf"]

Scsihw = Literal["lsi", "lsi53c810", "virtio-scsi-pci", "virtio-scsi-single", "megasas", "pvscsi"]

NodesNodeLxcOstype = Literal[
    "debian",
    "devuan",
    "ubuntu",
    "centos",
    "fedora",
    "opensuse",
    "archlinux",
    "alpine",
    "gentoo",
    "nixos",
    "unmanaged",
]

Arch = Literal["amd64", "i386", "arm64", "armhf", "riscv32", "riscv64"]

Type = Literal[
    "btrfs",
    "cephfs",
    "cifs",
    "dir",
    "esxi",
    "iscsi",
    "iscsidirect",
    "lvm",
    "lvmthin",
    "nfs",
    "pbs",
    "rbd",
    "zfs",
    "zfspool",
]

Format = Literal["raw", "qcow2", "subvol", "vmdk"]

Content = Literal["iso", "vztmpl", "import"]

ChecksumAlgorithm = Literal["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]

NodesNodeNetworkType = Literal[
    "bridge",
    "bond",
    "eth",
    "alias",
    "vlan",
    "fabric",
    "OVSBridge",
    "OVSBond",
    "OVSPort",
    "OVSIntPort",
    "vnet",
    "any_bridge",
    "any_local_bridge",
    "include_sdn",
]

NodesNodeNetworkIfaceType = Literal[
    "bridge",
    "bond",
    "eth",
    "alias",
    "vlan",
    "fabric",
    "OVSBridge",
    "OVSBond",
    "OVSPort",
    "OVSIntPort",
    "vnet",
    "unknown",
]

BondMode = Literal[
    "balance-rr",
    "active-backup",
    "balance-xor",
    "broadcast",
    "802.3ad",
    "balance-tlb",
    "balance-alb",
    "balance-slb",
    "lacp-balance-slb",
    "lacp-balance-tcp",
]

ClusterResourcesType = Literal["vm", "storage", "node", "sdn"]
