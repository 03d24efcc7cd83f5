"""``pvegen fetch-spec URL -o FILE``: download a server's API schema, check it loads, write it atomically.

The saved file records the release (``release_record``): from ``--version``, or asked from the server's
``/version`` with credentials (``--token``, or the ``PVE_*`` variables ``ProxmoxVE.from_env`` reads).
"""

from __future__ import annotations

import argparse
import os
import sys
import urllib.parse
import warnings
from collections.abc import Mapping
from typing import TypedDict

import requests

from .atomic import write_text_atomic
from .cli import add_quiet_argument, add_version_argument
from .errors import PvegenError, SpecError
from .load import load_spec_text, version_from_filename
from .release_record import with_record
from .runtime.client import BaseClient
from .runtime.env import settings_from_env
from .runtime.errors import ConfigurationError, ProxmoxError
from .runtime.neterrors import connection_reason
from .runtime.tls import PinnedAdapter, server_fingerprint

APIDOC_PATH = "/pve-docs/api-viewer/apidoc.js"
MAX_BYTES = 64 * 2**20  # the 9.1 schema is ~2 MB


class FetchError(PvegenError):
    """The download failed or did not give a spec."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "url", metavar="URL",
        help="the server (https://pve.example:8006) or the schema's full URL",
    )  # fmt: skip
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write (atomically)")
    trust = parser.add_mutually_exclusive_group()
    trust.add_argument("--ca-bundle", metavar="FILE", help="trust the CAs in FILE (PEM) instead of the system's")
    trust.add_argument(
        "--fingerprint", metavar="SHA256",
        help="trust exactly the server certificate with this SHA-256 fingerprint (AB:CD:... as PVE shows it)",
    )  # fmt: skip
    trust.add_argument("--insecure", action="store_true", help="do not verify the server's certificate at all")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="network timeout (default 30)")
    parser.add_argument(
        "--token",
        metavar="USER@REALM!ID=SECRET",
        help="an API token to ask the server's /version, so the file records its release (prefer the "
        "PVE_TOKEN_ID/PVE_TOKEN_SECRET variables: a secret on the command line is visible to other users)",
    )
    add_version_argument(parser)
    add_quiet_argument(parser)


def schema_url(url: str) -> str:
    """The schema's URL: a bare server URL gets the api viewer's path; other http(s) URLs are kept."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http:// and https:// URLs can be fetched")
    if not parts.hostname:
        raise FetchError(f"{url}: the URL has no host name")
    if parts.path in ("", "/"):
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, APIDOC_PATH, "", ""))
    return url


def download(url: str, *, verify: bool | str = True, fingerprint: str | None = None, timeout: float = 30.0,
             progress: bool = False) -> str:  # fmt: skip
    """The text at ``url`` (UTF-8), with TLS verified unless told otherwise."""
    session = requests.Session()
    if fingerprint is not None:
        try:
            session.mount("https://", PinnedAdapter(fingerprint))
        except ConfigurationError as err:
            raise FetchError(f"--{err}") from None
        verify = False  # the pin replaces CA verification
    try:
        with warnings.catch_warnings():
            if verify is False:
                warnings.simplefilter("ignore")  # InsecureRequestWarning: the user chose this
            response = session.get(url, verify=verify, timeout=timeout, stream=True)
            with response:
                if response.status_code != 200:
                    raise FetchError(f"{url}: HTTP {response.status_code} {response.reason}")
                chunks: list[bytes] = []
                total = 0
                for chunk in response.iter_content(chunk_size=65536):
                    chunks.append(chunk)
                    total += len(chunk)
                    if total > MAX_BYTES:
                        raise FetchError(f"{url}: more than {MAX_BYTES // 2**20} MiB; not a PVE schema")
                    if progress:
                        print(f"\rdownloading {url}: {total // 1024} KiB", end="", file=sys.stderr, flush=True)
                if progress:
                    print(file=sys.stderr, flush=True)
    except requests.exceptions.SSLError:
        raise FetchError(f"{url}: TLS verification failed: {_tls_hint(url, fingerprint, timeout)}") from None
    except requests.exceptions.RequestException as err:
        raise FetchError(f"{url}: {connection_reason(err)}") from None
    data = b"".join(chunks)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise FetchError(f"{url}: the answer is not UTF-8 text (byte {err.start})") from None


def _tls_hint(url: str, pinned: str | None, timeout: float) -> str:
    """What to do about a refused certificate, with the fingerprint the server presents (read by a handshake that
    sends nothing), so a self-signed node can be pinned after checking it on the node (Certificates panel)."""
    parts = urllib.parse.urlsplit(url)
    seen = server_fingerprint(parts.hostname or "", parts.port or 443, timeout)
    if pinned:
        presented = f" (the server presents {seen})" if seen else ""
        return f"the pinned fingerprint does not match{presented}"
    if seen is None:
        return (
            "the certificate is not trusted here: pass --ca-bundle FILE, or --fingerprint SHA256 for a self-signed node"
        )
    return (
        f"the certificate is not trusted here. For a self-signed node, check that the fingerprint it presents, {seen}, "
        f"is the one the node shows (node > System > Certificates), then pin it: --fingerprint {seen}; "
        "or pass --ca-bundle FILE"
    )


_CREDENTIAL_VARIABLES = ("PVE_TOKEN_ID", "PVE_TOKEN_SECRET", "PVE_USER", "PVE_PASSWORD")


class Login(TypedDict, total=False):
    """The client's login keywords."""

    token_id: str
    token_secret: str
    user: str
    password: str
    otp: str


def credentials(token: str | None, environ: Mapping[str, str]) -> Login:
    """Client keywords for logging in (token_id/token_secret, or user/password/otp); {} when none are given."""
    if token is not None:
        token_id, equals, secret = token.partition("=")
        if not equals or not secret or "!" not in token_id:
            raise FetchError("--token: expected USER@REALM!TOKENID=SECRET (the token id and its secret, joined by '=')")
        return Login(token_id=token_id, token_secret=secret)
    if not any(environ.get(name, "").strip() for name in _CREDENTIAL_VARIABLES):
        return Login()
    try:
        # The client's own reading of PVE_* (errors name the variable, never the value); the URL gives the host.
        settings = settings_from_env({**environ, "PVE_HOST": "fetch-spec"})
    except ConfigurationError as err:
        raise FetchError(str(err)) from None
    login = Login()
    for key in ("token_id", "token_secret", "user", "password", "otp"):
        if key in settings:
            login[key] = settings[key]
    return login


def server_version(url: str, login: Login, *, verify: bool | str, fingerprint: str | None,
                   timeout: float) -> str:  # fmt: skip
    """The release the server reports at ``/api2/json/version`` (``9.1.4``), asked with the runtime's own client."""
    parts = urllib.parse.urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # InsecureRequestWarning under --insecure: the user chose it
            with BaseClient(base, verify=verify, fingerprint=fingerprint, timeout=timeout, **login) as client:
                answer = client.request("GET", "/version")
    except (ProxmoxError, ConfigurationError) as err:
        raise FetchError(f"{base}/api2/json/version: {err}") from None
    version = answer.get("version") if isinstance(answer, dict) else None
    if not isinstance(version, str) or not version.strip():
        raise FetchError(f"{base}/api2/json/version: the answer names no version")
    return version.strip()


def _warn(message: str) -> None:
    print(f"pvegen fetch-spec: warning: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    url = schema_url(args.url)
    verify: bool | str = False if args.insecure else (args.ca_bundle or True)
    login = credentials(args.token, os.environ)
    progress = not args.quiet and sys.stderr.isatty()
    text = download(url, verify=verify, fingerprint=args.fingerprint, timeout=args.timeout, progress=progress)
    try:
        spec = load_spec_text(text, source=url)
    except SpecError as err:
        raise FetchError(f"the download is not a spec: {err}") from None
    label: str | None = args.spec_version
    if login:
        reported = server_version(url, login, verify=verify, fingerprint=args.fingerprint, timeout=args.timeout)
        if label is None:
            label = reported
        elif label.split(".")[0] != reported.split(".")[0]:
            _warn(f"--version {label} but the server reports {reported}; the file records {label}")
    label = label or spec.version  # a pvegen-spec/1 document may name its own
    if label:
        text = with_record(text, version=label, product=spec.product)
    shown = label or version_from_filename(args.output)
    if shown is None:
        _warn(
            "the release is unknown, so the file records none: pass --version LABEL, or credentials "
            "(PVE_TOKEN_ID/PVE_TOKEN_SECRET, or --token) so the server's /version is asked"
        )
    write_text_atomic(args.output, text)
    if not args.quiet:
        print(f"{args.output}: {len(spec.operations)} operations (pve {shown or 'unversioned'})")
    sys.stdout.flush()
    return 0
