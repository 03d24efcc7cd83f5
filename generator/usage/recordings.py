"""Calls read from recordings, for code a parser cannot follow: vcrpy cassettes (YAML or JSON),
``pvegen mock --log`` files and plain manifests (JSON lines, or one JSON array, of objects with
``method``, ``path`` and optional ``params``; other keys are ignored).

Each request becomes a ``Call`` at the line of the file that records it. Parameters come from the
query string and the body (form-encoded or JSON); a body the reader cannot take apart (multipart
uploads, binary data) makes the call's parameters "unknown".
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from ..model import METHODS
from .calls import Call, ScanWarning
from .urls import api_path_of_url, split_path_text

__all__ = ["read_recording"]

CASSETTE_LIMIT = 256 * 1024 * 1024  # a cassette is parsed whole; a log is read line by line
_LINE_LIMIT = 1024 * 1024


class _NotARecording(Exception):
    """The file is some other JSON/YAML (a config, a package.json): not ours to read."""


def read_recording(path: str, shown: str, explicit: bool, warnings: list[ScanWarning]) -> list[Call]:
    """The calls a recording holds. Files found in a folder that are not recordings are skipped
    quietly; one named on the command line is worth a warning."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
            size = handle.seek(0, 2)
    except OSError as err:
        warnings.append(ScanWarning(shown, f"cannot read the file ({err.strerror or err}); skipped"))
        return []
    text_head = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    try:
        if text_head.startswith("{") and not _one_json_document(text_head):
            return list(_json_lines(path, shown, warnings))
        if size > CASSETTE_LIMIT:
            warnings.append(
                ScanWarning(shown, f"file too large ({size // 1048576} MiB) to read as a recording; skipped")
            )
            return []
        with open(path, "rb") as handle:
            data = handle.read()
        text = data.decode("utf-8")
        if text_head.startswith(("{", "[")):
            return _json_document(text, shown)
        if "interactions:" in text:
            return _yaml_cassette(text, shown)
        raise _NotARecording
    except _NotARecording:
        if explicit:
            warnings.append(
                ScanWarning(shown, "not a Python file, vcrpy cassette, mock log or usage manifest; skipped")
            )
    except UnicodeDecodeError as err:
        warnings.append(ScanWarning(shown, f"not UTF-8 text (byte {err.start}); skipped"))
    except (ValueError, RecursionError) as err:
        warnings.append(ScanWarning(shown, f"cannot read as a recording ({_first_line(err)}); skipped"))
    except OSError as err:
        warnings.append(ScanWarning(shown, f"cannot read the file ({err.strerror or err}); skipped"))
    return []


def _one_json_document(head: str) -> bool:
    """A cassette written as JSON starts ``{"interactions"`` or ``{\\n    "interactions"``."""
    return head.replace(" ", "").replace("\n", "").startswith('{"interactions"') or head.startswith("{\n")


# -- JSON lines (mock log, manifest) ------------------------------------------------------------
def _json_lines(path: str, shown: str, warnings: list[ScanWarning]) -> Iterator[Call]:
    skipped = 0
    first_bad: int | None = None
    found = False
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            record: Any = None
            if len(raw) <= _LINE_LIMIT:
                try:
                    record = json.loads(raw)
                except ValueError:
                    record = None
            if not isinstance(record, dict):
                skipped += 1
                first_bad = first_bad or number
                continue
            call = _record_call(record, shown, number)
            if call is None:
                continue  # another kind of record (an event): not a request
            found = True
            yield call
    if not found:
        raise _NotARecording
    if skipped:
        warnings.append(ScanWarning(shown, f"{skipped} line(s) are not JSON; skipped", first_bad))


def _json_document(text: str, shown: str) -> list[Call]:
    data = json.loads(text)
    if isinstance(data, dict) and isinstance(data.get("interactions"), list):
        lines = _lines_of(text, '"uri"', len(data["interactions"]))
        calls = []
        for index, interaction in enumerate(data["interactions"]):
            request = interaction.get("request") if isinstance(interaction, dict) else None
            if isinstance(request, dict):
                call = _cassette_call(request, shown, lines[index])
                if call is not None:
                    calls.append(call)
        return calls
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        lines = _lines_of(text, '"method"', len(data))
        records = [_record_call(item, shown, lines[index]) for index, item in enumerate(data)]
        calls = [call for call in records if call is not None]
        if calls:
            return calls
    raise _NotARecording


def _lines_of(text: str, key: str, count: int) -> list[int]:
    """Line of the n-th occurrence of ``key``: where each entry is written (1 when they do not line up)."""
    lines: list[int] = []
    position = text.find(key)
    while position >= 0:
        lines.append(text.count("\n", 0, position) + 1)
        position = text.find(key, position + 1)
    return lines if len(lines) == count else [1] * count


def _record_call(record: Any, shown: str, line: int) -> Call | None:
    """A manifest or mock-log line: ``{"method": ..., "path": ..., "params": {...}}``."""
    if not isinstance(record, dict):
        return None
    method, path = record.get("method"), record.get("path")
    if not isinstance(method, str) or not isinstance(path, str) or method.upper() not in METHODS:
        return None
    segments, query = split_path_text(path)
    params: dict[str, Any] = dict(query)
    given = record.get("params")
    complete = True
    if isinstance(given, dict):
        params.update(given)
    elif given is not None:
        complete = False
    text = f"{method.upper()} {api_path_of_url(path).partition('?')[0] or '/'}"
    return Call(shown, line, 1, text, method.upper(), segments, params, complete, "recording")


# -- vcrpy cassettes -----------------------------------------------------------------------------
def _yaml_cassette(text: str, shown: str) -> list[Call]:
    try:
        import yaml
    except ImportError:  # pragma: no cover - a dependency of pvegen
        raise ValueError("reading YAML cassettes needs PyYAML") from None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as err:
        raise ValueError(f"not YAML: {_first_line(err)}") from None
    interactions = _mapping_get(root, "interactions")
    if not isinstance(interactions, yaml.SequenceNode):
        raise _NotARecording
    calls = []
    for item in interactions.value:  # the line of ``- request:`` is the call's
        request = _mapping_get(item, "request")
        if not isinstance(request, yaml.MappingNode):
            continue
        fields = {key.value: value for key, value in request.value if isinstance(key, yaml.ScalarNode)}
        plain = {name: _scalar(node) for name, node in fields.items() if isinstance(node, yaml.ScalarNode)}
        headers = fields.get("headers")
        plain["headers"] = _yaml_headers(headers) if isinstance(headers, yaml.MappingNode) else {}
        call = _cassette_call(plain, shown, item.start_mark.line + 1)
        if call is not None:
            calls.append(call)
    return calls


def _mapping_get(node: Any, key: str) -> Any:
    for name, value in getattr(node, "value", ()) if type(node).__name__ == "MappingNode" else ():
        if getattr(name, "value", None) == key:
            return value
    return None


def _scalar(node: Any) -> Any:
    if node.tag.endswith(":null"):
        return None
    if node.tag.endswith(":binary"):
        return base64.b64decode("".join(node.value.split()))
    return node.value


def _yaml_headers(node: Any) -> dict[str, str]:
    headers = {}
    for key, value in node.value:
        items = value.value if type(value).__name__ == "SequenceNode" else [value]
        texts = [item.value for item in items if type(item).__name__ == "ScalarNode"]
        if texts:
            headers[str(key.value).lower()] = str(texts[0])
    return headers


def _cassette_call(request: dict[str, Any], shown: str, line: int) -> Call | None:
    method, uri = request.get("method"), request.get("uri")
    if not isinstance(method, str) or not isinstance(uri, str) or method.upper() not in METHODS:
        return None
    segments, params = split_path_text(uri)
    raw_headers = request.get("headers") or {}
    headers = {str(k).lower(): (v[0] if isinstance(v, list) and v else v) for k, v in raw_headers.items()}
    body, complete = _body(request.get("body"), str(headers.get("content-type") or ""))
    params.update(body)
    text = f"{method.upper()} {api_path_of_url(uri).partition('?')[0] or '/'}"
    return Call(shown, line, 1, text, method.upper(), segments, params, complete, "recording")


def _body(body: Any, content_type: str) -> tuple[dict[str, Any], bool]:
    if body is None or body in ("", b""):
        return {}, True
    if isinstance(body, dict) and "string" in body:  # newer vcrpy writes bodies as {string: ...}
        body = body["string"]
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            return {}, False
    if not isinstance(body, str):
        return {}, False
    if "json" in content_type or body.lstrip().startswith("{"):
        try:
            data = json.loads(body)
        except ValueError:
            return {}, False
        return (data, True) if isinstance(data, dict) else ({}, False)
    if "multipart" in content_type:
        return {}, False
    return dict(parse_qsl(body, keep_blank_values=True)), True


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__
