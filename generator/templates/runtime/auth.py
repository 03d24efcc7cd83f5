"""How requests are authenticated: a strategy object the client consults before each request.

API tokens need no session; tickets (user + password) log in once. Renewal, TFA challenges and
other flows plug in here as further strategies. Secrets never appear in reprs.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any, Protocol

from .errors import ConfigurationError, ProxmoxError

__all__ = ["Auth", "NoAuth", "TicketAuth", "TokenAuth"]

# (method, path, form data) -> the decoded ``data`` member, without authentication.
LoginCall = Callable[[str, str, dict[str, Any]], Any]


class Auth(Protocol):
    """A strategy adds credentials to a request; ``login`` runs before the first one."""

    def login(self, call: LoginCall) -> None: ...

    def apply(
        self, method: str, headers: MutableMapping[str, str], cookies: MutableMapping[str, str]
    ) -> None: ...


class NoAuth:
    def login(self, call: LoginCall) -> None:
        return None

    def apply(
        self, method: str, headers: MutableMapping[str, str], cookies: MutableMapping[str, str]
    ) -> None:
        return None

    def __repr__(self) -> str:
        return "NoAuth()"


class TokenAuth:
    """``Authorization: PVEAPIToken=USER@REALM!TOKENID=SECRET`` on every request."""

    def __init__(self, token_id: str, secret: str) -> None:
        if "!" not in token_id or "@" not in token_id:
            raise ConfigurationError("token_id must look like USER@REALM!TOKENID")
        self.token_id = token_id
        self._secret = secret

    def login(self, call: LoginCall) -> None:
        return None

    def apply(
        self, method: str, headers: MutableMapping[str, str], cookies: MutableMapping[str, str]
    ) -> None:
        headers["Authorization"] = f"PVEAPIToken={self.token_id}={self._secret}"

    def __repr__(self) -> str:
        return f"TokenAuth(token_id={self.token_id!r}, secret=<hidden>)"


class TicketAuth:
    """User + password: POST /access/ticket once, then the ticket cookie and CSRF header.

    Ticket renewal (tickets expire after 2 hours) and TFA challenges are not handled here yet.
    """

    def __init__(self, user: str, password: str, otp: str | None = None) -> None:
        self.user = user
        self._password = password
        self._otp = otp
        self._ticket: str | None = None
        self._csrf: str | None = None

    def login(self, call: LoginCall) -> None:
        form: dict[str, Any] = {"username": self.user, "password": self._password}
        if self._otp is not None:
            form["otp"] = self._otp
        data = call("POST", "/access/ticket", form)
        if not isinstance(data, dict) or not isinstance(data.get("ticket"), str):
            raise ProxmoxError("POST /access/ticket: the answer holds no ticket")
        self._ticket = data["ticket"]
        csrf = data.get("CSRFPreventionToken")
        self._csrf = csrf if isinstance(csrf, str) else None

    def apply(
        self, method: str, headers: MutableMapping[str, str], cookies: MutableMapping[str, str]
    ) -> None:
        if self._ticket is not None:
            cookies["PVEAuthCookie"] = self._ticket
        if self._csrf is not None and method != "GET":
            headers["CSRFPreventionToken"] = self._csrf

    @property
    def logged_in(self) -> bool:
        return self._ticket is not None

    def __repr__(self) -> str:
        return f"TicketAuth(user={self.user!r}, password=<hidden>)"
