"""``pvegen openapi`` on the newest release: load + build + JSON text, as the command does it.

Goal (issue 15): 9.1 in <= 1 s. Printed against two same-run baselines: loading the spec alone (what
every pvegen command pays) and ``json.dumps`` of the finished document (the cheapest way to produce
the same bytes' worth of JSON).
"""

from __future__ import annotations

import json
import time

from bench.common import RELEASES, best_of, have_shared, release_path, report
from pvegen import load_spec
from pvegen.openapi import build_document, render

_GOAL_SECONDS = 1.0


def _export(version: str) -> str:
    return render(build_document(load_spec(release_path(version))).document)


def main() -> None:
    if not have_shared():
        return
    newest = RELEASES[-1]
    path = release_path(newest)
    started = time.perf_counter()
    _export(newest)  # the first run, cold caches included: what one `pvegen openapi` call pays
    cold = time.perf_counter() - started
    document = build_document(load_spec(path)).document
    warm = best_of(lambda: _export(newest), repeat=5)
    load = best_of(lambda: load_spec(path), repeat=5)
    dumps = best_of(lambda: json.dumps(document), repeat=5)
    report(f"openapi pve-{newest} (load + build + render)", warm, load)
    report(f"openapi pve-{newest} vs json.dumps of the result", warm, dumps)
    verdict = "met" if cold <= _GOAL_SECONDS else "MISSED"
    print(f"   openapi pve-{newest}, first run: {cold:.3f} s  goal <= {_GOAL_SECONDS:g} s: {verdict}", flush=True)
