"""What a generated package carries beside its code: the header on every file, its pyproject.toml
(pip installs it; tested with a real install against the mock), API.md listing the property-string
classes, a public `types` module of enum aliases only, readable docstrings; where the black cache
lives; and that regenerating an unchanged spec touches nothing. Runs without ../shared."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tomllib
import typing
from pathlib import Path

import pytest

from pvegen import __version__
from pvegen.cli import main as pvegen
from pvegen.codegen import generate
from pvegen.codegen.naming import HEADER

from .fixtures_client import cache_dir
from .fixtures_codegen import EMBEDDED_SPEC, GENERATED, embedded_package, embedded_spec
from .fixtures_mock import MOCK_TOKEN_ID, MOCK_TOKEN_SECRET, MockFactory

PACKAGE = GENERATED / "proxmox_ve"


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


# -- every file says it is generated; docstrings say things once ----------------------------------


def test_every_generated_file_starts_with_the_header() -> None:
    files = _files(PACKAGE)
    assert len(files) > 60
    for path in files:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        if path.suffix == ".py":
            assert first == HEADER, path
        elif path.name == "API.md":
            assert first == f"<!-- {HEADER[2:]} -->"
        else:
            assert path.name == "py.typed" and path.read_text() == ""  # PEP 561 marker: empty
    assert (GENERATED / "pyproject.toml").read_text(encoding="utf-8").split("\n", 1)[0] == HEADER


def test_module_docstrings_are_not_repeated_as_class_docstrings() -> None:
    for path in _files(PACKAGE):
        if path.suffix != ".py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_doc = ast.get_docstring(tree)
        class_docs = [ast.get_docstring(node) for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
        assert module_doc is None or module_doc not in class_docs, path


def test_the_types_module_exports_only_enum_aliases_named_by_context() -> None:
    types = __import__(f"{embedded_package().__name__}.types", fromlist=["__all__"])
    assert len(types.__all__) >= 10
    for name in types.__all__:
        assert typing.get_origin(getattr(types, name)) is typing.Literal, name
        assert len(re.findall(r"[A-Z][a-z0-9]*", name)) >= 2, name  # context + parameter, never "Type"
    assert {"QemuOstype", "LxcOstype", "ClusterResourcesType"} <= set(types.__all__)
    assert not {"Type", "Source", "Format", "Literal"} & set(types.__all__)


def test_class_and_type_names_read_like_hand_written_code() -> None:
    resources = PACKAGE / "_resources"
    text = "\n".join(p.read_text(encoding="utf-8") for p in resources.glob("*.py"))
    classes = re.findall(r"^class (\w+)", text, re.M) + re.findall(r"^(\w+) = TypedDict", text, re.M)
    assert "NodesQemuGetItem" in classes and "NodesQemuStatusCurrentGetResult" in classes
    # no "_" joints, and a placeholder only names the item itself (NodesNode), never its children
    stutter = re.compile(r"NodesNode(?!$|(Get|Post|Put|Delete)[A-Z])")
    assert [name for name in classes if "_" in name or stutter.match(name)] == []


# -- API.md and the propstrings docstring list the property-string classes --------------------------


def test_the_property_string_classes_are_listed_with_their_keys() -> None:
    ps = __import__(f"{embedded_package().__name__}.propstrings", fromlist=["__all__"])
    api = (PACKAGE / "API.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^### (\w+)\n(.*?)(?=^### |\Z)", api, re.M | re.S))
    assert set(sections) == set(ps.__all__) and len(sections) >= 10
    for name in ps.__all__:
        cls = getattr(ps, name)
        rows = re.findall(r"^\| `([^`]+)` \| `(\w+)` \|", sections[name], re.M)
        assert rows == [(key.wire, key.attr) for key in cls._keys], name
        assert re.search(rf"^    {name}: ", ps.__doc__ or "", re.M), name  # help(package.propstrings)
    assert "Default key `current`" in sections["QemuMemory"] and "plain integer" in sections["QemuMemory"]
    assert "`virtio=VALUE` means `model=virtio,macaddr=VALUE`" in sections["QemuNet"]
    assert "API.md" in (embedded_package().__doc__ or "")


# -- pyproject.toml: pip install OUT ------------------------------------------------------------------


def _generate_cli(spec: Path | str, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PVEGEN_CACHE_DIR": str(cache_dir())}
    return subprocess.run(
        [sys.executable, "-m", "pvegen", "generate", str(spec), "--out", str(out), *extra],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip


def test_pyproject_describes_the_distribution() -> None:
    config = tomllib.loads((GENERATED / "pyproject.toml").read_text(encoding="utf-8"))
    project = config["project"]
    assert (project["name"], project["version"]) == ("proxmox-ve", f"9.1+pvegen.{__version__}")
    assert project["dependencies"] == ["requests>=2.31"]
    assert config["tool"]["setuptools"]["package-data"] == {"proxmox_ve": ["py.typed", "API.md"]}
    on_disk = {
        ".".join(("proxmox_ve", *init.parent.relative_to(PACKAGE).parts)) for init in PACKAGE.rglob("__init__.py")
    }
    assert set(config["tool"]["setuptools"]["packages"]) == on_disk


def test_pip_installs_the_generated_package_and_it_calls_the_mock(tmp_path: Path, mock_server: MockFactory) -> None:
    """The README's "Use a generated client in your project": generate, pip install OUT, call."""
    out = tmp_path / "out"
    printed = _generate_cli(EMBEDDED_SPEC, out, "--package", "mypve").stdout
    assert f"pip install {out}" in printed
    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if install.returncode != 0 and "No matching distribution" in install.stderr:
        pytest.skip("building the package needs setuptools from a package index, which is unreachable here")
    assert install.returncode == 0, install.stderr
    assert {"py.typed", "API.md"} <= {p.name for p in (target / "mypve").iterdir()}
    (info,) = target.glob("mypve-*.dist-info")
    assert info.name == f"mypve-9.1+pvegen.{__version__}.dist-info"
    srv = mock_server(embedded_spec(), task_duration=0.0)
    script = f"""
import json, mypve
from mypve.propstrings import QemuNet
pve = mypve.ProxmoxVE({srv.url!r}, token_id={MOCK_TOKEN_ID!r}, token_secret={MOCK_TOKEN_SECRET!r})
upid = pve.nodes("pve1").qemu.post(vmid=120, memory=2048, net={{0: QemuNet(model="virtio", bridge="vmbr0")}})
print(json.dumps([mypve.__file__, pve.version.get()["release"], pve.wait_task(upid, timeout=10)["exitstatus"]]))
"""
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(target)},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    where, release, exitstatus = json.loads(run.stdout)
    assert (Path(where).parent.parent, release, exitstatus) == (target, "9.1", "OK")


def test_a_pyproject_pvegen_did_not_write_is_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "project"
    out.mkdir()
    mine = '[project]\nname = "my-automation"\n'
    (out / "pyproject.toml").write_text(mine)
    assert pvegen(["generate", str(EMBEDDED_SPEC), "--out", str(out), "--package", "vendored"]) == 0
    stdout, stderr = capsys.readouterr()
    assert (out / "pyproject.toml").read_text() == mine
    assert (out / "vendored" / "py.typed").is_file() and "pip install" not in stdout
    assert stderr.count("\n") == 1 and "was not written by pvegen and is left alone" in stderr


def test_regenerating_an_unchanged_spec_touches_nothing(tmp_path: Path) -> None:
    spec = embedded_spec()
    generate(spec, tmp_path, "pkg", cache_dir=cache_dir())
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in _files(tmp_path)}
    generate(spec, tmp_path, "pkg", cache_dir=cache_dir())
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in _files(tmp_path)} == before
    edited = tmp_path / "pkg" / "_resources" / "root.py"
    original = edited.read_text()
    edited.write_text(original + "# a local edit\n")
    (tmp_path / "pkg" / "stray.py").write_text("")
    generate(spec, tmp_path, "pkg", cache_dir=cache_dir())
    assert edited.read_text() == original and not (tmp_path / "pkg" / "stray.py").exists()


# -- the black cache lives in the user's cache folder ----------------------------------------------------

TINY = {"format": "pvegen-spec/1", "product": "pve", "version": "9.1",
        "operations": [{"method": "GET", "path": "/version", "returns": {"type": "object"}}]}  # fmt: skip


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"HOME": "home"}, "home/.cache/pvegen"),
        ({"HOME": "home", "XDG_CACHE_HOME": "ABS/xdg"}, "xdg/pvegen"),
        ({"HOME": "home", "XDG_CACHE_HOME": "relative/ignored"}, "home/.cache/pvegen"),
        ({"HOME": "home", "XDG_CACHE_HOME": "ABS/xdg", "PVEGEN_CACHE_DIR": "ABS/mine"}, "mine"),
    ],
)
def test_the_black_cache_goes_to_the_user_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], expected: str
) -> None:
    for name in ("HOME", "XDG_CACHE_HOME", "PVEGEN_CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        # ABS/x: an absolute path under tmp_path; HOME is always absolute; the rest as written
        absolute = value.startswith("ABS/") or name == "HOME"
        monkeypatch.setenv(name, str(tmp_path / value.removeprefix("ABS/")) if absolute else value)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    (tmp_path / "tiny.json").write_text(json.dumps(TINY))
    assert pvegen(["generate", str(tmp_path / "tiny.json"), "--out", "out", "-q"]) == 0
    assert sorted(p.name for p in work.iterdir()) == ["out"]  # nothing in the working directory
    assert sorted(p.name for p in (work / "out").iterdir()) == ["proxmox_ve", "pyproject.toml"]
    assert len(list((tmp_path / expected).rglob("*"))) > 5  # the cache entries
    assert not (work / "out" / ".cache").exists()


def test_no_cache_writes_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PVEGEN_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "tiny.json").write_text(json.dumps(TINY))
    assert pvegen(["generate", str(tmp_path / "tiny.json"), "--out", str(tmp_path / "out"), "--no-cache", "-q"]) == 0
    assert (tmp_path / "out" / "proxmox_ve" / "py.typed").is_file() and not (tmp_path / "cache").exists()


# -- mypy: proxmoxer habits typed, mistakes refused ----------------------------------------------------------

USAGE = """\
from proxmox_ve import ProxmoxVE
from proxmox_ve.propstrings import QemuNet

pve = ProxmoxVE("pve.example", token_id="root@pam!ci", token_secret="s")
pve.nodes("pve1").qemu.post(vmid=101, memory=2048, agent=True, net={0: "virtio,bridge=vmbr0"})
pve.nodes("pve1").qemu.post(vmid=102, memory="2048", net={0: QemuNet(model="virtio", bridge="vmbr0")})
pve.nodes("pve1").qemu(102).status.stop.post(timeout=5)
"""
MISTAKES = """\
from proxmox_ve import ProxmoxVE
from proxmox_ve.propstrings import QemuNet

pve = ProxmoxVE("pve.example", token_id="root@pam!ci", token_secret="s")
pve.nodes("pve1").qemu(102).status.stop.post(timeot=5)
pve.nodes("pve1").qemu.post(vmid=103, memory=2048.5)
QemuNet(model="virtoi")
pve.nodes("pve1").qemu.post(vmid=104, net={0: 5})
"""
EXPECTED_MISTAKES = {(5, "arg-type"), (6, "arg-type"), (7, "arg-type"), (8, "dict-item")}


def test_mypy_accepts_the_default_keys_value_and_refuses_mistakes(tmp_path: Path) -> None:
    (tmp_path / "usage.py").write_text(USAGE)
    (tmp_path / "mistakes.py").write_text(MISTAKES)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--hide-error-context",
         "--cache-dir", str(tmp_path / "mypy-cache"), "usage.py", "mistakes.py"],
        cwd=tmp_path, env={**os.environ, "MYPYPATH": str(GENERATED)}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    found = {
        (match["file"], int(match["line"]), match["code"])
        for match in re.finditer(
            r"^(?P<file>[\w.]+):(?P<line>\d+): error: .*\[(?P<code>[a-z-]+)\]$", result.stdout, re.M
        )
    }
    assert {(line, code) for file, line, code in found if file == "mistakes.py"} == EXPECTED_MISTAKES, result.stdout
    assert {f for f, _, _ in found} == {"mistakes.py"}, result.stdout
