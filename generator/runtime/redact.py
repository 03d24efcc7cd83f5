"""Debug logging of requests with every secret masked.

Logs go to the logger named after the generated package (``proxmox_ve``). Only the method,
the path, parameter names with their values (secret ones masked), the status and the time
are logged; headers (tokens, tickets, CSRF tokens) never are. urllib3's own DEBUG lines show
request URLs, so secret query values are masked there too (a filter on its logger).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode

__all__ = ["MASK", "SECRET_PARAMETERS", "is_secret_name", "log", "redact_pairs"]

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
        # remote migration: a property string whose apitoken key holds a whole PVEAPIToken=USER!ID=SECRET
        "target-endpoint",
    }
)


# Words in a parameter name that make it a credential: ``encryption-key`` (PBS), ``client-key``
# (OpenID), ``eab-hmac-key`` (ACME), ``keyring`` (Ceph), ``totp`` (a TFA entry's URI).
_SECRET_NAME_PARTS = frozenset({"key", "keys", "keyring", "token", "otp", "totp", "hmac", "psk"})
# Substrings that do: ``cipassword``, ``vncticket``, ``secret-key``, ``passphrase``, ``apitoken``.
_SECRET_SUBSTRINGS = ("password", "secret", "ticket", "passphrase", "apitoken")


def is_secret_name(name: str) -> bool:
    """Whether a parameter (or property-string key) of this name carries a credential: the one rule that
    the client's logs and reprs, and the mock's request log, mask by."""
    lowered = name.lower()
    return (
        lowered in SECRET_PARAMETERS
        or any(part in lowered for part in _SECRET_SUBSTRINGS)
        or any(part in _SECRET_NAME_PARTS for part in re.split(r"[-_]", lowered))
    )


def redact_pairs(pairs: Iterable[tuple[str, str]] | None) -> str:
    """``a=1&password=***``: parameters as sent, secret values masked."""
    if not pairs:
        return ""
    return "&".join(f"{name}={MASK if is_secret_name(name) else value}" for name, value in pairs)


def _redact_url(text: str) -> str:
    """``/path?vncticket=...`` with secret query values masked (other text unchanged)."""
    path, mark, query = text.partition("?")
    if not mark:
        return text
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(is_secret_name(name) for name, _ in pairs):
        return text
    masked = [(name, MASK if is_secret_name(name) else value) for name, value in pairs]
    return f"{path}?{urlencode(masked, safe='*')}"


class _UrlRedactor(logging.Filter):
    """urllib3 logs every request line at DEBUG, query string included, and GET calls carry
    credentials there (``vncticket``, ``ticket`` of websocket calls): mask them in its records."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and any(isinstance(a, str) and "?" in a for a in args):
            record.args = tuple(_redact_url(a) if isinstance(a, str) else a for a in args)
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_UrlRedactor())
