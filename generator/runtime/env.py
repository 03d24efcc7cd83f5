"""Client settings from ``PVE_*`` environment variables (``ProxmoxVE.from_env()``).

| variable | meaning |
|---|---|
| ``PVE_HOST`` | required: a name or address (``pve.example``) or a URL (``https://pve.example:8006``) |
| ``PVE_PORT`` | port (default 8006) |
| ``PVE_TOKEN_ID``, ``PVE_TOKEN_SECRET`` | API token (``USER@REALM!TOKENID`` and its secret) |
| ``PVE_USER``, ``PVE_PASSWORD``, ``PVE_OTP`` | ticket login instead (``PVE_OTP``: a TOTP code) |
| ``PVE_VERIFY`` | ``true``/``false`` (also ``1``/``0``, ``yes``/``no``, ``on``/``off``) or a CA-bundle path |
| ``PVE_CA_BUNDLE`` | a CA-bundle path (the same as ``PVE_VERIFY=PATH``) |
| ``PVE_FINGERPRINT`` | pin the server certificate's SHA-256 fingerprint (``AB:CD:...``) |
| ``PVE_TIMEOUT`` | seconds: ``60`` (connect and read) or ``10,120`` (connect, read) |

Empty variables count as unset. Errors name the variable and never echo its value (the client's
own checks of a setting, such as the form of ``PVE_HOST`` or ``PVE_TOKEN_ID``, are reported under
the variable's name too: see ``variable_of``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from .booleans import parse_bool
from .errors import ConfigurationError
from .tls import normalize_fingerprint

__all__ = ["ENV_VARIABLES", "settings_from_env", "variable_of"]

ENV_VARIABLES = (
    "PVE_HOST",
    "PVE_PORT",
    "PVE_TOKEN_ID",
    "PVE_TOKEN_SECRET",
    "PVE_USER",
    "PVE_PASSWORD",
    "PVE_OTP",
    "PVE_VERIFY",
    "PVE_CA_BUNDLE",
    "PVE_FINGERPRINT",
    "PVE_TIMEOUT",
)


def settings_from_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Constructor keywords for the client from ``environ`` (default ``os.environ``)."""
    env = os.environ if environ is None else environ

    def get(name: str) -> str | None:
        value = env.get(name)
        return value.strip() if value is not None and value.strip() else None

    host = get("PVE_HOST")
    if host is None:
        raise ConfigurationError("PVE_HOST is not set (a name like pve.example, or a URL)")
    settings: dict[str, Any] = {"host": host}
    port = get("PVE_PORT")
    if port is not None:
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise ConfigurationError("PVE_PORT: not a port number (1-65535)")
        settings["port"] = int(port)
    token_id, token_secret = get("PVE_TOKEN_ID"), get("PVE_TOKEN_SECRET")
    user, password, otp = get("PVE_USER"), get("PVE_PASSWORD"), get("PVE_OTP")
    if token_id is not None and "=" in token_id:
        raise ConfigurationError(
            "PVE_TOKEN_ID contains '=': it holds the token's secret too (USER@REALM!TOKENID=SECRET); "
            "keep USER@REALM!TOKENID in PVE_TOKEN_ID and put the part after '=' in PVE_TOKEN_SECRET"
        )
    if token_id or token_secret:
        if not (token_id and token_secret):
            missing = "PVE_TOKEN_SECRET" if token_id else "PVE_TOKEN_ID"
            raise ConfigurationError(f"{missing} is not set (PVE_TOKEN_ID and PVE_TOKEN_SECRET go together)")
        if user or password:
            raise ConfigurationError("set either PVE_TOKEN_ID/PVE_TOKEN_SECRET or PVE_USER/PVE_PASSWORD, not both")
        settings.update(token_id=token_id, token_secret=token_secret)
    elif user or password:
        if not (user and password):
            missing = "PVE_PASSWORD" if user else "PVE_USER"
            raise ConfigurationError(f"{missing} is not set (PVE_USER and PVE_PASSWORD go together)")
        settings.update(user=user, password=password)
        if otp is not None:
            settings["otp"] = otp
    else:
        raise ConfigurationError("no credentials: set PVE_TOKEN_ID and PVE_TOKEN_SECRET (or PVE_USER and PVE_PASSWORD)")
    settings.update(_tls(get("PVE_VERIFY"), get("PVE_CA_BUNDLE"), get("PVE_FINGERPRINT")))
    timeout = get("PVE_TIMEOUT")
    if timeout is not None:
        settings["timeout"] = _timeout(timeout)
    return settings


def _tls(verify: str | None, ca_bundle: str | None, fingerprint: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if verify is not None:
        word = parse_bool(verify)
        out["verify"] = _existing("PVE_VERIFY", verify) if word is None else word
    if ca_bundle is not None:
        if out.get("verify") is False:
            raise ConfigurationError("PVE_CA_BUNDLE is set but PVE_VERIFY turns verification off")
        if isinstance(out.get("verify"), str) and out["verify"] != ca_bundle:
            raise ConfigurationError("PVE_VERIFY and PVE_CA_BUNDLE name different CA bundles")
        out["verify"] = _existing("PVE_CA_BUNDLE", ca_bundle)
    if fingerprint is not None:
        try:
            normalize_fingerprint(fingerprint)
        except ConfigurationError as err:
            raise ConfigurationError(f"PVE_FINGERPRINT: {err.reason}") from None
        out["fingerprint"] = fingerprint
    return out


def _existing(name: str, path: str) -> str:
    if not os.path.exists(path):
        raise ConfigurationError(
            f"{name}: neither true/false nor the path of an existing CA-bundle file"
            if name == "PVE_VERIFY"
            else f"{name}: the CA-bundle file does not exist"
        )
    return path


def _timeout(text: str) -> float | tuple[float, float]:
    parts = [part.strip() for part in text.split(",")]
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if len(numbers) not in (1, 2) or any(not 0 < n < 1e6 for n in numbers):
        raise ConfigurationError("PVE_TIMEOUT: expected seconds like 60 or 10,120 (connect, read)")
    return numbers[0] if len(numbers) == 1 else (numbers[0], numbers[1])


# The variable each constructor keyword comes from (verify: see variable_of).
_VARIABLE_OF = {
    "host": "PVE_HOST",
    "port": "PVE_PORT",
    "token_id": "PVE_TOKEN_ID",
    "token_secret": "PVE_TOKEN_SECRET",
    "user": "PVE_USER",
    "password": "PVE_PASSWORD",
    "otp": "PVE_OTP",
    "fingerprint": "PVE_FINGERPRINT",
    "timeout": "PVE_TIMEOUT",
}


def variable_of(setting: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The ``PVE_*`` variable a constructor keyword was read from (None for other keywords)."""
    if setting == "verify":
        env = os.environ if environ is None else environ
        return "PVE_CA_BUNDLE" if (env.get("PVE_CA_BUNDLE") or "").strip() else "PVE_VERIFY"
    return _VARIABLE_OF.get(setting)
