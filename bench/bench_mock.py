"""Requests per second of the mock vs a bare stdlib HTTP server answering a constant (same client, same run)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

from bench.common import have_shared, release_path, report
from pvegen import load_spec
from pvegen.mock import MockServer

THREADS = 4
PER_THREAD = 400
TOKEN = "root@pam!bench=bench-token"


class _Constant(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    body = b'{"data":[{"node":"pve1","status":"online"}]}'

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _load(url: str, headers: dict[str, str]) -> float:
    """Wall time for THREADS x PER_THREAD GETs of ``url``, one keep-alive session per thread."""
    errors: list[str] = []

    def worker() -> None:
        session = requests.Session()
        session.headers.update(headers)
        for _ in range(PER_THREAD):
            response = session.get(url, timeout=30)
            if response.status_code != 200:
                errors.append(str(response.status_code))

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"bench_mock: {len(errors)} failed requests")
    return elapsed


def _best(func: Callable[[], float], repeat: int = 3) -> float:
    return min(func() for _ in range(repeat))


def main() -> None:
    if not have_shared():
        return
    total = THREADS * PER_THREAD
    spec = load_spec(release_path("9.1"))
    bare = ThreadingHTTPServer(("127.0.0.1", 0), _Constant)
    bare.daemon_threads = True
    threading.Thread(target=bare.serve_forever, daemon=True).start()
    try:
        baseline = _best(lambda: _load(f"http://127.0.0.1:{bare.server_address[1]}/api2/json/nodes", {}))
    finally:
        bare.shutdown()
        bare.server_close()
    auth = {"Authorization": f"PVEAPIToken={TOKEN}"}
    with MockServer(spec, tokens=[TOKEN]) as srv:
        stateful = _best(lambda: _load(f"{srv.url}/api2/json/nodes", auth))
        sampled = _best(lambda: _load(f"{srv.url}/api2/json/nodes/pve1/status", auth))
    print(f"   baseline (bare stdlib server, constant answer): {total / baseline:.0f} requests/s", flush=True)
    print(f"   mock GET /nodes (auth, routing, state): {total / stateful:.0f} requests/s", flush=True)
    print(f"   mock GET /nodes/pve1/status (sample data): {total / sampled:.0f} requests/s", flush=True)
    report("time per request, GET /nodes", stateful / total, baseline / total, goal=3.0)
    report("time per request, sampled answer", sampled / total, baseline / total, goal=4.0)


if __name__ == "__main__":
    main()
