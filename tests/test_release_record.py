"""release_record: the line that keeps a fetched schema's release, read back by every command."""

from __future__ import annotations

import json

import pytest

from pvegen import load_spec_text
from pvegen.errors import SpecError
from pvegen.release_record import RECORD_PREFIX, read_record, with_record

TREE = '[{"path": "/version", "text": "version", "leaf": 1, "info": {"GET": {"name": "version", "returns": {}}}}]'


def test_javascript_gets_one_line_in_front_and_is_otherwise_unchanged() -> None:
    js = f"const apiSchema = {TREE};\nlet viewer = 1;\n"
    saved = with_record(js, version="9.1.4")
    assert saved == RECORD_PREFIX + '{"product": "pve", "version": "9.1.4"}\n' + js
    assert read_record(saved) == ({"product": "pve", "version": "9.1.4"}, saved.index("const"))
    spec = load_spec_text(saved, source="anything.js")
    assert (spec.version, len(spec.operations)) == ("9.1.4", 1)


def test_recording_again_replaces_the_line() -> None:
    once = with_record(f"var pveapi = {TREE};", version="6.4")
    twice = with_record(once, version="7.4")
    assert twice.count(RECORD_PREFIX) == 1
    assert load_spec_text(twice).version == "7.4"


def test_a_json_tree_becomes_the_same_javascript_and_a_pvegen_spec_records_its_version() -> None:
    saved = with_record(TREE + "\n", version="8.4")
    assert load_spec_text(saved).version == "8.4"
    assert load_spec_text(saved).operations == load_spec_text(TREE).operations
    ours = json.dumps({"format": "pvegen-spec/1", "product": "pve", "operations": []})
    assert json.loads(with_record(ours, version="9.0"))["version"] == "9.0"


def test_version_precedence_flag_then_record_then_file_name() -> None:
    saved = with_record(f"const apiSchema = {TREE};", version="8.4")
    assert load_spec_text(saved, source="pve-9.1.js").version == "8.4"
    assert load_spec_text(saved, source="pve-9.1.js", version="7.4").version == "7.4"
    assert load_spec_text(f"const apiSchema = {TREE};", source="pve-9.1.js").version == "9.1"


@pytest.mark.parametrize(
    "line",
    ["// pvegen: {broken\n", "// pvegen: [1]\n", '// pvegen: {"version": 9}\n', '// pvegen: {"version": ""}\n'],
)
def test_a_broken_record_is_an_error_at_line_one(line: str) -> None:
    with pytest.raises(SpecError) as caught:
        load_spec_text(line + f"const apiSchema = {TREE};", source="x.js")
    assert str(caught.value).startswith("x.js:1:1: the '// pvegen:' line")
