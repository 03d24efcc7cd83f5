"""Debug logging of requests with every secret masked.

Logs go to the logger named after the generated package (``proxmox_ve``). Only the method,
the path, parameter names with their values (secret ones masked), the status and the time
are logged; headers (tokens, tickets, CSRF tokens) never are.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

__all__ = ["MASK", "SECRET_PARAMETERS", "log", "redact_pairs"]

log = logging.getLogger(__name__.rpartition("._runtime")[0] or __name__)

MASK = "***"
# Parameters whose values are credentials in PVE's API (login, TFA, password changes, keys).
SECRET_PARAMETERS = frozenset(
    {
        "password",
        "new-password",
        "otp",
        "tfa-challenge",
        "response",
        "ticket",
        "token",
        "secret",
        "value",  # TFA entries (e.g. a TOTP secret) are added with ``value``
        "key",
        "keys",
    }
)


def _secret(name: str) -> bool:
    lowered = name.lower()
    return lowered in SECRET_PARAMETERS or "password" in lowered or "secret" in lowered


def redact_pairs(pairs: Iterable[tuple[str, str]] | None) -> str:
    """``a=1&password=***``: parameters as sent, secret values masked."""
    if not pairs:
        return ""
    return "&".join(f"{name}={MASK if _secret(name) else value}" for name, value in pairs)
