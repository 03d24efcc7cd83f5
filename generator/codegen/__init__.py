"""Generate the typed client package from a spec.

Pipeline: model -> codegen model (``plan``: names from ``naming``, types as ``annotation``,
rules as data) -> jinja2 templates (``render``) -> black per module with a cache (``fmt``) ->
the package and its ``pyproject.toml`` swapped in whole (``write``). Deterministic: the same
spec gives byte-identical files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import PvegenError
from ..model import Spec
from . import naming
from .fmt import default_cache_dir, format_sources
from .plan import PackagePlan, plan_package
from .render import render_package, render_pyproject
from .write import PYPROJECT, runtime_sources, write_package

__all__ = ["GenerateError", "Generated", "default_package_name", "generate", "generate_sources"]


class GenerateError(PvegenError):
    """The package cannot be generated as asked (a bad package name, an unwritable folder)."""


@dataclass(frozen=True)
class Generated:
    package_dir: Path
    files: int
    operations: int
    formatted: int  # modules that went through black (the rest came from the cache)
    pyproject: Path | None  # None: a pyproject.toml pvegen did not write was left alone
    notes: tuple[str, ...] = ()  # what the user should know (one line each)


def default_package_name(spec: Spec) -> str:
    return naming.default_package_name(spec.product)


def check_package_name(name: str) -> None:
    problem = naming.check_package_name(name)
    if problem is not None:
        raise GenerateError(problem)


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


def _build(
    spec: Spec, package: str, cache_dir: Path | None, progress: Callable[[int, int], None] | None
) -> tuple[PackagePlan, dict[str, str], int]:
    check_package_name(package)
    plan = plan_package(spec, package)
    rendered = render_package(plan)
    python = {path: text for path, text in rendered.items() if path.endswith(".py")}
    formatted_count = [0]

    def count(done: int, total: int) -> None:
        formatted_count[0] = done
        if progress is not None:
            progress(done, total)

    try:
        modules = format_sources(python, cache_dir, progress=count)
    except Exception as err:  # black refusing our output is a pvegen bug, reported on one line
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise GenerateError(f"black could not format the generated code (a pvegen bug): {first}") from err
    files = {**rendered, **modules, **runtime_sources(), "py.typed": ""}
    return plan, files, formatted_count[0]


def generate_sources(
    spec: Spec,
    package: str,
    *,
    cache_dir: Path | None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[str, str], int]:
    """All files of the package (relative path -> text) and how many modules black formatted."""
    _, files, formatted = _build(spec, package, cache_dir, progress)
    return files, formatted


def _subpackages(package: str, files: Mapping[str, str]) -> list[str]:
    folders = {path.rpartition("/")[0] for path in files if path.endswith("__init__.py")}
    return [".".join(filter(None, (package, *folder.split("/")))) for folder in folders]


def _ours(path: Path) -> bool:
    """An absent file, or one pvegen wrote (its first line is pvegen's header)."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.readline().rstrip("\n") == naming.HEADER
    except FileNotFoundError:
        return True
    except (OSError, UnicodeDecodeError):
        return False


def generate(
    spec: Spec,
    out_dir: str | Path,
    package: str | None = None,
    *,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Generated:
    """Write the package ``out_dir/package`` and ``out_dir/pyproject.toml``; on any failure the
    previous content stays. A ``pyproject.toml`` pvegen did not write is left alone (a note says so)."""
    out = Path(out_dir)
    name = package or default_package_name(spec)
    if out.exists() and not out.is_dir():
        raise GenerateError(f"--out {str(out)!r}: exists and is not a folder")
    _check_replaceable(out / name)
    cache = (cache_dir or default_cache_dir()) if use_cache else None
    plan, files, formatted = _build(spec, name, cache, progress)
    beside: dict[str, str] = {}
    notes: list[str] = []
    if _ours(out / PYPROJECT):
        beside[PYPROJECT] = render_pyproject(plan, _subpackages(name, files), __version__)
    else:
        notes.append(
            f"{str(out / PYPROJECT)!r} was not written by pvegen and is left alone: "
            f"add {name!r} to that project yourself, or generate into another folder to get one"
        )
    try:
        write_package(out / name, files, beside=beside)
    except OSError as err:
        raise GenerateError(f"cannot write {str(out / name)!r}: {err.strerror or err}") from None
    pyproject = out / PYPROJECT if beside else None
    return Generated(out / name, len(files), len(spec.operations), formatted, pyproject, tuple(notes))
