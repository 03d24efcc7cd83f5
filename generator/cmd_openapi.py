"""``pvegen openapi SPEC -o FILE [--server URL]``."""

from __future__ import annotations

import argparse
import sys

from .atomic import write_text_atomic
from .cli import add_quiet_argument, add_spec_argument, add_version_argument
from .load import load_spec
from .openapi import build_document, render, render_yaml

_YAML_SUFFIXES = (".yaml", ".yml")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_spec_argument(parser)
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="where to write (atomically): JSON, or YAML when FILE ends in .yaml or .yml",
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        help="the base URL of the paths (default: https://{host}:{port}/api2/json with host and port as "
        "variables, port 8006); a bare https://HOST:PORT gets /api2/json",
    )
    add_version_argument(parser)
    add_quiet_argument(parser)


def run(args: argparse.Namespace) -> int:
    spec = load_spec(args.spec, version=args.spec_version)
    export = build_document(spec, server=args.server)
    as_yaml = args.output.lower().endswith(_YAML_SUFFIXES)
    write_text_atomic(args.output, render_yaml(export.document) if as_yaml else render(export.document))
    if not args.quiet:
        patterns = export.patterns
        print(
            f"{args.output}: OpenAPI 3.1, {export.paths} paths, {export.operations} operations, "
            f"{export.component_schemas} component schemas (pve {spec.version or 'unversioned'}); request patterns: "
            f"{patterns.translated} translated to ECMA-262, {patterns.kept} kept only as x-pve-pattern; named formats: "
            f"{patterns.formats_expressed} also as pattern/enum, {patterns.formats_kept} only as x-pve-format"
        )
    sys.stdout.flush()
    return 0
