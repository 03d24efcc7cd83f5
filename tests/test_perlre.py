"""Perl patterns translate, and match the way Proxmox matches them (the embedded spec's here; every real
release's in test_perlre_real.py)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from pvegen import Spec
from pvegen.runtime.perlre import compile_perl, perl_match, translate
from tests.test_openapi_patterns import patterns_of

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


# PVE pastes a pattern between anchors (m/^$pattern$/), it does not group it: a top-level alternation ties its first
# branch to the start only and its last to the end only; Perl's $ accepts one final newline. Verdicts from perl 5.36.
@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        ("a|b", "ax", True), ("a|b", "xb", True), ("a|b", "xx", False), ("a|b", "b\n", True),
        ("x|[a|]|z", "q|q", True), ("x|(?:y)|z", "qq", False), ("(a|b)c", "ac", True), ("(a|b)c", "xbc", False),
        ("abc", "abc\n", True), ("abc", "abc\n\n", False), ("abc", "\nabc", False), (r"a\|b", "xb", False),
        (r"[|]x|y", "|xq", True), (r"(?^i:a|b)", "Bx", False),
    ],
)  # fmt: skip
def test_pasted_between_anchors_as_pve_does(pattern: str, value: str, expected: bool) -> None:
    assert perl_match(pattern, value) is expected


def test_every_embedded_pattern_translates(embedded: Spec) -> None:
    patterns = patterns_of(embedded)
    assert len(patterns) >= 10
    assert [p for p in patterns if compile_perl(p) is None] == []


PROBES = ["", "a", "abc", "abc\n", "100", "100\n", "x|y", "local:iso/x.iso", "vmbr0", "Prod-1", "a b", "-1", "é"]


def disagreements_with_perl(patterns: set[str]) -> list[tuple[str, str]]:
    """The (pattern, probe) pairs on which Perl itself (``$v =~ m/^$p$/``, as PVE checks) and we differ."""
    cases = [(p, v) for p in sorted(patterns) for v in PROBES]
    script = "use Encode; while (<STDIN>) { chomp; my ($p, $v) = map { decode_utf8(pack('H*', $_)) } split / /; "
    script += "print(($v =~ m/^$p$/) ? 1 : 0) }"
    lines = "".join(f"{p.encode().hex()} {v.encode().hex()}\n" for p, v in cases)
    perl = subprocess.run(["perl", "-e", script], input=lines, capture_output=True, text=True, check=False)
    assert perl.returncode == 0, perl.stderr
    ours = "".join("1" if perl_match(p, v) else "0" for p, v in cases)
    return [c for c, a, b in zip(cases, perl.stdout, ours, strict=True) if a != b]


@pytest.mark.skipif(shutil.which("perl") is None, reason="perl is not installed")
def test_every_embedded_pattern_agrees_with_perl_on_probes(embedded: Spec) -> None:
    """Each pattern of the embedded spec, judged by Perl itself and by us on strings built to probe anchors,
    alternation and final newlines."""
    assert disagreements_with_perl(patterns_of(embedded)) == []
