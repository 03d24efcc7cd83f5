"""The release a downloaded schema comes from, kept in the file itself.

Proxmox's ``apidoc.js`` does not say which release it describes, yet every command needs it (the gate's policy
depends on the major). ``fetch-spec`` therefore writes one comment line in front of the JavaScript::

    // pvegen: {"product": "pve", "version": "9.1.4"}

The file stays valid JavaScript (the API viewer can still load it) and byte-identical otherwise; the loader reads
the line. A JSON tree is saved as the same JavaScript (``const apiSchema = [...];``) so it can carry the line too;
a ``pvegen-spec/1`` document records the release in its own ``version`` key.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["RECORD_PREFIX", "read_record", "with_record"]

RECORD_PREFIX = "// pvegen: "
_RECORD_LINE = re.compile(r"\A\ufeff?// pvegen: (?P<json>[^\n]*)\n")
_RECORD_KEYS = ("product", "version")


def read_record(text: str) -> tuple[dict[str, str], int]:
    """The record at the top of ``text`` ({} when there is none) and where the rest of the text begins.

    Raises ValueError with the reason when the line is there but broken.
    """
    match = _RECORD_LINE.match(text)
    if match is None:
        return {}, 0
    try:
        data = json.loads(match["json"])
    except json.JSONDecodeError as err:
        raise ValueError(f"the '// pvegen:' line is not a JSON object: {err.msg}") from None
    if not isinstance(data, dict):
        raise ValueError("the '// pvegen:' line is not a JSON object")
    record = {key: data[key] for key in _RECORD_KEYS if key in data}
    for key, value in record.items():
        if not isinstance(value, str) or not value.strip() or "\n" in value:
            raise ValueError(f"the '// pvegen:' line: {key!r} must be a one-line, non-empty string")
    return record, match.end()


def with_record(text: str, *, version: str, product: str = "pve") -> str:
    """``text`` (a schema as downloaded) carrying ``version``: an existing record line is replaced."""
    _, start = read_record(text)
    body = text[start:]
    stripped = body.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        document: dict[str, Any] = json.loads(stripped)
        document["version"] = version
        return json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    if stripped.startswith("["):
        body = f"const apiSchema = {stripped.rstrip()};\n"
    line = json.dumps({"product": product, "version": version}, ensure_ascii=False)
    return f"{RECORD_PREFIX}{line}\n{body}"
