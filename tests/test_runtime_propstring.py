"""Property strings: PVE's grammar (split, parse, print), the typed classes (one per distinct format,
written and read as PVE does: default key, alias, keyAlias; checked when built), a parameter's other
forms (its text, checked before sending; the default key's value alone: memory=2048), and the
indexed-parameter hint (net0=). The embedded spec's client against the mock covers the behaviour; a hypothesis
round trip over every class (and the mock's parser) the breadth, here for the embedded spec and in
test_runtime_propstring_real.py for every real release."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
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
from pvegen.runtime.errors import ValidationError as RuntimeValidationError
from pvegen.runtime.propstring import Key, PropertyString, parse_pairs, print_property_string, split_property_string
from pvegen.runtime.validate import P

from .fixtures_codegen import EMBEDDED_SPEC, embedded_package, embedded_propstrings, embedded_spec
from .fixtures_mock import MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MockFactory

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


def assert_every_class_round_trips(package: str, spec: Spec) -> None:
    """Every property-string class of the generated PACKAGE (one per distinct format of SPEC, none missing, none
    twice) writes what it reads, in one canonical form, and the mock's parser (after PVE's) reads the same values."""
    module = __import__(f"{package}.propstrings", fromlist=["__all__"])
    runtime = __import__(f"{package}._runtime.validate", fromlist=["check_value"])
    classes = [getattr(module, name) for name in module.__all__]
    assert len(classes) == len(_formats(spec)) > 0
    untested_total: list[str] = []
    for cls in classes:
        strategy, untested = _object_strategy(runtime, cls)
        untested_total += [f"{cls.__name__}.{wire}" for wire in untested]
        _round_trips(runtime, cls, strategy)
    assert untested_total == []  # every sub-key got values (else name it here)


def test_every_format_of_the_embedded_spec_round_trips() -> None:
    assert_every_class_round_trips(embedded_package().__name__, embedded_spec())


# -- the grammar, without a schema (what the mock reads request values with) ------------------------------


def test_split_keeps_quoted_commas_and_unquotes() -> None:
    assert split_property_string('a=1,b="x,y",c') == [("a", "1"), ("b", "x,y"), (None, "c")]
    assert split_property_string('a="q\\"z,w",b=2') == [("a", 'q"z,w'), ("b", "2")]
    assert split_property_string('a=say"hi"') == [("a", 'say"hi"')]


def test_parse_pairs_reads_as_pve_does() -> None:
    aliases = {"virtio": ("macaddr", "model"), "volume": ("file", None)}
    assert parse_pairs("virtio=AA:BB,bridge=vmbr0", default_key="model", aliases=aliases) == {
        "model": "virtio",
        "macaddr": "AA:BB",
        "bridge": "vmbr0",
    }
    assert parse_pairs("e1000, ,tag=5", default_key="model") == {"model": "e1000", "tag": "5"}
    assert parse_pairs("volume=local:1", default_key="file", aliases=aliases) == {"file": "local:1"}
    assert parse_pairs("x=1", default_key=None) == {"x": "1"}  # unknown keys: the caller decides
    with pytest.raises(ValueError, match="part 1 is a value without a key"):
        parse_pairs("bare", default_key=None)
    with pytest.raises(ValueError, match="duplicate key 'model'"):
        parse_pairs("virtio,model=e1000", default_key="model")


def test_print_writes_as_pve_does() -> None:
    aliases = {"virtio": ("macaddr", "model")}
    texts = {"model": "virtio", "macaddr": "AA:BB", "bridge": "vmbr0", "tag": "5"}
    assert print_property_string(texts, default_key="model", aliases=aliases) == "virtio=AA:BB,bridge=vmbr0,tag=5"
    assert print_property_string({"model": "e1000", "tag": "5"}, default_key="model") == "e1000,tag=5"
    assert print_property_string({"b": "2", "a": "1"}, default_key=None) == "a=1,b=2"


@pytest.mark.parametrize("value", ["a=b", "k=v=w", " ", "=start"])
def test_a_default_key_value_that_would_not_read_back_is_written_with_its_key(value: str) -> None:
    """Written bare, ``a=b`` would come back as key ``a`` (PVE's own printer has this bug)."""
    text = print_property_string({"path": value, "opt": "1"}, default_key="path")
    assert text == f"path={value},opt=1"
    assert parse_pairs(text, default_key="path") == {"path": value, "opt": "1"}


class Remote(PropertyString):
    """A class as the generator writes them, built by hand: a free-text default key, a secret."""

    __slots__ = ("host", "password", "port")
    _keys = (
        Key("host", "host", P("host", "string"), default_key=True, required=True),
        Key("password", "password", P("password", "string")),
        Key("port", "port", P("port", "integer", minimum=1, maximum=65535)),
    )

    host: str | None
    password: str | None
    port: int | None

    def __init__(self, *, host: str, password: str | None = None, port: int | None = None) -> None:
        self._init({"host": host, "password": password, "port": port}, None)


def test_default_key_value_with_equals_round_trips_through_a_class() -> None:
    remote = Remote(host="user=backup", port=8007)
    assert str(remote) == "host=user=backup,port=8007"  # the default key first, named
    assert Remote.parse(str(remote)) == remote
    assert str(Remote(host="backup.example", port=8007)) == "backup.example,port=8007"


def test_repr_hides_values_of_secret_looking_keys() -> None:
    remote = Remote.parse("backup.example,password=hunter2-not-shown")
    assert remote.password == "hunter2-not-shown"
    assert "hunter2" not in repr(remote) and "backup.example" in repr(remote)
    assert str(remote) == "backup.example,password=hunter2-not-shown"


# -- typed classes check their values when built ------------------------------------------------------------


@pytest.fixture
def ps() -> Any:
    """The property-string classes of the embedded spec's client (generated/proxmox_ve)."""
    return embedded_propstrings()


@pytest.fixture
def pkg() -> Any:
    return embedded_package()


def test_a_bad_value_is_refused_when_the_object_is_built(ps: Any, pkg: Any) -> None:
    with pytest.raises(pkg.ValidationError) as caught:
        ps.QemuNet(model="virtoi")
    assert (caught.value.parameter, caught.value.rule) == ("QemuNet.model", "enum")
    with pytest.raises(pkg.ValidationError, match=r"QemuNet.tag.*maximum"):
        ps.QemuNet(model="virtio", tag=5000)
    with pytest.raises(pkg.ValidationError, match=r"QemuNet.bridge"):
        ps.QemuNet(model="virtio", bridge="vmbr0,tag=5")  # would smuggle a key in
    with pytest.raises(pkg.ValidationError, match=r"QemuNet.model.*required"):
        ps.QemuNet(model=None)
    with pytest.raises(pkg.ValidationError, match=r"QemuNet.bridge.*attribute"):
        ps.QemuNet(model="virtio", extra={"bridge": "vmbr0"})
    net = ps.QemuNet(model="virtio")
    with pytest.raises(pkg.ValidationError, match=r"QemuNet.mtu.*minimum"):
        net.mtu = 0  # assigning a key checks it too
    net.mtu = 1500
    assert str(net) == "virtio,mtu=1500"


def test_parse_reads_what_a_server_sends_without_judging_it(ps: Any) -> None:
    """A newer server may send values this release's rules do not know: reading never refuses them."""
    parsed = ps.QemuNet.parse("virtio=BC:24:11:2E:0A:01,bridge=vmbr0,queues=999,newfeature=on")
    assert (parsed.queues, parsed.extra) == (999, {"newfeature": "on"})


# -- PVE's forms on the qemu network device -------------------------------------------------------------


def test_net_writes_the_key_alias_short_form_and_reads_it_back(ps: Any) -> None:
    net = ps.QemuNet(model="virtio", macaddr="BC:24:11:2E:0A:01", bridge="vmbr0", firewall=True, tag=10)
    assert str(net) == "virtio=BC:24:11:2E:0A:01,bridge=vmbr0,firewall=1,tag=10"
    back = ps.QemuNet.parse("virtio=BC:24:11:2E:0A:01,bridge=vmbr0,firewall=1,tag=10")
    assert (back.model, back.macaddr, back.bridge, back.firewall, back.tag) == (
        "virtio",
        "BC:24:11:2E:0A:01",
        "vmbr0",
        True,
        10,
    )
    assert back == net


def test_default_key_is_written_bare_and_read_from_a_bare_value(ps: Any) -> None:
    assert str(ps.QemuNet(model="e1000", bridge="vmbr1")) == "e1000,bridge=vmbr1"
    parsed = ps.QemuNet.parse("e1000,bridge=vmbr1,link_down=yes")
    assert (parsed.model, parsed.macaddr, parsed.link_down) == ("e1000", None, True)
    assert ps.QemuNet.parse("model=e1000,macaddr=BC:24:11:2E:0A:01") == ps.QemuNet(
        model="e1000", macaddr="BC:24:11:2E:0A:01"
    )


def test_unknown_keys_are_kept_and_written_back(ps: Any) -> None:
    parsed = ps.QemuNet.parse("virtio=BC:24:11:2E:0A:01,bridge=vmbr0,newfeature=on")
    assert parsed.extra == {"newfeature": "on"}
    assert str(parsed) == "virtio=BC:24:11:2E:0A:01,bridge=vmbr0,newfeature=on"


def test_bad_values_are_refused_naming_the_sub_key(ps: Any, pkg: Any) -> None:
    with pytest.raises(pkg.ValidationError) as caught:
        ps.QemuNet.parse("virtio,tag=5000").encode("net0")
    assert (caught.value.parameter, caught.value.rule) == ("net0.tag", "maximum")
    with pytest.raises(pkg.ValidationError, match="cannot contain ','"):
        ps.QemuNet(model="virtio", extra={"note": "a,b"})
    with pytest.raises(pkg.ValidationError, match="required"):
        ps.QemuNet.parse("bridge=vmbr0").encode("net0")  # read without its required model
    with pytest.raises(ValueError, match="duplicate"):
        ps.QemuNet.parse("virtio,model=e1000")


# -- through the client, against the mock -----------------------------------------------------------


@pytest.fixture
def served(pkg: Any, mock_server: MockFactory) -> Iterator[tuple[MockServer, Any]]:
    """A mock of the embedded spec and a token-authenticated client of it."""
    srv = mock_server(embedded_spec(), task_duration=0.0)
    pve = pkg.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET)
    try:
        yield srv, pve
    finally:
        pve.close()


def _sent(srv: MockServer, path: str = "/nodes/pve1/qemu") -> dict[str, Any]:
    (create,) = [r for r in srv.requests.snapshot() if r.method == "POST" and r.path == path]
    return dict(create.params)


def test_typed_and_text_values_are_sent_as_pve_writes_them(served: tuple[MockServer, Any], ps: Any) -> None:
    srv, pve = served
    net0 = ps.QemuNet(model="virtio", macaddr="BC:24:11:2E:0A:01", bridge="vmbr0", firewall=True)
    upid = pve.nodes("pve1").qemu.post(
        vmid=VM, net={0: net0, 1: "e1000,bridge=vmbr1"}, memory=ps.QemuMemory(current=2048)
    )
    pve.wait_task(upid, timeout=10, interval=0.01)
    sent = _sent(srv)
    assert sent["net0"] == "virtio=BC:24:11:2E:0A:01,bridge=vmbr0,firewall=1"
    assert sent["net1"] == "e1000,bridge=vmbr1"  # text is sent as written
    assert sent["memory"] == "2048"
    assert ps.QemuNet.parse(sent["net0"]) == net0


def test_the_default_keys_value_alone_is_accepted(served: tuple[MockServer, Any]) -> None:
    """proxmoxer habit: memory=2048 (the default key ``current`` of QemuMemory is an integer)."""
    srv, pve = served
    upid = pve.nodes("pve1").qemu.post(vmid=VM, memory=2048, agent=True)
    assert pve.wait_task(upid, timeout=10, interval=0.01)["exitstatus"] == "OK"
    sent = _sent(srv)
    assert (sent["memory"], sent["agent"]) == ("2048", "1")


@pytest.mark.parametrize(
    ("arguments", "parameter", "rule", "fragment"),
    [
        ({"net": {0: "virtio,brige=vmbr0"}}, "net0.brige", "unknown", "did you mean 'bridge'?"),
        ({"net": {0: "virtoi,bridge=vmbr0"}}, "net0.model", "enum", "'virtoi' is not one of"),
        ({"net": {2: "virtio,tag=x"}}, "net2.tag", "type", "expected an integer"),
        ({"net": {0: "bridge=vmbr0"}}, "net0.model", "required", "missing a required key"),
        ({"net": {0: "virtio,model=e1000"}}, "net0", "format", "duplicate key 'model'"),
        ({"net": {0: "virtio,bridge="}}, "net0.bridge", "minLength", "cannot be empty"),
        ({"memory": 8}, "memory.current", "minimum", "below the minimum 16"),
        ({"memory": "8"}, "memory.current", "minimum", "below the minimum 16"),
        ({"net": {0: 5}}, "net0", "type", "expected a string or QemuNet, got int"),
        ({"agent": 2}, "agent.enabled", "type", "expected a boolean"),
        ({"net0": "virtio,bridge=vmbr0"}, "net0", "unknown", "pass net={0: ...}"),
        ({"scsi1": "local-lvm:32"}, "scsi1", "unknown", "pass scsi={1: ...}"),
    ],
)
def test_mistakes_in_property_strings_are_refused_before_sending(
    served: tuple[MockServer, Any], pkg: Any, arguments: dict[str, Any], parameter: str, rule: str, fragment: str
) -> None:
    srv, pve = served
    with pytest.raises(pkg.ValidationError) as caught:
        pve.nodes("pve1").qemu.post(vmid=VM, **arguments)
    assert (caught.value.parameter, caught.value.rule) == (parameter, rule)
    assert fragment in str(caught.value)
    assert srv.requests.snapshot() == []  # nothing reached the server


def test_unknown_keywords_are_explained_before_sending(served: tuple[MockServer, Any], pkg: Any) -> None:
    """A closed operation: mypy refuses the keyword (``**unknown: NoReturn``); at run time the
    message names a close match, or shows the mapping form of an indexed parameter."""
    srv, pve = served
    with pytest.raises(pkg.ValidationError, match="did you mean 'timeout'") as caught:
        pve.nodes("pve1").qemu(VM).status.stop.post(timeot=5)
    assert isinstance(caught.value, TypeError)  # what Python raises for an unexpected keyword
    with pytest.raises(pkg.ValidationError, match="not a parameter of this operation"):
        pve.nodes("pve1").qemu(VM).status.stop.post(zzz=5)
    assert srv.requests.snapshot() == []


def test_a_bad_sub_key_is_refused_before_sending(served: tuple[MockServer, Any], ps: Any, pkg: Any) -> None:
    srv, pve = served
    net = ps.QemuNet(model="virtio")
    object.__setattr__(net, "mtu", 0)  # sneaks past the attribute check: encode still judges it
    with pytest.raises(pkg.ValidationError) as caught:
        pve.nodes("pve1").qemu.post(vmid=VM, net={3: net})
    assert caught.value.parameter == "net3.mtu"
    assert srv.requests.snapshot() == []


def test_property_string_classes_load_only_when_used() -> None:
    code = (
        "import sys, proxmox_ve; c = proxmox_ve.ProxmoxVE('pve.example', token_id='a@pam!b', token_secret='x');"
        " c.nodes('pve1').qemu(100).status; print('proxmox_ve.propstrings' in sys.modules);"
        " import proxmox_ve.propstrings as ps;"
        " print(sum(m.startswith('proxmox_ve.propstrings.') for m in sys.modules));"
        " ps.QemuNet; print(sorted(m for m in sys.modules if m.startswith('proxmox_ve.propstrings.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=EMBEDDED_SPEC.parents[1] / "generated",
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.splitlines() == ["False", "0", "['proxmox_ve.propstrings.qemu_net']"]


def test_a_value_with_a_comma_is_refused_when_built() -> None:
    with pytest.raises(
        RuntimeValidationError, match=r"Remote.host: a value inside a property string cannot contain ','"
    ):
        Remote(host="backup,port=1")  # would smuggle a key in
