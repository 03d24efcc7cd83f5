"""Code that looks like API chains but is not: nothing here is a call."""

import json
import os

config = json.load(open(os.path.expanduser("~/.pve.json")))
nodes = {"pve1": {"storage": "local"}}


class Inventory:
    def __init__(self):
        self.nodes = {}
        self.storage = {}

    def add(self, name):
        self.nodes.get(name)
        self.storage.get(name, "local")
        return config.get("nodes", [])


def settings(options):
    value = options.get("cluster")
    os.environ.get("PVE_HOST")
    nodes.get("pve1").get("storage")
    return value.set("x", 1)
