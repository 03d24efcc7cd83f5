"""The distribution: generator/ installs as the import package `pvegen`, top-level templates/ ride along as its
data, and an installed wheel (not the checkout) generates the same bytes as `make generate`."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.fixtures_shared import ROOT


def _declared_packages() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["setuptools"]["packages"])


def test_every_subpackage_of_the_tool_is_declared() -> None:
    """pyproject lists the packages by hand (a folder renamed on install cannot be found by setuptools' finder)."""
    on_disk = {
        ".".join(("pvegen", *init.parent.relative_to(ROOT / "generator").parts))
        for init in (ROOT / "generator").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert on_disk | {"pvegen.templates"} == _declared_packages()


def test_templates_hold_only_templates() -> None:
    assert {p.suffix for p in (ROOT / "templates").iterdir()} == {".j2"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 and "No matching distribution" in result.stderr:
        pytest.skip("building a wheel needs setuptools from PyPI, which is unreachable here")
    assert result.returncode == 0, result.stderr
    (found,) = out.glob("pvegen-*.whl")
    return found


def test_the_wheel_carries_pvegen_with_templates_and_runtime_and_no_generator(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.startswith("pvegen-")}
    assert tops == {"pvegen"}
    assert {n for n in names if n.startswith("pvegen/templates/")} == {
        f"pvegen/templates/{p.name}" for p in (ROOT / "templates").glob("*.j2")
    }
    assert {n for n in names if n.startswith("pvegen/runtime/") and n.endswith(".py")} == {
        f"pvegen/runtime/{p.name}" for p in (ROOT / "generator" / "runtime").glob("*.py")
    }


def test_an_installed_wheel_generates_what_is_committed(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    # PYTHONPATH comes before the checkout's editable hook, so this runs the installed copy.
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c", "import pvegen; print(pvegen.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert where.stdout.strip().startswith(str(target)), where.stdout + where.stderr
    out = tmp_path / "out"
    spec = str(ROOT / "spec" / "proxmox-ve.json")
    result = subprocess.run(
        [sys.executable, "-m", "pvegen", "generate", spec, "--out", str(out), "--package", "proxmox_ve", "--no-cache"],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    committed = ROOT / "generated" / "proxmox_ve"
    made = {p.relative_to(out / "proxmox_ve"): p.read_bytes() for p in (out / "proxmox_ve").rglob("*") if p.is_file()}
    expected = {
        p.relative_to(committed): p.read_bytes()
        for p in committed.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert made == expected
