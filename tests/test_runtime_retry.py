"""Timeouts and retries against `pvegen mock` with faults switched on: GETs are retried with
backoff; a write that may have reached the server is never sent twice (the mock's request log
and its state prove it); a write that never left the client is retried."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest

from pvegen import Spec
from pvegen.mock import MockServer

from .fixtures_client import Sleeps
from .fixtures_mock import MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MockFactory


def client(api: Any, url: str, sleeps: Sleeps, attempts: int = 3, **kwargs: Any) -> Any:
    policy = api.RetryPolicy(attempts=attempts, backoff=0.1, max_backoff=0.3, sleep=sleeps)
    return api.ProxmoxVE(url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET, retries=policy, **kwargs)


def calls(mock: MockServer, method: str, path: str) -> list[int]:
    return [r.status for r in mock.requests if r.method == method and r.path == path]


def test_default_timeouts_leave_room_for_slow_calls(api: Any) -> None:
    connect, read = api.DEFAULT_TIMEOUT
    assert 0 < connect <= 30 and read >= 60
    assert api.RetryPolicy().statuses == frozenset({502, 503})


def test_backoff_grows_exponentially_with_jitter(api: Any) -> None:
    policy = api.RetryPolicy(attempts=6, backoff=0.5, max_backoff=4.0)
    for retry, ceiling in enumerate([0.5, 1.0, 2.0, 4.0, 4.0, 4.0]):
        waits = {policy.delay(retry) for _ in range(50)}
        assert all(ceiling / 2 <= w <= ceiling for w in waits)
        assert len(waits) > 1  # jittered, not one fixed value


def test_get_is_retried_after_resets(api: Any, mock: MockServer) -> None:
    mock.faults.reset_after_read, mock.faults.limit = 1.0, 2
    sleeps = Sleeps()
    assert [n["node"] for n in client(api, mock.url, sleeps).nodes.get()] == ["pve1"]
    assert calls(mock, "GET", "/nodes") == [0, 0, 200]  # status 0: the mock reset the connection
    assert len(sleeps) == 2 and 0.05 <= sleeps[0] <= 0.1 <= sleeps[1] <= 0.2  # doubling, jittered


def test_get_gives_up_after_the_attempts(api: Any, mock: MockServer) -> None:
    mock.faults.reset_after_read = 1.0
    sleeps = Sleeps()
    with pytest.raises(api.ConnectionFailedError) as info:
        client(api, mock.url, sleeps, attempts=2).nodes.get()
    assert info.value.sent is True
    assert calls(mock, "GET", "/nodes") == [0, 0, 0] and len(sleeps) == 2


@pytest.mark.parametrize("fault", ["reset_after_read", "truncate_rate"])
def test_a_write_that_reached_the_server_is_never_sent_twice(api: Any, mock: MockServer, fault: str) -> None:
    setattr(mock.faults, fault, 1.0)
    mock.faults.limit = 1
    sleeps = Sleeps()
    with pytest.raises(api.ConnectionFailedError) as info:
        client(api, mock.url, sleeps).nodes("pve1").qemu.post(vmid=160, name="once")
    assert info.value.sent is True and "may have reached the server" in str(info.value)
    assert calls(mock, "POST", "/nodes/pve1/qemu") == ([0] if fault == "reset_after_read" else [200])
    assert sleeps == []
    if fault == "truncate_rate":
        assert 160 in mock.state.guests  # it happened, exactly once; the answer was lost


def test_a_reset_before_reading_is_not_repeated_for_writes(api: Any, mock: MockServer) -> None:
    # The reset reaches the client either while it connects (nothing sent: retried like a refused
    # connection) or after it wrote the request (it cannot know whether the server read it: never
    # repeated). Scheduling decides which; either way the VM is created at most once.
    mock.faults.reset_before_read, mock.faults.limit = 1.0, 1
    try:
        client(api, mock.url, Sleeps()).nodes("pve1").qemu.post(vmid=161)
        created = True
    except api.ConnectionFailedError as err:
        assert err.sent is True
        created = False
    posts = [r for r in mock.requests.snapshot() if r.method == "POST"]
    assert len(posts) == (1 if created else 0)
    assert (161 in mock.state.guests) is created


def test_truncated_get_is_retried(api: Any, mock: MockServer) -> None:
    mock.faults.truncate_rate, mock.faults.limit = 1.0, 1
    assert client(api, mock.url, Sleeps()).version.get()["release"] == "9.1"
    assert calls(mock, "GET", "/version") == [200, 200]


@pytest.mark.parametrize("status", [502, 503])
def test_gateway_errors_are_retried_for_get_only(api: Any, mock: MockServer, status: int) -> None:
    mock.faults.error_status, mock.faults.error_rate, mock.faults.limit = status, 1.0, 2
    pve = client(api, mock.url, Sleeps())
    assert pve.version.get()["release"] == "9.1"
    assert calls(mock, "GET", "/version") == [status, status, 200]
    mock.faults.limit = 1
    with pytest.raises(api.ServerError) as info:
        pve.nodes("pve1").qemu.post(vmid=162)
    assert info.value.status == status
    assert calls(mock, "POST", "/nodes/pve1/qemu") == [status]


def test_server_errors_other_than_gateway_ones_are_not_retried(api: Any, mock: MockServer) -> None:
    mock.faults.error_status, mock.faults.error_rate, mock.faults.limit = 500, 1.0, 1
    with pytest.raises(api.ServerError):
        client(api, mock.url, Sleeps()).version.get()
    assert calls(mock, "GET", "/version") == [500]


def test_read_timeout_retries_get_but_not_post(api: Any, mock: MockServer) -> None:
    mock.faults.latency = 0.6
    sleeps = Sleeps()
    pve = client(api, mock.url, sleeps, attempts=1, timeout=(2.0, 0.2))
    with pytest.raises(api.TimeoutError) as info:
        pve.version.get()
    assert info.value.sent is True and len(sleeps) == 1
    with pytest.raises(api.TimeoutError):
        pve.nodes("pve1").qemu.post(vmid=163)
    assert len(sleeps) == 1  # no retry for the write
    mock.faults.latency = 0.0
    assert pve.version.get()["release"] == "9.1"
    deadline = time.monotonic() + 5  # the server answers the slow write after the client gave up
    while not calls(mock, "POST", "/nodes/pve1/qemu") and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    assert calls(mock, "POST", "/nodes/pve1/qemu") == [200]  # the slow write still happened, once


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_write_that_could_not_connect_is_retried(api: Any, mock_server: MockFactory, runtime_spec: Spec) -> None:
    port = free_port()
    started: list[MockServer] = []

    def sleep_then_start_server(seconds: float) -> None:
        if not started:  # the server comes up during the first backoff
            started.append(mock_server(runtime_spec, port=port, task_duration=0.0))

    policy = api.RetryPolicy(attempts=3, backoff=0.01, sleep=sleep_then_start_server)
    pve = api.ProxmoxVE(f"http://127.0.0.1:{port}", token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET,
                          retries=policy)  # fmt: skip
    assert pve.nodes("pve1").qemu.post(vmid=164, name="after-refusal").startswith("UPID:")
    (srv,) = started
    assert calls(srv, "POST", "/nodes/pve1/qemu") == [200] and 164 in srv.state.guests


def test_refused_connections_exhaust_the_retries(api: Any) -> None:
    sleeps = Sleeps()
    with pytest.raises(api.ConnectionFailedError) as info:
        client(api, f"http://127.0.0.1:{free_port()}", sleeps).nodes("pve1").qemu.post(vmid=165)
    assert info.value.sent is False and "refused" in str(info.value).lower()
    assert len(sleeps) == 3


def test_retries_can_be_turned_off(api: Any, mock: MockServer) -> None:
    mock.faults.reset_after_read, mock.faults.limit = 1.0, 1
    pve = api.ProxmoxVE(mock.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET, retries=api.NO_RETRIES)
    with pytest.raises(api.ConnectionFailedError):
        pve.nodes.get()
    assert calls(mock, "GET", "/nodes") == [0]


@pytest.mark.parametrize(
    "bad", [{"retries": -1}, {"retries": "3"}, {"timeout": 0}, {"timeout": (1, 2, 3)}, {"timeout": "5"}]
)
def test_bad_retry_and_timeout_settings(api: Any, bad: dict[str, Any]) -> None:
    with pytest.raises(api.ConfigurationError):
        api.ProxmoxVE("pve.example", token_id=MOCK_TOKEN_ID, token_secret="s", **bad)
