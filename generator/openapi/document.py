"""The OpenAPI 3.1 document around the operations: info, servers, tags, security, shared errors.

Authentication is PVE's: an API token in the ``Authorization`` header
(``PVEAPIToken=USER@REALM!ID=SECRET``), or a ticket from ``POST /access/ticket`` sent as the
``PVEAuthCookie`` cookie plus, on every call that is not a GET, the ``CSRFPreventionToken``
header from the same login. A spec in which no operation says ``allowtoken`` predates API tokens
(PVE 5.x): its document offers tickets only.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from typing import Any

from .. import __version__
from ..errors import PvegenError
from ..model import Spec
from .naming import operation_ids, tag_of
from .operations import OperationWriter
from .propstrings import PropertyStringComponents
from .schemas import PatternStats, SchemaWriter

__all__ = ["DEFAULT_PORT", "Export", "ExportError", "build_document", "server_from_url"]

Json = dict[str, Any]
DEFAULT_PORT = 8006
OPENAPI_VERSION = "3.1.0"


class ExportError(PvegenError):
    """Bad input to the exporter (a server URL it cannot use)."""


@dataclass
class Export:
    """The document and what went into it (for the CLI's summary and the tests)."""

    document: Json
    patterns: PatternStats

    @property
    def paths(self) -> int:
        return len(self.document["paths"])

    @property
    def operations(self) -> int:
        return sum(len(item) for item in self.document["paths"].values())

    @property
    def component_schemas(self) -> int:
        return len(self.document["components"]["schemas"])


def server_from_url(url: str) -> Json:
    """``--server URL``: the base the paths hang off; a bare ``https://host:port`` gets ``/api2/json``."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ExportError(f"--server {url!r}: expected an http(s) URL such as https://pve.example:8006/api2/json")
    path = parts.path.rstrip("/") or "/api2/json"
    return {"url": urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))}


def _default_server() -> Json:
    return {
        "url": "https://{host}:{port}/api2/json",
        "description": "A Proxmox VE node (any node of a cluster answers for the whole cluster).",
        "variables": {
            "host": {"default": "pve.example", "description": "Host name or address of a PVE node."},
            "port": {"default": str(DEFAULT_PORT), "description": "pveproxy's port."},
        },
    }


def _security_schemes(token_scheme: bool) -> Json:
    schemes: Json = {}
    if token_scheme:
        schemes["PVEAPIToken"] = {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An API token: `Authorization: PVEAPIToken=USER@REALM!TOKENID=SECRET`. "
            "Operations with `x-pve-allowtoken: false` refuse tokens.",
        }
    schemes["PVEAuthCookie"] = {
        "type": "apiKey",
        "in": "cookie",
        "name": "PVEAuthCookie",
        "description": "The `ticket` that `POST /access/ticket` returns (valid for two hours; renew it by "
        "logging in again with the ticket as password).",
    }
    schemes["CSRFPreventionToken"] = {
        "type": "apiKey",
        "in": "header",
        "name": "CSRFPreventionToken",
        "description": "The `CSRFPreventionToken` of the same login; PVE requires it with the ticket on "
        "every call that is not a GET.",
    }
    return schemes


def _error_components() -> tuple[Json, Json]:
    """(schemas, responses) for PVE's errors, described once and referenced by every operation."""
    error_body: Json = {
        "type": "object",
        "description": "PVE's answer to a failed call; the reason is also the HTTP status line's text.",
        "properties": {
            "data": {"description": "Always null on errors."},
            "errors": {
                "type": "object",
                "description": "Parameter name -> what is wrong with it (on 400).",
                "additionalProperties": {"type": "string"},
            },
            "message": {"type": "string", "description": "The reason, in releases that repeat it here."},
        },
    }
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/PveError"}}}
    responses = {
        "ParameterError": {
            "description": "Parameter verification failed: `errors` names each bad parameter and why.",
            "content": body,
        },
        "Unauthorized": {
            "description": "No valid ticket, CSRF token or API token (the body is empty; the reason is in "
            "the status line).",
        },
        "Forbidden": {
            "description": "Permission check failed (see the operation's `x-pve-permissions`).",
            "content": body,
        },
        "ServerError": {
            "description": "The call failed; PVE also answers 500 when an object (guest, storage...) does not exist.",
            "content": body,
        },
        "NotImplemented": {"description": "No such method and path in this release (the body may be empty)."},
    }
    return {"PveError": error_body}, responses


def _camel(operation_id: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in operation_id.split("_") if part)


def build_document(spec: Spec, *, server: str | None = None) -> Export:
    """The OpenAPI 3.1 document of ``spec`` (a plain dict, ready for json.dumps)."""
    error_schemas, error_responses = _error_components()
    property_strings = PropertyStringComponents(spec, reserved=set(error_schemas))
    writer = SchemaWriter(property_strings)
    property_strings.attach(writer)
    token_scheme = any(op.allowtoken is not None for op in spec.operations)
    operations = OperationWriter(writer, token_scheme=token_scheme)
    ids = operation_ids(spec.operations)
    paths: Json = {}
    tags: dict[str, str | None] = {}
    for op in spec.operations:
        tag = tag_of(op.path)
        tags.setdefault(tag, None)
        if op.method == "GET" and op.path.strip("/") == tag and op.summary:
            tags[tag] = op.summary  # the area's own index describes it
        operation_id = ids[op.key]
        body_name = property_strings.names.name(("body", op.key), _camel(operation_id) + "Request")
        paths.setdefault(op.path, {})[op.method.lower()] = operations.operation(op, operation_id, body_name, tag)
    schemas = {**error_schemas, **operations.bodies, **property_strings.components}
    document: Json = {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Proxmox VE API",
            "version": spec.version or "unversioned",
            "description": f"The Proxmox VE {spec.version + ' ' if spec.version else ''}API, exported by pvegen "
            f"{__version__} from Proxmox's own schema. `x-pve-*` keys carry what OpenAPI cannot say; see pvegen's "
            "docs/openapi.md.",
            "x-pve-product": spec.product,
        },
        "servers": [server_from_url(server) if server is not None else _default_server()],
        "tags": [{"name": name, **({"description": text} if text else {})} for name, text in tags.items()],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "responses": error_responses,
            "securitySchemes": _security_schemes(token_scheme),
        },
    }
    return Export(document, writer.patterns)
