"""Where ``pvegen mock`` takes its secrets from without putting them on the command line (``ps`` shows
every argument): a credentials file and environment variables.

A credentials file has one credential per line, ``#`` comments and blank lines allowed::

    token root@pam!ci=0b8d4a34-...
    user  root@pam:correct horse battery staple
    totp  alice@pve=JBSWY3DPEHPK3PXP

The variables ``PVEGEN_MOCK_TOKEN``, ``PVEGEN_MOCK_USER`` and ``PVEGEN_MOCK_TOTP`` hold the same values
(``USER@REALM!ID=SECRET``, ``USER@REALM:PASSWORD``, ``USER@REALM=BASE32``), several separated by
newlines. Errors name the file and line (or the variable), never the secret.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PvegenError

KINDS = ("token", "user", "totp")
ENV_VARIABLES = {kind: f"PVEGEN_MOCK_{kind.upper()}" for kind in KINDS}


class CredentialsError(PvegenError):
    """A credentials file or variable that cannot be read."""


@dataclass
class Credentials:
    tokens: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    totp: list[str] = field(default_factory=list)

    def add(self, kind: str, value: str) -> None:
        {"token": self.tokens, "user": self.users, "totp": self.totp}[kind].append(value)

    def __repr__(self) -> str:  # never the secrets
        return f"Credentials({len(self.tokens)} tokens, {len(self.users)} users, {len(self.totp)} TOTP secrets)"


def read_file(path: str | os.PathLike[str], into: Credentials) -> bool:
    """Add the credentials of a file; True when the file can be read by others than its owner."""
    where = os.fspath(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
        mode = os.stat(path).st_mode
    except OSError as err:
        raise CredentialsError(f"cannot read the credentials file {where}: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise CredentialsError(f"{where}: not a UTF-8 text file") from None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        kind, _, value = stripped.partition(" ")
        if kind not in KINDS or not value.strip():
            raise CredentialsError(f"{where}:{number}: expected 'token', 'user' or 'totp' and a value")
        into.add(kind, value.strip())
    return bool(mode & 0o077)


def read_environment(into: Credentials, environ: Mapping[str, str] | None = None) -> None:
    env = os.environ if environ is None else environ
    for kind, variable in ENV_VARIABLES.items():
        for value in env.get(variable, "").splitlines():
            if value.strip():
                into.add(kind, value.strip())
