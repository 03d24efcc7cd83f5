"""One sweep for every secret the test suite uses: none may appear in logs (every logger, at
DEBUG), reprs, exception texts, pickles, cassettes or generated code.

A workflow runs with token, ticket and ticket+TOTP auth against `pvegen mock` and collects
every text a user or an operator could see: log records of every logger (urllib3 included), the
reprs of clients, resources, auth strategies, transports, answers and errors, the full text of
each exception (traceback, chained exceptions, attributes) and its pickle, the refusal to pickle
a client. Then the files: tests/cassettes/*.yaml, generated/ and the freshly generated package
of the runtime tests. The secrets: this file's own distinctive values (token secret, passwords, a TOTP
secret, the codes made from it, every ticket and CSRF token issued during the run, and
credentials in parameters such as ``vncticket``, ``encryption-key`` and ``keyring``), plus the
constants the other test modules use. The number of places swept is reported as the
``places_swept`` property (JUnit XML).
"""

from __future__ import annotations

import logging
import pickle
import re
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from pvegen import Spec
from pvegen.mock import MockServer
from pvegen.mock.auth import totp

from . import (
    test_client_runtime,
    test_mock_auth,
    test_mock_cli,
    test_runtime_auth,
    test_runtime_env,
    test_runtime_secrets,
)
from .fixtures_client import GeneratedClient
from .fixtures_mock import MOCK_PASSWORD, MOCK_TOKEN_SECRET, MockFactory
from .fixtures_shared import ROOT

TOKEN_ID = "sweep@pve!ci"
TOKEN_SECRET = "c0ffee11-sweep-token-secret-7e3d"
USER, PASSWORD = "sweeper@pve", "sweep-password-5b9d27"
TFA_USER, TFA_PASSWORD = "tfa-sweeper@pve", "sweep-tfa-password-81c4"
TFA_SECRET = "ONSWCZLQORXXI4BTMVZHGZLDOJSXI4ZS"  # base32, found nowhere else
NEW_USER_PASSWORD = "sweep-new-user-password-2f6a"
TOO_LONG_PASSWORD = "sweep-too-long-password-" + "9" * 60  # breaks maxLength 64: refused before sending
VNC_TICKET = "PVEVNC:6560A1B2::sweep-vnc-ticket-signature-4e1f"
ENCRYPTION_KEY = "sweep-pbs-encryption-key-0d3b"
KEYRING = "sweep-ceph-keyring-77aa"
OIDC_CLIENT_KEY = "sweep-oidc-client-key-a93e"

# secrets of the rest of the suite (imported, so a renamed constant fails loudly here)
SUITE_SECRETS = (
    MOCK_TOKEN_SECRET,
    MOCK_PASSWORD,
    test_runtime_auth.TFA_PASSWORD,
    test_runtime_auth.TFA_SECRET,
    test_runtime_secrets.TFA_PASSWORD,
    test_runtime_secrets.TFA_SECRET,
    test_runtime_secrets.NEW_USER_PASSWORD,
    test_client_runtime.SECRET,
    test_runtime_env.SECRET,
    test_mock_auth.TOTP_PASSWORD,
    test_mock_auth.TOTP_SECRET,
    test_mock_cli.TOKEN.partition("=")[2],
)
OWN_SECRETS = (TOKEN_SECRET, PASSWORD, TFA_PASSWORD, TFA_SECRET, NEW_USER_PASSWORD, TOO_LONG_PASSWORD,
               VNC_TICKET, ENCRYPTION_KEY, KEYRING, OIDC_CLIENT_KEY)  # fmt: skip
TEXT_SUFFIXES = {".py", ".pyi", ".typed", ".json", ".yaml", ".yml", ".txt", ".md", ".toml", ".cfg", ".js"}


# Anything shaped like a PVE ticket (full or half TFA ticket, of any user, plain or URL-encoded)
# or a CSRF token (HEXTIME:base64 HMAC), whether or not this test saw it being issued.
TICKET_SHAPES = (
    r"PVE:[^\s:]+:[0-9A-F]{8}::",
    r"PVE%3A[^\s&]+?%3A[0-9A-F]{8}%3A%3A",
    r"\b[0-9A-F]{8}(?::|%3A)[A-Za-z0-9+/%]{43,}",
)


class Sweep:
    """The places swept (name -> text) and the secrets to look for in them."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        self.secrets: list[str] = list(secrets)
        self.codes: list[str] = []  # TOTP codes: six digits, matched as a whole number only
        self.places: dict[str, str] = {}

    def add(self, name: str, text: str) -> None:
        self.places[f"{name} #{len(self.places)}"] = text

    def hits(self) -> list[str]:
        found = []
        forms = {form for s in self.secrets if s for form in (s, quote(s, safe=""), quote_plus(s))}  # as in URLs
        patterns = [re.escape(f) for f in sorted(forms)] + list(TICKET_SHAPES)
        patterns += [rf"(?<![0-9A-Fa-f]){code}(?![0-9A-Fa-f])" for code in self.codes]
        combined = re.compile("|".join(f"(?:{p})" for p in patterns))
        for name, text in self.places.items():
            match = combined.search(text)
            if match:
                found.append(
                    f"{name}: {match.group(0)!r} in ...{text[max(0, match.start() - 60) : match.end() + 20]!r}"
                )
        return found


def full_text(err: BaseException) -> str:
    """Everything an exception shows: its traceback with every chained exception, and its state."""
    return "".join(traceback.format_exception(err)) + repr(vars(err)) + repr(err)


def pickled(thing: Any) -> str:
    """The pickle of ``thing`` as text, or the text of the refusal to pickle it."""
    try:
        return pickle.dumps(thing).decode("latin-1")
    except Exception as err:  # a refusal is fine: its message is swept too
        return f"refused: {full_text(err)}"


@pytest.fixture
def srv(mock_server: MockFactory, runtime_spec: Spec) -> Iterator[MockServer]:
    yield mock_server(
        runtime_spec,
        tokens=[f"{TOKEN_ID}={TOKEN_SECRET}"],
        users=[f"{USER}:{PASSWORD}", f"{TFA_USER}:{TFA_PASSWORD}"],
        totp={TFA_USER: TFA_SECRET},
        task_duration=0.0,
    )


def run_workflow(api: Any, srv: MockServer, sweep: Sweep, tls_url: str) -> None:
    """Calls with every kind of auth, failures of every kind; every text it makes goes to ``sweep``."""

    def otp() -> str:
        sweep.codes.append(totp(TFA_SECRET, time.time()))
        return sweep.codes[-1]

    errors: list[BaseException] = []

    def expect_error(call: Callable[[], Any]) -> None:
        try:
            call()
        except api.ProxmoxError as err:
            errors.append(err)
        else:
            raise AssertionError("the call was expected to fail")

    token = api.ProxmoxVE(srv.url, token_id=TOKEN_ID, token_secret=TOKEN_SECRET, retries=0)
    ticket = api.ProxmoxVE(srv.url, user=USER, password=PASSWORD, retries=0)
    tfa = api.ProxmoxVE(srv.url, user=TFA_USER, password=TFA_PASSWORD, otp=otp, retries=0)
    clients = [token, ticket, tfa]

    # successful calls with secrets in parameters
    assert token.nodes.get()[0]["node"] == "pve1"
    token.access.users.post(userid="new-sweep@pve", password=NEW_USER_PASSWORD)
    vm = tfa.nodes("pve1").qemu(400)
    tfa.nodes("pve1").qemu.post(vmid=400, name="sweep")
    vm.config.put(description="swept")
    with ticket.capture_responses() as seen:
        ticket.nodes("pve1").qemu(400).vncwebsocket.get(port=5900, vncticket=VNC_TICKET)
        ticket.storage.post(storage="pbs-sweep", type="pbs", server="pbs.example", datastore="ds",
                            username="sweep@pbs", password=PASSWORD, encryption_key=ENCRYPTION_KEY)  # fmt: skip
        ticket.storage.post(storage="rbd-sweep", type="rbd", pool="rbd", keyring=KEYRING)
        ticket.access.domains.post(realm="oidc-sweep", type="openid", issuer_url="https://idp.example",
                                   client_id="pvegen", client_key=OIDC_CLIENT_KEY)  # fmt: skip
    srv.faults.expire_tickets()
    assert tfa.version.get()["release"] == "9.1"  # a 401, a new login with a fresh TOTP code, the repeat
    ticket.request("GET", "/access/users")
    raw = token.request_raw("GET", "/version")

    # failures: auth, TFA, HTTP errors, validation of secret-named parameters, resets, TLS
    expect_error(api.ProxmoxVE(srv.url, token_id=TOKEN_ID, token_secret=TOKEN_SECRET + "-x").version.get)
    expect_error(api.ProxmoxVE(srv.url, user=USER, password=PASSWORD + "-x").version.get)
    expect_error(api.ProxmoxVE(srv.url, user=TFA_USER, password=TFA_PASSWORD).version.get)
    wrong_code = str((int(totp(TFA_SECRET, time.time())) + 500_000) % 1_000_000).zfill(6)
    sweep.codes.append(wrong_code)
    expect_error(api.ProxmoxVE(srv.url, user=TFA_USER, password=TFA_PASSWORD, otp=wrong_code).nodes.get)
    expect_error(lambda: token.access.users.post(userid="new-sweep@pve", password=NEW_USER_PASSWORD))  # exists
    expect_error(lambda: token.access.password.put(userid=USER, password=TOO_LONG_PASSWORD,
                                                   confirmation_password=PASSWORD))  # fmt: skip
    expect_error(lambda: token.access.users.post(userid="no realm", password=NEW_USER_PASSWORD))
    expect_error(lambda: token.request("POST", "/access/users", userid="x@pve", password=TOO_LONG_PASSWORD))
    expect_error(lambda: token.nodes("pve1").qemu(400).vncwebsocket.get(port=1, vncticket=VNC_TICKET))
    srv.faults.reset_after_read, srv.faults.limit = 1.0, 1
    expect_error(lambda: ticket.access.users.post(userid="reset-sweep@pve", password=NEW_USER_PASSWORD))
    srv.faults.clear()
    srv.faults.error_rate, srv.faults.error_status, srv.faults.limit = 1.0, 503, 1
    expect_error(lambda: tfa.access.users.post(userid="503-sweep@pve", password=NEW_USER_PASSWORD))
    srv.faults.clear()
    expect_error(api.ProxmoxVE(tls_url, token_id=TOKEN_ID, token_secret=TOKEN_SECRET).version.get)
    expect_error(api.ProxmoxVE(tls_url, user=USER, password=PASSWORD, fingerprint="AB" * 32).version.get)
    assert len(errors) == 13
    names = {type(e).__name__ for e in errors}
    assert {"AuthenticationError", "TfaRequiredError", "ValidationError", "ConnectionFailedError",
            "ServerError", "TLSError"} <= names  # fmt: skip

    # the secrets made during the run: tickets and CSRF tokens (the shapes catch the earlier ones)
    for client in (ticket, tfa):
        issued = list(client._auth._session or ())
        assert all(isinstance(v, str) and any(re.search(p, v) for p in TICKET_SHAPES) for v in issued)
        sweep.secrets += issued
    assert len(sweep.codes) >= 3 and len(sweep.secrets) > len(OWN_SECRETS) + len(SUITE_SECRETS)

    things: list[Any] = [*clients, *(c._auth for c in clients), *(c._transport for c in clients),
                         vm, vm.config, tfa.nodes("pve1"), raw, *seen, *errors]  # fmt: skip
    for thing in things:
        sweep.add(f"repr({type(thing).__name__})", repr(thing))
        sweep.add(f"str({type(thing).__name__})", str(thing))
        sweep.add(f"pickle({type(thing).__name__})", pickled(thing))
    for err in errors:
        sweep.add(f"exception {type(err).__name__}", full_text(err))
    for client in clients:
        client.close()


def test_no_secret_anywhere(
    api: Any,
    runtime_client: GeneratedClient,
    srv: MockServer,
    mock_server: MockFactory,
    runtime_spec: Spec,
    caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
) -> None:
    sweep = Sweep(OWN_SECRETS + SUITE_SECRETS)
    tls_srv = mock_server(runtime_spec, tls=True, tokens=[f"{TOKEN_ID}={TOKEN_SECRET}"])
    with caplog.at_level(logging.DEBUG):  # every logger: the package's, urllib3's, the mock's
        run_workflow(api, srv, sweep, tls_srv.url)
    assert tls_srv.requests.snapshot() == []  # TLS failed before anything was sent
    loggers = {r.name for r in caplog.records}
    assert runtime_client.package in loggers and "urllib3.connectionpool" in loggers
    text = caplog.text  # the calls were logged, their credentials masked (urllib3's request lines too)
    for masked in ("vncticket=***", "encryption-key=***", "keyring=***", "client-key=***", "password=***"):
        assert masked in text
    assert "vncwebsocket?port=5900&vncticket=***" in text and "storage=pbs-sweep" in text  # others stay
    for record in caplog.records:
        sweep.add(f"log {record.name}", record.getMessage())
    sweep.add("log text", caplog.text)
    files = sorted((ROOT / "tests" / "cassettes").glob("*.yaml"))
    assert len(files) >= 3
    for folder in (ROOT / "generated", runtime_client.package_dir):
        swept = [p for p in folder.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES]
        assert len(swept) > 20, folder
        files += swept
    for path in files:
        sweep.add(str(path), path.read_text(encoding="utf-8", errors="replace"))
    request.node.user_properties.append(("places_swept", len(sweep.places)))
    hits = sweep.hits()
    assert hits == [], "\n".join(hits)
    assert len(sweep.places) > 300  # the workflow's texts, its log records and every file: a few hundred places


def test_the_sweep_finds_what_it_looks_for() -> None:
    """The sweep itself can fail: each kind of secret is found where it is."""
    sweep = Sweep((TOKEN_SECRET, PASSWORD + ":/"))
    sweep.codes.append("123456")
    sweep.add("token", f"Authorization: PVEAPIToken={TOKEN_ID}={TOKEN_SECRET}")
    sweep.add("password", f"password={PASSWORD}:/&x=1")
    sweep.add("code", "otp=123456")
    sweep.add("encoded", f"GET /x?vncticket={quote(PASSWORD + ':/', safe='')}")
    sweep.add("not a code", "UPID:pve1:00123456A:1234567:6560A1B2:qmcreate:400:root@pam:")  # digits in hex
    sweep.add("ticket", "Cookie: PVEAuthCookie=PVE:alice@pve:6560A1B2::c2lnbmF0dXJl")
    sweep.add("half ticket", "tfa-challenge=PVE%3Aalice%40pve%21tfa%21%7B%7D%3A6560A1B2%3A%3Ac2ln")
    sweep.add("csrf", "CSRFPreventionToken: 6560A1B2:" + "A" * 43 + "=")
    found = [hit.split(" #")[0] for hit in sweep.hits()]
    assert found == ["token", "password", "code", "encoded", "ticket", "half ticket", "csrf"]
