"""The properties of ``diff`` on the real releases (needs ../shared): nothing between a release and itself,
and the diff of each real pair mirrors its reverse."""

from __future__ import annotations

import pytest

from pvegen import Spec
from pvegen.compat import diff
from tests.fixtures_shared import real_data_module
from tests.test_compat_properties import assert_mirrored
from tests.test_compat_support import changes

real_data_module()


def test_diff_of_a_spec_with_itself_is_empty(each_release: Spec) -> None:
    assert diff(each_release, each_release) == []


PAIRS = [("5.4", "6.4"), ("6.4", "7.4"), ("8.0", "8.4"), ("8.4", "9.0"), ("9.0", "9.1"), ("5.4", "9.1")]


@pytest.mark.parametrize("pair", PAIRS)
def test_diff_and_reverse_diff_mirror_each_other(pair: tuple[str, str]) -> None:
    assert_mirrored(changes(*pair), changes(pair[1], pair[0]))
