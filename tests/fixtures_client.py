"""Fixtures that generate clients (one per release, built once per test run)."""
