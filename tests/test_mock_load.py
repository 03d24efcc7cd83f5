"""Load: 8 threads x 500 mixed requests on one server, 0 errors (no timing asserted here: see bench/)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import requests

from pvegen import Spec
from tests.fixtures_mock import MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MockFactory
from tests.fixtures_shared import real_data_module

real_data_module()

THREADS = 8
PER_THREAD = 500


def test_eight_threads_of_mixed_requests(mock_server: MockFactory, release: Callable[[str], Spec]) -> None:
    srv = mock_server(release("9.1"))
    base = f"{srv.url}/api2/json"
    errors: list[str] = []
    counts = [0] * THREADS

    def worker(index: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"
        vmid = 1000 + index
        # (method, path, data, expected status): reads, writes with state, a bad call, a sample answer
        cycle = [
            ("GET", "/nodes", None, 200),
            ("POST", "/nodes/pve1/qemu", {"vmid": vmid, "cores": 1}, 200),
            ("GET", f"/nodes/pve1/qemu/{vmid}/config", None, 200),
            ("POST", f"/nodes/pve1/qemu/{vmid}/status/start", None, 200),
            ("GET", f"/nodes/pve1/qemu/{vmid}/status/current", None, 200),
            ("GET", "/cluster/resources", None, 200),
            ("POST", f"/nodes/pve1/qemu/{vmid}/status/stop", None, 200),
            ("POST", "/nodes/pve1/qemu", {"vmid": "bad"}, 400),
            ("GET", "/nodes/pve1/status", None, 200),
            ("DELETE", f"/nodes/pve1/qemu/{vmid}", None, 200),
        ]
        try:
            for n in range(PER_THREAD):
                method, path, data, expected = cycle[n % len(cycle)]
                response = session.request(method, base + path, data=data, timeout=30)
                if response.status_code != expected:
                    errors.append(f"{method} {path}: {response.status_code} {response.reason}")
                counts[index] += 1
        except Exception as err:  # collected, so one failure does not hide the others
            errors.append(f"thread {index}: {type(err).__name__}: {err}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert counts == [PER_THREAD] * THREADS
    assert len(srv.requests) == THREADS * PER_THREAD
    assert sum(1 for r in srv.requests if r.status == 400) == THREADS * (PER_THREAD // 10)
