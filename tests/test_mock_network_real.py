"""Network changes staged and applied on the oldest and the newest real release (needs ../shared)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pvegen import Spec
from tests.fixtures_shared import real_data_module
from tests.test_mock_network import PxMock, pending_network_change_applied

real_data_module()


@pytest.mark.parametrize("version", ["5.4", "9.1"])
def test_pending_network_change_applied(
    px_mock: PxMock, release: Callable[[str], Spec], tls_cert: tuple[str, str], version: str
) -> None:
    srv, px = px_mock(release(version), task_polls=1)
    pending_network_change_applied(srv, px, tls_cert[0])
