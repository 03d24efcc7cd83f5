"""Generate the typed client package from a spec.

Pipeline: model -> codegen model (``plan``: every name sanitised in ``naming``) -> jinja2
templates (``render``) -> black per module with a cache (``fmt``) -> files swapped in whole
(``write``). Deterministic: the same spec gives byte-identical files.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import PvegenError
from ..model import Spec
from .fmt import default_cache_dir, format_sources
from .plan import plan_package
from .render import render_package
from .write import runtime_sources, write_package

__all__ = ["GenerateError", "Generated", "default_package_name", "generate", "generate_sources"]

_PACKAGE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class GenerateError(PvegenError):
    """The package cannot be generated as asked (a bad package name, an unwritable folder)."""


@dataclass(frozen=True)
class Generated:
    package_dir: Path
    files: int
    operations: int
    formatted: int  # modules that went through black (the rest came from the cache)


def default_package_name(spec: Spec) -> str:
    if spec.product == "pve":
        return "proxmox_ve"
    return re.sub(r"[^A-Za-z0-9_]", "_", spec.product).lower() or "client"


def check_package_name(name: str) -> None:
    if not _PACKAGE_NAME.match(name) or keyword.iskeyword(name):
        raise GenerateError(f"--package {name!r}: not a valid Python package name (letters, digits, _)")


def _check_replaceable(package_dir: Path) -> None:
    """Only an empty folder or an earlier generated package may be replaced wholesale."""
    if not package_dir.exists() and not package_dir.is_symlink():
        return
    if not package_dir.is_dir() or package_dir.is_symlink():
        raise GenerateError(f"{str(package_dir)!r} exists and is not a folder; refusing to replace it")
    generated = (package_dir / "py.typed").is_file() and (package_dir / "_runtime").is_dir()
    if not generated and any(package_dir.iterdir()):
        raise GenerateError(
            f"{str(package_dir)!r} exists and is not a package pvegen generated; refusing to replace it"
        )


def generate_sources(
    spec: Spec,
    package: str,
    *,
    cache_dir: Path | None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[str, str], int]:
    """All files of the package (relative path -> text) and how many modules black formatted."""
    check_package_name(package)
    rendered = render_package(plan_package(spec, package))
    formatted_count = [0]

    def count(done: int, total: int) -> None:
        formatted_count[0] = done
        if progress is not None:
            progress(done, total)

    try:
        modules = format_sources(rendered, cache_dir, progress=count)
    except Exception as err:  # black refusing our output is a pvegen bug, reported on one line
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise GenerateError(f"black could not format the generated code (a pvegen bug): {first}") from err
    files = {**modules, **runtime_sources(), "py.typed": ""}
    return files, formatted_count[0]


def generate(
    spec: Spec,
    out_dir: str | Path,
    package: str | None = None,
    *,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Generated:
    """Write the package ``out_dir/package``; on any failure the previous content stays."""
    out = Path(out_dir)
    name = package or default_package_name(spec)
    if out.exists() and not out.is_dir():
        raise GenerateError(f"--out {str(out)!r}: exists and is not a folder")
    _check_replaceable(out / name)
    cache = (cache_dir or default_cache_dir(out)) if use_cache else None
    files, formatted = generate_sources(spec, name, cache_dir=cache, progress=progress)
    try:
        write_package(out / name, files)
    except OSError as err:
        raise GenerateError(f"cannot write {str(out / name)!r}: {err.strerror or err}") from None
    return Generated(out / name, len(files), len(spec.operations), formatted)
