"""``pvegen mock``: a stateful simulated Proxmox VE API server built from any spec."""

from .auth import totp
from .faults import Faults
from .server import APIDOC_PATH, MockError, MockServer, RecordedRequest, RequestLog

__all__ = ["APIDOC_PATH", "Faults", "MockError", "MockServer", "RecordedRequest", "RequestLog", "totp"]
