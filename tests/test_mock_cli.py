"""``pvegen mock``: prints its URL first, serves until interrupted, refuses what it cannot do."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from pvegen.mock.tls import fingerprint
from tests.fixtures_shared import EMBEDDED_SPEC

TOKEN = "root@pam!cli=cli-token-value"


@pytest.fixture
def spec_path() -> Path:
    """What the command line serves: the embedded spec, a file every checkout has (the command reads any spec)."""
    return EMBEDDED_SPEC


# `python -m pvegen`, with Ctrl-C as a terminal user has it: a runner started in the background by a shell
# without job control passes SIGINT on as ignored, and Python then never raises KeyboardInterrupt.
_PVEGEN_WITH_CTRL_C = (
    "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "runpy.run_module('pvegen', run_name='__main__', alter_sys=True)"
)


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _PVEGEN_WITH_CTRL_C, "mock", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=None if env is None else {**os.environ, **env},
    )


@pytest.fixture
def running() -> Iterator[list[subprocess.Popen[str]]]:
    processes: list[subprocess.Popen[str]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def test_prints_url_first_and_serves(spec_path: Path, running: list[subprocess.Popen[str]]) -> None:
    process = start(str(spec_path), "--port", "0", "--token", TOKEN, "--task-duration", "0")
    running.append(process)
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:")
    headers = {"Authorization": f"PVEAPIToken={TOKEN}"}
    assert requests.get(f"{url}/api2/json/nodes", headers=headers, timeout=10).json()["data"][0]["node"] == "pve1"
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0


def test_tls_prints_fingerprint_of_the_served_certificate(
    spec_path: Path, running: list[subprocess.Popen[str]]
) -> None:
    process = start(str(spec_path), "--port", "0", "--tls", "--token", TOKEN)
    running.append(process)
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    line = process.stdout.readline().strip()
    assert url.startswith("https://127.0.0.1:")
    shown = line.rsplit(" ", 1)[-1]
    port = int(url.rsplit(":", 1)[1])
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, context.wrap_socket(raw) as tls:
        der = tls.getpeercert(binary_form=True)
    assert der is not None
    digest = hashlib.sha256(der).hexdigest().upper()
    assert shown == ":".join(digest[i : i + 2] for i in range(0, 64, 2))
    process.terminate()  # SIGTERM stops it cleanly too
    assert process.wait(timeout=10) == 0


def test_fingerprint_matches_openssl(tls_cert: tuple[str, str]) -> None:
    result = subprocess.run(
        ["openssl", "x509", "-in", tls_cert[0], "-noout", "-fingerprint", "-sha256"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout.strip().split("=", 1)[1] == fingerprint(tls_cert[0])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--host", "0.0.0.0"], "loopback only"),
        (["--token", "not-a-token"], "USER@REALM!ID=SECRET"),
        (["--user", "nopassword"], "USER@REALM:PASSWORD"),
        (["--cert", "x.pem"], "--cert and --key go together"),
    ],
)
def test_bad_options_are_one_line_errors(spec_path: Path, args: list[str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pvegen", "mock", str(spec_path), "--port", "0", *args],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_missing_spec_is_an_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pvegen", "mock", str(tmp_path / "none.js"), "--port", "0"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "none.js" in result.stderr


SECRET = "cli-secret-kept-out-of-ps"


def test_secrets_from_a_credentials_file_and_the_environment(
    spec_path: Path, tmp_path: Path, running: list[subprocess.Popen[str]]
) -> None:
    credentials = tmp_path / "mock.credentials"
    credentials.write_text(f"# test credentials\ntoken root@pam!file={SECRET}\n\ntotp alice@pve=JBSWY3DPEHPK3PXP\n")
    credentials.chmod(0o600)
    process = start(str(spec_path), "--port", "0", "--credentials", str(credentials),
                    env={"PVEGEN_MOCK_USER": f"bob@pve:{SECRET}\ncarol@pve:two words"})  # fmt: skip
    running.append(process)
    assert process.stdout is not None and process.stderr is not None
    url = process.stdout.readline().strip()
    assert SECRET not in " ".join(process.args)  # type: ignore[arg-type]  # nothing for ps to show
    headers = {"Authorization": f"PVEAPIToken=root@pam!file={SECRET}"}
    assert requests.get(f"{url}/api2/json/version", headers=headers, timeout=10).status_code == 200
    for user, password in (("bob@pve", SECRET), ("carol@pve", "two words")):
        login = requests.post(f"{url}/api2/json/access/ticket", data={"username": user, "password": password},
                              timeout=10)  # fmt: skip
        assert login.status_code == 200, user
    alice = requests.post(f"{url}/api2/json/access/ticket", data={"username": "alice@pve", "password": "x"}, timeout=10)
    assert alice.status_code == 401  # alice has a TOTP secret but no password
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
    stderr = process.stderr.read()
    assert SECRET not in stderr and "visible in ps" not in stderr and "can be read by other users" not in stderr


def test_credentials_file_errors_name_the_line_never_the_secret(spec_path: Path, tmp_path: Path) -> None:
    credentials = tmp_path / "mock.credentials"
    credentials.write_text(f"token root@pam!ok={SECRET}\npassword {SECRET}\n")
    result = subprocess.run(
        [sys.executable, "-m", "pvegen", "mock", str(spec_path), "--port", "0", "--credentials", str(credentials)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert f"{credentials}:2: expected 'token', 'user' or 'totp' and a value" in line and SECRET not in line


def test_request_log_file_and_verbose(spec_path: Path, tmp_path: Path, running: list[subprocess.Popen[str]]) -> None:
    log = tmp_path / "requests.log"
    process = start(str(spec_path), "--port", "0", "--log", str(log), "-v", "--quiet",
                    env={"PVEGEN_MOCK_TOKEN": TOKEN})  # fmt: skip
    running.append(process)
    assert process.stdout is not None and process.stderr is not None
    url = process.stdout.readline().strip()
    headers = {"Authorization": f"PVEAPIToken={TOKEN}"}
    requests.get(f"{url}/api2/json/cluster/resources", headers=headers, params={"type": "vm"}, timeout=10)
    echoed = json.loads(process.stderr.readline())
    seen = (echoed["method"], echoed["path"], echoed["params"], echoed["status"], echoed["source"])
    assert seen == ("GET", "/api2/json/cluster/resources", {"type": "vm"}, 200, "state")
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
    assert [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] == [echoed]


def test_a_client_using_the_wrong_scheme_is_told_on_stderr_once(
    spec_path: Path, running: list[subprocess.Popen[str]]
) -> None:
    """proxmoxer always speaks https: against a plain mock it gets only a TLS error, so the mock says why."""
    process = start(str(spec_path), "--port", "0", env={"PVEGEN_MOCK_TOKEN": TOKEN})
    running.append(process)
    assert process.stdout is not None and process.stderr is not None
    url = process.stdout.readline().strip()
    for _ in range(2):
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(url.replace("http://", "https://") + "/api2/json/version", timeout=10, verify=False)
    headers = {"Authorization": f"PVEAPIToken={TOKEN}"}
    assert requests.get(f"{url}/api2/json/version", headers=headers, timeout=10).status_code == 200  # still serving
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
    notes = [line for line in process.stderr.read().splitlines() if "to this plain-HTTP mock" in line]
    assert notes == [
        "note: a client spoke TLS (https://) to this plain-HTTP mock: start it with --tls, as PVE always serves "
        "HTTPS (proxmoxer and most PVE clients cannot use http://)"
    ]
