"""``pvegen fetch-spec URL -o FILE`` against the mock: downloads, verifies TLS, writes atomically."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pvegen import Spec, load_spec
from pvegen.cli import main
from pvegen.cmd_fetch import schema_url
from pvegen.mock.tls import fingerprint
from tests.fixtures_mock import MockFactory


def fetch(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["fetch-spec", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("version", ["6.4", "9.1"])
def test_fetch_over_http_gives_the_same_spec(
    mock_server: MockFactory, release: Callable[[str], Spec], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    version: str,
) -> None:  # fmt: skip
    srv = mock_server(release(version))
    target = tmp_path / f"pve-{version}.js"
    code, out, err = fetch(capsys, srv.url, "-o", str(target))
    assert (code, err) == (0, "")
    assert out.strip() == f"{target}: {len(release(version).operations)} operations (pve {version})"
    assert load_spec(target) == release(version)


def test_fetch_a_pvegen_spec_server(
    mock_server: MockFactory, release: Callable[[str], Spec], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a mock serving our own format still publishes a Proxmox tree
    ours = tmp_path / "ours.json"
    assert main(["normalize", str(release("8.4").source), "-o", str(ours), "-q"]) == 0
    srv = mock_server(ours)
    code, _, _ = fetch(capsys, f"{srv.url}/pve-docs/api-viewer/apidoc.js", "-o", str(tmp_path / "back.js"), "-q")
    assert code == 0
    assert load_spec(tmp_path / "back.js", version="8.4").operations == release("8.4").operations


def test_https_is_verified_by_default(
    mock_server: MockFactory, release: Callable[[str], Spec], tls_cert: tuple[str, str], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    srv = mock_server(release("9.1"), tls=True)
    target = tmp_path / "spec.js"
    code, out, err = fetch(capsys, srv.url, "-o", str(target))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "TLS verification failed" in err
    assert not target.exists()
    assert fetch(capsys, srv.url, "-o", str(target), "--ca-bundle", tls_cert[0], "-q")[0] == 0
    assert load_spec(target).operations == release("9.1").operations


def test_fingerprint_pinning(
    mock_server: MockFactory, release: Callable[[str], Spec], tls_cert: tuple[str, str], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    srv = mock_server(release("9.1"), tls=True)
    target = tmp_path / "spec.js"
    good = fingerprint(tls_cert[0])
    assert fetch(capsys, srv.url, "-o", str(target), "--fingerprint", good, "-q")[0] == 0
    wrong = "00:" * 31 + "00"
    target.unlink()
    code, _, err = fetch(capsys, srv.url, "-o", str(target), "--fingerprint", wrong)
    assert code == 2 and "fingerprint does not match" in err
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
    mock_server: MockFactory, release: Callable[[str], Spec], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    srv = mock_server(release("9.1"))
    target = tmp_path / "spec.js"
    target.write_text("previous content")
    code, _, err = fetch(capsys, f"{srv.url}/pve-docs/nothing-here.js", "-o", str(target))
    assert code == 2 and "HTTP 501" in err
    # an API answer is JSON but not a spec
    code, _, err = fetch(capsys, f"{srv.url}/api2/json/access/ticket", "-o", str(target))
    assert code == 2 and "not a spec" in err
    assert target.read_text() == "previous content"
    assert list(tmp_path.iterdir()) == [target]  # no temporary files left behind


def test_unreachable_server(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = fetch(capsys, "http://127.0.0.1:9/", "-o", str(tmp_path / "x.js"), "--timeout", "5")
    assert code == 2
    assert err.startswith("pvegen fetch-spec: error: http://127.0.0.1:9/pve-docs/api-viewer/apidoc.js:")
