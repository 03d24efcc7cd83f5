"""Tasks in the runtime: the UPID type, wait_task, TaskFailed/TaskTimeout and the paged task log,
over real HTTP against `pvegen mock` with the runtime tests' client. Tasks that must be seen running
use the mock's task clock (``task_polls=N``: running for exactly N status reads), never wall time."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pvegen import Spec
from pvegen.mock import MockServer

from .fixtures_client import GeneratedClient
from .fixtures_mock import MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MockFactory

VM = 4100
# PVE's own grammar (PVE::Tools::upid_decode), kept here independent of the runtime's copy.
_PVE_UPID = re.compile(
    r"^UPID:([a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):"
    r"([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$"
)


def _tasks(client: GeneratedClient) -> Any:
    return __import__(f"{client.package}._runtime.tasks", fromlist=["UPID"])


class StepClock:
    """A clock that moves only when ``wait_task`` sleeps: its timeouts need no wall time."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _polled_mock_and_client(api: Any, mock_server: MockFactory, spec: Spec, polls: int) -> tuple[MockServer, Any]:
    """A mock whose tasks stay running for ``polls`` status reads, and a client of it."""
    srv = mock_server(spec, task_polls=polls)
    return srv, api.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET)


def _create_vm(pve: Any, vmid: int = VM) -> str:
    upid: str = pve.nodes("pve1").qemu.post(vmid=vmid)
    pve.wait_task(upid, timeout=10, interval=0.01)
    return upid


# -- UPID ---------------------------------------------------------------------------------------------

_NODE = st.from_regex(r"\A[a-zA-Z0-9]([a-zA-Z0-9\-]{0,10}[a-zA-Z0-9])?\Z")
_FIELD = st.text(st.characters(blacklist_characters=":", blacklist_categories=("Z", "C")), min_size=1, max_size=12)


@given(
    node=_NODE,
    pid=st.integers(0, 2**32 - 1),
    pstart=st.integers(0, 2**36 - 1),
    starttime=st.integers(0, 2**32 - 1),
    kind=_FIELD,
    ident=st.one_of(st.just(""), _FIELD, st.just("local:iso/debian.iso")),
    user=_FIELD,
)
def test_upid_round_trips_in_pve_grammar(
    runtime_client: GeneratedClient, node: str, pid: int, pstart: int, starttime: int, kind: str, ident: str, user: str
) -> None:
    if any(ch.isspace() for ch in kind + ident + user):
        return
    UPID = _tasks(runtime_client).UPID
    upid = UPID(node, pid, pstart, starttime, kind, ident, user)
    text = str(upid)
    assert _PVE_UPID.match(text), text
    assert UPID.parse(text) == upid
    assert str(UPID.parse(text)) == text


def test_upid_parses_what_the_mock_writes_with_escaped_colons(
    mock_and_client: tuple[MockServer, Any], runtime_client: GeneratedClient
) -> None:
    srv, pve = mock_and_client
    UPID = _tasks(runtime_client).UPID
    # a task about a volume: PVE writes the ':' of the volume id as \x3a inside the UPID
    started = srv.state.tasks.start("pve1", "imgdel", "local:iso/x.iso", "root@pam!ci")
    parsed = UPID.parse(started.upid)
    assert "\\x3a" in started.upid and parsed.id == "local:iso/x.iso"
    assert (parsed.node, parsed.pid, parsed.pstart, parsed.type, parsed.user) == (
        "pve1", started.ident.pid, started.ident.pstart, "imgdel", "root@pam!ci",
    )  # fmt: skip
    assert str(parsed) == started.upid
    assert pve.task_status(parsed)["upid"] == started.upid  # and the server finds it by it


@pytest.mark.parametrize(
    "text", ["", "UPID:pve1", "UPID:pve1:0000ZZZZ:00000001:00000001:x::u:", "UPID:pve1:1:2:3:x::u:"]
)
def test_upid_rejects_what_pve_rejects(runtime_client: GeneratedClient, text: str) -> None:
    with pytest.raises(ValueError, match="not a UPID"):
        _tasks(runtime_client).UPID.parse(text)


# -- wait_task ----------------------------------------------------------------------------------------


def test_wait_task_returns_the_final_status_after_polling(
    api: Any, mock_server: MockFactory, runtime_spec: Spec
) -> None:
    srv, pve = _polled_mock_and_client(api, mock_server, runtime_spec, polls=2)
    _create_vm(pve)
    srv.requests.clear()
    upid = pve.nodes("pve1").qemu(VM).status.start.post()
    seen: list[tuple[str, list[str]]] = []
    status = pve.wait_task(
        upid, timeout=10, interval=0.001, on_progress=lambda s, lines: seen.append((s["status"], lines))
    )
    assert status["status"] == "stopped" and status["exitstatus"] == "OK" and status["upid"] == upid
    assert [state for state, _ in seen] == ["running", "running", "stopped"]  # it polled while the task ran
    assert [line for _, lines in seen for line in lines][-1] == "TASK OK"
    assert pve.nodes("pve1").qemu(VM).status.current.get()["status"] == "running"
    polls = [r for r in srv.requests.snapshot() if r.path.endswith("/status") and "/tasks/" in r.path]
    assert len(polls) == len(seen)


def test_wait_task_raises_task_failed_with_exit_status_and_log(
    mock_and_client: tuple[MockServer, Any], runtime_client: GeneratedClient
) -> None:
    _, pve = mock_and_client
    _create_vm(pve)
    upid = pve.nodes("pve1").qemu(VM).status.shutdown.post()  # not running: the task fails
    with pytest.raises(_tasks(runtime_client).TaskFailed) as caught:
        pve.wait_task(upid, timeout=10, interval=0.01)
    err = caught.value
    assert err.exitstatus == f"VM {VM} not running"
    assert err.log[-1] == f"TASK ERROR: VM {VM} not running"
    assert str(err.upid) == upid and err.status["status"] == "stopped"
    assert f"VM {VM} not running" in str(err)
    assert isinstance(err, runtime_client.module.ProxmoxError)


def test_wait_task_raises_task_timeout_while_it_runs(
    api: Any, mock_server: MockFactory, runtime_spec: Spec, runtime_client: GeneratedClient
) -> None:
    srv, pve = _polled_mock_and_client(api, mock_server, runtime_spec, polls=1000)
    srv.state.tasks.polls = 0  # the VM is made at once ...
    _create_vm(pve)
    srv.state.tasks.polls = 1000  # ... its start outlasts any wait
    upid = pve.nodes("pve1").qemu(VM).status.start.post()
    tasks, clock = _tasks(runtime_client), StepClock()
    with pytest.raises(tasks.TaskTimeout) as caught:
        tasks.wait_task(pve, upid, timeout=3.0, interval=1.0, clock=clock, sleep=clock.sleep)
    assert caught.value.status["status"] == "running" and str(caught.value.upid) == upid
    assert clock.sleeps == [1.0, 1.0, 1.0] and "after 3 s" in str(caught.value)
    pve.nodes("pve1").tasks(upid).delete()  # stop it, as a caller would
    with pytest.raises(tasks.TaskFailed, match="interrupted by signal"):
        pve.wait_task(upid, timeout=5, interval=0.01)


def test_wait_task_names_an_unknown_task(
    mock_and_client: tuple[MockServer, Any], runtime_client: GeneratedClient
) -> None:
    _, pve = mock_and_client
    with pytest.raises(runtime_client.module.HTTPError, match="no such task"):
        pve.wait_task("UPID:pve1:00001234:00000001:00000001:qmstart:100:root@pam:", timeout=1, interval=0.01)
    with pytest.raises(ValueError, match="not a UPID"):
        pve.wait_task("no-upid", timeout=1)


# -- the task log -------------------------------------------------------------------------------------


def test_task_log_pages_with_start_and_limit(mock_and_client: tuple[MockServer, Any]) -> None:
    srv, pve = mock_and_client
    _create_vm(pve)
    started = srv.state.tasks.start("pve1", "qmstart", str(VM), "root@pam", log=[f"line {i}" for i in range(7)])
    srv.requests.clear()
    lines = list(pve.task_log(started.upid, page=3))
    assert [line.text for line in lines] == [f"line {i}" for i in range(7)] + ["TASK OK"]
    assert [line.n for line in lines] == list(range(1, 9))
    asked = [(r.params.get("start"), r.params.get("limit")) for r in srv.requests.snapshot()]
    assert asked == [("0", "3"), ("3", "3"), ("6", "3")]
    assert [line.text for line in pve.task_log(started.upid, start=6)] == ["line 6", "TASK OK"]


def test_task_status_reads_one_status(mock_and_client: tuple[MockServer, Any]) -> None:
    _, pve = mock_and_client
    upid = _create_vm(pve)
    status: Mapping[str, Any] = pve.task_status(upid)
    assert (status["status"], status["exitstatus"], status["type"], status["id"]) == (
        "stopped",
        "OK",
        "qmcreate",
        str(VM),
    )
