"""What a named format accepts comes from the runtime's checkers; patterns compare as languages."""

from __future__ import annotations

import pytest

from pvegen.compat import formats
from pvegen.compat.patterns import compare_patterns, samples, shrink
from pvegen.runtime.perlre import perl_match
from pvegen.runtime.pveformats import known_formats


def test_formats_kept_here_are_only_those_the_runtime_does_not_check() -> None:
    # One fact in one place: once pveformats checks an SDN id format, its copy here must go.
    assert not set(formats.WRITTEN_OUT) & known_formats()


def test_accepts_asks_the_runtime_checkers() -> None:
    assert formats.accepts("pve-vmid", "100") is True and formats.accepts("pve-vmid", "99") is False
    assert formats.accepts("pve-sdn-zone-id", "zone1") is True
    assert formats.accepts("pve-sdn-zone-id", "toolongzone") is False
    assert formats.accepts("pve-storage-format", "raw") is None  # unknown here: no verdict
    assert formats.knows("ipv4") and not formats.knows("pve-storage-format") and not formats.knows(None)


@pytest.mark.parametrize(
    ("old", "new", "wider", "narrower"),
    [
        ("[a-z]+", "[a-z0-9]+", True, False),
        ("(?^:[a-z]+)", "[a-z]+", True, True),
        ("pve([1248])([cbsp])-[0-9a-f]{10}", "\\s*pve([1248])([cbsp])-[0-9a-f]{10}\\s*", True, False),
        ("(noatime|nodev)(;(noatime|nodev))*", "(noatime|lazytime|nodev)(;(noatime|lazytime|nodev))*", True, False),
        ("x\\d+\\.\\d+", "x\\d+(\\.\\d+)+", True, False),
        ("(/dev/.+|socket)", "(/dev/[^,]+|socket)", False, False),
    ],
)
def test_structural_proofs(old: str, new: str, wider: bool, narrower: bool) -> None:
    verdict = compare_patterns(old, new)
    assert (verdict.wider_proven, verdict.narrower_proven) == (wider, narrower)
    assert all(perl_match(old, s) and perl_match(new, s) is False for s in verdict.old_only)
    assert all(perl_match(new, s) and perl_match(old, s) is False for s in verdict.new_only)
    if wider:
        assert verdict.old_only == ()  # a proof and a counterexample never meet


def test_samples_match_and_shrink_keeps_the_property() -> None:
    found = samples("(ceph|mon)\\.[A-Za-z0-9\\-]{1,32}")
    assert found and all(perl_match("(ceph|mon)\\.[A-Za-z0-9\\-]{1,32}", s) for s in found)

    def refused(value: str) -> bool:
        return bool(perl_match("\\w+=[^,]+", value)) and perl_match("\\w+=[^ ,=]+", value) is False

    small = shrink("abc=x y zz", refused)
    assert refused(small) and len(small) == 3  # one word character, '=', the space the new one refuses
    assert samples("(?{ 1 })") == []  # untranslatable: no samples, no crash
