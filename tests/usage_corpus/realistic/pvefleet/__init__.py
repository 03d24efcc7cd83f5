"""pvefleet: day-to-day automation for a small Proxmox VE cluster.

Inventory for configuration management, VM provisioning from templates, backup audits, cluster health
checks, SDN and firewall housekeeping, users and tokens. Written against PVE 9.1 with proxmoxer, the
generated pvegen client (proxmox_ve) and, where a ticket is all we have, plain requests.
"""

__version__ = "2.3.0"
