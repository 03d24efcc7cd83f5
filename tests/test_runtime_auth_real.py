"""Each release's TFA flow in its generated client (needs ../shared): the flow comes from the release's schema
(``TFA_FLOW``: otp for 5.x/6.x, the challenge from 7.x on), and logging in works against the mock serving it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pvegen import Spec

from .fixtures_client import GeneratedClient
from .fixtures_mock import MockFactory
from .fixtures_shared import real_data_module
from .test_runtime_auth import assert_tfa_failures_are_clear, assert_tfa_login

real_data_module()

TFA_RELEASES = ("6.4", "7.4", "8.4", "9.1")
EXPECTED_FLOW = {"5.4": "otp", "6.4": "otp", "7.4": "challenge", "8.0": "challenge", "8.4": "challenge",
                 "9.0": "challenge", "9.1": "challenge"}  # fmt: skip


@pytest.fixture(scope="module")
def clients(generated_client: Callable[[str], GeneratedClient]) -> Callable[[str], Any]:
    return lambda version: generated_client(version).module


def test_flow_constant_comes_from_each_spec(each_release: Spec) -> None:
    from pvegen.codegen.plan import client_tfa_flow as tfa_flow

    assert each_release.version is not None
    assert tfa_flow(each_release) == EXPECTED_FLOW[each_release.version]
    ticket = each_release.operation("POST", "/access/ticket")
    assert ticket is not None and ("tfa-challenge" in ticket.parameters) == (tfa_flow(each_release) == "challenge")


def test_generated_clients_carry_their_flow(clients: Callable[[str], Any]) -> None:
    assert {v: clients(v).ProxmoxVE.TFA_FLOW for v in TFA_RELEASES} == {v: EXPECTED_FLOW[v] for v in TFA_RELEASES}


@pytest.mark.parametrize("version", TFA_RELEASES)
@pytest.mark.parametrize("kind", ["code", "callback"])
def test_tfa_login_in_each_release_flow(
    version: str, kind: str, mock_server: MockFactory, clients: Callable[[str], Any], release: Callable[[str], Spec]
) -> None:
    assert_tfa_login(clients(version), release(version), kind, mock_server)


@pytest.mark.parametrize("version", TFA_RELEASES)
def test_tfa_failures_are_clear(
    version: str, mock_server: MockFactory, clients: Callable[[str], Any], release: Callable[[str], Spec]
) -> None:
    assert_tfa_failures_are_clear(clients(version), release(version), mock_server)
