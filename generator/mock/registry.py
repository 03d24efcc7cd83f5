"""Every route the mock answers from its state, by literal path, and the rule for all the others.

A route here is used when the spec has the operation; a spec without it simply never reaches it.
Operations without a route are answered by the two rules of ``answer_unmodelled``:

1. **A write that returns a string starts a task** (``starts_task``): PVE runs such calls as worker
   tasks and returns the task's UPID, so the mock starts a task (which changes nothing) and returns its
   UPID. The caller can wait for it like any other.
2. Everything else answers schema-valid **sample data**, deterministic for the seed and the path.

Both first check what the path names (the node, the guest), so a missing VM is a 500 as on PVE.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .access import (
    domain_create,
    domain_delete,
    domain_get,
    domain_update,
    domains_list,
    group_create,
    group_delete,
    group_get,
    group_update,
    groups_list,
    password_change,
    role_create,
    role_delete,
    role_get,
    role_update,
    roles_list,
    user_create,
    user_delete,
    user_get,
    user_update,
    users_list,
)
from .call import Call, Handler, starts_task
from .clones import guest_clone, guest_template
from .cluster import cluster_nextid, cluster_resources, cluster_status, cluster_tasks, nodes_list, version
from .fake import rng_for, sample
from .guests import (
    guest_config_get,
    guest_config_post,
    guest_config_put,
    guest_create,
    guest_destroy,
    guest_list,
    guest_pending,
    guest_reboot,
    guest_reset,
    guest_resize,
    guest_resume,
    guest_shutdown,
    guest_start,
    guest_status_current,
    guest_stop,
    guest_suspend,
)
from .login import login_tfa, login_ticket, login_ticket_page
from .network import (
    network_apply,
    network_create,
    network_delete,
    network_get,
    network_list,
    network_revert,
    network_update,
)
from .pools import pool_create, pool_delete, pool_get, pool_list, pool_update
from .snapshots import (
    snapshot_config_get,
    snapshot_config_put,
    snapshot_create,
    snapshot_delete,
    snapshot_index,
    snapshot_list,
    snapshot_rollback,
)
from .storage import (
    content_allocate,
    content_delete,
    content_get,
    content_list,
    content_update,
    content_upload,
    node_storage_list,
    node_storage_status,
    storage_create,
    storage_delete,
    storage_get,
    storage_list,
    storage_update,
)
from .tasks import node_tasks, task_index, task_log, task_status, task_stop


@dataclass(frozen=True)
class Route:
    handler: Handler
    public: bool = False  # answered without authentication: the logins themselves


ROUTES: dict[tuple[str, str], Route] = {
    # -- login ----------------------------------------------------------------------------
    ("POST", "/access/ticket"): Route(login_ticket, public=True),
    ("GET", "/access/ticket"): Route(login_ticket_page, public=True),
    ("POST", "/access/tfa"): Route(login_tfa, public=True),  # the half ticket is checked by the step itself
    # -- guests: qemu ---------------------------------------------------------------------
    ("GET", "/nodes/{node}/qemu"): Route(guest_list),
    ("POST", "/nodes/{node}/qemu"): Route(guest_create),
    ("DELETE", "/nodes/{node}/qemu/{vmid}"): Route(guest_destroy),
    ("GET", "/nodes/{node}/qemu/{vmid}/config"): Route(guest_config_get),
    ("PUT", "/nodes/{node}/qemu/{vmid}/config"): Route(guest_config_put),
    ("POST", "/nodes/{node}/qemu/{vmid}/config"): Route(guest_config_post),
    ("GET", "/nodes/{node}/qemu/{vmid}/pending"): Route(guest_pending),
    ("PUT", "/nodes/{node}/qemu/{vmid}/resize"): Route(guest_resize),
    ("GET", "/nodes/{node}/qemu/{vmid}/status/current"): Route(guest_status_current),
    ("POST", "/nodes/{node}/qemu/{vmid}/status/start"): Route(guest_start),
    ("POST", "/nodes/{node}/qemu/{vmid}/status/stop"): Route(guest_stop),
    ("POST", "/nodes/{node}/qemu/{vmid}/status/shutdown"): Route(guest_shutdown),
    ("POST", "/nodes/{node}/qemu/{vmid}/status/reboot"): Route(guest_reboot),
    ("POST", "/nodes/{node}/qemu/{vmid}/status/reset"): Route(guest_reset),
    ("POST", "/nodes/{node}/qemu/{vmid}/status/suspend"): Route(guest_suspend),
    ("POST", "/nodes/{node}/qemu/{vmid}/status/resume"): Route(guest_resume),
    ("GET", "/nodes/{node}/qemu/{vmid}/snapshot"): Route(snapshot_list),
    ("POST", "/nodes/{node}/qemu/{vmid}/snapshot"): Route(snapshot_create),
    ("GET", "/nodes/{node}/qemu/{vmid}/snapshot/{snapname}"): Route(snapshot_index),
    ("DELETE", "/nodes/{node}/qemu/{vmid}/snapshot/{snapname}"): Route(snapshot_delete),
    ("GET", "/nodes/{node}/qemu/{vmid}/snapshot/{snapname}/config"): Route(snapshot_config_get),
    ("PUT", "/nodes/{node}/qemu/{vmid}/snapshot/{snapname}/config"): Route(snapshot_config_put),
    ("POST", "/nodes/{node}/qemu/{vmid}/snapshot/{snapname}/rollback"): Route(snapshot_rollback),
    ("POST", "/nodes/{node}/qemu/{vmid}/clone"): Route(guest_clone),
    ("POST", "/nodes/{node}/qemu/{vmid}/template"): Route(guest_template),
    # -- guests: lxc ----------------------------------------------------------------------
    ("GET", "/nodes/{node}/lxc"): Route(guest_list),
    ("POST", "/nodes/{node}/lxc"): Route(guest_create),
    ("DELETE", "/nodes/{node}/lxc/{vmid}"): Route(guest_destroy),
    ("GET", "/nodes/{node}/lxc/{vmid}/config"): Route(guest_config_get),
    ("PUT", "/nodes/{node}/lxc/{vmid}/config"): Route(guest_config_put),
    ("GET", "/nodes/{node}/lxc/{vmid}/pending"): Route(guest_pending),
    ("PUT", "/nodes/{node}/lxc/{vmid}/resize"): Route(guest_resize),
    ("GET", "/nodes/{node}/lxc/{vmid}/status/current"): Route(guest_status_current),
    ("POST", "/nodes/{node}/lxc/{vmid}/status/start"): Route(guest_start),
    ("POST", "/nodes/{node}/lxc/{vmid}/status/stop"): Route(guest_stop),
    ("POST", "/nodes/{node}/lxc/{vmid}/status/shutdown"): Route(guest_shutdown),
    ("POST", "/nodes/{node}/lxc/{vmid}/status/reboot"): Route(guest_reboot),
    ("POST", "/nodes/{node}/lxc/{vmid}/status/suspend"): Route(guest_suspend),
    ("POST", "/nodes/{node}/lxc/{vmid}/status/resume"): Route(guest_resume),
    ("GET", "/nodes/{node}/lxc/{vmid}/snapshot"): Route(snapshot_list),
    ("POST", "/nodes/{node}/lxc/{vmid}/snapshot"): Route(snapshot_create),
    ("GET", "/nodes/{node}/lxc/{vmid}/snapshot/{snapname}"): Route(snapshot_index),
    ("DELETE", "/nodes/{node}/lxc/{vmid}/snapshot/{snapname}"): Route(snapshot_delete),
    ("GET", "/nodes/{node}/lxc/{vmid}/snapshot/{snapname}/config"): Route(snapshot_config_get),
    ("PUT", "/nodes/{node}/lxc/{vmid}/snapshot/{snapname}/config"): Route(snapshot_config_put),
    ("POST", "/nodes/{node}/lxc/{vmid}/snapshot/{snapname}/rollback"): Route(snapshot_rollback),
    ("POST", "/nodes/{node}/lxc/{vmid}/clone"): Route(guest_clone),
    ("POST", "/nodes/{node}/lxc/{vmid}/template"): Route(guest_template),
    # -- pools ----------------------------------------------------------------------------
    ("GET", "/pools"): Route(pool_list),
    ("POST", "/pools"): Route(pool_create),
    ("PUT", "/pools"): Route(pool_update),
    ("DELETE", "/pools"): Route(pool_delete),
    ("GET", "/pools/{poolid}"): Route(pool_get),
    ("PUT", "/pools/{poolid}"): Route(pool_update),
    ("DELETE", "/pools/{poolid}"): Route(pool_delete),
    # -- storage --------------------------------------------------------------------------
    ("GET", "/storage"): Route(storage_list),
    ("POST", "/storage"): Route(storage_create),
    ("GET", "/storage/{storage}"): Route(storage_get),
    ("PUT", "/storage/{storage}"): Route(storage_update),
    ("DELETE", "/storage/{storage}"): Route(storage_delete),
    ("GET", "/nodes/{node}/storage"): Route(node_storage_list),
    ("GET", "/nodes/{node}/storage/{storage}/status"): Route(node_storage_status),
    ("GET", "/nodes/{node}/storage/{storage}/content"): Route(content_list),
    ("POST", "/nodes/{node}/storage/{storage}/content"): Route(content_allocate),
    ("GET", "/nodes/{node}/storage/{storage}/content/{volume}"): Route(content_get),
    ("PUT", "/nodes/{node}/storage/{storage}/content/{volume}"): Route(content_update),
    ("DELETE", "/nodes/{node}/storage/{storage}/content/{volume}"): Route(content_delete),
    ("POST", "/nodes/{node}/storage/{storage}/upload"): Route(content_upload),
    # -- network --------------------------------------------------------------------------
    ("GET", "/nodes/{node}/network"): Route(network_list),
    ("POST", "/nodes/{node}/network"): Route(network_create),
    ("PUT", "/nodes/{node}/network"): Route(network_apply),
    ("DELETE", "/nodes/{node}/network"): Route(network_revert),
    ("GET", "/nodes/{node}/network/{iface}"): Route(network_get),
    ("PUT", "/nodes/{node}/network/{iface}"): Route(network_update),
    ("DELETE", "/nodes/{node}/network/{iface}"): Route(network_delete),
    # -- cluster --------------------------------------------------------------------------
    ("GET", "/nodes"): Route(nodes_list),
    ("GET", "/cluster/resources"): Route(cluster_resources),
    ("GET", "/cluster/status"): Route(cluster_status),
    ("GET", "/cluster/nextid"): Route(cluster_nextid),
    ("GET", "/cluster/tasks"): Route(cluster_tasks),
    ("GET", "/version"): Route(version),
    # -- tasks ----------------------------------------------------------------------------
    ("GET", "/nodes/{node}/tasks"): Route(node_tasks),
    ("GET", "/nodes/{node}/tasks/{upid}"): Route(task_index),
    ("GET", "/nodes/{node}/tasks/{upid}/status"): Route(task_status),
    ("GET", "/nodes/{node}/tasks/{upid}/log"): Route(task_log),
    ("DELETE", "/nodes/{node}/tasks/{upid}"): Route(task_stop),
    # -- access ---------------------------------------------------------------------------
    ("GET", "/access/users"): Route(users_list),
    ("POST", "/access/users"): Route(user_create),
    ("GET", "/access/users/{userid}"): Route(user_get),
    ("PUT", "/access/users/{userid}"): Route(user_update),
    ("DELETE", "/access/users/{userid}"): Route(user_delete),
    ("PUT", "/access/password"): Route(password_change),
    ("GET", "/access/groups"): Route(groups_list),
    ("POST", "/access/groups"): Route(group_create),
    ("GET", "/access/groups/{groupid}"): Route(group_get),
    ("PUT", "/access/groups/{groupid}"): Route(group_update),
    ("DELETE", "/access/groups/{groupid}"): Route(group_delete),
    ("GET", "/access/roles"): Route(roles_list),
    ("POST", "/access/roles"): Route(role_create),
    ("GET", "/access/roles/{roleid}"): Route(role_get),
    ("PUT", "/access/roles/{roleid}"): Route(role_update),
    ("DELETE", "/access/roles/{roleid}"): Route(role_delete),
    ("GET", "/access/domains"): Route(domains_list),
    ("POST", "/access/domains"): Route(domain_create),
    ("GET", "/access/domains/{realm}"): Route(domain_get),
    ("PUT", "/access/domains/{realm}"): Route(domain_update),
    ("DELETE", "/access/domains/{realm}"): Route(domain_delete),
}


_SAMPLES_KEPT = 4096


def answer_unmodelled(call: Call, seed: int, api_path: str, samples: dict[tuple[str, str], Any]) -> Any:
    """The answer for an operation without a route: a task for an asynchronous write, else sample data
    (the same for the same seed and path, so it is made once and kept in ``samples``)."""
    node = call.values.get("node")
    if isinstance(node, str):
        call.state.check_node(node)
    vmid = call.values.get("vmid")
    for kind in ("qemu", "lxc"):
        if f"/{kind}/{{vmid}}" in call.op.path and isinstance(node, str) and vmid is not None:
            call.state.guest(node, int(vmid), kind)
    op = call.op
    if starts_task(op):
        kind = (op.name or "task").replace("_", "")
        ident = str(call.values.get("vmid", call.values.get("storage", call.values.get("name", ""))))
        return call.start_task(kind, ident, node=node if isinstance(node, str) else call.state.nodes[0])
    key = (op.method, api_path)
    made = samples.get(key)
    if made is None:
        if len(samples) >= _SAMPLES_KEPT:
            samples.clear()
        path_values = {k: str(v) for k, v in call.values.items() if k in op.path_parameters}
        made = samples[key] = (sample(op.returns, rng_for(seed, op.method, api_path), path_values),)
    return made[0]  # only ever serialised, never changed
