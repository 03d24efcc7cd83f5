"""The generator on the real releases (needs ../shared): a large schema generates the same bytes in every
process, and the oldest release generates completely."""

from __future__ import annotations

from pathlib import Path

from pvegen.codegen import generate
from pvegen.codegen.naming import HEADER

from .fixtures_client import cache_dir
from .fixtures_shared import ROOT, _load, real_data_module, release_path
from .test_codegen import assert_generated_alike_across_hash_seeds

real_data_module()


def test_9_1_output_is_byte_identical_across_processes(tmp_path: Path) -> None:
    """Different hash seeds, the same bytes (sets and dicts never decide an order), on 667 operations."""
    assert_generated_alike_across_hash_seeds(release_path("9.1"), tmp_path)


def test_real_release_generation_is_complete(tmp_path: Path) -> None:
    result = generate(_load("5.4"), tmp_path, "p54", cache_dir=cache_dir())
    assert result.operations == 412
    copied = (tmp_path / "p54" / "_runtime" / "perlre.py").read_text()
    assert copied == f"{HEADER}\n" + (ROOT / "generator" / "runtime" / "perlre.py").read_text()
