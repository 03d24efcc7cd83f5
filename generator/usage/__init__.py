"""Which API calls a user's code (or recording) makes, matched against a release: ``pvegen usage`` and
``pvegen compat --usage``."""

from .calls import UNKNOWN, Call, ScanWarning, Segment
from .scan import ScanResult, scan
from .sources import SourceError

__all__ = ["UNKNOWN", "Call", "ScanResult", "ScanWarning", "Segment", "SourceError", "scan"]
