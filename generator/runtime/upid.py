"""The UPID: how PVE names a worker task (``UPID:node:PID:PSTART:STARTTIME:type:id:user:``).

One grammar for everyone who reads or writes task ids: the client's task helpers and the mock's tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["UPID"]

# PVE::Tools::upid_decode: node, then PID, PSTART (8 or 9 hex digits: long uptimes), STARTTIME
# in hex, then type, id (may be empty) and user, each free of ':' and white space.
_UPID = re.compile(
    r"UPID:(?P<node>[a-zA-Z0-9](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?):(?P<pid>[0-9A-Fa-f]{8}):"
    r"(?P<pstart>[0-9A-Fa-f]{8,9}):(?P<starttime>[0-9A-Fa-f]{8}):(?P<type>[^:\s]+):"
    r"(?P<id>[^:\s]*):(?P<user>[^:\s]+):"
)
# PVE writes ':' inside an id (a volume id such as local:iso/x.iso) as the text \x3a.
_COLON = "\\x3a"


@dataclass(frozen=True)
class UPID:
    """A task id as PVE writes it: ``UPID:node:PID:PSTART:STARTTIME:type:id:user:``.

    ``id`` is decoded (``local:iso/x.iso``, not ``local\\x3aiso/x.iso``); ``str()`` gives
    the wire form back, and ``UPID.parse(str(u)) == u``.
    """

    node: str
    pid: int
    pstart: int
    starttime: int
    type: str
    id: str
    user: str

    @classmethod
    def parse(cls, text: str) -> UPID:
        match = _UPID.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"not a UPID: {text!r}")
        return cls(
            node=match["node"],
            pid=int(match["pid"], 16),
            pstart=int(match["pstart"], 16),
            starttime=int(match["starttime"], 16),
            type=match["type"],
            id=match["id"].replace(_COLON, ":"),
            user=match["user"],
        )

    @property
    def wire_id(self) -> str:
        """The id as it stands in the UPID (and in PVE's task lists): ``local\\x3aiso/x.iso``."""
        return self.id.replace(":", _COLON)

    def __str__(self) -> str:
        return (
            f"UPID:{self.node}:{self.pid:08X}:{self.pstart:08X}:{self.starttime:08X}:"
            f"{self.type}:{self.wire_id}:{self.user}:"
        )
