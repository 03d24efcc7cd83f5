"""When a failed exchange may be tried again, and how long to wait first.

The rule that matters: a request that may have reached the server is repeated only when
repeating it is harmless (GET). A write (POST/PUT/DELETE) is repeated only when it provably
never left the client (the connection could not be made), so a VM is never created twice.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["NO_RETRIES", "RetryPolicy"]


@dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` retries after the first try; waits grow ``backoff * 2**n`` up to
    ``max_backoff`` seconds, each a random point in its upper half (jitter spreads clients
    that failed together). ``statuses`` are the HTTP statuses retried, for GET only."""

    attempts: int = 3
    backoff: float = 0.25
    max_backoff: float = 8.0
    statuses: frozenset[int] = frozenset({502, 503})
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        if self.attempts < 0 or self.backoff < 0 or self.max_backoff < 0:
            raise ValueError("RetryPolicy: attempts, backoff and max_backoff must be >= 0")

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (0-based)."""
        ceiling = min(self.max_backoff, self.backoff * (2**retry))
        return random.uniform(ceiling / 2, ceiling)

    def may_retry_error(self, method: str, sent: bool) -> bool:
        return not sent or method == "GET"

    def may_retry_status(self, method: str, status: int) -> bool:
        return method == "GET" and status in self.statuses


NO_RETRIES = RetryPolicy(attempts=0)
