"""``pvegen fetch-spec`` against the mock serving real releases (needs ../shared): what is fetched loads back as the
release itself, also through a normalised (pvegen-spec/1) copy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pvegen import Spec, load_spec
from pvegen.cli import main
from tests.fixtures_mock import MockFactory
from tests.fixtures_shared import real_data_module
from tests.test_fetch import fetch

real_data_module()


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
