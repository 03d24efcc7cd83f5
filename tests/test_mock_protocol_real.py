"""``/version`` answers as each real release does (needs ../shared): the release a schema is, read from its file."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pvegen import Spec
from tests.fixtures_mock import MockFactory
from tests.fixtures_shared import real_data_module
from tests.test_mock_protocol import version_answers_as_the_release_does

real_data_module()


@pytest.mark.parametrize("version", ["5.4", "6.4", "7.4", "8.0", "8.4", "9.0", "9.1"])
def test_version_answers_as_the_release_does(
    mock_server: MockFactory, release: Callable[[str], Spec], version: str
) -> None:
    version_answers_as_the_release_does(mock_server(release(version)), version)
