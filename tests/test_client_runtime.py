"""The generated client's runtime against a real HTTP(S) server on 127.0.0.1 that records requests.

The client is the one generated from the real 9.1 schema (built once per run)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from .fixtures_client import RecordingServer

TOKEN_ID = "root@pam!ci"
SECRET = "5ecret-7d1f-token-value"


def client(pve91: Any, server: RecordingServer, **kwargs: Any) -> Any:
    kwargs.setdefault("token_id", TOKEN_ID)
    kwargs.setdefault("token_secret", SECRET)
    return pve91.ProxmoxVE(server.url, **kwargs)


def test_token_header_and_data_member(pve91: Any, recording_server: RecordingServer) -> None:
    recording_server.reply("GET", "/version", 200, {"data": {"version": "9.1.1", "release": "9.1"}})
    result = client(pve91, recording_server).version.get()
    assert result == {"version": "9.1.1", "release": "9.1"}
    (sent,) = recording_server.requests
    assert sent.method == "GET" and sent.path == "/api2/json/version"
    assert sent.headers["Authorization"] == f"PVEAPIToken={TOKEN_ID}={SECRET}"


@pytest.mark.parametrize(
    ("call", "parameter", "rule"),
    [
        (lambda c: c.nodes("pve1").qemu(100).status.start.post(migration_type="bogus"), "migration_type", "enum"),
        (lambda c: c.nodes("pve1").qemu(100).status.start.post(skiplock="yes"), "skiplock", "type"),
        (lambda c: c.nodes("pve1").qemu(100).status.start.post(timeout=-1), "timeout", "minimum"),
        (lambda c: c.nodes("pve1").qemu(99).status.start.post(), "vmid", "minimum"),
        (lambda c: c.nodes("not a node!").qemu(100).status.start.post(), "node", "format"),
        (
            lambda c: c.nodes("pve1").qemu(100).status.start.post(migration_network="10.0.0.0/99"),
            "migration_network",
            "format",
        ),
        (lambda c: c.nodes("pve1").qemu(100).status.start.post(stateuri="x" * 129), "stateuri", "maxLength"),
        (lambda c: c.nodes("pve1").qemu(100).status.start.post(nets_host_mtu="eth0"), "nets-host-mtu", "pattern"),
        (lambda c: c.nodes("pve1").qemu.post(vmid=None), "vmid", "required"),
        (lambda c: c.nodes("pve1").qemu.post(vmid=100, net={0: 5}), "net0", "type"),
    ],
)
def test_validation_error_before_anything_is_sent(
    pve91: Any, recording_server: RecordingServer, call: Callable[[Any], Any], parameter: str, rule: str
) -> None:
    with pytest.raises(pve91.ValidationError) as info:
        call(client(pve91, recording_server))
    assert (info.value.parameter, info.value.rule) == (parameter, rule)
    assert isinstance(info.value, pve91.ProxmoxError)
    assert recording_server.requests == []


def test_unknown_parameters_are_refused(pve91: Any, recording_server: RecordingServer) -> None:
    c = client(pve91, recording_server)
    with pytest.raises(TypeError):  # typed verbs: Python (and mypy) refuse the keyword
        c.nodes("pve1").qemu(100).status.start.post(bogus=1)
    rules = type(c.nodes("pve1").qemu(100).status.start)._op_post.params
    with pytest.raises(pve91.ValidationError) as info:  # the runtime refuses it too, unless the op is open
        pve91._runtime.validate.encode_arguments(rules, {"bogus": 1}, open_params=False)
    assert (info.value.parameter, info.value.rule) == ("bogus", "unknown")
    assert pve91._runtime.validate.encode_arguments(rules, {"bogus": 1}, open_params=True) == [("bogus", "1")]
    assert recording_server.requests == []


def test_encoding_booleans_indexed_arrays_and_path(pve91: Any, recording_server: RecordingServer) -> None:
    c = client(pve91, recording_server)
    c.nodes("pve1").qemu.post(
        vmid=100, net={1: "virtio,bridge=vmbr1", 0: "virtio,bridge=vmbr0"}, start=True, acpi=False
    )
    sent = recording_server.requests[-1]
    assert sent.path == "/api2/json/nodes/pve1/qemu"
    assert sorted(sent.form) == [("acpi", "0"), ("net0", "virtio,bridge=vmbr0"), ("net1", "virtio,bridge=vmbr1"),
                                 ("start", "1"), ("vmid", "100")]  # fmt: skip
    c.nodes("pve1").storage("local").content("local:iso/debian 12.iso").delete()
    assert (
        recording_server.requests[-1].path
        == "/api2/json/nodes/pve1/storage/local/content/local%3Aiso%2Fdebian%2012.iso"
    )
    c.cluster.notifications.endpoints.sendmail.post(name="mail", mailto=["a@pve.example", "b@pve.example"])
    assert [v for k, v in recording_server.requests[-1].form if k == "mailto"] == ["a@pve.example", "b@pve.example"]


def test_parameter_called_timeout_is_the_apis(pve91: Any, recording_server: RecordingServer) -> None:
    c = client(pve91, recording_server, timeout=7)
    c.nodes("pve1").qemu(100).status.start.post(timeout=30)
    assert recording_server.requests[-1].form == [("timeout", "30")]


def test_responses_are_accepted_as_real_servers_send_them(pve91: Any, recording_server: RecordingServer) -> None:
    raw = {"vmid": "100", "cpu": "0.5", "template": 1, "agent": "0", "status": "running", "brand-new": {"x": 1}}
    recording_server.reply("GET", "/nodes/pve1/qemu/100/status/current", 200, {"data": raw})
    data = client(pve91, recording_server).nodes("pve1").qemu(100).status.current.get()
    assert data == {
        "vmid": 100,
        "cpu": 0.5,
        "template": True,
        "agent": False,
        "status": "running",
        "brand-new": {"x": 1},
    }
    recording_server.reply("GET", "/nodes/pve1/qemu/100/status/current", 200, {"data": {"vmid": "not-a-number"}})
    assert client(pve91, recording_server).nodes("pve1").qemu(100).status.current.get() == {"vmid": "not-a-number"}


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, "BadRequestError"), (401, "AuthenticationError"), (403, "PermissionDeniedError"),
     (404, "NotFoundError"), (500, "ServerError"), (596, "ServerError")],
)  # fmt: skip
def test_http_errors_carry_status_message_and_errors(
    pve91: Any, recording_server: RecordingServer, status: int, error: str
) -> None:
    body = {"data": None, "message": "parameter verification failed", "errors": {"vmid": "invalid format"}}
    recording_server.reply("POST", "/nodes/pve1/qemu", status, body)
    with pytest.raises(getattr(pve91, error)) as info:
        client(pve91, recording_server).nodes("pve1").qemu.post(vmid=100)
    err = info.value
    assert isinstance(err, pve91.ProxmoxError) and err.status == status
    assert err.errors == {"vmid": "invalid format"} and err.message == "parameter verification failed"
    assert "vmid: invalid format" in str(err) and SECRET not in str(err) and SECRET not in repr(err)


def test_secrets_stay_out_of_reprs(pve91: Any, recording_server: RecordingServer) -> None:
    c = client(pve91, recording_server)
    t = pve91.ProxmoxVE(recording_server.url, user="root@pam", password="pw-" + SECRET)
    for text in (repr(c), str(c), repr(c._auth), repr(t), repr(t._auth)):
        assert SECRET not in text


def test_ticket_login_then_cookie_and_csrf(pve91: Any, recording_server: RecordingServer) -> None:
    ticket = {"ticket": "PVE:root@pam:ABC", "CSRFPreventionToken": "csrf-1", "username": "root@pam"}
    recording_server.reply("POST", "/access/ticket", 200, {"data": ticket})
    c = pve91.ProxmoxVE(recording_server.url, user="root@pam", password="pw")
    c.nodes("pve1").qemu(100).status.start.post()
    login, call = recording_server.requests
    expected_form = [("username", "root@pam"), ("password", "pw"), ("new-format", "1")]  # 9.1: the TFA challenge flow
    assert (login.method, login.path, login.form) == ("POST", "/api2/json/access/ticket", expected_form)
    assert (
        "PVEAuthCookie=PVE:root@pam:ABC" in call.headers["Cookie"] and call.headers["CSRFPreventionToken"] == "csrf-1"
    )
    assert "Authorization" not in login.headers


def test_untyped_request_and_connection_errors(pve91: Any, recording_server: RecordingServer) -> None:
    recording_server.reply("GET", "/cluster/status", 200, {"data": [{"type": "cluster"}]})
    assert client(pve91, recording_server).request("GET", "/cluster/status") == [{"type": "cluster"}]
    dead = pve91.ProxmoxVE("http://127.0.0.1:9", token_id=TOKEN_ID, token_secret=SECRET, timeout=2)
    with pytest.raises(pve91.ConnectionFailedError) as info:
        dead.version.get()
    assert SECRET not in str(info.value)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"token_id": TOKEN_ID},
        {"user": "root@pam"},
        {"token_id": "no-bang", "token_secret": SECRET},
        {"token_id": TOKEN_ID, "token_secret": SECRET, "user": "root@pam", "password": "pw"},
        {"verify": "/no/such/ca.pem"},
        {"host": "ftp://pve.example"},
    ],
)
def test_bad_configuration_is_refused(pve91: Any, kwargs: dict[str, Any]) -> None:
    host = kwargs.pop("host", "pve.example")
    with pytest.raises(pve91.ConfigurationError) as info:
        pve91.ProxmoxVE(host, **kwargs)
    assert isinstance(info.value, pve91.ProxmoxError) and SECRET not in str(info.value)


def test_base_url_from_host_and_port(pve91: Any) -> None:
    assert pve91.ProxmoxVE("pve.example").base_url == "https://pve.example:8006"
    assert pve91.ProxmoxVE("2001:db8::1", port=443).base_url == "https://[2001:db8::1]:443"
    assert pve91.ProxmoxVE("http://127.0.0.1:8080/").base_url == "http://127.0.0.1:8080"


class TestTLS:
    """requests lets REQUESTS_CA_BUNDLE override Session.verify; the client passes verify on
    every request, so these hold with the variable set (as on our machines)."""

    @pytest.fixture(autouse=True)
    def _bundle_in_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or "/etc/ssl/certs/ca-certificates.crt"
        if not os.path.exists(bundle):
            pytest.skip("no system CA bundle to point REQUESTS_CA_BUNDLE at")
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", bundle)

    def test_verification_on_by_default_rejects_self_signed(self, pve91: Any, tls_server: RecordingServer) -> None:
        with pytest.raises(pve91.ConnectionFailedError, match=r"TLS|certificate|SSL"):
            client(pve91, tls_server).version.get()
        assert tls_server.requests == []

    @pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
    def test_verify_false_really_skips_verification(self, pve91: Any, tls_server: RecordingServer) -> None:
        client(pve91, tls_server, verify=False).version.get()
        assert len(tls_server.requests) == 1

    def test_ca_path_really_used(self, pve91: Any, tls_server: RecordingServer, tls_files: Any) -> None:
        client(pve91, tls_server, verify=str(tls_files[0])).version.get()
        assert len(tls_server.requests) == 1
