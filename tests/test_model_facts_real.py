"""The role model and TFA flow the model derives from each real release (needs ../shared)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pvegen import Spec
from tests.fixtures_shared import real_data_module

real_data_module()


@pytest.mark.parametrize(
    ("version", "count", "monitor", "flow"),
    [("5.4", 32, True, "otp"), ("6.4", None, True, "otp"), ("7.4", None, True, "challenge-optional"),
     ("8.4", 42, True, "challenge"), ("9.1", 47, False, "challenge")],
)  # fmt: skip
def test_real_releases(
    release: Callable[[str], Spec], version: str, count: int | None, monitor: bool, flow: str
) -> None:
    spec = release(version)
    assert spec.privileges is not None and ("VM.Monitor" in spec.privileges) is monitor
    if count is not None:
        assert len(spec.privileges) == count
    assert spec.tfa_flow == flow
