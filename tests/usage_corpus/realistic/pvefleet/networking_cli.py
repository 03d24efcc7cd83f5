"""A small separate tool the network team runs: bridges and DNS on every node (no package imports)."""

import argparse
import os
import sys

from proxmoxer import ProxmoxAPI


def connect():
    return ProxmoxAPI(
        os.environ["PVE_HOST"],
        user=os.environ.get("PVE_USER", "root@pam"),
        token_name=os.environ["PVE_TOKEN_NAME"],
        token_value=os.environ["PVE_TOKEN_VALUE"],
        verify_ssl=os.environ.get("PVE_VERIFY", "1") != "0",
    )


def show(px, node):
    for iface in px.nodes(node).network.get():
        print(f"{node} {iface['iface']:12} {iface.get('type', ''):10} {iface.get('cidr', '') or ''}")


def add_vlan(px, node, parent, tag, cidr=None):
    name = f"{parent}.{tag}"
    params = {"iface": name, "type": "vlan", "autostart": 1, "vlan-raw-device": parent}
    if cidr:
        params["cidr"] = cidr
    px.nodes(node).network.post(**params)
    px.nodes(node).network.put()


def set_dns(px, node, servers, search):
    options = {"search": search}
    for index, server in enumerate(servers, start=1):
        options["dns%d" % index] = server
    px.nodes(node).dns.put(**options)


def hosts_file(px, node):
    return px.nodes(node).hosts.get()["data"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=("show", "vlan", "dns", "hosts"))
    parser.add_argument("--node", action="append")
    parser.add_argument("--parent", default="vmbr0")
    parser.add_argument("--tag", type=int)
    parser.add_argument("--cidr")
    parser.add_argument("--dns", action="append", default=[])
    parser.add_argument("--search", default="example.internal")
    args = parser.parse_args()
    px = connect()
    nodes = args.node or [n["node"] for n in px.nodes.get() if n.get("status") == "online"]
    for node in nodes:
        if args.action == "show":
            show(px, node)
        elif args.action == "vlan":
            if args.tag is None:
                parser.error("--tag is required")
            add_vlan(px, node, args.parent, args.tag, args.cidr)
        elif args.action == "dns":
            set_dns(px, node, args.dns, args.search)
        else:
            sys.stdout.write(hosts_file(px, node))
    return 0


if __name__ == "__main__":
    sys.exit(main())
