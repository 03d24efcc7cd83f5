"""Loader fuzzing on the real schemas: every mutation gives a correct load or a located SpecError.

Mutations: truncation at any byte, deleting a key, swapping a value for another JSON type, nesting a
value very deeply, and huge strings. Never another exception, never a traceback.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pvegen import SpecError, load_spec_text
from pvegen.normalize import spec_to_json
from tests.fixtures_shared import release_path, require_shared

pytestmark = pytest.mark.fuzz

_TEXTS: dict[str, str] = {}


def _text(version: str) -> str:
    require_shared()
    if version not in _TEXTS:
        _TEXTS[version] = release_path(version).read_text()
    return _TEXTS[version]


def _containers(value: Any, found: list[Any]) -> list[Any]:
    if isinstance(value, dict):
        found.append(value)
        for child in value.values():
            _containers(child, found)
    elif isinstance(value, list):
        found.append(value)
        for child in value:
            _containers(child, found)
    return found


REPLACEMENTS: list[Any] = [None, 0, 1, -1, 2.5, "", "x", True, [], {}, [1, "a"], {"type": "nope"}, "\x00\ud7ff"]


NEST_MARK = "\u0000nest-here\u0000"


def _mutate(tree: Any, rng: random.Random) -> tuple[str, int, bool]:
    """Apply one random mutation in place; returns its name and, for nesting, how deep and how.

    Deep nesting is spliced in as text (json.dumps cannot encode it): the value is replaced by a
    marker that ``_render`` expands.
    """
    target = rng.choice(_containers(tree, []))
    keys: list[Any] = list(target.keys()) if isinstance(target, dict) else list(range(len(target)))
    if not keys:
        return "empty container left alone", 0, False
    key = rng.choice(keys)
    kind = rng.choice(["delete", "swap", "nest", "huge"])
    if kind == "delete":
        del target[key]
    elif kind == "swap":
        target[key] = rng.choice(REPLACEMENTS)
    elif kind == "nest":
        target[key] = NEST_MARK
        return f"nest {key!r}", rng.choice([50, 5000, 100_000]), rng.random() < 0.5
    else:
        target[key] = "A" * rng.choice([10_000, 2_000_000])
    return f"{kind} {key!r}", 0, False


def _render(tree: Any, depth: int, as_lists: bool) -> str:
    text = "const apiSchema = " + json.dumps(tree) + ";"
    if depth:
        opening, closing = ("[", "]") if as_lists else ('{"properties": {"x": ', "}}")
        text = text.replace(json.dumps(NEST_MARK), opening * depth + '{"type": "string"}' + closing * depth, 1)
    return text


def _check(text: str, label: str) -> None:
    try:
        spec = load_spec_text(text, source="mutated.js")
    except SpecError as err:
        message = str(err)
        assert message.startswith("mutated.js:"), (label, message)
        assert "\n" not in message, (label, message)
        return
    # A correct load round-trips through our format.
    again = load_spec_text(spec_to_json(spec), source="again.json")
    assert again.operations == spec.operations, label


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False), st.sampled_from(["5.4", "7.4", "9.1"]))
def test_structural_mutations_of_real_schemas(rng: random.Random, version: str) -> None:
    text = _text(version)
    tree = json.loads(text[text.index("[") : text.rindex("]") + 1])
    label, depth, as_lists = _mutate(tree, rng)
    _check(_render(tree, depth, as_lists), f"{label} depth={depth}")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["5.4", "9.1"]))
def test_truncation_anywhere(cut: int, version: str) -> None:
    text = _text(version)
    position = cut % len(text)
    _check(text[:position], f"truncated at {position}")


def test_deep_schema_nesting_is_an_error_not_a_crash() -> None:
    schema = '{"type": "object", "properties": {"x": ' * 5000 + '{"type": "string"}' + "}}" * 5000
    text = '{"format": "pvegen-spec/1", "operations": [{"method": "GET", "path": "/a", "returns": ' + schema + "}]}"
    with pytest.raises(SpecError, match="nests too deeply"):
        load_spec_text(text, source="deep.json")


def test_deep_nesting_of_the_whole_document() -> None:
    for depth in (10_000, 1_000_000):
        _check("[" * depth + "]" * depth, f"depth {depth}")
        _check('{"format": "pvegen-spec/1", "operations": ' + "[" * depth + "]" * depth + "}", f"ours {depth}")
