"""When a failed exchange may be tried again, and how long to wait first.

The rule that matters: a request that may have reached the server is repeated only when
repeating it is harmless (GET). A write (POST/PUT/DELETE) is repeated only when it provably
never left the client (the connection could not be made), so a VM is never created twice.
A server that says when to come back (``Retry-After`` on a 502/503) is waited for, never
longer than the policy's ``max_backoff``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime

__all__ = ["NO_RETRIES", "RetryPolicy"]


@dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` retries after the first try; waits grow ``backoff * 2**n`` up to
    ``max_backoff`` seconds, each a random point in its upper half (jitter spreads clients
    that failed together). ``statuses`` are the HTTP statuses retried, for GET only; when the
    answer carries ``Retry-After``, that wait is used instead, capped at ``max_backoff``."""

    attempts: int = 3
    backoff: float = 0.25
    max_backoff: float = 8.0
    statuses: frozenset[int] = frozenset({502, 503})
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        if self.attempts < 0 or self.backoff < 0 or self.max_backoff < 0:
            raise ValueError("RetryPolicy: attempts, backoff and max_backoff must be >= 0")

    def delay(self, retry: int, retry_after: str | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (0-based); ``retry_after`` is the
        answer's ``Retry-After`` header (seconds or an HTTP date), when it had one."""
        asked = _seconds_asked(retry_after) if retry_after is not None else None
        if asked is not None:
            return min(asked, self.max_backoff)
        ceiling = min(self.max_backoff, self.backoff * (2**retry))
        return random.uniform(ceiling / 2, ceiling)

    def may_retry_error(self, method: str, sent: bool) -> bool:
        return not sent or method == "GET"

    def may_retry_status(self, method: str, status: int) -> bool:
        return method == "GET" and status in self.statuses


NO_RETRIES = RetryPolicy(attempts=0)


def _seconds_asked(value: str, now: Callable[[], float] = time.time) -> float | None:
    """``Retry-After: 120`` or ``Retry-After: Wed, 21 Oct 2025 07:28:00 GMT`` -> seconds from now
    (0 for a moment passed); None for anything else (then the policy's own wait applies)."""
    text = value.strip()
    if text.isascii() and text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:  # an HTTP date is always GMT
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, moment.timestamp() - now())
