"""The compatibility checker on the real Proxmox schemas: the breaks it must find, the traps it
must not fall into, and the user-facing breaks that are only half visible in a schema."""

from __future__ import annotations

import pytest

from pvegen import Spec
from pvegen.compat import build_report
from tests.test_compat_support import changes, find, spec

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
    assert {key: c.related for key, c in removed.items()} == expected
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
        "param-subkey-constraint-tightened",
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


def test_no_change_at_all_7_4_to_8_0_is_breaking() -> None:
    report = build_report(spec("7.4"), spec("8.0"))
    assert report.summary()["breaking"] == 0
    assert {c.rule for c in report.changes} == {"param-pattern-changed"}


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
    assert (exec_change.old, exec_change.new) == (["VM.Monitor"], ["VM.GuestAgent.Unrestricted"])
    assert exec_change.severity == "breaking"  # no role of 9.0 could hold the new privilege
    assert "VM.GuestAgent.Unrestricted did not exist before" in exec_change.message
    agent = {
        (c.method, c.path)
        for c in find(found, "permission-changed")
        if "/agent" in c.path and "no longer VM.Monitor" in c.message and "VM.GuestAgent." in c.message
    }
    monitor_calls = {
        op.key
        for op in spec("9.0").operations
        if "/agent" in op.path and op.permissions and "VM.Monitor" in op.permissions.privileges()
    }
    assert agent == monitor_calls and len(agent) == 26
    (gone,) = find(found, "privilege-removed")
    assert (gone.path, gone.old, gone.severity) == ("/access/roles/{roleid}", ["VM.Monitor"], "breaking")


def test_permission_change_between_existing_privileges_is_a_warning() -> None:
    (monitor,) = find(changes("9.0", "9.1"), "permission-changed", path="/nodes/{node}/qemu/{vmid}/monitor")
    assert monitor.severity == "warning"
    assert monitor.new == ["Sys.Audit", "Sys.Modify"] and monitor.old == ["VM.Monitor"]


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


def test_moved_endpoint_reported_once_with_where_it_went() -> None:
    found = changes("6.4", "7.4")
    (moved,) = find(found, "endpoint-moved")
    assert (moved.method, moved.path, moved.related) == (
        "GET",
        "/cluster/backupinfo/not_backed_up",
        "/cluster/backup-info/not-backed-up",
    )
    assert not [c for c in found if c.path in (moved.path, moved.related) and c.rule != "endpoint-moved"]
