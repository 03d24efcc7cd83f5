"""What judging permissions costs the mock: requests per second of a call with a permission check, made by root's
token (judged as root: no look at the ACLs) and by a privilege-separated token whose privileges come from ACLs
(its own, intersected with its user's, some through a group), against a bare stdlib server in the same run."""

from __future__ import annotations

import requests

from bench.bench_mock import _load, bare_server
from bench.common import have_shared, release_path
from pvegen import load_spec
from pvegen.mock import MockServer

THREADS, PER_THREAD = 4, 400
GOAL = 0.8  # at least 0.8x the bare server's requests per second
ROOT_TOKEN = "root@pam!bench=bench-token"
CALL = "/api2/json/nodes/pve1/status"  # check: perm /nodes/{node} Sys.Audit
OTHER_ACLS = 50  # entries on other paths, as a real cluster has them


def _least_privilege_token(url: str) -> str:
    """A user in a group with an auditor role on /nodes, and a privsep token with its own role on /nodes/pve1."""
    root = requests.Session()
    root.headers["Authorization"] = f"PVEAPIToken={ROOT_TOKEN}"

    def call(method: str, where: str, **data: object) -> object:
        response = root.request(method, f"{url}/api2/json{where}", data=data, timeout=30)
        response.raise_for_status()
        return response.json()["data"]

    call("POST", "/access/groups", groupid="auditors")
    call("POST", "/access/users", userid="bench@pve", groups="auditors")
    call("PUT", "/access/acl", path="/nodes", groups="auditors", roles="PVEAuditor")
    for vmid in range(100, 100 + OTHER_ACLS):
        call("PUT", "/access/acl", path=f"/vms/{vmid}", users="bench@pve", roles="PVEVMUser")
    made = call("POST", "/access/users/bench@pve/token/bench")
    assert isinstance(made, dict)
    call("PUT", "/access/acl", path="/nodes/pve1", tokens="bench@pve!bench", roles="PVEAuditor")
    return f"bench@pve!bench={made['value']}"


def main() -> None:
    if not have_shared():
        return
    total = THREADS * PER_THREAD
    spec = load_spec(release_path("9.1"))
    times: dict[str, list[float]] = {"bare": [], "root": [], "acl": []}
    with bare_server() as bare_url, MockServer(spec, tokens=[ROOT_TOKEN], record_requests=False) as srv:
        token = _least_privilege_token(srv.url)
        for _ in range(3):  # interleaved, so a slow moment of the machine hits all alike
            times["bare"].append(_load(bare_url, {}))
            times["root"].append(_load(srv.url + CALL, {"Authorization": f"PVEAPIToken={ROOT_TOKEN}"}))
            times["acl"].append(_load(srv.url + CALL, {"Authorization": f"PVEAPIToken={token}"}))
    best = {name: min(values) for name, values in times.items()}
    labels = {
        "bare": "baseline (bare stdlib server, constant answer)",
        "root": "mock GET /nodes/pve1/status as root's token",
        "acl": f"mock GET /nodes/pve1/status as a privsep token (group, user, token ACLs; {OTHER_ACLS} more)",
    }
    for name, label in labels.items():
        print(f"   {label}: {total / best[name]:.0f} requests/s", flush=True)
    for name in ("root", "acl"):
        ratio = best["bare"] / best[name]
        verdict = "met" if ratio >= GOAL else "MISSED"
        print(f"   {labels[name]}: {ratio:.2f}x the bare server's requests/s  goal >= {GOAL}x: {verdict}", flush=True)
    print(f"   permission judging costs {best['acl'] / best['root'] - 1:+.0%} time per request over root's", flush=True)


if __name__ == "__main__":
    main()
