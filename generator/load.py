"""Read any spec pvegen understands, detecting its kind from the content (never the name).

Kinds: Proxmox's ``apidoc.js``/``apidata.js`` (an array literal assigned to a variable, possibly
followed by the API viewer's own code), the same tree as plain JSON, and ``pvegen-spec/1``.
JavaScript is never evaluated: the array literal is JSON, parsed in place. A schema saved by ``fetch-spec``
starts with a ``// pvegen: {...}`` line naming its release (see ``release_record``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

from .errors import SpecError, StructureError
from .load_ours import spec_from_document
from .load_pve import operations_from_tree
from .model import Operation, Spec, path_shape
from .release_record import read_record

__all__ = ["load_spec", "load_spec_text", "version_from_filename"]

_JS_ASSIGNMENT = re.compile(r"\b(?:var|const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*\[")
_KNOWN_JS_NAMES = ("apiSchema", "pveapi")
_VERSION_IN_NAME = re.compile(r"(?<![\d.])(\d{1,2}\.\d{1,2}(?:\.\d{1,3})?)(?![\d])")
_DECODER = json.JSONDecoder()
_HTML_START = re.compile(r"<(?:!doctype\s+html|html\b|head\b|body\b|!--)", re.IGNORECASE)


def load_spec(path: str | os.PathLike[str], *, version: str | None = None) -> Spec:
    """Load a spec file. ``version`` overrides the label found in the file or its name."""
    name = os.fspath(path)
    try:
        data = Path(name).read_bytes()
    except OSError as err:
        raise SpecError(f"cannot read the file: {err.strerror or err}", file=name) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SpecError(f"not UTF-8 text (byte {err.start})", file=name) from None
    return load_spec_text(text, source=name, version=version)


def load_spec_text(text: str, *, source: str | None = None, version: str | None = None) -> Spec:
    """Load a spec from text; ``source`` names it in errors and supplies a fallback version."""
    try:
        return _load(text, source, version)
    except StructureError as err:
        raise err.to_spec_error(source) from None
    except RecursionError:
        # Real schemas nest about 10 levels; hundreds mean a broken or hostile file.
        raise SpecError("the document nests too deeply to be a spec", file=source, location="$") from None


def _load(text: str, source: str | None, version: str | None) -> Spec:
    try:
        record, body = read_record(text)
    except ValueError as err:
        raise SpecError(str(err), file=source, location="1:1") from None
    start = _skip_space(text, body or (1 if text.startswith("\ufeff") else 0))
    if start == len(text):
        raise SpecError("the file is empty", file=source, location="1:1")
    first = text[start]
    if first in "[{":
        value, kind = _parse_json(text, start, source, whole=True), "pve-json"
    elif (match := _find_assignment(text, start)) is not None:
        value, kind = _parse_json(text, match.end() - 1, source, whole=False), "pve-js"
    elif _HTML_START.match(text, start):
        raise SpecError(
            "this is an HTML page, not a spec (a wrong URL, or a login page?); the schema is the server's "
            "/pve-docs/api-viewer/apidoc.js",
            file=source,
            location=_line_col(text, start),
        )
    else:
        try:
            value, kind = json.loads(text), "pve-json"  # a JSON scalar: reported as the wrong type below
        except (json.JSONDecodeError, RecursionError):
            raise SpecError(
                "not a spec: expected JSON (a pvegen-spec/1 object or a Proxmox API tree) or a "
                "JavaScript file assigning the API tree (`const apiSchema = [...]`)",
                file=source,
                location=_line_col(text, start),
            ) from None
    label_from_name = version_from_filename(source) if source else None
    if isinstance(value, dict):
        operations, product, own_version, unstated = spec_from_document(value)
        _check_routes(operations, lambda index: ["operations", index])
        return Spec(
            tuple(operations),
            product=product,
            version=version or own_version or record.get("version") or label_from_name,
            source=source,
            source_kind="pvegen-spec/1",
            unstated_permissions=unstated,
        )
    if not isinstance(value, list):
        raise StructureError(
            f"expected an array of path nodes (Proxmox API tree) or a pvegen-spec/1 object, found {_kind(value)}"
        )
    tree_operations = operations_from_tree(value)
    _check_routes(tree_operations, lambda index: [])
    return Spec(
        tuple(tree_operations),
        product=record.get("product", "pve"),
        version=version or record.get("version") or label_from_name,
        source=source,
        source_kind=kind,
    )


def _check_routes(operations: list[Operation], where: Callable[[int], list[str | int]]) -> None:
    """Every operation must be reachable: no two share a method and URL shape (``/x/{a}`` vs
    ``/x/{b}``), and no path names a placeholder twice (``/{a}/{a}``)."""
    seen: dict[tuple[str, str], Operation] = {}
    for index, op in enumerate(operations):
        if len(set(op.path_parameters)) != len(op.path_parameters):
            raise StructureError(f"{op.path} names a path placeholder twice", list(reversed(where(index))))
        key = (op.method, path_shape(op.path))
        if key in seen:
            raise StructureError(
                f"{op.method} {op.path} is the same URL as {op.method} {seen[key].path} "
                "(only placeholder names differ): a server could not tell them apart",
                list(reversed(where(index))),
            )
        seen[key] = op


def _find_assignment(text: str, start: int) -> re.Match[str] | None:
    first = None
    for match in _JS_ASSIGNMENT.finditer(text, start):
        if match.group(1) in _KNOWN_JS_NAMES:
            return match
        first = first or match
    return first


def _parse_json(text: str, start: int, source: str | None, *, whole: bool) -> object:
    try:
        value, end = _DECODER.raw_decode(text, start)
    except json.JSONDecodeError as err:
        reason = err.msg
        if err.pos >= len(text.rstrip()):
            reason = f"the file ends early (truncated?): {err.msg}"
        raise SpecError(f"invalid JSON: {reason}", file=source, location=f"{err.lineno}:{err.colno}") from None
    except RecursionError:
        raise SpecError(
            "invalid JSON: the document nests too deeply", file=source, location=_line_col(text, start)
        ) from None
    if whole:
        rest = _skip_space(text, end)
        if rest != len(text):
            raise SpecError("invalid JSON: extra data after the document", file=source, location=_line_col(text, rest))
    return value


def _skip_space(text: str, pos: int) -> int:
    length = len(text)
    while pos < length and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _line_col(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"{line}:{col}"


def _kind(value: object) -> str:
    return {str: "a string", int: "a number", float: "a number", bool: "a boolean"}.get(type(value), "null")


def version_from_filename(path: str) -> str | None:
    """``pve-8.4.js`` -> ``8.4``; ``apidoc-9.1.4.json`` -> ``9.1.4``; no version -> None."""
    match = _VERSION_IN_NAME.search(os.path.basename(path))
    return match.group(1) if match else None
