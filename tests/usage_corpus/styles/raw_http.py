"""Raw HTTP with requests: every way of writing the URL, and the code's own wrappers."""

import requests

BASE = "https://pve.example:8006/api2/json"


class Client:
    def __init__(self, host, ticket):
        self.url = f"https://{host}:8006/api2/json"
        self.session = requests.Session()
        self.session.cookies["PVEAuthCookie"] = ticket

    def _get_json(self, url, **params):
        return self.session.get(url, params=params, timeout=10).json()["data"]

    def interfaces(self, node, vmtype, vmid):
        url = f"{self.url}/nodes/{node}/{vmtype}/{vmid}/agent/network-get-interfaces"
        return self._get_json(url)  # expect: GET /nodes/{}/{}/{}/agent/network-get-interfaces -> /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces

    def resources(self):
        return self._get_json(self.url + "/cluster/resources?type=vm")  # expect: GET /cluster/resources (type) -> /cluster/resources


def login(host, password):
    return requests.post(  # expect: POST /access/ticket (username, password) -> /access/ticket
        "https://%s:8006/api2/json/access/ticket" % host,
        data={"username": "root@pam", "password": password},
        timeout=10,
    )


def status(session, node):
    return session.get("{}/nodes/{}/status".format(BASE, node))  # expect: GET /nodes/{}/status -> /nodes/{node}/status


def start(session, node, vmid):
    url = BASE + "/nodes/" + node + "/qemu/" + str(vmid) + "/status/start"
    session.post(url, data={"timeout": 30})  # expect: POST /nodes/{}/qemu/{}/status/start (timeout) -> /nodes/{node}/qemu/{vmid}/status/start


def api_call(method, url, data=None):
    return requests.request(method, url, data=data)


def migrate(node, vmid, target):
    api_call("POST", f"{BASE}/nodes/{node}/qemu/{vmid}/migrate", {"target": target, "online": 1})  # expect: POST /nodes/{}/qemu/{}/migrate (target, online) -> /nodes/{node}/qemu/{vmid}/migrate


def remove(node, vmid):
    requests.delete(f"{BASE}/nodes/{node}/qemu/{vmid}?purge=1&destroy-unreferenced-disks=1", timeout=30)  # expect: DELETE /nodes/{}/qemu/{} (purge, destroy-unreferenced-disks) -> /nodes/{node}/qemu/{vmid}


def fetch(url):
    return requests.request("GET", url)


def version():
    return do_request(f"{BASE}/version")  # expect: * /version -> /version


def log_only(node):
    print(f"calling {BASE}/nodes/{node}/status")
