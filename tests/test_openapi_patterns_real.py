"""Perl -> ECMA-262 translation on every pattern of the real releases (needs ../shared): translated ones agree with
Perl and Node on every probe (the engines' tests skip with the reason when perl or node is missing)."""

from __future__ import annotations

from pvegen import load_spec
from tests.fixtures_shared import RELEASES, real_data_module, release_path
from tests.test_openapi_patterns import assert_same_verdicts, patterns_of

real_data_module()


def test_every_release_pattern_is_exact_or_kept() -> None:
    """All patterns of the seven releases: translated ones agree with Perl on every probe."""
    patterns: set[str] = set()
    for version in RELEASES:
        patterns |= patterns_of(load_spec(release_path(version)))
    translated = assert_same_verdicts(patterns)
    print(f"\n{len(patterns)} distinct patterns in {len(RELEASES)} releases: {translated} translated exactly")
    assert translated >= len(patterns) // 2
