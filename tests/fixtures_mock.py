"""Fixtures for tests that talk HTTP to `pvegen mock` (a real server on 127.0.0.1).

- ``tls_cert``: (certfile, keyfile) of a self-signed certificate for 127.0.0.1/localhost, made
  once per run with the openssl CLI. Pass certfile as ``verify=`` to trust it.
- ``mock_server``: a factory; ``mock_server(spec_or_path, **MockServer kwargs)`` starts a server
  (defaults: token ``root@pam!ci=MOCK_TOKEN_SECRET``, user ``root@pam:MOCK_PASSWORD``) and stops
  it at the end of the test. ``tls=True`` uses ``tls_cert``.
- ``px_mock``: ``px_mock(spec, **kwargs)`` -> (server, proxmoxer client); ``wait_task``/``task_ok``
  poll a task as automation does.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pvegen import Spec
from pvegen.mock import MockServer
from pvegen.mock.tls import make_self_signed

MOCK_TOKEN_ID = "root@pam!ci"
MOCK_TOKEN_SECRET = "0b8d4a34-mock-token-secret"
MOCK_USER = "root@pam"
MOCK_PASSWORD = "mock-password-not-a-secret-elsewhere"

MockFactory = Callable[..., MockServer]


@pytest.fixture(scope="session")
def tls_cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    return make_self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def mock_server(request: pytest.FixtureRequest) -> Iterator[MockFactory]:
    started: list[MockServer] = []

    def start(spec: Spec | str | Path, *, tls: bool | tuple[str, str] | None = None, **kwargs: Any) -> MockServer:
        kwargs.setdefault("tokens", [f"{MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"])
        kwargs.setdefault("users", [f"{MOCK_USER}:{MOCK_PASSWORD}"])
        cert: tuple[str, str] | None = request.getfixturevalue("tls_cert") if tls is True else (tls or None)
        server = MockServer(spec, tls=cert, **kwargs).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


# -- proxmoxer, the client judges and users drive the mock with ---------------------------------
def proxmoxer_api(srv: MockServer, cert: str, **auth: Any) -> Any:
    """A proxmoxer ProxmoxAPI for a TLS mock (default: the mock's API token)."""
    from proxmoxer import ProxmoxAPI  # type: ignore[import-untyped]

    if not auth:
        auth = {"user": MOCK_USER, "token_name": MOCK_TOKEN_ID.partition("!")[2], "token_value": MOCK_TOKEN_SECRET}
    return ProxmoxAPI("127.0.0.1", port=srv.port, verify_ssl=cert, timeout=10, **auth)


def wait_task(px: Any, upid: str, polls: int = 10) -> dict[str, Any]:
    """Poll a task's status as automation does, until it stops. Tests give the mock ``task_polls``, so
    this counts reads, never time."""
    node = upid.split(":")[1]
    for _ in range(polls):
        status: dict[str, Any] = px.nodes(node).tasks(upid).status.get()
        if status["status"] == "stopped":
            return status
    raise AssertionError(f"task {upid} still running after {polls} status reads")


def task_ok(px: Any, upid: str) -> None:
    status = wait_task(px, upid)
    assert status.get("exitstatus") == "OK", status


@pytest.fixture
def px_mock(mock_server: MockFactory, tls_cert: tuple[str, str]) -> Callable[..., tuple[MockServer, Any]]:
    """``px_mock(spec, **MockServer kwargs)``: a TLS mock (tasks run for one status read unless told
    otherwise) and a token-authenticated proxmoxer client for it."""

    def start(spec: Spec | str | Path, **kwargs: Any) -> tuple[MockServer, Any]:
        kwargs.setdefault("task_polls", 1)
        srv = mock_server(spec, tls=True, **kwargs)
        return srv, proxmoxer_api(srv, tls_cert[0])

    return start
