"""Auth as PVE does it: tokens, tickets + CSRF, renewal, expiry, and each release's TFA flow."""

from __future__ import annotations

import functools
import json
import re
import time

import pytest
import requests

from pvegen import Spec, load_spec_text
from pvegen.mock import MockServer, totp
from pvegen.mock.auth import Authenticator
from tests.fixtures_mock import MOCK_PASSWORD, MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MOCK_USER, MockFactory
from tests.test_mock_state import stateful_with_access, stateful_with_access_data

TOTP_USER = "alice@pve"
TOTP_PASSWORD = "alice-password"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"
TICKET = re.compile(r"^PVE:root@pam:[0-9A-F]{8}::\S+$")


@pytest.fixture
def srv(mock_server: MockFactory) -> MockServer:
    return mock_server(stateful_with_access())


def login(srv: MockServer, **data: str) -> requests.Response:
    return requests.post(f"{srv.url}/api2/json/access/ticket", data=data, timeout=10)


def test_token_auth(srv: MockServer) -> None:
    good = {"Authorization": f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"}
    assert requests.get(f"{srv.url}/api2/json/nodes", headers=good, timeout=10).status_code == 200
    # tokens need no CSRF token for writes
    assert requests.post(f"{srv.url}/api2/json/access/groups", data={"groupid": "g"}, headers=good, timeout=10).ok
    bad = {"Authorization": f"PVEAPIToken={MOCK_TOKEN_ID}=wrong"}
    response = requests.get(f"{srv.url}/api2/json/nodes", headers=bad, timeout=10)
    assert response.status_code == 401
    assert response.content == b""


def test_no_credentials_is_401_empty(srv: MockServer) -> None:
    response = requests.get(f"{srv.url}/api2/json/nodes", timeout=10)
    assert (response.status_code, response.reason, response.content) == (401, "No ticket", b"")


def test_token_refused_where_the_spec_forbids_tokens(srv: MockServer) -> None:
    op = srv.spec.operation("PUT", "/access/password")
    assert op is not None and op.allowtoken is False
    headers = {"Authorization": f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"}
    response = requests.put(
        f"{srv.url}/api2/json/access/password", data={"userid": "root@pam", "password": "x" * 8}, headers=headers,
        timeout=10,
    )  # fmt: skip
    assert response.status_code == 403


def test_ticket_login_cookie_and_csrf(srv: MockServer) -> None:
    response = login(srv, username=MOCK_USER, password=MOCK_PASSWORD)
    assert response.status_code == 200
    data = response.json()["data"]
    assert TICKET.match(data["ticket"])
    assert re.match(r"^[0-9A-F]{8}:\S+$", data["CSRFPreventionToken"])
    assert data["username"] == MOCK_USER
    assert "cap" in data
    cookies = {"PVEAuthCookie": data["ticket"]}
    assert requests.get(f"{srv.url}/api2/json/nodes", cookies=cookies, timeout=10).status_code == 200
    url = f"{srv.url}/api2/json/access/groups"
    no_csrf = requests.post(url, data={"groupid": "g1"}, cookies=cookies, timeout=10)
    assert (no_csrf.status_code, no_csrf.content) == (401, b"")
    bad_csrf = requests.post(
        url, data={"groupid": "g1"}, cookies=cookies, headers={"CSRFPreventionToken": "0000:x"}, timeout=10
    )
    assert bad_csrf.status_code == 401
    headers = {"CSRFPreventionToken": data["CSRFPreventionToken"]}
    assert requests.post(url, data={"groupid": "g1"}, cookies=cookies, headers=headers, timeout=10).status_code == 200


def test_wrong_password_is_401(srv: MockServer) -> None:
    assert login(srv, username=MOCK_USER, password="nope").status_code == 401
    assert login(srv, username="nobody@pam", password=MOCK_PASSWORD).status_code == 401


def test_realm_parameter_completes_the_user(srv: MockServer) -> None:
    response = login(srv, username="root", realm="pam", password=MOCK_PASSWORD)
    assert response.json()["data"]["username"] == "root@pam"


def test_ticket_renews_when_posted_as_password(srv: MockServer) -> None:
    first = login(srv, username=MOCK_USER, password=MOCK_PASSWORD).json()["data"]["ticket"]
    renewed = login(srv, username=MOCK_USER, password=first)
    assert renewed.status_code == 200
    second = renewed.json()["data"]["ticket"]
    assert TICKET.match(second) and second != first
    # another user's ticket does not log you in as someone else
    assert login(srv, username="other@pve", password=first).status_code == 401


def test_expired_tickets_are_refused_and_login_works_again(srv: MockServer) -> None:
    ticket = login(srv, username=MOCK_USER, password=MOCK_PASSWORD).json()["data"]["ticket"]
    srv.faults.expire_tickets()
    response = requests.get(f"{srv.url}/api2/json/nodes", cookies={"PVEAuthCookie": ticket}, timeout=10)
    assert response.status_code == 401
    assert login(srv, username=MOCK_USER, password=ticket).status_code == 401  # cannot renew an expired one
    fresh = login(srv, username=MOCK_USER, password=MOCK_PASSWORD).json()["data"]["ticket"]
    assert requests.get(f"{srv.url}/api2/json/nodes", cookies={"PVEAuthCookie": fresh}, timeout=10).ok


def test_ticket_lifetime() -> None:
    auth = Authenticator(users=["root@pam:pw"], ticket_lifetime=7200)
    now = time.time()
    ticket = auth.issue_ticket("root@pam", now=now)
    assert auth.ticket_data(ticket, now=now + 7199) == "root@pam"
    assert auth.ticket_data(ticket, now=now + 7201) is None
    assert auth.ticket_data(ticket.replace("root@pam", "evil@pam"), now=now) is None


def test_totp_matches_rfc6238_vector() -> None:
    # RFC 6238 appendix B, SHA-1 secret "12345678901234567890", T=59 -> 94287082 (8 digits)
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp(secret, 59, digits=8) == "94287082"
    assert totp(secret, 1111111109, digits=8) == "07081804"


def tfa_server(mock_server: MockFactory, spec: Spec) -> MockServer:
    return mock_server(spec, users=[f"{TOTP_USER}:{TOTP_PASSWORD}"], totp={TOTP_USER: TOTP_SECRET})


def _code() -> str:
    return totp(TOTP_SECRET, time.time())


# -- the TFA flows, each on the access spec with the login call as a release of that flow declares it ----------------
# (test_mock_auth_real.py runs the same steps on the real releases)
SECOND_STEP = {"method": "POST", "path": "/access/tfa", "name": "verify_tfa", "allowtoken": 0,
               "parameters": {"response": {"type": "string"}}, "permissions": {"user": "all"},
               "returns": {"type": "object", "properties": {"ticket": {"type": "string"}}}}  # fmt: skip


@functools.cache
def tfa_spec(flow: str) -> Spec:
    """``otp``: the login of PVE 5/6 (no ``tfa-challenge``; a half ticket is finished at ``POST /access/tfa``);
    ``challenge-optional``: 7.x (``new-format`` defaults to 0, ``/access/tfa`` still there); ``challenge``: 8+
    (the embedded spec's login)."""
    data = stateful_with_access_data()
    if flow != "challenge":
        [ticket] = [op for op in data["operations"] if (op["method"], op["path"]) == ("POST", "/access/ticket")]
        parameters = ticket["parameters"]
        if flow == "otp":
            del parameters["tfa-challenge"], parameters["new-format"]
        else:
            parameters["new-format"] = {**parameters["new-format"], "default": 0}
        data["operations"].append(SECOND_STEP)
    spec = load_spec_text(json.dumps(data), source=f"{flow}-login.json")
    assert spec.tfa_flow == flow  # the premise: the model reads the flow from the login call
    return spec


def old_tfa_flow(srv: MockServer) -> None:
    """A password gives a half ticket (no login); ``POST /access/tfa`` with the code makes it a full one."""
    first = login(srv, username=TOTP_USER, password=TOTP_PASSWORD).json()["data"]
    assert first["NeedTFA"] == 1
    half = first["ticket"]
    # the half ticket is no login
    assert requests.get(f"{srv.url}/api2/json/nodes", cookies={"PVEAuthCookie": half}, timeout=10).status_code == 401
    response = requests.post(
        f"{srv.url}/api2/json/access/tfa", data={"response": _code()}, cookies={"PVEAuthCookie": half},
        headers={"CSRFPreventionToken": first["CSRFPreventionToken"]}, timeout=10,
    )  # fmt: skip
    assert response.status_code == 200
    full = response.json()["data"]["ticket"]
    assert requests.get(f"{srv.url}/api2/json/nodes", cookies={"PVEAuthCookie": full}, timeout=10).ok


def otp_in_one_step(srv: MockServer) -> None:
    """``otp`` with the password logs in at once; a wrong code is refused."""
    data = login(srv, username=TOTP_USER, password=TOTP_PASSWORD, otp=_code()).json()["data"]
    assert "NeedTFA" not in data
    assert requests.get(f"{srv.url}/api2/json/nodes", cookies={"PVEAuthCookie": data["ticket"]}, timeout=10).ok
    assert login(srv, username=TOTP_USER, password=TOTP_PASSWORD, otp="000000").status_code in (401,)


def new_tfa_challenge_flow(srv: MockServer, extra: dict[str, str]) -> None:
    """A password gives a challenge ticket, posted back as ``tfa-challenge`` with ``password=totp:CODE``."""
    first = login(srv, username=TOTP_USER, password=TOTP_PASSWORD, **extra).json()["data"]
    assert first["NeedTFA"] == 1
    assert "!tfa!" in first["ticket"]
    wrong = login(srv, username=TOTP_USER, password="totp:000000", **{"tfa-challenge": first["ticket"]})
    assert wrong.status_code == 401
    done = login(srv, username=TOTP_USER, password=f"totp:{_code()}", **{"tfa-challenge": first["ticket"]})
    assert done.status_code == 200
    ticket = done.json()["data"]["ticket"]
    assert requests.get(f"{srv.url}/api2/json/nodes", cookies={"PVEAuthCookie": ticket}, timeout=10).ok


def challenge_parameter_is_refused(srv: MockServer) -> None:
    response = login(srv, username=TOTP_USER, password="totp:123456", **{"tfa-challenge": "x"})
    assert response.status_code == 400
    assert "tfa-challenge" in response.json()["errors"]


@pytest.mark.parametrize("flow", ["otp", "challenge-optional"])
def test_old_tfa_flow(mock_server: MockFactory, flow: str) -> None:
    old_tfa_flow(tfa_server(mock_server, tfa_spec(flow)))


@pytest.mark.parametrize("flow", ["otp", "challenge-optional", "challenge"])
def test_otp_in_one_step(mock_server: MockFactory, flow: str) -> None:
    otp_in_one_step(tfa_server(mock_server, tfa_spec(flow)))


@pytest.mark.parametrize(("flow", "extra"), [("challenge-optional", {"new-format": "1"}), ("challenge", {})])
def test_new_tfa_challenge_flow(mock_server: MockFactory, flow: str, extra: dict[str, str]) -> None:
    new_tfa_challenge_flow(tfa_server(mock_server, tfa_spec(flow)), extra)


def test_a_login_without_challenges_refuses_the_challenge_parameter(mock_server: MockFactory) -> None:
    challenge_parameter_is_refused(tfa_server(mock_server, tfa_spec("otp")))


def test_users_created_through_the_api_can_log_in(srv: MockServer) -> None:
    root = login(srv, username=MOCK_USER, password=MOCK_PASSWORD).json()["data"]
    session = requests.Session()
    session.cookies.set("PVEAuthCookie", root["ticket"])
    session.headers["CSRFPreventionToken"] = root["CSRFPreventionToken"]
    base = f"{srv.url}/api2/json"
    assert session.post(f"{base}/access/users", data={"userid": "carol@pve", "password": "first-pw"}, timeout=10).ok
    assert login(srv, username="carol@pve", password="first-pw").status_code == 200
    assert session.put(f"{base}/access/password", data={"userid": "carol@pve", "password": "second-pw"}, timeout=10).ok
    assert login(srv, username="carol@pve", password="first-pw").status_code == 401
    assert login(srv, username="carol@pve", password="second-pw").status_code == 200
