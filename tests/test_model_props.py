"""Properties of the model and our format on random specs (hypothesis)."""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest
from hypothesis import given, settings

from pvegen import load_spec_text
from pvegen.load_ours import spec_to_document
from pvegen.load_schema import build_schema
from pvegen.model import FrozenDict, thaw
from pvegen.normalize import spec_to_json
from tests.strategies import documents


@settings(max_examples=50, deadline=None)
@given(documents())
def test_normalize_round_trips_random_specs(doc: dict[str, Any]) -> None:
    _assert_normalize_round_trips(doc)


@pytest.mark.fuzz
@settings(max_examples=1500, deadline=None)
@given(documents())
def test_normalize_round_trips_many_random_specs(doc: dict[str, Any]) -> None:
    _assert_normalize_round_trips(doc)


def _assert_normalize_round_trips(doc: dict[str, Any]) -> None:
    spec = load_spec_text(json.dumps(doc), source="random.json")
    text = spec_to_json(spec)
    again = load_spec_text(text, source="again.json")
    assert again == spec
    assert spec_to_json(again) == text  # deterministic, byte for byte
    for original, op in zip(doc["operations"], spec.operations, strict=True):
        assert {n: s.to_raw() for n, s in op.parameters.items()} == original["parameters"]


@settings(max_examples=25, deadline=None)
@given(documents())
def test_models_pickle_and_compare(doc: dict[str, Any]) -> None:
    spec = load_spec_text(json.dumps(doc))
    assert pickle.loads(pickle.dumps(spec)) == spec
    assert spec_to_document(spec)["operations"] == [
        dict(json.loads(json.dumps(entry))) for entry in spec_to_document(spec)["operations"]
    ]


def test_model_objects_refuse_mutation() -> None:
    schema = build_schema(type="object", properties={"a": {"type": "string", "enum": ["x", "y"]}})
    with pytest.raises(AttributeError):
        schema.type = "string"  # type: ignore[misc]
    props = schema.properties
    assert isinstance(props, FrozenDict)
    with pytest.raises(TypeError):
        props["b"] = schema
    assert props["a"].enum == ("x", "y")
    assert json.loads(json.dumps(thaw(props)))["a"]["enum"] == ["x", "y"]


def test_schema_accessors_normalise_proxmox_spellings() -> None:
    schema = build_schema(type="integer", optional="1", minimum="0", maxLength="12", default_key=1)
    assert schema.optional and not schema.required
    assert schema.minimum == 0 and schema.max_length == 12 and schema.default_key
    assert build_schema(type="string").required
    assert build_schema(type="string", enum=None).has("enum")
    assert build_schema(type="string", enum=None).enum is None
