"""The seed's domain keeps state: guests, storage, network, cluster, tasks, access."""

from __future__ import annotations

import functools
import json
import urllib.parse
from typing import Any

import pytest
import requests

from pvegen import Spec, load_spec_text
from pvegen.mock import MockError, MockServer
from tests.fixtures_mock import MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MockFactory, stateful_spec_data


class Api:
    """A tiny token client over one requests session (only for these tests)."""

    def __init__(self, srv: MockServer) -> None:
        self.base = f"{srv.url}/api2/json"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"

    def call(self, method: str, path: str, **params: Any) -> requests.Response:
        if method == "GET":
            return self.session.request(method, self.base + path, params=params, timeout=10)
        return self.session.request(method, self.base + path, data=params, timeout=10)

    def ok(self, method: str, path: str, **params: Any) -> Any:
        response = self.call(method, path, **params)
        assert response.status_code == 200, (response.status_code, response.reason, response.text)
        return response.json()["data"]

    def task(self, upid: str) -> dict[str, Any]:
        node = upid.split(":")[1]
        encoded = urllib.parse.quote(upid, safe="")  # ids may hold '/' (volume ids)
        status: dict[str, Any] = self.ok("GET", f"/nodes/{node}/tasks/{encoded}/status")
        return status


@pytest.fixture
def api(mock_server: MockFactory, stateful: Spec) -> Api:
    return Api(mock_server(stateful))


# -- the access and task calls the embedded spec leaves out, as PVE 9.1 declares them (descriptions left out) ------
TEXT: dict[str, Any] = {"type": "string", "optional": 1}
USERID: dict[str, Any] = {"type": "string", "format": "pve-userid", "maxLength": 64}
GROUPID: dict[str, Any] = {"type": "string", "format": "pve-groupid"}
ROLEID: dict[str, Any] = {"type": "string", "format": "pve-roleid"}
MODIFY_USERS: list[Any] = ["userid-group", ["User.Modify"]]
ALLOCATE_GROUPS: list[Any] = ["perm", "/access/groups", ["Group.Allocate"]]
MODIFY_ACCESS: list[Any] = ["perm", "/access", ["Sys.Modify"]]


def _call(
    method: str,
    path: str,
    parameters: dict[str, Any],
    check: list[Any] | None = None,
    returns: dict[str, Any] | None = None,
    allowtoken: int = 1,
) -> dict[str, Any]:
    return {
        "method": method,
        "path": path,
        "name": f"{method.lower()}{path.replace('/', '_')}",
        "parameters": parameters,
        "returns": returns or {"type": "null"},
        "permissions": {"user": "all"} if check is None else {"check": check},
        "allowtoken": allowtoken,
    }


def access_and_task_calls() -> list[dict[str, Any]]:
    """Making groups, one user's and one role's calls, the password change (PVE refuses API tokens there) and
    stopping a task."""
    user_write = {
        "userid": USERID,
        "firstname": {**TEXT, "maxLength": 1024},
        "lastname": {**TEXT, "maxLength": 1024},
        "email": {**TEXT, "format": "email-opt", "maxLength": 254},
        "comment": {**TEXT, "maxLength": 2048},
        "groups": {**TEXT, "format": "pve-groupid-list"},
        "append": {"type": "boolean", "optional": 1, "requires": "groups"},
        "enable": {"type": "boolean", "optional": 1, "default": 1},
        "expire": {"type": "integer", "optional": 1, "minimum": 0},
    }
    password = {
        "userid": USERID,
        "password": {"type": "string", "minLength": 8, "maxLength": 64},
        "confirmation-password": {**TEXT, "minLength": 5, "maxLength": 64},
    }
    own_or_managed = ["or", ["userid-param", "self"], ["and", ["userid-param", "Realm.AllocateUser"], MODIFY_USERS]]
    members = {"type": "array", "items": USERID}
    group = {"type": "object", "properties": {"comment": TEXT, "members": members}}
    audit_groups = ["perm", "/access/groups", ["Sys.Audit", "Group.Allocate"], "any", 1]
    audit_users = ["userid-group", ["User.Modify", "Sys.Audit"]]
    remove_users = ["and", ["userid-param", "Realm.AllocateUser"], MODIFY_USERS]
    task = {"node": {"type": "string", "format": "pve-node"}, "upid": {"type": "string"}}
    return [
        _call("POST", "/access/groups", {"groupid": GROUPID, "comment": TEXT}, ALLOCATE_GROUPS),
        _call("GET", "/access/groups/{groupid}", {"groupid": GROUPID}, audit_groups, group),
        _call("DELETE", "/access/groups/{groupid}", {"groupid": GROUPID}, ALLOCATE_GROUPS),
        _call("GET", "/access/users/{userid}", {"userid": USERID}, audit_users, {"type": "object"}),
        _call("PUT", "/access/users/{userid}", user_write, [*MODIFY_USERS, "groups_param", "update"]),
        _call("DELETE", "/access/users/{userid}", {"userid": USERID}, remove_users),
        _call("POST", "/access/roles", {"roleid": ROLEID, "privs": {**TEXT, "format": "pve-priv-list"}}, MODIFY_ACCESS),
        _call("GET", "/access/roles/{roleid}", {"roleid": ROLEID}, returns={"type": "object"}),
        _call("DELETE", "/access/roles/{roleid}", {"roleid": ROLEID}, MODIFY_ACCESS),
        _call("PUT", "/access/password", password, own_or_managed, allowtoken=0),
        _call("DELETE", "/nodes/{node}/tasks/{upid}", task),
    ]


def stateful_with_access_data() -> dict[str, Any]:
    """The stateful tests' spec and ``access_and_task_calls`` (a new document each call, to change at will)."""
    data = stateful_spec_data()
    data["operations"] += access_and_task_calls()
    return data


@functools.cache
def stateful_with_access() -> Spec:
    """A 9.1-like spec to manage users, groups and roles, change passwords and stop tasks without ../shared."""
    return load_spec_text(json.dumps(stateful_with_access_data()), source="stateful-with-access.json")


def test_vm_lifecycle(api: Api) -> None:
    assert api.ok("GET", "/cluster/nextid") == "100"  # a string, as PVE sends it
    upid = api.ok("POST", "/nodes/pve1/qemu", vmid=100, name="web", memory=2048, scsi0="local-lvm:16")
    assert api.task(upid)["exitstatus"] == "OK"
    assert api.ok("GET", "/cluster/nextid") == "101"
    again = api.call("POST", "/nodes/pve1/qemu", vmid=100)
    assert (again.status_code, again.reason) == (500, "VM 100 already exists on node 'pve1'")
    config = api.ok("GET", "/nodes/pve1/qemu/100/config")
    assert config["scsi0"] == "local-lvm:vm-100-disk-0,size=16G"
    assert config["name"] == "web"
    images = api.ok("GET", "/nodes/pve1/storage/local-lvm/content", vmid=100)
    assert [v["volid"] for v in images] == ["local-lvm:vm-100-disk-0"]
    assert api.ok("PUT", "/nodes/pve1/qemu/100/config", cores=4, delete="name") is None
    config = api.ok("GET", "/nodes/pve1/qemu/100/config")
    assert config["cores"] == 4 and "name" not in config
    stale = api.call("PUT", "/nodes/pve1/qemu/100/config", cores=2, digest="0" * 40)
    assert stale.status_code == 500 and "detected modified configuration" in stale.reason
    assert api.task(api.ok("POST", "/nodes/pve1/qemu/100/config", cores=8))["exitstatus"] == "OK"
    assert api.ok("GET", "/nodes/pve1/qemu/100/status/current")["status"] == "stopped"
    assert api.task(api.ok("POST", "/nodes/pve1/qemu/100/status/shutdown"))["exitstatus"] == "VM 100 not running"
    assert api.task(api.ok("POST", "/nodes/pve1/qemu/100/status/start"))["exitstatus"] == "OK"
    status = api.ok("GET", "/nodes/pve1/qemu/100/status/current")
    assert (status["status"], status["qmpstatus"], status["cpus"]) == ("running", "running", 8)
    assert api.task(api.ok("POST", "/nodes/pve1/qemu/100/status/start"))["exitstatus"] == "VM 100 already running"
    assert api.task(api.ok("POST", "/nodes/pve1/qemu/100/status/reset"))["exitstatus"] == "OK"
    running = api.call("DELETE", "/nodes/pve1/qemu/100")
    assert (running.status_code, running.reason) == (500, "VM 100 is running - destroy failed")
    assert api.task(api.ok("POST", "/nodes/pve1/qemu/100/status/shutdown"))["exitstatus"] == "OK"
    assert api.task(api.ok("DELETE", "/nodes/pve1/qemu/100"))["exitstatus"] == "OK"
    gone = api.call("GET", "/nodes/pve1/qemu/100/config")
    assert (gone.status_code, gone.reason) == (
        500,
        "Configuration file 'nodes/pve1/qemu-server/100.conf' does not exist",
    )
    assert api.ok("GET", "/nodes/pve1/storage/local-lvm/content") == []


def test_container_lifecycle(api: Api) -> None:
    template = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
    upid = api.ok("POST", "/nodes/pve1/lxc", vmid=200, ostemplate=template, hostname="ct1", rootfs="local-lvm:8",
                  password="not-stored")  # fmt: skip
    assert ":vzcreate:200:" in upid and api.task(upid)["exitstatus"] == "OK"
    config = api.ok("GET", "/nodes/pve1/lxc/200/config")
    assert config["rootfs"] == "local-lvm:vm-200-disk-0,size=8G"
    assert "password" not in config
    clash = api.call("POST", "/nodes/pve1/qemu", vmid=200)
    assert clash.reason == "CT 200 already exists on node 'pve1'"
    assert api.task(api.ok("POST", "/nodes/pve1/lxc/200/status/start"))["exitstatus"] == "OK"
    assert [c["status"] for c in api.ok("GET", "/nodes/pve1/lxc")] == ["running"]
    assert api.task(api.ok("POST", "/nodes/pve1/lxc/200/status/stop"))["exitstatus"] == "OK"
    assert api.task(api.ok("DELETE", "/nodes/pve1/lxc/200"))["exitstatus"] == "OK"
    assert api.ok("GET", "/nodes/pve1/lxc") == []


def test_storage_upload_list_delete(api: Api) -> None:
    files = {"filename": ("tiny.iso", b"ISO" * 100, "application/octet-stream")}
    response = api.session.post(f"{api.base}/nodes/pve1/storage/local/upload", data={"content": "iso"}, files=files,
                                timeout=10)  # fmt: skip
    assert response.status_code == 200, response.reason
    assert api.task(response.json()["data"])["exitstatus"] == "OK"
    isos = {v["volid"]: v for v in api.ok("GET", "/nodes/pve1/storage/local/content", content="iso")}
    assert isos["local:iso/tiny.iso"]["size"] == 300
    wrong = api.session.post(f"{api.base}/nodes/pve1/storage/local-lvm/upload", data={"content": "iso"}, files=files,
                             timeout=10)  # fmt: skip
    assert wrong.status_code == 500
    assert api.ok("POST", "/nodes/pve1/storage/local-lvm/content", vmid=300, filename="vm-300-disk-0", size="4G") == (
        "local-lvm:vm-300-disk-0"
    )
    encoded = urllib.parse.quote("local:iso/tiny.iso", safe="")
    assert api.task(api.ok("DELETE", f"/nodes/pve1/storage/local/content/{encoded}"))["exitstatus"] == "OK"
    assert "local:iso/tiny.iso" not in [v["volid"] for v in api.ok("GET", "/nodes/pve1/storage/local/content")]
    assert {s["storage"] for s in api.ok("GET", "/nodes/pve1/storage", content="images")} == {"local-lvm"}
    assert {s["storage"] for s in api.ok("GET", "/storage")} == {"local", "local-lvm"}


def test_network(api: Api) -> None:
    assert {i["iface"] for i in api.ok("GET", "/nodes/pve1/network", type="bridge")} == {"vmbr0"}
    assert api.ok("POST", "/nodes/pve1/network", iface="vmbr1", type="bridge", autostart=1) is None
    clash = api.call("POST", "/nodes/pve1/network", iface="vmbr1", type="bridge")
    assert clash.json()["errors"] == {"iface": "interface already exists"}
    api.ok("PUT", "/nodes/pve1/network/vmbr1", type="bridge", comments="lab")
    assert api.ok("GET", "/nodes/pve1/network/vmbr1")["comments"] == "lab"
    api.ok("DELETE", "/nodes/pve1/network/vmbr1")
    assert api.call("GET", "/nodes/pve1/network/vmbr1").status_code == 400


def test_cluster_views(api: Api) -> None:
    api.ok("POST", "/nodes/pve1/qemu", vmid=105, name="one")
    resources = api.ok("GET", "/cluster/resources")
    assert {"node/pve1", "qemu/105", "storage/pve1/local"} <= {r["id"] for r in resources}
    assert [r["id"] for r in api.ok("GET", "/cluster/resources", type="vm")] == ["qemu/105"]
    assert [s["type"] for s in api.ok("GET", "/cluster/status")] == ["node"]
    taken = api.call("GET", "/cluster/nextid", vmid=105)
    assert taken.status_code == 400 and taken.json()["errors"] == {"vmid": "VM 105 already exists"}
    assert api.ok("GET", "/cluster/nextid", vmid=106) == "106"
    tasks = api.ok("GET", "/cluster/tasks")
    assert [t["type"] for t in tasks] == ["qmcreate"]
    assert tasks[0]["status"] == "OK"


def test_unknown_node(api: Api) -> None:
    response = api.call("GET", "/nodes/nosuchnode/qemu")
    assert response.status_code == 500 and "hostname lookup 'nosuchnode' failed" in response.reason


def test_task_polls_decide_when_tasks_stop(mock_server: MockFactory, stateful: Spec) -> None:
    api = Api(mock_server(stateful, task_polls=2))
    upid = api.ok("POST", "/nodes/pve1/qemu", vmid=100, start=1)
    assert api.ok("GET", "/nodes/pve1/tasks", source="active")[0]["upid"] == upid
    assert [api.task(upid)["status"] for _ in range(2)] == ["running", "running"]  # the first N reads
    assert api.ok("GET", "/nodes/pve1/qemu/100/status/current")["status"] == "stopped"  # start=1 not yet done
    done = api.task(upid)
    assert (done["status"], done["exitstatus"]) == ("stopped", "OK")  # read N+1 ends it
    assert api.task(upid)["status"] == "stopped"  # and it stays so
    assert api.ok("GET", "/nodes/pve1/qemu/100/status/current")["status"] == "running"  # its effect happened
    log = api.ok("GET", f"/nodes/pve1/tasks/{upid}/log")
    assert log[-1] == {"n": len(log), "t": "TASK OK"}
    assert api.ok("GET", "/nodes/pve1/tasks", source="active") == []
    assert api.call("GET", "/nodes/pve1/tasks/UPID:bogus/status").status_code == 500


def test_task_polls_zero_stops_at_the_first_read(mock_server: MockFactory, stateful: Spec) -> None:
    api = Api(mock_server(stateful, task_polls=0))
    upid = api.ok("POST", "/nodes/pve1/qemu", vmid=100)
    assert [t["upid"] for t in api.ok("GET", "/nodes/pve1/tasks", source="active")] == [upid]  # lists do not count
    assert api.task(upid)["status"] == "stopped"


def test_tasks_run_for_their_duration(mock_server: MockFactory, stateful: Spec) -> None:
    slow = Api(mock_server(stateful, task_duration=3600))
    upid = slow.ok("POST", "/nodes/pve1/qemu", vmid=100)
    assert [slow.task(upid)["status"] for _ in range(3)] == ["running"] * 3  # no read can outlast an hour
    fast = Api(mock_server(stateful, task_duration=0))
    assert fast.task(fast.ok("POST", "/nodes/pve1/qemu", vmid=100))["status"] == "stopped"


def test_stopping_a_running_task(mock_server: MockFactory) -> None:
    api = Api(mock_server(stateful_with_access(), task_polls=5))
    upid = api.ok("POST", "/nodes/pve1/qemu", vmid=100, start=1)
    encoded = urllib.parse.quote(upid, safe="")
    assert api.ok("DELETE", f"/nodes/pve1/tasks/{encoded}") is None
    stopped = api.task(upid)
    assert (stopped["status"], stopped["exitstatus"]) == ("stopped", "interrupted by signal")
    assert api.ok("GET", "/nodes/pve1/qemu/100/status/current")["status"] == "stopped"  # its effect never ran


def test_task_polls_must_not_be_negative(stateful: Spec) -> None:
    with pytest.raises(MockError, match="task_polls"):
        MockServer(stateful, task_polls=-1)


def test_access_users_groups_roles_domains(mock_server: MockFactory) -> None:
    api = Api(mock_server(stateful_with_access()))
    api.ok("POST", "/access/groups", groupid="ops", comment="operators")
    api.ok("POST", "/access/users", userid="bob@pve", email="bob@pve.example", groups="ops")
    clash = api.call("POST", "/access/users", userid="bob@pve")
    assert clash.status_code == 500 and "already exists" in clash.reason
    assert api.ok("GET", "/access/users/bob@pve")["groups"] == ["ops"]
    assert api.ok("GET", "/access/groups/ops") == {"members": ["bob@pve"], "comment": "operators"}
    assert {"root@pam", "bob@pve"} <= {u["userid"] for u in api.ok("GET", "/access/users")}
    api.ok("PUT", "/access/users/bob@pve", firstname="Bob")
    assert api.ok("GET", "/access/users/bob@pve")["firstname"] == "Bob"
    api.ok("DELETE", "/access/users/bob@pve")
    assert api.call("GET", "/access/users/bob@pve").status_code == 500
    api.ok("POST", "/access/roles", roleid="Backup", privs="VM.Backup,Datastore.Audit")
    assert api.ok("GET", "/access/roles/Backup") == {"VM.Backup": 1, "Datastore.Audit": 1}
    assert "PVEAdmin" in {r["roleid"] for r in api.ok("GET", "/access/roles")}
    assert api.call("DELETE", "/access/roles/PVEAdmin").status_code == 500
    assert {d["realm"] for d in api.ok("GET", "/access/domains")} == {"pam", "pve"}
    api.ok("DELETE", "/access/groups/ops")
    assert api.ok("GET", "/access/groups") == []
