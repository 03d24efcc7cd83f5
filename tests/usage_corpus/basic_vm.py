"""Create, start, snapshot and delete a VM: the basic calls most automation makes."""

import os
import time

from proxmoxer import ProxmoxAPI

NODE = os.environ.get("PVE_NODE", "pve1")

api = ProxmoxAPI(os.environ["PVE_HOST"], user="root@pam", token_name="ci", token_value=os.environ["PVE_TOKEN"])


def wait(upid):
    while True:
        status = api.nodes(NODE).tasks(upid).status.get()
        if status["status"] == "stopped":
            return status["exitstatus"]
        time.sleep(1)


def main():
    print([node["node"] for node in api.nodes.get()])
    vmid = int(api.cluster.nextid.get())
    wait(api.nodes(NODE).qemu.create(vmid=vmid, name="ci-vm", memory=1024, cores=1, net0="virtio,bridge=vmbr0"))
    wait(api.nodes(NODE).qemu(vmid).status.start.post())
    print(api.nodes(NODE).qemu(vmid).status.current.get()["status"])
    wait(api.nodes(NODE).qemu(vmid).snapshot.post(snapname="clean"))
    print(len(api.nodes(NODE).qemu(vmid).snapshot.get()))
    wait(api.nodes(NODE).qemu(vmid).status.stop.post())
    wait(api.nodes(NODE).qemu(vmid).delete(purge=1))


if __name__ == "__main__":
    main()
