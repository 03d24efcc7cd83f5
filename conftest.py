"""Root conftest: one hypothesis profile for every run, and the fixture plugins of each area (one module each)."""

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
