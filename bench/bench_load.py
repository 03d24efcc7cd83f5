"""Loading the real schemas into the model vs plain ``json.loads`` of the same text.

Goal (issue 2): the full load (detection, parse, validation, model) <= 3x json.loads.
Both sides start from text already in memory, so file I/O is not counted on either.
"""

from __future__ import annotations

import functools
import json

from bench.common import RELEASES, best_of, have_shared, release_path, report
from pvegen import load_spec_text


def main() -> None:
    if not have_shared():
        return
    texts = {v: release_path(v).read_text() for v in RELEASES}
    arrays = {v: t[t.index("[") : t.rindex("]") + 1] for v, t in texts.items()}
    total_model = total_json = 0.0
    for version in RELEASES:
        text, array = texts[version], arrays[version]
        source = f"pve-{version}.js"
        model = best_of(functools.partial(load_spec_text, text, source=source))
        plain = best_of(functools.partial(json.loads, array))
        total_model += model
        total_json += plain
        report(f"load pve-{version}", model, plain)
    report("load all seven releases", total_model, total_json, goal=3.0)
