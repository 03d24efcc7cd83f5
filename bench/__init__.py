"""Benchmarks run by ``make bench``; each prints results as ratios against a baseline measured
in the same run (never absolute thresholds: machines differ)."""
