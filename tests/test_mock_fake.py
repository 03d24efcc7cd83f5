"""Sample data and parameter checks agree: every sampled parameter value passes PVE's checks."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from pvegen import Spec
from pvegen.load_schema import build_schema
from pvegen.mock.fake import rng_for, sample
from pvegen.mock.regexgen import generate
from pvegen.mock.validate import check_value
from pvegen.runtime.perlre import compile_perl


def sampled_values_that_fail_the_checks(spec: Spec, seeds: range = range(1)) -> tuple[int, list[str]]:
    """Every parameter of ``spec`` sampled as the mock samples it (once per seed) and checked as the mock checks
    a request: (how many values were checked, the ones refused)."""
    checked = 0
    failures = []
    for seed in seeds:
        for op in spec.operations:
            for name, schema in op.parameters.items():
                value = sample(schema, rng_for(seed, op.path, name))
                if value is None or isinstance(value, dict | list):
                    continue
                checked += 1
                _, error = check_value(name, schema, str(value))
                if error is not None:
                    failures.append(f"{op.method} {op.path} {name}={value!r} (seed {seed}): {error}")
    return checked, failures


def test_sampled_parameters_pass_the_checks(stateful: Spec) -> None:
    """The stateful tests' spec (the embedded calls and their config, snapshot, pool, network and storage writes):
    formats, patterns, enums and property strings; several seeds, so each is sampled more than once."""
    checked, failures = sampled_values_that_fail_the_checks(stateful, range(5))
    assert checked > 1000
    assert failures == []


def test_sample_is_deterministic() -> None:
    schema = build_schema(type="object", properties={"a": {"type": "integer"}, "b": {"type": "string"}})
    assert sample(schema, rng_for(3, "x")) == sample(schema, rng_for(3, "x"))


def test_booleans_are_sampled_as_0_or_1() -> None:
    values = {sample(build_schema(type="boolean"), random.Random(seed)) for seed in range(20)}
    assert values == {0, 1}


PATTERNS = [
    r"(?^:[a-z][a-z0-9\-\_\.]*[a-z0-9])",
    r"[A-Za-z][A-Za-z0-9\.\-_]+",
    r"([A-Fa-f0-9]{2}:){31}[A-Fa-f0-9]{2}",
    r"(?:https?://)?[a-z0-9.-]+(?::\d+)?",
    r"\d+(?:\.\d+)?[KMGT]?",
    r"[^\s/]+",
]


@settings(max_examples=60, deadline=None)
@given(pattern=st.sampled_from(PATTERNS), seed=st.integers(0, 2**32))
def test_generated_strings_match_their_pattern(pattern: str, seed: int) -> None:
    compiled = compile_perl(pattern)
    assert compiled is not None
    made = generate(compiled.pattern, random.Random(seed))
    assert made is not None and compiled.match(made), made
