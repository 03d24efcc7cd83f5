"""The PVE format checks on the formats of every real release (needs ../shared)."""

from __future__ import annotations

from pvegen import Spec
from pvegen.runtime.pveformats import known_formats
from tests.fixtures_shared import real_data_module
from tests.test_client_formats import judge_odd_values, spec_formats

real_data_module()


def test_every_format_of_every_release_is_handled(each_release: Spec) -> None:
    """Known formats judge without crashing; the ones we check cover the most used ones."""
    found = spec_formats(each_release)
    judge_odd_values(found)
    assert {"pve-vmid", "pve-node", "pve-storage-id", "pve-configid"} <= found & known_formats()
