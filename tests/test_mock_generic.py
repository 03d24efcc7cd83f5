"""Every GET answers schema-valid data, encoded as PVE encodes it, deterministic for a seed."""

from __future__ import annotations

import json
import re
import urllib.parse
from typing import Any

import requests

from pvegen import Schema, Spec
from pvegen.mock import MockServer
from pvegen.mock.fake import rng_for, sample
from pvegen.runtime.perlre import compile_perl
from tests.fixtures_mock import MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MockFactory
from tests.fixtures_shared import real_data_module

real_data_module()

# Where PVE itself sends something other than its schema says (the mock copies the server).
KNOWN_LOOSE = {("GET", "/cluster/nextid"): "a string holding the integer"}
# GETs that fail on PVE too for the objects the sweep makes (the reason, as a PVE user would see it).
KNOWN_FAILURES: dict[str, str] = {}
# 5.4 and 6.4 document mem/disk as strings; the servers sent integers, and so does the mock.
OLD_MEM_AS_STRING = ("5.4", "6.4")
# The objects the sweep makes first, so that every path names something that exists.
QEMU, LXC, GROUP, POOL, SNAPSHOT = "100", "101", "admins", "pool1", "first"
ISO = "local:iso/debian-12.7.0-amd64-netinst.iso"  # in the mock's seeded storage
PLACEHOLDER_VALUES = {"node": "pve1", "vmid": QEMU, "storage": "local", "volume": ISO, "iface": "vmbr0",
                      "userid": "root@pam", "realm": "pam", "roleid": "PVEAdmin", "groupid": GROUP, "poolid": POOL,
                      "snapname": SNAPSHOT, "tokenid": MOCK_TOKEN_ID.partition("!")[2]}  # fmt: skip


def problems(schema: Schema, value: Any, where: str = "$") -> list[str]:
    """Where ``value`` breaks ``schema`` (booleans must be 0/1, as PVE sends them)."""
    if value is None:
        return [] if schema.optional or schema.type in (None, "null", "any") else [f"{where}: null"]
    kind = schema.type
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "boolean": lambda v: v in (0, 1) and not isinstance(v, bool),
        "array": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
    }
    if kind in checks and not checks[kind](value):
        return [f"{where}: {value!r} is not {kind}"]
    found: list[str] = []
    if schema.enum is not None and value not in schema.enum:
        found.append(f"{where}: {value!r} not in enum")
    if isinstance(value, str) and schema.pattern:
        compiled = compile_perl(schema.pattern)
        if compiled is not None and not compiled.match(value):
            found.append(f"{where}: {value!r} does not match {schema.pattern}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if schema.minimum is not None and value < schema.minimum:
            found.append(f"{where}: {value} < minimum")
        if schema.maximum is not None and value > schema.maximum:
            found.append(f"{where}: {value} > maximum")
    if isinstance(value, list) and schema.items is not None:
        for index, item in enumerate(value):
            found += problems(schema.items, item, f"{where}[{index}]")
    if isinstance(value, dict) and schema.properties:
        for name, prop in schema.properties.items():
            if name in value:
                found += problems(prop, value[name], f"{where}.{name}")
            elif not prop.optional and kind == "object" and not isinstance(schema.additional_properties, Schema):
                found.append(f"{where}.{name}: missing")
    return found


def concrete(path: str, spec: Spec, known: dict[str, str] | None = None) -> str:
    op = spec.operation("GET", path)
    rng = rng_for(0, path)
    values = {**PLACEHOLDER_VALUES, **(known or {})}
    if path.startswith("/nodes/{node}/lxc/"):
        values["vmid"] = LXC

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        schema = op.parameters.get(name) if op is not None else None
        made = sample(schema, rng) if schema is not None else None
        return urllib.parse.quote(values.get(name, str(made if made is not None else "sample")), safe="")

    return re.sub(r"\{([^}]+)\}", fill, path)


def make_objects(srv: MockServer, session: requests.Session) -> dict[str, str]:
    """A VM, a container, a group, a pool and snapshots, each made through the API the release has."""
    base = f"{srv.url}/api2/json"
    calls = [
        ("POST", "/nodes/{node}/qemu", "/nodes/pve1/qemu", {"vmid": QEMU, "scsi0": "local-lvm:1"}),
        ("POST", "/nodes/{node}/lxc", "/nodes/pve1/lxc", {"vmid": LXC, "ostemplate": ISO, "rootfs": "local-lvm:1"}),
        ("POST", "/access/groups", "/access/groups", {"groupid": GROUP}),
        ("POST", "/pools", "/pools", {"poolid": POOL}),
        ("POST", "/nodes/{node}/qemu/{vmid}/snapshot", f"/nodes/pve1/qemu/{QEMU}/snapshot", {"snapname": SNAPSHOT}),
        ("POST", "/nodes/{node}/lxc/{vmid}/snapshot", f"/nodes/pve1/lxc/{LXC}/snapshot", {"snapname": SNAPSHOT}),
    ]
    upid = ""
    for method, template, path, data in calls:
        if srv.spec.operation(method, template) is not None:
            response = session.request(method, base + path, data=data, timeout=10)
            assert response.status_code == 200, (path, response.reason)
            upid = upid or response.json()["data"] or ""
    return {"upid": upid}


def sweep(srv: MockServer) -> dict[str, tuple[int, str]]:
    """GET every operation without required query parameters; path -> (status, body)."""
    session = requests.Session()
    session.headers["Authorization"] = f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"
    known = make_objects(srv, session)
    out = {}
    for op in srv.spec.operations:
        needs_query = any(
            s.required and n not in op.path_parameters for n, s in op.parameters.items()
        )  # fmt: skip
        if op.method != "GET" or needs_query:
            continue
        path = concrete(op.path, srv.spec, known)
        response = session.get(f"{srv.url}/api2/json{path}", timeout=10)
        out[op.path] = (response.status_code, response.text)
    return out


def test_every_get_answers_schema_valid_data(mock_server: MockFactory, each_release: Spec) -> None:
    srv = mock_server(each_release)
    results = sweep(srv)
    assert len(results) > 150
    failures = []
    for template, (status, text) in results.items():
        op = srv.spec.operation("GET", template)
        assert op is not None
        if status == 400:
            # a made-up path value ("sample") may break the placeholder's format: only those may fail
            invented = {n for n in op.path_parameters if n not in PLACEHOLDER_VALUES}
            assert set(json.loads(text)["errors"]) <= invented, (template, text)
            continue
        if status != 200:
            # every object a path names exists, so nothing else may fail (tokens refused where the spec says)
            reason = KNOWN_FAILURES.get(template)
            assert (status == 403 and op.allowtoken is False) or (status == 500 and reason), (template, status, text)
            continue
        if ("GET", template) in KNOWN_LOOSE:
            continue
        data = json.loads(text)["data"]
        found = problems(op.returns, data)
        if each_release.version in OLD_MEM_AS_STRING:
            found = [f for f in found if not re.search(r"\.(mem|disk): \d+ is not string", f)]
        if found:
            failures.append(f"{template}: {found[:3]}")
    assert failures == [], "\n".join(failures)
    ok = sum(1 for status, _ in results.values() if status == 200)
    assert ok >= 0.75 * len(results), {k: v[0] for k, v in results.items() if v[0] != 200}


def test_sample_data_is_deterministic_per_seed(mock_server: MockFactory, release: Any) -> None:
    spec = release("9.1")
    one, two, other = (sweep(mock_server(spec, seed=s)) for s in (7, 7, 8))
    volatile = ("/cluster/tasks", "/nodes/{node}/tasks", "/nodes/{node}/qemu/{vmid}/status/current")

    def stable(results: dict[str, tuple[int, str]]) -> dict[str, tuple[int, str]]:
        # task lists, uptimes and snapshot times carry wall-clock times, and a config's digest hashes its
        # snapshots' times; everything else must repeat exactly
        return {k: v for k, v in results.items() if k not in volatile and "time" not in v[1] and "digest" not in v[1]}

    assert stable(one) == stable(two)
    assert stable(one) != stable(other)
