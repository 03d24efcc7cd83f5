"""Pool members added and removed on the real releases, 5.4 to 9.1 (needs ../shared)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pvegen import Spec
from tests.fixtures_shared import real_data_module
from tests.test_mock_pools import PxMock, members_added_and_removed

real_data_module()


@pytest.mark.parametrize("version", ["5.4", "7.4", "8.4", "9.1"])
def test_members_added_and_removed(px_mock: PxMock, release: Callable[[str], Spec], version: str) -> None:
    _, px = px_mock(release(version))
    members_added_and_removed(px)
