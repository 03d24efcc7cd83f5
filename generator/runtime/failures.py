"""Failed exchanges as errors a user can read: one line of plain words, what was (not) sent, and
for TLS what to do about it.

urllib3 names its failures with object reprs (``HTTPSConnectionPool(host=...): Max retries
exceeded ... NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f..>: ...')``);
here the innermost cause is put in words (``neterrors.connection_reason``: ``connection
refused``, ``the host name does not resolve``) and the message says whether the request was
sent, which decides whether a write may have happened. A certificate that cannot be verified
gets the fix in the same line: its SHA-256 fingerprint (read from the server's handshake) to
pin, or a CA bundle to trust.
"""

from __future__ import annotations

import re
import socket
import ssl
from urllib.parse import urlsplit

import urllib3

from .errors import ConnectionFailedError, TimeoutError, TLSError
from .neterrors import cause_of, connection_reason
from .tls import format_fingerprint, server_fingerprint

__all__ = ["MAYBE_SENT", "NOT_SENT", "connection_failure"]

NOT_SENT = "(the request was not sent)"
MAYBE_SENT = "(the request may have reached the server)"
_PIN_MISMATCH = re.compile(r'Fingerprints did not match\. Expected "[0-9a-f]+", got "([0-9a-f]+)"')


def connection_failure(
    err: BaseException,
    url: str,
    describe: str,
    timeout: float | tuple[float, float] | None,
    *,
    direct: bool,
) -> ConnectionFailedError:
    """The client's error for a failed exchange, and whether the request may have been sent.
    ``direct``: no proxy stands between, so the server's certificate can be read for the message."""
    if isinstance(err, urllib3.exceptions.ProxyError) and isinstance(err.original_error, BaseException):
        err = err.original_error  # judged by what went wrong on the way to the proxy
    connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    where = urlsplit(url).netloc or url
    if isinstance(err, urllib3.exceptions.SSLError | ssl.SSLError):
        return _tls_failure(err, url, describe, connect, direct)
    if isinstance(err, urllib3.exceptions.ClosedPoolError):
        return ConnectionFailedError(f"{describe}: the connection pool was closed {NOT_SENT}")
    if isinstance(err, urllib3.exceptions.NewConnectionError):  # before: urllib3 makes it a ConnectTimeoutError too
        return ConnectionFailedError(f"{describe}: cannot connect to {where}: {connection_reason(err)} {NOT_SENT}")
    if isinstance(err, urllib3.exceptions.ConnectTimeoutError):
        return TimeoutError(f"{describe}: could not connect to {where} within {_seconds(connect)} {NOT_SENT}")
    if isinstance(err, urllib3.exceptions.ReadTimeoutError | socket.timeout):
        return TimeoutError(f"{describe}: no answer within {_seconds(read)} {MAYBE_SENT}", sent=True)
    return ConnectionFailedError(f"{describe}: {connection_reason(err)} {MAYBE_SENT}", sent=True)


def _tls_failure(err: BaseException, url: str, describe: str, connect: float | None, direct: bool) -> TLSError:
    """A failed handshake (nothing was sent), with the fix: pin the certificate or trust its CA."""
    mismatch = _PIN_MISMATCH.search(str(err))
    if mismatch is not None:
        presented = format_fingerprint(mismatch.group(1))
        return TLSError(
            f"{describe}: TLS failed: the server's certificate has SHA-256 fingerprint {presented}, "
            f"not the pinned one {NOT_SENT}"
        )
    unverified = cause_of(err, ssl.SSLCertVerificationError)
    if unverified is None:
        return TLSError(f"{describe}: TLS failed: {_tls_words(err)} {NOT_SENT}")
    why = unverified.verify_message or "the certificate could not be verified"
    parts = urlsplit(url)
    found = server_fingerprint(parts.hostname or "", parts.port or 443, connect) if direct else None
    if found is not None:
        pin = f"the server's certificate has SHA-256 fingerprint {found}: if that is your node's, pin it with "
        pin += f'fingerprint="{found}"'
    else:
        pin = (
            'pin the node\'s certificate with fingerprint="AB:CD:..." (its SHA-256 fingerprint, shown in the '
            "GUI under System > Certificates)"
        )
    return TLSError(
        f"{describe}: TLS failed: certificate verify failed: {why} {NOT_SENT}; {pin}, "
        'or trust the CA that signed it with verify="/path/to/ca.pem"'
    )


def _tls_words(err: BaseException) -> str:
    reason = getattr(cause_of(err, ssl.SSLError), "reason", None)  # OpenSSL's name: WRONG_VERSION_NUMBER, ...
    if reason == "WRONG_VERSION_NUMBER":
        return "the server did not answer in TLS (is it an http:// server?)"
    if isinstance(reason, str) and reason:
        return reason.replace("_", " ").lower()
    return connection_reason(err)


def _seconds(value: float | None) -> str:
    return "the timeout" if value is None else f"{value:g} s"
