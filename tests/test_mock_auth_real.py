"""Each real release's TFA flow in the mock (needs ../shared): 5.4-7.4 finish a half ticket at /access/tfa, 7.4
offers the challenge with new-format=1 and 8.x+ always, 6.4 has no tfa-challenge parameter at all."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pvegen import Spec
from tests.fixtures_mock import MockFactory
from tests.fixtures_shared import real_data_module
from tests.test_mock_auth import (
    challenge_parameter_is_refused,
    new_tfa_challenge_flow,
    old_tfa_flow,
    otp_in_one_step,
    tfa_server,
)

real_data_module()


@pytest.mark.parametrize("version", ["5.4", "6.4", "7.4"])
def test_old_tfa_flow(mock_server: MockFactory, release: Callable[[str], Spec], version: str) -> None:
    old_tfa_flow(tfa_server(mock_server, release(version)))


@pytest.mark.parametrize("version", ["5.4", "7.4", "9.1"])
def test_otp_in_one_step(mock_server: MockFactory, release: Callable[[str], Spec], version: str) -> None:
    otp_in_one_step(tfa_server(mock_server, release(version)))


@pytest.mark.parametrize(("version", "extra"), [("7.4", {"new-format": "1"}), ("8.4", {}), ("9.1", {})])
def test_new_tfa_challenge_flow(
    mock_server: MockFactory, release: Callable[[str], Spec], version: str, extra: dict[str, str]
) -> None:
    new_tfa_challenge_flow(tfa_server(mock_server, release(version)), extra)


def test_old_release_has_no_challenge_parameter(mock_server: MockFactory, release: Callable[[str], Spec]) -> None:
    challenge_parameter_is_refused(tfa_server(mock_server, release("6.4")))
