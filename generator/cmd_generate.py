"""``pvegen generate SPEC --out DIR [--package NAME]``: the package DIR/NAME and DIR/pyproject.toml."""

from __future__ import annotations

import argparse
import sys

from .cli import add_quiet_argument, add_spec_argument, add_version_argument
from .codegen import default_package_name, generate
from .load import load_spec


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_spec_argument(parser)
    parser.add_argument("--out", required=True, metavar="DIR", help="folder that receives the package")
    parser.add_argument(
        "--package", metavar="NAME", help="package name (default from the spec: proxmox_ve for Proxmox VE)"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="format everything afresh and keep no cache (default cache: $PVEGEN_CACHE_DIR, "
        "else $XDG_CACHE_HOME/pvegen, else ~/.cache/pvegen)",
    )
    add_version_argument(parser)
    add_quiet_argument(parser)


def _progress(done: int, total: int) -> None:
    end = "\n" if done == total else ""
    print(f"\rformatting modules: {done}/{total}", end=end, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    spec = load_spec(args.spec, version=args.spec_version)
    package = args.package or default_package_name(spec)
    show_progress = not args.quiet and sys.stderr.isatty()
    result = generate(
        spec, args.out, package, use_cache=not args.no_cache, progress=_progress if show_progress else None
    )
    for note in result.notes:
        print(f"pvegen generate: note: {note}", file=sys.stderr)
    if not args.quiet:
        print(
            f"{result.package_dir}: {result.operations} operations, {result.files} files "
            f"({result.formatted} formatted by black, the rest from its cache or copied)"
        )
        if result.pyproject is not None:
            print(f"{result.pyproject}: pip install {result.pyproject.parent} installs it")
    sys.stdout.flush()
    return 0
