"""Typed property strings: one class per distinct format of every shared release, written and read
as PVE does (default key, alias, keyAlias), checked by a hypothesis round trip over every class of
every release and against the mock's independent parser, and used through the client on the mock."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pvegen import Spec
from pvegen.load_schema import build_schema
from pvegen.mock import MockServer
from pvegen.mock.fake import sample
from pvegen.mock.validate import parse_property_string
from pvegen.model import Schema

from .fixtures_client import GeneratedClient
from .fixtures_shared import RELEASES

VM = 4200


def _formats(spec: Spec) -> dict[str, Schema]:
    """Every distinct property-string format of a spec (parameters and returns, nested too)."""
    found: dict[str, Schema] = {}

    def walk(schema: Schema | None) -> None:
        if schema is None:
            return
        if schema.format_properties is not None:
            found.setdefault(json.dumps(schema.to_raw()["format"], sort_keys=True, default=str), schema)
        walk(schema.items)
        for prop in (schema.properties or {}).values():
            walk(prop)

    for op in spec.operations:
        for schema in op.parameters.values():
            walk(schema)
        walk(op.returns)
    return found


# -- strategies from the generated classes' own rules ------------------------------------------------------


def _valid(check: Callable[..., str], rule: Any, value: Any) -> str | None:
    try:
        text = check("v", rule, value)
    except Exception:
        return None
    return text if text and "," not in text and not text.startswith('"') else None


def _samples(module: Any, rule: Any) -> list[str]:
    """Values for a string with a format or pattern: the mock's sample data, kept when valid."""
    schema = build_schema(
        type="string",
        **{k: v for k, v in (("format", rule.format), ("pattern", rule.pattern)) if v is not None},
        **{k: v for k, v in (("minLength", rule.min_length), ("maxLength", rule.max_length)) if v is not None},
    )
    check = module.check_value
    made = [sample(schema, random.Random(seed)) for seed in range(24)] + _MORE_SAMPLES.get(rule.format, [])
    return sorted({text for value in made if (text := _valid(check, rule, value)) is not None})


# Formats the mock's sample data has no example for (the runtime still checks every value).
_MORE_SAMPLES = {
    "disk-size": ["32G", "512M", "1.5T", "1024"],
    "pve-volume-id-or-absolute-path": ["local:iso/debian-13.iso", "/var/lib/vz/images/100/base.raw"],
}


_PLAIN = st.characters(blacklist_characters=',"', blacklist_categories=("Cs", "Cc"))


def _value_strategy(module: Any, rule: Any) -> st.SearchStrategy[Any] | None:
    kind = rule.kind
    if rule.enum:
        values = [v for v in rule.enum if _valid(module.check_value, rule, v) is not None]
        return st.sampled_from(values) if values else None
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        low = int(rule.minimum) if rule.minimum is not None else -(2**31)
        high = int(rule.maximum) if rule.maximum is not None else 2**31
        return st.integers(low, high)
    if kind == "number":
        return st.floats(rule.minimum, rule.maximum, allow_nan=False, allow_infinity=False)
    if rule.format is not None or rule.pattern is not None:
        values = _samples(module, rule)
        return st.sampled_from(values) if values else None
    low = max(1, rule.min_length or 0)
    high = max(low, min(rule.max_length or 24, 24))
    return st.text(_PLAIN, min_size=low, max_size=high).filter(
        lambda t: _valid(module.check_value, rule, t) is not None
    )


def _object_strategy(module: Any, cls: Any) -> tuple[st.SearchStrategy[dict[str, Any]], list[str]]:
    """Keyword arguments for ``cls`` and the sub-keys no valid value could be made for."""
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    untested: list[str] = []
    for key in cls._keys:
        strategy = _value_strategy(module, key.rule)
        if strategy is None:
            untested.append(key.wire)
            continue
        (required if key.required else optional)[key.attr] = strategy
    known = {key.wire for key in cls._keys} | set(cls._aliases)
    extra = st.dictionaries(
        st.sampled_from(["x-newer-key", "future"]).filter(lambda k: k not in known),
        st.text(_PLAIN, min_size=1, max_size=6).filter(lambda t: "=" not in t and t.strip() == t and t),
        max_size=1,
    )
    return st.fixed_dictionaries(required, optional={**optional, "extra": extra}), untested


def _check_round_trip(module: Any, cls: Any, kwargs: dict[str, Any]) -> None:
    obj = cls(**kwargs)
    text = obj.encode()
    back = cls.parse(text)
    assert back == obj, (text, obj, back)
    assert back.encode() == text  # one canonical form
    # PVE's reading (the mock's parser is written independently, after PVE's) sees the same values
    props = {key.wire: build_schema(**_sub_schema(key)) for key in cls._keys}
    props.update(
        {
            alias: build_schema(alias=target, **({"keyAlias": ka} if ka else {}))
            for alias, (target, ka) in cls._aliases.items()
        }
    )
    props.update({wire: build_schema(type="string") for wire in obj.extra})
    server_view = parse_property_string(props, text)
    expected = {
        key.wire: module.check_value("v", key.rule, value)
        for key in cls._keys
        if (value := getattr(obj, key.attr)) is not None
    }
    assert server_view == {**expected, **obj.extra}, text


def _sub_schema(key: Any) -> dict[str, Any]:
    return {"type": key.rule.kind, **({"default_key": 1} if key.default_key else {})}


def _round_trips(runtime: Any, cls: Any, strategy: st.SearchStrategy[dict[str, Any]]) -> None:
    @settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(kwargs: dict[str, Any]) -> None:
        _check_round_trip(runtime, cls, kwargs)

    run()


@pytest.mark.parametrize("version", RELEASES)
def test_every_format_round_trips(
    version: str, generated_client: Callable[[str], GeneratedClient], release: Callable[[str], Spec]
) -> None:
    client = generated_client(version)
    module = __import__(f"{client.package}.propstrings", fromlist=["__all__"])
    runtime = __import__(f"{client.package}._runtime.validate", fromlist=["check_value"])
    classes = [getattr(module, name) for name in module.__all__]
    # one class per distinct format of the release: none missing, none twice
    assert len(classes) == len(_formats(release(version))) > 0
    untested_total: list[str] = []
    for cls in classes:
        strategy, untested = _object_strategy(runtime, cls)
        untested_total += [f"{cls.__name__}.{wire}" for wire in untested]
        _round_trips(runtime, cls, strategy)
    assert untested_total == []  # every sub-key got values (else name it here)


# -- PVE's forms on the qemu network device -------------------------------------------------------------


@pytest.fixture(scope="session")
def ps91(client91: GeneratedClient) -> Any:
    return __import__(f"{client91.package}.propstrings", fromlist=["QemuNet"])


def test_net_writes_the_key_alias_short_form_and_reads_it_back(ps91: Any) -> None:
    net = ps91.QemuNet(model="virtio", macaddr="BC:24:11:2E:0A:01", bridge="vmbr0", firewall=True, tag=10)
    assert str(net) == "virtio=BC:24:11:2E:0A:01,bridge=vmbr0,firewall=1,tag=10"
    back = ps91.QemuNet.parse("virtio=BC:24:11:2E:0A:01,bridge=vmbr0,firewall=1,tag=10")
    assert (back.model, back.macaddr, back.bridge, back.firewall, back.tag) == (
        "virtio",
        "BC:24:11:2E:0A:01",
        "vmbr0",
        True,
        10,
    )
    assert back == net


def test_default_key_is_written_bare_and_read_from_a_bare_value(ps91: Any) -> None:
    assert str(ps91.QemuNet(model="e1000", bridge="vmbr1")) == "e1000,bridge=vmbr1"
    parsed = ps91.QemuNet.parse("e1000,bridge=vmbr1,link_down=yes")
    assert (parsed.model, parsed.macaddr, parsed.link_down) == ("e1000", None, True)
    assert ps91.QemuNet.parse("model=e1000,macaddr=BC:24:11:2E:0A:01") == ps91.QemuNet(
        model="e1000", macaddr="BC:24:11:2E:0A:01"
    )


def test_unknown_keys_are_kept_and_written_back(ps91: Any) -> None:
    parsed = ps91.QemuNet.parse("virtio=BC:24:11:2E:0A:01,bridge=vmbr0,newfeature=on")
    assert parsed.extra == {"newfeature": "on"}
    assert str(parsed) == "virtio=BC:24:11:2E:0A:01,bridge=vmbr0,newfeature=on"


def test_bad_values_are_refused_naming_the_sub_key(ps91: Any, client91: GeneratedClient) -> None:
    ValidationError = client91.module.ValidationError
    with pytest.raises(ValidationError) as caught:
        ps91.QemuNet(model="virtio", tag=5000).encode("net0")
    assert (caught.value.parameter, caught.value.rule) == ("net0.tag", "maximum")
    with pytest.raises(ValidationError, match=r"net0\.model"):
        ps91.QemuNet(model="token-ring").encode("net0")
    with pytest.raises(ValidationError, match="cannot contain ','"):
        ps91.QemuNet(model="virtio", extra={"note": "a,b"}).encode("net0")
    with pytest.raises(ValidationError, match="required"):
        ps91.QemuNet.parse("bridge=vmbr0").encode("net0")  # read without its required model
    with pytest.raises(ValueError, match="duplicate"):
        ps91.QemuNet.parse("virtio,model=e1000")


# -- through the client, against the mock -----------------------------------------------------------


def test_typed_and_text_values_are_sent_and_read_back(served: tuple[MockServer, Any], ps91: Any) -> None:
    srv, pve = served
    net0 = ps91.QemuNet(model="virtio", macaddr="BC:24:11:2E:0A:01", bridge="vmbr0", firewall=True)
    upid = pve.nodes("pve1").qemu.post(
        vmid=VM, net={0: net0, 1: "e1000,bridge=vmbr1"}, memory=ps91.QemuMemory(current=2048)
    )
    pve.wait_task(upid, timeout=10, interval=0.01)
    (create,) = [r for r in srv.requests.snapshot() if r.method == "POST" and r.path == "/nodes/pve1/qemu"]
    assert create.params["net0"] == "virtio=BC:24:11:2E:0A:01,bridge=vmbr0,firewall=1"
    assert create.params["net1"] == "e1000,bridge=vmbr1"
    assert create.params["memory"] == "2048"
    config = pve.nodes("pve1").qemu(VM).config.get()
    assert ps91.QemuNet.parse(config["net0"]) == net0
    net1 = ps91.QemuNet.parse(config["net1"])
    assert (net1.model, net1.bridge) == ("e1000", "vmbr1") and net1.macaddr.startswith("BC:24:11:")  # PVE adds a MAC


def test_a_bad_sub_key_is_refused_before_sending(
    served: tuple[MockServer, Any], ps91: Any, client91: GeneratedClient
) -> None:
    srv, pve = served
    with pytest.raises(client91.module.ValidationError) as caught:
        pve.nodes("pve1").qemu.post(vmid=VM, net={3: ps91.QemuNet(model="virtio", mtu=0)})
    assert caught.value.parameter == "net3.mtu"
    assert srv.requests.snapshot() == []


def test_property_string_classes_load_only_when_used(client91: GeneratedClient) -> None:
    p = client91.package
    code = (
        f"import sys, {p}; c = {p}.ProxmoxVE('pve.example', token_id='a@pam!b', token_secret='x');"
        f" c.nodes('pve1').qemu(100).config; print('{p}.propstrings' in sys.modules);"
        f" import {p}.propstrings as ps; print(sum(m.startswith('{p}.propstrings.') for m in sys.modules));"
        f" ps.QemuNet; print(sorted(m for m in sys.modules if m.startswith('{p}.propstrings.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=client91.root, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["False", "0", f"['{client91.package}.propstrings.qemunet']"]


def test_repr_hides_values_of_secret_looking_keys(client91: GeneratedClient) -> None:
    runtime = __import__(f"{client91.package}._runtime.propstring", fromlist=["Key"])
    rule = __import__(f"{client91.package}._runtime.validate", fromlist=["P"]).P

    # no shared format has such a key; the runtime guards anyway
    keys = (
        runtime.Key("host", "host", rule("host", "string"), default_key=True),
        runtime.Key("password", "password", rule("password", "string")),
    )
    Remote: Any = type("Remote", (runtime.PropertyString,), {"__slots__": ("host", "password"), "_keys": keys})

    remote = Remote.parse("backup.example,password=hunter2-not-shown")
    assert remote.password == "hunter2-not-shown"
    assert "hunter2" not in repr(remote) and "backup.example" in repr(remote)
    assert str(remote) == "backup.example,password=hunter2-not-shown"
