"""The ``pvegen`` command line: one sub-command per module, errors as one line on stderr.

Each command module defines ``add_arguments(parser)`` and ``run(args) -> int``; its one-line help is in COMMANDS.
Exit codes: 0 success, 1 a finding at or above a threshold (compat), 2 usage or input error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NamedTuple

from . import __version__
from .errors import PvegenError
from .printable import printable


class Command(NamedTuple):
    name: str
    module: str  # imported only when the command runs (or is asked for --help): each pulls in its own stack
    help: str


# The order is the order of ``pvegen --help``.
COMMANDS = (
    Command("generate", "pvegen.cmd_generate",
            "generate the typed Python client package DIR/NAME (and DIR/pyproject.toml: pip install DIR) from SPEC"),
    Command("normalize", "pvegen.cmd_normalize", "write SPEC in pvegen's own format (pvegen-spec/1)"),
    Command("compat", "pvegen.cmd_compat",
            "report API changes between two specs (OLD -> NEW); exit 1 when any is at or above --fail-on"),
    Command("mock", "pvegen.cmd_mock", "serve a stateful simulated Proxmox VE API from SPEC (prints its URL first)"),
    Command("fetch-spec", "pvegen.cmd_fetch",
            "download a Proxmox VE server's API schema (/pve-docs/api-viewer/apidoc.js) to FILE"),
    Command("usage", "pvegen.cmd_usage",
            "list the API calls in Python code, cassettes and mock logs; with --spec, check them against a release"),
    Command("openapi", "pvegen.cmd_openapi",
            "write SPEC as an OpenAPI 3.1 document (JSON, or YAML for FILE.yaml) for other generators, fuzzers "
            "and gateways"),
)  # fmt: skip

EXIT_INPUT_ERROR = 2


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors already; keep its message to one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_INPUT_ERROR, f"{self.prog}: error: {message} (see --help)\n")


def _chosen(argv: Sequence[str] | None) -> str | None:
    """The command named in ``argv`` (its first word that is not an option), None when there is none."""
    if argv is None:
        return None
    first = next((word for word in argv if not word.startswith("-")), None)
    return first if any(command.name == first for command in COMMANDS) else None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole CLI; given ``argv``, only the command it names is imported (``pvegen --version`` and a
    command's start-up do not pay for every other command's imports)."""
    parser = _Parser(
        prog="pvegen",
        description="Generate typed Proxmox VE clients, check API compatibility, serve a simulated PVE API.",
    )
    # Sub-commands use --version for a spec's release label; at the top level it is pvegen's own.
    parser.add_argument("--version", "--pvegen-version", action="version", version=f"pvegen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    chosen = _chosen(argv)
    for command in COMMANDS:
        subparser = sub.add_parser(command.name, help=command.help, description=command.help)
        if argv is None or command.name == chosen:
            module = importlib.import_module(command.module)
            module.add_arguments(subparser)
            subparser.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    args = build_parser(words).parse_args(words)
    try:
        code: int = args._run(args)
    except PvegenError as err:
        # One line, always: spec text inside a message (a path, a key) may hold line breaks.
        message = printable(err)
        print(f"pvegen {args.command}: error: {message}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except KeyboardInterrupt:
        print(f"pvegen {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # stdout closed early (e.g. piped into head): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code


def add_spec_argument(parser: argparse.ArgumentParser, name: str = "spec", help_text: str | None = None) -> None:
    """The common SPEC argument and the --version label override."""
    parser.add_argument(
        name,
        metavar=name.upper(),
        help=help_text or "a Proxmox schema (apidoc.js / apidata.js, or the same tree as JSON) or a pvegen-spec/1 file",
    )


def add_version_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--version",
        dest="spec_version",
        metavar="LABEL",
        help="version label of the spec (default: the spec's own 'version', else from the file name)",
    )


def add_quiet_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress output")
