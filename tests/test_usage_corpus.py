"""The scanner on code written in every style it reads (tests/usage_corpus/styles): each call site's
expectation sits at the end of its line (``# expect: METHOD SHAPE (params) -> TEMPLATES``), and a line
without one must yield no call. The templates are resolved among the corpus's own (here) and against the real
9.1 schema (test_usage_corpus_real.py)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from pvegen import Spec, load_spec_text
from pvegen.usage import Call, scan
from pvegen.usage.resolve import PathIndex
from tests.fixtures_shared import ROOT

CORPUS = ROOT / "tests" / "usage_corpus"
STYLES = CORPUS / "styles"
_EXPECT = re.compile(
    r"#\s*expect:\s*(?P<method>[A-Z]+|\*)\s+(?P<shape>\S+)(?:\s+\((?P<params>[^)]*)\))?(?:\s+->\s+(?P<templates>.+))?$"
)


@dataclass(frozen=True)
class Expected:
    file: str
    line: int
    method: str | None
    shape: str
    params: tuple[str, ...]
    complete: bool
    templates: tuple[str, ...]


def _expectations() -> list[Expected]:
    found = []
    for path in sorted(STYLES.glob("*.py")):
        for number, text in enumerate(path.read_text().splitlines(), 1):
            match = _EXPECT.search(text)
            if match is None:
                assert "expect:" not in text, f"{path.name}:{number}: malformed expectation"
                continue
            names = [n.strip() for n in (match["params"] or "").split(",") if n.strip()]
            templates = tuple(t.strip() for t in (match["templates"] or "").split("|") if t.strip())
            found.append(
                Expected(
                    path.name,
                    number,
                    None if match["method"] == "*" else match["method"],
                    match["shape"],
                    tuple(sorted(n for n in names if n != "+unknown")),
                    "+unknown" not in names,
                    templates,
                )
            )
    return found


EXPECTED = _expectations()


def calls_by_line() -> dict[tuple[str, int], list[Call]]:
    """The calls the scanner finds in the style corpus, by (file name, line)."""
    result = scan([str(STYLES)])
    assert result.warnings == []
    by_line: dict[tuple[str, int], list[Call]] = {}
    for call in result.calls:
        by_line.setdefault((Path(call.file).name, call.line), []).append(call)
    return by_line


@pytest.fixture(scope="module")
def calls() -> dict[tuple[str, int], list[Call]]:
    return calls_by_line()


def test_the_corpus_has_at_least_60_call_sites_across_files() -> None:
    assert len(EXPECTED) >= 60
    assert len({e.file for e in EXPECTED}) >= 5


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: f"{e.file}:{e.line}")
def test_each_call_site_is_found_exactly(expected: Expected, calls: dict[tuple[str, int], list[Call]]) -> None:
    found = calls.get((expected.file, expected.line), [])
    assert len(found) == 1, f"{expected.file}:{expected.line}: {found}"
    call = found[0]
    assert call.method == expected.method
    assert call.shape == expected.shape
    assert tuple(sorted(name for name, value in call.params.items() if value is not None)) == expected.params
    assert call.params_complete == expected.complete


def test_no_call_is_found_where_none_is_expected(calls: dict[tuple[str, int], list[Call]]) -> None:
    wanted = {(e.file, e.line) for e in EXPECTED}
    assert sorted(set(calls) - wanted) == []


def _corpus_spec() -> Spec:
    """The operations the expectations name, and no others: each template with the method the code shows (GET
    where it shows none), written here as a spec of our own."""
    wanted = sorted({(e.method or "GET", template) for e in EXPECTED for template in e.templates})
    operations = [{"method": method, "path": path, "parameters": {}} for method, path in wanted]
    return load_spec_text(json.dumps({"format": "pvegen-spec/1", "version": "9.1", "operations": operations}))


CORPUS_SPEC = _corpus_spec()


@pytest.mark.parametrize("expected", [e for e in EXPECTED if e.templates], ids=lambda e: f"{e.file}:{e.line}")
def test_each_call_reaches_the_operations_it_names(
    expected: Expected, calls: dict[tuple[str, int], list[Call]]
) -> None:
    """Among every template the corpus names, each call resolves to exactly its own (the real 9.1 schema:
    test_usage_corpus_real.py)."""
    index = path_index(CORPUS_SPEC)
    (call,) = calls[(expected.file, expected.line)]
    resolution = index.resolve(call)
    assert sorted({hit.op.path for hit in resolution.hits}) == sorted(expected.templates)
    # A method the code does not show reaches each method the path has, marked "may hit".
    assert all(hit.may_hit == (call.method is None) for hit in resolution.hits)


def test_unknown_means_unknown_not_a_guess(calls: dict[tuple[str, int], list[Call]]) -> None:
    dynamic = [c for key, found in calls.items() if key[0] == "dynamic.py" for c in found]
    unknown_path = [c for c in dynamic if c.segments is None]
    assert len(unknown_path) == 3  # api(path), api.get(path), api.nodes(*parts)
    (from_kwargs,) = [c for c in unknown_path if c.text.startswith("api(path)")]
    assert not from_kwargs.params_complete and from_kwargs.params == {}


def test_literal_values_are_kept_and_computed_ones_are_unknown(calls: dict[tuple[str, int], list[Call]]) -> None:
    (create,) = [c for (f, _), found in calls.items() if f == "parameters.py" for c in found if "balloon" in c.params]
    assert create.params["memory"] == 4096 and create.params["ostype"] == "l26" and create.params["balloon"] == 0
    assert repr(create.params["vmid"]) == "UNKNOWN"


def test_secrets_written_in_code_are_masked_in_the_call_text(calls: dict[tuple[str, int], list[Call]]) -> None:
    texts = " ".join(c.text for found in calls.values() for c in found)
    assert "s3cr3t" not in texts
    (login,) = [
        c for (f, _), found in calls.items() if f == "raw_http.py" for c in found if c.shape == "/access/ticket"
    ]
    assert login.text.startswith("requests.post(") and "password" in login.params


_INDEXES: dict[int, PathIndex] = {}


def path_index(spec: Spec) -> PathIndex:
    return _INDEXES.setdefault(id(spec), PathIndex(spec))


def test_two_worker_processes_find_the_same_calls() -> None:
    """Big trees are scanned by two processes; what one module teaches the others still applies."""
    alone = scan([str(CORPUS)], workers=1)
    shared = scan([str(CORPUS)], workers=2)
    assert shared.calls == alone.calls and len(alone.calls) > 250
    assert [str(w) for w in shared.warnings] == [str(w) for w in alone.warnings]
