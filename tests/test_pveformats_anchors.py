"""Named formats are checked as PVE checks them, with Perl's anchors: ``m/^...$/`` accepts one final newline."""

from __future__ import annotations

import pytest

from pvegen.runtime.pveformats import check_format


@pytest.mark.parametrize(
    ("fmt", "value", "accepted"),
    [
        ("pve-vmid", "100", True), ("pve-vmid", "100\n", True), ("pve-vmid", "100\n\n", False),
        ("pve-vmid", "\n100", False), ("pve-configid", "J57t\n", True), ("pve-configid", "J57t \n", False),
        ("pve-node", "pve1\n", True), ("pve-storage-id", "local-lvm\n", True), ("pve-storage-id", "local lvm", False),
    ],
)  # fmt: skip
def test_a_final_newline_is_accepted_like_perl(fmt: str, value: str, accepted: bool) -> None:
    assert (check_format(fmt, value) is None) is accepted
