"""The code's own request wrappers: callers hand them API paths, the wrapper adds the base URL."""

import requests


class Pve:
    def __init__(self, host):
        self.base = f"https://{host}:8006/api2/json"
        self.http = requests.Session()

    def get(self, path, **params):
        return self.http.get(self.base + path, params=params).json()["data"]

    def request(self, method, path, data=None):
        return self.http.request(method, f"{self.base}{path}", data=data).json()["data"]

    def remove(self, path):
        return self.http.delete(self.base + path)  # expect: DELETE ?


pve = Pve("pve.example")


def inventory(node, method):
    pve.get("/nodes")  # expect: GET /nodes -> /nodes
    pve.get(f"/nodes/{node}/qemu", full=1)  # expect: GET /nodes/{}/qemu (full) -> /nodes/{node}/qemu
    pve.request("POST", f"/nodes/{node}/qemu/100/status/start", {"skiplock": 1})  # expect: POST /nodes/{}/qemu/100/status/start (skiplock) -> /nodes/{node}/qemu/{vmid}/status/start
    pve.request(method, "/cluster/resources?type=vm")  # expect: * /cluster/resources (type) -> /cluster/resources
    settings = {"nodes": ["pve1"]}
    return settings.get("nodes")
