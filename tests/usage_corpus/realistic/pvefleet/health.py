"""Cluster health over plain HTTP (a ticket from a login, no client library): quorum, nodes, HA, Ceph,
replication, certificates. Used from monitoring where only requests is installed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import Any
from urllib.parse import quote

import requests

log = logging.getLogger(__name__)

TIMEOUT = (5, 30)


class HealthError(Exception):
    pass


@dataclasses.dataclass
class Check:
    name: str
    ok: bool
    detail: str


class PveSession:
    """A ticket session: POST /access/ticket once, the cookie and CSRF token on every call after."""

    def __init__(self, host: str, port: int = 8006, verify: bool | str = True) -> None:
        self.base = f"https://{host}:{port}/api2/json"
        self.http = requests.Session()
        self.http.verify = verify
        self.csrf: str | None = None

    def login(self, user: str, password: str, otp: str | None = None) -> None:
        data = {"username": user, "password": password}
        if otp:
            data["otp"] = otp
        response = self.http.post(f"{self.base}/access/ticket", data=data, timeout=TIMEOUT)
        if response.status_code != 200:
            raise HealthError(f"login failed: HTTP {response.status_code}")
        ticket = response.json()["data"]
        self.http.cookies.set("PVEAuthCookie", ticket["ticket"])
        self.csrf = ticket["CSRFPreventionToken"]

    def get(self, path: str, **params: Any) -> Any:
        response = self.http.get(self.base + path, params=params, timeout=TIMEOUT)
        return self._data(response, path)

    def post(self, path: str, **data: Any) -> Any:
        headers = {"CSRFPreventionToken": self.csrf or ""}
        response = self.http.post(self.base + path, data=data, headers=headers, timeout=TIMEOUT)
        return self._data(response, path)

    @staticmethod
    def _data(response: requests.Response, path: str) -> Any:
        if response.status_code >= 400:
            raise HealthError(f"{path}: HTTP {response.status_code} {response.reason}")
        return response.json().get("data")


class HealthCheck:
    def __init__(self, session: PveSession, warn_load: float = 0.85) -> None:
        self.session = session
        self.base = session.base
        self.http = session.http
        self.warn_load = warn_load
        self.checks: list[Check] = []

    def run(self) -> list[Check]:
        self.quorum()
        self.nodes()
        self.ha()
        self.replication()
        self.ceph()
        self.certificates()
        return self.checks

    def quorum(self) -> None:
        status = self.http.get(f"{self.base}/cluster/status", timeout=TIMEOUT).json()["data"]
        cluster = next((entry for entry in status if entry.get("type") == "cluster"), None)
        if cluster is None:
            self.checks.append(Check("quorum", True, "single node, no cluster"))
            return
        ok = bool(cluster.get("quorate"))
        self.checks.append(Check("quorum", ok, f"{cluster.get('nodes')} nodes, quorate={cluster.get('quorate')}"))

    def nodes(self) -> None:
        for node in self.http.get(self.base + "/nodes", timeout=TIMEOUT).json()["data"]:
            name = node["node"]
            if node.get("status") != "online":
                self.checks.append(Check(f"node {name}", False, "offline"))
                continue
            status = self.http.get("%s/nodes/%s/status" % (self.base, name), timeout=TIMEOUT).json()["data"]
            load = float(status.get("cpu", 0))
            memory = status.get("memory", {})
            used = memory.get("used", 0) / max(memory.get("total", 1), 1)
            ok = load < self.warn_load and used < self.warn_load
            self.checks.append(Check(f"node {name}", ok, f"cpu {load:.0%}, memory {used:.0%}"))
            self._services(name)
            self._updates(name)

    def _services(self, node: str) -> None:
        url = "{}/nodes/{}/services".format(self.base, node)
        for service in self.http.get(url, timeout=TIMEOUT).json()["data"]:
            if service.get("name") in ("pveproxy", "pvedaemon", "pve-cluster", "corosync"):
                running = service.get("state") == "running"
                if not running:
                    self.checks.append(Check(f"{node} {service['name']}", False, service.get("state", "?")))

    def _updates(self, node: str) -> None:
        updates = self.session.get(f"/nodes/{node}/apt/update")
        security = [u for u in updates if "security" in u.get("Origin", "").lower()]
        self.checks.append(Check(f"{node} updates", not security, f"{len(updates)} pending, {len(security)} security"))

    def ha(self) -> None:
        try:
            resources = self.http.get(self.base + "/cluster/ha/status/current", timeout=TIMEOUT).json()["data"]
        except (requests.RequestException, KeyError, ValueError) as err:
            self.checks.append(Check("ha", False, f"cannot read HA status: {err}"))
            return
        bad = [r for r in resources if r.get("type") == "service" and r.get("state") not in ("started", "stopped")]
        self.checks.append(Check("ha", not bad, ", ".join(r.get("sid", "?") for r in bad) or "all services settled"))

    def replication(self) -> None:
        for node in self.http.get(self.base + "/nodes", timeout=TIMEOUT).json()["data"]:
            url = self.base + "/nodes/" + node["node"] + "/replication"
            for job in self.http.get(url, timeout=TIMEOUT).json()["data"]:
                if job.get("fail_count", 0):
                    self.checks.append(Check(f"replication {job.get('id')}", False, job.get("error", "failing")))

    def ceph(self) -> None:
        response = self.http.get(f"{self.base}/cluster/ceph/status", timeout=TIMEOUT)
        if response.status_code >= 400:
            return  # no Ceph here
        health = response.json()["data"].get("health", {}).get("status", "?")
        self.checks.append(Check("ceph", health == "HEALTH_OK", health))

    def certificates(self, warn_days: int = 21) -> None:
        for node in self.session.get("/nodes"):
            info = self.session.get(f"/nodes/{quote(node['node'])}/certificates/info")
            for cert in info:
                not_after = dt.datetime.fromtimestamp(int(cert.get("notafter", 0)), tz=dt.UTC)
                days = (not_after - dt.datetime.now(tz=dt.UTC)).days
                if days < warn_days:
                    self.checks.append(Check(f"{node['node']} {cert.get('filename')}", False, f"expires in {days} d"))

    def renew_acme(self, node: str) -> None:
        headers = {"CSRFPreventionToken": self.session.csrf or ""}
        self.http.put(f"{self.base}/nodes/{node}/certificates/acme/certificate", headers=headers, timeout=TIMEOUT)


def summary(checks: list[Check]) -> tuple[int, str]:
    failed = [c for c in checks if not c.ok]
    lines = [f"{'OK  ' if c.ok else 'FAIL'} {c.name}: {c.detail}" for c in checks]
    return (2 if failed else 0), "\n".join(lines)
