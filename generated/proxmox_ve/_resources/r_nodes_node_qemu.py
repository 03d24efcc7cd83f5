"""Resource /nodes/{node}/qemu"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .. import types as _t
    from .. import propstrings as _ps
    from .r_nodes_node_qemu_vmid import NodesNodeQemuVmid


NodesNodeQemu_GetResultItem = TypedDict(
    "NodesNodeQemu_GetResultItem",
    {
        "vmid": int,
        "name": str,
        "status": str,
        "qmpstatus": str,
        "cpu": float,
        "cpus": float,
        "mem": int,
        "maxmem": int,
        "maxdisk": int,
        "diskread": int,
        "diskwrite": int,
        "netin": int,
        "netout": int,
        "uptime": int,
        "pid": int,
        "lock": str,
        "tags": str,
        "template": bool,
    },
    total=False,
)


class NodesNodeQemu(Resource):
    """Resource /nodes/{node}/qemu"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[NodesNodeQemu_GetResultItem]]] = Op(
        "GET",
        "/nodes/{node}/qemu",
        params={"full": P("full", "boolean")},
        path_params=(P("node", "string", required=True, format="pve-node"),),
        open=False,
        returns=(
            "array",
            (
                "object",
                {
                    "vmid": "integer",
                    "cpu": "number",
                    "cpus": "number",
                    "mem": "integer",
                    "maxmem": "integer",
                    "maxdisk": "integer",
                    "diskread": "integer",
                    "diskwrite": "integer",
                    "netin": "integer",
                    "netout": "integer",
                    "uptime": "integer",
                    "pid": "integer",
                    "template": "boolean",
                },
            ),
        ),
    )

    _op_post: ClassVar[Op[str]] = Op(
        "POST",
        "/nodes/{node}/qemu",
        params={
            "vmid": P(
                "vmid", "integer", required=True, minimum=100, maximum=999999999, format="pve-vmid"
            ),
            "name": P("name", "string", format="dns-name"),
            "memory": P("memory", "string"),
            "balloon": P("balloon", "integer", minimum=0),
            "cores": P("cores", "integer", minimum=1),
            "sockets": P("sockets", "integer", minimum=1),
            "cpu": P("cpu", "string", format="pve-vm-cpu-conf"),
            "numa": P("numa", "boolean"),
            "ostype": P(
                "ostype",
                "string",
                enum=(
                    "other",
                    "wxp",
                    "w2k",
                    "w2k3",
                    "w2k8",
                    "wvista",
                    "win7",
                    "win8",
                    "win10",
                    "win11",
                    "l24",
                    "l26",
                    "solaris",
                ),
            ),
            "bios": P("bios", "string", enum=("seabios", "ovmf")),
            "machine": P("machine", "string"),
            "scsihw": P(
                "scsihw",
                "string",
                enum=(
                    "lsi",
                    "lsi53c810",
                    "virtio-scsi-pci",
                    "virtio-scsi-single",
                    "megasas",
                    "pvscsi",
                ),
            ),
            "scsi": P("scsi", "string", indexed=True),
            "virtio": P("virtio", "string", indexed=True),
            "sata": P("sata", "string", indexed=True),
            "ide": P("ide", "string", indexed=True),
            "efidisk0": P("efidisk0", "string"),
            "net": P("net", "string", indexed=True),
            "vga": P("vga", "string"),
            "boot": P("boot", "string", format="pve-qm-boot"),
            "agent": P("agent", "string"),
            "ipconfig": P("ipconfig", "string", indexed=True, format="pve-qm-ipconfig"),
            "ciuser": P("ciuser", "string"),
            "sshkeys": P("sshkeys", "string", format="urlencoded"),
            "onboot": P("onboot", "boolean"),
            "start": P("start", "boolean"),
            "storage": P("storage", "string", format="pve-storage-id"),
            "pool": P("pool", "string", format="pve-poolid"),
            "description": P("description", "string", max_length=8192),
            "tags": P("tags", "string", format="pve-tag-list"),
            "template": P("template", "boolean"),
            "archive": P("archive", "string", max_length=255),
        },
        path_params=(P("node", "string", required=True, format="pve-node"),),
        open=True,
        returns=None,
    )

    def __call__(self, vmid: int) -> NodesNodeQemuVmid:
        from .r_nodes_node_qemu_vmid import NodesNodeQemuVmid as _cls

        return _cls(self._client, (*self._values, vmid))

    def get(
        self,
        *,
        full: bool | None = None,
    ) -> list[NodesNodeQemu_GetResultItem]:
        """List the virtual machines on a node.

        GET /nodes/{node}/qemu
        Proxmox name: vmlist

        Args:
            full (boolean): Also gather the costlier figures (such as the boot disk size).

        Permissions: user: all. Only VMs the caller may audit (VM.Audit on /vms/{vmid}) are listed.

        Returns: array (One entry per VM.)
        """
        return self._call(
            self._op_get,
            {
                "full": full,
            },
        )

    def post(
        self,
        *,
        vmid: int,
        name: str | None = None,
        memory: str | _ps.QemuMemory | None = None,
        balloon: int | None = None,
        cores: int | None = None,
        sockets: int | None = None,
        cpu: str | None = None,
        numa: bool | None = None,
        ostype: _t.Ostype | None = None,
        bios: _t.Bios | None = None,
        machine: str | _ps.QemuMachine | None = None,
        scsihw: _t.Scsihw | None = None,
        scsi: Mapping[int, str | _ps.QemuScsi] | None = None,
        virtio: Mapping[int, str | _ps.QemuVirtio] | None = None,
        sata: Mapping[int, str | _ps.QemuSata] | None = None,
        ide: Mapping[int, str | _ps.QemuIde] | None = None,
        efidisk0: str | _ps.QemuEfidisk0 | None = None,
        net: Mapping[int, str | _ps.QemuNet] | None = None,
        vga: str | _ps.QemuVga | None = None,
        boot: str | None = None,
        agent: str | _ps.QemuAgent | None = None,
        ipconfig: Mapping[int, str] | None = None,
        ciuser: str | None = None,
        sshkeys: str | None = None,
        onboot: bool | None = None,
        start: bool | None = None,
        storage: str | None = None,
        pool: str | None = None,
        description: str | None = None,
        tags: str | None = None,
        template: bool | None = None,
        archive: str | None = None,
        **extra: Any,
    ) -> str:
        """Create a virtual machine, or restore one from a backup.

        POST /nodes/{node}/qemu
        Proxmox name: create_vm

        Args:
            vmid (integer; required; format pve-vmid; range 100..999999999): Id for the new VM; ask GET /cluster/nextid for a free one.
            name (string; format dns-name): VM name (a DNS-style host name).
            memory (string; property string key=value,...): Memory size; the bare number is the RAM in MiB.
            balloon (integer; range 0..): Lowest RAM in MiB the balloon driver may shrink the VM to; 0 turns ballooning off.
            cores (integer; range 1..; default 1): CPU cores per socket.
            sockets (integer; range 1..; default 1): Number of CPU sockets.
            cpu (string; format pve-vm-cpu-conf): Emulated CPU type, e.g. 'host' or 'x86-64-v2-AES'.
            numa (boolean; default 0): Expose a NUMA topology to the guest.
            ostype (string; one of "other", "wxp", "w2k", "w2k3", "w2k8", "wvista", "win7", "win8", "win10", "win11", "l24", "l26", "solaris"; default "other"): Guest operating system, so defaults suit it (l26 = Linux 2.6+, win11, ...).
            bios (string; one of "seabios", "ovmf"; default "seabios"): Firmware: SeaBIOS or OVMF (UEFI).
            machine (string; property string key=value,...): Machine type and its options.
            scsihw (string; one of "lsi", "lsi53c810", "virtio-scsi-pci", "virtio-scsi-single", "megasas", "pvscsi"; default "lsi"): SCSI controller model.
            scsi[n] (string; indexed: pass {index: value}, sent as scsi0, scsi1, ...; property string key=value,...): SCSI disk or CD-ROM number n (scsi0, scsi1, ...).
            virtio[n] (string; indexed: pass {index: value}, sent as virtio0, virtio1, ...; property string key=value,...): VirtIO block disk number n (virtio0, ...).
            sata[n] (string; indexed: pass {index: value}, sent as sata0, sata1, ...; property string key=value,...): SATA disk or CD-ROM number n (sata0, ...).
            ide[n] (string; indexed: pass {index: value}, sent as ide0, ide1, ...; property string key=value,...): IDE disk or CD-ROM number n (ide0 to ide3); ide2 is the usual CD drive.
            efidisk0 (string; property string key=value,...): Disk holding the EFI variables (needed with bios=ovmf).
            net[n] (string; indexed: pass {index: value}, sent as net0, net1, ...; property string key=value,...): Network card number n (net0, net1, ...).
            vga (string; property string key=value,...): Display adapter.
            boot (string; format pve-qm-boot): Boot order, e.g. 'order=scsi0;ide2;net0'.
            agent (string; property string key=value,...): QEMU guest agent settings; the bare value turns it on (1) or off (0).
            ipconfig[n] (string; indexed: pass {index: value}, sent as ipconfig0, ipconfig1, ...; format pve-qm-ipconfig): cloud-init addresses for net[n], e.g. 'ip=dhcp' or 'ip=10.0.0.5/24,gw=10.0.0.1'.
            ciuser (string): cloud-init: user whose password and SSH keys are set.
            sshkeys (string; format urlencoded): cloud-init: public SSH keys, one per line (URL-encoded).
            onboot (boolean; default 0): Start the VM when the node boots.
            start (boolean; default 0): Start the VM once it has been created.
            storage (string; format pve-storage-id): Default storage for new disks.
            pool (string; format pve-poolid): Resource pool to put the VM in.
            description (string; length 0..8192): Free-form notes shown in the VM's summary.
            tags (string; format pve-tag-list): Tags, separated by ';'.
            template (boolean; default 0): Make the VM a template.
            archive (string; length 0..255): Backup to restore from: a backup volume id or a file path.

        Permissions: user: all. Needs VM.Allocate on /vms/{vmid} or on the target pool, Datastore.AllocateSpace on every storage that gets a new disk and SDN.Use on the bridges and VLANs used. Restoring over an existing VM needs VM.Backup only.

        Returns: string (Task id (UPID) of the background job; follow it with the task status and log calls.)
        """
        return self._call(
            self._op_post,
            {
                "vmid": vmid,
                "name": name,
                "memory": memory,
                "balloon": balloon,
                "cores": cores,
                "sockets": sockets,
                "cpu": cpu,
                "numa": numa,
                "ostype": ostype,
                "bios": bios,
                "machine": machine,
                "scsihw": scsihw,
                "scsi": scsi,
                "virtio": virtio,
                "sata": sata,
                "ide": ide,
                "efidisk0": efidisk0,
                "net": net,
                "vga": vga,
                "boot": boot,
                "agent": agent,
                "ipconfig": ipconfig,
                "ciuser": ciuser,
                "sshkeys": sshkeys,
                "onboot": onboot,
                "start": start,
                "storage": storage,
                "pool": pool,
                "description": description,
                "tags": tags,
                "template": template,
                "archive": archive,
                **extra,
            },
        )
