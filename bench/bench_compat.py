"""Compat: load two releases and diff them (8.4 -> 9.1), against loading them alone, same run.

Goal: <= 0.3 s for load + diff in all (Optic took 17 s per diff, openapi-diff 55 s).
"""

from __future__ import annotations

from bench.common import best_of, have_shared, release_path, report
from pvegen import load_spec
from pvegen.compat import build_report, diff
from pvegen.compat.reporters import render

GOAL_SECONDS = 0.3
OLD, NEW = "8.4", "9.1"


def main() -> None:
    if not have_shared():
        return
    old_path, new_path = release_path(OLD), release_path(NEW)

    def load_both() -> None:
        load_spec(old_path)
        load_spec(new_path)

    def load_and_diff() -> None:
        diff(load_spec(old_path), load_spec(new_path))

    old, new = load_spec(old_path), load_spec(new_path)
    changes = diff(old, new)
    loading = best_of(load_both)
    total = best_of(load_and_diff)
    diff_only = best_of(lambda: diff(old, new))
    rendering = best_of(lambda: render(build_report(old, new), "json"))
    print(f"   {OLD} -> {NEW}: {len(changes)} changes", flush=True)
    report(f"load both + diff {OLD} -> {NEW}", total, loading)
    report("diff alone (specs already loaded)", diff_only, loading)
    report("diff + policy + json report (loaded)", rendering, loading)
    verdict = "met" if total <= GOAL_SECONDS else "MISSED"
    print(f"   load + diff total {total:.3f} s, goal <= {GOAL_SECONDS} s: {verdict}", flush=True)


if __name__ == "__main__":
    main()
