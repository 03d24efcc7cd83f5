"""``pvegen mock SPEC``: serve a stateful simulated PVE API on loopback until interrupted."""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
from types import FrameType

from .cli import add_quiet_argument, add_spec_argument, add_version_argument
from .errors import PvegenError
from .load import load_spec
from .mock import MockServer
from .mock.credentials import Credentials, read_environment, read_file
from .mock.tls import fingerprint, make_self_signed


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_spec_argument(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback only; default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8006, help="port (default 8006, as PVE; 0 picks a free one)")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS (a self-signed certificate unless --cert)")
    parser.add_argument("--cert", metavar="FILE", help="TLS certificate (PEM) for --tls")
    parser.add_argument("--key", metavar="FILE", help="TLS private key (PEM) for --tls")
    parser.add_argument(
        "--token",
        action="append",
        default=[],
        metavar="USER@REALM!ID=SECRET",
        help="accept this API token (repeatable; visible in ps: prefer --credentials or PVEGEN_MOCK_TOKEN)",
    )
    parser.add_argument(
        "--user", action="append", default=[], metavar="USER@REALM:PASSWORD",
        help="accept this login (repeatable; visible in ps: prefer --credentials or PVEGEN_MOCK_USER)",
    )  # fmt: skip
    parser.add_argument(
        "--totp", action="append", default=[], metavar="USER@REALM=BASE32",
        help="give a user a TOTP second factor (repeatable; or --credentials, PVEGEN_MOCK_TOTP)",
    )  # fmt: skip
    parser.add_argument(
        "--credentials", action="append", default=[], metavar="FILE",
        help="read 'token ...', 'user ...' and 'totp ...' lines from FILE (repeatable)",
    )  # fmt: skip
    parser.add_argument("--log", metavar="FILE", help="append one JSON line per request to FILE")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each request's log line on stderr")
    parser.add_argument("--node", action="append", default=[], metavar="NAME", help="cluster node names (default pve1)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample data (default 0)")
    parser.add_argument("--task-duration", type=float, default=1.0, metavar="SECONDS",
                        help="how long tasks run (default 1.0)")  # fmt: skip
    parser.add_argument("--task-polls", type=int, metavar="N",
                        help="tasks run for N status reads instead of a time (for tests)")  # fmt: skip
    parser.add_argument("--ticket-lifetime", type=float, default=7200.0, metavar="SECONDS",
                        help="ticket lifetime (default 7200, as PVE)")  # fmt: skip
    add_version_argument(parser)
    add_quiet_argument(parser)


def _totp_map(values: list[str]) -> dict[str, str]:
    out = {}
    for value in values:
        user, sep, secret = value.partition("=")
        if not sep or "@" not in user or not secret:
            raise PvegenError(f"TOTP entry {value.split('=')[0]}=...: expected USER@REALM=BASE32SECRET")
        out[user] = secret
    return out


def _notice(message: str) -> None:
    print(f"note: {message}", file=sys.stderr, flush=True)


def _stop_on_term(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    if (args.cert is None) != (args.key is None):
        raise PvegenError("--cert and --key go together")
    if args.cert and not args.tls:
        raise PvegenError("--cert/--key need --tls")
    credentials = Credentials(list(args.token), list(args.user), list(args.totp))
    for path in args.credentials:
        if read_file(path, credentials) and not args.quiet:
            print(f"warning: {path} can be read by other users (chmod 600 it)", file=sys.stderr, flush=True)
    read_environment(credentials)
    spec = load_spec(args.spec, version=args.spec_version)
    with tempfile.TemporaryDirectory(prefix="pvegen-mock-tls-") as folder:
        tls = None
        if args.tls:
            tls = (args.cert, args.key) if args.cert else make_self_signed(folder)
        server = MockServer(
            spec,
            tokens=credentials.tokens,
            users=credentials.users,
            totp=_totp_map(credentials.totp),
            tls=tls,
            host=args.host,
            port=args.port,
            seed=args.seed,
            task_duration=args.task_duration,
            task_polls=args.task_polls,
            ticket_lifetime=args.ticket_lifetime,
            nodes=tuple(args.node) or ("pve1",),
            record_requests=False,
            log=args.log,
            log_echo=sys.stderr if args.verbose else None,
            notice=None if args.quiet else _notice,
        )
        server.start()
        print(server.url, flush=True)
        if not args.quiet:
            if tls is not None:
                print(f"TLS certificate SHA-256 fingerprint: {fingerprint(tls[0])}", flush=True)
            print(f"serving {len(spec.operations)} operations (pve {spec.version or 'unversioned'}); Ctrl-C stops",
                  file=sys.stderr, flush=True)  # fmt: skip
            if not credentials.tokens and not credentials.users:
                print("no --token or --user given: every authenticated call will get 401", file=sys.stderr, flush=True)
            if args.token or args.user or args.totp:
                print("note: secrets given as arguments are visible in ps; use --credentials FILE or the "
                      "PVEGEN_MOCK_TOKEN/_USER/_TOTP variables", file=sys.stderr, flush=True)  # fmt: skip
        previous = signal.signal(signal.SIGTERM, _stop_on_term)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            server.stop()
    return 0
