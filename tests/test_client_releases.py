"""The client generated from every real release: complete, importable, lazy and typed.

mypy runs once over all seven packages and their usage scripts (a shared cache dir), since
starting it per package costs more than the checking."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from pvegen.codegen.docs import operation_doc

from .fixtures_client import GeneratedClient, package_name
from .fixtures_shared import OPERATION_COUNTS, RELEASES, _load, real_data_module

real_data_module()

USAGE = """\
from {pkg} import OPERATIONS, ProxmoxVE, ValidationError


def main(secret: str) -> None:
    pve = ProxmoxVE("pve.example", token_id="root@pam!ci", token_secret=secret, verify=True, timeout=30)
    names: list[str] = [node["node"] for node in pve.nodes.get()]
    status = pve.nodes(names[0]).qemu(100).status.current.get()
    running: bool = status.get("status") == "running"
    upid: str = pve.nodes("pve1").qemu(100).status.start.post(skiplock=True)
    for resource in pve.cluster.resources.get(type="vm"):
        cpu: float | None = resource.get("cpu")
    version: str = pve.version.get()["version"]
    pve.nodes("pve1").qemu.post(vmid=101, net={{0: "virtio,bridge=vmbr0"}}, start=True)
    pve.nodes("pve1").qemu.post(vmid=102, memory=2048)  # an integer, or QemuMemory's default key
    pairs: tuple[tuple[str, str], ...] = OPERATIONS
    try:
        pve.nodes("pve1").qemu(99).status.start.post()
    except ValidationError as err:
        rule: str = err.rule
{extra}"""

# A response field named like a builtin (``str``) and a map keyed by "{node}" in the schema.
USAGE_EXTRA = {
    "9.1": '    ceph: str = pve.cluster.ceph.metadata.get()["node"]["pve1"]["version"]["str"]\n',
}

# Each line holds one deliberate mistake; mypy must report exactly these (line, code) pairs.
MISTAKES = """\
from {pkg} import ProxmoxVE

pve = ProxmoxVE("pve.example", token_id="root@pam!ci", token_secret="s")
pve.nodes("pve1").qemu(100).status.start.post(skiplock="yes")
pve.cluster.resources.get(type="bogus")
pve.nodes("pve1").qemu(100).status.start.post(bogus=1)
pve.nodes("pve1").qemu.post()
"""
# An unknown keyword meets ``**unknown: NoReturn`` (at run time: a ValidationError with a "did you mean").
EXPECTED_MISTAKES = {(4, "arg-type"), (5, "arg-type"), (6, "arg-type"), (7, "call-arg")}


@pytest.fixture(scope="module")
def all_clients(generated_client: Callable[[str], GeneratedClient]) -> dict[str, GeneratedClient]:
    return {version: generated_client(version) for version in RELEASES}


@pytest.mark.parametrize("version", RELEASES)
def test_operations_complete_and_every_module_imports(all_clients: dict[str, GeneratedClient], version: str) -> None:
    client = all_clients[version]
    spec = _load(version)
    assert len(client.module.OPERATIONS) == len(spec.operations) == OPERATION_COUNTS[version]
    assert tuple((op.method, op.path) for op in spec.operations) == client.module.OPERATIONS
    resources = importlib.import_module(f"{client.package}._resources")
    for info in pkgutil.iter_modules(resources.__path__):
        importlib.import_module(f"{client.package}._resources.{info.name}")
    assert (client.package_dir / "py.typed").is_file()


@pytest.mark.parametrize("version", RELEASES)
def test_every_operation_reachable_through_the_tree(all_clients: dict[str, GeneratedClient], version: str) -> None:
    """Walk each path from the client (attributes for segments, calls for placeholders)."""
    client = all_clients[version]
    pve = client.module.ProxmoxVE("pve.example", token_id="root@pam!ci", token_secret="s")
    ops = {op.key: op for op in _load(version).operations}
    missing: list[tuple[str, str]] = []
    changed_docs: list[tuple[str, str]] = []
    for method, path in client.module.OPERATIONS:
        node = pve
        for segment in filter(None, path.split("/")):
            if segment.startswith("{"):
                node = node("x")
            else:
                name = re.sub(r"[^A-Za-z0-9_]", "_", segment)
                node = getattr(node, name if name not in ("in",) else f"{name}_")
        verb = getattr(type(node), method.lower(), None)
        if verb is None or getattr(type(node), f"_op_{method.lower()}").path != path:
            missing.append((method, path))
            continue
        # The docstring survived black unchanged: exactly the text the generator composed.
        text = operation_doc(ops[(method, path)])
        if verb.__doc__ != text and inspect.cleandoc(verb.__doc__ or "") != text.strip():
            changed_docs.append((method, path))
    assert missing == []
    assert changed_docs == []


def test_import_is_lazy(all_clients: dict[str, GeneratedClient]) -> None:
    client = all_clients["9.1"]
    code = (
        f"import json, sys, {client.package} as p; before = sorted(sys.modules);"
        f"p.ProxmoxVE('pve.example').nodes('pve1').qemu(100).status.current;"
        f"print(json.dumps([before, sorted(m for m in sys.modules if m.startswith('{client.package}._resources.'))]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=client.root, capture_output=True, text=True, check=True
    ).stdout
    before, loaded = json.loads(out)
    prefix = f"{client.package}._resources."
    assert [m for m in before if m.startswith(prefix)] == [prefix + "root"]  # import loads no resource
    assert loaded == [prefix + m for m in ("r_nodes", "r_nodes_node", "r_nodes_node_qemu",
                                           "r_nodes_node_qemu_vmid", "r_nodes_node_qemu_vmid_status",
                                           "r_nodes_node_qemu_vmid_status_current", "root")]  # fmt: skip


def _mypy_errors(output: str) -> dict[str, set[tuple[int, str]]]:
    found: dict[str, set[tuple[int, str]]] = {}
    for match in re.finditer(r"^(?P<file>[^:\n]+):(?P<line>\d+): error: .*\[(?P<code>[a-z-]+)\]$", output, re.M):
        found.setdefault(Path(match["file"]).as_posix(), set()).add((int(match["line"]), match["code"]))
    return found


@pytest.mark.slow
def test_mypy_strict_on_every_release_and_usage(all_clients: dict[str, GeneratedClient], tmp_path: Path) -> None:
    root = next(iter(all_clients.values())).root
    targets: list[str] = []
    for version in RELEASES:
        pkg = package_name(version)
        (root / f"usage_{pkg}.py").write_text(USAGE.format(pkg=pkg, extra=USAGE_EXTRA.get(version, "")))
        (root / f"mistakes_{pkg}.py").write_text(MISTAKES.format(pkg=pkg))
        targets += [pkg, f"usage_{pkg}.py", f"mistakes_{pkg}.py"]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--hide-error-context",
         "--cache-dir", str(tmp_path / "mypy-cache"), *targets],
        cwd=root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    errors = _mypy_errors(result.stdout)
    unexpected = {f: e for f, e in errors.items() if not f.startswith("mistakes_")}
    assert unexpected == {}, textwrap.shorten(result.stdout, 3000)
    for version in RELEASES:
        assert errors.get(f"mistakes_{package_name(version)}.py") == EXPECTED_MISTAKES, result.stdout
    assert result.returncode == 1  # the mistakes, and only they
