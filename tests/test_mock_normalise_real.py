"""What PVE stores on a config write, on the real releases (needs ../shared): the MAC prefix arrived in 8.1."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pvegen import Spec
from tests.fixtures_shared import real_data_module
from tests.test_mock_normalise import (
    PxMock,
    mac_is_random_without_a_prefix,
    macs_are_unique_with_the_current_prefix,
    vm_created_as_users_write_it_reads_back_as_pve_stores_it,
)

real_data_module()


@pytest.mark.parametrize("version", ["7.4", "8.4", "9.1"])
def test_vm_created_as_users_write_it_reads_back_as_pve_stores_it(
    px_mock: PxMock, release: Callable[[str], Spec], version: str
) -> None:
    _srv, px = px_mock(release(version))
    vm_created_as_users_write_it_reads_back_as_pve_stores_it(px, version)


def test_macs_are_unique_and_follow_the_release(px_mock: PxMock, release: Callable[[str], Spec]) -> None:
    _, px = px_mock(release("9.1"))
    macs_are_unique_with_the_current_prefix(px)
    _, old = px_mock(release("6.4"))
    mac_is_random_without_a_prefix(old)
