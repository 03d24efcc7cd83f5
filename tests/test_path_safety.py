"""Path safety: hostile path values can only ever reach the operation they were bound for.

A generated client calls every operation that needs no body parameter, with each hostile value
in each path position, against `pvegen mock` serving the same spec on 127.0.0.1: the runtime
tests' spec here, the real 9.1 schema's 667 operations in test_path_safety_real.py. Each call either
fails with ValidationError before anything is sent (the mock saw nothing), or the mock saw exactly
one request, routed to the intended (method, template), whose raw path decodes segment by segment
to the values bound. The mock itself is also fed hostile raw paths and must never resolve them to
another route.
"""

from __future__ import annotations

import http.client
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pvegen import Operation, Spec
from pvegen.codegen.plan import ResourcePlan, plan_package
from pvegen.mock import MockServer
from pvegen.mock.fake import rng_for, sample

from .fixtures_client import GeneratedClient
from .fixtures_mock import MOCK_TOKEN_ID, MOCK_TOKEN_SECRET

API = "/api2/json"
NODE = "pve1"

# Values that try to leave their segment: traversal, encoded traversal, query and fragment
# starters, NUL, slashes, unicode, CR/LF, percent signs, very long text.
HOSTILE: list[Any] = [
    "../access",
    "../../access/users",
    "..%2f..%2faccess",
    "%2e%2e",
    "%2E%2E%2Faccess",
    ".%2e",
    "?x=1",
    "a?b=c&d=e",
    "#frag",
    "a#/access/users",
    "a\x00b",
    "\x00",
    "/",
    "a/b",
    "//",
    "ünïcødé ✓ 漢",
    "🚀",
    "\r\nX-Injected: 1",
    "%",
    "%%32%65",
    "%252e%252e",
    "\\..\\access",
    "..;/access",
    "a;b=c",
    "local:iso/../../x.iso",
    " ",
    "+",
    "~",
    "x" * 4000,
    "100/../..",
    " 100",
    "-1",
    10**30,
]
# "." and ".." are dot segments (RFC 3986): URL normalisers remove them, so the request climbs the
# tree. See test_dot_segments_never_climb_the_tree.
DOT_SEGMENTS = [".", ".."]


@dataclass
class Tally:
    refused: int = 0  # ValidationError, nothing sent
    routed: int = 0  # reached the intended operation with the values intact
    operations: int = 0
    skipped: int = 0  # operations whose valid baseline the client refuses (no position to test)


@dataclass
class Target:
    spec: Spec
    module: Any  # the generated package
    root: ResourcePlan  # how the generator named its resources
    minimum: Tally  # what the hostile sweep must at least reach, so its checks are not vacuous


# operations exercised, routed and refused values at least; skipped operations at most (the real 9.1 schema's
# minimum is in test_path_safety_real.py)
MINIMUM = Tally(refused=1200, routed=150, operations=28, skipped=2)


def make_target(spec: Spec, generated: GeneratedClient, minimum: Tally) -> Target:
    return Target(spec, generated.module, plan_package(spec, generated.package).root, minimum)


def mock_for(spec: Spec) -> MockServer:
    """The mock serving ``spec`` (use as a context manager): tasks end at once, the test token is accepted."""
    return MockServer(spec, tokens=[f"{MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"], task_duration=0.0)


def client_for(module: Any, server: MockServer) -> Any:
    return module.ProxmoxVE(server.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET)


@pytest.fixture(scope="module")
def target(runtime_spec: Spec, runtime_client: GeneratedClient) -> Target:
    """The runtime tests' spec with its generated client (test_path_safety_real.py: the real 9.1 schema's)."""
    return make_target(runtime_spec, runtime_client, MINIMUM)


@pytest.fixture(scope="module")
def spec91(target: Target) -> Spec:
    return target.spec


@pytest.fixture(scope="module")
def client_module(target: Target) -> Any:
    return target.module


@pytest.fixture(scope="module")
def server(spec91: Spec) -> Iterator[MockServer]:
    with mock_for(spec91) as srv:
        yield srv


@pytest.fixture(scope="module")
def client(client_module: Any, server: MockServer) -> Any:
    return client_for(client_module, server)


def _is_placeholder(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def _verb(client: Any, root: ResourcePlan, op: Operation, values: list[Any]) -> Callable[..., Any]:
    """The bound verb method for ``op`` with ``values`` in its placeholders, walked like a user would:
    attributes for literal segments (named as the generator named them), calls for placeholders."""
    resource, node, bound = client, root, iter(values)
    for segment in op.path.strip("/").split("/"):
        if _is_placeholder(segment):
            assert node.item is not None, op.path
            resource, node = resource(next(bound)), node.item
        else:
            attr, node = next((a, child) for a, child in node.children if child.segments[-1] == segment)
            resource = getattr(resource, attr)
    verb: Callable[..., Any] = getattr(resource, op.method.lower())
    assert getattr(type(resource), f"_op_{op.method.lower()}").path == op.path
    return verb


def _baseline(op: Operation) -> list[Any]:
    """Valid values for every placeholder: the mock's node, else schema-valid sample data."""
    values: list[Any] = []
    for name in op.path_parameters:
        schema = op.parameters.get(name)
        if name in ("node", "node_id"):
            values.append(NODE)
        elif schema is None:
            values.append("x")
        else:
            values.append(sample(schema, rng_for(0, op.path, name)))
    return values


def _needs_only_path_values(op: Operation) -> bool:
    return bool(op.path_parameters) and all(
        not schema.required for name, schema in op.parameters.items() if name not in op.path_parameters
    )


def _call(verb: Callable[[], Any], errors: Any) -> str:
    """ "refused" (ValidationError), "sent" (an answer, good or an HTTP error); anything else raises."""
    try:
        verb()
    except errors.ValidationError:
        return "refused"
    except errors.HTTPError:
        return "sent"
    return "sent"


def _check_routed(server: MockServer, op: Operation, values: list[Any]) -> str | None:
    """None when the mock saw exactly one request for ``op`` carrying ``values``; else what went wrong."""
    seen = server.requests.snapshot()
    if len(seen) != 1:
        return f"{len(seen)} requests: {[(r.method, r.raw_path[:120]) for r in seen]}"
    request = seen[0]
    if (request.method, request.operation) != (op.method, (op.method, op.path)):
        return f"routed to {request.operation} via {request.raw_path[:120]!r}"
    raw = request.raw_path.partition("?")[0]
    if not raw.startswith(API + "/"):
        return f"left the API prefix: {raw[:120]!r}"
    sent = raw[len(API) + 1 :].split("/")
    template = op.path.strip("/").split("/")
    if len(sent) != len(template):
        return f"segments {sent[:12]} do not match {template}"
    bound = iter(values)
    for got, want in zip(sent, template, strict=True):
        expected = str(next(bound)) if _is_placeholder(want) else want
        decoded = unquote(got, errors="strict")
        if decoded != expected:
            return f"segment {got[:60]!r} decodes to something other than {expected[:60]!r}"
        if decoded in DOT_SEGMENTS:  # RFC 3986 normalisers (proxies, servers) resolve these: "up"
            return f"dot segment {got!r} on the wire"
    return None


def _exercise(
    client: Any, errors: Any, root: ResourcePlan, server: MockServer, ops: list[Operation], hostile: list[Any]
) -> tuple[Tally, list[str]]:
    tally, failures = Tally(), []
    for op in ops:
        baseline = _baseline(op)
        server.requests.clear()
        if _call(_verb(client, root, op, baseline), errors) == "refused":
            tally.skipped += 1  # the client's own format checks refuse the sample value
            continue
        tally.operations += 1
        for position in range(len(baseline)):
            for value in hostile:
                values = [*baseline[:position], value, *baseline[position + 1 :]]
                server.requests.clear()
                outcome = _call(_verb(client, root, op, values), errors)
                if outcome == "refused":
                    if server.requests.snapshot():
                        failures.append(f"{op.method} {op.path} {value!r:.40}: refused but sent")
                    tally.refused += 1
                    continue
                problem = _check_routed(server, op, values)
                if problem is not None:
                    failures.append(f"{op.method} {op.path} [{position}]={value!r:.40}: {problem}")
                tally.routed += 1
    return tally, failures


def assert_hostile_values_reach_only_the_intended_operation(target: Target, client: Any, server: MockServer) -> None:
    ops = [op for op in target.spec.operations if _needs_only_path_values(op)]
    tally, failures = _exercise(client, target.module, target.root, server, ops, HOSTILE)
    assert failures == []
    # Both outcomes really happen (so the checks above are not vacuous): plain-string placeholders
    # (volume, upid, zone, ...) carry hostile values to the server, formatted ones are refused.
    least = target.minimum
    assert tally.operations >= least.operations and tally.skipped <= least.skipped, tally
    assert tally.routed >= least.routed and tally.refused >= least.refused, tally


def test_hostile_path_values_reach_only_the_intended_operation(target: Target, client: Any, server: MockServer) -> None:
    assert_hostile_values_reach_only_the_intended_operation(target, client, server)


def test_a_volume_id_keeps_its_colon_and_slashes(client: Any, server: MockServer) -> None:
    server.requests.clear()
    volume = "local:iso/../../etc/x.iso"
    with pytest.raises(Exception) as info:  # the mock has no such volume: HTTP 500, after routing
        client.nodes(NODE).storage("local").content(volume).delete()
    assert "does not exist" in str(info.value)
    (request,) = server.requests.snapshot()
    assert request.raw_path == f"{API}/nodes/{NODE}/storage/local/content/local%3Aiso%2F..%2F..%2Fetc%2Fx.iso"
    assert request.operation == ("DELETE", "/nodes/{node}/storage/{storage}/content/{volume}")


def test_a_path_value_too_long_for_the_server_reaches_nothing(
    client: Any, client_module: Any, server: MockServer
) -> None:
    server.requests.clear()
    with pytest.raises(client_module.HTTPError) as info:
        client.nodes(NODE).tasks("u" * 70_000).status.get()
    assert info.value.status == 414  # the request line is refused before any routing
    assert server.requests.snapshot() == []
    assert len(str(info.value)) < 400 and "more characters" in str(info.value)  # the message stays readable
    assert len(info.value.path) > 70_000  # the attribute keeps the whole path


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(min_size=1, max_size=40).filter(lambda v: v not in DOT_SEGMENTS))
def test_any_text_as_a_task_id_reaches_the_task_status_call(
    value: str, spec91: Spec, client: Any, client_module: Any, server: MockServer
) -> None:
    op = spec91.operation("GET", "/nodes/{node}/tasks/{upid}/status")
    server.requests.clear()
    assert op is not None
    assert _call(client.nodes(NODE).tasks(value).status.get, client_module) == "sent"
    assert _check_routed(server, op, [NODE, value]) is None


def assert_dot_segments_never_climb_the_tree(value: str, target: Target, client: Any, server: MockServer) -> None:
    ops = [op for op in target.spec.operations if _needs_only_path_values(op)]
    tally, failures = _exercise(client, target.module, target.root, server, ops, [value])
    assert tally.routed + tally.refused >= len(ops) - tally.skipped  # every position of every operation
    assert failures == []


@pytest.mark.parametrize("value", DOT_SEGMENTS)
def test_dot_segments_never_climb_the_tree(value: str, target: Target, client: Any, server: MockServer) -> None:
    assert_dot_segments_never_climb_the_tree(value, target, client, server)


def test_unencodable_path_value_is_a_validation_error(client: Any, client_module: Any, server: MockServer) -> None:
    server.requests.clear()
    with pytest.raises(client_module.ValidationError):
        client.nodes(NODE).tasks("bad\ud800").status.get()
    assert server.requests.snapshot() == []


# -- the mock's own routing -----------------------------------------------------------------------

TASK_STATUS = ("GET", "/nodes/{node}/tasks/{upid}/status")
VOLUME = ("DELETE", "/nodes/{node}/storage/{storage}/content/{volume}")
USER = ("GET", "/access/users/{userid}")

# (method, raw path as sent, the operation it must reach or None for "no route", decoded placeholder)
RAW_PATHS: list[tuple[str, str, tuple[str, str] | None, str | None]] = [
    ("GET", "/nodes/pve1/../../access/users", None, None),
    ("GET", "/nodes/%2e%2e/access/users", None, None),
    ("GET", "/access/users/..", USER, ".."),  # a placeholder's value (refused by its format), not "up"
    ("GET", "/access/users/.", USER, "."),
    ("GET", "/nodes/pve1/./status", None, None),
    ("GET", "/nodes/pve1/qemu%2F100/status/current", None, None),  # an encoded "/" never splits
    ("GET", "/nodes/pve1/tasks/..%2Fstatus/status", TASK_STATUS, "../status"),
    ("GET", "/nodes/pve1/tasks/%2E%2E/status", TASK_STATUS, ".."),
    ("GET", "/nodes/pve1/tasks/%252e%252e/status", TASK_STATUS, "%2e%2e"),  # decoded once only
    ("GET", "/nodes/pve1/tasks/a%3Fx%3D1/status", TASK_STATUS, "a?x=1"),
    ("GET", "/nodes/pve1/tasks/a%23b/status", TASK_STATUS, "a#b"),
    ("GET", "/nodes/pve1/tasks/a%00b/status", TASK_STATUS, "a\x00b"),
    ("GET", "/nodes/pve1/tasks/%C3%BC%E2%9C%93/status", TASK_STATUS, "ü✓"),
    ("GET", "/nodes/pve1/tasks/%0D%0AX-Injected:%201/status", TASK_STATUS, "\r\nX-Injected: 1"),
    ("GET", "/nodes/pve1/tasks/" + "y" * 8000 + "/status", TASK_STATUS, "y" * 8000),
    ("DELETE", "/nodes/pve1/storage/local/content/local%3Aiso%2F..%2F..%2Fx.iso", VOLUME, "local:iso/../../x.iso"),
    ("GET", "/nodes/pve1/tasks/x/status?upid=other", TASK_STATUS, "x"),
]


def _raw_request(server: MockServer, method: str, target: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.putrequest(method, target, skip_host=False, skip_accept_encoding=True)
        connection.putheader("Authorization", f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}")
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@pytest.mark.parametrize(("method", "raw", "operation", "value"), RAW_PATHS, ids=[r[1][:48] for r in RAW_PATHS])
def test_mock_never_resolves_hostile_raw_paths_to_another_route(
    server: MockServer, method: str, raw: str, operation: tuple[str, str] | None, value: str | None
) -> None:
    server.requests.clear()
    status = _raw_request(server, method, API + raw)
    (request,) = server.requests.snapshot()
    assert request.raw_path == API + raw  # recorded as sent
    assert request.operation == operation
    if operation is None:
        assert status == 501
        return
    assert status != 501
    sent = raw.partition("?")[0].strip("/").split("/")
    template = operation[1].strip("/").split("/")
    decoded = [unquote(s) for s, t in zip(sent, template, strict=True) if t.startswith("{")]
    assert decoded[-1] == value


def test_mock_routing_survives_random_raw_segments(server: MockServer) -> None:
    """Random percent-encoded bytes in the task id never reach anything but the task status call."""
    rng = random.Random(7)
    for _ in range(200):
        segment = "".join(rng.choice(["%2e", "%2E", ".", "%2f", "%2F", "%00", "%3f", "%23", "a", "%25", "%ff"])
                          for _ in range(rng.randint(1, 6)))  # fmt: skip
        if segment in (".", ".."):
            continue
        server.requests.clear()
        _raw_request(server, "GET", f"{API}/nodes/pve1/tasks/{segment}/status")
        (request,) = server.requests.snapshot()
        assert request.operation == TASK_STATUS, segment
