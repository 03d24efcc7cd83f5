"""Import time of the full generated 9.1 client vs ``import requests`` (goal <= 1.5x).

Each import is timed inside a fresh interpreter (interpreter start-up excluded), best of 7.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import have_shared, release_path, report
from pvegen import load_spec
from pvegen.codegen import generate

_TIMED = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def _import_time(module: str, cwd: Path, repeat: int = 7) -> float:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}
    times = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", _TIMED.format(module=module)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        times.append(float(out))
    return min(times)


def main() -> None:
    if not have_shared():
        return
    with tempfile.TemporaryDirectory(prefix="pvegen-bench-") as tmp:
        root = Path(tmp)
        generate(load_spec(release_path("9.1")), root, "proxmox_ve")  # black's cache: the user's cache folder
        _import_time("proxmox_ve", root, repeat=1)  # writes the bytecode caches once
        client = _import_time("proxmox_ve", root)
        baseline = _import_time("requests", root)
    report("import proxmox_ve (9.1, 667 operations) vs import requests", client, baseline, goal=1.5)
