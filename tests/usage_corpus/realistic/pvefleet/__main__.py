"""``python -m pvefleet``: the CLI, plus ``python -m pvefleet doctor`` to check a configuration end to end."""

from __future__ import annotations

import sys

from .cli import main
from .config import ConfigError, load
from .connection import proxmox


def doctor(config_path: str | None = None) -> int:
    """Load the settings, reach every cluster, and say what the token may do."""
    try:
        settings = load(config_path)
    except ConfigError as err:
        print(f"configuration: {err}")
        return 2
    worst = 0
    for name, cluster in sorted(settings.clusters.items()):
        api = proxmox(cluster)
        try:
            version = api.version.get()
        except Exception as err:  # noqa: BLE001 - any failure to reach a cluster is a finding here
            print(f"{name}: cannot reach {cluster.host}: {err}")
            worst = 2
            continue
        print(f"{name}: PVE {version.get('version')} ({version.get('release')})")
        permissions = api.access.permissions.get(path="/")
        needed = ("VM.Audit", "Sys.Audit", "Datastore.Audit")
        missing = [p for p in needed if not permissions.get("/", {}).get(p)]
        if missing:
            print(f"{name}: the token lacks {', '.join(missing)} on /")
            worst = max(worst, 1)
        nodes = [n["node"] for n in api.nodes.get() if n.get("status") == "online"]
        print(f"{name}: {len(nodes)} node(s) online: {', '.join(sorted(nodes))}")
    return worst


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "doctor":
        sys.exit(doctor(sys.argv[2] if len(sys.argv) > 2 else None))
    sys.exit(main())
