"""How parameters reach a call: keywords, literal dicts, dicts built in sight, and what cannot be seen."""

from proxmoxer import ProxmoxAPI

api = ProxmoxAPI("pve.example", user="root@pam", password="pw")


def keywords(node, vmid):
    api.nodes(node).qemu(vmid).config.post(cores=2, sockets=1, **{"cpu": "host", "numa": 1})  # expect: POST /nodes/{}/qemu/{}/config (cores, sockets, cpu, numa) -> /nodes/{node}/qemu/{vmid}/config


def built_here(node, vmid, with_agent):
    params = {"vmid": vmid, "name": "app"}
    params["memory"] = 4096
    params.update({"ostype": "l26"}, balloon=0)
    if with_agent:
        params["agent"] = "enabled=1"
    params.setdefault("onboot", 1)
    api.nodes(node).qemu.create(**params)  # expect: POST /nodes/{}/qemu (vmid, name, memory, ostype, balloon, agent, onboot) -> /nodes/{node}/qemu


def built_with_dict_call(node):
    options = dict(vmid=200, hostname="ct1", ostemplate="local:vztmpl/debian.tar.zst")
    del options["hostname"]
    api.nodes(node).lxc.post(**options)  # expect: POST /nodes/{}/lxc (vmid, ostemplate) -> /nodes/{node}/lxc


def from_elsewhere(node, vmid, **kwargs):
    api.nodes(node).qemu(vmid).config.put(**kwargs)  # expect: PUT /nodes/{}/qemu/{}/config (+unknown) -> /nodes/{node}/qemu/{vmid}/config


def handed_away(node, vmid, fill):
    params = {"cores": 1}
    fill(params)
    api.nodes(node).qemu(vmid).config.put(**params)  # expect: PUT /nodes/{}/qemu/{}/config (cores, +unknown) -> /nodes/{node}/qemu/{vmid}/config


def computed_key(node, vmid, key, value):
    params = {"cores": 1}
    params[key] = value
    api.nodes(node).qemu(vmid).config.put(**params)  # expect: PUT /nodes/{}/qemu/{}/config (cores, +unknown) -> /nodes/{node}/qemu/{vmid}/config


def from_a_function(node, vmid, settings):
    api.nodes(node).qemu(vmid).config.put(**settings.as_params())  # expect: PUT /nodes/{}/qemu/{}/config (+unknown) -> /nodes/{node}/qemu/{vmid}/config


def none_is_not_sent(node, vmid, description=None):
    api.nodes(node).qemu(vmid).config.put(description=description, tags="web;prod")  # expect: PUT /nodes/{}/qemu/{}/config (description, tags) -> /nodes/{node}/qemu/{vmid}/config


def branches(node, vmid, is_vm):
    params = {"snapname": "nightly"}
    if is_vm:
        params["vmstate"] = 1
        api.nodes(node).qemu(vmid).snapshot.post(**params)  # expect: POST /nodes/{}/qemu/{}/snapshot (snapname, vmstate) -> /nodes/{node}/qemu/{vmid}/snapshot
    else:
        api.nodes(node).lxc(vmid).snapshot.post(**params)  # expect: POST /nodes/{}/lxc/{}/snapshot (snapname) -> /nodes/{node}/lxc/{vmid}/snapshot
    api.nodes(node).qemu(vmid).snapshot.post(**params)  # expect: POST /nodes/{}/qemu/{}/snapshot (snapname, vmstate) -> /nodes/{node}/qemu/{vmid}/snapshot
