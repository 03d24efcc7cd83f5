"""Client CPU per call: 2000 ``GET /nodes`` through the generated client vs a raw
``requests.Session`` and vs proxmoxer, in the same run, against `pvegen mock` over HTTPS.

The mock runs in its own process so ``time.process_time()`` here counts client work only
(building the request, TLS, parsing, validation and response repair). Each client makes
keep-alive calls with the same token; the best of several rounds is reported.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from bench.common import ROOT, report
from pvegen.mock.tls import make_self_signed

CALLS = 2000
ROUNDS = 3
TOKEN_ID, TOKEN_SECRET = "root@pam!bench", "bench-token-secret"
SPEC = ROOT / "spec" / "proxmox-ve.json"


def _start_mock(cert: str, key: str) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "pvegen", "mock", str(SPEC), "--port", "0", "--tls", "--cert", cert,
               "--key", key, "--token", f"{TOKEN_ID}={TOKEN_SECRET}"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url.startswith("https://"):
        process.kill()
        raise SystemExit(f"bench_client: the mock did not start ({url!r})")
    return process, url


def _cpu_per_call(call: Callable[[], Any]) -> float:
    """Best-of-ROUNDS client CPU seconds per call (process time: user + system, this process)."""
    for _ in range(50):
        call()  # warm up: connection made, modules and caches loaded
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.process_time()
        for _ in range(CALLS):
            call()
        best = min(best, (time.process_time() - started) / CALLS)
    return best


def _clients(url: str, cert: str) -> dict[str, Callable[[], Any]]:
    from proxmoxer import ProxmoxAPI  # type: ignore[import-untyped]

    sys.path.insert(0, str(ROOT / "generated"))
    generated: Any = importlib.import_module("proxmox_ve")  # the committed client, from spec/

    port = int(url.rsplit(":", 1)[1])
    session = requests.Session()
    headers = {"Authorization": f"PVEAPIToken={TOKEN_ID}={TOKEN_SECRET}"}
    nodes_url = f"{url}/api2/json/nodes"

    def raw_requests() -> Any:
        response = session.get(nodes_url, headers=headers, verify=cert, timeout=30)
        response.raise_for_status()
        return response.json()["data"]

    pve = generated.ProxmoxVE(url, token_id=TOKEN_ID, token_secret=TOKEN_SECRET, verify=cert)
    user, _, token_name = TOKEN_ID.partition("!")
    peer = ProxmoxAPI("127.0.0.1", port=port, user=user, token_name=token_name, token_value=TOKEN_SECRET,
                      verify_ssl=cert, timeout=30)  # fmt: skip
    for answer in (raw_requests(), pve.nodes.get(), peer.nodes.get()):
        assert answer[0]["node"] == "pve1", answer
    return {"requests.Session": raw_requests, "pvegen client": pve.nodes.get, "proxmoxer": peer.nodes.get}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        cert, key = make_self_signed(Path(folder))
        process, url = _start_mock(cert, key)
        try:
            clients = _clients(url, cert)
            cpu = {name: float("inf") for name in clients}
            for _ in range(2):  # interleaved, so drift hits every client alike
                for name, call in clients.items():
                    cpu[name] = min(cpu[name], _cpu_per_call(call))
        finally:
            process.terminate()
            process.wait(timeout=10)
    for name, seconds in cpu.items():
        print(f"   {name}: {seconds * 1e6:.0f} us CPU per GET /nodes", flush=True)
    micro = {name: seconds * 1e6 for name, seconds in cpu.items()}
    base = micro["requests.Session"]
    report("pvegen client CPU per call vs raw requests.Session", micro["pvegen client"], base, goal=1.05, unit="us")
    report("proxmoxer CPU per call vs raw requests.Session", micro["proxmoxer"], base, unit="us")
    print(f"   stretch goal (fastest peer seen, httpx-based): 0.37x; pvegen: {micro['pvegen client'] / base:.2f}x")


if __name__ == "__main__":
    main()
