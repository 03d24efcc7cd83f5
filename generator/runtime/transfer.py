"""Uploads and downloads that stream: a file of any size passes through a small, fixed buffer.

``requests`` builds a ``files=`` multipart body in memory, so an ISO of several GiB would be
read whole. Here the multipart body is an iterable with a known length: the form fields and
the part headers are a few hundred bytes, the file is read ``chunk_size`` bytes at a time while
the socket takes them, and ``Content-Length`` is exact (PVE's proxy wants a length, not chunks).
Downloads are written to a temporary file beside the destination and renamed into place when
complete, so a failed download never leaves a partial file under the destination name.
Both go through the client's public ``request_stream``, so they share its credentials, retries
(a try that never left the client is repeated; the body is read again from the start), logging
and error messages with every other call.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Protocol
from urllib.parse import quote

from .errors import ProxmoxError, ValidationError
from .reply import reply_data
from .transport import Body, StreamedReply

__all__ = ["DEFAULT_CHUNK", "MultipartBody", "StreamRequester", "download_to", "upload_file"]

DEFAULT_CHUNK = 1 << 20  # 1 MiB: big enough for few syscalls, small enough to never matter
_CHECKSUMS = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512")
_UPLOAD_PATH = "/nodes/{node}/storage/{storage}/upload"


class StreamRequester(Protocol):
    """What the transfer helpers need from a client: its streamed call (``BaseClient.request_stream``)."""

    def request_stream(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        body: bytes | Body | None = None,
        content_type: str | None = None,
    ) -> StreamedReply: ...


class MultipartBody:
    """A ``multipart/form-data`` body read lazily from a file; ``len()`` is its exact size. Each
    iteration starts from the file position it was made at, so a retry sends the same bytes."""

    def __init__(
        self,
        fields: list[tuple[str, str]],
        file_field: str,
        filename: str,
        source: IO[bytes],
        size: int,
        *,
        chunk_size: int = DEFAULT_CHUNK,
    ) -> None:
        self.boundary = "pvegen-" + secrets.token_hex(16)
        self.content_type = f"multipart/form-data; boundary={self.boundary}"
        head = b"".join(self._part_header(name) + value.encode("utf-8") + b"\r\n" for name, value in fields)
        self._head = head + self._part_header(file_field, filename)
        self._tail = f"\r\n--{self.boundary}--\r\n".encode("ascii")
        self._source = source
        self._start = source.tell()
        self._size = size
        self._chunk = chunk_size

    def _part_header(self, name: str, filename: str | None = None) -> bytes:
        disposition = f'form-data; name="{_quoted(name)}"'
        lines = [f"--{self.boundary}"]
        if filename is None:
            lines.append(f"Content-Disposition: {disposition}")
        else:
            lines.append(f'Content-Disposition: {disposition}; filename="{_quoted(filename)}"')
            lines.append("Content-Type: application/octet-stream")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")

    def __len__(self) -> int:
        return len(self._head) + self._size + len(self._tail)

    def __iter__(self) -> Iterator[bytes]:
        self._source.seek(self._start)
        yield self._head
        left = self._size
        while left > 0:
            block = self._source.read(min(self._chunk, left))
            if not block:
                # The file shrank while we sent it: the promised length cannot be kept.
                raise ProxmoxError(f"upload source ended {left} bytes early (was it changed while uploading?)")
            left -= len(block)
            yield block
        yield self._tail


def _quoted(text: str) -> str:
    # Form-data names and file names are quoted strings; a quote or line break would end them.
    return text.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def _size_of(handle: IO[bytes]) -> int:
    try:
        here = handle.tell()
        end = handle.seek(0, os.SEEK_END)
        handle.seek(here)
    except (AttributeError, OSError, ValueError):
        raise ValidationError(
            "source", "type", "a file object to upload must be seekable (its size is sent first)"
        ) from None
    return end - here


def upload_file(
    client: StreamRequester,
    node: str,
    storage: str,
    source: str | os.PathLike[str] | IO[bytes],
    *,
    content: str,
    filename: str | None = None,
    checksum: str | None = None,
    checksum_algorithm: str | None = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> Any:
    """``POST /nodes/{node}/storage/{storage}/upload`` with the file streamed; returns the UPID."""
    if (checksum is None) != (checksum_algorithm is None):
        raise ValidationError("checksum", "requires", "checksum and checksum_algorithm go together")
    if checksum_algorithm is not None and checksum_algorithm not in _CHECKSUMS:
        raise ValidationError(
            "checksum-algorithm", "enum", f"{checksum_algorithm!r} is not one of {', '.join(_CHECKSUMS)}"
        )
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    fields = [("content", content)]
    if checksum is not None and checksum_algorithm is not None:
        fields += [("checksum", checksum), ("checksum-algorithm", checksum_algorithm)]
    with contextlib.ExitStack() as stack:
        if isinstance(source, str | os.PathLike):
            path = Path(source)
            try:
                handle: IO[bytes] = stack.enter_context(open(path, "rb"))
            except OSError as err:
                raise ValidationError("source", "file", f"cannot read {str(path)!r}: {err.strerror or err}") from None
            name = filename or path.name
        else:
            handle = source
            name = filename or Path(str(getattr(source, "name", "") or "")).name
        if not name:
            raise ValidationError("filename", "required", "give filename= for a file object without a name")
        if len(name) > 255:
            raise ValidationError("filename", "maxLength", "a file name may have at most 255 characters")
        body = MultipartBody(fields, "filename", name, handle, _size_of(handle), chunk_size=chunk_size)
        path_text = _UPLOAD_PATH.format(node=_segment(node), storage=_segment(storage))
        with client.request_stream("POST", path_text, body=body, content_type=body.content_type) as answer:
            answer.read()
        return reply_data(answer, "json", "POST", path_text)


def _segment(value: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationError("path", "type", f"expected a non-empty string, got {value!r}")
    return quote(value, safe="")


def download_to(
    client: StreamRequester,
    path: str,
    dest: str | os.PathLike[str],
    *,
    params: Mapping[str, Any] | None = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> int:
    """GET ``path`` and write the body to ``dest`` as it arrives; returns the bytes written.

    ``dest`` appears only when the whole body has arrived (temporary file, then rename).
    """
    target = Path(dest)
    with client.request_stream("GET", path, params) as answer:  # an error status raises here
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
        written = 0
        try:
            with os.fdopen(fd, "wb") as out:
                for block in answer.iter_bytes(chunk_size):
                    out.write(block)
                    written += len(block)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return written
