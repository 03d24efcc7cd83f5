"""The mock speaks PVE's protocol: /api2/json and /api2/extjs, 400/401/501 as PVE answers them."""

from __future__ import annotations

import html
import json
import re
import socket
import urllib.parse
from typing import Any

import pytest
import requests

from pvegen import Spec, load_spec_text
from pvegen.mock import MockServer
from pvegen.mock.server import WRONG_SCHEME_NOTICES
from tests.fixtures_mock import MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MockFactory
from tests.fixtures_shared import RELEASES
from tests.test_mock_state import stateful_with_access_data

TOKEN = {"Authorization": f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"}


@pytest.fixture
def srv(mock_server: MockFactory, stateful: Spec) -> MockServer:
    return mock_server(stateful)


def as_pve_declares_it() -> Spec:
    """The stateful spec with what the embedded one leaves out, written as PVE 9.1 declares it: the VM create's
    closed parameter list, the node index's child links, group and user calls, the login page and the volume
    read; and Proxmox's rule for a call without a permissions block (root@pam only), as in its schemas."""
    data = stateful_with_access_data()
    data["unstated-permissions"] = "root-only"
    by_key = {(op["method"], op["path"]): op for op in data["operations"]}
    del by_key[("POST", "/nodes/{node}/qemu")]["open"]
    by_key[("GET", "/nodes")]["returns"]["links"] = [{"rel": "child", "href": "{node}"}]
    volume_info = {"format": {"type": "string"}, "path": {"type": "string"}, "size": {"type": "integer"},
                   "used": {"type": "integer"}, "notes": {"type": "string", "optional": 1}}  # fmt: skip
    node = {"type": "string", "format": "pve-node"}
    world = {"user": "world"}
    data["operations"].append({"method": "GET", "path": "/access/ticket", "name": "get_ticket", "parameters": {},
                               "returns": {"type": "null"}, "permissions": world, "allowtoken": 0})  # fmt: skip
    data["operations"].append({
        "method": "GET", "path": "/nodes/{node}/storage/{storage}/content/{volume}", "name": "info",
        "parameters": {"node": node, "storage": {"type": "string", "format": "pve-storage-id", "optional": 1},
                       "volume": {"type": "string"}},
        "returns": {"type": "object", "properties": volume_info}, "permissions": {"user": "all"},
    })  # fmt: skip
    return load_spec_text(json.dumps(data), source="as-pve-declares-it.json")


@pytest.fixture
def srv_pve(mock_server: MockFactory) -> MockServer:
    """A 9.1 spec with closed parameter lists, links, groups: ``as_pve_declares_it``."""
    return mock_server(as_pve_declares_it())


def get(srv: MockServer, path: str, fmt: str = "json", **params: Any) -> requests.Response:
    return requests.get(f"{srv.url}/api2/{fmt}{path}", params=params, headers=TOKEN, timeout=10)


def post(srv: MockServer, path: str, fmt: str = "json", **data: Any) -> requests.Response:
    return requests.post(f"{srv.url}/api2/{fmt}{path}", data=data, headers=TOKEN, timeout=10)


def test_json_success_is_data_member(srv: MockServer) -> None:
    response = get(srv, "/nodes")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["data"]
    assert [n["node"] for n in body["data"]] == ["pve1"]


def test_extjs_success_and_failure_are_http_200(srv: MockServer) -> None:
    ok = get(srv, "/nodes", fmt="extjs")
    assert ok.status_code == 200
    assert ok.json()["success"] == 1
    bad = post(srv, "/nodes/pve1/qemu", fmt="extjs", vmid="99")
    assert bad.status_code == 200
    body = bad.json()
    assert body["success"] == 0
    assert body["data"] is None
    assert body["errors"] == {"vmid": "value must have a minimum value of 100"}
    assert body["message"].startswith("Parameter verification failed")


def test_parameter_error_is_400_with_errors_and_reason(srv_pve: MockServer) -> None:
    response = post(srv_pve, "/nodes/pve1/qemu", vmid="abc", ostype="win99", bogus="1")
    assert response.status_code == 400
    assert response.reason == "Parameter verification failed."
    errors = response.json()["errors"]
    assert response.json()["data"] is None
    assert errors["vmid"] == "type check ('integer') failed - got 'abc'"
    assert errors["ostype"].startswith("value 'win99' does not have a value in the enumeration")
    assert errors["bogus"] == "property is not defined in schema and the schema does not allow additional properties"


def test_missing_required_parameter(srv: MockServer) -> None:
    response = post(srv, "/nodes/pve1/qemu")
    assert response.status_code == 400
    assert response.json()["errors"] == {"vmid": "property is missing and it is not optional"}


def test_property_string_is_checked_per_key(srv: MockServer) -> None:
    response = post(srv, "/nodes/pve1/qemu", vmid="100", net0="virtio,bridge=vmbr0,nosuchkey=1")
    assert response.status_code == 400
    assert (
        response.json()["errors"]["net0"]
        == "invalid format - invalid key in comma-separated list property: nosuchkey\n"
    )
    bad_tag = post(srv, "/nodes/pve1/qemu", vmid="100", net0="virtio,bridge=vmbr0,tag=ten")
    assert (
        bad_tag.json()["errors"]["net0"]
        == "invalid format - format error\nnet0.tag: type check ('integer') failed - got 'ten'\n"
    )
    assert post(srv, "/nodes/pve1/qemu", vmid="100", net0="virtio=BC:24:11:00:00:01,bridge=vmbr0").status_code == 200


def test_pattern_and_length_are_checked(srv_pve: MockServer) -> None:
    # /access/groups: groupid has PVE's format (pve-groupid); a space is not allowed
    response = post(srv_pve, "/access/groups", groupid="bad group")
    assert response.status_code == 400
    assert "groupid" in response.json()["errors"]
    comment = srv_pve.spec.operation("POST", "/access/users")
    assert comment is not None
    longest = comment.parameters["comment"].max_length
    assert longest is not None
    too_long = post(srv_pve, "/access/users", userid="a@pve", comment="x" * (longest + 1))
    assert too_long.json()["errors"] == {"comment": f"value may only be {longest} characters long"}


@pytest.mark.parametrize("text", ["1", "0"])
def test_boolean_parameters_are_1_or_0(srv: MockServer, text: str) -> None:
    assert post(srv, "/nodes/pve1/qemu", vmid="100", onboot=text).status_code == 200
    assert get(srv, "/nodes/pve1/qemu/100/config").json()["data"]["onboot"] == int(text)


@pytest.mark.parametrize("text", ["yes", "on", "true", "no", "off", "false", "True"])
def test_boolean_words_are_refused_outside_property_strings(srv: MockServer, text: str) -> None:
    # PVE's check_type takes '1'/'0' only; parse_boolean's words count inside property strings
    refused = post(srv, "/nodes/pve1/qemu", vmid="100", onboot=text)
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"onboot": f"type check ('boolean') failed - got '{text}'"}
    assert post(srv, "/nodes/pve1/qemu", vmid="101", net0=f"virtio,bridge=vmbr0,firewall={text}").status_code == 200


def test_boolean_garbage_is_refused(srv: MockServer) -> None:
    response = post(srv, "/nodes/pve1/qemu", vmid="100", onboot="maybe")
    assert response.json()["errors"] == {"onboot": "type check ('boolean') failed - got 'maybe'"}


def test_json_request_body_is_accepted(srv: MockServer) -> None:
    response = requests.post(
        f"{srv.url}/api2/json/nodes/pve1/qemu", json={"vmid": 101, "cores": 2}, headers=TOKEN, timeout=10
    )
    assert response.status_code == 200
    assert get(srv, "/nodes/pve1/qemu/101/config").json()["data"]["cores"] == 2


def test_unknown_path_and_method_are_501(srv: MockServer) -> None:
    unknown = get(srv, "/nodes/pve1/nosuchthing")
    assert unknown.status_code == 501
    assert unknown.reason == "Method 'GET /nodes/pve1/nosuchthing' not implemented"
    wrong_method = requests.delete(f"{srv.url}/api2/json/nodes", headers=TOKEN, timeout=10)
    assert wrong_method.status_code == 501
    assert requests.get(f"{srv.url}/api2/nosuchformat/nodes", headers=TOKEN, timeout=10).status_code == 501


def test_open_operation_accepts_extra_parameters(srv: MockServer) -> None:
    start = srv.spec.operation("POST", "/nodes/{node}/qemu/{vmid}/status/start")
    config = srv.spec.operation("GET", "/nodes/{node}/qemu/{vmid}/config")
    assert start is not None and start.open and config is not None and not config.open
    assert post(srv, "/nodes/pve1/qemu", vmid="100").status_code == 200
    assert post(srv, "/nodes/pve1/qemu/100/status/start", anything="goes").status_code == 200
    refused = get(srv, "/nodes/pve1/qemu/100/config", anything="goes")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "anything": "property is not defined in schema and the schema does not allow additional properties"
    }


def test_percent_encoded_volume_id_in_path(srv_pve: MockServer) -> None:
    volid = "local:iso/debian-12.7.0-amd64-netinst.iso"
    encoded = urllib.parse.quote(volid, safe="")
    response = get(srv_pve, f"/nodes/pve1/storage/local/content/{encoded}")
    assert response.status_code == 200
    assert response.json()["data"]["format"] == "iso"
    assert srv_pve.requests[-1].path == f"/nodes/pve1/storage/local/content/{volid}"


def test_apidoc_is_served_without_auth_and_loads_back(srv_pve: MockServer) -> None:
    response = requests.get(f"{srv_pve.url}/pve-docs/api-viewer/apidoc.js", timeout=30)
    assert response.status_code == 200
    assert response.text.startswith("const apiSchema = [")
    back, served = load_spec_text(response.text, version="9.1"), srv_pve.spec
    assert (back.product, back.version, back.unstated_permissions) == ("pve", "9.1", served.unstated_permissions)
    assert sorted(back.operations, key=str) == sorted(served.operations, key=str)  # the tree orders calls by path


def test_requests_are_recorded_without_secrets(srv: MockServer) -> None:
    post(srv, "/nodes/pve1/qemu", vmid="100", name="rec")
    last = srv.requests[-1]
    assert (last.method, last.path, last.format) == ("POST", "/nodes/pve1/qemu", "json")
    assert last.params == {"vmid": "100", "name": "rec"}
    assert last.operation == ("POST", "/nodes/{node}/qemu")
    assert (last.auth, last.user, last.status) == ("token", "root@pam", 200)
    assert MOCK_TOKEN_SECRET not in repr(srv.requests.snapshot())


def test_named_formats_are_checked(srv: MockServer) -> None:
    response = post(srv, "/access/users", userid="no-realm", email="not-an-address")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"userid", "email"}
    assert all(message.startswith("invalid format - ") for message in errors.values())
    assert post(srv, "/access/users", userid="dave@pve", email="dave@pve.example").status_code == 200


def test_chunked_body_and_bad_content_length(srv: MockServer) -> None:
    def chunks() -> Any:
        yield b"vmid=100&"
        yield b"name=chunky"

    response = requests.post(f"{srv.url}/api2/json/nodes/pve1/qemu", data=chunks(), headers={
        **TOKEN, "Content-Type": "application/x-www-form-urlencoded"}, timeout=10)  # fmt: skip
    assert response.status_code == 200
    assert get(srv, "/nodes/pve1/qemu/100/config").json()["data"]["name"] == "chunky"
    host, port = srv.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /api2/json/nodes HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 400 invalid Content-Length")


def version_answers_as_the_release_does(srv: MockServer, version: str) -> None:
    """``/version`` as that release's pve-manager answers: 7.4-3 and an 8-digit repoid before 8.0, 8.0.3 and a
    16-digit one from 8.0 on."""
    data = get(srv, "/version").json()["data"]
    assert data["release"] == version
    if int(version.split(".", maxsplit=1)[0]) >= 8:  # pve-manager 8.0.3 and a 16-digit repoid from 8.0 on
        assert re.fullmatch(rf"{re.escape(version)}\.\d+", data["version"]) and re.fullmatch(
            r"[0-9a-f]{16}", data["repoid"]
        )
    else:  # 7.4-3 and an 8-digit repoid before
        assert re.fullmatch(rf"{re.escape(version)}-\d+", data["version"]) and re.fullmatch(
            r"[0-9a-f]{8}", data["repoid"]
        )


@pytest.mark.parametrize("version", RELEASES)
def test_version_answers_as_the_specs_release_does(mock_server: MockFactory, embedded: Spec, version: str) -> None:
    version_answers_as_the_release_does(mock_server(embedded.with_version(version)), version)


def test_html_format_is_pves_debugging_portal(srv_pve: MockServer) -> None:
    index = get(srv_pve, "/nodes", fmt="html")
    assert (index.status_code, index.headers["Content-Type"]) == (200, "text/html;charset=UTF-8")
    assert '<a class="list-group-item" href="/api2/html/nodes/pve1">' in index.text  # an index links its children
    nodes = srv_pve.spec.operation("GET", "/nodes")
    assert nodes is not None and nodes.summary
    assert f"<h3>Description</h3><p>{html.escape(nodes.summary)}</p>" in index.text
    version = get(srv_pve, "/version", fmt="html").text
    assert '<li><a href="/api2/html/version">version</a></li>' in version  # breadcrumbs of the path
    assert "&quot;release&quot;: &quot;9.1&quot;" in version  # the data as pretty JSON, escaped
    missing = get(srv_pve, "/nodes/pve1/qemu/999/config", fmt="html")
    assert (
        missing.status_code == 500 and '<div class="alert alert-danger">Error 500: Configuration file' in missing.text
    )
    anonymous = requests.get(f"{srv_pve.url}/api2/html/nodes", timeout=10, allow_redirects=False)
    assert (anonymous.status_code, anonymous.headers["Location"]) == (301, "/api2/html/access/ticket")
    form = requests.get(f"{srv_pve.url}/api2/html/access/ticket", timeout=10)
    assert form.status_code == 200 and '<input type="password" name="password"' in form.text


def test_text_format_is_plain_text(srv: MockServer) -> None:
    version = get(srv, "/version", fmt="text")
    assert version.headers["Content-Type"] == "text/plain;charset=UTF-8"
    assert version.text == "\n".join(f"{k}: {v}" for k, v in sorted(get(srv, "/version").json()["data"].items())) + "\n"
    nodes = get(srv, "/nodes", fmt="text").text
    assert "node: pve1\n" in nodes and "status: online\n" in nodes
    bad = post(srv, "/nodes/pve1/qemu", fmt="text", vmid="99")
    assert bad.status_code == 400
    assert bad.text == "ERROR 400: Parameter verification failed.\nvmid: value must have a minimum value of 100\n"
    assert get(srv, "/nodes", fmt="yaml").status_code == 501


@pytest.mark.parametrize("tls", [False, True], ids=["https-to-http", "http-to-https"])
def test_a_client_using_the_wrong_scheme_is_noticed_once(
    mock_server: MockFactory, embedded: Spec, tls_cert: tuple[str, str], tls: bool
) -> None:
    heard: list[str] = []
    srv = mock_server(embedded, tls=tls, notice=heard.append)
    scheme, other = ("https", "http") if tls else ("http", "https")
    wrong = srv.url.replace(f"{scheme}://", f"{other}://") + "/api2/json/version"
    for _ in range(3):
        with pytest.raises(requests.exceptions.RequestException):
            requests.get(wrong, timeout=10, verify=False)
    kind = "http-to-https" if tls else "https-to-http"
    assert srv.wrong_scheme == {kind} and heard == [WRONG_SCHEME_NOTICES[kind]]
    right = requests.get(f"{srv.url}/api2/json/version", timeout=10, verify=tls_cert[0] if tls else True)
    assert right.status_code == 401  # the mock goes on serving those who speak its scheme
