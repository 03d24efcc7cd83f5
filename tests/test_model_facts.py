"""Facts the model derives from a spec once, for the client, the mock and the checker alike."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from pvegen import Spec, load_spec_text
from tests.fixtures_shared import embedded_spec


def _spec(operations: Sequence[Mapping[str, Any]]) -> Spec:
    return load_spec_text(json.dumps({"format": "pvegen-spec/1", "version": "9.1", "operations": operations}))


ROLE_READ: dict[str, Any] = {
    "method": "GET",
    "path": "/access/roles/{roleid}",
    "name": "read_role",
    "parameters": {"roleid": {"type": "string"}},
    "returns": {
        "type": "object",
        "properties": {name: {"type": "boolean", "optional": 1} for name in ("VM.Audit", "VM.Console", "Sys.Audit",
                                                                                 "Sys.Modify", "Datastore.Audit")},
    },
}  # fmt: skip


def test_privileges_come_from_the_role_read_by_shape() -> None:
    assert _spec([ROLE_READ]).privileges == frozenset(
        {"VM.Audit", "VM.Console", "Sys.Audit", "Sys.Modify", "Datastore.Audit"}
    )
    moved = {**ROLE_READ, "path": "/access/role-defs/{id}", "parameters": {"id": {"type": "string"}}}
    assert _spec([moved]).privileges is not None
    assert (
        _spec([{**ROLE_READ, "returns": {"type": "object", "properties": {"digest": {"type": "string"}}}}]).privileges
        is None
    )
    assert embedded_spec().privileges is None  # the embedded spec has no role read


def test_tfa_flow_follows_the_login_call() -> None:
    login: dict[str, Any] = {
        "method": "POST",
        "path": "/access/ticket",
        "name": "login",
        "parameters": {},
        "returns": {},
    }
    assert _spec([]).tfa_flow == "challenge"  # no login call: the current flow
    assert _spec([login]).tfa_flow == "otp"
    challenge = {**login, "parameters": {"tfa-challenge": {"type": "string", "optional": 1}}}
    assert _spec([challenge]).tfa_flow == "challenge-optional"
    always: dict[str, Any] = {
        "new-format": {"type": "boolean", "optional": 1, "default": 1},
        "tfa-challenge": {"type": "string"},
    }
    assert _spec([{**login, "parameters": always}]).tfa_flow == "challenge"
