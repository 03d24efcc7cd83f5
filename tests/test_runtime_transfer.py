"""Uploads and downloads in the runtime: streamed multipart uploads (path or file object) and
streamed downloads, against `pvegen mock` over real HTTP; a sparse upload (512 MiB; 3 GiB in make fuzz) to a streaming
sink on loopback, with the uploading process's peak RSS measured."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import requests

from pvegen import Spec
from pvegen.mock import MockServer

from .fixtures_client import GeneratedClient, Sleeps
from .fixtures_mock import MOCK_PASSWORD, MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MOCK_USER, MockFactory

GIB = 2**30


def _volumes(pve: Any, content: str) -> dict[str, int]:
    rows = pve.nodes("pve1").storage("local").content.get(content=content)
    return {row["volid"]: row["size"] for row in rows}


# -- uploads against the mock ---------------------------------------------------------------------------


def test_upload_from_a_path_streams_the_file_and_returns_the_task(
    mock_and_client: tuple[MockServer, Any], tmp_path: Path
) -> None:
    srv, pve = mock_and_client
    iso = tmp_path / "debian-13.iso"
    iso.write_bytes(os.urandom(3 * 2**20 + 17))
    upid = pve.upload("pve1", "local", iso, content="iso")
    status = pve.wait_task(upid, timeout=10, interval=0.01)
    assert status["exitstatus"] == "OK" and status["type"] == "imgcopy"
    assert _volumes(pve, "iso")["local:iso/debian-13.iso"] == iso.stat().st_size
    (request,) = [r for r in srv.requests.snapshot() if r.path.endswith("/upload")]
    assert request.method == "POST" and request.params["content"] == "iso"
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert "transfer-encoding" not in request.headers  # an exact Content-Length, as PVE's proxy wants
    assert request.auth is not None


def test_upload_from_a_file_object_with_checksum(mock_and_client: tuple[MockServer, Any], tmp_path: Path) -> None:
    srv, pve = mock_and_client
    data = b"template-bytes" * 5000
    upid = pve.upload(
        "pve1",
        "local",
        io.BytesIO(data),
        content="vztmpl",
        filename="debian-13-standard.tar.zst",
        checksum=hashlib.sha256(data).hexdigest(),
        checksum_algorithm="sha256",
    )
    pve.wait_task(upid, timeout=10, interval=0.01)
    assert _volumes(pve, "vztmpl")["local:vztmpl/debian-13-standard.tar.zst"] == len(data)
    (request,) = [r for r in srv.requests.snapshot() if r.path.endswith("/upload")]
    assert request.params["checksum-algorithm"] == "sha256"
    assert request.params["checksum"] == hashlib.sha256(data).hexdigest()


def test_upload_refuses_bad_arguments_before_sending(
    mock_and_client: tuple[MockServer, Any], runtime_client: GeneratedClient, tmp_path: Path
) -> None:
    srv, pve = mock_and_client
    ValidationError = runtime_client.module.ValidationError
    with pytest.raises(ValidationError, match="checksum"):
        pve.upload("pve1", "local", io.BytesIO(b"x"), content="iso", filename="a.iso", checksum="ab")
    with pytest.raises(ValidationError, match="filename"):
        pve.upload("pve1", "local", io.BytesIO(b"x"), content="iso")
    with pytest.raises(ValidationError, match="cannot read"):
        pve.upload("pve1", "local", tmp_path / "missing.iso", content="iso")
    with pytest.raises(ValidationError, match="checksum-algorithm"):
        pve.upload(
            "pve1", "local", io.BytesIO(b"x"), content="iso", filename="a.iso", checksum="ab", checksum_algorithm="crc"
        )
    assert srv.requests.snapshot() == []


def test_upload_error_answer_is_mapped(
    mock_and_client: tuple[MockServer, Any], runtime_client: GeneratedClient, tmp_path: Path
) -> None:
    _, pve = mock_and_client
    with pytest.raises(runtime_client.module.HTTPError) as caught:
        pve.upload("pve1", "local-lvm", io.BytesIO(b"x" * 10), content="iso", filename="a.iso")
    assert "does not support 'iso'" in str(caught.value)


def test_upload_and_download_with_ticket_auth_send_cookie_and_csrf(
    runtime_client: GeneratedClient, mock_server: MockFactory, runtime_spec: Spec, tmp_path: Path
) -> None:
    srv = mock_server(runtime_spec, task_duration=0.0)
    with runtime_client.module.ProxmoxVE(srv.url, user=MOCK_USER, password=MOCK_PASSWORD) as pve:
        upid = pve.upload("pve1", "local", io.BytesIO(b"iso" * 1000), content="iso", filename="t.iso")
        pve.wait_task(upid, timeout=10, interval=0.01)
        assert pve.download(f"/nodes/pve1/tasks/{upid}/log", tmp_path / "log.json") > 0
    upload, download = [r for r in srv.requests.snapshot() if r.path.endswith(("/upload", "/log"))][:2]
    assert upload.user == download.user == MOCK_USER
    assert upload.csrf and upload.status == 200 and download.status == 200


def test_streams_share_the_pipeline_of_every_call(
    runtime_client: GeneratedClient,
    mock_server: MockFactory,
    runtime_spec: Spec,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An upload refused for an expired ticket gets a new login and is sent again whole (the file read
    from where it started); the download retries a 503 and the transport logs both exchanges."""
    srv = mock_server(runtime_spec, task_duration=0.0)
    data = os.urandom(300_000)
    source = io.BytesIO(b"ignored-prefix" + data)
    source.seek(len(b"ignored-prefix"))  # an upload starts where the file object stands
    sleeps = Sleeps()
    policy = runtime_client.module.RetryPolicy(attempts=2, backoff=0.01, sleep=sleeps)
    with runtime_client.module.ProxmoxVE(srv.url, user=MOCK_USER, password=MOCK_PASSWORD, retries=policy) as pve:
        pve.version.get()
        srv.faults.expire_tickets()
        srv.requests.clear()
        with caplog.at_level(logging.DEBUG, logger=runtime_client.package):
            upid = pve.upload("pve1", "local", source, content="iso", filename="again.iso")
            pve.wait_task(upid, timeout=10, interval=0.01)
            srv.faults.error_status, srv.faults.error_rate, srv.faults.limit = 503, 1.0, 1
            srv.faults.path = f"/nodes/pve1/tasks/{upid}/log"
            assert pve.download(f"/nodes/pve1/tasks/{upid}/log", tmp_path / "log.json") > 0
    upload_path = "/nodes/pve1/storage/local/upload"
    assert [(r.method, r.path, r.status) for r in srv.requests if r.path in (upload_path, "/access/ticket")] == [
        ("POST", upload_path, 401),
        ("POST", "/access/ticket", 200),
        ("POST", upload_path, 200),
    ]
    assert _volumes(pve, "iso")["local:iso/again.iso"] == len(data)
    assert [r.status for r in srv.requests if r.path.endswith("/log")] == [503, 200] and len(sleeps) == 1
    assert f"POST {upload_path} [body of " in caplog.text and "-> HTTP 401" in caplog.text
    assert "/log -> HTTP 503" in caplog.text


# -- downloads --------------------------------------------------------------------------------------------


def test_download_streams_the_body_into_the_file(mock_and_client: tuple[MockServer, Any], tmp_path: Path) -> None:
    srv, pve = mock_and_client
    started = srv.state.tasks.start("pve1", "vzdump", "100", "root@pam", log=[f"line {i}" for i in range(200)])
    dest = tmp_path / "task.log"
    written = pve.download(f"/nodes/pve1/tasks/{started.upid}/log", dest, download=True, limit=1000)
    raw = requests.get(
        f"{srv.url}/api2/json/nodes/pve1/tasks/{started.upid}/log",
        params={"download": 1, "limit": 1000},
        headers={"Authorization": f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"},
        timeout=10,
    ).content
    assert dest.read_bytes() == raw and written == len(raw)
    assert [row["t"] for row in json.loads(raw)["data"]][-1] == "TASK OK"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["task.log"]  # no temporary left behind


def test_failed_download_leaves_no_file(
    mock_and_client: tuple[MockServer, Any], runtime_client: GeneratedClient, tmp_path: Path
) -> None:
    srv, pve = mock_and_client
    dest = tmp_path / "x.bin"
    with pytest.raises(runtime_client.module.HTTPError):
        pve.download("/nodes/pve1/tasks/UPID:pve1:00000001:00000001:00000001:x::root@pam:/log", dest)
    srv.faults.truncate_rate = 1.0
    with pytest.raises(runtime_client.module.ConnectionFailedError, match="broke off"):
        pve.download("/nodes/pve1/tasks", dest)
    assert list(tmp_path.iterdir()) == []


# -- a sparse upload: memory stays flat on both sides --------------------------------------------------

# make test sends 512 MiB; make fuzz (and CI) the 3 GiB of the runtime issue, past every 32-bit length
UPLOAD_SIZES = [
    pytest.param(512 * 2**20 + 17, id="512MiB"),
    pytest.param(3 * GIB, id="3GiB", marks=pytest.mark.fuzz),
]

_UPLOADER = textwrap.dedent("""
    import resource, sys
    import {package} as client
    pve = client.ProxmoxVE(sys.argv[1], token_id=sys.argv[3], token_secret=sys.argv[4])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    upid = pve.upload("pve1", "local", sys.argv[2], content="iso", checksum=sys.argv[5],
                      checksum_algorithm="sha256")
    status = pve.wait_task(upid, timeout=120)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(upid, status["exitstatus"], before, after)
    """)


def _sha256_of_zeros(size: int) -> str:
    digest = hashlib.sha256()
    block = bytes(GIB // 64)
    for _ in range(size // len(block)):
        digest.update(block)
    digest.update(bytes(size % len(block)))
    return digest.hexdigest()


@pytest.mark.parametrize("size", UPLOAD_SIZES)
def test_sparse_upload_keeps_memory_flat(
    mock_and_client: tuple[MockServer, Any], runtime_client: GeneratedClient, tmp_path: Path, size: int
) -> None:
    """The client streams from disk and the mock reads the socket in blocks: neither holds the file. The client
    is a fresh process (its peak RSS); the mock shares this one, so it is measured by what Python allocated at
    once while it served the upload (a peak RSS here would hide under whatever earlier tests left)."""
    srv, pve = mock_and_client
    big = tmp_path / "big.iso"
    with open(big, "wb") as handle:
        os.truncate(handle.fileno(), size)  # sparse: no disk space used
    checksum = _sha256_of_zeros(size)
    tracemalloc.start()
    try:
        out = subprocess.run(
            [sys.executable, "-c", _UPLOADER.format(package=runtime_client.package), srv.url, str(big),
             MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, checksum],
            cwd=runtime_client.root, capture_output=True, text=True, timeout=600, check=True,
        ).stdout.split()  # fmt: skip
        mock_peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    upid, exitstatus, before_kib, after_kib = out[0], out[1], int(out[2]), int(out[3])
    assert upid.startswith("UPID:pve1:") and exitstatus == "OK"  # the mock verified the sha256 of the whole file
    assert _volumes(pve, "iso")["local:iso/big.iso"] == size
    client_grown_mib = (after_kib - before_kib) / 1024
    print(f"\npeak RSS: uploading client {after_kib / 1024:.0f} MiB (grew {client_grown_mib:.1f} MiB); "
          f"the mock allocated at most {mock_peak_mib:.1f} MiB at once, for {size / GIB:.2f} GiB")  # fmt: skip
    assert client_grown_mib < 64, f"the client's peak RSS grew by {client_grown_mib:.0f} MiB"
    assert mock_peak_mib < 64, f"the mock allocated {mock_peak_mib:.0f} MiB at once"


def test_upload_with_a_wrong_checksum_fails_its_task(
    mock_and_client: tuple[MockServer, Any], runtime_client: GeneratedClient, tmp_path: Path
) -> None:
    """As on PVE, the upload call succeeds and its task fails."""
    _, pve = mock_and_client
    iso = tmp_path / "small.iso"
    iso.write_bytes(b"x" * 5000)
    upid = pve.upload("pve1", "local", iso, content="iso", checksum="0" * 64, checksum_algorithm="sha256")
    with pytest.raises(runtime_client.module.TaskFailed, match="checksum mismatch"):
        pve.wait_task(upid, timeout=30)
    assert "local:iso/small.iso" not in _volumes(pve, "iso")
