"""The built-in roles of each PVE release, built the way PVE::AccessControl builds them.

PVE files every privilege under a category and a tier (``$privgroups`` in PVE/AccessControl.pm):
``root`` (only Administrator holds it), ``admin``, ``user`` and ``audit``. ``create_roles()`` then makes

- ``PVE<Cat>Admin``: the category's admin, user and audit privileges;
- ``PVE<Cat>User``: its user and audit privileges (only when the user tier is not empty);
- ``PVEAdmin``: every category's admin, user and audit privileges; ``PVEAuditor``: every audit privilege;
- ``Administrator``: every privilege; ``NoAccess``: none; ``PVETemplateUser``: VM.Clone and VM.Audit.

The table below is the union over the majors; a release keeps only the privileges it knows (its role model,
``Spec.privileges``), so roles follow the release: PVEVMAdmin holds VM.Monitor up to 8.x and the
VM.GuestAgent.* privileges from 9.x on, PVESDNUser exists once SDN.Use does, PVEPoolUser once Pool.Audit does.
What the privilege set cannot tell is written per major in ``_tier``. Sources: docs/mock.md ("Permissions").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..model import Spec

LATEST_MAJOR = 9

# (privilege, category, tiers, first major, last major). A privilege in two tiers (SDN.Audit, Pool.Audit) is
# listed in both, as PVE lists it.
_PRIVILEGES: tuple[tuple[str, str, tuple[str, ...], int, int], ...] = (
    ("VM.Config.Disk", "VM", ("admin",), 1, LATEST_MAJOR),
    ("VM.Config.CPU", "VM", ("admin",), 1, LATEST_MAJOR),
    ("VM.Config.Memory", "VM", ("admin",), 1, LATEST_MAJOR),
    ("VM.Config.Network", "VM", ("admin",), 1, LATEST_MAJOR),
    ("VM.Config.HWType", "VM", ("admin",), 1, LATEST_MAJOR),
    ("VM.Config.Options", "VM", ("admin",), 1, LATEST_MAJOR),
    ("VM.Allocate", "VM", ("admin",), 1, LATEST_MAJOR),
    ("VM.Clone", "VM", ("admin",), 1, LATEST_MAJOR),
    ("VM.Migrate", "VM", ("admin",), 1, LATEST_MAJOR),
    ("VM.Monitor", "VM", ("admin",), 1, 8),  # dropped in 9.0 for the VM.GuestAgent.* privileges
    ("VM.Replicate", "VM", ("admin",), 9, LATEST_MAJOR),
    ("VM.GuestAgent.Unrestricted", "VM", ("admin",), 9, LATEST_MAJOR),
    ("VM.Snapshot", "VM", ("admin",), 1, LATEST_MAJOR),
    ("VM.Snapshot.Rollback", "VM", ("admin",), 1, LATEST_MAJOR),
    ("VM.Config.CDROM", "VM", ("user",), 1, LATEST_MAJOR),
    ("VM.Config.Cloudinit", "VM", ("user",), 6, LATEST_MAJOR),
    ("VM.Console", "VM", ("user",), 1, LATEST_MAJOR),
    ("VM.Backup", "VM", ("user",), 1, LATEST_MAJOR),
    ("VM.GuestAgent.FileRead", "VM", ("user",), 9, LATEST_MAJOR),
    ("VM.GuestAgent.FileSystemMgmt", "VM", ("user",), 9, LATEST_MAJOR),
    ("VM.GuestAgent.FileWrite", "VM", ("user",), 9, LATEST_MAJOR),
    ("VM.PowerMgmt", "VM", ("user",), 1, LATEST_MAJOR),
    ("VM.Audit", "VM", ("audit",), 1, LATEST_MAJOR),
    ("VM.GuestAgent.Audit", "VM", ("audit",), 9, LATEST_MAJOR),
    ("Sys.PowerMgmt", "Sys", ("root",), 1, LATEST_MAJOR),
    ("Sys.Modify", "Sys", ("root",), 1, LATEST_MAJOR),
    ("Sys.Incoming", "Sys", ("root",), 7, LATEST_MAJOR),
    ("Sys.AccessNetwork", "Sys", ("root",), 8, LATEST_MAJOR),
    ("Sys.Console", "Sys", ("admin",), 1, LATEST_MAJOR),
    ("Sys.Syslog", "Sys", ("admin",), 1, LATEST_MAJOR),
    ("Sys.Audit", "Sys", ("audit",), 1, LATEST_MAJOR),
    ("Permissions.Modify", "Sys", ("admin",), 1, LATEST_MAJOR),  # in no group from 8.0 on: see _tier
    ("Datastore.Allocate", "Datastore", ("admin",), 1, LATEST_MAJOR),
    ("Datastore.AllocateTemplate", "Datastore", ("admin",), 1, LATEST_MAJOR),
    ("Datastore.AllocateSpace", "Datastore", ("user",), 1, LATEST_MAJOR),
    ("Datastore.Audit", "Datastore", ("audit",), 1, LATEST_MAJOR),
    ("SDN.Allocate", "SDN", ("admin",), 6, LATEST_MAJOR),
    ("SDN.Audit", "SDN", ("admin", "audit"), 6, LATEST_MAJOR),
    ("SDN.Use", "SDN", ("user",), 8, LATEST_MAJOR),
    ("Realm.Allocate", "User", ("root",), 1, LATEST_MAJOR),
    ("User.Modify", "User", ("admin",), 1, LATEST_MAJOR),
    ("Group.Allocate", "User", ("admin",), 1, LATEST_MAJOR),
    ("Realm.AllocateUser", "User", ("admin",), 1, LATEST_MAJOR),
    ("Pool.Allocate", "Pool", ("admin",), 1, LATEST_MAJOR),
    ("Pool.Audit", "Pool", ("user", "audit"), 7, LATEST_MAJOR),
    ("Mapping.Modify", "Mapping", ("admin",), 8, LATEST_MAJOR),
    ("Mapping.Use", "Mapping", ("user",), 8, LATEST_MAJOR),
    ("Mapping.Audit", "Mapping", ("audit",), 8, LATEST_MAJOR),
)


def major_of(version: str | None) -> int:
    """``"8.4"`` -> 8; an unknown or missing version counts as the latest major."""
    head = (version or "").split(".", 1)[0]
    return int(head) if head.isdigit() else LATEST_MAJOR


def _tier(privilege: str, tiers: tuple[str, ...], major: int) -> tuple[str, ...]:
    """What the privilege set alone cannot tell: PVE 8.0 took Permissions.Modify out of the Sys group (so out of
    PVESysAdmin and PVEAdmin; only Administrator holds it since)."""
    if privilege == "Permissions.Modify" and major >= 8:
        return ()
    return tiers


def release_privileges(spec: Spec) -> frozenset[str]:
    """Every privilege the release knows: its role model, or (a spec without one) the privileges PVE had in the
    spec's major plus every privilege the spec's own permission checks name."""
    if spec.privileges is not None:
        return spec.privileges
    major = major_of(spec.version)
    named: set[str] = set()
    for op in spec.operations:
        if op.permissions is not None:
            named |= op.permissions.privileges()
    return frozenset(p for p, _, _, first, last in _PRIVILEGES if first <= major <= last) | named


def builtin_roles(privileges: Iterable[str], version: str | None) -> dict[str, frozenset[str]]:
    """The built-in roles of a release that knows ``privileges`` (role name -> its privileges)."""
    valid = frozenset(privileges)
    major = major_of(version)
    roles: dict[str, set[str]] = {
        "Administrator": set(valid),
        "NoAccess": set(),
        "PVEAdmin": set(),
        "PVEAuditor": set(),
    }
    users: dict[str, set[str]] = {}
    for privilege, category, tiers, _first, _last in _PRIVILEGES:
        if privilege not in valid:
            continue
        for tier in _tier(privilege, tiers, major):
            if tier == "root":
                continue
            roles.setdefault(f"PVE{category}Admin", set()).add(privilege)
            roles["PVEAdmin"].add(privilege)
            if tier == "audit":
                roles["PVEAuditor"].add(privilege)
                users.setdefault(category, set()).add(privilege)
            elif tier == "user":
                users.setdefault(category, set()).add(privilege)
                roles.setdefault(f"PVE{category}User", set())
    for category, held in users.items():
        if f"PVE{category}User" in roles:  # PVE makes the user role only when the user tier is not empty
            roles[f"PVE{category}User"] |= held
    roles["PVEAdmin"].discard("Mapping.Modify")  # PVE: only Administrator and PVEMappingAdmin manage mappings
    roles["PVETemplateUser"] = {"VM.Clone", "VM.Audit"} & valid
    return {name: frozenset(held) for name, held in roles.items()}


def role_records(roles: Mapping[str, frozenset[str]]) -> dict[str, dict[str, Any]]:
    """Roles as the mock's state keeps them (and ``GET /access/roles`` lists them): built-ins are ``special``."""
    return {name: {"roleid": name, "privs": ",".join(sorted(held)), "special": 1} for name, held in roles.items()}


def invalid_privilege(names: Iterable[str], valid: frozenset[str]) -> str | None:
    """The first name that is not a privilege of the release (PVE's ``verify_privname``), or None."""
    return next((name for name in names if name not in valid), None)


def reserved_role_id(roleid: str, version: str | None) -> bool:
    """PVE 8.0+ keeps role ids starting with ``PVE`` (any case) for its own roles."""
    return major_of(version) >= 8 and roleid.upper().startswith("PVE")
