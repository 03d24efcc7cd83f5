"""Generation time of the full 9.1 client: cold (empty black cache) and warm (unchanged spec).

Goals (issue 4): cold <= 10 s and warm <= 1 s on 2 cores. Same-run baseline: black over every
module in one process without a cache (the naive pipeline), so the ratios show what the
parallel, cached formatting buys.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.common import have_shared, release_path, report
from pvegen import load_spec
from pvegen.codegen import generate
from pvegen.codegen.fmt import format_sources
from pvegen.codegen.plan import plan_package
from pvegen.codegen.render import render_package


def main() -> None:
    if not have_shared():
        return
    path = release_path("9.1")
    with tempfile.TemporaryDirectory(prefix="pvegen-bench-") as tmp:
        root = Path(tmp)

        started = time.perf_counter()
        spec = load_spec(path)
        rendered = render_package(plan_package(spec, "proxmox_ve"))
        sources = {path: text for path, text in rendered.items() if path.endswith(".py")}  # black's share
        naive = time.perf_counter() - started
        started = time.perf_counter()
        format_sources(sources, None, workers=1)
        naive += time.perf_counter() - started
        size = sum(len(text) for text in sources.values()) / 1e6
        print(f"   9.1: {len(spec.operations)} operations, {len(sources)} modules, {size:.1f} MB before black")

        cache = root / "cache"
        started = time.perf_counter()
        generate(load_spec(path), root / "out", "proxmox_ve", cache_dir=cache)
        cold = time.perf_counter() - started

        warm_times = []
        for _ in range(5):
            started = time.perf_counter()
            generate(load_spec(path), root / "out", "proxmox_ve", cache_dir=cache)
            warm_times.append(time.perf_counter() - started)
        warm = min(warm_times)

    report("cold generation vs naive black (1 process, no cache)", cold, naive)
    report("warm generation vs naive black (1 process, no cache)", warm, naive)
    report("cold generation vs its 10 s budget", cold, 10.0, goal=1.0)
    report("warm generation vs its 1 s budget", warm, 1.0, goal=1.0)
