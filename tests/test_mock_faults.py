"""Faults switched on per test: latency, resets before/after reading, 5xx, truncated bodies."""

from __future__ import annotations

import pytest
import requests

from pvegen import Spec
from pvegen.mock import MockServer
from tests.fixtures_mock import MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MockFactory

HEADERS = {"Authorization": f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"}


@pytest.fixture
def srv(mock_server: MockFactory, stateful: Spec) -> MockServer:
    return mock_server(stateful)


def nodes(srv: MockServer) -> requests.Response:
    # a fresh connection per call, so a fault on one cannot leak into the next
    return requests.get(f"{srv.url}/api2/json/nodes", headers={**HEADERS, "Connection": "close"}, timeout=10)


def test_latency_delays_answers(srv: MockServer) -> None:
    srv.faults.latency = 0.2
    assert nodes(srv).status_code == 200
    [held] = srv.requests.snapshot()
    assert held.faults == ["latency"] and held.delay >= 0.2  # what the server did, measured by the server
    srv.faults.clear()
    assert nodes(srv).status_code == 200
    assert (srv.requests[-1].faults, srv.requests[-1].delay) == ([], 0.0)


def test_reset_before_reading(srv: MockServer) -> None:
    srv.faults.reset_before_read = 1.0
    with pytest.raises(requests.ConnectionError):
        nodes(srv)
    assert len(srv.requests) == 0  # never read
    srv.faults.clear()
    assert nodes(srv).status_code == 200


def test_reset_after_reading(srv: MockServer) -> None:
    srv.faults.reset_after_read = 1.0
    srv.faults.limit = 1
    with pytest.raises(requests.ConnectionError):
        nodes(srv)
    assert [(r.path, r.status, r.faults) for r in srv.requests] == [("/nodes", 0, ["reset"])]  # read, never answered
    assert nodes(srv).status_code == 200  # the limit is used up


def test_server_errors_at_a_rate(srv: MockServer) -> None:
    srv.faults.error_rate = 1.0
    srv.faults.error_status = 503
    response = nodes(srv)
    assert response.status_code == 503
    assert (srv.requests[-1].status, srv.requests[-1].faults, srv.requests[-1].source) == (503, ["error"], "error")
    srv.faults.error_rate = 0.5
    statuses = {nodes(srv).status_code for _ in range(40)}
    assert statuses == {200, 503}  # seeded: both happen, the same way every run


def test_truncated_body(srv: MockServer) -> None:
    srv.faults.truncate_rate = 1.0
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.ConnectionError)):
        nodes(srv).json()
    assert [(r.status, r.faults) for r in srv.requests] == [(200, ["truncate"])]


def test_faults_limited_to_a_path(srv: MockServer) -> None:
    srv.faults.error_rate = 1.0
    srv.faults.path = "/cluster"
    assert nodes(srv).status_code == 200
    response = requests.get(f"{srv.url}/api2/json/cluster/status", headers=HEADERS, timeout=10)
    assert response.status_code == 500


def test_faults_are_per_server(mock_server: MockFactory, stateful: Spec) -> None:
    broken, fine = mock_server(stateful), mock_server(stateful)
    broken.faults.error_rate = 1.0
    assert nodes(broken).status_code == 500
    assert nodes(fine).status_code == 200
