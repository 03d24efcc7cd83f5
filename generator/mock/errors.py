"""Answers other than success, with PVE's status codes and wording."""

from __future__ import annotations


class ApiError(Exception):
    """PVE's status code, its message (the reason phrase), and per-parameter errors for 400s."""

    def __init__(self, status: int, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors


def param_error(name: str, message: str) -> ApiError:
    """PVE's 400 for one parameter (``raise_param_exc``)."""
    return ApiError(400, "Parameter verification failed.", {name: message})
