"""Certificate pinning: accept exactly the server certificate with a given SHA-256 fingerprint.

Proxmox nodes usually run with a self-signed certificate; the GUI shows its SHA-256
fingerprint (``AB:CD:...``). The pin is checked by urllib3 right after the TLS handshake,
before the request line, headers (credentials) or body are written, so a wrong server
never sees anything but the handshake.

When verification fails, ``server_fingerprint`` reads the certificate the server presents (one more
handshake, with nothing sent after it) so the error can show the fingerprint to compare and pin.
"""

from __future__ import annotations

import hashlib
import re
import socket
import ssl
from typing import Any

from requests.adapters import HTTPAdapter

from .errors import ConfigurationError

__all__ = ["PinnedAdapter", "format_fingerprint", "normalize_fingerprint", "server_fingerprint"]

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def normalize_fingerprint(text: str) -> str:
    """``AB:CD:..`` (as PVE shows it), ``ab cd ..`` or 64 hex digits -> 64 lower-case hex digits."""
    compact = re.sub(r"[\s:]", "", text).lower()
    if not _HEX64.match(compact):
        reason = f"expected a SHA-256 fingerprint, 32 hex pairs like AB:CD:... ({len(compact)} characters given)"
        raise ConfigurationError(f"fingerprint: {reason}", setting="fingerprint", reason=reason)
    return compact


def format_fingerprint(hex_digits: str) -> str:
    """64 hex digits -> ``AB:CD:...``, as the PVE GUI shows a fingerprint."""
    compact = hex_digits.replace(":", "").upper()
    return ":".join(compact[i : i + 2] for i in range(0, len(compact), 2))


def server_fingerprint(host: str, port: int, timeout: float | None) -> str | None:
    """The SHA-256 fingerprint (``AB:CD:...``) of the certificate ``host:port`` presents, read from a
    handshake that checks nothing and is closed right after it; None when it cannot be read."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # only to read the certificate: nothing is sent over it
    name = host.strip("[]")
    try:
        with (
            socket.create_connection((name, port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=name) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except (OSError, ValueError):
        return None
    return format_fingerprint(hashlib.sha256(der).hexdigest()) if der else None


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
