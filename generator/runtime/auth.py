"""How requests are authenticated: a strategy object the client consults around each request.

- ``TokenAuth``: ``Authorization: PVEAPIToken=USER@REALM!ID=SECRET``; nothing else to do.
- ``TicketAuth``: ``POST /access/ticket`` (with the release's TFA flow), then the
  ``PVEAuthCookie`` cookie and the ``CSRFPreventionToken`` header on every non-GET. Tickets
  live 2 hours; they are renewed before that by posting the ticket as the password, once for
  all threads sharing the client (a lock). A 401 on a ticket (expired, server restarted) leads
  to a repeat of the refused call with a new ticket: the one another thread got meanwhile, or a
  new login. ``apply`` reports the ticket it put on the request, so the client never mistakes
  the ticket it sent for another (ticket and CSRF token are replaced together).

TFA flows, fixed per release by the generator from ``/access/ticket`` in the spec:
- ``"otp"`` (PVE 5/6): ``otp=CODE`` in the login, or ``NeedTFA`` and ``POST /access/tfa``.
- ``"challenge"`` (PVE 7+): ``new-format=1``; a ``NeedTFA`` answer's ticket goes back as
  ``tfa-challenge`` with ``password=totp:CODE``.

Secrets never appear in reprs and the strategies refuse to be pickled.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, MutableMapping
from typing import Any, Protocol

from .errors import (
    AuthenticationError,
    ConfigurationError,
    HTTPError,
    ProxmoxError,
    TfaRequiredError,
)

__all__ = [
    "TFA_FLOWS",
    "Auth",
    "LoginCall",
    "NoAuth",
    "OtpSource",
    "TicketAuth",
    "TokenAuth",
]

TFA_FLOWS = ("otp", "challenge")
# PVE tickets are valid for 2 hours; renew well before (the GUI renews every 15 minutes).
DEFAULT_RENEW_AFTER = 3600.0
# A code for the second factor, or a callable asked for one only when the server wants it.
OtpSource = str | Callable[[], str]
# Answers to a TFA challenge that name their kind already (anything else is a TOTP code).
_TFA_KINDS = ("totp:", "recovery:", "yubico:", "u2f:", "webauthn:")
_LOGIN = "/access/ticket"


class LoginCall(Protocol):
    """Sends one unauthenticated (or half-authenticated) call; returns the ``data`` member."""

    def __call__(
        self,
        method: str,
        path: str,
        form: dict[str, Any],
        *,
        ticket: str | None = None,
        csrf: str | None = None,
    ) -> Any: ...


class Auth(Protocol):
    """A strategy: ``prepare`` runs before each request (log in, renew when due), ``apply`` adds
    the credentials and returns the one it used (a ticket; None when a refusal is final), and
    ``refresh(call, used)`` is asked after a 401 on ``used`` whether a repeat may succeed."""

    def prepare(self, call: LoginCall) -> None: ...

    def apply(
        self, method: str, headers: MutableMapping[str, str], cookies: MutableMapping[str, str]
    ) -> str | None: ...

    def refresh(self, call: LoginCall, used: str) -> bool: ...


def _setting(name: str, reason: str) -> ConfigurationError:
    return ConfigurationError(f"{name} {reason}", setting=name, reason=reason)


class _NoPickle:
    def __reduce__(self) -> Any:
        raise TypeError(
            f"{type(self).__name__} holds credentials and cannot be pickled; "
            "make a new client where it is needed (e.g. ProxmoxVE.from_env())"
        )


class NoAuth(_NoPickle):
    def prepare(self, call: LoginCall) -> None:
        return None

    def apply(self, method: str, headers: MutableMapping[str, str], cookies: MutableMapping[str, str]) -> str | None:
        return None

    def refresh(self, call: LoginCall, used: str) -> bool:
        return False

    def __repr__(self) -> str:
        return "NoAuth()"


class TokenAuth(_NoPickle):
    """``Authorization: PVEAPIToken=USER@REALM!TOKENID=SECRET`` on every request."""

    def __init__(self, token_id: str, secret: str) -> None:
        if "!" not in token_id or "@" not in token_id.partition("!")[0]:
            raise _setting("token_id", "must look like USER@REALM!TOKENID (e.g. root@pam!ci)")
        if not secret:
            raise _setting("token_secret", "is empty")
        self.token_id = token_id
        self._header = f"PVEAPIToken={token_id}={secret}"

    def prepare(self, call: LoginCall) -> None:
        return None

    def apply(self, method: str, headers: MutableMapping[str, str], cookies: MutableMapping[str, str]) -> str | None:
        headers["Authorization"] = self._header
        return None  # a refused token stays refused: nothing to refresh

    def refresh(self, call: LoginCall, used: str) -> bool:
        return False

    def __repr__(self) -> str:
        return f"TokenAuth(token_id={self.token_id!r}, secret=<hidden>)"


class TicketAuth(_NoPickle):
    """User + password (+ a second factor): a ticket, renewed before it expires.

    ``otp`` is a code or a callable returning one (asked only when the server wants a second
    factor; a callable also serves later full logins, a fixed code is good for ~30 s).
    ``flow`` is the release's TFA flow (``"otp"`` or ``"challenge"``); the generated client
    passes its own. ``renew_after`` is the ticket age (seconds) at which it is renewed.
    """

    def __init__(
        self,
        user: str,
        password: str,
        otp: OtpSource | None = None,
        *,
        flow: str = "challenge",
        renew_after: float = DEFAULT_RENEW_AFTER,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if "@" not in user:
            raise _setting("user", "must look like USER@REALM (e.g. root@pam)")
        if not password:
            raise _setting("password", "is empty")
        if flow not in TFA_FLOWS:
            raise ConfigurationError(f"flow must be one of {', '.join(TFA_FLOWS)}, not {flow!r}")
        if otp is not None and not callable(otp) and not isinstance(otp, str):
            raise _setting("otp", "must be a code (str) or a callable returning one")
        self.user = user
        self.flow = flow
        self.renew_after = renew_after
        self._password = password
        self._otp = otp
        self._clock = clock
        self._lock = threading.Lock()
        # (ticket, CSRF token) replaced as one value: a thread never sends one ticket with another's token
        self._session: tuple[str, str | None] | None = None
        self._obtained = 0.0
        self.logins = 0  # full logins so far (password, and TFA when needed)
        self.renewals = 0  # renewals with the ticket as the password

    # -- the Auth protocol ------------------------------------------------------------
    def prepare(self, call: LoginCall) -> None:
        # Hot path: one comparison; the lock is taken only when a login or renewal is due.
        if self._session is not None and self._clock() - self._obtained < self.renew_after:
            return
        with self._lock:
            if self._session is None:
                self._login(call)
            elif self._clock() - self._obtained >= self.renew_after:
                self._renew(call, self._session[0])

    def apply(self, method: str, headers: MutableMapping[str, str], cookies: MutableMapping[str, str]) -> str | None:
        session = self._session  # read once: the ticket sent is the ticket reported
        if session is None:
            return None
        ticket, csrf = session
        cookies["PVEAuthCookie"] = ticket
        if csrf is not None and method != "GET":
            headers["CSRFPreventionToken"] = csrf
        return ticket

    def refresh(self, call: LoginCall, used: str) -> bool:
        """After a 401 on ticket ``used``: log in again, unless another thread has replaced that
        ticket meanwhile (then the repeat uses the replacement)."""
        with self._lock:
            if self._session is None or self._session[0] == used:
                self._login(call)
            return True

    @property
    def ticket(self) -> str | None:
        """The ticket in use (None before the first login): e.g. for a VNC websocket's cookie."""
        session = self._session
        return None if session is None else session[0]

    def __repr__(self) -> str:
        state = "logged in" if self._session is not None else "not logged in"
        return f"TicketAuth(user={self.user!r}, password=<hidden>, {state})"

    # -- logins -----------------------------------------------------------------------
    def _renew(self, call: LoginCall, ticket: str) -> None:
        try:
            data = call("POST", _LOGIN, {"username": self.user, "password": ticket})
        except AuthenticationError:
            self._login(call)  # expired or revoked: a full login instead
            return
        self._store(data)
        self.renewals += 1

    def _login(self, call: LoginCall) -> None:
        form: dict[str, Any] = {"username": self.user, "password": self._password}
        if self.flow == "challenge":
            form["new-format"] = 1
        elif isinstance(self._otp, str):
            form["otp"] = self._otp  # PVE 5/6: the code may come with the login itself
        data = call("POST", _LOGIN, form)
        if isinstance(data, dict) and data.get("NeedTFA") in (1, "1", True):
            data = self._second_factor(call, data)
        self._store(data)
        self.logins += 1

    def _second_factor(self, call: LoginCall, half: dict[str, Any]) -> Any:
        half_ticket = half.get("ticket")
        if not isinstance(half_ticket, str):
            raise ProxmoxError(f"POST {_LOGIN}: the TFA answer holds no ticket")
        if self._otp is None:
            raise TfaRequiredError(
                401,
                f"{self.user} has a second factor: pass otp= (a code or a callable returning one)",
                method="POST",
                path=_LOGIN,
            )
        code = (self._otp() if callable(self._otp) else self._otp).strip()
        if self.flow == "challenge":
            answer = code if code.startswith(_TFA_KINDS) else f"totp:{code}"
            form = {"username": self.user, "tfa-challenge": half_ticket, "password": answer}
            form["new-format"] = "1"
            return call("POST", _LOGIN, form)
        csrf = half.get("CSRFPreventionToken")
        try:
            done = call(
                "POST",
                "/access/tfa",
                {"response": code},
                ticket=half_ticket,
                csrf=csrf if isinstance(csrf, str) else None,
            )
        except HTTPError as err:  # PVE 5/6 answer a wrong code with 500, not 401
            raise AuthenticationError(
                401, f"second factor refused: {err.message}", method="POST", path="/access/tfa"
            ) from None
        if isinstance(done, dict) and "CSRFPreventionToken" not in done:
            done = {**done, "CSRFPreventionToken": csrf}
        return done

    def _store(self, data: Any) -> None:
        if not isinstance(data, dict) or not isinstance(data.get("ticket"), str):
            raise ProxmoxError(f"POST {_LOGIN}: the answer holds no ticket")
        if data.get("NeedTFA") in (1, "1", True):
            raise ProxmoxError(f"POST {_LOGIN}: the server still asks for a second factor")
        csrf = data.get("CSRFPreventionToken")
        if not isinstance(csrf, str):  # a renewal may leave the token out: the old one stays valid
            csrf = self._session[1] if self._session is not None else None
        self._obtained = self._clock()
        self._session = (data["ticket"], csrf)
