"""Faults a test can switch on for one server: latency, resets, 5xx answers, truncated bodies."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class FaultPlan:
    """What to do to one request (decided once, under the lock)."""

    latency: float = 0.0
    reset_before_read: bool = False
    reset_after_read: bool = False
    error_status: int | None = None
    truncate: bool = False


class Faults:
    """Settable per test; rates are probabilities from 0.0 (never) to 1.0 (always).

    ``limit`` caps how many requests get a fault (then faults stop: "fail the next 2 requests"),
    ``path`` restricts faults to API paths starting with it (``/nodes``); a reset before reading
    happens before the path is known, so ``path`` does not restrict it.
    """

    def __init__(self, seed: int, expire_tickets: Callable[[], None]) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._expire_tickets = expire_tickets
        self.clear()

    def clear(self) -> None:
        """Back to no faults at all."""
        self.latency = 0.0
        self.reset_before_read = 0.0
        self.reset_after_read = 0.0
        self.error_rate = 0.0
        self.error_status = 500
        self.truncate_rate = 0.0
        self.limit: int | None = None
        self.path: str | None = None

    def expire_tickets(self) -> None:
        """Every ticket issued so far is expired from now on (logins still work)."""
        self._expire_tickets()

    def _use(self) -> bool:
        if self.limit is None:
            return True
        if self.limit <= 0:
            return False
        self.limit -= 1
        return True

    def before_read(self) -> bool:
        """Whether to reset the connection before reading the next request."""
        with self._lock:
            return bool(self.reset_before_read) and self._rng.random() < self.reset_before_read and self._use()

    def plan(self, api_path: str | None) -> FaultPlan:
        """The faults for one request that has been read."""
        with self._lock:
            if self.path is not None and (api_path is None or not api_path.startswith(self.path)):
                return FaultPlan()
            rolls = [self._rng.random() for _ in range(3)]
            plan = FaultPlan(
                reset_after_read=rolls[0] < self.reset_after_read,
                error_status=self.error_status if rolls[1] < self.error_rate else None,
                truncate=rolls[2] < self.truncate_rate,
            )
            if plan.reset_after_read or plan.error_status is not None or plan.truncate or self.latency:
                if not self._use():
                    return FaultPlan()
                plan.latency = self.latency
            return plan
