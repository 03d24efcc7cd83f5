"""`pvegen openapi` on the real releases (needs ../shared): each exports a valid OpenAPI 3.1 document with every
operation, most request patterns translated."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from pvegen import load_spec
from pvegen.openapi import build_document
from tests.fixtures_shared import OPERATION_COUNTS, RELEASES, real_data_module, release_path

real_data_module()


# The oldest and the newest release in `make test`; the five between (5-14 s each) in `make fuzz`, which CI runs too.
_QUICK = ("5.4", RELEASES[-1])


@pytest.mark.parametrize(
    "version", [version if version in _QUICK else pytest.param(version, marks=pytest.mark.fuzz) for version in RELEASES]
)
def test_every_release_exports_a_valid_document(version: str) -> None:
    spec = load_spec(release_path(version))
    export = build_document(spec)
    validate(export.document)
    assert export.operations == OPERATION_COUNTS[version] == len(spec.operations)
    patterns = export.patterns
    print(
        f"\npve {version}: {export.paths} paths, {export.operations} operations, {export.component_schemas} "
        f"component schemas; request patterns {patterns.translated} translated ({len(patterns.distinct_translated)} "
        f"distinct), {patterns.kept} kept as x-pve-pattern ({len(patterns.distinct_kept)} distinct); named formats "
        f"{patterns.formats_expressed} also as pattern/enum, {patterns.formats_kept} as x-pve-format only"
    )
    assert patterns.translated > patterns.kept > 0
