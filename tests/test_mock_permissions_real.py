"""The mock's permission model on the real schemas (needs ../shared): every release's built-in roles and permission
blocks, root-only calls, and the 8.4 -> 9.1 rehearsal of a VM.Monitor role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pvegen import Spec
from pvegen.mock import MockServer
from pvegen.mock.permissions import Guard
from tests.fixtures_mock import MockFactory
from tests.fixtures_shared import real_data_module
from tests.test_mock_permissions import NODE, assert_vm_monitor_rehearsal, refused, root_starter, token_client

real_data_module()


@pytest.fixture
def start(mock_server: MockFactory, tls_cert: tuple[str, str]) -> Callable[..., tuple[MockServer, Any]]:
    return root_starter(mock_server, tls_cert)


@pytest.mark.parametrize("version", ["8.4", "9.1"])
def test_vm_monitor_role_8_4_to_9_1(
    start: Callable[..., tuple[MockServer, Any]], release: Callable[[str], Spec], tls_cert: tuple[str, str],
    version: str,
) -> None:  # fmt: skip
    spec = release(version)
    check = spec.operation("GET", "/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces")
    assert check is not None and check.permissions is not None
    # the premise, from the schemas: 8.4 checks VM.Monitor, 9.1 the guest-agent privileges
    expected = {"8.4": {"VM.Monitor"}, "9.1": {"VM.GuestAgent.Audit", "VM.GuestAgent.Unrestricted"}}[version]
    assert check.permissions.privileges() == expected
    srv, root = start(spec)
    assert_vm_monitor_rehearsal(srv, root, tls_cert, version)


def test_root_only_calls_of_a_real_release(
    start: Callable[..., tuple[MockServer, Any]], release: Callable[[str], Spec], tls_cert: tuple[str, str]
) -> None:
    """In Proxmox's schemas a call without a permission block is root@pam's: PVE refuses it to every token."""
    spec = release("9.1")
    execute = spec.operation("POST", "/nodes/{node}/execute")
    assert execute is not None and execute.permissions is None
    srv, root = start(spec)
    assert isinstance(root.nodes(NODE).execute.post(commands="[]"), list)  # the command-line token acts as root
    made = root.access.users("root@pam").token("made").post(privsep=0)
    api_token = token_client(srv, tls_cert, made)
    assert refused(lambda: api_token.nodes(NODE).execute.post(commands="[]")) == (
        "Permission check failed (user != root@pam)"
    )
    assert api_token.nodes(NODE).status.get() is not None  # its privileges are root's everywhere else


def test_builtin_roles_of_real_releases(start: Callable[..., tuple[MockServer, Any]], each_release: Spec) -> None:
    _, root = start(each_release)
    known = each_release.privileges
    assert known is not None
    roles = {r["roleid"]: set(filter(None, r["privs"].split(","))) for r in root.access.roles.get()}
    assert roles["Administrator"] == known and roles["NoAccess"] == set()
    assert {"PVEAdmin", "PVEAuditor", "PVEVMAdmin", "PVEVMUser", "PVEDatastoreUser", "PVETemplateUser"} <= set(roles)
    assert all(privs <= known for privs in roles.values())
    assert roles["PVEAuditor"] <= roles["PVEAdmin"] and roles["PVEVMUser"] <= roles["PVEVMAdmin"]
    assert ("VM.Monitor" in roles["PVEVMAdmin"]) == ("VM.Monitor" in known)
    assert ("VM.GuestAgent.Unrestricted" in roles["PVEVMAdmin"]) == ("VM.GuestAgent.Unrestricted" in known)
    assert ("PVESDNUser" in roles) == ("SDN.Use" in known)
    major = int((each_release.version or "9").split(".")[0])
    assert ("Permissions.Modify" in roles["PVEAdmin"]) == (major < 8)


def test_every_real_check_can_be_judged(each_release: Spec) -> None:
    """The guard reads every operation's permission block of every release (none is left unjudgeable)."""
    guard = Guard()
    for op in each_release.operations:
        guard.formula(op)
