"""Every property-string class of every real release's client round-trips (needs ../shared)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pvegen import Spec

from .fixtures_client import GeneratedClient
from .fixtures_shared import RELEASES, real_data_module
from .test_runtime_propstring import assert_every_class_round_trips

real_data_module()


@pytest.mark.parametrize("version", RELEASES)
def test_every_format_round_trips(
    version: str, generated_client: Callable[[str], GeneratedClient], release: Callable[[str], Spec]
) -> None:
    assert_every_class_round_trips(generated_client(version).package, release(version))
