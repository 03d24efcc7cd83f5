"""Where the server is: the base URL from ``host`` and ``port`` as users write them.

``host`` may be a name or address (``pve.example``, ``192.0.2.10``, ``2001:db8::1``), either of
them with a port (``pve.example:8006``, ``[2001:db8::1]:8006``), or a base URL
(``https://pve.example:8006/``, ``http://127.0.0.1:8080`` for a test server). Anything else is
refused when the client is built, with what was expected, so a typo never becomes a
connection error (or a request to the wrong place) later.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from .errors import ConfigurationError

__all__ = ["DEFAULT_PORT", "base_url"]

DEFAULT_PORT = 8006
_LABEL = r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
_HOST_NAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*\.?")
_BRACKETED = re.compile(r"\[(?P<address>[^\]]+)\](?::(?P<port>[^:]*))?")
_EXPECTED = "expected a name or address (pve.example, 192.0.2.10, [2001:db8::1]), optionally with :PORT, or a URL"


def _refuse(host: object, reason: str, setting: str = "host", detail: str | None = None) -> ConfigurationError:
    """The error for a bad ``host``/``port``: the message shows the value, ``reason`` does not (from_env)."""
    return ConfigurationError(f"{setting} {host!r}: {detail or reason}", setting=setting, reason=reason)


def base_url(host: str, port: int = DEFAULT_PORT) -> str:
    """``scheme://host:port`` for the client's requests; ``ConfigurationError`` for anything else."""
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise _refuse(port, "not a port number (1-65535)", "port")
    if not isinstance(host, str) or not host.strip():
        raise _refuse(host, _EXPECTED)
    text = host.strip()
    if "://" in text:
        return _from_url(text, port)
    name, given = _split_port(text)
    return f"https://{_checked_name(text, name)}:{_merged_port(text, given, port)}"


def _from_url(text: str, port: int) -> str:
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        raise _refuse(text, "only http:// and https:// URLs name a PVE server")
    if "@" in parts.netloc:  # the value is not shown: it may hold a password
        reason = "a URL with a user name or password in it; pass credentials as token_id/token_secret or user/password"
        raise ConfigurationError(f"host: {reason}", setting="host", reason=reason)
    if parts.path not in ("", "/") or parts.query:
        raise _refuse(
            text, "a base URL has no path or query (e.g. https://pve.example:8006); the client adds /api2/..."
        )
    if not parts.hostname:
        raise _refuse(text, _EXPECTED)
    try:
        given = parts.port
    except ValueError:
        raise _refuse(text, "its port is not a number from 1 to 65535") from None
    name = _checked_name(text, parts.hostname)
    netloc = name if given is None else f"{name}:{_merged_port(text, given, port)}"
    return f"{parts.scheme.lower()}://{netloc}"


def _split_port(text: str) -> tuple[str, int | None]:
    """``name``, ``name:port``, ``[v6]``, ``[v6]:port`` or a bare IPv6 address -> (name, port)."""
    bracketed = _BRACKETED.fullmatch(text)
    if bracketed is not None:
        raw_port = bracketed["port"]
        return bracketed["address"], None if raw_port is None else _port_number(text, raw_port)
    if text.count(":") == 1:
        name, _, raw_port = text.partition(":")
        return name, _port_number(text, raw_port)
    return text, None  # a name, or an IPv6 address without brackets (its colons are its own)


def _port_number(text: str, raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) < 65536:
        raise _refuse(text, "its port is not a number from 1 to 65535")
    return int(raw)


def _merged_port(text: str, given: int | None, port: int) -> int:
    if given is None:
        return port
    if port not in (DEFAULT_PORT, given):
        detail = f"names port {given} but port={port} was given too; give the port once"
        raise _refuse(text, "it names a port and a different port was given too; give the port once", detail=detail)
    return given


def _checked_name(text: str, name: str) -> str:
    """The host as it goes into the URL: IPv6 in brackets (a zone id escaped), names checked."""
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        address = None
    if address is not None:
        return f"[{str(address).replace('%', '%25')}]" if address.version == 6 else str(address)
    if ":" in name:
        raise _refuse(text, _EXPECTED)
    try:
        ascii_name = name.encode("idna").decode("ascii") if not name.isascii() else name
    except UnicodeError:
        ascii_name = ""
    if not _HOST_NAME.fullmatch(ascii_name) or len(ascii_name) > 253:
        raise _refuse(text, _EXPECTED)
    return ascii_name
