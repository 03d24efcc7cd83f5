"""vcrpy cassettes of the seed workflow, recorded against the mock, and proof that they still describe it.

Every test runs its workflow against a live mock (so a broken mock fails here: the assertions read
live answers) while vcrpy records it into a fresh cassette, and then compares that recording with the
committed one in tests/cassettes (UPID start times, task times, ports and secrets aside). A difference
means the mock's answers changed: re-record with ``make cassettes`` and review the diff.
``test_cassettes_replay_offline`` replays the committed cassettes with no server at all, as a user's
tests would.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
import vcr  # type: ignore[import-untyped]
import yaml

from pvegen import load_spec
from tests.fixtures_mock import MOCK_PASSWORD, MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MOCK_USER, MockFactory

CASSETTES = Path(__file__).resolve().parent / "cassettes"
RECORDING = os.environ.get("PVEGEN_RECORD_CASSETTES") == "1"
REPLAY_URL = "http://127.0.0.1:8006"  # never contacted: replay answers from the cassette
FILTERED = "**filtered**"
_SECRET_KEYS = ("ticket", "CSRFPreventionToken")


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """Blank ticket and CSRF values in bodies, and drop cookies the server might set."""
    response["headers"] = {k: v for k, v in response["headers"].items() if k.lower() != "set-cookie"}
    body = response["body"].get("string", b"")
    if body:
        try:
            payload = json.loads(body)
        except ValueError:
            return response
        data = payload.get("data") if isinstance(payload, dict) else None
        if isinstance(data, dict):
            for key in _SECRET_KEYS:
                if key in data:
                    data[key] = FILTERED
            response["body"]["string"] = json.dumps(payload).encode()
    return response


def _vcr(record_mode: str) -> vcr.VCR:
    return vcr.VCR(
        record_mode=record_mode,
        match_on=["method", "path", "query"],
        filter_headers=["authorization", "cookie", "csrfpreventiontoken"],
        filter_post_data_parameters=["password", "otp", "tfa-challenge"],
        before_record_response=_scrub_response,
        decode_compressed_response=True,
    )


recorder, replayer = _vcr("all"), _vcr("none")


# Recorded against our own embedded spec (it covers the whole seed workflow), so nothing derived
# from the Proxmox schemas in ../shared is committed.
EMBEDDED_SPEC = Path(__file__).resolve().parents[1] / "spec" / "proxmox-ve.json"


def _token_session() -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"
    return session


def _wait(session: requests.Session, base: str, upid: str) -> dict[str, Any]:
    encoded = urllib.parse.quote(upid, safe="")
    status: dict[str, Any] = session.get(f"{base}/nodes/pve1/tasks/{encoded}/status", timeout=10).json()["data"]
    return status


def _workflow(session: requests.Session, base: str) -> None:
    assert [n["node"] for n in session.get(f"{base}/nodes", timeout=10).json()["data"]] == ["pve1"]
    vmid = session.get(f"{base}/cluster/nextid", timeout=10).json()["data"]
    assert vmid == "100"
    upid = session.post(f"{base}/nodes/pve1/qemu", data={"vmid": vmid, "name": "tape"}, timeout=10).json()["data"]
    assert _wait(session, base, upid)["exitstatus"] == "OK"
    upid = session.post(f"{base}/nodes/pve1/qemu/{vmid}/status/start", timeout=10).json()["data"]
    assert _wait(session, base, upid)["exitstatus"] == "OK"
    status = session.get(f"{base}/nodes/pve1/qemu/{vmid}/status/current", timeout=10).json()["data"]
    assert status["status"] == "running"
    upid = session.post(f"{base}/nodes/pve1/qemu/{vmid}/status/stop", timeout=10).json()["data"]
    assert _wait(session, base, upid)["exitstatus"] == "OK"
    upid = session.delete(f"{base}/nodes/pve1/qemu/{vmid}", timeout=10).json()["data"]
    assert _wait(session, base, upid)["exitstatus"] == "OK"
    assert session.get(f"{base}/nodes/pve1/qemu", timeout=10).json()["data"] == []


def _with_token(base: str) -> None:
    _workflow(_token_session(), base)


def _with_ticket(base: str) -> None:
    session = requests.Session()
    login = session.post(f"{base}/access/ticket", data={"username": MOCK_USER, "password": MOCK_PASSWORD}, timeout=10)
    assert login.status_code == 200
    data = login.json()["data"]
    session.cookies.set("PVEAuthCookie", data["ticket"])
    session.headers["CSRFPreventionToken"] = data["CSRFPreventionToken"]
    _workflow(session, base)


def _bad_calls(base: str) -> None:
    session = _token_session()
    bad = session.post(f"{base}/nodes/pve1/qemu", data={"vmid": "12"}, timeout=10)
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"vmid": "value must have a minimum value of 100"}
    assert session.get(f"{base}/nodes/pve1/nosuchthing", timeout=10).status_code == 501
    plain = requests.Session()
    login = plain.post(f"{base}/access/ticket", data={"username": MOCK_USER, "password": MOCK_PASSWORD}, timeout=10)
    plain.cookies.set("PVEAuthCookie", login.json()["data"]["ticket"])
    no_csrf = plain.post(f"{base}/access/users", data={"userid": "nocsrf@pve"}, timeout=10)
    assert (no_csrf.status_code, no_csrf.content) == (401, b"")


WORKFLOWS: dict[str, Callable[[str], None]] = {
    "seed_workflow_token.yaml": _with_token,
    "seed_workflow_ticket.yaml": _with_ticket,
    "bad_calls.yaml": _bad_calls,
}


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_recording_against_the_mock_matches_the_cassette(name: str, mock_server: MockFactory, tmp_path: Path) -> None:
    srv = mock_server(load_spec(EMBEDDED_SPEC))
    target = CASSETTES / name if RECORDING else tmp_path / name
    if RECORDING:
        target.unlink(missing_ok=True)
    with recorder.use_cassette(str(target)):
        WORKFLOWS[name](srv.url + "/api2/json")  # assertions read the live mock's answers
    fresh, committed = _interactions(target), _interactions(CASSETTES / name)
    assert fresh == committed, f"the mock no longer answers as {name} recorded: re-record with `make cassettes`"


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_cassettes_replay_offline(name: str) -> None:
    if not (CASSETTES / name).is_file():
        pytest.fail(f"tests/cassettes/{name} is missing: re-record with `make cassettes`")
    with replayer.use_cassette(str(CASSETTES / name)):
        WORKFLOWS[name](REPLAY_URL + "/api2/json")


# What differs between two recordings of the same workflow: task start times (inside UPIDs too),
# clocks, the port. Everything else must be equal.
_UPID_TIME = re.compile(r"(UPID:[^:]+:[0-9A-F]{8}:[0-9A-F]{8,9}:)[0-9A-F]{8}:")
_CLOCKS = frozenset({"starttime", "endtime", "uptime", "ctime", "snaptime", "time"})


def _normal(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: ("<clock>" if k in _CLOCKS else _normal(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, str):
        return _UPID_TIME.sub(r"\1<time>:", value)
    return value


def _interactions(path: Path) -> list[tuple[Any, ...]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out: list[tuple[Any, ...]] = []
    for item in data["interactions"]:
        request, response = item["request"], item["response"]
        split = urllib.parse.urlsplit(item["request"]["uri"])
        where = _normal(urllib.parse.unquote(split.path) + ("?" + split.query if split.query else ""))
        text = response["body"].get("string") or ""
        body = _normal(json.loads(text)) if text else ""
        out.append((request["method"], where, request["body"], response["status"]["code"], body))
    return out


# Every form a secret of these tests could take in a cassette.
SECRET_PATTERNS = [
    re.escape(MOCK_PASSWORD),
    re.escape(MOCK_TOKEN_SECRET),
    r"PVEAPIToken",
    r"PVEAuthCookie",
    r"PVE:[^:\s'\"]+@[^:\s'\"]+:[0-9A-F]{8}::",  # a ticket
    r"\b[0-9A-F]{8}:[A-Za-z0-9+/]{43}=",  # a CSRF prevention token
]


def test_no_secret_in_any_cassette() -> None:
    files = sorted(CASSETTES.glob("*.yaml"))
    assert len(files) >= 3
    for path in files:
        text = path.read_text(encoding="utf-8")
        for pattern in SECRET_PATTERNS:
            assert re.search(pattern, text) is None, f"{path.name} holds a secret ({pattern})"
        assert FILTERED in text or "ticket" not in text


def test_secret_patterns_catch_real_values(mock_server: MockFactory) -> None:
    """The scan above would notice an unfiltered login: check its patterns on a real one."""
    srv = mock_server(load_spec(EMBEDDED_SPEC))
    data = requests.post(f"{srv.url}/api2/json/access/ticket", data={"username": MOCK_USER, "password": MOCK_PASSWORD},
                         timeout=10).json()["data"]  # fmt: skip
    raw = json.dumps(data) + f" Authorization: PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"
    raw += f" Cookie: PVEAuthCookie={data['ticket']}"
    for pattern in SECRET_PATTERNS[2:]:
        assert re.search(pattern, raw), pattern
