"""TLS of the generated client against `pvegen mock --tls` with certificates made at test time:
verification on by default, CA bundles, and SHA-256 fingerprint pinning that fails before any
request (and so any credential) reaches the server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pvegen import Spec
from pvegen.mock import MockServer
from pvegen.mock.tls import fingerprint, make_self_signed

from .fixtures_mock import MOCK_PASSWORD, MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MOCK_USER, MockFactory


@pytest.fixture(scope="module")
def other_cert(tmp_path_factory: pytest.TempPathFactory, tls_cert: tuple[str, str]) -> tuple[str, str]:
    """A second self-signed certificate: a CA that did not sign the server's one."""
    return make_self_signed(tmp_path_factory.mktemp("other-tls"), name="other")


@pytest.fixture
def srv(mock_server: MockFactory, runtime_spec: Spec) -> MockServer:
    server = mock_server(runtime_spec, tls=True)
    assert server.url.startswith("https://127.0.0.1:")
    return server


def token(api: Any, srv: MockServer, **kwargs: Any) -> Any:
    return api.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET, **kwargs)


def wrong_pin(certfile: str) -> str:
    real = fingerprint(certfile)
    return ("00" if not real.startswith("00") else "11") + real[2:]


def test_verification_is_on_by_default(api: Any, srv: MockServer) -> None:
    with pytest.raises(api.TLSError) as info:
        token(api, srv).nodes.get()
    assert "certificate" in str(info.value).lower() and info.value.sent is False
    assert srv.requests.snapshot() == []


def test_an_unverified_certificate_says_how_to_pin_it_or_trust_its_ca(
    api: Any, srv: MockServer, tls_cert: tuple[str, str]
) -> None:
    with pytest.raises(api.TLSError) as info:
        token(api, srv).nodes.get()
    text, presented = str(info.value), fingerprint(tls_cert[0])
    assert text.startswith("GET /nodes: TLS failed: certificate verify failed: self-signed certificate")
    assert f"the server's certificate has SHA-256 fingerprint {presented}" in text
    assert f'pin it with fingerprint="{presented}"' in text and 'verify="/path/to/ca.pem"' in text
    assert "(the request was not sent)" in text and "\n" not in text
    assert srv.requests.snapshot() == []  # reading the certificate sent nothing either
    # and the fingerprint the message shows is the one that works
    assert token(api, srv, fingerprint=presented).version.get()["release"] == "9.1"


def test_ca_bundle_path(api: Any, srv: MockServer, tls_cert: tuple[str, str], other_cert: tuple[str, str]) -> None:
    assert [n["node"] for n in token(api, srv, verify=tls_cert[0]).nodes.get()] == ["pve1"]
    with pytest.raises(api.TLSError):
        token(api, srv, verify=other_cert[0]).nodes.get()
    assert len(srv.requests) == 1


@pytest.mark.parametrize("style", ["as PVE shows it", "lower case", "bare hex"])
def test_pinned_fingerprint_is_accepted(api: Any, srv: MockServer, tls_cert: tuple[str, str], style: str) -> None:
    pin = fingerprint(tls_cert[0])
    pin = {"as PVE shows it": pin, "lower case": pin.lower(), "bare hex": pin.replace(":", "")}[style]
    pve = token(api, srv, fingerprint=pin)
    assert pve.nodes("pve1").qemu.post(vmid=150, name="pinned").startswith("UPID:")
    assert [(r.method, r.path, r.status) for r in srv.requests] == [("POST", "/nodes/pve1/qemu", 200)]


@pytest.mark.parametrize("auth", ["token", "ticket"])
def test_pin_mismatch_fails_before_anything_is_sent(
    api: Any, srv: MockServer, tls_cert: tuple[str, str], auth: str
) -> None:
    credentials: dict[str, Any] = (
        {"token_id": MOCK_TOKEN_ID, "token_secret": MOCK_TOKEN_SECRET}
        if auth == "token"
        else {"user": MOCK_USER, "password": MOCK_PASSWORD}
    )
    pve = api.ProxmoxVE(srv.url, fingerprint=wrong_pin(tls_cert[0]), **credentials)
    with pytest.raises(api.TLSError) as info:
        pve.nodes("pve1").qemu.post(vmid=151, name="never-sent")
    text = str(info.value)
    assert "fingerprint" in text.lower() and info.value.sent is False
    assert f"has SHA-256 fingerprint {fingerprint(tls_cert[0])}, not the pinned one" in text
    assert MOCK_TOKEN_SECRET not in text and MOCK_PASSWORD not in text
    # neither the login (the password), nor the token header, nor the body reached the server
    assert srv.requests.snapshot() == []
    assert 151 not in srv.state.guests


def test_pin_and_ca_must_both_pass_when_both_given(
    api: Any, srv: MockServer, tls_cert: tuple[str, str], other_cert: tuple[str, str]
) -> None:
    pin = fingerprint(tls_cert[0])
    assert token(api, srv, verify=tls_cert[0], fingerprint=pin).version.get()["release"] == "9.1"
    with pytest.raises(api.TLSError):
        token(api, srv, verify=other_cert[0], fingerprint=pin).version.get()
    with pytest.raises(api.TLSError):
        token(api, srv, verify=tls_cert[0], fingerprint=wrong_pin(tls_cert[0])).version.get()
    assert len(srv.requests) == 1


@pytest.mark.parametrize("pin", ["AB:CD", "zz" * 32, "", "AB:" * 33])
def test_malformed_fingerprint_is_a_configuration_error(api: Any, pin: str) -> None:
    with pytest.raises(api.ConfigurationError, match="fingerprint"):
        api.ProxmoxVE("pve.example", token_id=MOCK_TOKEN_ID, token_secret="s", fingerprint=pin)


def test_fingerprint_needs_https(api: Any, tls_cert: tuple[str, str]) -> None:
    with pytest.raises(api.ConfigurationError, match="https"):
        api.ProxmoxVE("http://127.0.0.1:9", token_id=MOCK_TOKEN_ID, token_secret="s",
                        fingerprint=fingerprint(tls_cert[0]))  # fmt: skip


def test_environment_ca_bundle_never_overrides_an_explicit_choice(
    api: Any, srv: MockServer, tls_cert: tuple[str, str], other_cert: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # requests lets REQUESTS_CA_BUNDLE replace a session's verify; the client must not.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", tls_cert[0])
    assert token(api, srv).version.get()["release"] == "9.1"  # verify=True: the variable is the CA
    with pytest.raises(api.TLSError):
        token(api, srv, verify=other_cert[0]).version.get()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", other_cert[0])
    with pytest.raises(api.TLSError):
        token(api, srv).version.get()
    assert token(api, srv, verify=tls_cert[0]).version.get()["release"] == "9.1"


def test_missing_ca_bundle_is_a_configuration_error(api: Any, tmp_path: Path) -> None:
    with pytest.raises(api.ConfigurationError, match="does not exist"):
        api.ProxmoxVE("pve.example", token_id=MOCK_TOKEN_ID, token_secret="s", verify=str(tmp_path / "none.pem"))
