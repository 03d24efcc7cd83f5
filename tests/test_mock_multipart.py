"""The mock's streaming multipart reader agrees with urllib3's encoder, however the bytes arrive."""

from __future__ import annotations

import hashlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from urllib3 import encode_multipart_formdata

from pvegen.mock.multipart import MultipartError, read_multipart


class _Trickle(io.RawIOBase):
    """A socket-like stream that hands out at most ``step`` bytes per read."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data = memoryview(data)
        self._step = step

    def read(self, size: int = -1, /) -> bytes:
        take = self._step if size < 0 else min(size, self._step)
        chunk, self._data = bytes(self._data[:take]), self._data[take:]
        return chunk


NAMES = st.from_regex(r"\A[a-z][a-z0-9-]{0,8}\Z")
# Contents that look like delimiters: dashes, CRLFs and pieces of the boundary itself.
TRICKY = st.lists(st.sampled_from([b"--", b"\r\n", b"\r\n--", b"x", b"\x00", b"bound", b"\xff"]), max_size=30).map(
    b"".join
)


@settings(max_examples=300, deadline=None)
@given(
    fields=st.dictionaries(NAMES, st.text(max_size=40).filter(lambda t: "\r" not in t), max_size=3),
    files=st.dictionaries(NAMES, st.one_of(TRICKY, st.binary(max_size=3000)), max_size=2),
    step=st.integers(min_value=1, max_value=4096),
)
def test_round_trip_against_urllib3(fields: dict[str, str], files: dict[str, bytes], step: int) -> None:
    parts: dict[str, str | tuple[str, bytes]] = {f"f-{k}": v for k, v in fields.items()}
    parts.update({f"file-{k}": (f"{k}.iso", v) for k, v in files.items()})
    body, content_type = encode_multipart_formdata(parts, boundary="boundary--boundary")
    got_fields, got_files = read_multipart(_Trickle(body, step), content_type, len(body))
    for name, value in fields.items():
        assert got_fields[f"f-{name}"] == value
    for name, data in files.items():
        upload = got_files[f"file-{name}"]
        assert (upload.filename, upload.size) == (f"{name}.iso", len(data))
        assert upload.digest == hashlib.sha256(data).hexdigest()


def test_checksum_algorithm_field_chooses_the_hash() -> None:
    body, content_type = encode_multipart_formdata(
        [("checksum-algorithm", "md5"), ("filename", ("a.iso", b"abc"))], boundary="xyz"
    )
    _, files = read_multipart(io.BytesIO(body), content_type, len(body))
    assert files["filename"].algorithm == "md5" and files["filename"].digest == hashlib.md5(b"abc").hexdigest()


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\nvalue", "multipart/form-data; boundary=xyz", "field"),
        (b"no boundary here", "multipart/form-data; boundary=xyz", "does not start"),
        (b"--xyz\r\n", "multipart/form-data", "without a boundary"),
        (b"--xyz\r\nX: y\r\n\r\nv\r\n--xyz--", "multipart/form-data; boundary=xyz", "without a name"),
    ],
)
def test_malformed_bodies_are_refused(body: bytes, content_type: str, message: str) -> None:
    with pytest.raises(MultipartError, match=message):
        read_multipart(io.BytesIO(body), content_type, len(body))


def test_a_body_shorter_than_its_length_is_refused() -> None:
    body, content_type = encode_multipart_formdata({"filename": ("a.iso", b"x" * 100)}, boundary="xyz")
    with pytest.raises(MultipartError, match="early"):
        read_multipart(io.BytesIO(body[:50]), content_type, len(body))
