"""``pvegen fetch-spec URL -o FILE`` against the mock: downloads, verifies TLS, writes atomically."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from pvegen import Spec, load_spec
from pvegen.cli import main
from pvegen.cmd_fetch import schema_url
from pvegen.mock import MockServer
from pvegen.mock.tls import fingerprint
from pvegen.release_record import RECORD_PREFIX
from tests.fixtures_mock import MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MockFactory
from tests.fixtures_shared import EMBEDDED_SPEC


def fetch(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["fetch-spec", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_fetch_over_http_gives_the_same_spec(
    mock_server: MockFactory, embedded: Spec, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    srv = mock_server(embedded)
    target = tmp_path / "pve-9.1.js"  # the release from the file's name
    code, out, err = fetch(capsys, srv.url, "-o", str(target))
    assert (code, err) == (0, "")
    assert out.strip() == f"{target}: {len(embedded.operations)} operations (pve 9.1)"
    fetched = load_spec(target)
    assert (fetched.product, fetched.version) == ("pve", "9.1")
    assert sorted(fetched.operations, key=str) == sorted(embedded.operations, key=str)  # a tree orders by path


def test_fetch_a_pvegen_spec_server(
    mock_server: MockFactory, embedded: Spec, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a mock serving our own format (the embedded spec's file) still publishes a Proxmox tree
    srv = mock_server(EMBEDDED_SPEC)
    code, _, _ = fetch(capsys, f"{srv.url}/pve-docs/api-viewer/apidoc.js", "-o", str(tmp_path / "back.js"), "-q")
    assert code == 0
    back = load_spec(tmp_path / "back.js", version="9.1")
    assert sorted(back.operations, key=str) == sorted(embedded.operations, key=str)


def test_https_is_verified_by_default_and_the_refusal_says_how_to_pin(
    mock_server: MockFactory, embedded: Spec, tls_cert: tuple[str, str], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    srv = mock_server(embedded, tls=True)
    target = tmp_path / "spec.js"
    code, out, err = fetch(capsys, srv.url, "-o", str(target))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "TLS verification failed" in err
    pin = fingerprint(tls_cert[0])
    assert f"--fingerprint {pin}" in err  # the fingerprint the server presents, ready to check and pin
    assert not target.exists()
    assert fetch(capsys, srv.url, "-o", str(target), "--ca-bundle", tls_cert[0], "-q")[0] == 0
    assert sorted(load_spec(target).operations, key=str) == sorted(embedded.operations, key=str)
    target.unlink()
    assert fetch(capsys, srv.url, "-o", str(target), "--fingerprint", pin, "-q")[0] == 0


def test_fingerprint_pinning(
    mock_server: MockFactory, embedded: Spec, tls_cert: tuple[str, str], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    srv = mock_server(embedded, tls=True)
    target = tmp_path / "spec.js"
    good = fingerprint(tls_cert[0])
    assert fetch(capsys, srv.url, "-o", str(target), "--fingerprint", good, "-q")[0] == 0
    wrong = "00:" * 31 + "00"
    target.unlink()
    code, _, err = fetch(capsys, srv.url, "-o", str(target), "--fingerprint", wrong)
    assert code == 2 and f"fingerprint does not match (the server presents {good})" in err
    assert not target.exists()
    assert fetch(capsys, srv.url, "-o", str(target), "--insecure", "-q")[0] == 0


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://pve.example/apidoc.js", "pve.example:8006", "http://"])
def test_non_http_urls_are_refused(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = fetch(capsys, url, "-o", str(tmp_path / "x.js"))
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.js").exists()


def test_schema_url() -> None:
    assert schema_url("https://pve.example:8006") == "https://pve.example:8006/pve-docs/api-viewer/apidoc.js"
    assert schema_url("https://pve.example:8006/") == "https://pve.example:8006/pve-docs/api-viewer/apidoc.js"
    assert schema_url("http://pve.example/x/apidata.js") == "http://pve.example/x/apidata.js"


def test_http_errors_and_non_specs_leave_the_old_file(
    mock_server: MockFactory, embedded: Spec, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    srv = mock_server(embedded)
    target = tmp_path / "spec.js"
    target.write_text("previous content")
    code, _, err = fetch(capsys, f"{srv.url}/pve-docs/nothing-here.js", "-o", str(target))
    assert code == 2 and "HTTP 501" in err
    # an API answer is JSON but not a spec
    code, _, err = fetch(capsys, f"{srv.url}/api2/json/access/domains", "-o", str(target))  # open to anyone
    assert code == 2 and "not a spec" in err
    assert target.read_text() == "previous content"
    assert list(tmp_path.iterdir()) == [target]  # no temporary files left behind


def test_unreachable_server_is_one_readable_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = fetch(capsys, "http://127.0.0.1:9/", "-o", str(tmp_path / "x.js"), "--timeout", "5")
    assert code == 2
    assert err == "pvegen fetch-spec: error: http://127.0.0.1:9/pve-docs/api-viewer/apidoc.js: connection refused " \
        "(is the address and port right, and the service running?)\n"  # fmt: skip
    assert not (tmp_path / "x.js").exists()


# -- the saved file records the release (a newcomer's fetch must not lose it) -----------------------------------


def _mock_version(srv: MockServer) -> str:
    url = f"{srv.url}/api2/json/version"
    answer = requests.get(
        url, headers={"Authorization": f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"}, timeout=10
    )
    version: str = answer.json()["data"]["version"]
    return version


def test_version_flag_is_recorded_in_the_file(
    mock_server: MockFactory, embedded: Spec, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    srv = mock_server(embedded)
    target = tmp_path / "myserver.js"  # no version in the name
    code, out, err = fetch(capsys, srv.url, "-o", str(target), "--version", "8.4")
    assert (code, err) == (0, "")
    assert out == f"{target}: {len(embedded.operations)} operations (pve 8.4)\n"
    first, rest = target.read_text().split("\n", 1)
    assert first == RECORD_PREFIX + '{"product": "pve", "version": "8.4"}'
    assert load_spec(target).version == "8.4"
    assert sorted(load_spec(target).operations, key=str) == sorted(embedded.operations, key=str)
    # the rest is the server's JavaScript as sent
    assert rest == requests.get(f"{srv.url}/pve-docs/api-viewer/apidoc.js", timeout=10).text


@pytest.mark.parametrize("how", ["--token", "environment"])
def test_credentials_ask_the_server_for_its_release(
    mock_server: MockFactory, embedded: Spec, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, how: str,
) -> None:  # fmt: skip
    srv = mock_server(embedded)
    target = tmp_path / "cluster.js"
    for name in ("PVE_TOKEN_ID", "PVE_TOKEN_SECRET", "PVE_USER", "PVE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    if how == "--token":
        args = ["--token", f"{MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"]
    else:
        args = []
        monkeypatch.setenv("PVE_TOKEN_ID", MOCK_TOKEN_ID)
        monkeypatch.setenv("PVE_TOKEN_SECRET", MOCK_TOKEN_SECRET)
    code, out, err = fetch(capsys, srv.url, "-o", str(target), *args)
    assert (code, err) == (0, "")
    reported = _mock_version(srv)
    assert load_spec(target).version == reported
    assert out.endswith(f"(pve {reported})\n")
    assert MOCK_TOKEN_SECRET not in target.read_text() + out


def test_without_a_release_the_file_is_kept_as_sent_and_a_warning_says_how(
    mock_server: MockFactory, embedded: Spec, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    for name in ("PVE_TOKEN_ID", "PVE_TOKEN_SECRET", "PVE_USER", "PVE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    srv = mock_server(embedded)
    target = tmp_path / "apidoc.js"
    code, out, err = fetch(capsys, srv.url, "-o", str(target))
    assert code == 0
    assert out.endswith("(pve unversioned)\n")
    assert err.count("\n") == 1 and "warning: the release is unknown" in err and "--version" in err
    assert not target.read_text().startswith(RECORD_PREFIX)
    assert load_spec(target).version is None


def test_bad_credentials_are_named_never_echoed(
    mock_server: MockFactory, embedded: Spec, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    srv = mock_server(embedded)
    target = tmp_path / "x.js"
    monkeypatch.delenv("PVE_TOKEN_SECRET", raising=False)
    monkeypatch.setenv("PVE_TOKEN_ID", MOCK_TOKEN_ID)
    code, _, err = fetch(capsys, srv.url, "-o", str(target))
    assert code == 2 and "PVE_TOKEN_SECRET is not set" in err
    monkeypatch.setenv("PVE_TOKEN_SECRET", "wrong-secret-value")
    code, _, err = fetch(capsys, srv.url, "-o", str(target))
    assert code == 2 and "/api2/json/version" in err and "401" in err
    assert "wrong-secret-value" not in err
    code, _, err = fetch(capsys, srv.url, "-o", str(target), "--token", "root@pam!ci")
    assert code == 2 and "USER@REALM!TOKENID=SECRET" in err
    assert not target.exists()


def test_a_recorded_release_drives_the_gate_policy(
    mock_server: MockFactory, embedded: Spec, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two fetched files with neutral names: the gate knows 8.4 -> 9.1 crosses a major (migration list)."""
    srv = mock_server(embedded)
    old, new = tmp_path / "before.js", tmp_path / "after.js"
    assert fetch(capsys, srv.url, "-o", str(old), "--version", "8.4", "-q")[0] == 0
    assert fetch(capsys, srv.url, "-o", str(new), "--version", "9.1", "-q")[0] == 0
    assert main(["compat", str(old), str(new), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["old"]["version"], report["new"]["version"], report["fail_on"]) == ("8.4", "9.1", "never")


def test_an_html_page_is_named_as_such(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = b"<!DOCTYPE html>\n<html><head><title>Proxmox Virtual Environment</title></head><body></body></html>"

    class Login(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Login)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        code, _, err = fetch(capsys, f"http://127.0.0.1:{server.server_port}/", "-o", str(tmp_path / "x.js"))
    finally:
        server.shutdown()
        server.server_close()
    assert code == 2 and err.count("\n") == 1
    assert "this is an HTML page, not a spec" in err
    html = tmp_path / "saved.html"
    html.write_bytes(page)
    assert main(["normalize", str(html), "-o", str(tmp_path / "out.json")]) == 2
    assert "this is an HTML page, not a spec" in capsys.readouterr().err
