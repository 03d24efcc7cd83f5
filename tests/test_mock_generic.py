"""Every GET answers schema-valid data, encoded as PVE encodes it, deterministic for a seed."""

from __future__ import annotations

import json
import re
from typing import Any

import requests

from pvegen import Schema, Spec
from pvegen.mock import MockServer
from pvegen.mock.fake import rng_for, sample
from pvegen.runtime.perlre import compile_perl
from tests.fixtures_mock import MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MockFactory

# Where PVE itself sends something other than its schema says (the mock copies the server).
KNOWN_LOOSE = {("GET", "/cluster/nextid"): "a string holding the integer"}
# 5.4 and 6.4 document mem/disk as strings; the servers sent integers, and so does the mock.
OLD_MEM_AS_STRING = ("5.4", "6.4")
PLACEHOLDER_VALUES = {"node": "pve1", "vmid": "100", "storage": "local", "iface": "vmbr0", "userid": "root@pam",
                      "realm": "pam", "roleid": "PVEAdmin"}  # fmt: skip


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


def concrete(path: str, spec: Spec) -> str:
    op = spec.operation("GET", path)
    rng = rng_for(0, path)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        schema = op.parameters.get(name) if op is not None else None
        made = sample(schema, rng) if schema is not None else None
        return PLACEHOLDER_VALUES.get(name, str(made if made is not None else "sample"))

    return re.sub(r"\{([^}]+)\}", fill, path)


def sweep(srv: MockServer) -> dict[str, tuple[int, str]]:
    """GET every operation without required query parameters; path -> (status, body)."""
    session = requests.Session()
    session.headers["Authorization"] = f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"
    session.post(f"{srv.url}/api2/json/nodes/pve1/qemu", data={"vmid": 100}, timeout=10).raise_for_status()
    out = {}
    for op in srv.spec.operations:
        needs_query = any(
            s.required and n not in op.path_parameters for n, s in op.parameters.items()
        )  # fmt: skip
        if op.method != "GET" or needs_query:
            continue
        path = concrete(op.path, srv.spec)
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
            # otherwise only the mock's own "no such object" answers for made-up ids
            assert status == 500 or (status == 403 and op.allowtoken is False), (template, status)
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
        # task lists and uptimes carry wall-clock times; everything else must repeat exactly
        return {k: v for k, v in results.items() if k not in volatile and "time" not in v[1]}

    assert stable(one) == stable(two)
    assert stable(one) != stable(other)
