"""Permission checks of the real releases read as logic (needs ../shared): every block parses, and the forms
PVE changed between releases compare as PVE means them."""

from __future__ import annotations

from collections.abc import Callable

from pvegen import Spec
from pvegen.permissions import Formula, Privilege, compare, describe, parse, privileges
from tests.fixtures_shared import real_data_module
from tests.test_permissions import assert_every_permission_block_parses

real_data_module()


def test_every_real_permission_block_parses(each_release: Spec) -> None:
    assert_every_permission_block_parses(each_release)


def test_real_forms_read_as_pve_means_them(release: Callable[[str], Spec]) -> None:
    def formula(version: str, method: str, path: str) -> Formula:
        op = release(version).operation(method, path)
        assert op is not None
        return parse(op.permissions)

    url = formula("8.4", "GET", "/nodes/{node}/query-url-metadata")
    assert describe(url) == "any of (all of Sys.Audit, Sys.Modify on /; Sys.AccessNetwork on /nodes/{node})"
    download = formula("8.4", "POST", "/nodes/{node}/storage/{storage}/download-url")
    assert describe(download) == (
        "all of (Datastore.AllocateTemplate on /storage/{storage}; "
        "any of (all of Sys.Audit, Sys.Modify on /; Sys.AccessNetwork on /nodes/{node}))"
    )
    # or-alternative added (8.0 -> 8.4): nobody loses the call, holders of the new privilege gain it.
    verdict = compare(formula("8.0", "GET", "/nodes/{node}/query-url-metadata"), url)
    assert not verdict.narrower and verdict.lost_on_paths is None
    assert verdict.gained == (Privilege("*", "Sys.AccessNetwork"),)
    # The bare-string cloudinit check of 7.4 is the same check as 8.4's list.
    cloudinit = compare(
        formula("7.4", "PUT", "/nodes/{node}/qemu/{vmid}/cloudinit"),
        formula("8.4", "PUT", "/nodes/{node}/qemu/{vmid}/cloudinit"),
    )
    assert cloudinit.equivalent
    # monitor (9.0 -> 9.1): VM.Monitor left the role model, the check moved to Sys.*.
    old_model = privileges_of_role_model(release("9.0"))
    new_model = privileges_of_role_model(release("9.1"))
    assert "VM.Monitor" in old_model and "VM.Monitor" not in new_model
    monitor = compare(
        formula("9.0", "POST", "/nodes/{node}/qemu/{vmid}/monitor"),
        formula("9.1", "POST", "/nodes/{node}/qemu/{vmid}/monitor"),
        old_privileges=old_model,
        new_privileges=new_model,
    )
    assert monitor.lost == (Privilege("*", "VM.Monitor"),)


def test_an_unchanged_check_on_a_vanished_privilege_loses_everyone(release: Callable[[str], Spec]) -> None:
    op = release("9.0").operation("POST", "/nodes/{node}/qemu/{vmid}/agent/ping")
    assert op is not None
    check = parse(op.permissions)
    assert privileges(check) == {"VM.Monitor"}
    verdict = compare(check, check, old_privileges={"VM.Monitor", "VM.Audit"}, new_privileges={"VM.Audit"})
    assert verdict.lost == (Privilege("*", "VM.Monitor"),) and verdict.gained is None


def privileges_of_role_model(spec: Spec) -> frozenset[str]:
    op = spec.operation("GET", "/access/roles/{roleid}")
    assert op is not None and op.returns.properties is not None
    return frozenset(op.returns.properties)
