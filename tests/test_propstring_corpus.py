"""Tricky property strings through the generated client and through the mock over HTTP (write, read
back): both must read and write them as PVE does, with the one grammar of ``runtime/propstring.py``.

The rules relied on (PVE::JSONSchema in pve-common, ``parse_property_string`` and
``print_property_string``):

- Parsing splits at commas and skips blank parts. A part's key ends at its first ``=`` (the value may
  hold more ``=``); a part without ``=`` is a bare value for the format's default key, wherever it
  stands. ``key=`` and ``=value`` are refused ("missing key in comma-separated list property"), a key
  given twice is refused ("duplicate key ..."), an unknown key too ("invalid key ..."). An alias stores
  its value under its target; with ``keyAlias`` it also stores its own name under that key
  (``virtio=MAC`` -> ``model=virtio``, ``macaddr=MAC``), and refuses a second one ("key alias 'model'
  is already defined"). Boolean words (yes/on/true...) become 1/0; other values stay as written.
- Printing writes the default key first, bare; with keyAlias it writes the short form there
  (``virtio=MAC``); then the required keys, then the others, each group in key order. ``disk-size``
  values are printed by ``format_size`` (``1024M`` -> ``1G``).
- Quotes: a double quote that does not open a value is an ordinary character (``vendor=say"hi"``).
  A value that *starts* with a double quote is read up to the closing quote, with backslash escapes,
  commas included (``product="q\\"z,w"`` -> ``q"z,w``): the grammar of newer Proxmox parsers (Rust's
  proxmox-schema); PVE's Perl parser has no quoting and would split at that comma. PVE's Perl printer
  refuses values with commas ("illegal value with commas"); the generated client refuses to write them
  too, and the mock, which must store what a newer server accepts, writes them back quoted.
- Where PVE's printer would write something its own parser reads back differently (a bare default
  value holding ``=``), the one grammar writes ``key=value`` instead.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from pvegen import load_spec
from pvegen.codegen import generate
from pvegen.mock import MockServer
from pvegen.runtime.propstring import print_property_string, split_property_string
from tests.fixtures_mock import MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MockFactory

PACKAGE = "pve_corpus"
# A drive and a NIC as the qemu schema defines them (trimmed): a default key with an alias, booleans,
# a disk size; a default key that is a keyAlias target, an enum of alias names.
DISK = {
    "file": {"type": "string", "default_key": 1},
    "volume": {"alias": "file"},
    "vendor": {"type": "string", "optional": 1},
    "product": {"type": "string", "optional": 1},
    "ssd": {"type": "boolean", "optional": 1},
    "size": {"type": "string", "format": "disk-size", "optional": 1},
}
NIC = {
    "model": {"type": "string", "default_key": 1, "enum": ["virtio", "e1000"]},
    "virtio": {"alias": "macaddr", "keyAlias": "model"},
    "e1000": {"alias": "macaddr", "keyAlias": "model"},
    "macaddr": {"type": "string", "format": "mac-addr", "optional": 1},
    "bridge": {"type": "string", "optional": 1},
    "tag": {"type": "integer", "optional": 1},
    "firewall": {"type": "boolean", "optional": 1},
}
CONFIG_KEYS = {"scsi[n]": {"type": "string", "format": DISK, "optional": 1},
               "net[n]": {"type": "string", "format": NIC, "optional": 1}}  # fmt: skip
PATH_KEYS = {"node": {"type": "string", "format": "pve-node"}, "vmid": {"type": "integer", "minimum": 100}}
SPEC = {
    "format": "pvegen-spec/1", "product": "pve", "version": "9.1",
    "operations": [
        {"method": "POST", "path": "/nodes/{node}/qemu", "name": "create_vm", "returns": {"type": "string"},
         "parameters": {**PATH_KEYS, **CONFIG_KEYS}},
        {"method": "GET", "path": "/nodes/{node}/qemu/{vmid}/config", "name": "vm_config",
         "returns": {"type": "object"}, "parameters": PATH_KEYS},
        {"method": "PUT", "path": "/nodes/{node}/qemu/{vmid}/config", "name": "update_vm",
         "returns": {"type": "null"}, "parameters": {**PATH_KEYS, **CONFIG_KEYS}},
    ],
}  # fmt: skip

# (written, stored as the mock answers it, values as the client reads them back)
DISK_CORPUS: list[tuple[str, str, dict[str, Any]]] = [
    ('none,vendor=say"hi"', 'none,vendor=say"hi"', {"file": "none", "vendor": 'say"hi"'}),
    ('none,product="q\\"z,w"', 'none,product="q\\"z,w"', {"file": "none", "product": 'q"z,w'}),
    ('none,vendor="a,b",product=c', 'none,product=c,vendor="a,b"', {"file": "none", "product": "c", "vendor": "a,b"}),
    ("none,vendor=a=b", "none,vendor=a=b", {"file": "none", "vendor": "a=b"}),
    ("vendor=x,none", "none,vendor=x", {"file": "none", "vendor": "x"}),
    ("file=none,ssd=on", "none,ssd=1", {"file": "none", "ssd": True}),
    ("volume=none,ssd=no", "none,ssd=0", {"file": "none", "ssd": False}),
    (",none,,vendor=x,", "none,vendor=x", {"file": "none", "vendor": "x"}),
    ("none,size=1024M", "none,size=1G", {"file": "none", "size": "1G"}),
    ("none,size=1536M", "none,size=1536M", {"file": "none", "size": "1536M"}),
    ("file=a=b", "file=a=b", {"file": "a=b"}),
]
NIC_CORPUS: list[tuple[str, str, dict[str, Any]]] = [
    ("bridge=vmbr0,model=virtio,macaddr=BC:24:11:00:00:01", "virtio=BC:24:11:00:00:01,bridge=vmbr0",
     {"model": "virtio", "macaddr": "BC:24:11:00:00:01", "bridge": "vmbr0"}),
    ("e1000=BC:24:11:00:00:02,firewall=yes,tag=10", "e1000=BC:24:11:00:00:02,firewall=1,tag=10",
     {"model": "e1000", "macaddr": "BC:24:11:00:00:02", "firewall": True, "tag": 10}),
]  # fmt: skip
REFUSED: list[tuple[str, str, str]] = [
    ("scsi0", "none,vendor=", "invalid format - missing key in comma-separated list property\n"),
    ("scsi0", "none,=x", "invalid format - missing key in comma-separated list property\n"),
    ("scsi0", "none,none", "invalid format - duplicate key in comma-separated list property: file\n"),
    ("scsi0", "none,vendor=a,vendor=b", "invalid format - duplicate key in comma-separated list property: vendor\n"),
    ("scsi0", "none,bogus=1", "invalid format - invalid key in comma-separated list property: bogus\n"),
    ("net0", "e1000=BC:24:11:00:00:02,virtio=BC:24:11:00:00:03",
     "invalid format - key alias 'model' is already defined\n"),
    ("net0", "bridge=vmbr0", "invalid format - format error\nnet0.model: property is missing and it is not optional\n"),
    ("net0", "virtio,firewall=maybe",
     "invalid format - format error\nnet0.firewall: type check ('boolean') failed - got 'maybe'\n"),
]  # fmt: skip


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The client generated from SPEC (written here: no ../shared needed)."""
    root = tmp_path_factory.mktemp("corpus")
    spec_file = root / "spec.json"
    spec_file.write_text(json.dumps(SPEC), encoding="utf-8")
    generate(load_spec(spec_file), root, PACKAGE)
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def spec_path(client: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus-spec") / "spec.json"
    path.write_text(json.dumps(SPEC), encoding="utf-8")
    return path


def propstring_class(client: Any, wire: str) -> Any:
    """The generated class of the format with sub-key ``wire``."""
    module = importlib.import_module(f"{client.__name__}.propstrings")
    base = importlib.import_module(f"{client.__name__}._runtime.propstring").PropertyString
    found = [getattr(module, n) for n in dir(module) if isinstance(getattr(module, n), type)]
    [cls] = [c for c in found if issubclass(c, base) and c is not base and wire in {k.wire for k in c._keys}]
    return cls


@pytest.fixture
def served(mock_server: MockFactory, spec_path: Path, client: Any) -> tuple[MockServer, Any]:
    srv = mock_server(spec_path, task_duration=0)
    return srv, client.ProxmoxVE(srv.url, token_id=MOCK_TOKEN_ID, token_secret=MOCK_TOKEN_SECRET)


@pytest.mark.parametrize(("written", "stored", "values"), DISK_CORPUS + NIC_CORPUS)
def test_written_through_the_client_read_back_as_pve_stores_it(
    served: tuple[MockServer, Any], client: Any, written: str, stored: str, values: dict[str, Any]
) -> None:
    _, pve = served
    key = "scsi" if "macaddr" not in values and "model" not in values else "net"
    pve.nodes("pve1").qemu.post(vmid=100, **{key: {0: written}})  # the raw text goes through unchanged
    text = pve.nodes("pve1").qemu(100).config.get()[f"{key}0"]
    assert text == stored  # the mock parsed and printed it as PVE does
    cls = propstring_class(client, "vendor" if key == "scsi" else "bridge")
    parsed = cls.parse(text)
    assert parsed.to_dict() == values  # the client reads what PVE's parser reads
    if "," in "".join(str(v) for v in values.values()):
        with pytest.raises(client.ValidationError):  # PVE's printer refuses commas in values; so does the client
            parsed.encode()
        return
    assert parsed.encode() == stored  # and prints what PVE's printer prints (one grammar)
    pve.nodes("pve1").qemu(100).config.put(**{key: {0: cls.parse(written)}})  # a typed object, as users write it
    assert pve.nodes("pve1").qemu(100).config.get()[f"{key}0"] == stored  # stored the same way


@pytest.mark.parametrize(("key", "written", "error"), REFUSED)
def test_refused_as_pve_refuses(served: tuple[MockServer, Any], key: str, written: str, error: str) -> None:
    srv, _ = served
    answer = requests.post(f"{srv.url}/api2/json/nodes/pve1/qemu", data={"vmid": "100", key: written}, timeout=10,
                           headers={"Authorization": f"PVEAPIToken={MOCK_TOKEN_ID}={MOCK_TOKEN_SECRET}"})  # fmt: skip
    assert answer.status_code == 400
    assert answer.json()["errors"] == {key: error}


def test_numbers_stay_as_written_on_the_server(served: tuple[MockServer, Any], client: Any) -> None:
    _, pve = served
    pve.nodes("pve1").qemu.post(vmid=100, net={0: "virtio=BC:24:11:00:00:01,tag=010"})
    text = pve.nodes("pve1").qemu(100).config.get()["net0"]
    assert text == "virtio=BC:24:11:00:00:01,tag=010"  # PVE keeps an integer's text; its check only tests it
    assert propstring_class(client, "bridge").parse(text).tag == 10  # the typed client reads the number


def test_the_client_refuses_what_pves_printer_refuses(client: Any) -> None:
    disk = propstring_class(client, "vendor")
    for bad in ("a,b", "", '"quoted'):
        with pytest.raises(client.ValidationError):
            disk(file="none", vendor=bad).encode()
    assert disk(file="a=b").encode() == "file=a=b"  # bare, it would read back as key "a"
    nic = propstring_class(client, "bridge")
    assert nic(model="virtio", macaddr="BC:24:11:00:00:01", bridge="vmbr0").encode() == (
        "virtio=BC:24:11:00:00:01,bridge=vmbr0"
    )
    assert nic(model="virtio", bridge="vmbr0").encode() == "virtio,bridge=vmbr0"


def test_the_grammar_functions() -> None:
    assert split_property_string('a=say"hi",b="q\\"z,w",,bare,c=x=y') == [
        ("a", 'say"hi"'),
        ("b", 'q"z,w'),
        (None, "bare"),
        ("c", "x=y"),
    ]
    aliases = {"virtio": ("macaddr", "model")}
    values = {"tag": "5", "name": "eth0", "model": "virtio", "macaddr": "M", "bridge": "v"}
    printed = print_property_string(values, default_key="model", required={"name", "model"}, aliases=aliases)
    assert printed == "virtio=M,name=eth0,bridge=v,tag=5"  # default (short form), required, the rest
    assert print_property_string({"k": "a,b", "q": '"x'}) == 'k="a,b",q="\\"x"'
    assert split_property_string(print_property_string({"k": 'a,"b\\c'})) == [("k", 'a,"b\\c')]
