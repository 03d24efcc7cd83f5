"""Fixtures for tests that talk HTTP to `pvegen mock` (a real server on 127.0.0.1).

- ``tls_cert``: (certfile, keyfile) of a self-signed certificate for 127.0.0.1/localhost, made
  once per run with the openssl CLI. Pass certfile as ``verify=`` to trust it.
- ``mock_server``: a factory; ``mock_server(spec_or_path, **MockServer kwargs)`` starts a server
  (defaults: token ``root@pam!ci=MOCK_TOKEN_SECRET``, user ``root@pam:MOCK_PASSWORD``) and stops
  it at the end of the test. ``tls=True`` uses ``tls_cert``.
- ``px_mock``: ``px_mock(spec, **kwargs)`` -> (server, proxmoxer client); ``wait_task``/``task_ok``
  poll a task as automation does.
"""

from __future__ import annotations

import functools
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pvegen import Spec, load_spec_text
from pvegen.mock import MockServer
from pvegen.mock.tls import make_self_signed

MOCK_TOKEN_ID = "root@pam!ci"
MOCK_TOKEN_SECRET = "0b8d4a34-mock-token-secret"
MOCK_USER = "root@pam"
MOCK_PASSWORD = "mock-password-not-a-secret-elsewhere"

MockFactory = Callable[..., MockServer]


@pytest.fixture(scope="session")
def tls_cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    return make_self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def mock_server(request: pytest.FixtureRequest) -> Iterator[MockFactory]:
    started: list[MockServer] = []

    def start(spec: Spec | str | Path, *, tls: bool | tuple[str, str] | None = None, **kwargs: Any) -> MockServer:
        kwargs.setdefault("tokens", [f"{MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"])
        kwargs.setdefault("users", [f"{MOCK_USER}:{MOCK_PASSWORD}"])
        cert: tuple[str, str] | None = request.getfixturevalue("tls_cert") if tls is True else (tls or None)
        server = MockServer(spec, tls=cert, **kwargs).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


# -- proxmoxer, the client judges and users drive the mock with ---------------------------------
def proxmoxer_api(srv: MockServer, cert: str, **auth: Any) -> Any:
    """A proxmoxer ProxmoxAPI for a TLS mock (default: the mock's API token)."""
    from proxmoxer import ProxmoxAPI  # type: ignore[import-untyped]

    if not auth:
        auth = {"user": MOCK_USER, "token_name": MOCK_TOKEN_ID.partition("!")[2], "token_value": MOCK_TOKEN_SECRET}
    return ProxmoxAPI("127.0.0.1", port=srv.port, verify_ssl=cert, timeout=10, **auth)


def wait_task(px: Any, upid: str, polls: int = 10) -> dict[str, Any]:
    """Poll a task's status as automation does, until it stops. Tests give the mock ``task_polls``, so
    this counts reads, never time."""
    node = upid.split(":")[1]
    for _ in range(polls):
        status: dict[str, Any] = px.nodes(node).tasks(upid).status.get()
        if status["status"] == "stopped":
            return status
    raise AssertionError(f"task {upid} still running after {polls} status reads")


def task_ok(px: Any, upid: str) -> None:
    status = wait_task(px, upid)
    assert status.get("exitstatus") == "OK", status


@pytest.fixture
def px_mock(mock_server: MockFactory, tls_cert: tuple[str, str]) -> Callable[..., tuple[MockServer, Any]]:
    """``px_mock(spec, **MockServer kwargs)``: a TLS mock (tasks run for one status read unless told
    otherwise) and a token-authenticated proxmoxer client for it."""

    def start(spec: Spec | str | Path, **kwargs: Any) -> tuple[MockServer, Any]:
        kwargs.setdefault("task_polls", 1)
        srv = mock_server(spec, tls=True, **kwargs)
        return srv, proxmoxer_api(srv, tls_cert[0])

    return start


# -- a spec for stateful tests that runs without ../shared -----------------------------------------
EMBEDDED = Path(__file__).resolve().parents[1] / "spec" / "proxmox-ve.json"
_NOT_CONFIG = {"node", "vmid", "start", "archive", "force", "unique", "pool", "storage", "live-restore", "bwlimit",
               "ostemplate", "password", "ssh-public-keys", "restore", "template"}  # fmt: skip


def _op(method: str, path: str, name: str, parameters: dict[str, Any], returns: dict[str, Any]) -> dict[str, Any]:
    return {"method": method, "path": path, "name": name, "parameters": parameters, "returns": returns}


def _opt(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "optional": 1}


def stateful_spec_data() -> dict[str, Any]:
    """The embedded spec (spec/proxmox-ve.json, in the repository) plus the calls the stateful mock
    tests need, made from its own create calls as PVE 9.1 defines them: config read and write,
    pending, snapshots, clone, template, pools, network and storage writes."""
    data: dict[str, Any] = json.loads(EMBEDDED.read_text(encoding="utf-8"))
    ops = data["operations"]
    by_key = {(op["method"], op["path"]): op for op in ops}
    text, flag = {"type": "string"}, {"type": "boolean"}
    null, task, obj = {"type": "null"}, {"type": "string"}, {"type": "object"}
    node = by_key[("GET", "/nodes/{node}")]["parameters"]["node"]
    snapname = {"type": "string", "format": "pve-configid", "maxLength": 40}
    for kind in ("qemu", "lxc"):
        create = by_key[("POST", f"/nodes/{{node}}/{kind}")]["parameters"]
        vmid = create["vmid"]
        base, ids = f"/nodes/{{node}}/{kind}/{{vmid}}", {"node": node, "vmid": vmid}
        config = {k: _opt(v) for k, v in create.items() if k not in _NOT_CONFIG}
        writes = {**ids, **config, "delete": _opt(text), "digest": _opt(text), "skiplock": _opt(flag)}
        if kind == "qemu":
            writes["force"] = _opt(flag)
        snap = {**ids, "snapname": snapname}
        snap_write = {**snap, "description": _opt(text)}
        clone = {**ids, "newid": vmid, "description": _opt(text), "full": _opt(flag), "pool": _opt(text),
                 "snapname": _opt(snapname), "storage": _opt(text), "target": _opt(node)}  # fmt: skip
        clone.update({"name": _opt(text), "format": _opt(text)} if kind == "qemu" else {"hostname": _opt(text)})
        snapshot_item = {"type": "object", "properties": {"name": text, "description": text}}
        ops += [
            _op("GET", f"{base}/config", "vm_config", {**ids, "snapshot": _opt(snapname), "current": _opt(flag)}, obj),
            _op("PUT", f"{base}/config", "update_vm", writes, null),
            _op("GET", f"{base}/pending", "vm_pending", ids, {"type": "array", "items": obj}),
            _op("GET", f"{base}/snapshot", "snapshot_list", ids, {"type": "array", "items": snapshot_item}),
            _op("POST", f"{base}/snapshot", "snapshot", {**snap_write, "vmstate": _opt(flag)}, task),
            _op("GET", f"{base}/snapshot/{{snapname}}", "snapshot_cmd_idx", snap, {"type": "array", "items": obj}),
            _op("DELETE", f"{base}/snapshot/{{snapname}}", "delsnapshot", {**snap, "force": _opt(flag)}, task),
            _op("GET", f"{base}/snapshot/{{snapname}}/config", "get_snapshot_config", snap, obj),
            _op("PUT", f"{base}/snapshot/{{snapname}}/config", "update_snapshot_config", snap_write, null),
            _op("POST", f"{base}/snapshot/{{snapname}}/rollback", "rollback", {**snap, "start": _opt(flag)}, task),
            _op("POST", f"{base}/clone", "clone_vm", clone, task),
            _op("POST", f"{base}/template", "template", {**ids, "disk": _opt(text)}, task if kind == "qemu" else null),
            _op(
                "PUT",
                f"{base}/resize",
                "resize_vm",
                {
                    **ids,
                    "disk": text,
                    "size": {"type": "string", "pattern": r"\+?\d+(\.\d+)?[KMGT]?"},
                    "digest": _opt(text),
                    "skiplock": _opt(flag),
                },
                task,
            ),
        ]
        if kind == "qemu":
            ops.append(_op("POST", f"{base}/config", "update_vm_async", writes, task))
    pool = {"type": "string", "format": "pve-poolid"}
    members = {"type": "array", "items": {"type": "object", "properties": {"id": text, "type": text}}}
    pool_write = {"poolid": pool, "comment": _opt(text), "vms": _opt(text), "storage": _opt(text),
                  "delete": _opt(flag), "allow-move": _opt(flag)}  # fmt: skip
    pool_item = {"type": "object", "properties": {"poolid": text, "comment": _opt(text), "members": _opt(members)}}
    pool_list = {"type": "array", "items": pool_item}
    pool_read = {"type": "object", "properties": {"comment": _opt(text), "members": members}}
    ops += [
        _op("GET", "/pools", "index", {"poolid": _opt(pool), "type": _opt(text)}, pool_list),
        _op("POST", "/pools", "create_pool", {"poolid": pool, "comment": _opt(text)}, null),
        _op("PUT", "/pools", "update_pool", pool_write, null),
        _op("DELETE", "/pools", "delete_pool", {"poolid": pool}, null),
        _op("GET", "/pools/{poolid}", "read_pool", {"poolid": pool, "type": _opt(text)}, pool_read),
        _op("PUT", "/pools/{poolid}", "update_pool_by_id", pool_write, null),
        _op("DELETE", "/pools/{poolid}", "delete_pool_by_id", {"poolid": pool}, null),
    ]
    iface_write = dict(by_key[("PUT", "/nodes/{node}/network/{iface}")]["parameters"])
    iface = {"node": node, "iface": iface_write["iface"]}
    storage = {"type": "string", "format": "pve-storage-id"}
    storage_write = {"storage": storage, "content": _opt(text), "path": _opt(text), "shared": _opt(flag),
                     "delete": _opt(text), "digest": _opt(text)}  # fmt: skip
    ops += [
        _op("POST", "/nodes/{node}/network", "create_network", {**iface_write, "iface": iface["iface"]}, null),
        _op("PUT", "/nodes/{node}/network", "reload_network_config", {"node": node}, task),
        _op("DELETE", "/nodes/{node}/network", "revert_network_changes", {"node": node}, null),
        _op("DELETE", "/nodes/{node}/network/{iface}", "delete_network", iface, null),
        _op("POST", "/storage", "create", {**storage_write, "type": text}, obj),
        _op("GET", "/storage/{storage}", "read", {"storage": storage}, obj),
        _op("PUT", "/storage/{storage}", "update", storage_write, obj),
        _op("DELETE", "/storage/{storage}", "delete", {"storage": storage}, null),
    ]
    return data


@functools.cache
def stateful_spec() -> Spec:
    return load_spec_text(json.dumps(stateful_spec_data()), source="stateful-spec.json")


@pytest.fixture(scope="session")
def stateful() -> Spec:
    """A 9.1-like spec with the stateful calls (snapshots, clones, pools, ...), built from the embedded
    spec: the mock's behaviour tests run without ../shared."""
    return stateful_spec()
