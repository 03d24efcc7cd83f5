"""Path safety on the real 9.1 schema's 667 operations (needs ../shared): the hostile-value and dot-segment sweeps
of test_path_safety.py, with 9.1's generated client against the mock serving 9.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pvegen import Spec
from pvegen.mock import MockServer
from tests.fixtures_client import GeneratedClient
from tests.fixtures_shared import real_data_module
from tests.test_path_safety import (
    DOT_SEGMENTS,
    Tally,
    Target,
    assert_dot_segments_never_climb_the_tree,
    assert_hostile_values_reach_only_the_intended_operation,
    client_for,
    make_target,
    mock_for,
)

real_data_module()

# operations exercised, routed and refused values at least; skipped operations at most
MINIMUM_91 = Tally(refused=15000, routed=1500, operations=380, skipped=20)


@pytest.fixture(scope="module")
def real_target(release: Callable[[str], Spec], generated_client: Callable[[str], GeneratedClient]) -> Target:
    return make_target(release("9.1"), generated_client("9.1"), MINIMUM_91)


@pytest.fixture(scope="module")
def real_server(real_target: Target) -> Iterator[MockServer]:
    with mock_for(real_target.spec) as srv:
        yield srv


@pytest.fixture(scope="module")
def real_client(real_target: Target, real_server: MockServer) -> Any:
    return client_for(real_target.module, real_server)


def test_hostile_path_values_reach_only_the_intended_operation(
    real_target: Target, real_client: Any, real_server: MockServer
) -> None:
    assert_hostile_values_reach_only_the_intended_operation(real_target, real_client, real_server)


@pytest.mark.parametrize("value", DOT_SEGMENTS)
def test_dot_segments_never_climb_the_tree(
    value: str, real_target: Target, real_client: Any, real_server: MockServer
) -> None:
    assert_dot_segments_never_climb_the_tree(value, real_target, real_client, real_server)
