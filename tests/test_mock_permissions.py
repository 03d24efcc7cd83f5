"""Issue 13 item 7: the mock's permission model, driven with proxmoxer as automation meets it on PVE.

Users, groups, roles (each release's built-in ones and custom ones), ACLs with propagate, API tokens with
privilege separation, root@pam: every operation's permission check is judged against that state, refusals come
with PVE's 403 wording, and ``GET /access/permissions`` reads the same state back.

Most tests run on small specs written here (no ../shared needed): the access calls as PVE declares them, a VM
start, and a guest-agent read whose check names the release's privilege (VM.Monitor up to 8.x, the
VM.GuestAgent.* privileges in 9.x). test_mock_permissions_real.py runs the 8.4 -> 9.1 rehearsal and the
built-in roles and permission blocks of every release on the real schemas.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from proxmoxer import ProxmoxAPI  # type: ignore[import-untyped]
from proxmoxer.core import ResourceException  # type: ignore[import-untyped]

from pvegen import Spec, load_spec
from pvegen.cli import main as cli_main
from pvegen.mock import MockServer
from pvegen.mock.permissions import Guard
from tests.fixtures_mock import MOCK_PASSWORD, MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MOCK_USER, MockFactory

NODE = "pve1"
ROOT_TOKEN = {"user": MOCK_USER, "token_name": "ci", "token_value": MOCK_TOKEN_SECRET}
ROOT_LOGIN = {"user": MOCK_USER, "password": MOCK_PASSWORD}
ROOT_LOGIN_TEXT = f"{MOCK_USER}:{MOCK_PASSWORD}"

# Two role models as the role read of an 8.x and a 9.x release declares them (enough of each to be real).
COMMON = ["Datastore.Allocate", "Datastore.AllocateSpace", "Datastore.Audit", "Group.Allocate", "Permissions.Modify",
          "Pool.Allocate", "Pool.Audit", "Realm.Allocate", "Realm.AllocateUser", "SDN.Use", "Sys.Audit", "Sys.Modify",
          "User.Modify", "VM.Allocate", "VM.Audit", "VM.Backup", "VM.Clone", "VM.Config.Options", "VM.Console",
          "VM.PowerMgmt", "VM.Snapshot"]  # fmt: skip
PRIVILEGES_8 = [*COMMON, "VM.Monitor"]
PRIVILEGES_9 = [*COMMON, "VM.GuestAgent.Audit", "VM.GuestAgent.Unrestricted", "VM.GuestAgent.FileRead"]
AGENT_CHECK_8 = ["perm", "/vms/{vmid}", ["VM.Monitor"]]
AGENT_CHECK_9 = ["perm", "/vms/{vmid}", ["VM.GuestAgent.Audit", "VM.GuestAgent.Unrestricted"], "any", 1]

STRING: dict[str, Any] = {"type": "string"}
OPTIONAL: dict[str, Any] = {"type": "string", "optional": 1}
FLAG: dict[str, Any] = {"type": "boolean", "optional": 1}
NODE_PARAM: dict[str, Any] = {"type": "string", "format": "pve-node"}
VMID: dict[str, Any] = {"type": "integer", "minimum": 100}
USERID: dict[str, Any] = {"type": "string", "format": "pve-userid"}
TOKEN_SELF_OR_ADMIN = {"check": ["or", ["userid-param", "self"], ["perm", "/access/users/{userid}", ["User.Modify"]]]}


def _op(method: str, path: str, permissions: dict[str, Any] | None, parameters: dict[str, Any] | None = None,
        returns: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    op: dict[str, Any] = {"method": method, "path": path, "parameters": parameters or {},
                          "returns": returns or {"type": "null"}}  # fmt: skip
    if permissions is not None:
        op["permissions"] = permissions
    return op


def access_spec(version: str, privileges: list[str], agent_check: list[Any]) -> dict[str, Any]:
    """A small release: logins, users, groups, roles, ACLs, tokens, permissions, a VM and its guest agent, with
    the permission blocks PVE declares for them."""
    role_model = {"type": "object", "properties": {p: {"type": "boolean", "optional": 1} for p in privileges}}
    user_all, world = {"user": "all"}, {"user": "world"}
    operations = [
        _op(
            "POST",
            "/access/ticket",
            world,
            {"username": STRING, "password": STRING, "realm": OPTIONAL, "otp": OPTIONAL},
            {"type": "object"},
        ),
        _op(
            "POST",
            "/access/users",
            {
                "check": [
                    "and",
                    ["userid-param", "Realm.AllocateUser"],
                    ["userid-group", ["User.Modify"], "groups_param", "create"],
                ]
            },
            {"userid": USERID, "password": OPTIONAL, "groups": OPTIONAL},
        ),
        _op("GET", "/access/users", user_all, {"full": FLAG}, {"type": "array", "items": {"type": "object"}}),
        _op(
            "GET",
            "/access/users/{userid}",
            {"check": ["userid-group", ["User.Modify", "Sys.Audit"]]},
            {"userid": USERID},
            {"type": "object"},
        ),
        _op(
            "PUT",
            "/access/users/{userid}",
            {"check": ["userid-group", ["User.Modify"], "groups_param", "update"]},
            {"userid": USERID, "groups": OPTIONAL, "append": FLAG},
        ),
        _op(
            "DELETE",
            "/access/users/{userid}",
            {"check": ["and", ["userid-param", "Realm.AllocateUser"], ["userid-group", ["User.Modify"]]]},
            {"userid": USERID},
        ),
        _op("POST", "/access/groups", {"check": ["perm", "/access/groups", ["Group.Allocate"]]}, {"groupid": STRING}),
        _op("GET", "/access/roles", user_all, returns={"type": "array", "items": {"type": "object"}}),
        _op(
            "POST",
            "/access/roles",
            {"check": ["perm", "/access", ["Sys.Modify"]]},
            {"roleid": STRING, "privs": {**OPTIONAL, "format": "pve-priv-list"}},
        ),
        _op(
            "PUT",
            "/access/roles/{roleid}",
            {"check": ["perm", "/access", ["Sys.Modify"]]},
            {"roleid": STRING, "privs": {**OPTIONAL, "format": "pve-priv-list"}, "append": FLAG},
        ),
        _op("DELETE", "/access/roles/{roleid}", {"check": ["perm", "/access", ["Sys.Modify"]]}, {"roleid": STRING}),
        _op("GET", "/access/roles/{roleid}", user_all, {"roleid": STRING}, role_model),
        _op("GET", "/access/acl", user_all, returns={"type": "array", "items": {"type": "object"}}),
        _op(
            "PUT",
            "/access/acl",
            {"check": ["perm-modify", "{path}"]},
            {
                "path": STRING,
                "roles": STRING,
                "users": OPTIONAL,
                "groups": OPTIONAL,
                "tokens": OPTIONAL,
                "propagate": FLAG,
                "delete": FLAG,
            },
        ),
        _op("GET", "/access/permissions", user_all, {"userid": OPTIONAL, "path": OPTIONAL}, {"type": "object"}),
        _op(
            "GET",
            "/access/users/{userid}/token",
            TOKEN_SELF_OR_ADMIN,
            {"userid": USERID},
            {"type": "array", "items": {"type": "object"}},
        ),
        _op(
            "POST",
            "/access/users/{userid}/token/{tokenid}",
            TOKEN_SELF_OR_ADMIN,
            {"userid": USERID, "tokenid": STRING, "privsep": FLAG, "comment": OPTIONAL},
            {"type": "object"},
        ),
        _op(
            "GET",
            "/access/users/{userid}/token/{tokenid}",
            TOKEN_SELF_OR_ADMIN,
            {"userid": USERID, "tokenid": STRING},
            {"type": "object"},
        ),
        _op(
            "DELETE",
            "/access/users/{userid}/token/{tokenid}",
            TOKEN_SELF_OR_ADMIN,
            {"userid": USERID, "tokenid": STRING},
        ),
        _op("POST", "/nodes/{node}/qemu", user_all, {"node": NODE_PARAM, "vmid": VMID}, {"type": "string"}),
        _op(
            "GET",
            "/nodes/{node}/qemu/{vmid}/status/current",
            {"check": ["perm", "/vms/{vmid}", ["VM.Audit"]]},
            {"node": NODE_PARAM, "vmid": VMID},
            {"type": "object"},
        ),
        _op(
            "POST",
            "/nodes/{node}/qemu/{vmid}/status/start",
            {"check": ["perm", "/vms/{vmid}", ["VM.PowerMgmt"]]},
            {"node": NODE_PARAM, "vmid": VMID},
            {"type": "string"},
        ),
        _op(
            "GET",
            "/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces",
            {"check": agent_check},
            {"node": NODE_PARAM, "vmid": VMID},
            {"type": "object", "properties": {"result": {"type": "array"}}},
        ),
        _op(
            "GET",
            "/nodes/{node}/tasks/{upid}/status",
            user_all,
            {"node": NODE_PARAM, "upid": STRING},
            {"type": "object"},
        ),
        _op(
            "POST",
            "/nodes/{node}/execute",
            {"user": "root"},  # our format says root-only calls out loud
            {"node": NODE_PARAM, "commands": STRING},
            {"type": "array", "items": {"type": "object"}},
        ),
        _op("GET", "/nodes/{node}/netstat", None, {"node": NODE_PARAM}, {"type": "array"}),  # permissions unstated
        _op("POST", "/pools", {"check": ["perm", "/pool/{poolid}", ["Pool.Allocate"]]}, {"poolid": STRING}),
        _op(
            "PUT",
            "/pools/{poolid}",
            {"check": ["perm", "/pool/{poolid}", ["Pool.Allocate"]]},
            {"poolid": STRING, "vms": OPTIONAL, "storage": OPTIONAL, "delete": FLAG},
        ),
    ]
    return {"format": "pvegen-spec/1", "product": "pve", "version": version, "operations": operations}


@pytest.fixture(scope="module")
def small_specs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Spec]:
    folder = tmp_path_factory.mktemp("specs")
    specs = {}
    for version, privileges, check in (("8.4", PRIVILEGES_8, AGENT_CHECK_8), ("9.1", PRIVILEGES_9, AGENT_CHECK_9)):
        path = folder / f"access-{version}.json"
        path.write_text(json.dumps(access_spec(version, privileges, check)))
        specs[version] = load_spec(path)
    return specs


def root_starter(mock_server: MockFactory, tls_cert: tuple[str, str]) -> Callable[..., tuple[MockServer, Any]]:
    """``start(spec)`` -> (server, root's proxmoxer client over the mock's command-line token)."""

    def run(spec: Spec) -> tuple[MockServer, Any]:
        srv = mock_server(spec, tls=True, task_polls=1)
        return srv, connect(srv, tls_cert, **ROOT_TOKEN)

    return run


@pytest.fixture
def start(mock_server: MockFactory, tls_cert: tuple[str, str]) -> Callable[..., tuple[MockServer, Any]]:
    return root_starter(mock_server, tls_cert)


def connect(srv: MockServer, cert: tuple[str, str], **auth: Any) -> Any:
    return ProxmoxAPI("127.0.0.1", port=srv.port, verify_ssl=cert[0], timeout=10, **auth)


def refused(call: Callable[[], Any]) -> str:
    """The reason phrase of PVE's 403 for ``call`` (proxmoxer keeps it as ``content``)."""
    with pytest.raises(ResourceException) as err:
        call()
    assert err.value.status_code == 403, err.value
    return str(err.value.content)


def token_client(srv: MockServer, cert: tuple[str, str], made: dict[str, Any]) -> Any:
    user, _, name = made["full-tokenid"].partition("!")
    return connect(srv, cert, user=user, token_name=name, token_value=made["value"])


def make_vms(root: Any, *vmids: int) -> None:
    for vmid in vmids:
        root.nodes(NODE).qemu.post(vmid=vmid)


# -- tokens with privilege separation --------------------------------------------------------------------------
def test_privsep_token_limited_to_one_vm(
    start: Callable[..., tuple[MockServer, Any]], small_specs: dict[str, Spec], tls_cert: tuple[str, str]
) -> None:
    srv, root = start(small_specs["9.1"])
    make_vms(root, 100, 101)
    root.access.users.post(userid="deploy@pve")
    root.access.acl.put(path="/vms", users="deploy@pve", roles="PVEVMUser")  # the user may run every VM
    made = root.access.users("deploy@pve").token("ci").post()  # privsep=1: PVE's default
    assert made["info"]["privsep"] == 1 and made["full-tokenid"] == "deploy@pve!ci"
    root.access.acl.put(path="/vms/100", tokens="deploy@pve!ci", roles="PVEVMUser")  # the token only VM 100
    token = token_client(srv, tls_cert, made)

    upid = token.nodes(NODE).qemu(100).status.start.post()
    assert upid.startswith(f"UPID:{NODE}:")
    assert token.nodes(NODE).qemu(100).status.current.get()["vmid"] == 100
    assert refused(token.nodes(NODE).qemu(101).status.start.post) == "Permission check failed (/vms/101, VM.PowerMgmt)"
    assert refused(token.nodes(NODE).qemu(101).status.current.get) == "Permission check failed (/vms/101, VM.Audit)"

    # what PVE would show for the token: its own ACL, nothing on /vms/101
    mine = token.access.permissions.get()
    assert set(mine) == {"/vms/100"}
    vm_user = ["VM.Audit", "VM.Backup", "VM.Console", "VM.GuestAgent.Audit", "VM.GuestAgent.FileRead", "VM.PowerMgmt"]
    assert mine["/vms/100"] == dict.fromkeys(vm_user, 1)
    assert token.access.permissions.get(path="/vms/101") == {"/vms/101": {}}
    assert {"path": "/vms/100", "type": "token", "ugid": "deploy@pve!ci", "roleid": "PVEVMUser", "propagate": 1} in (
        root.access.acl.get()
    )
    assert root.access.users("deploy@pve").token("ci").get() == {"privsep": 1, "expire": 0}
    assert root.access.users("deploy@pve").get()["tokens"] == {"ci": {"privsep": 1, "expire": 0}}
    listed = {u["userid"]: u for u in root.access.users.get(full=1)}
    assert listed["deploy@pve"]["tokens"] == [{"tokenid": "ci", "privsep": 1, "expire": 0}]
    assert listed["root@pam"]["tokens"] == [{"tokenid": "ci", "privsep": 0, "expire": 0}]  # the command line's

    # the token never holds more than its user: without the user's ACL it may start nothing
    root.access.acl.put(path="/vms", users="deploy@pve", roles="PVEVMUser", delete=1)
    assert refused(token.nodes(NODE).qemu(100).status.start.post) == "Permission check failed (/vms/100, VM.PowerMgmt)"
    assert token.access.permissions.get() == {}


def test_token_without_privsep_holds_its_users_privileges(
    start: Callable[..., tuple[MockServer, Any]], small_specs: dict[str, Spec], tls_cert: tuple[str, str]
) -> None:
    srv, root = start(small_specs["9.1"])
    make_vms(root, 100, 101)
    root.access.users.post(userid="ops@pve")
    root.access.acl.put(path="/vms/101", users="ops@pve", roles="PVEVMUser")
    made = root.access.users("ops@pve").token("all").post(privsep=0)
    token = token_client(srv, tls_cert, made)
    assert token.nodes(NODE).qemu(101).status.start.post().startswith("UPID:")
    assert refused(token.nodes(NODE).qemu(100).status.start.post) == "Permission check failed (/vms/100, VM.PowerMgmt)"
    assert set(token.access.permissions.get()) == {"/vms/101"}

    # a deleted token no longer authenticates; a deleted user takes its tokens and ACLs along
    root.access.users("ops@pve").token("all").delete()
    with pytest.raises(ResourceException) as gone:
        token.nodes(NODE).qemu(101).status.current.get()
    assert gone.value.status_code == 401
    root.access.users("ops@pve").delete()
    assert [e for e in root.access.acl.get() if e["ugid"].startswith("ops@pve")] == []


# -- ACLs: propagate, replacement down the tree, NoAccess, groups -------------------------------------------------
def test_acl_propagate(
    start: Callable[..., tuple[MockServer, Any]], small_specs: dict[str, Spec], tls_cert: tuple[str, str]
) -> None:
    srv, root = start(small_specs["9.1"])
    make_vms(root, 100, 101)
    root.access.users.post(userid="viewer@pve", password="viewer-password")
    root.access.acl.put(path="/vms", users="viewer@pve", roles="PVEAuditor", propagate=0)
    viewer = connect(srv, tls_cert, user="viewer@pve", password="viewer-password")

    # without propagate the role holds on /vms itself only
    assert refused(viewer.nodes(NODE).qemu(100).status.current.get) == "Permission check failed (/vms/100, VM.Audit)"
    assert viewer.access.permissions.get(path="/vms")["/vms"]["VM.Audit"] == 0  # held, not propagated
    assert {"path": "/vms", "type": "user", "ugid": "viewer@pve", "roleid": "PVEAuditor", "propagate": 0} in (
        root.access.acl.get()
    )

    root.access.acl.put(path="/vms", users="viewer@pve", roles="PVEAuditor")  # propagate defaults to 1
    assert viewer.nodes(NODE).qemu(100).status.current.get()["vmid"] == 100
    assert viewer.access.permissions.get(path="/vms/100")["/vms/100"]["VM.Audit"] == 1

    # an entry on the object replaces what propagates from above: NoAccess on one VM
    root.access.acl.put(path="/vms/101", users="viewer@pve", roles="NoAccess")
    assert refused(viewer.nodes(NODE).qemu(101).status.current.get) == "Permission check failed (/vms/101, VM.Audit)"
    assert viewer.nodes(NODE).qemu(100).status.current.get()["vmid"] == 100
    # PVE lists the paths with an ACL (and the top-level ones): /vms holds, /vms/101 holds nothing
    assert viewer.access.permissions.get() == {"/vms": dict.fromkeys(["Sys.Audit", "VM.Audit", "VM.GuestAgent.Audit",
                                                                     "Datastore.Audit", "Pool.Audit"], 1)}  # fmt: skip


def test_pool_roles_reach_the_pools_guests(
    start: Callable[..., tuple[MockServer, Any]], small_specs: dict[str, Spec], tls_cert: tuple[str, str]
) -> None:
    srv, root = start(small_specs["9.1"])
    make_vms(root, 100, 101)
    root.pools.post(poolid="team")
    root.pools("team").put(vms="100")
    root.access.users.post(userid="member@pve", password="member-password")
    root.access.acl.put(path="/pool/team", users="member@pve", roles="PVEVMUser")
    member = connect(srv, tls_cert, user="member@pve", password="member-password")
    assert member.nodes(NODE).qemu(100).status.start.post().startswith("UPID:")
    assert refused(member.nodes(NODE).qemu(101).status.start.post) == "Permission check failed (/vms/101, VM.PowerMgmt)"
    effective = member.access.permissions.get()
    assert effective["/vms/100"]["VM.PowerMgmt"] == 0  # from the pool: held, never propagated
    assert "VM.PowerMgmt" in effective["/pool/team"]

    # NoAccess on the guest itself is not trumped by the pool; out of the pool, out of its roles
    root.access.acl.put(path="/vms/100", users="member@pve", roles="NoAccess")
    assert refused(member.nodes(NODE).qemu(100).status.start.post) == "Permission check failed (/vms/100, VM.PowerMgmt)"
    root.access.acl.put(path="/vms/100", users="member@pve", roles="NoAccess", delete=1)
    root.pools("team").put(vms="100", delete=1)
    assert refused(member.nodes(NODE).qemu(100).status.start.post) == "Permission check failed (/vms/100, VM.PowerMgmt)"


def test_groups_grant_their_members(
    start: Callable[..., tuple[MockServer, Any]], small_specs: dict[str, Spec], tls_cert: tuple[str, str]
) -> None:
    srv, root = start(small_specs["9.1"])
    make_vms(root, 100)
    root.access.groups.post(groupid="operators")
    root.access.acl.put(path="/vms", groups="operators", roles="PVEVMUser")
    root.access.users.post(userid="carol@pve", password="carol-password", groups="operators")
    carol = connect(srv, tls_cert, user="carol@pve", password="carol-password")
    assert carol.nodes(NODE).qemu(100).status.start.post().startswith("UPID:")
    assert {"path": "/vms", "type": "group", "ugid": "operators", "roleid": "PVEVMUser", "propagate": 1} in (
        root.access.acl.get()
    )

    # the user's own entry replaces the group's on the same path
    root.access.acl.put(path="/vms", users="carol@pve", roles="PVEAuditor")
    assert refused(carol.nodes(NODE).qemu(100).status.start.post) == "Permission check failed (/vms/100, VM.PowerMgmt)"
    root.access.acl.put(path="/vms", users="carol@pve", roles="PVEAuditor", delete=1)
    assert carol.nodes(NODE).qemu(100).status.start.post().startswith("UPID:")

    # out of the group, out of its privileges
    root.access.users("carol@pve").put(groups="")
    assert refused(carol.nodes(NODE).qemu(100).status.start.post) == "Permission check failed (/vms/100, VM.PowerMgmt)"
    assert carol.access.permissions.get() == {}


def test_user_and_group_management_checks(
    start: Callable[..., tuple[MockServer, Any]], small_specs: dict[str, Spec], tls_cert: tuple[str, str]
) -> None:
    """``userid-param`` and ``userid-group`` checks: a delegated admin manages the users of its groups only."""
    srv, root = start(small_specs["9.1"])
    for group in ("devs", "finance"):
        root.access.groups.post(groupid=group)
    root.access.users.post(userid="lead@pve", password="lead-password")
    root.access.acl.put(path="/access/groups/devs", users="lead@pve", roles="PVEUserAdmin")
    lead = connect(srv, tls_cert, user="lead@pve", password="lead-password")
    no_realm = "Permission check failed (/access/realm/pve, Realm.AllocateUser)"
    assert refused(lambda: lead.access.users.post(userid="dev1@pve", groups="devs")) == no_realm

    root.access.acl.put(path="/access/realm/pve", users="lead@pve", roles="PVEUserAdmin")
    lead.access.users.post(userid="dev1@pve", groups="devs")
    assert refused(lambda: lead.access.users.post(userid="acct@pve", groups="finance")) == (
        "Permission check failed (/access/groups/finance, User.Modify)"
    )
    assert refused(lambda: lead.access.users.post(userid="loner@pve")) == (
        "Permission check failed (/access/groups, User.Modify)"
    )
    root.access.users.post(userid="acct@pve", groups="finance")
    assert refused(lead.access.users("acct@pve").delete) == "Permission check failed"
    assert lead.access.users("dev1@pve").get()["groups"] == ["devs"]
    lead.access.users("dev1@pve").delete()
    with pytest.raises(ResourceException) as missing:  # PVE looks the user up before it judges
        lead.access.users("dev1@pve").get()
    assert (missing.value.status_code, missing.value.content) == (500, "no such user ('dev1@pve')")

    # tokens: a user manages its own; another's need User.Modify on the user
    mine = lead.access.users("lead@pve").token("own").post()
    assert mine["full-tokenid"] == "lead@pve!own"
    assert refused(lambda: lead.access.users("acct@pve").token("x").post()) == (
        "Permission check failed"  # an 'or' of tests says nothing more, as PVE's
    )
    # the permissions of others need Sys.Audit on /access; a user's own token's do not
    assert lead.access.permissions.get(userid="lead@pve!own") == {}
    assert refused(lambda: lead.access.permissions.get(userid="acct@pve")) == (
        "Permission check failed (/access, Sys.Audit)"
    )


def test_changing_acls_needs_the_right_on_the_path(
    start: Callable[..., tuple[MockServer, Any]], small_specs: dict[str, Spec], tls_cert: tuple[str, str]
) -> None:
    """``perm-modify``: VM.Allocate on a VM lets a user share that VM, and only that one; ACL lists are filtered."""
    srv, root = start(small_specs["9.1"])
    make_vms(root, 100, 101)
    for user in ("owner@pve", "friend@pve"):
        root.access.users.post(userid=user, password=f"{user}-password")
    root.access.acl.put(path="/vms/100", users="owner@pve", roles="PVEVMAdmin")
    owner = connect(srv, tls_cert, user="owner@pve", password="owner@pve-password")
    owner.access.acl.put(path="/vms/100", users="friend@pve", roles="PVEVMUser")
    assert refused(lambda: owner.access.acl.put(path="/vms/101", users="friend@pve", roles="PVEVMUser")) == (
        "Permission check failed (/vms/101, Permissions.Modify|VM.Allocate)"
    )
    assert {e["path"] for e in owner.access.acl.get()} == {"/vms/100"}
    root.access.acl.put(path="/storage", users="friend@pve", roles="PVEDatastoreUser")
    assert {(e["path"], e["ugid"]) for e in root.access.acl.get()} == {
        ("/vms/100", "owner@pve"),
        ("/vms/100", "friend@pve"),
        ("/storage", "friend@pve"),
    }
    assert {e["path"] for e in owner.access.acl.get()} == {"/vms/100"}  # not /storage: no right to change it

    with pytest.raises(ResourceException) as bad_path:
        root.access.acl.put(path="/nonsense", users="friend@pve", roles="PVEVMUser")
    assert bad_path.value.status_code == 400 and bad_path.value.errors == {"path": "invalid ACL path '/nonsense'"}
    with pytest.raises(ResourceException) as no_role:
        root.access.acl.put(path="/vms/100", users="friend@pve", roles="Nobody")
    assert (no_role.value.status_code, no_role.value.content) == (
        500, "ACL update failed: role 'Nobody' does not exist"
    )  # fmt: skip


# -- root@pam, root-only calls, the command line's administrators -------------------------------------------------
def test_root_is_all_powerful_and_root_only_calls(
    start: Callable[..., tuple[MockServer, Any]], small_specs: dict[str, Spec], tls_cert: tuple[str, str]
) -> None:
    srv, root = start(small_specs["9.1"])
    ticket = connect(srv, tls_cert, **ROOT_LOGIN)
    assert isinstance(ticket.nodes(NODE).execute.post(commands="[]"), list)  # user: root
    assert isinstance(root.nodes(NODE).execute.post(commands="[]"), list)  # the command-line token acts as root

    # a token made through the API is a token, as on PVE: root-only calls refuse it, whatever its privileges
    made = ticket.access.users("root@pam").token("made").post(privsep=0)
    api_token = token_client(srv, tls_cert, made)
    assert refused(lambda: api_token.nodes(NODE).execute.post(commands="[]")) == "Permission check failed"
    # in our own format a call without a permission block has its permissions unstated: any caller passes
    root.access.users.post(userid="nobody@pve")
    nobody = token_client(srv, tls_cert, root.access.users("nobody@pve").token("t").post())
    assert isinstance(nobody.nodes(NODE).netstat.get(), list)
    assert refused(nobody.nodes(NODE).qemu(100).status.current.get) == "Permission check failed (/vms/100, VM.Audit)"
    make_vms(api_token, 100)
    assert api_token.nodes(NODE).qemu(100).status.start.post().startswith("UPID:")

    # root@pam holds every privilege of the release everywhere
    effective = ticket.access.permissions.get()
    assert {"/", "/vms", "/storage", "/access"} <= set(effective)
    assert set(effective["/"]) == set(PRIVILEGES_9) and set(effective["/"].values()) == {1}
    tokens = ticket.access.users("root@pam").token.get()
    assert {(t["tokenid"], t["privsep"]) for t in tokens} == {("ci", 0), ("made", 0)}


def test_command_line_users_are_administrators(
    mock_server: MockFactory, small_specs: dict[str, Spec], tls_cert: tuple[str, str]
) -> None:
    srv = mock_server(small_specs["9.1"], tls=True, task_polls=1, users=["admin@pve:admin-password", ROOT_LOGIN_TEXT])
    root = connect(srv, tls_cert, **ROOT_LOGIN)
    admin = connect(srv, tls_cert, user="admin@pve", password="admin-password")
    make_vms(admin, 100)
    assert admin.nodes(NODE).qemu(100).status.start.post().startswith("UPID:")
    entry = {"path": "/", "type": "user", "ugid": "admin@pve", "roleid": "Administrator", "propagate": 1}
    assert root.access.acl.get() == [entry]  # an ACL like any other (root@pam needs none) ...
    root.access.acl.put(path="/", users="admin@pve", roles="Administrator", delete=1)  # ... that can be taken away
    assert refused(admin.nodes(NODE).qemu(100).status.start.post) == "Permission check failed (/vms/100, VM.PowerMgmt)"


# -- roles: built-in per release, custom ones checked against the release ------------------------------------------
def test_builtin_roles_follow_the_release(
    start: Callable[..., tuple[MockServer, Any]], small_specs: dict[str, Spec]
) -> None:
    _, eight = start(small_specs["8.4"])
    _, nine = start(small_specs["9.1"])
    vm_admin_8, vm_admin_9 = eight.access.roles("PVEVMAdmin").get(), nine.access.roles("PVEVMAdmin").get()
    assert "VM.Monitor" in vm_admin_8 and "VM.GuestAgent.Unrestricted" not in vm_admin_8
    assert "VM.Monitor" not in vm_admin_9 and "VM.GuestAgent.Unrestricted" in vm_admin_9
    assert "VM.GuestAgent.Audit" in nine.access.roles("PVEAuditor").get()
    roles = {r["roleid"]: r for r in nine.access.roles.get()}
    assert set(roles["Administrator"]["privs"].split(",")) == set(PRIVILEGES_9)
    # PVE 9's VM user tier: backups, consoles, power, and the guest agent's file reads; its audit tier: VM.Audit and
    # VM.GuestAgent.Audit (this release knows no VM.Config.CDROM, VM.GuestAgent.FileWrite, ...)
    expected = "VM.Audit,VM.Backup,VM.Console,VM.GuestAgent.Audit,VM.GuestAgent.FileRead,VM.PowerMgmt"
    assert roles["PVEVMUser"]["privs"] == expected
    assert roles["NoAccess"]["privs"] == "" and roles["PVEVMUser"]["special"] == 1
    # since 8.0 only Administrator may change permissions; PVEAdmin may not
    assert "Permissions.Modify" not in roles["PVEAdmin"]["privs"].split(",")


def test_custom_roles_are_checked_against_the_release(
    start: Callable[..., tuple[MockServer, Any]], small_specs: dict[str, Spec]
) -> None:
    _, root = start(small_specs["9.1"])
    with pytest.raises(ResourceException) as unknown:
        root.access.roles.post(roleid="Watcher", privs="VM.Audit,VM.Monitor")
    assert unknown.value.status_code == 400
    assert unknown.value.errors == {"privs": "invalid format - invalid privilege 'VM.Monitor'"}
    with pytest.raises(ResourceException) as reserved:
        root.access.roles.post(roleid="PVEWatcher", privs="VM.Audit")
    reserved_prefix = "cannot use role ID starting with the (case-insensitive) 'PVE' namespace"
    assert reserved.value.errors == {"roleid": reserved_prefix}
    with pytest.raises(ResourceException) as builtin:
        root.access.roles("PVEAuditor").put(privs="VM.Audit")
    assert builtin.value.content == "auto-generated role 'PVEAuditor' cannot be modified"

    root.access.roles.post(roleid="Watcher", privs="VM.Audit")
    root.access.roles("Watcher").put(privs="VM.GuestAgent.Audit", append=1)
    assert root.access.roles("Watcher").get() == {"VM.Audit": 1, "VM.GuestAgent.Audit": 1}


@pytest.mark.parametrize("version", ["8.4", "9.1"])
def test_vm_monitor_role_on_small_releases(
    start: Callable[..., tuple[MockServer, Any]], small_specs: dict[str, Spec], tls_cert: tuple[str, str], version: str
) -> None:
    """The general mechanism of the 8.4 -> 9.1 rehearsal, on small specs: the role and the check follow the spec."""
    srv, root = start(small_specs[version])
    assert_vm_monitor_rehearsal(srv, root, tls_cert, version)


def assert_vm_monitor_rehearsal(srv: MockServer, root: Any, cert: tuple[str, str], version: str) -> None:
    """Automation that grants a custom role with VM.Monitor reads guest-agent interfaces on 8.x; on 9.x the role
    cannot be made, and the read is refused in PVE's words."""
    make_vms(root, 100)
    root.access.users.post(userid="monitor@pve")
    agent = ("network-get-interfaces",)
    if version.startswith("8"):
        root.access.roles.post(roleid="Monitoring", privs="VM.Audit,VM.Monitor")
    else:
        with pytest.raises(ResourceException) as gone:
            root.access.roles.post(roleid="Monitoring", privs="VM.Audit,VM.Monitor")
        assert gone.value.status_code == 400
        assert gone.value.errors == {"privs": "invalid format - invalid privilege 'VM.Monitor'"}
        root.access.roles.post(roleid="Monitoring", privs="VM.Audit")  # what is left of the role on 9.x
    root.access.acl.put(path="/vms", users="monitor@pve", roles="Monitoring")
    made = root.access.users("monitor@pve").token("scrape").post(privsep=0)
    token = token_client(srv, cert, made)
    read = token.nodes(NODE).qemu(100).agent(*agent).get
    if version.startswith("8"):
        assert isinstance(read(), dict)
    else:
        assert refused(read) == "Permission check failed (/vms/100, VM.GuestAgent.Audit|VM.GuestAgent.Unrestricted)"


def test_every_check_of_the_embedded_and_small_specs_can_be_judged(
    embedded: Spec, small_specs: dict[str, Spec]
) -> None:
    """The guard reads every permission block the specs here hold (none is left unjudgeable)."""
    guard = Guard()
    for spec in (embedded, *small_specs.values()):
        for op in spec.operations:
            guard.formula(op)


def test_the_embedded_spec_keeps_working_for_its_tokens(
    start: Callable[..., tuple[MockServer, Any]], embedded: Spec
) -> None:
    """A spec without a role model (the embedded one) still has roles: PVE's of its major, plus what it checks."""
    _, root = start(embedded)
    roles = {r["roleid"]: set(r["privs"].split(",")) for r in root.access.roles.get()}
    assert {"VM.PowerMgmt", "VM.Audit", "VM.GuestAgent.Audit"} <= roles["Administrator"]
    assert "VM.Monitor" not in roles["Administrator"]  # the embedded spec is 9.1
    assert root.nodes(NODE).status.get() is not None


def test_a_normalised_proxmox_schema_keeps_its_root_only_calls(tmp_path: Path, mock_server: MockFactory) -> None:
    """Proxmox's rule (no permissions block: root@pam only) survives `pvegen normalize`; a hand-written file that
    leaves permissions out stays open to any logged-in caller."""
    tree = [{"path": "/nodes", "text": "nodes", "leaf": 0, "children": [
        {"path": "/nodes/{node}", "text": "{node}", "leaf": 0, "children": [
            {"path": "/nodes/{node}/execute", "text": "execute", "leaf": 1, "info": {"POST": {
                "name": "execute", "parameters": {"properties": {"node": {"type": "string", "format": "pve-node"}}},
                "returns": {"type": "array"}}}}]}]}]  # fmt: skip
    source = tmp_path / "tree.json"
    source.write_text(json.dumps(tree))
    normalised = tmp_path / "ours.json"
    assert cli_main(["normalize", str(source), "-o", str(normalised), "--version", "9.1", "-q"]) == 0
    document = json.loads(normalised.read_text())
    assert document["unstated-permissions"] == "root-only"
    assert load_spec(normalised) == load_spec(source, version="9.1")
    token = "alice@pve!ci"
    for spec_file, refused in ((normalised, True), (_without_key(document, tmp_path), False)):
        srv = mock_server(spec_file, tokens=[f"{MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}", f"{token}=s3cret"],
                          users=[f"{MOCK_USER}:{MOCK_PASSWORD}", "alice@pve:pw"])  # fmt: skip
        answer = requests.post(
            f"{srv.url}/api2/json/nodes/pve1/execute",
            headers={"Authorization": f"PVEAPIToken={token}=s3cret"},
            timeout=10,
        )
        assert (answer.status_code == 403) is refused, answer.text


def _without_key(document: dict[str, Any], folder: Path) -> Path:
    hand_written = folder / "hand-written.json"
    hand_written.write_text(json.dumps({k: v for k, v in document.items() if k != "unstated-permissions"}))
    return hand_written
