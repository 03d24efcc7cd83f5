"""Older scripts kept for the operations team: plain requests with a ticket, URLs built with ``%`` and
``.format``, an API-token header. Being migrated to the other modules one by one."""

from __future__ import annotations

import json
import logging
import os
import sys
import time

import requests

log = logging.getLogger("pvefleet.legacy")

HOST = os.environ.get("PVE_HOST", "pve.example")
PORT = int(os.environ.get("PVE_PORT", "8006"))
URL = "https://%s:%d/api2/json" % (HOST, PORT)
TOKEN = os.environ.get("PVE_TOKEN", "")
HEADERS = {"Authorization": "PVEAPIToken=" + TOKEN}
VERIFY = os.environ.get("PVE_CA_BUNDLE", True)


def _check(response):
    if response.status_code >= 400:
        log.error("%s %s -> %s %s", response.request.method, response.url, response.status_code, response.text[:200])
        response.raise_for_status()
    return response.json()["data"]


def list_vms(node):
    return _check(requests.get("%s/nodes/%s/qemu" % (URL, node), headers=HEADERS, verify=VERIFY))


def vm_status(node, vmid):
    return _check(requests.get("{0}/nodes/{1}/qemu/{2}/status/current".format(URL, node, vmid), headers=HEADERS, verify=VERIFY))


def vm_action(node, vmid, action):
    url = "%s/nodes/%s/qemu/%s/status/%s" % (URL, node, vmid, action)
    return _check(requests.post(url, headers=HEADERS, verify=VERIFY))


def set_description(node, vmid, text):
    url = URL + "/nodes/" + node + "/qemu/" + str(vmid) + "/config"
    return _check(requests.put(url, data={"description": text}, headers=HEADERS, verify=VERIFY))


def resize(node, vmid, disk, size):
    payload = {"disk": disk}
    payload["size"] = size
    url = "{base}/nodes/{node}/qemu/{vmid}/resize".format(base=URL, node=node, vmid=vmid)
    return _check(requests.put(url, data=payload, headers=HEADERS, verify=VERIFY))


def wait(node, upid, timeout=300):
    url = "%s/nodes/%s/tasks/%s/status" % (URL, node, upid)
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = _check(requests.get(url, headers=HEADERS, verify=VERIFY))
        if status["status"] == "stopped":
            return status["exitstatus"] == "OK"
        time.sleep(2)
    return False


def cluster_log(max_lines=50):
    return _check(requests.get(URL + "/cluster/log?max=%d" % max_lines, headers=HEADERS, verify=VERIFY))


def node_syslog(node, since=None):
    params = {"limit": 500}
    if since:
        params["since"] = since
    return _check(requests.get(f"{URL}/nodes/{node}/syslog", params=params, headers=HEADERS, verify=VERIFY))


def vnc_proxy(node, vmid):
    return _check(requests.post(f"{URL}/nodes/{node}/qemu/{vmid}/vncproxy", data={"websocket": 1}, headers=HEADERS, verify=VERIFY))


def send_key(node, vmid, key):
    return _check(requests.put(f"{URL}/nodes/{node}/qemu/{vmid}/sendkey", data={"key": key}, headers=HEADERS, verify=VERIFY))


def guest_exec(node, vmid, command):
    answer = _check(requests.post(f"{URL}/nodes/{node}/qemu/{vmid}/agent/exec", data={"command": command}, headers=HEADERS, verify=VERIFY))
    pid = answer["pid"]
    for _ in range(60):
        result = _check(requests.get(f"{URL}/nodes/{node}/qemu/{vmid}/agent/exec-status?pid={pid}", headers=HEADERS, verify=VERIFY))
        if result.get("exited"):
            return result
        time.sleep(1)
    return None


def main(argv):
    if len(argv) < 3:
        print("usage: legacy.py NODE (list|status VMID|start VMID|stop VMID|log)", file=sys.stderr)
        return 2
    node, command = argv[1], argv[2]
    if command == "list":
        print(json.dumps(list_vms(node), indent=2))
    elif command == "status":
        print(json.dumps(vm_status(node, argv[3]), indent=2))
    elif command in ("start", "stop", "shutdown", "reboot"):
        upid = vm_action(node, argv[3], command)
        print("ok" if wait(node, upid) else "failed")
    elif command == "log":
        for entry in cluster_log():
            print(entry.get("msg"))
    else:
        print("unknown command: " + command, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
