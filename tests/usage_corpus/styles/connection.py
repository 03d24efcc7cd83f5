"""Where the client is made: the other modules only import it (a late root, found over the tree)."""

import os

from proxmoxer import ProxmoxAPI

api = ProxmoxAPI(os.environ["PVE_HOST"], user="root@pam", token_name="ci", token_value=os.environ["PVE_TOKEN"])


def connect(host):
    return ProxmoxAPI(host, user="root@pam", password=os.environ["PVE_PASSWORD"])


class Base:
    def __init__(self, host):
        self.proxmox_api = ProxmoxAPI(host, user="root@pam", password="")
