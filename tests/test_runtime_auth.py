"""Tickets, renewal, expiry and TFA of the generated clients, against `pvegen mock` over HTTP.

The runtime's behaviour is tested with the client of the runtime tests' spec (the embedded one,
which has the TFA challenge flow of PVE 7+); the otp flow of PVE 5/6 with the same client told so,
against the mock serving a spec whose login call has no challenge. test_runtime_auth_real.py tests each
release's client, generated from its real schema: the flow a client uses comes from its spec
(``TFA_FLOW``), and the mock implements that release's flow."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from pvegen import Spec
from pvegen.mock import MockServer
from pvegen.mock.auth import totp

from .fixtures_mock import MOCK_PASSWORD, MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MOCK_USER, MockFactory
from .test_mock_auth import tfa_spec

TFA_USER = "alice@pve"
TFA_PASSWORD = "alice-password-7c1e"
TFA_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


def current_code() -> str:
    return totp(TFA_SECRET, time.time())


class CodeSource:
    """An ``otp`` callable that counts how often the client asked for a code."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return current_code()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def start(mock_server: MockFactory, spec: Spec, **kwargs: Any) -> MockServer:
    users = [f"{MOCK_USER}:{MOCK_PASSWORD}", f"{TFA_USER}:{TFA_PASSWORD}"]
    return mock_server(spec, users=users, totp={TFA_USER: TFA_SECRET}, task_duration=0.0, **kwargs)


def logins(mock: MockServer) -> list[dict[str, Any]]:
    return [r.params for r in mock.requests if r.method == "POST" and r.path in ("/access/ticket", "/access/tfa")]


def test_ticket_cookie_and_csrf_only_on_writes(api: Any, mock_server: MockFactory, runtime_spec: Spec) -> None:
    srv = start(mock_server, runtime_spec)
    pve = api.ProxmoxVE(srv.url, user=MOCK_USER, password=MOCK_PASSWORD)
    pve.nodes.get()
    pve.nodes("pve1").qemu.post(vmid=120, name="csrf")
    pve.nodes("pve1").qemu(120).config.put(description="x")
    pve.nodes("pve1").qemu(120).delete()
    seen = [(r.method, r.path, r.auth, r.csrf, r.status) for r in srv.requests]
    assert seen[0][:2] == ("POST", "/access/ticket") and seen[0][2] is None
    assert seen[1:] == [
        ("GET", "/nodes", "ticket", False, 200),
        ("POST", "/nodes/pve1/qemu", "ticket", True, 200),
        ("PUT", "/nodes/pve1/qemu/120/config", "ticket", True, 200),
        ("DELETE", "/nodes/pve1/qemu/120", "ticket", True, 200),
    ]


def test_wrong_password_is_an_authentication_error(api: Any, mock_server: MockFactory, runtime_spec: Spec) -> None:
    srv = start(mock_server, runtime_spec)
    pve = api.ProxmoxVE(srv.url, user=MOCK_USER, password="not-the-password-31f")
    with pytest.raises(api.AuthenticationError) as info:
        pve.nodes.get()
    assert info.value.status == 401 and "not-the-password-31f" not in str(info.value)
    assert [r.path for r in srv.requests] == ["/access/ticket"]  # the call itself never went out


def test_renewal_posts_the_ticket_once_for_all_threads(api: Any, mock_server: MockFactory, runtime_spec: Spec) -> None:
    srv = start(mock_server, runtime_spec)
    clock, codes = FakeClock(), CodeSource()
    auth = api.TicketAuth(TFA_USER, TFA_PASSWORD, codes, flow="challenge", renew_after=3600, clock=clock)
    pve = api.ProxmoxVE(srv.url, auth=auth)
    pve.version.get()
    first = auth.ticket
    assert (auth.logins, auth.renewals, codes.calls) == (1, 0, 1)
    clock.now += 3601  # the ticket is an hour old: due for renewal, still valid on the server
    srv.requests.clear()
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(5):
                pve.nodes.get()
        except BaseException as err:  # reported by the assertion below
            errors.append(err)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # one renewal for 8 threads; it needed no second factor, so the ticket was the password
    assert (auth.logins, auth.renewals, codes.calls) == (1, 1, 1)
    assert len(logins(srv)) == 1 and set(logins(srv)[0]) == {"username", "password"}
    assert auth.ticket != first
    assert [r.status for r in srv.requests if r.path == "/nodes"] == [200] * 40


def test_expired_ticket_leads_to_one_new_login_and_one_repeat(
    api: Any, mock_server: MockFactory, runtime_spec: Spec
) -> None:
    srv = start(mock_server, runtime_spec)
    codes = CodeSource()
    pve = api.ProxmoxVE(srv.url, user=TFA_USER, password=TFA_PASSWORD, otp=codes)
    pve.nodes("pve1").qemu.post(vmid=130)
    srv.faults.expire_tickets()  # e.g. the node restarted, or the client slept for 3 hours
    srv.requests.clear()
    pve.nodes("pve1").qemu(130).config.put(description="after expiry")
    assert [(r.method, r.path, r.status) for r in srv.requests] == [
        ("PUT", "/nodes/pve1/qemu/130/config", 401),  # refused before anything happened
        ("POST", "/access/ticket", 200),
        ("POST", "/access/ticket", 200),  # the TFA challenge answered with a fresh code
        ("PUT", "/nodes/pve1/qemu/130/config", 200),
    ]
    assert codes.calls == 2


def test_threads_hitting_an_expired_ticket_log_in_once(api: Any, mock_server: MockFactory, runtime_spec: Spec) -> None:
    srv = start(mock_server, runtime_spec)
    codes = CodeSource()
    auth = api.TicketAuth(TFA_USER, TFA_PASSWORD, codes, flow="challenge")
    pve = api.ProxmoxVE(srv.url, auth=auth)
    pve.version.get()
    srv.faults.expire_tickets()
    barrier, errors = threading.Barrier(8), []

    def worker() -> None:
        try:
            barrier.wait()
            pve.nodes.get()
        except BaseException as err:  # reported by the assertion below
            errors.append(err)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert (auth.logins, codes.calls) == (2, 2)  # one new login for all eight refused calls
    assert sorted(r.status for r in srv.requests if r.path == "/nodes").count(200) == 8


def test_renewal_of_an_expired_ticket_falls_back_to_a_login(
    api: Any, mock_server: MockFactory, runtime_spec: Spec
) -> None:
    srv = start(mock_server, runtime_spec)
    clock = FakeClock()
    auth = api.TicketAuth(MOCK_USER, MOCK_PASSWORD, flow="challenge", clock=clock)
    pve = api.ProxmoxVE(srv.url, auth=auth)
    pve.version.get()
    srv.faults.expire_tickets()
    clock.now += 7200
    assert pve.version.get()["release"] == "9.1"
    assert (auth.logins, auth.renewals) == (2, 0)
    assert [r.status for r in srv.requests if r.path == "/access/ticket"] == [200, 401, 200]


def test_a_replacement_ticket_that_was_refused_too_is_replaced_again(
    api: Any, mock_server: MockFactory, runtime_spec: Spec
) -> None:
    """The race behind a 401 once seen under load: a call is refused with ticket T1; before it asks for a
    new ticket, another caller sharing the TicketAuth has already logged in again (T2), and the server
    has expired T2 as well (issued just before an expiry). The repeat with T2 is refused, so the call
    gets a ticket of its own (T3) instead of failing. A transport that runs the other caller right
    after the refused exchange makes the interleaving deterministic."""
    srv = start(mock_server, runtime_spec)
    auth = api.TicketAuth(MOCK_USER, MOCK_PASSWORD, flow="challenge")
    other = api.ProxmoxVE(srv.url, auth=auth)
    between: list[Callable[[], None]] = []  # runs once, after the next refused exchange

    class Interleaving(api.Transport):  # type: ignore[misc]
        def send(self, *args: Any, **kwargs: Any) -> Any:
            reply = super().send(*args, **kwargs)
            if reply.status == 401 and between:
                between.pop()()
            return reply

    def other_caller_logs_in_then_the_server_expires_its_ticket() -> None:
        assert other.version.get()["release"] == "9.1"  # refused with T1, logs in (T2), repeats
        srv.faults.expire_tickets()

    pve = api.ProxmoxVE(srv.url, auth=auth, transport=Interleaving())
    pve.version.get()
    srv.faults.expire_tickets()
    between.append(other_caller_logs_in_then_the_server_expires_its_ticket)
    srv.requests.clear()
    assert [n["node"] for n in pve.nodes.get()] == ["pve1"]
    assert [(r.method, r.path, r.status) for r in srv.requests] == [
        ("GET", "/nodes", 401),  # T1, expired
        ("GET", "/version", 401),  # the other caller, with T1 too
        ("POST", "/access/ticket", 200),  # its new ticket, T2
        ("GET", "/version", 200),
        ("GET", "/nodes", 401),  # the repeat with T2, expired meanwhile
        ("POST", "/access/ticket", 200),  # a ticket of the call's own, T3
        ("GET", "/nodes", 200),
    ]
    assert auth.logins == 3


def test_a_refused_token_is_not_retried(api: Any, mock_server: MockFactory, runtime_spec: Spec) -> None:
    srv = start(mock_server, runtime_spec)
    pve = api.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret="wrong-token-secret-9")
    with pytest.raises(api.AuthenticationError):
        pve.nodes.get()
    assert len(srv.requests) == 1


def assert_tfa_login(client: Any, spec: Spec, kind: str, mock_server: MockFactory) -> None:
    """A user with TOTP logs in with a code or a callback, in the flow ``client`` was generated with."""
    srv = start(mock_server, spec)
    otp: Any = current_code() if kind == "code" else CodeSource()
    pve = client.ProxmoxVE(srv.url, user=TFA_USER, password=TFA_PASSWORD, otp=otp)
    assert [n["node"] for n in pve.nodes.get()] == ["pve1"]
    assert_login_steps(srv, client.ProxmoxVE.TFA_FLOW, kind)


def assert_login_steps(srv: MockServer, flow: str, kind: str) -> None:
    steps = [(r.path, sorted(r.params)) for r in srv.requests if r.path.startswith("/access")]
    if flow == "challenge":
        assert steps == [
            ("/access/ticket", ["new-format", "password", "username"]),
            ("/access/ticket", ["new-format", "password", "tfa-challenge", "username"]),
        ]
    elif kind == "code":
        assert steps == [("/access/ticket", ["otp", "password", "username"])]
    else:
        assert steps == [("/access/ticket", ["password", "username"]), ("/access/tfa", ["response"])]
    assert srv.requests[-1].auth == "ticket" and srv.requests[-1].user == TFA_USER


def assert_tfa_failures_are_clear(client: Any, spec: Spec, mock_server: MockFactory) -> None:
    srv = start(mock_server, spec)
    with pytest.raises(client.TfaRequiredError) as needed:
        client.ProxmoxVE(srv.url, user=TFA_USER, password=TFA_PASSWORD).nodes.get()
    assert "otp" in str(needed.value) and isinstance(needed.value, client.AuthenticationError)
    wrong = str((int(current_code()) + 500_000) % 1_000_000).zfill(6)
    for otp in (wrong, lambda: wrong):
        with pytest.raises(client.AuthenticationError) as refused:
            client.ProxmoxVE(srv.url, user=TFA_USER, password=TFA_PASSWORD, otp=otp).nodes.get()
        assert refused.value.status == 401 and wrong not in str(refused.value)
    assert not any(r.path == "/nodes" for r in srv.requests)


@pytest.mark.parametrize("kind", ["code", "callback"])
def test_tfa_login_in_the_challenge_flow(kind: str, api: Any, runtime_spec: Spec, mock_server: MockFactory) -> None:
    assert api.ProxmoxVE.TFA_FLOW == "challenge"
    assert_tfa_login(api, runtime_spec, kind, mock_server)


@pytest.mark.parametrize("kind", ["code", "callback"])
def test_tfa_login_in_the_otp_flow(kind: str, api: Any, mock_server: MockFactory) -> None:
    """PVE 5/6: ``otp`` in the login, or a half ticket finished at ``POST /access/tfa`` (the client told the flow)."""
    srv = start(mock_server, tfa_spec("otp"))
    otp: Any = current_code() if kind == "code" else CodeSource()
    auth = api.TicketAuth(TFA_USER, TFA_PASSWORD, otp, flow="otp")
    assert [n["node"] for n in api.ProxmoxVE(srv.url, auth=auth).nodes.get()] == ["pve1"]
    assert_login_steps(srv, "otp", kind)


def test_tfa_failures_are_clear(api: Any, runtime_spec: Spec, mock_server: MockFactory) -> None:
    assert_tfa_failures_are_clear(api, runtime_spec, mock_server)


def _wait_for(pve: Any, node: str, upid: str) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while True:
        status: dict[str, Any] = pve.nodes(node).tasks(upid).status.get()
        if status["status"] == "stopped" or time.monotonic() > deadline:
            return status
        time.sleep(0.05)


@pytest.mark.parametrize("auth", ["token", "ticket+tfa"])
def test_seed_workflow(auth: str, api: Any, mock_server: MockFactory, runtime_spec: Spec) -> None:
    srv = start(mock_server, runtime_spec)
    if auth == "token":
        pve = api.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET)
    else:
        pve = api.ProxmoxVE(srv.url, user=TFA_USER, password=TFA_PASSWORD, otp=CodeSource())
    node = pve.nodes.get()[0]["node"]
    vms = pve.nodes(node).qemu
    created = vms.post(vmid=140, name="seed", memory="1024", cores=2, net={0: "virtio,bridge=vmbr0,firewall=1"})
    assert _wait_for(pve, node, created)["exitstatus"] == "OK"
    started = vms(140).status.start.post()
    assert _wait_for(pve, node, started)["exitstatus"] == "OK"
    assert vms(140).status.current.get()["status"] == "running"
    assert vms(140).config.get()["net0"].startswith("virtio")
    stopped = vms(140).status.stop.post()
    assert _wait_for(pve, node, stopped)["exitstatus"] == "OK"
    assert vms(140).status.current.get()["status"] == "stopped"
    deleted = vms(140).delete()
    assert _wait_for(pve, node, deleted)["exitstatus"] == "OK"
    assert all(vm["vmid"] != 140 for vm in vms.get())
    kinds = {r.auth for r in srv.requests if r.path != "/access/ticket"}
    assert kinds == ({"token"} if auth == "token" else {"ticket"})
