"""Root conftest: one hypothesis profile for every run, and the fixture plugins of each area (one module each)."""

from collections import Counter

import pytest
from hypothesis import HealthCheck, settings

# CI's machine is small and shared: a garbage-collection pause or a loaded core must never fail a test.
# Examples keep their size limits; only the timing-based checks are off (explicit @settings may add more).
settings.register_profile(
    "pvegen",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
settings.load_profile("pvegen")

pytest_plugins = ["tests.fixtures_shared", "tests.fixtures_mock", "tests.fixtures_client"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Skips as one line per reason (not one per test): a contributor without ../shared sees why, once."""
    reasons: Counter[str] = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reasons[reason.removeprefix("Skipped: ")] += 1
    for reason, count in reasons.most_common():
        terminalreporter.write_line(f"skipped {count}: {reason}")
