"""Self-signed certificates for the mock (made with the ``openssl`` CLI) and their fingerprints."""

from __future__ import annotations

import hashlib
import os
import shutil
import ssl
import subprocess
from pathlib import Path

from ..errors import PvegenError


class CertificateError(PvegenError):
    """No openssl, or it failed to make a certificate."""


def make_self_signed(directory: str | os.PathLike[str], name: str = "pvegen-mock") -> tuple[str, str]:
    """Write NAME.pem and NAME.key (RSA 2048, 2 days, SAN 127.0.0.1, ::1, localhost); return their paths."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise CertificateError("the 'openssl' command is needed to make a self-signed certificate")
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    command = [
        openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
        "-subj", "/CN=localhost/O=pvegen mock",
        "-addext", "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign",
        "-addext", "extendedKeyUsage=serverAuth",
        "-keyout", str(key), "-out", str(cert),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise CertificateError(f"openssl could not make a certificate: {last}")
    os.chmod(key, 0o600)
    return str(cert), str(key)


def fingerprint(certfile: str | os.PathLike[str]) -> str:
    """SHA-256 fingerprint as PVE shows it: ``AB:CD:...`` (64 hex digits in pairs)."""
    der = ssl.PEM_cert_to_DER_cert(Path(certfile).read_text(encoding="ascii"))
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))
