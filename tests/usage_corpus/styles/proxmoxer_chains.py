"""proxmoxer in its many spellings."""

import proxmoxer

prox = proxmoxer.ProxmoxAPI("pve.example", user="root@pam", token_name="ci", token_value="x", verify_ssl=True)


def chains(node, vmid, kind):
    prox.nodes(node).qemu(vmid).config.put(cores=2)  # expect: PUT /nodes/{}/qemu/{}/config (cores) -> /nodes/{node}/qemu/{vmid}/config
    prox.nodes(node).qemu.create(vmid=vmid, ostype="l26")  # expect: POST /nodes/{}/qemu (vmid, ostype) -> /nodes/{node}/qemu
    prox.nodes(node).lxc(vmid).config.set(memory=512)  # expect: PUT /nodes/{}/lxc/{}/config (memory) -> /nodes/{node}/lxc/{vmid}/config
    prox.nodes(node).lxc.delete(vmid, force=1)  # expect: DELETE /nodes/{}/lxc/{} (force) -> /nodes/{node}/lxc/{vmid}
    prox.nodes(node).qemu.get(vmid, "status", "current")  # expect: GET /nodes/{}/qemu/{}/status/current -> /nodes/{node}/qemu/{vmid}/status/current
    prox.nodes(node).qemu(vmid).agent("network-get-interfaces").get()  # expect: GET /nodes/{}/qemu/{}/agent/network-get-interfaces -> /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces
    prox.nodes(node).qemu(vmid).agent.get("get-osinfo")  # expect: GET /nodes/{}/qemu/{}/agent/get-osinfo -> /nodes/{node}/qemu/{vmid}/agent/get-osinfo
    prox.cluster().sdn().lock().post()  # expect: POST /cluster/sdn/lock -> /cluster/sdn/lock
    prox("nodes/pve1/qemu").get()  # expect: GET /nodes/pve1/qemu -> /nodes/{node}/qemu
    prox("cluster/resources").get(type="vm")  # expect: GET /cluster/resources (type) -> /cluster/resources
    prox.get("nodes")  # expect: GET /nodes -> /nodes
    prox.nodes("pve1").storage("local").content.get(content="iso")  # expect: GET /nodes/pve1/storage/local/content (content) -> /nodes/{node}/storage/{storage}/content
    prox.nodes(node).post("qemu", vmid, "clone", newid=vmid + 1, full=1)  # expect: POST /nodes/{}/qemu/{}/clone (newid, full) -> /nodes/{node}/qemu/{vmid}/clone
    getattr(prox.nodes(node), kind)(vmid).status.current.get()  # expect: GET /nodes/{}/{}/{}/status/current -> /nodes/{node}/qemu/{vmid}/status/current | /nodes/{node}/lxc/{vmid}/status/current
    getattr(prox.nodes(node).qemu(vmid).status, "reboot").post()  # expect: POST /nodes/{}/qemu/{}/status/reboot -> /nodes/{node}/qemu/{vmid}/status/reboot
    prox.access.users("alice@pve").token("ci").delete()  # expect: DELETE /access/users/alice@pve/token/ci -> /access/users/{userid}/token/{tokenid}
    return prox.nodes(node).tasks.get(limit=10, errors=1)  # expect: GET /nodes/{}/tasks (limit, errors) -> /nodes/{node}/tasks


def guest_kinds(node, vmid, is_vm):
    guest = prox.nodes(node).qemu if is_vm else prox.nodes(node).lxc
    guest(vmid).status.stop.post()  # expect: POST /nodes/{}/{}/{}/status/stop -> /nodes/{node}/qemu/{vmid}/status/stop | /nodes/{node}/lxc/{vmid}/status/stop
