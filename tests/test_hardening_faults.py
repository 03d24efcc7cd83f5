"""Client faults, systematically: every fault `pvegen mock` injects x every HTTP method, through
the generated client of the runtime tests' spec, proven by the mock's request log and by the
cluster state read back through the API afterwards.

The rule under test: a GET recovers within the retry policy (or raises a clear error once the
policy is spent); a POST/PUT/DELETE that may have reached the server raises a clear error and is
never sent twice; nothing partial is ever returned as a success. Every test counts the faults the
mock injected (``faults_injected`` in the JUnit properties) and asserts that count exactly.

What ``tests/test_runtime_retry.py`` and ``tests/test_runtime_auth.py`` already prove is not
repeated here; this file fills the matrix around them (PUT and DELETE, bursts past the policy,
each fault's server-side trace, expiry for every method, restarts).

Server restart (see ``test_restart_*``): ``MockServer.stop()`` closes the listening socket but
not keep-alive connections already open, so a stopped mock would go on answering on them. The
tests make the old server's open connections behave like a dead process's: its faults reset every
request it reads. Two kinds of restart are covered: the same MockServer started again on the same
port (state and ticket key kept, like a PVE node whose pveproxy restarts) and a new MockServer on
the same port (a fresh cluster: the VM made before is gone and old tickets are refused).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from pvegen import Spec
from pvegen.mock import MockServer

from .fixtures_client import Sleeps
from .fixtures_mock import MOCK_PASSWORD, MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MOCK_USER, MockFactory

NODE = "pve1"
ATTEMPTS = 3  # retries after the first try, for every client in this file
SLOW_LATENCY, READ_TIMEOUT = 0.7, 0.3  # the "slow" fault answers well after the client's read timeout
FAULTS = ("reset_before_read", "reset_after_read", "502", "503", "slow", "truncated")
WRITES = ("POST", "PUT", "DELETE")


def policy(api: Any, sleep: Callable[[float], None]) -> Any:
    return api.RetryPolicy(attempts=ATTEMPTS, backoff=0.05, max_backoff=0.2, sleep=sleep)


def token_client(api: Any, url: str, sleeps: Callable[[float], None], **kwargs: Any) -> Any:
    return api.ProxmoxVE(url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET,
                           retries=policy(api, sleeps), **kwargs)  # fmt: skip


def setup_call(mock: MockServer, method: str, path: str, **data: Any) -> Any:
    """A call outside the client under test, on a connection closed right after (so no idle
    keep-alive connection of the setup can take a fault meant for the client)."""
    headers = {"Authorization": f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}", "Connection": "close"}
    answer = requests.request(method, f"{mock.url}/api2/json{path}", data=data or None, headers=headers, timeout=10)
    assert answer.status_code == 200, (method, path, answer.status_code, answer.reason)
    return answer.json()["data"]


def vmids(mock: MockServer) -> set[int]:
    return {int(vm["vmid"]) for vm in setup_call(mock, "GET", f"/nodes/{NODE}/qemu")}


def records(mock: MockServer, method: str, path: str) -> list[int]:
    return [r.status for r in mock.requests if r.method == method and r.path == path]


def wait_for_records(mock: MockServer, method: str, path: str, count: int) -> list[int]:
    """Slow answers are recorded when the server sends them, after the client gave up."""
    deadline = time.monotonic() + 10
    while len(records(mock, method, path)) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.05)  # and nothing more arrives
    return records(mock, method, path)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass
class Armed:
    """A fault switched on for the next ``count`` requests to ``path``."""

    srv: MockServer
    count: int

    @property
    def injected(self) -> int:
        left = self.srv.faults.limit
        assert left is not None
        return self.count - left


def arm(mock: MockServer, fault: str, count: int, path: str) -> Armed:
    faults = mock.faults
    faults.clear()
    if fault == "reset_before_read":
        faults.reset_before_read = 1.0  # not restricted by path: the request is never read
    elif fault == "reset_after_read":
        faults.reset_after_read = 1.0
    elif fault in ("502", "503"):
        faults.error_status, faults.error_rate = int(fault), 1.0
    elif fault == "slow":
        faults.latency = SLOW_LATENCY
    elif fault == "truncated":
        faults.truncate_rate = 1.0
    else:
        raise AssertionError(fault)
    faults.path, faults.limit = path, count
    return Armed(mock, count)


def client_options(fault: str) -> dict[str, Any]:
    return {"timeout": (5.0, READ_TIMEOUT)} if fault == "slow" else {}


# -- the expected outcome of one faulted write ----------------------------------------------
ERROR_OF = {"reset_before_read": "ConnectionFailedError", "reset_after_read": "ConnectionFailedError",
            "502": "ServerError", "503": "ServerError", "slow": "TimeoutError",
            "truncated": "ConnectionFailedError"}  # fmt: skip
# what the server's log shows for the one try: nothing (never read), 0 (read, then reset),
# the gateway status, or 200 (it did the work; the answer was late or cut short)
TRACE_OF: dict[str, list[int]] = {"reset_before_read": [], "reset_after_read": [0], "502": [502], "503": [503],
                                  "slow": [200], "truncated": [200]}  # fmt: skip


def effect_happened(fault: str) -> bool:
    return TRACE_OF[fault] == [200]


@pytest.fixture
def tally(request: pytest.FixtureRequest) -> Iterator[list[int]]:
    """Faults injected by the test, reported as the ``faults_injected`` property (JUnit XML)."""
    counts: list[int] = []
    yield counts
    request.node.user_properties.append(("faults_injected", sum(counts)))


# -- GET: recovers within the policy, fails clearly past it ----------------------------------
@pytest.mark.parametrize("fault", FAULTS)
def test_get_recovers_within_the_retry_policy(api: Any, mock: MockServer, fault: str, tally: list[int]) -> None:
    setup_call(mock, "POST", f"/nodes/{NODE}/qemu", vmid=200, name="get-target", cores=2)
    path = f"/nodes/{NODE}/qemu/200/config"
    expected = setup_call(mock, "GET", path)
    mock.requests.clear()
    armed = arm(mock, fault, ATTEMPTS, path)
    sleeps = Sleeps()
    config = token_client(api, mock.url, sleeps, **client_options(fault)).nodes(NODE).qemu(200).config.get()
    tally.append(armed.injected)
    assert armed.injected == ATTEMPTS and len(sleeps) == ATTEMPTS
    assert config == expected and config["name"] == "get-target"  # the whole answer, never a part
    trace = {"reset_before_read": [200], "reset_after_read": [0, 0, 0, 200], "502": [502, 502, 502, 200],
             "503": [503, 503, 503, 200], "slow": [200] * 4, "truncated": [200] * 4}[fault]  # fmt: skip
    assert wait_for_records(mock, "GET", path, len(trace)) == trace


@pytest.mark.parametrize("fault", FAULTS)
def test_get_past_the_retry_policy_raises_a_clear_error(
    api: Any, mock: MockServer, fault: str, tally: list[int]
) -> None:
    path = "/version"
    armed = arm(mock, fault, ATTEMPTS + 5, path)
    sleeps = Sleeps()
    pve = token_client(api, mock.url, sleeps, **client_options(fault))
    with pytest.raises(api.ProxmoxError) as info:
        pve.version.get()
    tally.append(armed.injected)
    err = info.value
    assert type(err).__name__ == ERROR_OF[fault]
    assert armed.injected == ATTEMPTS + 1 and len(sleeps) == ATTEMPTS  # the first try and every retry
    assert str(err).startswith("GET /version")
    if isinstance(err, api.ConnectionFailedError):
        # a reset before reading may reach the client while it is still connecting: then it knows
        # nothing was sent (see test_a_write_reset_before_it_was_read_happens_at_most_once)
        assert err.sent is True or fault == "reset_before_read"
        assert ("may have reached the server" in str(err)) == err.sent
    else:
        assert err.status == int(fault) and "simulated server error" in err.message
    expected = TRACE_OF[fault] * (ATTEMPTS + 1)
    assert wait_for_records(mock, "GET", path, len(expected)) == expected
    mock.faults.clear()
    assert pve.version.get()["release"] == "9.1"  # the same client works again once the fault is gone


# -- writes: one try, a clear error, never sent twice -----------------------------------------
def write_call(pve: Any, method: str, vmid: int) -> Callable[[], Any]:
    vms = pve.nodes(NODE).qemu
    if method == "POST":
        return lambda: vms.post(vmid=vmid, name="fault-post", cores=1)
    if method == "PUT":
        return lambda: vms(vmid).config.put(description="written-once")
    return lambda: vms(vmid).delete()


def write_path(method: str, vmid: int) -> str:
    return {"POST": f"/nodes/{NODE}/qemu", "PUT": f"/nodes/{NODE}/qemu/{vmid}/config",
            "DELETE": f"/nodes/{NODE}/qemu/{vmid}"}[method]  # fmt: skip


def assert_done(mock: MockServer, method: str, vmid: int, done: bool) -> None:
    """The cluster, read back through the API, shows the write exactly once (done) or not at all."""
    if method == "POST":
        assert (vmid in vmids(mock)) == done
        created = [t for t in mock.state.tasks.all() if t.type == "qmcreate" and t.id == str(vmid)]
        assert len(created) == (1 if done else 0)
    elif method == "PUT":
        config = setup_call(mock, "GET", f"/nodes/{NODE}/qemu/{vmid}/config")
        assert (config.get("description") == "written-once") == done
    else:
        assert (vmid not in vmids(mock)) == done


@pytest.mark.parametrize("method", WRITES)
@pytest.mark.parametrize("fault", [f for f in FAULTS if f != "reset_before_read"])
def test_a_faulted_write_is_sent_once_and_fails_clearly(
    api: Any, mock: MockServer, fault: str, method: str, tally: list[int]
) -> None:
    vmid = 210
    if method != "POST":
        setup_call(mock, "POST", f"/nodes/{NODE}/qemu", vmid=vmid, name="write-target")
    mock.requests.clear()
    path = write_path(method, vmid)
    armed = arm(mock, fault, ATTEMPTS, path)  # the fault would hit every retry: none may happen
    sleeps = Sleeps()
    pve = token_client(api, mock.url, sleeps, **client_options(fault))
    with pytest.raises(api.ProxmoxError) as info:
        write_call(pve, method, vmid)()
    tally.append(armed.injected)
    err = info.value
    assert type(err).__name__ == ERROR_OF[fault] and str(err).startswith(f"{method} {path}")
    if isinstance(err, api.ConnectionFailedError):
        assert err.sent is True and "may have reached the server" in str(err)
    else:
        assert err.status == int(fault)
    assert armed.injected == 1 and sleeps == []  # one try, no retry
    assert wait_for_records(mock, method, path, len(TRACE_OF[fault])) == TRACE_OF[fault]
    mock.faults.clear()
    assert_done(mock, method, vmid, effect_happened(fault))
    assert records(mock, method, path) == TRACE_OF[fault]  # and still no second try


@pytest.mark.parametrize("method", WRITES)
def test_a_write_reset_before_it_was_read_happens_at_most_once(
    api: Any, mock: MockServer, method: str, tally: list[int]
) -> None:
    """The server resets the connection before reading anything. The client sees the reset
    either while connecting (nothing sent: retried, as after a refused connection) or after it
    wrote the request (``sent=True``: never repeated); scheduling decides which. Either way
    the write happens at most once and the client's error says which case it was."""
    vmid = 215
    if method != "POST":
        setup_call(mock, "POST", f"/nodes/{NODE}/qemu", vmid=vmid, name="write-target")
    mock.requests.clear()
    path = write_path(method, vmid)
    armed = arm(mock, "reset_before_read", ATTEMPTS, path)
    sleeps = Sleeps()
    pve = token_client(api, mock.url, sleeps)
    try:
        write_call(pve, method, vmid)()
    except api.ConnectionFailedError as err:
        # a try that may have been sent: never repeated (earlier tries, if any, were not sent)
        assert err.sent is True and "may have reached the server" in str(err)
        assert str(err).startswith(f"{method} {path}") and armed.injected == len(sleeps) + 1
        done = False
    else:
        # every reset came while connecting: retried until the fault ran out, done once
        assert armed.injected == len(sleeps) == ATTEMPTS
        done = True
    tally.append(armed.injected)
    assert records(mock, method, path) == ([200] if done else [])  # no reset try was ever read
    mock.faults.clear()
    assert_done(mock, method, vmid, done)
    assert records(mock, method, path) == ([200] if done else [])


def test_a_write_recovers_only_when_nothing_was_sent(
    api: Any, mock_server: MockFactory, runtime_spec: Spec, tally: list[int]
) -> None:
    """The one case a write is repeated: the first tries never reached a server (refused)."""
    port = free_port()
    srv = mock_server(runtime_spec, port=port, task_duration=0.0)
    srv.stop()
    sleeps: list[float] = []

    def restart_during_backoff(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 2:
            srv.start()  # same object, same port: up again before the third try

    pve = api.ProxmoxVE(f"http://127.0.0.1:{port}", token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET,
                          retries=policy(api, restart_during_backoff))  # fmt: skip
    upid = pve.nodes(NODE).qemu.post(vmid=220, name="after-refusals")
    tally.append(2)  # two refused connections
    assert upid.startswith("UPID:") and len(sleeps) == 2
    assert records(srv, "POST", f"/nodes/{NODE}/qemu") == [200] and 220 in vmids(srv)


# -- ticket expiry mid-run, for every method ------------------------------------------------
@pytest.mark.parametrize("method", ["GET", *WRITES])
def test_an_expired_ticket_costs_one_login_and_one_repeat(
    api: Any, mock: MockServer, method: str, tally: list[int]
) -> None:
    vmid = 230
    setup_call(mock, "POST", f"/nodes/{NODE}/qemu", vmid=vmid + 1, name="expiry-target")
    sleeps = Sleeps()
    pve = api.ProxmoxVE(mock.url, user=MOCK_USER, password=MOCK_PASSWORD, retries=policy(api, sleeps))
    assert pve.version.get()["release"] == "9.1"  # logged in
    mock.faults.expire_tickets()
    tally.append(1)
    mock.requests.clear()
    target = vmid if method == "POST" else vmid + 1
    path = f"/nodes/{NODE}/qemu/{target}/config" if method == "GET" else write_path(method, target)
    result = pve.nodes(NODE).qemu(target).config.get() if method == "GET" else write_call(pve, method, target)()
    assert [(r.method, r.path, r.status) for r in mock.requests] == [
        (method, path, 401),  # refused before anything happened
        ("POST", "/access/ticket", 200),
        (method, path, 200),
    ]
    assert sleeps == []
    if method == "GET":
        assert result["name"] == "expiry-target"
    else:
        assert result is None if method == "PUT" else result.startswith("UPID:")
    state = vmids(mock)
    assert {"POST": vmid in state, "PUT": True, "DELETE": target not in state, "GET": True}[method]
    if method == "POST":
        assert len([t for t in mock.state.tasks.all() if t.type == "qmcreate" and t.id == str(vmid)]) == 1


def test_expiry_with_a_login_that_fails_leaves_the_write_undone(api: Any, mock: MockServer, tally: list[int]) -> None:
    """The ticket expired and the new login hits a 503: a clear error, the refused write is
    not repeated behind the caller's back, and nothing happened."""
    sleeps = Sleeps()
    pve = api.ProxmoxVE(mock.url, user=MOCK_USER, password=MOCK_PASSWORD, retries=policy(api, sleeps))
    pve.version.get()
    mock.faults.expire_tickets()
    armed = arm(mock, "503", ATTEMPTS, "/access/ticket")
    mock.requests.clear()
    with pytest.raises(api.ServerError) as info:
        pve.nodes(NODE).qemu.post(vmid=240, name="never")
    tally.extend([1, armed.injected])
    assert info.value.status == 503 and str(info.value).startswith("POST /access/ticket")
    assert armed.injected == 1 and sleeps == []  # a login is a POST: not retried on a 503 either
    assert [(r.path, r.status) for r in mock.requests] == [(f"/nodes/{NODE}/qemu", 401), ("/access/ticket", 503)]
    mock.faults.clear()
    assert 240 not in vmids(mock)
    # the next call still holds the expired ticket: refused (before doing anything), one login, one repeat
    assert pve.nodes(NODE).qemu.post(vmid=240, name="now").startswith("UPID:")
    assert records(mock, "POST", f"/nodes/{NODE}/qemu") == [401, 401, 200] and 240 in vmids(mock)


# -- server restart ---------------------------------------------------------------------------
def crash(mock: MockServer) -> None:
    """Stop the server; a request that then arrives on one of its open keep-alive connections is
    read and the connection reset, as when the process dies with the request in flight (stop()
    alone would leave those connections answering). Resetting idle connections instead would race
    with the client, which may or may not notice before its next request."""
    mock.faults.clear()
    mock.faults.reset_after_read = 1.0
    mock.stop()


def test_restart_with_the_same_state(api: Any, mock_server: MockFactory, runtime_spec: Spec, tally: list[int]) -> None:
    port = free_port()
    srv = mock_server(runtime_spec, port=port, task_duration=0.0)
    sleeps: list[float] = []
    restart_on: list[int] = []

    def backoff(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) in restart_on:
            srv.faults.clear()
            srv.start()

    token = api.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET,
                            retries=policy(api, backoff))  # fmt: skip
    ticket = api.ProxmoxVE(srv.url, user=MOCK_USER, password=MOCK_PASSWORD, retries=policy(api, backoff))
    assert token.nodes(NODE).qemu.post(vmid=250, name="before-restart").startswith("UPID:")
    assert ticket.version.get()["release"] == "9.1"
    first_ticket = ticket._auth.ticket

    # 1. a GET meets the dead connection (reset), then a refused port, then the restarted server
    crash(srv)
    restart_on[:] = [2]
    assert [vm["vmid"] for vm in token.nodes(NODE).qemu.get()] == [250]  # the state survived
    assert len(sleeps) == 2

    # 2. a write on a dead connection: the old process may have read it; one try, a clear error
    crash(srv)
    srv.requests.clear()
    with pytest.raises(api.ConnectionFailedError) as info:
        token.nodes(NODE).qemu(250).config.put(description="lost-in-crash")
    assert info.value.sent is True and len(sleeps) == 2  # no retry
    assert records(srv, "PUT", f"/nodes/{NODE}/qemu/250/config") == [0]  # read by the dying server, undone
    srv.faults.clear()
    srv.start()

    # 3. a write while the server is down and no connection is left: refused, retried, done once
    srv.stop()
    srv.requests.clear()
    restart_on[:] = [3]
    token.close()  # no pooled connection: the next try connects anew and is refused
    assert token.nodes(NODE).qemu.post(vmid=251, name="after-restart").startswith("UPID:")
    assert records(srv, "POST", f"/nodes/{NODE}/qemu") == [200] and len(sleeps) == 3

    # 4. tickets survive a restart that keeps the server's key: no new login
    crash(srv)
    restart_on[:] = [4]
    assert ticket.nodes(NODE).qemu(250).config.get().get("description") is None
    assert ticket._auth.ticket == first_ticket and ticket._auth.logins == 1
    assert vmids(srv) == {250, 251}
    # faults: a reset and a refusal (step 1), a reset (2), a refusal (3), a reset (4)
    tally.append(5)


def test_restart_with_a_fresh_state(api: Any, mock_server: MockFactory, runtime_spec: Spec, tally: list[int]) -> None:
    port = free_port()
    old = mock_server(runtime_spec, port=port, task_duration=0.0)
    sleeps = Sleeps()
    ticket = api.ProxmoxVE(old.url, user=MOCK_USER, password=MOCK_PASSWORD, retries=policy(api, sleeps))
    assert ticket.nodes(NODE).qemu.post(vmid=260, name="gone-after-restart").startswith("UPID:")
    crash(old)
    new = mock_server(runtime_spec, port=port, task_duration=0.0)
    # the pooled connection is dead (reset, retried: a GET), then the new server refuses the
    # old ticket (its key is new): one login, one repeat
    assert ticket.nodes(NODE).qemu.get() == []  # a fresh cluster: the VM made before is gone
    assert len(sleeps) == 1 and records(old, "GET", f"/nodes/{NODE}/qemu") == [0]
    assert [(r.method, r.path, r.status) for r in new.requests] == [
        ("GET", f"/nodes/{NODE}/qemu", 401),
        ("POST", "/access/ticket", 200),
        ("GET", f"/nodes/{NODE}/qemu", 200),
    ]
    assert ticket._auth.logins == 2
    assert ticket.nodes(NODE).qemu.post(vmid=260, name="made-again").startswith("UPID:")
    assert records(new, "POST", f"/nodes/{NODE}/qemu") == [200] and vmids(new) == {260}
    tally.append(2)  # one reset, one refused ticket
