"""``pvegen openapi``: the spec as an OpenAPI 3.1 document that other tools can use.

``build_document(spec)`` makes the document (a dict), ``render(document)`` its JSON text: the same
spec gives the same bytes. See docs/openapi.md for what the document says and its ``x-pve-*`` keys.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from .document import DEFAULT_PORT, Export, ExportError, build_document, server_from_url
from .patterns import Untranslatable, ecma_pattern, perl_to_ecma

__all__ = [
    "DEFAULT_PORT",
    "Export",
    "ExportError",
    "Untranslatable",
    "build_document",
    "ecma_pattern",
    "perl_to_ecma",
    "render",
    "render_yaml",
    "server_from_url",
]


def render(document: dict[str, Any]) -> str:
    """The document as JSON text: key order as built (deterministic), UTF-8 kept, one trailing newline."""
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def render_yaml(document: dict[str, Any]) -> str:
    """The same document as YAML (PyYAML, already pvegen's dependency for cassettes; libyaml's emitter when built
    with it): key order as built, and every string that YAML 1.1 would read as another type is quoted."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(document, Dumper=dumper, sort_keys=False, allow_unicode=True, width=120)
    return text
