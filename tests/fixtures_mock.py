"""Fixtures for tests that talk HTTP to `pvegen mock` (a real server on 127.0.0.1).

- ``tls_cert``: (certfile, keyfile) of a self-signed certificate for 127.0.0.1/localhost, made
  once per run with the openssl CLI. Pass certfile as ``verify=`` to trust it.
- ``mock_server``: a factory; ``mock_server(spec_or_path, **MockServer kwargs)`` starts a server
  (defaults: token ``root@pam!ci=MOCK_TOKEN_SECRET``, user ``root@pam:MOCK_PASSWORD``) and stops
  it at the end of the test. ``tls=True`` uses ``tls_cert``.
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
