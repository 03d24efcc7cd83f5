"""Sample data and parameter checks agree on every real release's parameters (needs ../shared)."""

from __future__ import annotations

from pvegen import Spec
from tests.fixtures_shared import real_data_module
from tests.test_mock_fake import sampled_values_that_fail_the_checks

real_data_module()


def test_sampled_parameters_pass_the_checks(each_release: Spec) -> None:
    checked, failures = sampled_values_that_fail_the_checks(each_release)
    assert checked > 1000
    assert failures == []
