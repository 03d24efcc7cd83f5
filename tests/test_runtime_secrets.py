"""Secrets (token secrets, passwords, TOTP codes, tickets, CSRF tokens) never appear in debug
logs, reprs, exception text or tracebacks, and clients refuse to be pickled. Against
`pvegen mock` over HTTP."""

from __future__ import annotations

import logging
import pickle
import time
import traceback
from typing import Any

import pytest

from pvegen import Spec
from pvegen.mock import MockServer
from pvegen.mock.auth import totp

from .fixtures_client import GeneratedClient
from .fixtures_mock import MOCK_PASSWORD, MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MOCK_USER, MockFactory

TFA_USER, TFA_PASSWORD, TFA_SECRET = "carol@pve", "carol-pw-5d0b8e", "KRSXG5CTMVRXEZLUKRSXG5CT"
NEW_USER_PASSWORD = "new-user-pw-8f2a61"


@pytest.fixture
def srv(mock_server: MockFactory, runtime_spec: Spec) -> MockServer:
    users = [f"{MOCK_USER}:{MOCK_PASSWORD}", f"{TFA_USER}:{TFA_PASSWORD}"]
    return mock_server(runtime_spec, users=users, totp={TFA_USER: TFA_SECRET}, task_duration=0.0)


def secrets_of(*clients: Any) -> list[str]:
    found = [MOCK_TOKEN_SECRET, MOCK_PASSWORD, TFA_PASSWORD, NEW_USER_PASSWORD]
    for client in clients:
        auth = client._auth
        found += [v for v in (getattr(auth, "_session", None) or ()) if v]
    return found


def test_debug_log_masks_every_secret(api: Any, runtime_client: GeneratedClient, srv: MockServer,
                                      caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    codes: list[str] = []

    def otp() -> str:
        codes.append(totp(TFA_SECRET, time.time()))
        return codes[-1]

    with caplog.at_level(logging.DEBUG, logger=runtime_client.package):
        token = api.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET)
        token.nodes.get()
        token.access.users.post(userid="dave@pve", password=NEW_USER_PASSWORD, comment="x")
        ticket = api.ProxmoxVE(srv.url, user=TFA_USER, password=TFA_PASSWORD, otp=otp)
        ticket.nodes("pve1").qemu.post(vmid=180, name="logged")
        srv.faults.expire_tickets()
        ticket.version.get()  # a 401, a new login with TFA, the repeat
        with pytest.raises(api.AuthenticationError):
            api.ProxmoxVE(srv.url, user=MOCK_USER, password="wrong-" + MOCK_PASSWORD).version.get()
    text = caplog.text
    assert "POST /access/ticket" in text and "GET /nodes -> HTTP 200" in text and "-> HTTP 401" in text
    assert "password=***" in text and "tfa-challenge=***" in text and "comment=x" in text
    assert len(codes) == 2
    for secret in [*secrets_of(token, ticket), *codes]:
        assert secret not in text
    assert {r.name for r in caplog.records} == {runtime_client.package}  # the package's own logger


def test_reprs_hide_secrets(api: Any, srv: MockServer) -> None:
    token = api.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET)
    ticket = api.ProxmoxVE(srv.url, user=MOCK_USER, password=MOCK_PASSWORD)
    ticket.version.get()
    texts = [repr(c) for c in (token, ticket)] + [repr(c._auth) for c in (token, ticket)]
    texts += [repr(token._transport), repr(ticket.nodes("pve1")), str(token)]
    assert "<hidden>" in texts[2] and "logged in" in texts[3]
    for secret in secrets_of(token, ticket):
        assert all(secret not in text for text in texts)


def test_clients_refuse_to_be_pickled(api: Any, srv: MockServer) -> None:
    token = api.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET)
    ticket = api.ProxmoxVE(srv.url, user=MOCK_USER, password=MOCK_PASSWORD)
    ticket.version.get()
    for thing in (token, ticket, token.nodes("pve1").qemu(100), token._auth, ticket._auth, token._transport):
        with pytest.raises(TypeError, match="cannot be pickled") as info:
            pickle.dumps(thing)
        assert all(secret not in str(info.value) for secret in secrets_of(token, ticket))


def _full_text(err: BaseException) -> str:
    return "".join(traceback.format_exception(err)) + repr(err.__dict__)


def test_exceptions_carry_no_secret_and_no_chained_request(api: Any, srv: MockServer) -> None:
    wrong = api.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET + "-x")
    failures: list[BaseException] = []
    with pytest.raises(api.AuthenticationError) as refused:
        wrong.version.get()
    failures.append(refused.value)
    srv.faults.reset_after_read = 1.0
    token = api.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET, retries=0)
    with pytest.raises(api.ConnectionFailedError) as reset:
        token.access.users.post(userid="erin@pve", password=NEW_USER_PASSWORD)
    failures.append(reset.value)
    srv.faults.clear()
    ticket = api.ProxmoxVE(srv.url, user=MOCK_USER, password="bad-" + MOCK_PASSWORD)
    with pytest.raises(api.AuthenticationError) as bad_login:
        ticket.version.get()
    failures.append(bad_login.value)
    for err in failures:
        # requests' exceptions hold the request with its headers: none may hang off ours
        assert err.__cause__ is None and err.__context__ is None
        for secret in [*secrets_of(token), "bad-" + MOCK_PASSWORD]:
            assert secret not in _full_text(err)
