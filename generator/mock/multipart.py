"""Read a ``multipart/form-data`` request body from the socket without holding it in memory.

Uploads to a real PVE are ISO images and templates of many GiB; the mock must take them as the
server does, in blocks: file parts are counted and hashed as they pass, text fields are kept (they
are small; a huge one is refused).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

__all__ = ["MultipartError", "UploadedFile", "read_multipart"]

_BLOCK = 1 << 20
_MAX_FIELD = 1 << 20
_MAX_HEADERS = 16 << 10
_HASHES = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512")


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class MultipartError(ValueError):
    """The body is not the multipart form its headers announce."""


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    size: int
    digest: str  # hex digest with ``algorithm``
    algorithm: str


class _Body:
    """Exactly ``length`` bytes of ``stream``, read in blocks through a small look-ahead buffer."""

    def __init__(self, stream: Readable, length: int) -> None:
        self._stream = stream
        self._left = length
        self.buffer = b""

    def fill(self) -> bool:
        """Append one more block to ``buffer``; False at the end of the body."""
        if self._left <= 0:
            return False
        block = self._stream.read(min(_BLOCK, self._left))
        if not block:
            raise MultipartError(f"the body ended {self._left} bytes early")
        self._left -= len(block)
        self.buffer += block
        return True

    def drain(self) -> None:
        while self._left > 0:
            block = self._stream.read(min(_BLOCK, self._left))
            if not block:
                return
            self._left -= len(block)


def read_multipart(stream: Readable, content_type: str, length: int) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    """Form fields and uploaded files of a multipart body of ``length`` bytes on ``stream``.

    A file part is hashed with the algorithm named by an earlier ``checksum-algorithm`` field
    (PVE's upload parameter), else sha256.
    """
    boundary = _boundary(content_type)
    body = _Body(stream, length)
    opening = b"--" + boundary
    delimiter = b"\r\n--" + boundary
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    _expect(body, opening)
    while True:
        while len(body.buffer) < 2 and body.fill():
            pass
        if body.buffer.startswith(b"--"):
            body.drain()  # the closing delimiter; anything after it is an epilogue
            return fields, files
        if not body.buffer.startswith(b"\r\n"):
            raise MultipartError("malformed boundary line")
        body.buffer = body.buffer[2:]
        name, filename = _part_headers(body)
        if filename is None:
            fields[name] = _field(body, delimiter).decode("utf-8", "replace")
        else:
            algorithm = fields.get("checksum-algorithm", "sha256")
            files[name] = _file(body, delimiter, filename, algorithm if algorithm in _HASHES else "sha256")
            fields[name] = filename


def _boundary(content_type: str) -> bytes:
    for piece in content_type.split(";")[1:]:
        key, _, value = piece.strip().partition("=")
        if key.lower() == "boundary" and value:
            return value.strip('"').encode("latin-1")
    raise MultipartError("multipart/form-data without a boundary")


def _expect(body: _Body, opening: bytes) -> None:
    while len(body.buffer) < len(opening) and body.fill():
        pass
    start = body.buffer.find(opening)
    if start == -1:
        raise MultipartError("the body does not start with its boundary")
    body.buffer = body.buffer[start + len(opening) :]


def _part_headers(body: _Body) -> tuple[str, str | None]:
    while (end := body.buffer.find(b"\r\n\r\n")) == -1:
        if len(body.buffer) > _MAX_HEADERS or not body.fill():
            raise MultipartError("part headers missing or too long")
    raw, body.buffer = body.buffer[:end], body.buffer[end + 4 :]
    name: str | None = None
    filename: str | None = None
    for line in raw.decode("utf-8", "replace").split("\r\n"):
        header, _, value = line.partition(":")
        if header.strip().lower() != "content-disposition":
            continue
        for item in value.split(";")[1:]:
            key, _, text = item.strip().partition("=")
            text = text.strip().strip('"')
            if key.lower() == "name":
                name = text
            elif key.lower() == "filename":
                filename = text
    if name is None:
        raise MultipartError("a part without a name")
    return name, filename


def _field(body: _Body, delimiter: bytes) -> bytes:
    while (end := body.buffer.find(delimiter)) == -1:
        if len(body.buffer) > _MAX_FIELD or not body.fill():
            raise MultipartError("a form field is too long or unterminated")
    value, body.buffer = body.buffer[:end], body.buffer[end + len(delimiter) :]
    return value


def _file(body: _Body, delimiter: bytes, filename: str, algorithm: str) -> UploadedFile:
    digest = hashlib.new(algorithm)
    size = 0
    keep = len(delimiter) - 1  # a delimiter may straddle two blocks
    while (end := body.buffer.find(delimiter)) == -1:
        if len(body.buffer) > keep:
            chunk = body.buffer[: len(body.buffer) - keep]
            digest.update(chunk)
            size += len(chunk)
            body.buffer = body.buffer[len(chunk) :]
        if not body.fill():
            raise MultipartError(f"the file part {filename!r} is unterminated")
    digest.update(body.buffer[:end])
    size += end
    body.buffer = body.buffer[end + len(delimiter) :]
    return UploadedFile(filename, size, digest.hexdigest(), algorithm)
