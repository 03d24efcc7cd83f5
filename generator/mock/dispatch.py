"""The API behind the HTTP server: one request goes route (501 when unknown) -> authenticate (401/403)
-> verify parameters (400) -> a route of the registry, or the rules for unmodelled operations -> encode.
"""

from __future__ import annotations

import threading
import urllib.parse
from typing import Any

from ..model import Operation, Spec
from .apidoc import apidoc_js
from .auth import Authenticator, Identity
from .call import Call
from .errors import ApiError
from .exchange import Answer, Request
from .formats import FORMATS, encode, encode_error
from .registry import ROUTES, answer_unmodelled
from .routes import Router, split_path
from .state import State
from .validate import ParameterIndex, check_parameters

APIDOC_PATH = "/pve-docs/api-viewer/apidoc.js"


class Api:
    """Answers decoded requests from the spec, the authenticator and the simulated cluster."""

    def __init__(self, spec: Spec, auth: Authenticator, state: State, seed: int) -> None:
        self.spec = spec
        self.auth = auth
        self.state = state
        self.seed = seed
        self.router = Router(spec)
        self._indexes: dict[tuple[str, str], ParameterIndex] = {}
        self._index_lock = threading.Lock()
        self._apidoc: bytes | None = None

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
            return encode_error(request.format, err)
        return encode(request.format, 200, "OK", data)

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
        index = self.parameter_index(op)
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
        )
        with self.state.lock:
            self.state.tasks.tick()
            if route is not None:
                request.record.source = "state"
                return route.handler(call)
            request.record.source = "sample"
            return answer_unmodelled(call, self.seed, request.api_path or "")

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
