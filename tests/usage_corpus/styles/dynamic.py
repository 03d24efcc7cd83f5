"""Calls the scan cannot fully see: it says "unknown" instead of guessing."""

from proxmoxer import ProxmoxAPI

api = ProxmoxAPI("pve.example", user="root@pam", password="pw")


def any_path(path, **params):
    return api(path).get(**params)  # expect: GET ? (+unknown)


def path_in_verb(path):
    return api.get(path)  # expect: GET ?


def computed_method(node, vmid, method):
    resource = api.nodes(node).qemu(vmid).status
    return getattr(resource, method)  # no call: a bound method handed back


def computed_action(node, vmid, action):
    return getattr(api.nodes(node).qemu(vmid).status, action).post()  # expect: POST /nodes/{}/qemu/{}/status/{} -> /nodes/{node}/qemu/{vmid}/status/reboot | /nodes/{node}/qemu/{vmid}/status/reset | /nodes/{node}/qemu/{vmid}/status/resume | /nodes/{node}/qemu/{vmid}/status/shutdown | /nodes/{node}/qemu/{vmid}/status/start | /nodes/{node}/qemu/{vmid}/status/stop | /nodes/{node}/qemu/{vmid}/status/suspend


def starred_segments(parts):
    return api.nodes(*parts).get()  # expect: GET ?


def whole_url(session, url):
    return session.get(url)
