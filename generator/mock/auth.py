"""Authentication as PVE does it: API tokens, tickets with CSRF tokens, and TOTP second factors.

Tickets look like PVE's (``PVE:root@pam:6560A1B2::<signature>``) but are signed with an HMAC
key made per server, so they are worthless outside the process that issued them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import threading
import time
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import PvegenError

DEFAULT_TICKET_LIFETIME = 7200.0  # PVE tickets are valid for 2 hours
_TFA_MARK = "!tfa!"
_NONCE = 12


class AuthConfigError(PvegenError):
    """A --token / --user / --totp value that cannot be understood."""


@dataclass(frozen=True)
class Identity:
    """Who made a request: ``root@pam``, and the token id for token requests."""

    userid: str
    token: str | None = None

    def __repr__(self) -> str:
        return f"Identity({self.userid!r}, token={self.token!r})"


def parse_token(text: str) -> tuple[str, str]:
    """``USER@REALM!ID=SECRET`` -> (``USER@REALM!ID``, SECRET)."""
    full_id, sep, secret = text.partition("=")
    user, bang, name = full_id.partition("!")
    if not sep or not bang or "@" not in user or not name or not secret:
        raise AuthConfigError("a token must look like USER@REALM!ID=SECRET (e.g. root@pam!ci=...)")
    return full_id, secret


def parse_user(text: str) -> tuple[str, str]:
    """``USER@REALM:PASSWORD`` -> (``USER@REALM``, PASSWORD); the password may contain ``:``."""
    user, sep, password = text.partition(":")
    if not sep or "@" not in user or not password:
        raise AuthConfigError("a user must look like USER@REALM:PASSWORD (e.g. root@pam:...)")
    return user, password


def totp(secret_base32: str, at: float, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 TOTP code (what authenticator apps and PVE's TOTP factor compute)."""
    padded = secret_base32.upper().replace(" ", "")
    padded += "=" * (-len(padded) % 8)
    key = base64.b32decode(padded)
    counter = struct.pack(">Q", int(at // step))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % (10**digits)
    return f"{code:0{digits}d}"


class Authenticator:
    """Holds the accepted credentials and issues and checks tickets; thread-safe."""

    def __init__(
        self,
        tokens: Iterable[str] = (),
        users: Iterable[str] = (),
        totp_secrets: dict[str, str] | None = None,
        ticket_lifetime: float = DEFAULT_TICKET_LIFETIME,
    ) -> None:
        self._tokens = dict(parse_token(t) for t in tokens)
        self._passwords = dict(parse_user(u) for u in users)
        self._totp = dict(totp_secrets or {})
        for user, secret in self._totp.items():
            try:
                totp(secret, 0)
            except (ValueError, TypeError):
                raise AuthConfigError(f"the TOTP secret of {user} is not base32") from None
        self.ticket_lifetime = ticket_lifetime
        self._key = secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._issued: set[str] = set()  # signatures of tickets issued so far
        self._revoked: set[str] = set()  # signatures of tickets a test declared expired

    # -- credentials -----------------------------------------------------------------
    @property
    def users(self) -> list[str]:
        return sorted(self._passwords)

    @property
    def token_ids(self) -> list[str]:
        """The full ids (``USER@REALM!ID``) of the tokens accepted."""
        with self._lock:
            return sorted(self._tokens)

    def add_token(self, full_id: str, secret: str) -> None:
        """Accept a token made (or regenerated) through the API."""
        with self._lock:
            self._tokens[full_id] = secret

    def remove_token(self, full_id: str) -> None:
        with self._lock:
            self._tokens.pop(full_id, None)

    def check_token(self, header: str) -> Identity | None:
        """``PVEAPIToken=USER@REALM!ID=SECRET`` (also ``PVEAPIToken USER...``)."""
        value = header[len("PVEAPIToken") :].lstrip("= ")
        full_id, _, secret = value.partition("=")
        expected = self._tokens.get(full_id.strip())
        if expected is None or not hmac.compare_digest(expected.encode(), secret.strip().encode()):
            return None
        return Identity(full_id.partition("!")[0], token=full_id)

    def check_password(self, userid: str, password: str) -> bool:
        expected = self._passwords.get(userid)
        return expected is not None and hmac.compare_digest(expected.encode(), password.encode())

    def set_password(self, userid: str, password: str) -> None:
        """A user created or changed through the API can log in with this password."""
        with self._lock:
            self._passwords[userid] = password

    def needs_tfa(self, userid: str) -> bool:
        return userid in self._totp

    def check_otp(self, userid: str, code: str, now: float | None = None) -> bool:
        secret = self._totp.get(userid)
        if secret is None:
            return False
        moment = time.time() if now is None else now
        # one step of clock skew either way, as authenticator apps and PVE allow
        return any(hmac.compare_digest(totp(secret, moment + skew * 30), code.strip()) for skew in (-1, 0, 1))

    # -- tickets ---------------------------------------------------------------------
    def _sign(self, text: str) -> str:
        return base64.b64encode(hmac.new(self._key, text.encode(), hashlib.sha256).digest()).decode()

    def _sign_ticket(self, plain: str, nonce: bytes) -> str:
        # a nonce in the signature makes every ticket unique, so revoking one never revokes
        # a ticket issued later in the same second
        mac = hmac.new(self._key, nonce + plain.encode(), hashlib.sha256).digest()
        return base64.b64encode(nonce + mac).decode()

    def issue_ticket(self, data: str, now: float | None = None) -> str:
        """``PVE:<data>:<HEXTIME>::<signature>``; ``data`` is a user id or a TFA marker."""
        moment = time.time() if now is None else now
        plain = f"PVE:{data}:{int(moment):08X}"
        signature = self._sign_ticket(plain, secrets.token_bytes(_NONCE))
        with self._lock:
            self._issued.add(signature)
        return f"{plain}::{signature}"

    def ticket_data(self, ticket: str, now: float | None = None) -> str | None:
        """The data a valid, unexpired ticket carries; None for anything else."""
        plain, sep, signature = ticket.rpartition("::")
        if not sep or not plain.startswith("PVE:"):
            return None
        try:
            nonce = base64.b64decode(signature, validate=True)[:_NONCE]
        except ValueError:
            return None
        if len(nonce) != _NONCE or not hmac.compare_digest(self._sign_ticket(plain, nonce), signature):
            return None
        data, _, hextime = plain[4:].rpartition(":")
        try:
            issued = int(hextime, 16)
        except ValueError:
            return None
        moment = time.time() if now is None else now
        with self._lock:
            revoked = signature in self._revoked
        if revoked or moment - issued > self.ticket_lifetime or issued > moment + 300:
            return None
        return data

    def check_ticket(self, ticket: str) -> Identity | None:
        """A full (not half-authenticated TFA) ticket's user."""
        data = self.ticket_data(ticket)
        if data is None or _TFA_MARK in data:
            return None
        return Identity(data)

    def expire_tickets(self) -> None:
        """Make every ticket issued so far invalid (a test's 'the ticket expired')."""
        with self._lock:
            self._revoked |= self._issued
            self._issued = set()

    # -- TFA tickets -----------------------------------------------------------------
    def issue_tfa_ticket(self, userid: str, new_format: bool) -> str:
        """A half-authenticated ticket. New format (PVE 7+) carries the challenge, old one the user."""
        if new_format:
            challenge = urllib.parse.quote('{"totp":true}', safe="")
            return self.issue_ticket(f"{userid}{_TFA_MARK}{challenge}")
        return self.issue_ticket(f"{_TFA_MARK}{userid}")

    def tfa_ticket_user(self, ticket: str) -> str | None:
        """The user a half-authenticated ticket (either format) belongs to."""
        data = self.ticket_data(ticket)
        if data is None or _TFA_MARK not in data:
            return None
        before, _, after = data.partition(_TFA_MARK)
        return before or after

    # -- CSRF ------------------------------------------------------------------------
    def csrf_token(self, userid: str, now: float | None = None) -> str:
        """``HEXTIME:signature`` bound to the user, like PVE's CSRFPreventionToken."""
        moment = time.time() if now is None else now
        hextime = f"{int(moment):08X}"
        return f"{hextime}:{self._sign(f'csrf:{hextime}:{userid}')}"

    def check_csrf(self, userid: str, token: str) -> bool:
        hextime, sep, signature = token.partition(":")
        if not sep:
            return False
        try:
            issued = int(hextime, 16)
        except ValueError:
            return False
        if time.time() - issued > self.ticket_lifetime:
            return False
        return hmac.compare_digest(self._sign(f"csrf:{hextime}:{userid}"), signature)
