"""One OpenAPI operation per Proxmox operation: parameters, request body, responses, PVE facts.

- Path placeholders are path parameters (a placeholder the spec does not describe is a string).
- GET and DELETE send the other parameters in the query; POST and PUT in a body that PVE reads
  as ``application/x-www-form-urlencoded`` or ``application/json`` (one schema, in components).
- Indexed parameters (``net[n]``, sent as net0, net1, ...) are ``patternProperties`` of the body
  and, in a query, one ``style: form, explode: true`` object parameter whose keys are the names.
- Responses: 200 with PVE's ``{"data": ...}`` wrapper around the return schema (read loosely, see
  schemas.py), and the shared error responses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..compat.deprecation import is_deprecated
from ..model import Operation, Schema, split_indexed, thaw
from .schemas import Direction, SchemaWriter, indexed_key_pattern

__all__ = ["ERROR_RESPONSES", "OperationWriter"]

Json = dict[str, Any]

# status -> component name under #/components/responses (document.py defines them)
ERROR_RESPONSES = {
    "400": "ParameterError",
    "401": "Unauthorized",
    "403": "Forbidden",
    "500": "ServerError",
    "501": "NotImplemented",
}
_SUMMARY_MAX = 120


def summary_and_description(text: str | None) -> tuple[str | None, str | None]:
    """OpenAPI wants a short summary; Proxmox writes one text. First line (cut at a sentence)."""
    if not text or not text.strip():
        return None, None
    full = text.strip()
    first = full.splitlines()[0].strip()
    if len(first) > _SUMMARY_MAX:
        cut = first.rfind(". ", 0, _SUMMARY_MAX)
        first = first[: cut + 1] if cut > 0 else first[: _SUMMARY_MAX - 1].rstrip() + "…"
    return first, (full if full != first else None)


class OperationWriter:
    """Writes operation objects; request bodies go to ``bodies`` (component schemas by name)."""

    def __init__(self, writer: SchemaWriter, *, token_scheme: bool) -> None:
        self.writer = writer
        self.token_scheme = token_scheme
        self.bodies: dict[str, Json] = {}

    def operation(self, op: Operation, operation_id: str, body_name: str, tag: str) -> Json:
        out: Json = {"operationId": operation_id, "tags": [tag]}
        summary, description = summary_and_description(op.summary)
        if summary:
            out["summary"] = summary
        if description:
            out["description"] = description
        if is_deprecated(op.summary):
            out["deprecated"] = True
        parameters = self._path_parameters(op)
        if op.method in ("GET", "DELETE"):
            parameters += self._query_parameters(op)
        else:
            body = self._body(op)
            if body is not None:
                schema, required = body
                self.bodies[body_name] = schema
                reference = {"schema": {"$ref": f"#/components/schemas/{body_name}"}}
                out["requestBody"] = {
                    "required": required,
                    "content": {
                        "application/x-www-form-urlencoded": reference,
                        "application/json": reference,
                    },
                }
        if parameters:
            out["parameters"] = parameters
        out["responses"] = self._responses(op)
        out["security"] = self._security(op)
        self._pve_facts(out, op)
        return out

    # -- parameters ----------------------------------------------------------------------------
    def _path_parameters(self, op: Operation) -> list[Json]:
        out = []
        for name in op.path_parameters:
            schema = op.parameters.get(name)
            written: Json = {"name": name, "in": "path", "required": True}
            if schema is None:
                written["schema"] = {"type": "string"}
                written["description"] = "Not described by the spec."
            else:
                self._describe(written, schema)
                written["schema"] = _without_description(self.writer.request(schema, name))
            out.append(written)
        return out

    def _query_parameters(self, op: Operation) -> list[Json]:
        out = []
        for name, schema in _non_path(op).items():
            base, indexed = split_indexed(name)
            written: Json = {"name": name, "in": "query"}
            if indexed:
                # net[n] -> net0=...&net1=...: an object whose keys are the parameter names
                value = self.writer.request(schema, base)
                value["x-pve-indexed"] = name
                written["style"], written["explode"] = "form", True
                written["schema"] = {
                    "type": "object",
                    "patternProperties": {indexed_key_pattern(base): value},
                    "additionalProperties": False,
                }
                self._describe(written, schema)
                out.append(written)
                continue
            if schema.required:
                written["required"] = True
            self._describe(written, schema)
            value = _without_description(self.writer.request(schema, name))
            if value.get("type") == "object" or "type" not in value:
                written["content"] = {"application/json": {"schema": value}}  # sent as JSON text
            else:
                written["schema"] = value
            out.append(written)
        return out

    @staticmethod
    def _describe(written: Json, schema: Schema) -> None:
        if schema.description:
            written["description"] = schema.description
        if is_deprecated(schema.description):
            written["deprecated"] = True

    def _body(self, op: Operation) -> tuple[Json, bool] | None:
        params = _non_path(op)
        if not params and not op.open:
            return None
        schema = self.writer.object_of(params, Direction.REQUEST, "")
        schema["additionalProperties"] = op.open  # PVE refuses parameters it does not define
        return schema, bool(schema.get("required"))

    # -- responses, security, PVE facts ----------------------------------------------------------
    def _responses(self, op: Operation) -> Json:
        returns = op.returns
        data = self.writer.response(returns, "data")
        ok: Json = {
            "description": returns.description or "Success: PVE wraps the result in `data`.",
            "content": {
                "application/json": {
                    "schema": {"type": "object", "properties": {"data": data}, "required": ["data"]},
                }
            },
        }
        out: Json = {"200": ok}
        for status, name in ERROR_RESPONSES.items():
            out[status] = {"$ref": f"#/components/responses/{name}"}
        return out

    def _security(self, op: Operation) -> list[Json]:
        permissions = op.permissions
        if op.key == ("POST", "/access/ticket") or (permissions is not None and permissions.user == "world"):
            return []  # anyone may call it: the login itself, and calls PVE opens to the world
        ticket: Json = {"PVEAuthCookie": []}
        if op.method != "GET":
            ticket["CSRFPreventionToken"] = []
        if self.token_scheme and op.allowtoken is not False:
            return [{"PVEAPIToken": []}, ticket]
        return [ticket]

    @staticmethod
    def _pve_facts(out: Json, op: Operation) -> None:
        if op.name is not None:
            out["x-pve-name"] = op.name
        if op.allowtoken is not None:
            out["x-pve-allowtoken"] = op.allowtoken
        if op.permissions is not None:
            out["x-pve-permissions"] = op.permissions.to_raw()
        if op.protected:
            out["x-pve-protected"] = True
        if op.proxyto is not None:
            out["x-pve-proxyto"] = op.proxyto
        extra = op.extra
        if extra:
            out["x-pve-extra"] = thaw(extra)


def _without_description(schema: Json) -> Json:
    """A parameter carries its description itself; its schema need not repeat it."""
    schema.pop("description", None)
    schema.pop("deprecated", None)
    return schema


def _non_path(op: Operation) -> Mapping[str, Schema]:
    placeholders = set(op.path_parameters)
    return {name: schema for name, schema in op.parameters.items() if name not in placeholders}
