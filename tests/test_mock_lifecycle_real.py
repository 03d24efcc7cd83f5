"""Guest lifecycle on the real releases that have ``force`` on a container's destroy (6.x+; needs ../shared)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pvegen import Spec
from tests.fixtures_shared import real_data_module
from tests.test_mock_lifecycle import PxMock, force_destroy_of_a_running_container

real_data_module()


@pytest.mark.parametrize("version", ["6.4", "8.4", "9.1"])
def test_force_destroy_of_a_running_container(px_mock: PxMock, release: Callable[[str], Spec], version: str) -> None:
    _, px = px_mock(release(version))
    force_destroy_of_a_running_container(px)
