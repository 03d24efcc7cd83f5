"""`pvegen openapi`: the document validates (openapi-spec-validator), says what the spec says, and is
deterministic (every real release: test_openapi_export_real.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from pvegen import Spec, load_spec
from pvegen.cli import main
from pvegen.model import split_indexed
from pvegen.openapi import build_document, render
from tests.fixtures_shared import ROOT

EMBEDDED = ROOT / "spec" / "proxmox-ve.json"
Json = dict[str, Any]


@pytest.fixture(scope="module")
def embedded() -> Spec:
    return load_spec(EMBEDDED)


@pytest.fixture(scope="module")
def embedded_document(embedded: Spec) -> Json:
    return build_document(embedded).document


def _operations(document: Json) -> Iterator[tuple[str, str, Json]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


def _resolve(document: Json, ref: str) -> Json:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    assert isinstance(node, dict)
    return node


def _write_spec(tmp_path: Path, operations: list[Json], version: str = "9.1") -> Path:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps({"format": "pvegen-spec/1", "version": version, "operations": operations}))
    return path


# -- validity -------------------------------------------------------------------------------------
def test_embedded_spec_exports_a_valid_openapi_31_document(embedded: Spec, embedded_document: Json) -> None:
    validate(embedded_document)
    assert embedded_document["openapi"] == "3.1.0"
    assert sum(1 for _ in _operations(embedded_document)) == len(embedded.operations)


# -- what the document says -----------------------------------------------------------------------
def test_one_operation_per_method_and_path_with_unique_operation_ids(embedded: Spec, embedded_document: Json) -> None:
    ids = [operation["operationId"] for _, _, operation in _operations(embedded_document)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", operation_id) for operation_id in ids)
    for op in embedded.operations:
        operation = embedded_document["paths"][op.path][op.method.lower()]
        assert operation["x-pve-name"] == op.name
        assert operation["tags"] == [op.path.strip("/").split("/")[0]]


def test_repeated_names_are_qualified_by_their_path(tmp_path: Path) -> None:
    operations = [
        {"method": "GET", "path": "/cluster/firewall/rules", "name": "get_rules", "parameters": {}, "returns": {}},
        {"method": "GET", "path": "/nodes/{node}/firewall/rules", "name": "get_rules", "parameters": {}},
        {"method": "GET", "path": "/version", "name": "version", "parameters": {}},
        {"method": "GET", "path": "/nodes/{node}/agent/get-fsinfo", "name": "get-fsinfo", "parameters": {}},
    ]
    document = build_document(load_spec(_write_spec(tmp_path, operations))).document
    ids = {(method, path): operation["operationId"] for method, path, operation in _operations(document)}
    assert ids[("GET", "/cluster/firewall/rules")] == "cluster_firewall_rules_get_rules"
    assert ids[("GET", "/nodes/{node}/firewall/rules")] == "nodes_firewall_rules_get_rules"
    assert ids[("GET", "/version")] == "version"
    assert ids[("GET", "/nodes/{node}/agent/get-fsinfo")] == "get_fsinfo"


def test_parameters_go_where_pve_reads_them(embedded: Spec, embedded_document: Json) -> None:
    for op in embedded.operations:
        operation = embedded_document["paths"][op.path][op.method.lower()]
        parameters = {(p["in"], p["name"]): p for p in operation.get("parameters", [])}
        assert {name for place, name in parameters if place == "path"} == set(op.path_parameters)
        others = {name for name in op.parameters if name not in op.path_parameters}
        if op.method in ("GET", "DELETE"):
            assert {name for place, name in parameters if place == "query"} == others
            assert "requestBody" not in operation
        elif others:
            content = operation["requestBody"]["content"]
            assert set(content) == {"application/x-www-form-urlencoded", "application/json"}
            body = _resolve(embedded_document, content["application/json"]["schema"]["$ref"])
            plain = {name for name in others if not split_indexed(name)[1]}
            assert set(body.get("properties", {})) == plain
            assert body["additionalProperties"] is op.open
            required = {name for name in plain if op.parameters[name].required}
            assert set(body.get("required", [])) == required
            assert operation["requestBody"]["required"] is bool(required)


def test_indexed_parameters_are_pattern_properties(embedded: Spec, embedded_document: Json) -> None:
    found = 0
    for op in embedded.operations:
        for name in op.parameters:
            base, indexed = split_indexed(name)
            if not indexed or op.method not in ("POST", "PUT"):
                continue
            operation = embedded_document["paths"][op.path][op.method.lower()]
            ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            patterns = _resolve(embedded_document, ref)["patternProperties"]
            key = f"^{base}(?:0|[1-9][0-9]*)$"
            assert patterns[key]["x-pve-indexed"] == name
            assert re.search(key, f"{base}0") and re.search(key, f"{base}17")
            assert not re.search(key, f"{base}01") and not re.search(key, base)
            found += 1
    assert found, "the embedded spec has indexed parameters (net[n] on vm create)"


def test_request_booleans_are_zero_or_one_and_responses_read_loosely(tmp_path: Path) -> None:
    operations = [
        {
            "method": "GET",
            "path": "/nodes/{node}/thing",
            "name": "thing",
            "parameters": {
                "node": {"type": "string", "format": "pve-node"},
                "full": {"type": "boolean", "optional": 1, "default": 1},
                "limit": {"type": "integer", "minimum": 1, "maximum": 50, "optional": 1},
            },
            "returns": {
                "type": "object",
                "properties": {
                    "count": {"type": "integer", "minimum": 0},
                    "ok": {"type": "boolean"},
                    "ratio": {"type": "number"},
                    "state": {"type": "string", "enum": ["a", "b"]},
                    "net[n]": {"type": "string", "optional": 1},
                },
            },
        }
    ]
    document = build_document(load_spec(_write_spec(tmp_path, operations))).document
    operation = document["paths"]["/nodes/{node}/thing"]["get"]
    query = {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}
    assert query["full"] == {"type": "integer", "enum": [0, 1], "x-pve-type": "boolean", "default": 1}
    assert query["limit"]["minimum"] == 1 and query["limit"]["maximum"] == 50
    data = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert data["required"] == ["data"]
    props = data["properties"]["data"]["properties"]
    assert props["count"]["type"] == ["integer", "string"] and props["count"]["x-pve-minimum"] == 0
    assert "minimum" not in props["count"]  # PVE does not check its answers: constraints are annotations
    assert props["ok"]["type"] == ["boolean", "integer", "string"]
    assert props["state"]["x-pve-enum"] == ["a", "b"] and "enum" not in props["state"]
    assert "^net(?:0|[1-9][0-9]*)$" in data["properties"]["data"]["patternProperties"]
    from jsonschema import Draft202012Validator

    accepts = Draft202012Validator(data).is_valid
    real = {"data": {"count": "3", "ok": 1, "ratio": "0.5", "state": "c", "extra": [1], "net0": "virtio=AA"}}
    assert accepts(real)  # what real servers send: numbers as strings, 0/1, new values, extra keys
    assert accepts({"data": {"count": 3, "ok": True, "ratio": 0.5}})
    assert not accepts({"data": {"count": "three"}}) and not accepts({"data": {"ok": 2}}) and not accepts({})


def test_requires_and_variant_selection_are_json_schema_rules(tmp_path: Path) -> None:
    operations = [
        {
            "method": "PUT",
            "path": "/fabric/{id}",
            "name": "update_fabric",
            "parameters": {
                "id": {"type": "string"},
                "protocol": {"type": "string", "enum": ["ospf", "wireguard"]},
                "area": {"type": "string", "optional": 1, "requires": "protocol"},
                "delete": {
                    "type": "array",
                    "optional": 1,
                    "type-property": "protocol",
                    "oneOf": [
                        {"type": "array", "instance-types": ["ospf"], "items": {"type": "string", "enum": ["area"]}},
                        {
                            "type": "array",
                            "instance-types": ["wireguard"],
                            "items": {"type": "string", "enum": ["mtu"]},
                        },
                    ],
                },
            },
        }
    ]
    document = build_document(load_spec(_write_spec(tmp_path, operations))).document
    validate(document)
    operation = document["paths"]["/fabric/{id}"]["put"]
    body = _resolve(document, operation["requestBody"]["content"]["application/json"]["schema"]["$ref"])
    assert body["dependentRequired"] == {"area": ["protocol"]}
    from jsonschema import Draft202012Validator

    accepts = Draft202012Validator(body).is_valid
    assert accepts({"protocol": "ospf", "delete": ["area"]}) and accepts({"protocol": "wireguard", "delete": ["mtu"]})
    assert not accepts({"protocol": "ospf", "delete": ["mtu"]})  # the variant of the other protocol
    assert accepts({"delete": ["mtu"], "protocol": "wireguard", "area": "x"})
    assert not accepts({"area": "x"})  # requires protocol (and protocol is required anyway)


def test_property_strings_point_at_one_component_per_format(embedded_document: Json) -> None:
    operation = embedded_document["paths"]["/nodes/{node}/qemu"]["post"]
    body = _resolve(embedded_document, operation["requestBody"]["content"]["application/json"]["schema"]["$ref"])
    net = body["patternProperties"]["^net(?:0|[1-9][0-9]*)$"]
    assert net["type"] == "string"
    component = _resolve(embedded_document, net["x-pve-property-string"]["$ref"])
    assert component["type"] == "object" and component["additionalProperties"] is False
    assert component["x-pve-default-key"] == "model"
    assert component["x-pve-aliases"]["virtio"] == {"alias": "macaddr", "keyAlias": "model"}
    assert component["properties"]["firewall"]["type"] == "boolean"  # typed values, not wire text
    refs = {
        json.dumps(schema["x-pve-property-string"])
        for schema in _walk(embedded_document["paths"])
        if isinstance(schema, dict) and "x-pve-property-string" in schema
    }
    names = {ref.split("/")[-1].rstrip('"}') for ref in refs}
    assert len(names) == len(refs)


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_security_follows_allowtoken_and_csrf(embedded: Spec, embedded_document: Json) -> None:
    schemes = embedded_document["components"]["securitySchemes"]
    assert schemes["PVEAPIToken"] == {
        **schemes["PVEAPIToken"],
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
    }
    assert schemes["PVEAuthCookie"]["in"] == "cookie" and schemes["CSRFPreventionToken"]["in"] == "header"
    for op in embedded.operations:
        operation = embedded_document["paths"][op.path][op.method.lower()]
        permissions = op.permissions
        if op.key == ("POST", "/access/ticket") or (permissions is not None and permissions.user == "world"):
            assert operation["security"] == []  # the login, and calls PVE opens to anyone
            continue
        names = [set(requirement) for requirement in operation["security"]]
        assert ({"PVEAPIToken"} in names) is (op.allowtoken is not False)
        ticket = {"PVEAuthCookie"} if op.method == "GET" else {"PVEAuthCookie", "CSRFPreventionToken"}
        assert ticket in names
        if op.allowtoken is not None:
            assert operation["x-pve-allowtoken"] is op.allowtoken
        if op.permissions is not None:
            assert operation["x-pve-permissions"] == op.permissions.to_raw()


def test_releases_before_tokens_offer_tickets_only(tmp_path: Path) -> None:
    operations = [{"method": "GET", "path": "/version", "name": "version", "parameters": {}}]
    document = build_document(load_spec(_write_spec(tmp_path, operations, "5.4"))).document
    assert "PVEAPIToken" not in document["components"]["securitySchemes"]
    assert document["paths"]["/version"]["get"]["security"] == [{"PVEAuthCookie": []}]


def test_errors_are_described_once_and_referenced(embedded_document: Json) -> None:
    responses = embedded_document["components"]["responses"]
    assert set(responses) == {"ParameterError", "Unauthorized", "Forbidden", "ServerError", "NotImplemented"}
    for _, _, operation in _operations(embedded_document):
        statuses = operation["responses"]
        assert {status: statuses[status] for status in ("400", "401", "403", "500", "501")} == {
            "400": {"$ref": "#/components/responses/ParameterError"},
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "403": {"$ref": "#/components/responses/Forbidden"},
            "500": {"$ref": "#/components/responses/ServerError"},
            "501": {"$ref": "#/components/responses/NotImplemented"},
        }


def test_servers_default_to_variables_or_take_the_given_url(embedded: Spec) -> None:
    server = build_document(embedded).document["servers"][0]
    assert server["url"] == "https://{host}:{port}/api2/json"
    assert server["variables"]["port"]["default"] == "8006"
    assert build_document(embedded, server="https://pve1:8006").document["servers"] == [
        {"url": "https://pve1:8006/api2/json"}
    ]
    assert build_document(embedded, server="http://127.0.0.1:9/x/").document["servers"] == [
        {"url": "http://127.0.0.1:9/x"}
    ]


def test_deprecations_said_in_prose_are_marked(tmp_path: Path) -> None:
    operations = [
        {
            "method": "POST",
            "path": "/old",
            "name": "old",
            "summary": "Deprecated: use /new instead.",
            "parameters": {"maxfiles": {"type": "integer", "optional": 1, "description": "Deprecated, use prune."}},
        }
    ]
    document = build_document(load_spec(_write_spec(tmp_path, operations))).document
    operation = document["paths"]["/old"]["post"]
    assert operation["deprecated"] is True
    body = _resolve(document, operation["requestBody"]["content"]["application/json"]["schema"]["$ref"])
    assert body["properties"]["maxfiles"]["deprecated"] is True


def test_hostile_text_stays_data(tmp_path: Path) -> None:
    hostile = 'a"b\\c\n</script>${x}\u2028 {{ }} \x00'
    operations = [
        {
            "method": "PUT",
            "path": "/odd/{id}",
            "name": hostile,
            "summary": hostile,
            "parameters": {"id": {"type": "string"}, "c": {"type": "string", "description": hostile, "optional": 1}},
        }
    ]
    document = build_document(load_spec(_write_spec(tmp_path, operations))).document
    validate(document)
    text = render(document)
    assert json.loads(text)["paths"]["/odd/{id}"]["put"]["description"] == hostile.strip()


# -- determinism ----------------------------------------------------------------------------------
def test_same_spec_same_bytes_across_processes(tmp_path: Path) -> None:
    outputs = []
    for seed in ("0", "1", "random"):
        out = tmp_path / f"openapi-{seed}.json"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "pvegen", "openapi", str(EMBEDDED), "-o", str(out), "-q"],
            check=True,
            env=env,
            cwd=ROOT,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0] == render(build_document(load_spec(EMBEDDED)).document).encode("utf-8")


# -- the command ----------------------------------------------------------------------------------
def test_cli_writes_the_document_and_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sub" / "openapi.json"
    assert main(["openapi", str(EMBEDDED), "-o", str(out), "--server", "https://pve1.example:8006"]) == 0
    document = json.loads(out.read_text())
    validate(document)
    assert document["servers"] == [{"url": "https://pve1.example:8006/api2/json"}]
    summary = capsys.readouterr().out
    assert summary.startswith(f"{out}: OpenAPI 3.1, ") and "kept only as x-pve-pattern" in summary


@pytest.mark.parametrize("name", ["openapi.yaml", "OPENAPI.YML"])
def test_cli_writes_yaml_that_reads_back_as_the_json_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    as_json, as_yaml = tmp_path / "openapi.json", tmp_path / name
    assert main(["openapi", str(EMBEDDED), "-o", str(as_json), "-q"]) == 0
    assert main(["openapi", str(EMBEDDED), "-o", str(as_yaml), "-q"]) == 0
    text = as_yaml.read_text()
    assert not text.lstrip().startswith("{")  # YAML style, not JSON in a .yaml file
    assert yaml.safe_load(text) == json.loads(as_json.read_text())  # YAML 1.1 words such as "on" stay strings
    assert main(["openapi", str(EMBEDDED), "-o", str(as_yaml), "-q"]) == 0
    assert as_yaml.read_text() == text  # deterministic


@pytest.mark.parametrize(
    ("argv_tail", "message"),
    [
        (["-o", "{tmp}/openapi.json", "--server", "ftp://pve"], "expected an http(s) URL"),
    ],
)
def test_cli_refuses_bad_input_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv_tail: list[str], message: str
) -> None:
    argv = ["openapi", str(EMBEDDED), *(part.format(tmp=tmp_path) for part in argv_tail)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_cli_names_the_file_and_place_of_a_broken_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "pvegen-spec/1", "operations": [{"method": "GET"}]}')
    assert main(["openapi", str(broken), "-o", str(tmp_path / "out.json")]) == 2
    err = capsys.readouterr().err
    assert str(broken) in err and "$" in err
    assert not (tmp_path / "out.json").exists()
