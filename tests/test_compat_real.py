"""The compatibility checker on the real Proxmox schemas: the breaks it must find, the traps it
must not fall into, and the user-facing breaks that are only half visible in a schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pvegen import Spec
from pvegen.compat import build_report, diff
from pvegen.load_ours import operation_from_entry, operation_to_entry
from pvegen.runtime.perlre import perl_match
from tests.fixtures_shared import real_data_module
from tests.test_compat_support import changes, find, spec

real_data_module()

QEMU_CREATE = ("POST", "/nodes/{node}/qemu")
QEMU_CONFIG_POST = ("POST", "/nodes/{node}/qemu/{vmid}/config")
QEMU_CONFIG_PUT = ("PUT", "/nodes/{node}/qemu/{vmid}/config")
DISKS = ("efidisk0", "ide[n]", "sata[n]", "scsi[n]", "virtio[n]")


# -- real breaks, 8.0 -> 8.4 ------------------------------------------------------------------


def test_ceph_pools_removed_and_report_names_replacements_that_already_existed() -> None:
    found = changes("8.0", "8.4")
    expected = {
        ("GET", "/nodes/{node}/ceph/pools"): "/nodes/{node}/ceph/pool",
        ("POST", "/nodes/{node}/ceph/pools"): "/nodes/{node}/ceph/pool",
        ("GET", "/nodes/{node}/ceph/pools/{name}"): "/nodes/{node}/ceph/pool/{name}/status",
        ("PUT", "/nodes/{node}/ceph/pools/{name}"): "/nodes/{node}/ceph/pool/{name}",
        ("DELETE", "/nodes/{node}/ceph/pools/{name}"): "/nodes/{node}/ceph/pool/{name}",
    }
    removed = {(c.method, c.path): c for c in find(found, "endpoint-removed") if "/ceph/pools" in c.path}
    assert {key: c.related for key, c in removed.items()} == {key: f"{key[0]} {new}" for key, new in expected.items()}
    for (method, _), replacement in expected.items():
        assert spec("8.0").operation(method, replacement) is not None  # already there in 8.0
        assert f"use {method} {replacement} instead" in removed[(method, _)].message
    assert not [c for c in found if c.rule in ("endpoint-added", "endpoint-moved") and "/ceph/pool" in c.path]


def test_every_endpoint_removal_8_0_to_8_4() -> None:
    removed = {(c.method, c.path) for c in find(changes("8.0", "8.4"), "endpoint-removed")}
    assert removed == {
        ("GET", "/nodes/{node}/ceph/pools"),
        ("POST", "/nodes/{node}/ceph/pools"),
        ("GET", "/nodes/{node}/ceph/pools/{name}"),
        ("PUT", "/nodes/{node}/ceph/pools/{name}"),
        ("DELETE", "/nodes/{node}/ceph/pools/{name}"),
        ("GET", "/nodes/{node}/ceph/config"),
        ("GET", "/nodes/{node}/ceph/configdb"),
        ("POST", "/access/tfa"),
    }
    assert not find(changes("8.0", "8.4"), "endpoint-moved")


def test_disk_format_cow_removed_from_qemu_property_strings() -> None:
    found = changes("8.0", "8.4")
    narrowed = {
        (c.method, c.path, c.parameter)
        for c in find(found, "param-subkey-enum-narrowed")
        if set(c.old) - set(c.new) == {"cow"}
    }
    assert narrowed == {
        (m, p, f"{disk}.format") for m, p in (QEMU_CREATE, QEMU_CONFIG_POST, QEMU_CONFIG_PUT) for disk in DISKS
    }
    assert all(c.severity == "breaking" for c in find(found, "param-subkey-enum-narrowed"))


def test_acme_plugin_api_lost_do_and_yandex() -> None:
    found = changes("8.0", "8.4")
    for method, path in (("POST", "/cluster/acme/plugins"), ("PUT", "/cluster/acme/plugins/{id}")):
        (change,) = find(found, "param-enum-narrowed", method=method, path=path, parameter="api")
        assert sorted(set(change.old) - set(change.new)) == ["do", "yandex"]
        assert change.severity == "breaking"


def test_password_min_length_5_to_8() -> None:
    found = changes("8.0", "8.4")
    tightened = {
        (c.method, c.path): (c.old, c.new) for c in find(found, "param-constraint-tightened", parameter="password")
    }
    assert tightened == {
        ("PUT", "/access/password"): ({"minLength": 5}, {"minLength": 8}),
        ("POST", "/access/users"): ({"minLength": 5}, {"minLength": 8}),
    }


def test_agent_exec_command_became_required() -> None:
    found = changes("8.0", "8.4")
    key = {"method": "POST", "path": "/nodes/{node}/qemu/{vmid}/agent/exec", "parameter": "command"}
    (required,) = find(found, "param-became-required", **key)
    assert required.severity == "breaking"
    # The same parameter also went from a string list to an array: a request-side warning.
    (array,) = find(found, "param-became-array", **key)
    assert array.severity == "warning"


def test_qemu_config_returns_memory_as_string_while_requests_still_take_a_number() -> None:
    found = changes("8.0", "8.4")
    (response,) = find(
        found,
        "return-property-type-changed",
        method="GET",
        path="/nodes/{node}/qemu/{vmid}/config",
        parameter="returns.memory",
    )
    assert (response.old, response.new, response.severity) == ("integer", "string (property string)", "breaking")
    # Requests: a bare number still sets the default key 'current': not a break.
    for method, path in (QEMU_CREATE, QEMU_CONFIG_POST, QEMU_CONFIG_PUT):
        (request,) = find(found, method=method, path=path, parameter="memory")
        assert request.rule == "param-became-property-string"
        assert request.severity == "non-breaking"
        assert request.related == "memory.current"


# -- real breaks, 9.0 -> 9.1 ------------------------------------------------------------------


def test_notification_policy_and_target_removed_from_backup_jobs_and_vzdump() -> None:
    removed = {
        (c.method, c.path, c.parameter)
        for c in find(changes("9.0", "9.1"), "param-removed")
        if c.parameter and c.parameter.startswith("notification-")
    }
    assert removed == {
        (method, path, name)
        for method, path in (
            ("POST", "/cluster/backup"),
            ("PUT", "/cluster/backup/{id}"),
            ("POST", "/nodes/{node}/vzdump"),
        )
        for name in ("notification-policy", "notification-target")
    }


def test_maxfiles_removed_from_storage_pointing_at_prune_backups() -> None:
    found = find(changes("9.0", "9.1"), "param-removed", parameter="maxfiles")
    assert {(c.method, c.path) for c in found} == {("POST", "/storage"), ("PUT", "/storage/{storage}")}
    assert {c.related for c in found} == {"prune-backups"}
    assert all(c.basis == "documented" for c in found)


# -- the verdict on Proxmox's documented promise -------------------------------------------------


def test_promise_broken_8_0_to_8_4_by_documented_rules_only_endpoint_removals() -> None:
    report = build_report(spec("8.0"), spec("8.4"))
    assert not report.promise_kept()
    assert {c.rule for c in report.breaking("documented")} == {"endpoint-removed"}
    assert report.failed
    assert report.verdict()[0].startswith("Proxmox's documented promise is BROKEN: 8 breaking change(s)")


def _qemu_only(version: str) -> Spec:
    ops = tuple(op for op in spec(version).operations if op.path.startswith("/nodes/{node}/qemu"))
    return Spec(ops, version=version)


def test_promise_kept_while_refined_rules_still_fire() -> None:
    # The qemu API from 8.0 to 8.4: nothing Proxmox's promise covers broke, yet enum values went,
    # a parameter became required and a return type changed.
    report = build_report(_qemu_only("8.0"), _qemu_only("8.4"))
    assert report.promise_kept()
    assert {c.rule for c in report.breaking("refined")} == {
        "param-became-required",
        "param-subkey-enum-narrowed",
        "return-property-removed",
        "return-property-type-changed",
    }
    verdict = report.verdict()
    assert verdict[0] == "Proxmox's documented promise is kept: no breaking change under the documented rules."
    assert verdict[1].startswith(f"Refined rules found {len(report.breaking('refined'))} more breaking change(s)")
    assert report.failed  # within a major the refined breaks still fail the gate


def test_across_majors_the_report_is_a_migration_list() -> None:
    report = build_report(spec("8.4"), spec("9.0"))
    assert report.across_majors and report.fail_on == "never" and not report.failed
    assert report.verdict()[0].startswith("Across major releases Proxmox promises no compatibility")
    assert {c.rule for c in report.breaking("documented")} == {"endpoint-removed", "param-removed"}
    refined = report.breaking("refined")
    # Disk geometry keys (cyls, heads, secs, trans) vanished from the qemu disk property strings.
    assert {c.parameter.split(".")[1] for c in refined if c.rule == "param-subkey-removed" and c.parameter} == {
        "cyls",
        "heads",
        "secs",
        "trans",
    }


def test_7_4_to_8_0_only_the_ldap_dn_patterns_changed_and_an_example_proves_them_narrower() -> None:
    found = changes("7.4", "8.0")
    assert {(c.rule, c.severity) for c in found} == {("param-constraint-tightened", "breaking")}
    assert {(c.method, c.parameter) for c in found} == {
        (method, name) for method in ("POST", "PUT") for name in ("base_dn", "bind_dn", "group_dn")
    }
    # An unquoted value may no longer start with '#': the example was accepted by 7.4's pattern.
    for change in found:
        assert "('I=#' is now rejected)" in change.message
        assert perl_match(change.old["pattern"], "I=#") and perl_match(change.new["pattern"], "I=#") is False


# -- traps: real changes that are not breaks ---------------------------------------------------


def _pve_vmid_bound_events() -> int:
    old, new = spec("8.0"), spec("8.4")
    events = 0
    for op in new.operations:
        before = old.operation(op.method, op.path)
        if before is None:
            continue
        for name, schema in op.parameters.items():
            if name in before.parameters and schema.format == "pve-vmid":
                was = before.parameters[name]
                events += (was.minimum != schema.minimum) + (was.maximum != schema.maximum)
    return events


def test_pve_vmid_bounds_made_explicit_are_not_reported() -> None:
    assert _pve_vmid_bound_events() == 334  # the raw schema really changed (minimum 1 -> 100, maximum added)
    new = spec("8.4")
    for change in changes("8.0", "8.4"):
        if change.rule.startswith("param-constraint") and change.parameter:
            op = new.operation(change.method, change.path)
            assert op is not None
            assert op.parameters[change.parameter].format != "pve-vmid", change


def test_sdn_id_formats_written_out_as_patterns_are_not_reported() -> None:
    """9.1 replaced five SDN id formats by the pattern and length their server checks enforced."""
    old, new = spec("9.0"), spec("9.1")
    made_explicit = []
    for op in old.operations:
        after = new.operation(op.method, op.path)
        for name, was in op.parameters.items():
            now = after.parameters.get(name) if after else None
            if now is not None and (was.format or "").startswith("pve-sdn-") and now.format is None and now.pattern:
                made_explicit.append((op.method, op.path, name))
    assert len(made_explicit) == 40  # the raw schema really changed on 40 parameters
    found = changes("9.0", "9.1")
    for method, path, name in made_explicit:
        assert not [c for c in found if (c.method, c.path, c.parameter) == (method, path, name)], (method, path, name)
    # A real tightening next to them is still reported: asn's maximum dropped by one.
    assert find(found, "param-constraint-tightened", path="/cluster/sdn/controllers", parameter="asn")


def test_renamed_path_placeholder_is_the_same_endpoint() -> None:
    found = changes("8.0", "8.4")
    assert not [c for c in found if "/hardware/pci/" in c.path and c.rule.startswith("endpoint-")]
    renamed = find(found, "path-placeholder-renamed")
    assert {(c.method, c.old, c.new) for c in renamed} == {
        ("GET", "/nodes/{node}/hardware/pci/{pciid}", "/nodes/{node}/hardware/pci/{pci-id-or-mapping}"),
        ("GET", "/nodes/{node}/hardware/pci/{pciid}/mdev", "/nodes/{node}/hardware/pci/{pci-id-or-mapping}/mdev"),
    }
    assert all(c.severity == "info" for c in renamed)
    assert not [c for c in found if c.parameter in ("pciid", "pci-id-or-mapping") and "removed" in c.rule]


def test_property_string_key_renamed_with_old_name_kept_as_alias() -> None:
    # 9.1 renamed agent's freeze-fs-on-backup to freeze-fs and kept the old name as an alias.
    agent = spec("9.1").operation(*QEMU_CREATE).parameters["agent"].format_properties  # type: ignore[union-attr]
    assert agent is not None and agent["freeze-fs-on-backup"].alias == "freeze-fs"
    found = changes("9.0", "9.1")
    assert not [c for c in found if c.parameter == "agent.freeze-fs-on-backup"]
    assert {c.rule for c in found if c.parameter == "agent.freeze-fs"} == {"param-subkey-added-optional"}


def test_bare_value_becoming_property_string_with_default_key_is_not_a_break() -> None:
    found = changes("8.0", "8.4")
    became = {(c.path, c.parameter) for c in find(found, "param-became-property-string")}
    assert ("/nodes/{node}/qemu", "machine") in became
    assert ("/nodes/{node}/config", "wakeonlan") in became
    assert ("/nodes/{node}/qemu", "memory") in became
    assert not [c for c in found if c.parameter in ("machine", "wakeonlan", "memory") and c.severity == "breaking"]


def test_null_return_becoming_data_is_not_a_break() -> None:
    found = changes("8.0", "8.4")
    (change,) = find(found, "return-type-changed-from-null", method="PUT", path="/nodes/{node}/qemu/{vmid}/resize")
    assert (change.old, change.new, change.severity) == ("null", "string", "non-breaking")
    assert not find(found, "return-type-changed")


def test_enum_null_is_no_restriction() -> None:
    schema = spec("8.4").operation("POST", "/nodes/{node}/storage/{storage}/download-url").parameters["compression"]  # type: ignore[union-attr]
    assert schema.has("enum") and schema.enum is None
    assert not [c for c in changes("8.4", "9.1") if c.parameter == "compression"]


@pytest.mark.parametrize(
    "pair",
    [("5.4", "6.4"), ("6.4", "7.4"), ("7.4", "8.0"), ("8.0", "8.4"), ("8.4", "9.0"), ("9.0", "9.1"), ("5.4", "9.1")],
)
def test_every_pair_diffs_without_crashing_on_perl_patterns(pair: tuple[str, str]) -> None:
    found = changes(*pair)
    assert found, "releases differ"
    assert [c.sort_key() for c in found] == sorted(c.sort_key() for c in found)


# -- the breaks users hit that a schema only half shows ------------------------------------------


def test_deprecation_written_only_in_descriptions() -> None:
    found = changes("9.0", "9.1")
    groups = find(found, "endpoint-deprecated", path="/cluster/ha/groups")
    assert {c.method for c in groups} == {"GET", "POST"}
    assert all(c.severity == "warning" and "in favor of HA rules" in c.message for c in groups)
    params = {(c.method, c.path, c.parameter) for c in find(found, "param-deprecated") if c.path == "/cluster/backup"}
    assert params == {("POST", "/cluster/backup", "dow"), ("POST", "/cluster/backup", "starttime")}


def test_guest_agent_calls_need_new_privileges_and_vm_monitor_leaves_the_role_model() -> None:
    found = changes("9.0", "9.1")
    (exec_change,) = find(found, "permission-changed", method="POST", path="/nodes/{node}/qemu/{vmid}/agent/exec")
    assert (exec_change.old, exec_change.new) == (
        "VM.Monitor on /vms/{vmid}",
        "VM.GuestAgent.Unrestricted on /vms/{vmid}",
    )
    assert exec_change.severity == "breaking"
    assert "a role with only VM.Monitor loses the call" in exec_change.message
    assert "VM.Monitor is gone from the role model" in exec_change.message
    assert "VM.GuestAgent.Unrestricted did not exist before" in exec_change.message
    agent = {
        (c.method, c.path)
        for c in find(found, "permission-changed")
        if "/agent" in c.path and c.severity == "breaking" and "only VM.Monitor loses" in c.message
    }
    monitor_calls = {
        op.key
        for op in spec("9.0").operations
        if "/agent" in op.path and op.permissions and "VM.Monitor" in op.permissions.privileges()
    }
    assert agent == monitor_calls and len(agent) == 26
    (gone,) = find(found, "privilege-removed")
    assert (gone.path, gone.old, gone.severity) == ("/access/roles/{roleid}", ["VM.Monitor"], "breaking")


@pytest.mark.parametrize("old", ["8.4", "9.0"])
def test_monitor_is_breaking_because_its_only_privilege_left_the_role_model(old: str) -> None:
    (monitor,) = find(changes(old, "9.1"), "permission-changed", path="/nodes/{node}/qemu/{vmid}/monitor")
    assert monitor.severity == "breaking"
    assert (monitor.old, monitor.new) == ("VM.Monitor on /vms/{vmid}", "any of Sys.Audit, Sys.Modify on /vms/{vmid}")
    assert "any of Sys.Audit, Sys.Modify" in monitor.message
    assert "a role with only VM.Monitor loses the call (VM.Monitor is gone from the role model)" in monitor.message


def test_an_or_alternative_added_is_not_breaking() -> None:
    found = changes("8.0", "8.4")
    for path in ("/nodes/{node}/query-url-metadata", "/nodes/{node}/storage/{storage}/download-url"):
        (change,) = find(found, "permission-changed", path=path)
        assert change.severity == "non-breaking"
        assert change.message.startswith("permission check widened:")
        assert "Sys.AccessNetwork on /nodes/{node}" in change.new
    (url,) = find(found, "permission-changed", path="/nodes/{node}/query-url-metadata")
    assert url.new == "any of (all of Sys.Audit, Sys.Modify on /; Sys.AccessNetwork on /nodes/{node})"


def test_bare_string_privilege_is_the_same_check() -> None:
    # 8.0 wrote PUT .../cloudinit's check as a bare string, 8.4 as a list: equivalent, nothing to report.
    old = spec("8.0").operation("PUT", "/nodes/{node}/qemu/{vmid}/cloudinit")
    new = spec("8.4").operation("PUT", "/nodes/{node}/qemu/{vmid}/cloudinit")
    assert old is not None and new is not None and old.permissions != new.permissions
    assert not find(changes("8.0", "8.4"), "permission-changed", path="/nodes/{node}/qemu/{vmid}/cloudinit")


def test_a_privilege_dropped_from_an_any_of_check_is_breaking_and_names_who_loses() -> None:
    (lvm,) = find(changes("8.0", "8.4"), "permission-changed", method="GET", path="/nodes/{node}/disks/lvm")
    assert lvm.severity == "breaking"
    assert (lvm.old, lvm.new) == ("any of Sys.Audit, Datastore.Audit on /", "Sys.Audit on /")
    assert "a role with only Datastore.Audit loses the call" in lvm.message
    # Dropping one of two required privileges accepts more.
    (create,) = find(changes("8.0", "8.4"), "permission-changed", method="POST", path="/nodes/{node}/disks/lvm")
    assert create.severity == "non-breaking" and create.old == "all of Sys.Modify, Datastore.Allocate on /"


def test_checks_moved_between_acl_paths_or_into_the_code_are_warnings() -> None:
    found = changes("8.0", "8.4")
    (vnets,) = find(found, "permission-changed", method="POST", path="/cluster/sdn/vnets")
    assert vnets.severity == "warning" and "moved between ACL paths" in vnets.message
    (vnet,) = find(found, "permission-changed", method="GET", path="/cluster/sdn/vnets/{vnet}")
    assert vnet.severity == "warning" and "the check is now made by the call itself" in vnet.message
    (root,) = find(found, "permission-changed", method="GET", path="/cluster/sdn")
    assert root.severity == "non-breaking"  # / -> /sdn: a grant on / still reaches it


def test_defaults_removed_or_changed() -> None:
    (ndp,) = find(changes("9.0", "9.1"), "param-default-changed", path="/nodes/{node}/firewall/options")
    assert (ndp.parameter, ndp.old, ndp.new, ndp.severity) == ("ndp", 0, 1, "warning")
    port = find(changes("8.0", "8.4"), "param-default-removed", parameter="port")
    assert {(c.method, c.path, c.old) for c in port} == {
        ("POST", "/storage", 8007),
        ("PUT", "/storage/{storage}", 8007),
    }


def test_string_to_array_judged_separately_for_requests_and_responses() -> None:
    found = changes("8.0", "8.4")
    request = find(found, method="POST", path="/nodes/{node}/vzdump", parameter="exclude-path")
    assert [(c.rule, c.severity) for c in request] == [("param-became-array", "warning")]
    response = find(found, path="/nodes/{node}/vzdump/defaults", parameter="returns.exclude-path")
    assert [(c.rule, c.severity) for c in response] == [("return-property-type-changed", "breaking")]


def test_renamed_parameter_is_linked_not_reported_as_removed_plus_added() -> None:
    found = find(changes("6.4", "7.4"), method="POST", path="/nodes/{node}/ceph/osd")
    renamed = {c.parameter: c.related for c in found if c.rule == "param-removed" and c.related}
    assert renamed == {"db_size": "db_dev_size", "wal_size": "wal_dev_size"}
    assert all("renamed to" in c.message for c in found if c.parameter in renamed)
    assert not [c for c in found if c.rule.startswith("param-added") and c.parameter in renamed.values()]


def test_moved_endpoints_reported_once_with_where_they_went() -> None:
    found = changes("6.4", "7.4")
    moved = {(c.method, c.path): c.related or "" for c in find(found, "endpoint-moved")}
    assert moved == {
        ("GET", "/cluster/backupinfo/not_backed_up"): "GET /cluster/backup-info/not-backed-up",
        # Same operation name, identical summary, no path parameter but node: the move of 7.0.
        ("GET", "/nodes/{node}/cpu"): "GET /nodes/{node}/capabilities/qemu/cpu",
    }
    for (_, path), related in moved.items():
        target = related.split(" ", 1)[1]
        assert not [c for c in found if c.path in (path, target) and c.rule != "endpoint-moved"]
    # Removed, with a replacement that already existed (the same usbscan under /hardware).
    (usb,) = find(found, "endpoint-removed", path="/nodes/{node}/scan/usb")
    assert usb.related == "GET /nodes/{node}/hardware/usb"


# -- what a named format already enforced (issue: named-format false positives) --------------------


@pytest.mark.parametrize(
    ("pair", "method", "path", "name", "old_format"),
    [
        (("8.0", "8.4"), "POST", "/storage", "format", "pve-storage-format"),
        (("8.0", "8.4"), "PUT", "/storage/{storage}", "format", "pve-storage-format"),
        (("9.0", "9.1"), "POST", "/cluster/sdn/controllers", "isis-net", "pve-sdn-isis-net"),
        (("6.4", "7.4"), "POST", "/nodes/{node}/storage/{storage}/upload", "content", "pve-storage-content"),
    ],
)
def test_a_limit_replacing_or_joining_a_named_format_is_not_breaking(
    pair: tuple[str, str], method: str, path: str, name: str, old_format: str
) -> None:
    (change,) = [c for c in find(changes(*pair), method=method, path=path, parameter=name) if "constraint" in c.rule]
    assert (change.rule, change.severity) == ("param-constraint-added", "warning")
    assert f"the named format {old_format}, whose checks are not known here" in change.message


def test_bounds_the_format_checker_enforces_are_asked_of_it_not_copied() -> None:
    # pve-vmid's checker (runtime/pveformats) rejects 99 and 1000000000: 8.4's explicit bounds add nothing.
    assert not [
        c for c in changes("8.0", "8.4") if c.rule.startswith("param-constraint") and c.parameter in ("vmid", "newid")
    ]


# -- a limit where there was none -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pair", "method", "path", "name", "added"),
    [
        (("8.0", "8.4"), "PUT", "/access/users/{userid}", "comment", {"maxLength": 2048}),
        (("8.0", "8.4"), "POST", "/access/users", "email", {"maxLength": 254}),
        (("9.0", "9.1"), "POST", "/nodes/{node}/migrateall", "maxworkers", {"maximum": 64}),
        (("9.0", "9.1"), "GET", "/nodes/{node}/apt/changelog", "name", {"pattern": "(?^:[a-z0-9][-+.a-z0-9:]+)"}),
    ],
)
def test_a_limit_where_there_was_none_is_a_warning(
    pair: tuple[str, str], method: str, path: str, name: str, added: dict[str, object]
) -> None:
    (change,) = find(changes(*pair), "param-constraint-added", method=method, path=path, parameter=name)
    assert change.severity == "warning"
    assert change.new == added and change.old == dict.fromkeys(added)
    assert "nothing the old schema documented is rejected" in change.message


def test_point_releases_fail_the_gate_only_on_real_breaks() -> None:
    report = build_report(spec("8.0"), spec("8.4"))
    assert report.failed
    breaking = {(c.rule, c.method, c.path, c.parameter) for c in report.changes if c.severity == "breaking"}
    assert ("param-constraint-tightened", "PUT", "/access/password", "password") in breaking
    assert ("param-enum-narrowed", "POST", "/cluster/acme/plugins", "api") in breaking
    assert ("return-property-type-changed", "GET", "/nodes/{node}/qemu/{vmid}/config", "returns.memory") in breaking
    assert ("endpoint-removed", "GET", "/nodes/{node}/ceph/pools", None) in breaking
    # No limit added where there was none counts: every param-constraint-* breaking finding tightens one.
    assert not [c for c in report.changes if c.rule.endswith("constraint-added") and c.severity == "breaking"]


# -- moves and replacements ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "pair",
    [("5.4", "6.4"), ("6.4", "7.4"), ("7.4", "8.0"), ("8.0", "8.4"), ("8.4", "9.0"), ("9.0", "9.1"), ("5.4", "9.1")],
)
def test_related_of_an_endpoint_finding_is_always_an_operation_of_the_new_release(pair: tuple[str, str]) -> None:
    new = spec(pair[1])
    for change in changes(*pair):
        if change.rule.startswith("endpoint-") and change.related is not None:
            method, _, path = change.related.partition(" ")
            assert new.operation(method, path) is not None, change


def test_deprecated_values_and_removed_deprecated_parameters_name_what_the_notice_says() -> None:
    found = changes("6.4", "7.4")
    upgrade = find(found, "param-removed", parameter="upgrade")
    assert {(c.path, c.related) for c in upgrade} == {
        (f"/nodes/{{node}}/{shell}", "cmd") for shell in ("vncshell", "termproxy", "spiceshell")
    }
    (force,) = find(found, "param-removed", path="/nodes/{node}/lxc/{vmid}/migrate", parameter="force")
    assert "use 'shared' property of mount point instead" in force.message
    maxworkers = find(changes("9.0", "9.1"), "param-deprecated", parameter="maxworkers")
    assert [c.related for c in maxworkers] == ["max-workers"]


# -- coverage: requires, returned enums, formats and patterns --------------------------------------


def test_requires_added_is_a_warning() -> None:
    dow = find(changes("6.4", "7.4"), "param-requires-added", parameter="dow")
    assert {(c.method, c.path, c.new, c.severity) for c in dow} == {
        ("POST", "/cluster/backup", "starttime", "warning"),
        ("PUT", "/cluster/backup/{id}", "starttime", "warning"),
    }


def test_returned_enums_widened_warn_readers() -> None:
    found = changes("9.0", "9.1")
    (resources,) = find(found, "return-enum-widened", path="/cluster/resources", parameter="returns[].type")
    assert resources.severity == "warning" and set(resources.new) - set(resources.old) == {"network"}
    # A first enum on a returned value promises more: not a warning.
    zones = find(found, "return-enum-narrowed", path="/cluster/sdn/zones", parameter="returns[].type")
    assert [c.severity for c in zones] == ["non-breaking"]


def test_returned_formats_and_patterns() -> None:
    (boot,) = find(changes("5.4", "6.4"), "return-format-changed", parameter="returns.boot")
    assert (boot.old, boot.new, boot.severity) == (None, "pve-qm-boot", "warning")
    (serial,) = find(changes("9.0", "9.1"), "return-pattern-changed", parameter="returns.serial[n]")
    assert serial.severity == "warning"


# -- moves on edited real specs (what a user editing a spec sees) --------------------------------


def _edited(version: str, edit: Callable[[dict[str, Any]], dict[str, Any] | None]) -> Spec:
    ops = []
    for op in spec(version).operations:
        entry = edit(operation_to_entry(op))
        if entry is not None:
            ops.append(operation_from_entry(entry))
    return Spec(tuple(ops), version=version)


def test_a_deleted_qemu_call_never_points_at_its_lxc_sibling() -> None:
    reboot = "/nodes/{node}/qemu/{vmid}/status/reboot"
    edited = _edited("9.1", lambda e: None if e["path"] == reboot else e)
    (change,) = diff(spec("9.1"), edited)
    assert (change.rule, change.path, change.related) == ("endpoint-removed", reboot, None)
    assert change.message == f"POST {reboot} (vm_reboot) was removed"


def test_a_renamed_subtree_moves_as_a_whole() -> None:
    def rename(entry: dict[str, Any]) -> dict[str, Any]:
        entry["path"] = entry["path"].replace("/qemu/{vmid}/snapshot", "/qemu/{vmid}/snapshots")
        return entry

    found = diff(spec("9.1"), _edited("9.1", rename))
    moved = {(c.method, c.path): c.related for c in found if c.rule == "endpoint-moved"}
    before = [op for op in spec("9.1").operations if "/qemu/{vmid}/snapshot" in op.path]
    assert len(moved) == len(before) == 7
    for op in before:
        assert moved[op.key] == f"{op.method} {op.path.replace('/snapshot', '/snapshots', 1)}"
    assert {c.rule for c in found} == {"endpoint-moved"}


def test_serial_devices_with_a_comma_are_rejected_from_9_1_on() -> None:
    found = find(changes("9.0", "9.1"), "param-constraint-tightened", parameter="serial[n]")
    assert len(found) == 3 and all("('/dev/,' is now rejected)" in c.message for c in found)
