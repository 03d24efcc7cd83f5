"""The API behind the HTTP server: one request goes route (501 when unknown) -> authenticate (401/403)
-> verify parameters (400) -> a route of the registry, or the rules for unmodelled operations -> encode.
"""

from __future__ import annotations

import threading
import urllib.parse
from typing import Any

from ..model import Operation, Spec
from ..runtime.propstring import split_property_string
from ..runtime.redact import MASK, is_secret_name
from .apidoc import apidoc_js
from .auth import Authenticator, Identity
from .call import Call, WithAttributes
from .errors import ApiError
from .exchange import Answer, Request
from .formats import FORMATS, Page, encode, encode_error, logged_in, login_form
from .permissions import Guard
from .registry import ROUTES, answer_unmodelled
from .routes import Router, split_path
from .state import State
from .validate import ParameterIndex, check_parameters

APIDOC_PATH = "/pve-docs/api-viewer/apidoc.js"


def mac_prefix(spec: Spec) -> str | None:
    """The prefix of generated MACs: the default of the release's ``mac_prefix`` option (``BC:24:11``
    since 8.1); None (a random locally administered MAC) for releases without one. A spec without
    ``/cluster/options`` gets the current default."""
    options = spec.operation("PUT", "/cluster/options")
    if options is None:
        return "BC:24:11"
    schema = options.parameters.get("mac_prefix")
    return str(schema.default) if schema is not None and schema.has_default else None


def mask_property_strings(index: ParameterIndex, params: dict[str, Any]) -> dict[str, Any]:
    """Recorded parameters with the secret sub-keys of property strings masked too
    (``target-endpoint=host=pve2,apitoken=***``), whether the schema spells the format out or names it
    (``proxmox-remote``): names decide, as everywhere (is_secret_name)."""
    masked = dict(params)
    for name, value in params.items():
        if not isinstance(value, str) or "=" not in value:
            continue
        schema = index.schema_for(name)
        keys = schema.format_properties if schema is not None else None
        default = next((k for k, s in (keys or {}).items() if s.default_key), "")
        pairs = split_property_string(value)
        if not any(is_secret_name(key if key is not None else default) for key, _ in pairs):
            continue
        parts = []
        for key, text in pairs:
            shown = MASK if is_secret_name(key if key is not None else default) else text
            parts.append(shown if key is None else f"{key}={shown}")
        masked[name] = ",".join(parts)
    return masked


class Api:
    """Answers decoded requests from the spec, the authenticator and the simulated cluster."""

    def __init__(self, spec: Spec, auth: Authenticator, state: State, seed: int) -> None:
        self.spec = spec
        self.auth = auth
        self.state = state
        self.seed = seed
        self.router = Router(spec)
        self.guard = Guard(unstated_open=spec.unstated_permissions == "open")
        self._indexes: dict[tuple[str, str], ParameterIndex] = {}
        self._index_lock = threading.Lock()
        self._apidoc: bytes | None = None
        self._samples: dict[tuple[str, str], Any] = {}  # sample answers, made once per path
        self._teach_state()

    def _teach_state(self) -> None:
        """What the simulated cluster reads from the spec: config key formats, the MAC prefix."""
        for kind in ("qemu", "lxc"):
            op = self.spec.operation("POST", f"/nodes/{{node}}/{kind}") or self.spec.operation(
                "PUT", f"/nodes/{{node}}/{kind}/{{vmid}}/config"
            )
            if op is not None:
                self.state.config_indexes[kind] = self.parameter_index(op)
        self.state.mac_prefix = mac_prefix(self.spec)
        self.state.nested_pools = self.spec.operation("PUT", "/pools") is not None  # came with nesting (8.1)

    def apidoc(self) -> bytes:
        if self._apidoc is None:
            self._apidoc = apidoc_js(self.spec).encode("utf-8")
        return self._apidoc

    def parameter_index(self, op: Operation) -> ParameterIndex:
        with self._index_lock:
            index = self._indexes.get(op.key)
            if index is None:
                index = self._indexes[op.key] = ParameterIndex(op)
            return index

    def answer(self, request: Request) -> Answer:
        """Everything after the bytes are read: route, authenticate, verify, run, encode."""
        record = request.record
        if request.api_path is None:
            if request.method == "GET" and request.path_only == APIDOC_PATH:
                record.source = "state"
                return Answer(200, "OK", self.apidoc(), "application/javascript; charset=UTF-8")
            record.source = "error"
            return Answer(501, f"Method '{request.method} {request.path_only}' not implemented", b"")
        try:
            data = self._api(request)
        except ApiError as err:
            record.source = "error"
            return encode_error(request.format, err, self._page(request) if request.format == "html" else None)
        if request.format == "html" and record.operation in (("GET", "/access/ticket"), ("POST", "/access/ticket")):
            if record.operation[0] == "GET":
                return login_form(request.path_only)
            return logged_in(str(data.get("ticket", ""))) if isinstance(data, dict) else login_form(request.path_only)
        page = self._page(request) if request.format == "html" else None
        if isinstance(data, WithAttributes):
            return encode(request.format, 200, "OK", data.data, attributes=data.attributes, page=page)
        return encode(request.format, 200, "OK", data, page=page)

    def _page(self, request: Request) -> Page:
        """The html format's view of the call: its path, description and child links."""
        op = self.spec.operation(*request.record.operation) if request.record.operation else None
        if op is None:
            return Page(request.path_only)
        child = next((str(link.get("href", "")) for link in op.returns.links or () if link.get("rel") == "child"), "")
        key = child[1:-1] if child.startswith("{") and child.endswith("}") else None
        return Page(request.path_only, op.summary, key)

    def _api(self, request: Request) -> Any:
        if request.format not in FORMATS:
            raise ApiError(501, f"Unsupported format '{request.format}'")
        segments = [urllib.parse.unquote(s) for s in split_path(request.api_path or "")]
        found = self.router.match(segments)
        op = found[0].get(request.method) if found else None
        if found is None or op is None:
            raise ApiError(501, f"Method '{request.method} {request.api_path}' not implemented")
        path_values = found[1]
        request.record.operation = op.key
        route = ROUTES.get(op.key)
        identity = None if route is not None and route.public else self._authenticate(request, op)
        # PVE judges permissions before it verifies parameters
        authid = self.guard.judge(op, identity, {**request.params, **path_values}, self.state) if identity else ""
        index = self.parameter_index(op)
        request.record.params = mask_property_strings(index, request.record.params)
        given = dict(request.params)
        for name, value in path_values.items():
            if index.schema_for(name) is not None:
                given[name] = value
        values, errors = check_parameters(index, given)
        if errors:
            raise ApiError(400, "Parameter verification failed.", errors)
        for name, value in path_values.items():
            values.setdefault(name, value)  # placeholders the schema does not list stay strings
        call = Call(
            op,
            values,
            identity.userid if identity else "",
            self.state,
            request.files,
            auth=self.auth,
            tfa_flow=self.spec.tfa_flow,
            cookies=request.cookies,
            csrf=request.headers.get("csrfpreventiontoken"),
            authid=authid,
        )
        with self.state.lock:
            self.state.tasks.tick()
            if route is not None:
                request.record.source = "state"
                return route.handler(call)
            request.record.source = "sample"
            return answer_unmodelled(call, self.seed, request.api_path or "", self._samples)

    def _authenticate(self, request: Request, op: Operation) -> Identity | None:
        permissions = op.permissions
        if permissions is not None and permissions.user == "world":
            return None
        header = request.headers.get("authorization", "")
        if header.startswith("PVEAPIToken"):
            identity = self.auth.check_token(header)
            if identity is None:
                raise ApiError(401, "invalid token value!")
            request.record.auth, request.record.user = "token", identity.userid
            if op.allowtoken is False:
                raise ApiError(403, "Permission check failed (API tokens may not use this call)")
            return identity
        ticket = request.cookies.get("PVEAuthCookie")
        if not ticket:
            raise ApiError(401, "No ticket")
        identity = self.auth.check_ticket(ticket)
        if identity is None:
            raise ApiError(401, "permission denied - invalid PVE ticket")
        request.record.auth, request.record.user = "ticket", identity.userid
        if request.method != "GET":
            csrf = request.headers.get("csrfpreventiontoken")
            if not csrf or not self.auth.check_csrf(identity.userid, csrf):
                raise ApiError(401, "Permission denied - invalid csrf token")
        return identity
