"""Perl patterns from the real schemas translate, and match the way Proxmox matches them."""

from __future__ import annotations

import json
import re

import pytest

from pvegen.runtime.perlre import compile_perl, perl_match, translate
from tests.fixtures_shared import RELEASES, release_path, require_shared


def test_every_real_pattern_translates() -> None:
    require_shared()
    patterns: set[str] = set()
    for version in RELEASES:
        for match in re.finditer(r'"pattern" : (".*")', release_path(version).read_text()):
            patterns.add(json.loads(match.group(1)))
    assert len(patterns) > 50
    assert [p for p in patterns if compile_perl(p) is None] == []


USERID = r"(?^:^(?^:[^\s:/]+)\@(?^:[A-Za-z][A-Za-z0-9\.\-_]+)(?:!(?^:[A-Za-z][A-Za-z0-9\.\-_]+))?$)"


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        (USERID, "root@pam!ci", True),
        (USERID, "root", False),
        (r"(?^i:[a-z0-9_][a-z0-9_\-\+\.]*)(?:;(?^i:[a-z0-9_][a-z0-9_\-\+\.]*))*", "Prod;web", True),
        (r"(?^i:abc(?^:def))", "ABCdef", True),
        (r"(?^i:abc(?^:def))", "ABCDEF", False),  # (?^:...) resets the inherited i flag
        (r"[A-Za-z0-9\-_\s]{,8}", "12345678", True),
        (r"[A-Za-z0-9\-_\s]{,8}", "123456789", False),
        (r"\d+", "12a", False),  # anchored as Proxmox anchors: m/^(?:PATTERN)$/
        (r"[[:alpha:]]+\z", "abc", True),
        (r"(?<year>\d{4})", "2024", True),
    ],
)
def test_matches_like_perl(pattern: str, value: str, expected: bool) -> None:
    assert perl_match(pattern, value) is expected


def test_untranslatable_patterns_are_skipped_not_fatal() -> None:
    for broken in ["(?^q:x)", "[abc", "abc\\", "(?{ system('x') })"]:
        assert compile_perl(broken) is None
        assert perl_match(broken, "anything") is None
    with pytest.raises(ValueError, match="unterminated"):
        translate("[abc")
