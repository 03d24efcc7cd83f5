"""From a URL as code or a recording writes it to path segments and query parameters.

One reader for every source: a concrete URL from a recording (``https://pve:8006/api2/json/nodes/pve1?full=1``),
a path string handed to a client (``nodes/pve1/qemu``), and a template the code builds with computed values in
it (an f-string, ``%``, ``.format``, ``+``). A template is a tuple of literal pieces and ``None`` for each
computed value.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from .calls import UNKNOWN, Segment

__all__ = ["API_MARKER", "Template", "api_path_of_url", "find_marker", "split_path_text", "split_template"]

# What sets an API URL apart from any other string: the API's root on every PVE server.
API_MARKER = re.compile(r"/?api2/(?:json|extjs)(?=/|$|\?)")

Template = tuple[str | None, ...]


def find_marker(template: Template) -> tuple[int, int] | None:
    """(piece index, offset just after the marker) of the first literal piece naming ``/api2/json``."""
    for index, piece in enumerate(template):
        if piece is not None and "api2/" in piece:
            match = API_MARKER.search(piece)
            if match is not None:
                return index, match.end()
    return None


def split_template(
    template: Template, *, after_marker: bool
) -> tuple[tuple[Segment, ...] | None, dict[str, Any], bool]:
    """Segments, query parameters and whether the query was fully readable, of a URL or path template.

    ``after_marker``: only what follows ``/api2/json`` is the path (a URL); else the whole text is (a
    path string such as ``nodes/pve1``). Segments are None when a computed value may hold several
    segments: one ending the path where the API path itself starts, or the whole path."""
    pieces: list[str | None] = list(template)
    if after_marker:
        found = find_marker(template)
        if found is None:
            return None, {}, False
        index, offset = found
        first = pieces[index]
        assert first is not None
        pieces = [first[offset:], *pieces[index + 1 :]]
    path, query = _cut_query(pieces)
    params, complete = _query_params(query)
    if not any(piece for piece in path if piece) and any(piece is None for piece in path):
        return None, params, complete  # the whole path is computed: nothing to read
    return _segments(path), params, complete


def _cut_query(pieces: list[str | None]) -> tuple[list[str | None], list[str | None]]:
    for index, piece in enumerate(pieces):
        if piece is not None and ("?" in piece or "#" in piece):
            cut = min(p for p in (piece.find("?"), piece.find("#")) if p >= 0)
            query = [piece[cut + 1 :], *pieces[index + 1 :]] if piece[cut] == "?" else []
            return [*pieces[:index], piece[:cut]], query
    return pieces, []


def _query_params(pieces: list[str | None]) -> tuple[dict[str, Any], bool]:
    """``a=1&b={}``: literal names with literal (or UNKNOWN) values; a computed name makes it incomplete."""
    if not pieces:
        return {}, True
    params: dict[str, Any] = {}
    complete = True
    # Turn the template into pairs, keeping track of which characters are computed.
    text = "".join("\x00" if piece is None else piece for piece in pieces)
    for pair in text.split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        if "\x00" in name:
            complete = False
            continue
        name = unquote(name.replace("+", " "))
        params[name] = UNKNOWN if "\x00" in value else unquote(value.replace("+", " "))
    return params, complete


def _segments(pieces: list[str | None]) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    current: list[str] = [""]
    for piece in pieces:
        if piece is None:
            current.append("")
            continue
        chunks = piece.split("/")
        current[-1] += chunks[0]
        for chunk in chunks[1:]:
            segments.append(Segment(tuple(unquote(p) for p in current)))
            current = [chunk]
    segments.append(Segment(tuple(unquote(p) for p in current)))
    return tuple(segment for segment in segments if segment.parts != ("",))


def split_path_text(text: str) -> tuple[tuple[Segment, ...], dict[str, Any]]:
    """A concrete path or URL (from a recording, or a literal path string) as segments and query params."""
    segments, params, _ = split_template((api_path_of_url(text),), after_marker=False)
    return segments or (), params


def api_path_of_url(text: str) -> str:
    """The API path (with its query) of a URL or path: scheme, host and ``/api2/json`` removed."""
    if "://" in text:
        parts = urlsplit(text)
        text = parts.path + (f"?{parts.query}" if parts.query else "")
    match = API_MARKER.search(text)
    if match is not None:  # also behind a proxy's prefix (``/pve/api2/json/...``)
        text = text[match.end() :]
    return text
