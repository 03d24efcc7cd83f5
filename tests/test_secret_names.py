"""runtime/redact.is_secret_name: the one rule the client's logs and reprs and the mock's request log mask by."""

from __future__ import annotations

import pytest

from pvegen.runtime.redact import is_secret_name


@pytest.mark.parametrize(
    "name",
    ["password", "new-password", "cipassword", "otp", "tfa-challenge", "ticket", "vncticket", "value", "key",
     "encryption-key", "client-key", "eab-hmac-key", "keyring", "secret", "secret-key", "passphrase", "apitoken",
     "target-endpoint", "PASSWORD"],
)  # fmt: skip
def test_credentials_are_secret(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize("name", ["vmid", "node", "keyboard", "hotplug", "tokenid", "comment", "net0", "storage"])
def test_ordinary_names_are_not(name: str) -> None:
    assert not is_secret_name(name)
