"""The generated client's runtime against a real HTTP(S) server on 127.0.0.1 that records requests.

The client is the one generated from the runtime tests' spec (the embedded spec and a few more
operations, built once per run: tests/fixtures_client.py)."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from email.utils import formatdate
from typing import Any

import pytest

from .fixtures_client import Answer, RecordingServer, Sleeps

TOKEN_ID = "root@pam!ci"
SECRET = "5ecret-7d1f-token-value"


def client(api: Any, server: RecordingServer, **kwargs: Any) -> Any:
    kwargs.setdefault("token_id", TOKEN_ID)
    kwargs.setdefault("token_secret", SECRET)
    return api.ProxmoxVE(server.url, **kwargs)


def test_token_header_and_data_member(api: Any, recording_server: RecordingServer) -> None:
    recording_server.reply("GET", "/version", 200, {"data": {"version": "9.1.1", "release": "9.1"}})
    result = client(api, recording_server).version.get()
    assert result == {"version": "9.1.1", "release": "9.1"}
    (sent,) = recording_server.requests
    assert sent.method == "GET" and sent.path == "/api2/json/version"
    assert sent.headers["Authorization"] == f"PVEAPIToken={TOKEN_ID}={SECRET}"


@pytest.mark.parametrize(
    ("call", "parameter", "rule"),
    [
        (lambda c: c.nodes("pve1").qemu.post(vmid=100, ostype="bogus"), "ostype", "enum"),
        (lambda c: c.nodes("pve1").qemu(100).status.start.post(skiplock="yes"), "skiplock", "type"),
        (lambda c: c.nodes("pve1").qemu(100).status.start.post(timeout=-1), "timeout", "minimum"),
        (lambda c: c.nodes("pve1").qemu(99).status.start.post(), "vmid", "minimum"),
        (lambda c: c.nodes("not a node!").qemu(100).status.start.post(), "node", "format"),
        (lambda c: c.nodes("pve1").qemu.post(vmid=100, name="not a name!"), "name", "format"),
        (lambda c: c.nodes("pve1").qemu.post(vmid=100, description="x" * 8193), "description", "maxLength"),
        (
            lambda c: c.nodes("pve1")
            .storage("local")
            .upload.post(content="iso", filename="a.iso", tmpfilename="/etc/x"),
            "tmpfilename",
            "pattern",
        ),
        (
            lambda c: c.nodes("pve1")
            .storage("local")
            .upload.post(content="iso", filename="a.iso", checksum="ab", checksum_algorithm="crc32"),
            "checksum-algorithm",
            "enum",
        ),
        (lambda c: c.nodes("pve1").qemu.post(vmid=None), "vmid", "required"),
        (lambda c: c.nodes("pve1").qemu.post(vmid=100, net={0: 5}), "net0", "type"),
    ],
)
def test_validation_error_before_anything_is_sent(
    api: Any, recording_server: RecordingServer, call: Callable[[Any], Any], parameter: str, rule: str
) -> None:
    with pytest.raises(api.ValidationError) as info:
        call(client(api, recording_server))
    assert (info.value.parameter, info.value.rule) == (parameter, rule)
    assert isinstance(info.value, api.ProxmoxError)
    assert recording_server.requests == []


def test_unknown_parameters_are_refused(api: Any, recording_server: RecordingServer) -> None:
    c = client(api, recording_server)
    with pytest.raises(TypeError):  # typed verbs: Python (and mypy) refuse the keyword
        c.access.users.post(userid="alice@pve", bogus=1)
    rules = type(c.access.users)._op_post.params
    with pytest.raises(api.ValidationError) as info:  # the runtime refuses it too, unless the op is open
        api._runtime.validate.encode_arguments(rules, {"userid": "alice@pve", "bogus": 1}, open_params=False)
    assert (info.value.parameter, info.value.rule) == ("bogus", "unknown")
    sent = api._runtime.validate.encode_arguments(rules, {"userid": "alice@pve", "bogus": 1}, open_params=True)
    assert sent == [("userid", "alice@pve"), ("bogus", "1")]
    assert recording_server.requests == []


def test_encoding_booleans_indexed_arrays_and_path(api: Any, recording_server: RecordingServer) -> None:
    c = client(api, recording_server)
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


def test_parameter_called_timeout_is_the_apis(api: Any, recording_server: RecordingServer) -> None:
    c = client(api, recording_server, timeout=7)
    c.nodes("pve1").qemu(100).status.start.post(timeout=30)
    assert recording_server.requests[-1].form == [("timeout", "30")]


def test_responses_are_accepted_as_real_servers_send_them(api: Any, recording_server: RecordingServer) -> None:
    raw = {"vmid": "100", "cpu": "0.5", "template": 1, "agent": "0", "status": "running", "brand-new": {"x": 1}}
    recording_server.reply("GET", "/nodes/pve1/qemu/100/status/current", 200, {"data": raw})
    data = client(api, recording_server).nodes("pve1").qemu(100).status.current.get()
    assert data == {
        "vmid": 100,
        "cpu": 0.5,
        "template": True,
        "agent": False,
        "status": "running",
        "brand-new": {"x": 1},
    }
    recording_server.reply("GET", "/nodes/pve1/qemu/100/status/current", 200, {"data": {"vmid": "not-a-number"}})
    assert client(api, recording_server).nodes("pve1").qemu(100).status.current.get() == {"vmid": "not-a-number"}


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, "BadRequestError"), (401, "AuthenticationError"), (403, "PermissionDeniedError"),
     (404, "NotFoundError"), (500, "ServerError"), (596, "ServerError")],
)  # fmt: skip
def test_http_errors_carry_status_message_and_errors(
    api: Any, recording_server: RecordingServer, status: int, error: str
) -> None:
    body = {"data": None, "message": "parameter verification failed", "errors": {"vmid": "invalid format"}}
    recording_server.reply("POST", "/nodes/pve1/qemu", status, body)
    with pytest.raises(getattr(api, error)) as info:
        client(api, recording_server).nodes("pve1").qemu.post(vmid=100)
    err = info.value
    assert isinstance(err, api.ProxmoxError) and err.status == status
    assert err.errors == {"vmid": "invalid format"} and err.message == "parameter verification failed"
    assert "vmid: invalid format" in str(err) and SECRET not in str(err) and SECRET not in repr(err)


def test_secrets_stay_out_of_reprs(api: Any, recording_server: RecordingServer) -> None:
    c = client(api, recording_server)
    t = api.ProxmoxVE(recording_server.url, user="root@pam", password="pw-" + SECRET)
    for text in (repr(c), str(c), repr(c._auth), repr(t), repr(t._auth)):
        assert SECRET not in text


def test_ticket_login_then_cookie_and_csrf(api: Any, recording_server: RecordingServer) -> None:
    ticket = {"ticket": "PVE:root@pam:ABC", "CSRFPreventionToken": "csrf-1", "username": "root@pam"}
    recording_server.reply("POST", "/access/ticket", 200, {"data": ticket})
    c = api.ProxmoxVE(recording_server.url, user="root@pam", password="pw")
    c.nodes("pve1").qemu(100).status.start.post()
    login, call = recording_server.requests
    expected_form = [
        ("username", "root@pam"),
        ("password", "pw"),
        ("new-format", "1"),
    ]  # PVE 7+: the TFA challenge flow
    assert (login.method, login.path, login.form) == ("POST", "/api2/json/access/ticket", expected_form)
    assert (
        "PVEAuthCookie=PVE:root@pam:ABC" in call.headers["Cookie"] and call.headers["CSRFPreventionToken"] == "csrf-1"
    )
    assert "Authorization" not in login.headers


def test_untyped_request_and_connection_errors(api: Any, recording_server: RecordingServer) -> None:
    recording_server.reply("GET", "/cluster/status", 200, {"data": [{"type": "cluster"}]})
    assert client(api, recording_server).request("GET", "/cluster/status") == [{"type": "cluster"}]
    dead = api.ProxmoxVE("http://127.0.0.1:9", token_id=TOKEN_ID, token_secret=SECRET, timeout=2)
    with pytest.raises(api.ConnectionFailedError) as info:
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
def test_bad_configuration_is_refused(api: Any, kwargs: dict[str, Any]) -> None:
    host = kwargs.pop("host", "pve.example")
    with pytest.raises(api.ConfigurationError) as info:
        api.ProxmoxVE(host, **kwargs)
    assert isinstance(info.value, api.ProxmoxError) and SECRET not in str(info.value)


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("pve.example", 8006, "https://pve.example:8006"),
        ("pve.example:8443", 8006, "https://pve.example:8443"),
        ("pve.example:8443", 8443, "https://pve.example:8443"),
        ("127.0.0.1:40655", 8006, "https://127.0.0.1:40655"),
        ("[2001:db8::1]:8443", 8006, "https://[2001:db8::1]:8443"),
        ("[2001:db8::1]", 8006, "https://[2001:db8::1]:8006"),
        ("2001:db8::1", 443, "https://[2001:db8::1]:443"),
        ("https://pve.example:8006/", 8006, "https://pve.example:8006"),
        ("HTTP://127.0.0.1:8080", 8006, "http://127.0.0.1:8080"),
        ("https://[2001:db8::1]:8006", 8006, "https://[2001:db8::1]:8006"),
        (" pve-1.example.com. ", 8006, "https://pve-1.example.com.:8006"),
    ],
)
def test_every_way_of_writing_the_host_gives_one_base_url(api: Any, host: str, port: int, url: str) -> None:
    assert api.ProxmoxVE(host, port).base_url == url


@pytest.mark.parametrize(
    ("host", "port", "setting", "says"),
    [
        ("pve.example:x", 8006, "host", "port is not a number"),
        ("pve.example:0", 8006, "host", "port is not a number"),
        ("127.0.0.1:70000", 8006, "host", "port is not a number"),
        ("pve.example:8443", 9000, "host", "give the port once"),
        ("pve.example", 0, "port", "not a port number"),
        ("ftp://pve.example", 8006, "host", "http:// and https://"),
        ("https://pve.example:8006/api2/json", 8006, "host", "no path"),
        ("https://pve.example:8006/?x=1", 8006, "host", "no path"),
        ("https://pve.example:99999", 8006, "host", "port is not a number"),
        ("pve example", 8006, "host", "expected a name or address"),
        ("", 8006, "host", "expected a name or address"),
        ("[2001:db8::1", 8006, "host", "expected a name or address"),
        ("-pve.example", 8006, "host", "expected a name or address"),
        ("https://root:" + SECRET + "@pve.example:8006", 8006, "host", "user name or password"),
    ],
)
def test_a_host_that_is_not_one_is_refused_when_the_client_is_built(
    api: Any, host: str, port: int, setting: str, says: str
) -> None:
    with pytest.raises(api.ConfigurationError) as info:
        api.ProxmoxVE(host, port, token_id=TOKEN_ID, token_secret=SECRET)
    err = info.value
    assert err.setting == setting and says in str(err) and says in err.reason
    assert "\n" not in str(err) and SECRET not in str(err)


@pytest.mark.parametrize("secret", [None, "another-secret"])
def test_a_token_id_holding_its_secret_gets_the_hint_to_split_it(api: Any, secret: str | None) -> None:
    with pytest.raises(api.ConfigurationError) as info:
        api.ProxmoxVE("pve.example", token_id=f"{TOKEN_ID}={SECRET}", token_secret=secret)
    text = str(info.value)
    assert info.value.setting == "token_id" and "contains '='" in text and "as token_secret" in text
    assert SECRET not in text


def test_connection_errors_are_one_readable_line(api: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens there once the probe is closed
    dead = api.ProxmoxVE(f"127.0.0.1:{port}", token_id=TOKEN_ID, token_secret=SECRET, retries=0)
    calls = [(dead.version.get, "GET", "/version"),
             (lambda: dead.nodes("pve1").qemu.post(vmid=100), "POST", "/nodes/pve1/qemu")]  # fmt: skip
    for call, method, path in calls:
        with pytest.raises(api.ConnectionFailedError) as info:
            call()
        text = str(info.value)
        assert text.startswith(f"{method} {path}: cannot connect to 127.0.0.1:{port}: connection refused")
        assert text.endswith("(the request was not sent)") and info.value.sent is False
        assert "\n" not in text and "object at" not in text and "Max retries" not in text and SECRET not in text


def test_retry_after_is_honoured_and_capped_by_the_policy(api: Any, recording_server: RecordingServer) -> None:
    sleeps = Sleeps()
    pve = client(api, recording_server, retries=api.RetryPolicy(attempts=3, backoff=0.1, max_backoff=8.0, sleep=sleeps))
    version = Answer(200, {"data": {"version": "9.1.1", "release": "9.1"}})
    soon = formatdate(time.time() + 3, usegmt=True)
    busy = [Answer(503, {"data": None}, {"Retry-After": after}) for after in ("2", "600", soon)]
    recording_server.reply_then("GET", "/version", *busy, version)
    assert pve.version.get()["release"] == "9.1"
    assert sleeps[:2] == [2.0, 8.0] and 0 < sleeps[2] <= 3.0  # as asked, but never past max_backoff
    sleeps.clear()
    recording_server.reply("POST", "/nodes/pve1/qemu", 503, {"data": None}, {"Retry-After": "1"})
    with pytest.raises(api.ServerError):
        pve.nodes("pve1").qemu.post(vmid=100)
    assert sleeps == []  # a write is not repeated, whatever the server asks


@pytest.mark.parametrize(
    ("status", "errors", "error"),
    [(400, {"vmid": "invalid format"}, "BadRequestError"), (401, None, "AuthenticationError"),
     (403, None, "PermissionDeniedError"), (404, None, "NotFoundError"), (409, None, "ConflictError"),
     (500, None, "ServerError"), (596, None, "ServerError")],
)  # fmt: skip
def test_json_and_extjs_failures_are_read_alike(
    api: Any, recording_server: RecordingServer, status: int, errors: dict[str, str] | None, error: str
) -> None:
    json_body: dict[str, Any] = {"data": None, "message": "it failed", **({"errors": errors} if errors else {})}
    extjs_body = {**json_body, "success": 0, "status": status}
    recording_server.reply("GET", "/api2/json/version", status, json_body)
    recording_server.reply("GET", "/api2/extjs/version", 200, extjs_body)
    seen = []
    for fmt in ("json", "extjs"):
        with pytest.raises(api.HTTPError) as info:
            client(api, recording_server, format=fmt).version.get()
        seen.append((type(info.value).__name__, info.value.status, info.value.message, info.value.errors))
    assert seen[0] == seen[1] == (error, status, "it failed", errors or {})


def test_extjs_failures_without_a_status(api: Any, recording_server: RecordingServer) -> None:
    recording_server.reply("GET", "/api2/extjs/version", 200, {"success": 0, "errors": {"x": "bad"}, "data": None})
    recording_server.reply("GET", "/api2/extjs/nodes", 200, {"success": 0, "message": "oops", "data": None})
    pve = client(api, recording_server, format="extjs")
    with pytest.raises(api.BadRequestError):  # parameter errors: the request was at fault
        pve.version.get()
    with pytest.raises(api.ServerError) as failed:  # none: the server was
        pve.nodes.get()
    assert failed.value.status == 500 and failed.value.message == "oops"


def test_a_refused_ticket_in_an_extjs_body_leads_to_a_new_login(api: Any, recording_server: RecordingServer) -> None:
    tickets = [{"ticket": f"PVE:root@pam:{n}::sig", "CSRFPreventionToken": f"csrf-{n}"} for n in (1, 2)]
    recording_server.reply_then("POST", "/access/ticket", *(Answer(200, {"data": t, "success": 1}) for t in tickets))
    refused = Answer(200, {"success": 0, "status": 401, "message": "invalid PVE ticket", "data": None})
    recording_server.reply_then("GET", "/version", refused, Answer(200, {"success": 1, "data": {"release": "9.1"}}))
    pve = api.ProxmoxVE(recording_server.url, user="root@pam", password="pw", format="extjs")
    assert pve.version.get() == {"release": "9.1"}
    sent = [(r.method, r.path, r.headers.get("Cookie")) for r in recording_server.requests]
    assert sent == [
        ("POST", "/api2/extjs/access/ticket", None),
        ("GET", "/api2/extjs/version", "PVEAuthCookie=PVE:root@pam:1::sig"),
        ("POST", "/api2/extjs/access/ticket", None),
        ("GET", "/api2/extjs/version", "PVEAuthCookie=PVE:root@pam:2::sig"),
    ]


@pytest.mark.parametrize("fmt", ["json", "extjs", "html", "text"])
def test_request_raw_asks_for_any_of_pves_formats(api: Any, recording_server: RecordingServer, fmt: str) -> None:
    page = "<html><body><pre>pve1</pre></body></html>" if fmt == "html" else "pve1\n"
    body: Any = {"data": [{"node": "pve1"}]} if fmt in ("json", "extjs") else page
    recording_server.reply("GET", f"/api2/{fmt}/nodes", 200, body)
    raw = client(api, recording_server).request_raw("GET", "/nodes", api_format=fmt, type="node")
    (sent,) = recording_server.requests
    assert (sent.path, sent.query) == (f"/api2/{fmt}/nodes", [("type", "node")])
    assert raw.status == 200 and raw.format == fmt
    if fmt in ("json", "extjs"):
        assert raw.data == [{"node": "pve1"}]
    else:
        assert raw.text == page and raw.data is None


def test_request_raw_refuses_an_unknown_format(api: Any, recording_server: RecordingServer) -> None:
    with pytest.raises(api.ValidationError) as info:
        client(api, recording_server).request_raw("GET", "/nodes", api_format="xml")
    assert info.value.parameter == "api_format" and recording_server.requests == []


class TestTLS:
    """requests lets REQUESTS_CA_BUNDLE override Session.verify; the client passes verify on
    every request, so these hold with the variable set (as on our machines)."""

    @pytest.fixture(autouse=True)
    def _bundle_in_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or "/etc/ssl/certs/ca-certificates.crt"
        if not os.path.exists(bundle):
            pytest.skip(
                "needs a system CA bundle (/etc/ssl/certs/ca-certificates.crt, or REQUESTS_CA_BUNDLE set): "
                "these tests check that a bundle in the environment never overrides verify="
            )
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", bundle)

    def test_verification_on_by_default_rejects_self_signed(self, api: Any, tls_server: RecordingServer) -> None:
        with pytest.raises(api.ConnectionFailedError, match=r"TLS|certificate|SSL"):
            client(api, tls_server).version.get()
        assert tls_server.requests == []

    @pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
    def test_verify_false_really_skips_verification(self, api: Any, tls_server: RecordingServer) -> None:
        client(api, tls_server, verify=False).version.get()
        assert len(tls_server.requests) == 1

    def test_ca_path_really_used(self, api: Any, tls_server: RecordingServer, tls_files: Any) -> None:
        client(api, tls_server, verify=str(tls_files[0])).version.get()
        assert len(tls_server.requests) == 1
