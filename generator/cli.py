"""The ``pvegen`` command line: one sub-command per module, errors as one line on stderr.

Each command module defines ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``.
Exit codes: 0 success, 1 a finding at or above a threshold (compat), 2 usage or input error.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from . import __version__
from .errors import PvegenError
from .printable import printable

# (command, module): the order is the order of ``pvegen --help``.
COMMANDS = (
    ("generate", "pvegen.cmd_generate"),
    ("normalize", "pvegen.cmd_normalize"),
    ("compat", "pvegen.cmd_compat"),
    ("mock", "pvegen.cmd_mock"),
    ("fetch-spec", "pvegen.cmd_fetch"),
    ("usage", "pvegen.cmd_usage"),
    ("openapi", "pvegen.cmd_openapi"),
)

EXIT_INPUT_ERROR = 2


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors already; keep its message to one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_INPUT_ERROR, f"{self.prog}: error: {message} (see --help)\n")


def _command_modules() -> list[tuple[str, ModuleType]]:
    found = []
    for name, module in COMMANDS:
        if importlib.util.find_spec(module) is not None:
            found.append((name, importlib.import_module(module)))
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="pvegen",
        description="Generate typed Proxmox VE clients, check API compatibility, serve a simulated PVE API.",
    )
    # Sub-commands use --version for a spec's release label; at the top level it is pvegen's own.
    parser.add_argument("--version", "--pvegen-version", action="version", version=f"pvegen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, module in _command_modules():
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
