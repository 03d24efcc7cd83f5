"""Fixtures for tests that talk HTTP to `pvegen mock` (filled in with the mock server)."""
