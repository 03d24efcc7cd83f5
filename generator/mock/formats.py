"""PVE's response formats: how the ``data`` of an answer (or an error) is written for ``/api2/FORMAT``."""

from __future__ import annotations

import json
from typing import Any

from .errors import ApiError
from .exchange import Answer

FORMATS = ("json", "extjs")


def encode(fmt: str | None, status: int, reason: str, data: Any, errors: dict[str, str] | None = None) -> Answer:
    """An answer in ``fmt``; ``extjs`` reports failures in the body with HTTP 200, as PVE does."""
    if fmt == "extjs":
        payload: dict[str, Any] = {"success": 1 if status == 200 else 0, "data": data}
        if status != 200:
            payload["message"] = reason
            if errors:
                payload["errors"] = errors
        status, reason = 200, "OK"
    else:
        payload = {"data": data}
        if errors:
            payload["errors"] = errors
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return Answer(status, reason, body)


def encode_error(fmt: str | None, err: ApiError) -> Answer:
    if err.status in (401, 501):
        return Answer(err.status, err.message, b"")  # PVE answers these with an empty body
    return encode(fmt, err.status, err.message, None, err.errors)
