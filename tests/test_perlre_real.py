"""Every Perl pattern of the real schemas translates, and matches the way Proxmox matches it (needs ../shared)."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from pvegen.runtime.perlre import compile_perl
from tests.fixtures_shared import RELEASES, real_data_module, release_path
from tests.test_perlre import disagreements_with_perl

real_data_module()


def test_every_real_pattern_translates() -> None:
    patterns: set[str] = set()
    for version in RELEASES:
        for match in re.finditer(r'"pattern" : (".*")', release_path(version).read_text()):
            patterns.add(json.loads(match.group(1)))
    assert len(patterns) > 50
    assert [p for p in patterns if compile_perl(p) is None] == []


@pytest.mark.skipif(shutil.which("perl") is None, reason="perl is not installed")
def test_every_real_pattern_agrees_with_perl_on_probes() -> None:
    """Each distinct pattern of the real schemas, judged by Perl itself and by us on strings built to probe anchors,
    alternation and final newlines."""
    patterns: set[str] = set()
    for version in RELEASES:
        for match in re.finditer(r'"pattern" : (".*")', release_path(version).read_text()):
            patterns.add(json.loads(match.group(1)))
    assert disagreements_with_perl(patterns) == []
