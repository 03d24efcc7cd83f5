"""Certificate pinning: accept exactly the server certificate with a given SHA-256 fingerprint.

Proxmox nodes usually run with a self-signed certificate; the GUI shows its SHA-256
fingerprint (``AB:CD:...``). The pin is checked by urllib3 right after the TLS handshake,
before the request line, headers (credentials) or body are written, so a wrong server
never sees anything but the handshake.
"""

from __future__ import annotations

import re
from typing import Any

from requests.adapters import HTTPAdapter

from .errors import ConfigurationError

__all__ = ["PinnedAdapter", "normalize_fingerprint"]

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def normalize_fingerprint(text: str) -> str:
    """``AB:CD:..`` (as PVE shows it), ``ab cd ..`` or 64 hex digits -> 64 lower-case hex digits."""
    compact = re.sub(r"[\s:]", "", text).lower()
    if not _HEX64.match(compact):
        raise ConfigurationError(
            "fingerprint: expected a SHA-256 fingerprint, 32 hex pairs like AB:CD:... "
            f"({len(compact)} characters given)"
        )
    return compact


class PinnedAdapter(HTTPAdapter):
    """An adapter whose connections (direct or through a proxy) assert the fingerprint."""

    def __init__(self, fingerprint: str, **kwargs: Any) -> None:
        self.fingerprint = normalize_fingerprint(fingerprint)
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["assert_fingerprint"] = self.fingerprint
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        proxy_kwargs["assert_fingerprint"] = self.fingerprint
        return super().proxy_manager_for(proxy, **proxy_kwargs)
