"""Resource /nodes/{node}/lxc"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .. import types as _t
    from .. import propstrings as _ps
    from .r_nodes_node_lxc_vmid import NodesNodeLxcVmid


NodesNodeLxc_GetResultItem = TypedDict(
    "NodesNodeLxc_GetResultItem",
    {
        "vmid": int,
        "name": str,
        "status": str,
        "cpu": float,
        "cpus": float,
        "mem": int,
        "maxmem": int,
        "maxswap": int,
        "disk": int,
        "maxdisk": int,
        "diskread": int,
        "diskwrite": int,
        "netin": int,
        "netout": int,
        "uptime": int,
        "lock": str,
        "tags": str,
        "template": bool,
    },
    total=False,
)


class NodesNodeLxc(Resource):
    """Resource /nodes/{node}/lxc"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[NodesNodeLxc_GetResultItem]]] = Op(
        "GET",
        "/nodes/{node}/lxc",
        params={},
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
                    "maxswap": "integer",
                    "disk": "integer",
                    "maxdisk": "integer",
                    "diskread": "integer",
                    "diskwrite": "integer",
                    "netin": "integer",
                    "netout": "integer",
                    "uptime": "integer",
                    "template": "boolean",
                },
            ),
        ),
    )

    _op_post: ClassVar[Op[str]] = Op(
        "POST",
        "/nodes/{node}/lxc",
        params={
            "vmid": P(
                "vmid", "integer", required=True, minimum=100, maximum=999999999, format="pve-vmid"
            ),
            "ostemplate": P("ostemplate", "string", required=True, max_length=255),
            "hostname": P("hostname", "string", max_length=255, format="dns-name"),
            "password": P("password", "string", min_length=5),
            "ssh_public_keys": P("ssh-public-keys", "string"),
            "memory": P("memory", "integer", minimum=16),
            "swap": P("swap", "integer", minimum=0),
            "cores": P("cores", "integer", minimum=1, maximum=8192),
            "rootfs": P("rootfs", "string"),
            "mp": P("mp", "string", indexed=True),
            "net": P("net", "string", indexed=True),
            "nameserver": P("nameserver", "string", format="lxc-ip-with-ll-iface-list"),
            "searchdomain": P("searchdomain", "string", format="dns-name-list"),
            "storage": P("storage", "string", format="pve-storage-id"),
            "pool": P("pool", "string", format="pve-poolid"),
            "unprivileged": P("unprivileged", "boolean"),
            "features": P("features", "string"),
            "ostype": P(
                "ostype",
                "string",
                enum=(
                    "debian",
                    "devuan",
                    "ubuntu",
                    "centos",
                    "fedora",
                    "opensuse",
                    "archlinux",
                    "alpine",
                    "gentoo",
                    "nixos",
                    "unmanaged",
                ),
            ),
            "arch": P(
                "arch", "string", enum=("amd64", "i386", "arm64", "armhf", "riscv32", "riscv64")
            ),
            "onboot": P("onboot", "boolean"),
            "start": P("start", "boolean"),
            "description": P("description", "string", max_length=8192),
            "tags": P("tags", "string", format="pve-tag-list"),
            "restore": P("restore", "boolean"),
            "force": P("force", "boolean"),
        },
        path_params=(P("node", "string", required=True, format="pve-node"),),
        open=True,
        returns=None,
    )

    def __call__(self, vmid: int) -> NodesNodeLxcVmid:
        from .r_nodes_node_lxc_vmid import NodesNodeLxcVmid as _cls

        return _cls(self._client, (*self._values, vmid))

    def get(
        self,
    ) -> list[NodesNodeLxc_GetResultItem]:
        """List the containers on a node.

        GET /nodes/{node}/lxc
        Proxmox name: vmlist

        Permissions: user: all. Only containers the caller may audit (VM.Audit on /vms/{vmid}) are listed.

        Returns: array (One entry per container.)
        """
        return self._call(
            self._op_get,
            {},
        )

    def post(
        self,
        *,
        vmid: int,
        ostemplate: str,
        hostname: str | None = None,
        password: str | None = None,
        ssh_public_keys: str | None = None,
        memory: int | None = None,
        swap: int | None = None,
        cores: int | None = None,
        rootfs: str | _ps.LxcRootfs | None = None,
        mp: Mapping[int, str | _ps.LxcMp] | None = None,
        net: Mapping[int, str | _ps.LxcNet] | None = None,
        nameserver: str | None = None,
        searchdomain: str | None = None,
        storage: str | None = None,
        pool: str | None = None,
        unprivileged: bool | None = None,
        features: str | _ps.LxcFeatures | None = None,
        ostype: _t.NodesNodeLxcOstype | None = None,
        arch: _t.Arch | None = None,
        onboot: bool | None = None,
        start: bool | None = None,
        description: str | None = None,
        tags: str | None = None,
        restore: bool | None = None,
        force: bool | None = None,
        **extra: Any,
    ) -> str:
        """Create a container from a template, or restore one from a backup.

        POST /nodes/{node}/lxc
        Proxmox name: create_vm

        Args:
            vmid (integer; required; format pve-vmid; range 100..999999999): Id for the new container; ask GET /cluster/nextid for a free one.
            ostemplate (string; required; length 0..255): Template or backup to build from, e.g. 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst'.
            hostname (string; format dns-name; length 0..255): Host name inside the container.
            password (string; length 5..): Root password inside the container.
            ssh-public-keys (string): Public SSH keys for root, one per line.
            memory (integer; range 16..; default 512): RAM in MiB.
            swap (integer; range 0..; default 512): Swap in MiB.
            cores (integer; range 1..8192): Number of CPU cores (all host cores when left out).
            rootfs (string; property string key=value,...): Root file system, e.g. 'local-lvm:8' for a new 8 GiB volume.
            mp[n] (string; indexed: pass {index: value}, sent as mp0, mp1, ...; property string key=value,...): Extra mount point number n (mp0, mp1, ...).
            net[n] (string; indexed: pass {index: value}, sent as net0, net1, ...; property string key=value,...): Network interface number n (net0, ...), e.g. 'name=eth0,bridge=vmbr0,ip=dhcp'.
            nameserver (string; format lxc-ip-with-ll-iface-list): DNS servers; the host's are used when neither this nor searchdomain is set.
            searchdomain (string; format dns-name-list): DNS search domains.
            storage (string; format pve-storage-id; default "local"): Default storage for the root file system.
            pool (string; format pve-poolid): Resource pool to put the container in.
            unprivileged (boolean; default 0): Run the container with mapped (unprivileged) user ids.
            features (string; property string key=value,...): Optional kernel features the container may use.
            ostype (string; one of "debian", "devuan", "ubuntu", "centos", "fedora", "opensuse", "archlinux", "alpine", "gentoo", "nixos", "unmanaged"): Distribution, so the right set-up runs ('unmanaged' skips it).
            arch (string; one of "amd64", "i386", "arm64", "armhf", "riscv32", "riscv64"; default "amd64"): CPU architecture of the template.
            onboot (boolean; default 0): Start the container when the node boots.
            start (boolean; default 0): Start the container once it has been created.
            description (string; length 0..8192): Free-form notes shown in the container's summary.
            tags (string; format pve-tag-list): Tags, separated by ';'.
            restore (boolean): Treat ostemplate as a backup to restore.
            force (boolean): Allow overwriting an existing container (with restore).

        Permissions: user: all. Needs VM.Allocate on /vms/{vmid} or on the target pool and Datastore.AllocateSpace on the storage; privileged containers also need Sys.Modify on /. Restoring over an existing container needs VM.Backup only.

        Returns: string (Task id (UPID) of the background job; follow it with the task status and log calls.)
        """
        return self._call(
            self._op_post,
            {
                "vmid": vmid,
                "ostemplate": ostemplate,
                "hostname": hostname,
                "password": password,
                "ssh_public_keys": ssh_public_keys,
                "memory": memory,
                "swap": swap,
                "cores": cores,
                "rootfs": rootfs,
                "mp": mp,
                "net": net,
                "nameserver": nameserver,
                "searchdomain": searchdomain,
                "storage": storage,
                "pool": pool,
                "unprivileged": unprivileged,
                "features": features,
                "ostype": ostype,
                "arch": arch,
                "onboot": onboot,
                "start": start,
                "description": description,
                "tags": tags,
                "restore": restore,
                "force": force,
                **extra,
            },
        )
