"""Root conftest: registers the fixture plugins of each area (one module each)."""

pytest_plugins = ["tests.fixtures_shared", "tests.fixtures_mock", "tests.fixtures_client"]
