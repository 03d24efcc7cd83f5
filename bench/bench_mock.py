"""Requests per second of the mock vs a bare stdlib HTTP server answering a constant (same client, same run)."""

from __future__ import annotations

import contextlib
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests

from bench.common import have_shared, release_path
from pvegen import load_spec
from pvegen.mock import MockServer

THREADS = 4
PER_THREAD = 400
GOAL = 0.8  # the mock answers at least 0.8x as many requests per second as a bare stdlib server
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


@contextlib.contextmanager
def bare_server() -> Iterator[str]:
    """The baseline: a bare stdlib server answering a constant, running for the block; yields its /nodes URL."""
    bare = ThreadingHTTPServer(("127.0.0.1", 0), _Constant)
    bare.daemon_threads = True
    threading.Thread(target=bare.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{bare.server_address[1]}/api2/json/nodes"
    finally:
        bare.shutdown()
        bare.server_close()


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


def main() -> None:
    if not have_shared():
        return
    total = THREADS * PER_THREAD
    spec = load_spec(release_path("9.1"))
    auth = {"Authorization": f"PVEAPIToken={TOKEN}"}
    times: dict[str, list[float]] = {"bare": [], "state": [], "sample": [], "logged": []}
    with (
        bare_server() as bare_url,
        tempfile.TemporaryDirectory() as folder,
        MockServer(spec, tokens=[TOKEN]) as srv,
        MockServer(spec, tokens=[TOKEN], record_requests=False, log=Path(folder) / "requests.log") as logged,
    ):
        for _ in range(3):  # interleaved, so a slow moment of the machine hits all alike
            times["bare"].append(_load(bare_url, {}))
            times["state"].append(_load(f"{srv.url}/api2/json/nodes", auth))
            times["sample"].append(_load(f"{srv.url}/api2/json/nodes/pve1/status", auth))
            times["logged"].append(_load(f"{logged.url}/api2/json/nodes", auth))
    best = {name: min(values) for name, values in times.items()}
    labels = {
        "bare": "baseline (bare stdlib server, constant answer)",
        "state": "mock GET /nodes (auth, routing, state)",
        "sample": "mock GET /nodes/pve1/status (sample data)",
        "logged": "mock GET /nodes with --log FILE (as the CLI runs)",
    }
    for name, label in labels.items():
        print(f"   {label}: {total / best[name]:.0f} requests/s", flush=True)
    for name in ("state", "sample", "logged"):
        ratio = best["bare"] / best[name]  # requests per second of the mock over the bare server's
        verdict = "met" if ratio >= GOAL else "MISSED"
        print(
            f"   {labels[name].split(' (')[0]}: {ratio:.2f}x the bare server's requests/s  goal >= {GOAL}x: {verdict}"
        )


if __name__ == "__main__":
    main()
