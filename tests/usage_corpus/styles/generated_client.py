"""VM lifecycle through pvegen's generated client (proxmox_ve)."""

from __future__ import annotations

from proxmox_ve import ProxmoxVE

pve = ProxmoxVE("pve.example", token_id="root@pam!ci", token_secret="s3cr3t")


def list_guests(node: str) -> list[int]:
    nodes = pve.nodes.get()  # expect: GET /nodes -> /nodes
    vms = pve.nodes(node).qemu.get(full=True)  # expect: GET /nodes/{}/qemu (full) -> /nodes/{node}/qemu
    return [vm["vmid"] for vm in vms if nodes]


def create(node: str, vmid: int) -> str:
    upid = pve.nodes(node).qemu.post(  # expect: POST /nodes/{}/qemu (vmid, name, memory, net0, net1, scsi0) -> /nodes/{node}/qemu
        vmid=vmid,
        name="web-1",
        memory=2048,
        net={0: "virtio,bridge=vmbr0", 1: "virtio,bridge=vmbr1"},
        scsi={0: "local-lvm:32"},
    )
    pve.wait_task(upid)  # expect: GET /nodes/{}/tasks/{}/status -> /nodes/{node}/tasks/{upid}/status
    return upid


def lifecycle(node: str, vmid: int) -> None:
    vm = pve.nodes(node).qemu(vmid)
    vm.status.start.post(skiplock=True)  # expect: POST /nodes/{}/qemu/{}/status/start (skiplock) -> /nodes/{node}/qemu/{vmid}/status/start
    vm.status.current.get()  # expect: GET /nodes/{}/qemu/{}/status/current -> /nodes/{node}/qemu/{vmid}/status/current
    vm.agent.get_fsinfo.get()  # expect: GET /nodes/{}/qemu/{}/agent/get_fsinfo -> /nodes/{node}/qemu/{vmid}/agent/get-fsinfo
    vm.snapshot.post(snapname="before-upgrade", vmstate=False)  # expect: POST /nodes/{}/qemu/{}/snapshot (snapname, vmstate) -> /nodes/{node}/qemu/{vmid}/snapshot
    vm.config.put(delete="ide2", cores=4)  # expect: PUT /nodes/{}/qemu/{}/config (delete, cores) -> /nodes/{node}/qemu/{vmid}/config
    vm.status.shutdown.post(timeout=60, forceStop=True)  # expect: POST /nodes/{}/qemu/{}/status/shutdown (timeout, forceStop) -> /nodes/{node}/qemu/{vmid}/status/shutdown
    pve.nodes(node).qemu(vmid).delete(purge=True)  # expect: DELETE /nodes/{}/qemu/{} (purge) -> /nodes/{node}/qemu/{vmid}


def raw_escape_hatch() -> None:
    pve.request("GET", "/cluster/status")  # expect: GET /cluster/status -> /cluster/status
    pve.download("/nodes/pve1/tasks/UPID:pve1:1/log", "task.log", download=1)  # expect: GET /nodes/pve1/tasks/UPID:pve1:1/log (download) -> /nodes/{node}/tasks/{upid}/log


def from_environment() -> None:
    client = ProxmoxVE.from_env()
    client.version.get()  # expect: GET /version -> /version
    with ProxmoxVE("pve.example", user="root@pam", password="pw") as session:
        session.cluster.nextid.get()  # expect: GET /cluster/nextid -> /cluster/nextid
