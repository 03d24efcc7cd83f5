"""``pvegen mock``: a stateful simulated Proxmox VE API server built from any spec."""

from .auth import totp
from .dispatch import APIDOC_PATH
from .exchange import RecordedRequest, RequestLog
from .faults import Faults
from .server import MockError, MockServer

__all__ = ["APIDOC_PATH", "Faults", "MockError", "MockServer", "RecordedRequest", "RequestLog", "totp"]
