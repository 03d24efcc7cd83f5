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


def test_sampled_parameters_pass_the_checks(each_release: Spec) -> None:
    checked = 0
    failures = []
    for op in each_release.operations:
        for name, schema in op.parameters.items():
            value = sample(schema, rng_for(0, op.path, name))
            if value is None or isinstance(value, dict | list):
                continue
            checked += 1
            _, error = check_value(name, schema, str(value))
            if error is not None:
                failures.append(f"{op.method} {op.path} {name}={value!r}: {error}")
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
