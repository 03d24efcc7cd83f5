"""Prefixes kept in variables and on self; a client made in another module (connection.py)."""

from connection import Base, api, connect


def by_variable(name, vmid):
    node = api.nodes(name)
    node.qemu.create(vmid=vmid, name="db")  # expect: POST /nodes/{}/qemu (vmid, name) -> /nodes/{node}/qemu
    vm = node.qemu(vmid)
    vm.status.start.post()  # expect: POST /nodes/{}/qemu/{}/status/start -> /nodes/{node}/qemu/{vmid}/status/start
    node.lxc.get()  # expect: GET /nodes/{}/lxc -> /nodes/{node}/lxc


def by_factory(host):
    client = connect(host)
    client.cluster.status.get()  # expect: GET /cluster/status -> /cluster/status
    connect(host).nodes.get()  # expect: GET /nodes -> /nodes


class Guest(Base):
    """self.proxmox_api comes from Base (connection.py); self.vm is set up in __init__."""

    def __init__(self, host, node, vmid):
        super().__init__(host)
        self.node = node
        self.vm = self.proxmox_api.nodes(node).qemu(vmid)

    def start(self):
        return self.vm.status.start.post()  # expect: POST /nodes/{}/qemu/{}/status/start -> /nodes/{node}/qemu/{vmid}/status/start

    def snapshots(self):
        return self.vm.snapshot.get()  # expect: GET /nodes/{}/qemu/{}/snapshot -> /nodes/{node}/qemu/{vmid}/snapshot

    def storage(self):
        return self.proxmox_api.nodes(self.node).storage.get(enabled=1)  # expect: GET /nodes/{}/storage (enabled) -> /nodes/{node}/storage


class Lazy:
    """self.api is set by connect() after the methods that use it (scanned again once it is known)."""

    def pools(self):
        return self.api.pools.get()  # expect: GET /pools -> /pools

    def connect(self, host):
        self.api = connect(host)


def chain_on_an_object(ctx):
    ctx.obj.proxmox_api.nodes(ctx.node).qemu.get()  # expect: GET /nodes/{}/qemu -> /nodes/{node}/qemu
    ctx.client.cluster.resources.get(type="storage")  # expect: GET /cluster/resources (type) -> /cluster/resources
