"""VM snapshots created, listed, rolled back and deleted on real releases 5.4, 7.4 and 9.1 (needs ../shared)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pvegen import Spec
from tests.fixtures_shared import real_data_module
from tests.test_mock_snapshots import PxMock, vm_snapshot_list_rollback_delete

real_data_module()


@pytest.mark.parametrize("version", ["5.4", "7.4", "9.1"])
def test_vm_snapshot_list_rollback_delete(px_mock: PxMock, release: Callable[[str], Spec], version: str) -> None:
    _, px = px_mock(release(version))
    vm_snapshot_list_rollback_delete(px)
