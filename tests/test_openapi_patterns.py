"""Perl -> ECMA-262 pattern translation: exact or refused, judged by the real engines.

The cross-engine tests run every translated pattern in Perl (as PVE checks: ``m/^$pattern$/`` on a
decoded string) and in Node's RegExp (ECMA-262, with and without the u flag) over strings made to
probe the differences (trailing newlines, Unicode digits and spaces, case folds, astral characters)
and require the same verdict everywhere. They skip, with the reason, when perl or node is missing.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from collections.abc import Iterable

import pytest

from pvegen import Spec, load_spec
from pvegen.mock import regexgen
from pvegen.model import Schema
from pvegen.openapi.formats import _as_perl, format_constraint
from pvegen.openapi.patterns import Untranslatable, ecma_literal, ecma_pattern, perl_to_ecma
from pvegen.runtime.perlre import compile_perl
from pvegen.runtime.pveformats import format_regex, known_formats
from tests.fixtures_shared import ROOT

# Strings that tell the engines apart: newline handling, Unicode classes, case folding, astral chars.
_PROBES = (
    "\n", "\r", "\u2028", "\x85", "\xa0", "\u3000", "\x0b", "\u017f", "\u212a", "\u0663", "\uff11", "é", "ß",
    "S", "s", "k", "K", "0", "9", " ", "\t", "\U0001f600", "\U000104a0", "-", "_", ";", ",", "=", ":", "/", ".",
)  # fmt: skip
# Hand-picked cases for each rule the translator knows (see generator/openapi/patterns.py).
_TRICKY = (
    "a|b",
    "/dev/x[0-9]+|/dev/usb/lp[0-9]+",
    "^a$|^b$",
    "(?:a$|b)",
    "x$y",
    "(?^:^[0-9A-Fa-f]{4}:[0-9A-Fa-f]{4}$)",
    "(?^i:[a-z0-9_][a-z0-9_\\-\\+\\.]*)",
    "(?^i:[^a-z]+)",
    "\\s*pve([1248])([cbsp])-[0-9a-f]{10}\\s*",
    "[^\\s:/]+",
    "\\S{2,}",
    "(/dev/.+|socket)",
    "(?^s:a.b)",
    "(?a:\\d+\\w*\\s?)",
    "[\\(\\)-_.]{0,3}",
    "[]a-]+",
    "a{2}b{1,}c{0,2}?",
    "\\x41\\x{263A}\\0\\t",
    "x\\z",
    "x\\Z",
    "\\Ax",
    "[A-Za-z][A-Za-z0-9\\-\\_]+",
    "net\\d+=\\d+",
)


def _candidates(perl: str, seed: int) -> list[str]:
    """Strings near the pattern's language: generated matches and their mutations."""
    rng = random.Random(seed)
    base: list[str] = ["", "a", "abc", "0", "1a"]
    compiled = compile_perl(perl)
    if compiled is not None:
        for _ in range(6):
            made = regexgen.generate(compiled.pattern, rng)
            if made is not None:
                base.append(made[1:-1] if made.startswith("^") else made)
    out: set[str] = set()
    for text in base:
        out.update((text, text + "\n", text + "\n\n", "x" + text, text + "x", text[:-1]))
        for probe in rng.sample(_PROBES, 8):
            position = rng.randrange(len(text) + 1)
            out.add(text[:position] + probe + text[position:])
            if text:
                out.add(text[:position] + probe + text[position + 1 :])
    return sorted(out)[:80]


def _engines_missing() -> str | None:
    for tool in ("perl", "node"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (the cross-engine check needs Perl and Node.js)"
    return None


_PERL = r"""
use strict; use warnings; use JSON::PP;
my $json = JSON::PP->new->utf8;
local $/; my $cases = $json->decode(<STDIN>);
print $json->encode([map { my ($p, $vals) = @$_; [map { ($_ =~ m/^$p$/) ? 1 : 0 } @$vals] } @$cases]);
"""
_NODE = r"""
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(cases.map(([p, vals]) => {
  let u, plain;
  try { u = new RegExp(p, 'u'); plain = new RegExp(p); } catch (e) { return 'invalid ECMA-262: ' + e.message; }
  return vals.map(v => [u.test(v) ? 1 : 0, plain.test(v) ? 1 : 0]);
})));
"""


def _judge(command: list[str], cases: list[tuple[str, list[str]]]) -> list[object]:
    done = subprocess.run(command, input=json.dumps(cases), capture_output=True, text=True, check=True, timeout=120)
    result: list[object] = json.loads(done.stdout)
    return result


def assert_same_verdicts(patterns: Iterable[str]) -> int:
    """Every translated pattern accepts exactly what Perl accepts, in ECMA with and without u."""
    missing = _engines_missing()
    if missing:
        pytest.skip(missing)
    perl_cases: list[tuple[str, list[str]]] = []
    ecma_cases: list[tuple[str, list[str]]] = []
    for index, perl in enumerate(sorted(set(patterns))):
        ecma = ecma_pattern(perl)
        if ecma is None:
            continue
        values = _candidates(perl, index)
        perl_cases.append((perl, values))
        ecma_cases.append((ecma, values))
    perl_verdicts = _judge(["perl", "-e", _PERL], perl_cases)
    ecma_verdicts = _judge(["node", "-e", _NODE], ecma_cases)
    problems = []
    for (perl, values), (ecma, _), expected, got in zip(
        perl_cases, ecma_cases, perl_verdicts, ecma_verdicts, strict=True
    ):
        assert isinstance(expected, list)
        if not isinstance(got, list):
            problems.append(f"{perl!r} -> {ecma!r}: {got}")
            continue
        for value, want, (with_u, without_u) in zip(values, expected, got, strict=True):
            bmp = all(ord(char) <= 0xFFFF for char in value)
            if want != with_u or (bmp and want != without_u):
                problems.append(f"{perl!r} -> {ecma!r} on {value!r}: perl {want}, ecma u {with_u} / plain {without_u}")
    assert not problems, f"{len(problems)} disagreements, e.g.: " + "; ".join(problems[:5])
    return len(perl_cases)


def patterns_of(spec: Spec) -> set[str]:
    found: set[str] = set()

    def walk(schema: Schema | None) -> None:
        if schema is None:
            return
        if schema.pattern is not None:
            found.add(schema.pattern)
        for sub in (schema.format_properties or {}).values():
            walk(sub)
        walk(schema.items)
        for sub in (schema.properties or {}).values():
            walk(sub)
        for sub in schema.one_of or ():
            walk(sub)
        if isinstance(schema.additional_properties, Schema):
            walk(schema.additional_properties)

    for op in spec.operations:
        for parameter in op.parameters.values():
            walk(parameter)
        walk(op.returns)
    return found


# -- the rules, one by one (Python's re reads our output alike for strings without a final newline) --
def _accepts(ecma: str, value: str) -> bool:
    return re.search(ecma, value) is not None


def test_alternatives_are_anchored_as_pve_pastes_them() -> None:
    ecma = perl_to_ecma("a|b")
    assert ecma == "^a|b\\n?$"
    # PVE checks m/^a|b$/: "starts with a" or "ends with b", and so does the export
    assert _accepts(ecma, "a-anything") and _accepts(ecma, "anything-b") and not _accepts(ecma, "xax")
    assert perl_to_ecma("(?:a|b)") == "^(?:a|b)\\n?$"


def test_perl_dollar_keeps_its_final_newline() -> None:
    assert perl_to_ecma("abc") == "^abc\\n?$"
    assert perl_to_ecma("(?^:^abc$)") == "^abc\\n?$"  # inner anchors at the ends say nothing more
    assert perl_to_ecma("a$|b") == "^a(?=\\n?$)|b\\n?$"  # not at the end: Perl's $ spelled out
    assert perl_to_ecma("x\\z") == "^x$\\n?$"  # \z: the very end, no newline


def test_unicode_classes_are_written_out_or_refused() -> None:
    space = perl_to_ecma("\\s")
    for char in " \t\n\r\x0b\x0c\x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000":
        assert _accepts(space, char), repr(char)
    assert not _accepts(space, "\ufeff") and not _accepts(space, "\x1c")  # ECMA and Python say space; Perl not
    assert perl_to_ecma(".") == "^[^\\n]\\n?$"
    folded = perl_to_ecma("(?^i:[a-z]+)")
    assert _accepts(folded, "\u017f\u212aAz") and not _accepts(folded, "\u0131")
    assert perl_to_ecma("(?a:\\d)") == "^[0-9]\\n?$"


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("\\d+", "Unicode digits"),
        ("\\w+", "Unicode letters"),
        ("a\\b", "word boundaries"),
        ("[a-z]{,8}", "Perl 5.34"),
        ("a{ 1, 2 }", "Perl 5.34"),
        ("a++", "possessive"),
        ("(?>a+)", "atomic"),
        ("(?<=a)b", "lookaround"),
        ("(a)\\1", "backreference"),
        ("(?x) a", "modifier"),
        ("(?^x:a b)", "/x"),
        ("[[:alpha:]]", "POSIX"),
        ("(?^i:abc)", "letter under /i"),
        ("(?m:^a)", "/m"),
        ("\\x{1F600}", "beyond U+FFFF"),
        ("(a", "unterminated"),
        ("a)", "unbalanced"),
        ("*a", "nothing to repeat"),
    ],
)
def test_untranslatable_constructs_are_refused_with_the_reason(pattern: str, reason: str) -> None:
    with pytest.raises(Untranslatable, match=re.escape(reason)):
        perl_to_ecma(pattern)
    assert ecma_pattern(pattern) is None


def test_literals_are_escaped_for_ecma_with_and_without_u() -> None:
    assert ecma_literal("a.b") == "a\\.b"
    assert ecma_literal("a-b/c@") == "a-b/c@"  # no identity escapes the u flag would refuse
    assert perl_to_ecma("\\@\\-\\/\\_") == "^@-/_\\n?$"


def test_named_formats_become_patterns_or_enums_only_where_the_project_can_say_them() -> None:
    pattern, words = format_constraint("pve-node")
    assert pattern is not None and words is None
    assert _accepts(pattern, "pve1") and not _accepts(pattern, "-pve") and not _accepts(pattern, "pve_1")
    assert format_constraint("pve-day-of-week") == (None, ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    assert format_constraint("pve-iface") == (None, None)  # its check uses \d: Unicode digits in Perl
    assert format_constraint("ipv4") == (None, None)  # a predicate, not a pattern
    assert format_constraint("no-such-format") == (None, None)


# -- the real engines ------------------------------------------------------------------------------
def test_tricky_patterns_mean_the_same_in_perl_and_ecma() -> None:
    assert assert_same_verdicts(_TRICKY) >= 18


def test_format_patterns_mean_the_same_in_perl_and_ecma() -> None:
    regexes = [regex for name in sorted(known_formats()) if (regex := format_regex(name)) is not None]
    assert assert_same_verdicts(_as_perl(regex) for regex in regexes) >= 10


def test_embedded_spec_patterns_mean_the_same_in_perl_and_ecma() -> None:
    patterns = patterns_of(load_spec(ROOT / "spec" / "proxmox-ve.json"))
    assert patterns
    assert_same_verdicts(patterns)


def test_perl_is_really_unicode_aware_here() -> None:
    """The witness for refusing \\d: on a decoded string Perl's \\d takes an Arabic-Indic digit."""
    if shutil.which("perl") is None:
        pytest.skip("perl is not installed")
    verdicts = _judge(["perl", "-e", _PERL], [("\\d+[MG]?", ["\u0663M", "3M"])])
    assert verdicts == [[1, 1]]


def test_probe_candidates_cover_newlines_and_unicode() -> None:
    """The probe helper itself: candidates include the newline and Unicode probes."""
    values = _candidates("[a-z]+", 3)
    assert any(value.endswith("\n") for value in values)
    assert any(not value.isascii() for value in values)
