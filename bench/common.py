"""Helpers shared by the benchmarks: where the real schemas are, robust timing."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("PVEGEN_SHARED", ROOT.parent / "shared")) / "pve-apidata"
RELEASES = ("5.4", "6.4", "7.4", "8.0", "8.4", "9.0", "9.1")


def release_path(version: str) -> Path:
    return SHARED_DIR / f"pve-{version}.js"


def have_shared() -> bool:
    if SHARED_DIR.is_dir():
        return True
    print(f"   skipped: real schemas not found at {SHARED_DIR}")
    return False


def best_of(func: Callable[[], object], repeat: int = 7) -> float:
    """Minimum wall time of ``repeat`` runs (the least disturbed measurement), in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times)


def median_of(func: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def report(label: str, value: float, baseline: float, goal: float | None = None, unit: str = "s") -> None:
    """One line: value, baseline, ratio, and whether the ratio meets its goal."""
    ratio = value / baseline if baseline else float("inf")
    verdict = "" if goal is None else (f"  goal <= {goal:g}x: " + ("met" if ratio <= goal else "MISSED"))
    print(f"   {label}: {value:.4f} {unit} vs baseline {baseline:.4f} {unit} = {ratio:.2f}x{verdict}", flush=True)
