"""``ProxmoxVE.from_env()``: PVE_* variables configure host, port, credentials, TLS and timeouts;
bad or missing values give one clear error naming the variable (and never a secret). The
environment is passed as a mapping, the clients talk to `pvegen mock` over HTTP(S)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from pvegen import Spec
from pvegen.mock.tls import fingerprint

from .fixtures_mock import MOCK_PASSWORD, MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MOCK_USER, MockFactory


def test_token_setup_needs_no_code(
    api: Any, mock_server: MockFactory, runtime_spec: Spec, tls_cert: tuple[str, str]
) -> None:
    srv = mock_server(runtime_spec, tls=True)
    port = urlsplit(srv.url).port
    env = {"PVE_HOST": "127.0.0.1", "PVE_PORT": str(port), "PVE_TOKEN_ID": MOCK_TOKEN_ID,
           "PVE_TOKEN_SECRET": MOCK_TOKEN_SECRET, "PVE_FINGERPRINT": fingerprint(tls_cert[0])}  # fmt: skip
    pve = api.ProxmoxVE.from_env(env)
    assert isinstance(pve, api.ProxmoxVE) and pve.base_url == f"https://127.0.0.1:{port}"
    assert [n["node"] for n in pve.nodes.get()] == ["pve1"]
    assert srv.requests[-1].auth == "token"


def test_password_login_ca_bundle_and_timeout(api: Any, mock_server: MockFactory, runtime_spec: Spec,
                                              tls_cert: tuple[str, str]) -> None:  # fmt: skip
    srv = mock_server(runtime_spec, tls=True)
    env = {"PVE_HOST": srv.url, "PVE_USER": MOCK_USER, "PVE_PASSWORD": MOCK_PASSWORD,
           "PVE_CA_BUNDLE": tls_cert[0], "PVE_TIMEOUT": "5,30", "PVE_TOKEN_ID": "  "}  # fmt: skip
    pve = api.ProxmoxVE.from_env(env)
    assert pve.version.get()["release"] == "9.1"
    assert pve._timeout == (5.0, 30.0) and pve._transport.verify == tls_cert[0]
    assert [r.path for r in srv.requests] == ["/access/ticket", "/version"]


def test_verify_words_and_keyword_overrides(api: Any, mock_server: MockFactory, runtime_spec: Spec) -> None:
    srv = mock_server(runtime_spec, tls=True)
    env = {"PVE_HOST": srv.url, "PVE_TOKEN_ID": MOCK_TOKEN_ID, "PVE_TOKEN_SECRET": MOCK_TOKEN_SECRET}
    with pytest.raises(api.TLSError):  # verified by default
        api.ProxmoxVE.from_env(env).version.get()
    for word in ("false", "0", "No", "off"):
        with pytest.warns(Warning):  # urllib3 warns about an unverified connection: the user chose it
            assert api.ProxmoxVE.from_env({**env, "PVE_VERIFY": word}).version.get()["release"] == "9.1"
    assert api.ProxmoxVE.from_env({**env, "PVE_VERIFY": "yes"})._transport.verify is True
    assert api.ProxmoxVE.from_env({**env, "PVE_TIMEOUT": "7"}, timeout=3)._timeout == 3


SECRET = "do-not-print-this-7e1c"
HOST = {"PVE_HOST": "pve.example"}
TOKEN = {**HOST, "PVE_TOKEN_ID": MOCK_TOKEN_ID, "PVE_TOKEN_SECRET": SECRET}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "PVE_HOST is not set"),
        ({"PVE_TOKEN_ID": MOCK_TOKEN_ID, "PVE_TOKEN_SECRET": SECRET}, "PVE_HOST is not set"),
        (HOST, "no credentials"),
        ({**HOST, "PVE_TOKEN_ID": MOCK_TOKEN_ID}, "PVE_TOKEN_SECRET is not set"),
        ({**HOST, "PVE_TOKEN_SECRET": SECRET}, "PVE_TOKEN_ID is not set"),
        ({**HOST, "PVE_USER": MOCK_USER}, "PVE_PASSWORD is not set"),
        ({**HOST, "PVE_PASSWORD": SECRET}, "PVE_USER is not set"),
        ({**TOKEN, "PVE_USER": MOCK_USER, "PVE_PASSWORD": SECRET}, "not both"),
        ({**TOKEN, "PVE_PORT": "80x"}, "PVE_PORT"),
        ({**TOKEN, "PVE_PORT": "70000"}, "PVE_PORT"),
        ({**TOKEN, "PVE_VERIFY": "maybe"}, "PVE_VERIFY"),
        ({**TOKEN, "PVE_CA_BUNDLE": "/nonexistent/ca.pem"}, "PVE_CA_BUNDLE"),
        ({**TOKEN, "PVE_VERIFY": "false", "PVE_CA_BUNDLE": "{ca}"}, "PVE_VERIFY turns verification off"),
        ({**TOKEN, "PVE_FINGERPRINT": "12:34"}, "PVE_FINGERPRINT"),
        ({**TOKEN, "PVE_TIMEOUT": "fast"}, "PVE_TIMEOUT"),
        ({**TOKEN, "PVE_TIMEOUT": "1,2,3"}, "PVE_TIMEOUT"),
        ({**TOKEN, "PVE_TIMEOUT": "-1"}, "PVE_TIMEOUT"),
        ({**TOKEN, "PVE_TOKEN_ID": "no-realm-or-name"}, "USER@REALM!TOKENID"),
        ({**TOKEN, "PVE_HOST": "ftp://pve.example"}, "PVE_HOST: only http:// and https://"),
        ({**TOKEN, "PVE_HOST": "pve.example:99999"}, "PVE_HOST: its port is not a number from 1 to 65535"),
        ({**TOKEN, "PVE_HOST": "pve.example:8443", "PVE_PORT": "9000"}, "PVE_HOST: it names a port and a different"),
        ({**TOKEN, "PVE_HOST": f"https://root:{SECRET}@pve.example"}, "PVE_HOST: a URL with a user name or password"),
        ({**HOST, "PVE_TOKEN_ID": f"{MOCK_TOKEN_ID}={SECRET}"}, "put the part after '=' in PVE_TOKEN_SECRET"),
        ({**TOKEN, "PVE_TOKEN_ID": f"{MOCK_TOKEN_ID}={SECRET}"}, "PVE_TOKEN_ID contains '='"),
    ],
)
def test_bad_or_missing_values_are_named(api: Any, tmp_path: Path, env: dict[str, str], message: str) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("not used\n")
    with pytest.raises(api.ConfigurationError) as info:
        api.ProxmoxVE.from_env({k: v.replace("{ca}", str(ca)) for k, v in env.items()})
    text = str(info.value)
    assert message in text and SECRET not in text and "\n" not in text
    for value in env.values():  # the variables are named, their values never shown
        assert value in ("", MOCK_TOKEN_ID, MOCK_USER) or len(value) < 5 or value not in text


def test_reads_os_environ_by_default(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PVE_HOST", "pve.example")
    monkeypatch.setenv("PVE_TOKEN_ID", MOCK_TOKEN_ID)
    monkeypatch.setenv("PVE_TOKEN_SECRET", SECRET)
    monkeypatch.setenv("PVE_PORT", "8443")
    pve = api.ProxmoxVE.from_env()
    assert pve.base_url == "https://pve.example:8443" and SECRET not in repr(pve)
