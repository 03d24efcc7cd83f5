"""The README's walk-through, run as written: fetch with a pin, generate, pip install into a fresh venv, run a script.

`pvegen mock` over TLS stands in for the user's server; the blocks marked ``<!-- walkthrough: ... -->`` in README.md
are executed verbatim with the environment the README tells the user to export. Only ``pvegen`` comes from this
checkout's environment; the client is installed into a venv of its own (pip may fetch ``requests`` for it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pvegen import load_spec
from pvegen.mock.tls import fingerprint
from tests.fixtures_mock import MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MockFactory
from tests.fixtures_shared import EMBEDDED_SPEC, ROOT

_MARKED_BLOCK = re.compile(r"<!-- walkthrough: (?P<name>[\w.]+) -->\n```\w*\n(?P<body>.*?)```", re.DOTALL)


def walkthrough_blocks() -> dict[str, str]:
    return {m["name"]: m["body"] for m in _MARKED_BLOCK.finditer((ROOT / "README.md").read_text(encoding="utf-8"))}


def test_the_readme_marks_its_walkthrough() -> None:
    blocks = walkthrough_blocks()
    assert set(blocks) == {"run", "hello.py"}
    assert "pvegen fetch-spec" in blocks["run"] and "pip install" in blocks["run"]


@pytest.mark.slow
def test_the_walkthrough_runs_as_written(mock_server: MockFactory, tls_cert: tuple[str, str], tmp_path: Path) -> None:
    srv = mock_server(EMBEDDED_SPEC, tls=True)
    blocks = walkthrough_blocks()
    (tmp_path / "hello.py").write_text(blocks["hello.py"], encoding="utf-8")
    port = urlsplit(srv.url).port
    pin = fingerprint(tls_cert[0])
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",  # pvegen, python
        "HOME": os.environ.get("HOME", str(tmp_path)),  # pip's cache
        "PVE_HOST": "127.0.0.1",
        "PVE_PORT": str(port),
        "PVE_TOKEN_ID": MOCK_TOKEN_ID,
        "PVE_TOKEN_SECRET": MOCK_TOKEN_SECRET,
        "PVE_FINGERPRINT": pin,
    }
    for name in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_CONSTRAINT", "PIP_CACHE_DIR"):
        if name in os.environ:
            env[name] = os.environ[name]
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", blocks["run"]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if result.returncode != 0 and "No matching distribution found for requests" in result.stderr:
        pytest.skip("pip could not fetch requests for the fresh venv (no package index reachable)")
    assert result.returncode == 0, result.stderr
    recorded = load_spec(tmp_path / "pve.js").version  # fetch-spec asked /version with the token
    assert recorded is not None and recorded.startswith("9.1")
    lines = result.stdout.splitlines()
    assert lines[-3:-1] == [f"release {recorded}", "node pve1 online"]
    assert lines[-1].startswith("refused: ") and "vmid" in lines[-1]
    # installed into the fresh venv, not borrowed from this checkout
    site = subprocess.run(
        [str(tmp_path / "demo-env" / "bin" / "python"), "-c", "import pve_client; print(pve_client.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert site.startswith(str(tmp_path / "demo-env"))
    # the refused call never reached the server
    assert not any(r.path.endswith("/qemu/99/status/start") for r in srv.requests)
    shutil.rmtree(tmp_path / "demo-env", ignore_errors=True)
