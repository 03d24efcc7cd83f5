"""Run schemathesis (a fuzzer we did not write) against `pvegen openapi` and `pvegen mock`.

``run_schemathesis(spec, workdir, ...)`` exports SPEC, starts a fresh mock of the same spec in this
process, gives it a few objects to talk about (a VM, a container, a task, a group), and runs the
schemathesis CLI as a user would: the exported file, the mock's URL, an API token (or a ticket
for releases that predate tokens). Path parameters that name existing objects are pinned to those
objects through schemathesis' own config file, so requests reach the mock's real handlers instead
of PVE's 500 "does not exist"; everything else is generated from the export.

The result counts what schemathesis counted (operations, test cases = requests, failures) and keeps
every failure with its request and answer, so a test can say exactly what went wrong.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from pvegen import Spec
from pvegen.mock import MockServer
from pvegen.openapi import build_document, render
from tests.fixtures_mock import MOCK_PASSWORD, MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MOCK_USER

# What "no response breaks the exported schema" means, as schemathesis checks it.
SCHEMA_CHECKS = ("status_code_conformance", "content_type_conformance", "response_schema_conformance")
# Reads must not fail at all. Writes may meet PVE's own 500s (a second delete of the same object, a
# create of one that exists): for them the answer only has to be what the export documents.
READ_CHECKS = ("not_a_server_error", *SCHEMA_CHECKS)
NODE = "pve1"
# Away from the boundaries (100) that generators try first, so a generated create does not collide.
QEMU_VMID = 4242
LXC_VMID = 4243
GROUP = "openapi-testers"
POOL = "openapi-pool"
SNAPSHOT = "openapi-snap"


@dataclass
class Failure:
    operation: str  # "GET /nodes/{node}/qemu"
    check: str  # schemathesis' title, e.g. "Server error"
    request: str  # method and URL as sent
    status: int | None
    answer: str  # the body (cut)
    message: str


@dataclass
class FuzzResult:
    operations: int
    test_cases: int
    failures: list[Failure] = field(default_factory=list)
    rejected: int = 0  # schema-valid requests the mock answered with 4xx
    server_errors: int = 0  # answers with status 500 (failures only where READ_CHECKS apply)
    output: str = ""

    def failed_operations(self) -> set[str]:
        return {failure.operation for failure in self.failures}


def _auth_headers(server: MockServer, token: bool) -> dict[str, str]:
    if token:
        return {"Authorization": f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"}
    login = requests.post(
        f"{server.url}/api2/json/access/ticket", data={"username": MOCK_USER, "password": MOCK_PASSWORD}, timeout=10
    )
    login.raise_for_status()
    data = login.json()["data"]
    return {"Cookie": f"PVEAuthCookie={data['ticket']}", "CSRFPreventionToken": data["CSRFPreventionToken"]}


def _seed(server: MockServer, headers: dict[str, str]) -> dict[str, Any]:
    """Objects that pinned path parameters point at; returns the schemathesis parameters."""
    base = f"{server.url}/api2/json"

    def call(method: str, path: str, **data: Any) -> Any:
        answer = requests.request(method, base + path, data=data, headers=headers, timeout=10)
        answer.raise_for_status()
        return answer.json()["data"]

    operations = server.spec
    parameters: dict[str, Any] = {"path.node": NODE, "query.node": NODE, "path.storage": "local", "path.iface": "vmbr0"}
    parameters["path.userid"] = MOCK_USER
    parameters["path.realm"] = "pam"
    parameters["path.roleid"] = "PVEAdmin"
    if operations.operation("POST", "/access/groups") is not None:
        call("POST", "/access/groups", groupid=GROUP)
        parameters["path.groupid"] = GROUP
    parameters["path.volume"] = "local:iso/debian-12.7.0-amd64-netinst.iso"
    if operations.operation("POST", "/nodes/{node}/qemu") is not None:
        parameters["path.upid"] = call("POST", f"/nodes/{NODE}/qemu", vmid=QEMU_VMID)
    if operations.operation("POST", "/nodes/{node}/lxc") is not None:
        call(
            "POST",
            f"/nodes/{NODE}/lxc",
            vmid=LXC_VMID,
            ostemplate="local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
            rootfs="local-lvm:1",  # the default root disk would go to 'local', which holds no containers (as on PVE)
        )
    # pools and snapshots are state too: a made-up name gets PVE's 500 "... does not exist"
    if operations.operation("POST", "/pools") is not None:
        call("POST", "/pools", poolid=POOL)
        parameters["path.poolid"] = parameters["query.poolid"] = POOL
    for kind, vmid in (("qemu", QEMU_VMID), ("lxc", LXC_VMID)):
        if operations.operation("POST", f"/nodes/{{node}}/{kind}/{{vmid}}/snapshot") is not None:
            call("POST", f"/nodes/{NODE}/{kind}/{vmid}/snapshot", snapname=SNAPSHOT)
            parameters["path.snapname"] = SNAPSHOT
    return parameters


def _config(parameters: dict[str, Any]) -> str:
    lines = ["[parameters]"]
    lines += [f"{json.dumps(key)} = {json.dumps(value)}" for key, value in parameters.items()]
    for kind, vmid in (("qemu", QEMU_VMID), ("lxc", LXC_VMID)):
        lines += ["", "[[operations]]", f'include-path-regex = "/{kind}/\\\\{{vmid\\\\}}"']
        lines += [f'parameters = {{ "path.vmid" = {vmid} }}']
    return "\n".join(lines) + "\n"


def schemathesis_command() -> list[str]:
    script = Path(sys.executable).parent / "schemathesis"
    return [str(script)] if script.exists() else [sys.executable, "-m", "schemathesis.cli"]


def run_schemathesis(
    spec: Spec,
    workdir: Path,
    *,
    methods: tuple[str, ...] = ("GET",),
    examples: int = 3,
    include_paths: tuple[str, ...] = (),
    seed: int = 1,
    phases: str = "fuzzing",
    checks: tuple[str, ...] = READ_CHECKS,
) -> FuzzResult:
    """Export ``spec``, serve it from a fresh mock, run schemathesis; the mock stops afterwards."""
    export = build_document(spec)
    schema_file = workdir / "openapi.json"
    schema_file.write_text(render(export.document), encoding="utf-8")
    token = "PVEAPIToken" in export.document["components"]["securitySchemes"]
    server = MockServer(
        spec, tokens=[f"{MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"], users=[f"{MOCK_USER}:{MOCK_PASSWORD}"]
    ).start()
    try:
        headers = _auth_headers(server, token)
        (workdir / "schemathesis.toml").write_text(_config(_seed(server, headers)), encoding="utf-8")
        report = workdir / "report.json"
        events = workdir / "events.ndjson"
        command = [*schemathesis_command(), "run", str(schema_file), "--url", f"{server.url}/api2/json"]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        command += ["--checks", ",".join(checks), "--mode", "positive", "--phases", phases]
        command += ["-n", str(examples), "--seed", str(seed), "--no-shrink", "--workers", "1"]
        command += ["--report", "json,ndjson", "--report-json-path", str(report), "--report-ndjson-path", str(events)]
        for method in methods:
            command += ["--include-method", method]
        for path in include_paths:
            command += ["--include-path", path]
        env = {name: value for name, value in os.environ.items() if name != "SCHEMATHESIS_HOOKS"}
        env["NO_COLOR"] = "1"  # plain text output; no hooks module of anybody's
        done = subprocess.run(command, cwd=workdir, capture_output=True, text=True, env=env, timeout=900, check=False)
    finally:
        server.stop()
    if not report.exists():
        raise AssertionError(f"schemathesis did not run: {done.stdout[-2000:]}{done.stderr[-2000:]}")
    summary = json.loads(report.read_text(encoding="utf-8"))
    result = FuzzResult(summary["operations"]["tested"], summary["test_cases"]["generated"], output=done.stdout)
    result.rejected = sum(rate.get("rejected", 0) for per in summary["valid_rates"].values() for rate in per.values())
    result.failures = _failures(events)
    result.server_errors = _count_status(events, 500)
    return result


def _count_status(events: Path, status: int) -> int:
    seen: set[str] = set()
    for line in events.read_text(encoding="utf-8").splitlines() if events.exists() else ():
        recorder = (json.loads(line).get("ScenarioFinished") or {}).get("recorder") or {}
        for case_id, exchange in (recorder.get("interactions") or {}).items():
            if ((exchange or {}).get("response") or {}).get("status_code") == status:
                seen.add(case_id)
    return len(seen)


def _failures(events: Path) -> list[Failure]:
    """Every failed check in the NDJSON event stream, with the request and answer that failed it."""
    found: dict[tuple[str, str], Failure] = {}
    if not events.exists():
        return []
    for line in events.read_text(encoding="utf-8").splitlines():
        finished = json.loads(line).get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished.get("recorder") or {}
        interactions = recorder.get("interactions") or {}
        for case_id, checks in (recorder.get("checks") or {}).items():
            for check in checks:
                if check.get("status") != "failure":
                    continue
                failure = (check.get("failure_info") or {}).get("failure") or {}
                exchange = interactions.get(case_id) or {}
                request, response = exchange.get("request") or {}, exchange.get("response") or {}
                found[(case_id, check["name"])] = Failure(
                    operation=str(failure.get("operation", recorder.get("label", ""))),
                    check=str(failure.get("title", check["name"])),
                    request=f"{request.get('method', '')} {request.get('uri', '')}",
                    status=response.get("status_code"),
                    answer=_body(response.get("content"))[:400],
                    message=str(failure.get("message", ""))[:600],
                )
    return list(found.values())


def _body(content: Any) -> str:
    if isinstance(content, dict) and "$base64" in content:
        return base64.b64decode(content["$base64"]).decode("utf-8", "replace")
    return "" if content is None else str(content)
