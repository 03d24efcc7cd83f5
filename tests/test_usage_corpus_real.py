"""The style corpus's calls reach the operations of the real 9.1 schema each expectation names (needs ../shared)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pvegen import Spec
from pvegen.usage import Call
from tests.fixtures_shared import real_data_module
from tests.test_usage_corpus import EXPECTED, Expected, calls_by_line, path_index

real_data_module()


@pytest.fixture(scope="module")
def calls() -> dict[tuple[str, int], list[Call]]:
    return calls_by_line()


@pytest.mark.parametrize("expected", [e for e in EXPECTED if e.templates], ids=lambda e: f"{e.file}:{e.line}")
def test_each_call_reaches_its_91_operations(
    expected: Expected, calls: dict[tuple[str, int], list[Call]], release: Callable[[str], Spec]
) -> None:
    index = path_index(release("9.1"))
    (call,) = calls[(expected.file, expected.line)]
    resolution = index.resolve(call)
    assert sorted({hit.op.path for hit in resolution.hits}) == sorted(expected.templates)
    # A method the code does not show reaches each method the path has, marked "may hit".
    assert all(hit.may_hit == (call.method is None) for hit in resolution.hits)
