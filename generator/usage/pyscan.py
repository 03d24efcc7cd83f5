"""Find the API calls in one Python module's syntax tree, without running it.

Three styles, one walk:
- client chains (proxmoxer and pvegen's generated client): ``api.nodes(n).qemu(v).status.start.post(...)``,
  proxmoxer's ``create``/``set``, positional arguments of a verb as trailing segments, ``api("nodes/pve1")``,
  ``getattr(obj, expr)`` as a segment, prefixes kept in variables and on ``self``;
- raw HTTP: any call handed a URL with ``/api2/json`` in it (f-strings, ``%``, ``.format``, ``+``), the
  method taken from a literal argument or a callee named after a verb;
- parameters: keywords, ``**{...}`` literals, ``**d`` for a dict built in sight; anything else is "unknown".

Statements run in order per scope; function bodies after their module (they run later, seeing its final
names), ``__init__`` first in a class; a method that read ``self.x`` before another method set it is
scanned again. Names the file never binds (a client made in another module) become late roots, decided
over the whole tree (``finish``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..model import METHODS
from ..runtime.redact import MASK
from ..runtime.redact import is_secret_name as secret_name
from .calls import Segment, hole, literal
from .params import add_body, dict_key, dict_method, forget_dicts, keyword_params, merge_into
from .strings import concat, percent_format, pieces_of, text_method, tidy
from .urls import find_marker, split_template
from .values import (
    CLIENT_ROOT,
    Chain,
    ClassInfo,
    ClientClass,
    Const,
    FuncInfo,
    Instance,
    Params,
    Root,
    Seq,
    Text,
    bring_back,
    journal_mark,
    journal_reset,
    literal_value,
    set_aside,
)
from .wrappers import API_PATH, Wrapper, WrapperUse

__all__ = ["API_ROOTS", "CLIENT_CLASSES", "VERBS", "Found", "ModuleScan", "scan_module"]

# A client chain ends in one of these (proxmoxer: create = POST, set = PUT).
VERBS = {"get": "GET", "post": "POST", "put": "PUT", "delete": "DELETE", "create": "POST", "set": "PUT"}
# The first segment of every path of every PVE release (5.4 ... 9.1): what makes a chain an API chain
# when its root was made out of sight.
API_ROOTS = frozenset({"access", "cluster", "nodes", "pools", "storage", "version"})
# Calling one of these makes a client (proxmoxer's and every generated package's class).
CLIENT_CLASSES = frozenset({"ProxmoxAPI", "ProxmoxVE"})
_FACTORY_METHODS = frozenset({"from_env"})
# Methods of the generated client that call a fixed or given path: name -> (method, path or None, the
# positional argument holding the path or None).
_CLIENT_HELPERS: dict[str, tuple[str | None, tuple[Segment, ...] | None, int | None]] = {
    "request": (None, None, 1),
    "request_raw": (None, None, 1),
    "download": ("GET", None, 0),
    "upload": ("POST", (literal("nodes"), hole(), literal("storage"), hole(), literal("upload")), None),
    "task_status": ("GET", (literal("nodes"), hole(), literal("tasks"), hole(), literal("status")), None),
    "wait_task": ("GET", (literal("nodes"), hole(), literal("tasks"), hole(), literal("status")), None),
    "task_log": ("GET", (literal("nodes"), hole(), literal("tasks"), hole(), literal("log")), None),
}
_HELPER_PARAMS = {"upload": ("content", "filename", "checksum", "checksum-algorithm")}
# Callees that only format, log or look at a URL: handing one a URL is not a request.
_NOT_SENDERS = frozenset(
    {
        "print", "format", "join", "debug", "info", "warning", "warn", "error", "exception", "critical", "log",
        "append", "extend", "add", "insert", "urljoin", "urlparse", "urlsplit", "urlencode", "quote", "unquote",
        "str", "repr", "len", "isinstance", "startswith", "endswith", "replace", "split", "rsplit", "strip",
        "rstrip", "lstrip", "encode", "match", "search", "fullmatch", "sub", "compile", "write", "echo", "secho",
        "fail", "skip", "dumps", "loads", "set_description", "setdefault", "assertEqual", "assertIn",
    }
)  # fmt: skip
# Keywords of requests-like calls that are transport options, not API parameters.
_TRANSPORT_KEYWORDS = frozenset(
    {"headers", "timeout", "verify", "cookies", "auth", "allow_redirects", "stream", "cert", "proxies", "hooks",
     "files", "url", "method", "raise_for_status", "ssl", "follow_redirects"}
)  # fmt: skip
_BODY_KEYWORDS = ("params", "data", "json")
_WORD = re.compile(r"[a-z]+|[A-Z][a-z]*")
_EXCERPT_LIMIT = 120


@dataclass(slots=True)
class Found:
    """A call site before the whole tree is known: ``root`` None for raw HTTP (certain);
    ``lead`` counts the segments written before the verb's positional arguments."""

    line: int
    column: int
    text: str
    method: str | None
    root: Root | None
    segments: tuple[Segment, ...] | None
    params: dict[str, Any]
    params_complete: bool
    lead: int = 0
    helper: bool = False
    wraps: str | None = None  # the request of this wrapper function (shown only while no caller is found)


@dataclass(slots=True)
class ModuleScan:
    """One module's findings and what it teaches about names other modules use."""

    found: list[Found] = field(default_factory=list)
    # Names (variables and attributes alike: ``api``, ``proxmox_api``) and functions (``connect()``)
    # that hold or return a client somewhere in the module, and names holding a resource of one.
    client_keys: set[str] = field(default_factory=set)
    prefixes: dict[str, set[tuple[Segment, ...]]] = field(default_factory=dict)
    wrappers: dict[str, Wrapper] = field(default_factory=dict)  # function name -> how it wraps a request
    wrapper_uses: list[WrapperUse] = field(default_factory=list)  # calls handing a function an API path


class _Scope:
    __slots__ = ("names", "parent")

    def __init__(self, parent: _Scope | None) -> None:
        self.names: dict[str, Any] = {}
        self.parent = parent

    def lookup(self, name: str) -> tuple[bool, Any]:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.names:
                return True, scope.names[name]
            scope = scope.parent
        return False, None


@dataclass(slots=True)
class _Frame:
    scope: _Scope
    cls: ClassInfo | None = None  # the class of ``self`` inside a method
    self_name: str | None = None
    func: FuncInfo | None = None
    params: tuple[str, ...] = ()  # the function's parameters (``self`` not counted), for wrappers
    kwarg: str | None = None
    jobs: list[Callable[[], None]] = field(default_factory=list)
    class_body: ClassInfo | None = None  # set while running a class body
    methods: list[ast.FunctionDef | ast.AsyncFunctionDef] = field(default_factory=list)


def scan_module(tree: ast.Module, lines: list[str]) -> ModuleScan:
    scanner = _Scanner(lines)
    frame = _Frame(_Scope(None))
    journal_reset()
    try:
        scanner.block(tree.body, frame)
        scanner.run_jobs(frame)
    finally:
        journal_reset()
    return scanner.result


class _Scanner:
    # Dispatch by node type (functions taking the scanner: no per-file tables, no cycles through them).
    _EXPR: ClassVar[dict[type, Callable[[Any, Any, _Frame], Any]]] = {}
    _STMT: ClassVar[dict[type, Callable[[Any, Any, _Frame], None]]] = {}

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.result = ModuleScan()

    # == statements ======================================================================
    def block(self, body: Iterable[ast.stmt], fr: _Frame) -> None:
        handlers = self._STMT
        for stmt in body:
            handler = handlers.get(type(stmt))
            if handler is not None:
                handler(self, stmt, fr)
            else:  # raise, assert, global, pass, ...: only look for calls inside
                for child in ast.iter_child_nodes(stmt):
                    if isinstance(child, ast.expr):
                        self.walk(child, fr)

    def run_jobs(self, fr: _Frame) -> None:
        # In place: a class body shares its frame's list, so classes in classes land here too.
        while fr.jobs:
            fr.jobs.pop(0)()

    def _expr_statement(self, node: ast.Expr, fr: _Frame) -> None:
        self.ev(node.value, fr)

    def _await(self, node: ast.Await, fr: _Frame) -> Any:
        return self.ev(node.value, fr)

    def _assign(self, node: ast.Assign, fr: _Frame) -> None:
        value = self.ev(node.value, fr)
        for target in node.targets:
            self.bind(target, value, fr)

    def _annassign(self, node: ast.AnnAssign, fr: _Frame) -> None:
        if node.value is not None:
            self.bind(node.target, self.ev(node.value, fr), fr)
        elif _names_client_class(node.annotation):
            self.bind(node.target, Chain(CLIENT_ROOT, ()), fr)

    def _augassign(self, node: ast.AugAssign, fr: _Frame) -> None:
        before = self.ev(node.target, fr) if isinstance(node.target, ast.Name | ast.Attribute) else None
        value = self.ev(node.value, fr)
        if isinstance(node.op, ast.Add):
            self.bind(node.target, concat(before, value), fr)
        elif isinstance(node.op, ast.BitOr) and isinstance(before, Params):
            merge_into(before, value)
        else:
            self.bind(node.target, None, fr)

    def _return(self, node: ast.Return, fr: _Frame) -> None:
        value = self.ev(node.value, fr) if node.value is not None else None
        if fr.func is not None:
            fr.func.returns.append(value)

    def _if(self, node: ast.If | ast.While, fr: _Frame) -> None:
        self.walk(node.test, fr)
        self._branches([node.body, node.orelse], fr)

    def _branches(self, bodies: list[list[ast.stmt]], fr: _Frame) -> None:
        """Each branch sees the dicts as they were before the branches; after them, what any branch set."""
        changes = []
        for body in bodies:
            mark = journal_mark()
            self.block(body, fr)
            changes.append(set_aside(mark))
        for change in changes:
            bring_back(change)

    def _for(self, node: ast.For | ast.AsyncFor, fr: _Frame) -> None:
        self.walk(node.iter, fr)
        self.bind(node.target, None, fr)
        self.block(node.body, fr)
        self.block(node.orelse, fr)

    def _with(self, node: ast.With | ast.AsyncWith, fr: _Frame) -> None:
        for item in node.items:
            value = self.ev(item.context_expr, fr)
            if item.optional_vars is not None:
                # ``with ProxmoxVE(...) as pve`` gives the client itself; anything else is unknown.
                self.bind(item.optional_vars, value if isinstance(value, Chain) else None, fr)
        self.block(node.body, fr)

    def _try(self, node: ast.Try, fr: _Frame) -> None:
        self.block(node.body, fr)
        for handler in node.handlers:
            if handler.type is not None:
                self.walk(handler.type, fr)
            if handler.name:
                fr.scope.names[handler.name] = None
            self.block(handler.body, fr)
        self.block(node.orelse, fr)
        self.block(node.finalbody, fr)

    def _match(self, node: ast.Match, fr: _Frame) -> None:
        self.walk(node.subject, fr)
        for case in node.cases:
            if case.guard is not None:
                self.walk(case.guard, fr)
        self._branches([case.body for case in node.cases], fr)

    def _delete(self, node: ast.Delete, fr: _Frame) -> None:
        for target in node.targets:
            if isinstance(target, ast.Subscript):
                base = self.ev(target.value, fr)
                key = self.ev(target.slice, fr)
                if isinstance(base, Params):
                    name = dict_key(key)
                    if name is None:
                        base.incomplete()
                    else:
                        base.remove(name)
            elif isinstance(target, ast.Name):
                fr.scope.names[target.id] = None

    def _import(self, node: ast.Import, fr: _Frame) -> None:
        for alias in node.names:
            fr.scope.names[alias.asname or alias.name.partition(".")[0]] = _MODULE

    def _import_from(self, node: ast.ImportFrom, fr: _Frame) -> None:
        for alias in node.names:
            bound = alias.asname or alias.name
            # ``from .connect import api``: whatever the other module made it (decided over the tree).
            fr.scope.names[bound] = (
                ClientClass(alias.name) if alias.name in CLIENT_CLASSES else Chain(Root("name", alias.name), ())
            )

    # -- definitions --------------------------------------------------------------------
    def _def(self, node: ast.FunctionDef | ast.AsyncFunctionDef, fr: _Frame) -> None:
        for decorator in node.decorator_list:
            self.walk(decorator, fr)
        for default in (*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)):
            self.walk(default, fr)
        if fr.class_body is not None:
            fr.methods.append(node)
            return
        info = FuncInfo(node.name)
        fr.scope.names[node.name] = info
        fr.jobs.append(lambda: self._function(node, fr.scope, info, None))

    def _function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, parent: _Scope, info: FuncInfo | None,
        cls: ClassInfo | None,
    ) -> None:  # fmt: skip
        inner = _Frame(_Scope(parent), func=info)
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        is_static = not isinstance(node, ast.Lambda) and any(
            isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list
        )
        if cls is not None and positional and not is_static:
            inner.cls, inner.self_name = cls, positional[0].arg
            inner.scope.names[positional[0].arg] = Instance(cls)
            positional = positional[1:]
        for arg in (*positional, *args.kwonlyargs):
            if arg.annotation is not None and _names_client_class(arg.annotation):
                inner.scope.names[arg.arg] = Chain(CLIENT_ROOT, ())
            else:  # made by a caller: a late root (a client if the tree makes one under that name)
                inner.scope.names[arg.arg] = _late(arg.arg)
        for star in (args.vararg, args.kwarg):
            if star is not None:
                inner.scope.names[star.arg] = None
        inner.params = tuple(arg.arg for arg in positional)
        inner.kwarg = args.kwarg.arg if args.kwarg is not None else None
        if isinstance(node, ast.Lambda):
            self.walk(node.body, inner)
        else:
            self.block(node.body, inner)
        if info is not None:
            info.scanned = True
            for value in info.returns:
                if isinstance(value, Chain) and value.root == CLIENT_ROOT and not value.segments:
                    self.result.client_keys.add(f"{info.name}()")
        self.run_jobs(inner)

    def _class(self, node: ast.ClassDef, fr: _Frame) -> None:
        for expr in (*node.decorator_list, *node.bases, *(k.value for k in node.keywords)):
            self.walk(expr, fr)
        info = ClassInfo(node.name)
        # Methods run once the enclosing scope is complete (with the module, after its last line).
        body = _Frame(_Scope(fr.scope), class_body=info, jobs=fr.jobs)
        self.block(node.body, body)
        fr.scope.names[node.name] = Instance(info)  # Cls.attr reads what the class body set
        outer = _outer_scope(fr)
        fr.jobs.append(lambda: self._methods(info, body.methods, outer))

    def _methods(self, info: ClassInfo, methods: list[ast.FunctionDef | ast.AsyncFunctionDef], outer: _Scope) -> None:
        # __init__ (and other set-up methods) first: they give ``self.x`` what the others read.
        order = sorted(methods, key=lambda m: m.name not in ("__init__", "__post_init__", "setUp", "setup"))
        found: dict[int, list[Found]] = {}
        missed: dict[int, set[str]] = {}
        for index, method in enumerate(order):
            found[index], missed[index] = self._method(info, method, outer)
        for index, method in enumerate(order):
            if missed[index] & set(info.attrs):  # read before another method set it: once more
                found[index], _ = self._method(info, method, outer)
        for index in range(len(order)):
            self.result.found.extend(found[index])

    def _method(
        self, info: ClassInfo, method: ast.FunctionDef | ast.AsyncFunctionDef, outer: _Scope
    ) -> tuple[list[Found], set[str]]:
        start = len(self.result.found)
        info.missed = set()
        self._function(method, outer, FuncInfo(method.name), info)
        calls = self.result.found[start:]
        del self.result.found[start:]
        return calls, info.missed

    # -- binding ------------------------------------------------------------------------
    def bind(self, target: ast.expr, value: Any, fr: _Frame) -> None:
        if isinstance(target, ast.Name):
            fr.scope.names[target.id] = value
            if fr.class_body is not None:
                fr.class_body.attrs[target.id] = value
            if fr.class_body is not None or fr.scope.parent is None:
                self._teach(target.id, value)  # module and class names: other modules can reach them
        elif isinstance(target, ast.Attribute):
            base = self.ev(target.value, fr)
            if isinstance(base, Instance):
                base.cls.attrs[target.attr] = value
                self._teach(target.attr, value)
        elif isinstance(target, ast.Subscript):
            base = self.ev(target.value, fr)
            if isinstance(base, Params):
                name = dict_key(self.ev(target.slice, fr))
                if name is None:
                    base.incomplete()
                else:
                    base.put(name, value)
        elif isinstance(target, ast.Tuple | ast.List):
            items = value.items if isinstance(value, Seq) and len(value.items) == len(target.elts) else None
            for index, element in enumerate(target.elts):
                self.bind(element, None if items is None else items[index], fr)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, None, fr)

    def _teach(self, key: str, value: Any) -> None:
        """A client (or a resource of one) stored under a name other modules may use."""
        if isinstance(value, Chain) and value.root == CLIENT_ROOT:
            if value.segments:
                self.result.prefixes.setdefault(key, set()).add(value.segments)
            else:
                self.result.client_keys.add(key)

    # == expressions =====================================================================
    def walk(self, node: ast.expr, fr: _Frame) -> None:
        self.ev(node, fr)

    def ev(self, node: ast.expr, fr: _Frame) -> Any:
        kind = node.__class__
        if kind is ast.Name:  # the most frequent nodes, inline
            scope: _Scope | None = fr.scope
            name = node.id  # type: ignore[attr-defined]
            while scope is not None:
                names = scope.names
                if name in names:
                    return names[name]
                scope = scope.parent
            return ClientClass(name) if name in CLIENT_CLASSES else _late(name)
        if kind is ast.Constant:
            value = node.value  # type: ignore[attr-defined]
            return Text((value,)) if value.__class__ is str else Const(value)
        handler = self._EXPR.get(kind)
        if handler is not None:
            return handler(self, node, fr)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.ev(child, fr)
            elif isinstance(child, ast.comprehension):
                self._generator(child, fr)
        return None

    def _constant(self, node: ast.Constant, fr: _Frame) -> Any:
        return Text((node.value,)) if isinstance(node.value, str) else Const(node.value)

    def _name(self, node: ast.Name, fr: _Frame) -> Any:
        bound, value = fr.scope.lookup(node.id)
        if bound:
            return value
        if node.id in CLIENT_CLASSES:
            return ClientClass(node.id)
        return _late(node.id)

    # Nodes with nothing to evaluate themselves: only their children may hold calls.
    def _children(self, node: ast.expr, fr: _Frame) -> Any:
        for field_name in node._fields:
            child = getattr(node, field_name)
            if isinstance(child, ast.expr):
                self.ev(child, fr)
            elif isinstance(child, list):
                for item in child:
                    if isinstance(item, ast.expr):
                        self.ev(item, fr)
        return None

    def _compare(self, node: ast.Compare, fr: _Frame) -> Any:
        self.ev(node.left, fr)
        for item in node.comparators:
            self.ev(item, fr)
        return None

    def _boolop(self, node: ast.BoolOp, fr: _Frame) -> Any:
        for item in node.values:
            self.ev(item, fr)
        return None

    def _unary(self, node: ast.UnaryOp, fr: _Frame) -> Any:
        self.ev(node.operand, fr)
        return None

    def _subscript(self, node: ast.Subscript, fr: _Frame) -> Any:
        self.ev(node.value, fr)
        self.ev(node.slice, fr)
        return None

    def _attribute(self, node: ast.Attribute, fr: _Frame) -> Any:
        base = self.ev(node.value, fr)
        name = node.attr
        if isinstance(base, Chain):
            if name.startswith("_"):
                return None
            if name in CLIENT_CLASSES and base.root.kind != "client":
                return ClientClass(name)  # proxmoxer.ProxmoxAPI, proxmoxer.core.ProxmoxAPI
            return _extend(base, Segment((name,), True))
        if isinstance(base, Instance):
            return self._self_attr(base, name)
        if base is _MODULE:  # a module's global: ``connect.api``
            return ClientClass(name) if name in CLIENT_CLASSES else Chain(Root("name", name), ())
        if isinstance(base, ClientClass) and name in _FACTORY_METHODS:
            return _FACTORY
        return None

    def _self_attr(self, instance: Instance, name: str) -> Any:
        if name in instance.cls.attrs:
            return instance.cls.attrs[name]
        instance.cls.missed.add(name)
        return Chain(Root("attr", name), ())

    def _joined(self, node: ast.JoinedStr, fr: _Frame) -> Any:
        pieces: list[str | None] = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                pieces.append(str(part.value))
                continue
            assert isinstance(part, ast.FormattedValue)
            value = self.ev(part.value, fr)
            if part.format_spec is not None:
                self.ev(part.format_spec, fr)
            plain = part.conversion in (-1, ord("s")) and part.format_spec is None
            pieces.extend(pieces_of(value) if plain else [None])
        return Text(tidy(pieces))

    def _binop(self, node: ast.BinOp, fr: _Frame) -> Any:
        left, right = self.ev(node.left, fr), self.ev(node.right, fr)
        if isinstance(node.op, ast.Add):
            return concat(left, right)
        if isinstance(node.op, ast.Mod) and isinstance(left, Text):
            return percent_format(left, right)
        if isinstance(node.op, ast.BitOr) and isinstance(left, Params):
            merged = left.copy()
            merge_into(merged, right)
            return merged
        return None

    def _dict(self, node: ast.Dict, fr: _Frame) -> Any:
        params = Params()
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            value = self.ev(value_node, fr)
            if key_node is None:
                merge_into(params, value)
                continue
            name = dict_key(self.ev(key_node, fr))
            if name is None:
                params.incomplete()
            else:
                params.put(name, value)
        return params

    def _sequence(self, node: ast.Tuple | ast.List, fr: _Frame) -> Any:
        items = [self.ev(element, fr) for element in node.elts]
        if any(isinstance(element, ast.Starred) for element in node.elts):
            return None
        return Seq(tuple(items))

    def _ifexp(self, node: ast.IfExp, fr: _Frame) -> Any:
        self.walk(node.test, fr)
        body, orelse = self.ev(node.body, fr), self.ev(node.orelse, fr)
        if body == orelse:
            return body
        # Two resources of one chain (``api.nodes(n).qemu if vm else api.nodes(n).lxc``): the segments
        # that differ are computed.
        if isinstance(body, Chain) and isinstance(orelse, Chain) and body.root == orelse.root:
            first, second = body.segments, orelse.segments
            if first is not None and second is not None and len(first) == len(second):
                return Chain(body.root, tuple(a if a == b else hole() for a, b in zip(first, second, strict=True)))
        return None

    def _walrus(self, node: ast.NamedExpr, fr: _Frame) -> Any:
        value = self.ev(node.value, fr)
        self.bind(node.target, value, fr)
        return value

    def _lambda(self, node: ast.Lambda, fr: _Frame) -> Any:
        self._function(node, fr.scope, None, None)  # ``self`` is still reachable through the scope
        return None

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp, fr: _Frame) -> Any:
        inner = _Frame(_Scope(fr.scope), cls=fr.cls, self_name=fr.self_name, func=fr.func, params=fr.params)
        inner.kwarg = fr.kwarg
        for generator in node.generators:
            self._generator(generator, inner)
        if isinstance(node, ast.DictComp):
            self.walk(node.key, inner)
            self.walk(node.value, inner)
        else:
            self.walk(node.elt, inner)
        return None

    def _generator(self, generator: ast.comprehension, fr: _Frame) -> None:
        self.walk(generator.iter, fr)
        self.bind(generator.target, None, fr)
        for condition in generator.ifs:
            self.walk(condition, fr)

    # == calls ===========================================================================
    def _call(self, node: ast.Call, fr: _Frame) -> Any:
        func = node.func
        owner: Any = None
        if isinstance(func, ast.Attribute):
            owner = self.ev(func.value, fr)
            callee = func.attr
            function: Any = None
        else:
            function = self.ev(func, fr)
            callee = func.id if isinstance(func, ast.Name) else ""
        ev = self.ev
        args = []
        starred = False
        for arg in node.args:
            if arg.__class__ is ast.Starred:
                starred = True
                arg = arg.value
            args.append(ev(arg, fr))
        keywords = [(kw.arg, ev(kw.value, fr)) for kw in node.keywords] if node.keywords else []

        url = _url_argument(args, keywords)
        if url is not None and callee not in _NOT_SENDERS:
            self._http(node, callee, url, args, keywords, starred, fr)
            return None
        recorded = len(self.result.found)
        if isinstance(func, ast.Attribute):
            result = self._method_call(node, owner, callee, args, keywords, starred, fr)
        else:
            result = self._function_call(callee, function, args, keywords, fr)
        found = self.result.found
        # Maybe one of the code's own request wrappers (``session.get("/nodes")``): decided with the tree,
        # with the arguments as they are now.
        if args and callee and _api_path_argument(args) and _unsure(found, recorded):
            line, column = node.lineno, _column(self.lines, node.lineno, node.col_offset)
            given = tuple(_snapshot(arg) for arg in args)
            named = tuple((name, _snapshot(value)) for name, value in keywords)
            self.result.wrapper_uses.append(WrapperUse(callee, line, column, _excerpt(self.lines, node), given, named))
        if len(found) == recorded and not isinstance(owner, Params):
            forget_dicts(callee, args, keywords)  # handed to code the scan does not follow
        return None if result is _UNHANDLED else result

    def _method_call(
        self, node: ast.Call, owner: Any, callee: str, args: list[Any], keywords: list[tuple[str | None, Any]],
        starred: bool, fr: _Frame,
    ) -> Any:  # fmt: skip
        if isinstance(owner, Chain):
            if callee in VERBS:
                self._chain_call(node, owner, VERBS[callee], args, keywords, starred, fr)
                return None
            if callee in _CLIENT_HELPERS:
                self._helper_call(node, owner, callee, args, keywords)
                return None
            if callee.startswith("_"):
                return _UNHANDLED
            if callee in CLIENT_CLASSES:
                return Chain(CLIENT_ROOT, ())
            # proxmoxer's __call__ on an attribute: api.nodes(n) adds "nodes" then n.
            return _called(_extend(owner, Segment((callee,), True)), args, starred)
        if owner is _FACTORY or (isinstance(owner, ClientClass) and callee in _FACTORY_METHODS):
            return Chain(CLIENT_ROOT, ())
        if callee in CLIENT_CLASSES:  # proxmoxer.ProxmoxAPI(...), proxmoxer.core.ProxmoxAPI(...)
            return Chain(CLIENT_ROOT, ())
        if isinstance(owner, Params):
            return dict_method(owner, callee, args, keywords)
        if isinstance(owner, Text):
            return text_method(owner, callee, args, keywords)
        if isinstance(owner, Instance):
            value = self._self_attr(owner, callee)
            if isinstance(value, FuncInfo):
                return _function_result(value)
            if isinstance(value, Chain) and value.root.kind == "attr" and value.root.name == callee:
                return Chain(Root("call", callee), ())  # a method of this class we have not seen return
            return _called(value, args, starred) if isinstance(value, Chain) else _UNHANDLED
        return _UNHANDLED

    def _function_call(
        self, callee: str, function: Any, args: list[Any], keywords: list[tuple[str | None, Any]], fr: _Frame
    ) -> Any:
        if isinstance(function, ClientClass) or function is _FACTORY:
            return Chain(CLIENT_ROOT, ())
        if callee == "getattr" and len(args) >= 2:
            owner, name = args[0], args[1]
            if isinstance(owner, Chain):
                text = name.literal if isinstance(name, Text) else None
                return _extend(owner, hole() if text is None else literal(text))
            if isinstance(owner, Instance) and isinstance(name, Text) and name.literal is not None:
                return self._self_attr(owner, name.literal)
            return None
        if callee == "dict" and isinstance(function, Chain) and function.root.kind == "name":
            params = args[0].copy() if args and isinstance(args[0], Params) else Params(complete=not args)
            for name, value in keywords:
                if name is None:
                    merge_into(params, value)
                else:
                    params.put(name, value)
            return params
        if callee == "str" and args and isinstance(args[0], Text):
            return args[0]
        if isinstance(function, FuncInfo):
            return _function_result(function)
        if isinstance(function, Chain):
            if function.root.kind == "name" and function.segments == ():
                return Chain(Root("call", callee), ())  # a function from elsewhere: a client if it makes one
            return _called(function, args, False)
        return _UNHANDLED

    # -- recording ------------------------------------------------------------------------
    def _chain_call(
        self, node: ast.Call, chain: Chain, method: str, args: list[Any], keywords: list[tuple[str | None, Any]],
        starred: bool, fr: _Frame,
    ) -> None:  # fmt: skip
        segments: tuple[Segment, ...] | None = chain.segments
        for arg in args:
            segments = _add_segments(segments, arg)
        if starred:
            segments = None
        params, complete = keyword_params(keywords)
        path_part: list[ast.AST] = [node.func, *node.args]  # api(path).get() or api.get(path)
        wraps = self._wrapper(node, fr, method, path_part) if segments is None else None
        self._record(node, method, chain.root, segments, params, complete, lead=len(chain.segments or ()), wraps=wraps)

    def _helper_call(
        self, node: ast.Call, chain: Chain, callee: str, args: list[Any], keywords: list[tuple[str | None, Any]]
    ) -> None:
        if chain.segments:
            return  # helpers live on the client itself
        method, fixed, path_index = _CLIENT_HELPERS[callee]
        segments: tuple[Segment, ...] | None = fixed
        params: dict[str, Any] = {}
        complete = True
        if path_index is not None:
            path = args[path_index] if len(args) > path_index else None
            segments = None
            if isinstance(path, Text):
                segments, params, complete = split_template(path.pieces, after_marker=False)
            if method is None:
                verb = args[0].literal if args and isinstance(args[0], Text) else None
                method = verb.upper() if verb and verb.upper() in METHODS else None
            extra, extra_complete = keyword_params(keywords)
            params.update(extra)
            complete = complete and extra_complete
        else:
            wanted = _HELPER_PARAMS.get(callee, ())
            for name, value in keywords:
                if name is not None and name.replace("_", "-") in wanted:
                    params[name.replace("_", "-")] = literal_value(value)
        self._record(node, method, chain.root, segments, params, complete, lead=0, helper=True)

    def _http(
        self, node: ast.Call, callee: str, url: Text, args: list[Any], keywords: list[tuple[str | None, Any]],
        starred: bool, fr: _Frame,
    ) -> None:  # fmt: skip
        segments, params, complete = split_template(url.pieces, after_marker=True)
        for name, value in keywords:
            if value is url:
                continue
            if name in _BODY_KEYWORDS:
                complete = add_body(params, value) and complete
            elif name is None or name not in _TRANSPORT_KEYWORDS:
                complete = False  # a wrapper's own keyword, or **kwargs: may carry parameters
        for arg in args:
            if arg is url or isinstance(arg, Const) or (isinstance(arg, Text) and _http_verb(arg) is not None):
                continue
            complete = add_body(params, arg) and complete
        if starred:
            complete = False
        method = _http_method(callee, args, keywords)
        url_nodes = [arg for arg, value in zip(node.args, args, strict=False) if value is url]
        url_nodes += [kw.value for kw, (_, value) in zip(node.keywords, keywords, strict=False) if value is url]
        wraps = self._wrapper(node, fr, method, url_nodes) if segments is None else None
        self._record(node, method, None, segments, params, complete, wraps=wraps)

    def _wrapper(self, node: ast.Call, fr: _Frame, method: str | None, path_part: Sequence[ast.AST]) -> str | None:
        """Is this request's whole path a parameter of the function it is in? Then the function (its
        name returned) is a wrapper: its callers' paths are the calls (``calls_through_wrappers``)."""
        if fr.func is None or not fr.params:
            return None
        used = {name.id for name in ast.walk(node) if isinstance(name, ast.Name)}
        in_path = {name.id for part in path_part for name in ast.walk(part) if isinstance(name, ast.Name)}
        path_index = next(
            (i for i, p in enumerate(fr.params) if p in in_path and fr.scope.names.get(p) == _late(p)), None
        )
        if path_index is None:
            return None
        method_index = None
        if method is None:
            given = [*node.args, *(kw.value for kw in node.keywords if kw.arg == "method")]
            names = [arg.id for arg in given if isinstance(arg, ast.Name) and arg.id in fr.params]
            method_index = fr.params.index(names[0]) if names else None
        body = tuple(
            fr.params.index(kw.value.id)
            for kw in node.keywords
            if (kw.arg in _BODY_KEYWORDS or kw.arg is None)
            and isinstance(kw.value, ast.Name)
            and kw.value.id in fr.params
        )
        kwargs = fr.kwarg is not None and fr.kwarg in used
        wrapper = Wrapper(path_index, method, method_index, kwargs, body)
        self.result.wrappers.setdefault(fr.func.name, wrapper)
        return fr.func.name

    def _record(
        self, node: ast.Call, method: str | None, root: Root | None, segments: tuple[Segment, ...] | None,
        params: dict[str, Any], complete: bool, *, lead: int = 0, helper: bool = False, wraps: str | None = None,
    ) -> None:  # fmt: skip
        line, column = node.lineno, _column(self.lines, node.lineno, node.col_offset)
        text = _excerpt(self.lines, node)
        found = Found(line, column, text, method, root, segments, params, complete, lead, helper, wraps)
        self.result.found.append(found)


_Scanner._EXPR.update(
    {
        ast.Constant: _Scanner._constant,
        ast.Name: _Scanner._name,
        ast.Attribute: _Scanner._attribute,
        ast.Call: _Scanner._call,
        ast.JoinedStr: _Scanner._joined,
        ast.BinOp: _Scanner._binop,
        ast.Dict: _Scanner._dict,
        ast.Tuple: _Scanner._sequence,
        ast.List: _Scanner._sequence,
        ast.Await: _Scanner._await,
        ast.IfExp: _Scanner._ifexp,
        ast.NamedExpr: _Scanner._walrus,
        ast.Lambda: _Scanner._lambda,
        ast.ListComp: _Scanner._comprehension,
        ast.SetComp: _Scanner._comprehension,
        ast.GeneratorExp: _Scanner._comprehension,
        ast.DictComp: _Scanner._comprehension,
        ast.Compare: _Scanner._compare,
        ast.BoolOp: _Scanner._boolop,
        ast.UnaryOp: _Scanner._unary,
        ast.Subscript: _Scanner._subscript,
        ast.Starred: _Scanner._children,
        ast.Slice: _Scanner._children,
        ast.Set: _Scanner._children,
        ast.Yield: _Scanner._children,
        ast.YieldFrom: _Scanner._children,
        ast.FormattedValue: _Scanner._children,
    }
)
# Late roots are immutable: one per name for all files.
_LATE_NAMES: dict[str, Chain] = {}


def _late(name: str) -> Chain:
    late = _LATE_NAMES.get(name)
    if late is None:
        late = _LATE_NAMES[name] = Chain(Root("name", name), ())
    return late


def _unsure(found: list[Found], recorded: int) -> bool:
    """Nothing recorded, or a call on a chain whose root is not certainly a client."""
    return len(found) == recorded or (found[-1].root is not None and found[-1].root.kind != "client")


def _snapshot(value: Any) -> Any:
    return value.copy() if isinstance(value, Params) else value


def _api_path_argument(args: list[Any]) -> bool:
    return any(
        arg.__class__ is Text and isinstance(arg.pieces[0], str) and API_PATH.match(arg.pieces[0]) for arg in args
    )


_Scanner._STMT.update(
    {
        ast.Expr: _Scanner._expr_statement,
        ast.Assign: _Scanner._assign,
        ast.AnnAssign: _Scanner._annassign,
        ast.AugAssign: _Scanner._augassign,
        ast.Return: _Scanner._return,
        ast.If: _Scanner._if,
        ast.While: _Scanner._if,
        ast.For: _Scanner._for,
        ast.AsyncFor: _Scanner._for,
        ast.With: _Scanner._with,
        ast.AsyncWith: _Scanner._with,
        ast.Try: _Scanner._try,
        ast.TryStar: _Scanner._try,
        ast.Match: _Scanner._match,
        ast.FunctionDef: _Scanner._def,
        ast.AsyncFunctionDef: _Scanner._def,
        ast.ClassDef: _Scanner._class,
        ast.Import: _Scanner._import,
        ast.ImportFrom: _Scanner._import_from,
        ast.Delete: _Scanner._delete,
    }
)


# == helpers (pure) ========================================================================
class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_MODULE = _Marker("module")  # ``import proxmoxer``: attributes of a module
_FACTORY = _Marker("factory")  # ``ProxmoxVE.from_env``
_UNHANDLED = _Marker("unhandled")


def _outer_scope(fr: _Frame) -> _Scope:
    """The scope methods see: a class body's own names are not visible inside its methods."""
    return fr.scope.parent if fr.class_body is not None and fr.scope.parent is not None else fr.scope


def _names_client_class(annotation: ast.expr) -> bool:
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return any(name in annotation.value for name in CLIENT_CLASSES)
    if isinstance(annotation, ast.Name):
        return annotation.id in CLIENT_CLASSES
    if isinstance(annotation, ast.Attribute):
        return annotation.attr in CLIENT_CLASSES
    if isinstance(annotation, ast.BinOp):  # ProxmoxAPI | None
        return _names_client_class(annotation.left) or _names_client_class(annotation.right)
    if isinstance(annotation, ast.Subscript):  # Optional[ProxmoxAPI]
        return _names_client_class(annotation.slice)
    return False


def _function_result(function: FuncInfo) -> Any:
    for value in function.returns:
        if isinstance(value, Chain) and value.root == CLIENT_ROOT:
            return value
    if not function.scanned:
        return Chain(Root("call", function.name), ())  # not scanned yet: decided with the whole tree
    return None


def _extend(chain: Chain, segment: Segment) -> Chain:
    return Chain(chain.root, None if chain.segments is None else (*chain.segments, segment))


def _called(chain: Chain, args: list[Any], starred: bool) -> Chain:
    """proxmoxer's ``resource(x)``: a string adds its ``/``-separated parts, a tuple each item, None nothing."""
    if starred:
        return Chain(chain.root, None)
    segments: tuple[Segment, ...] | None = chain.segments
    for arg in args[:1]:
        segments = _add_segments(segments, arg)
    return Chain(chain.root, segments)


def _add_segments(segments: tuple[Segment, ...] | None, value: Any) -> tuple[Segment, ...] | None:
    """The segments after handing ``value`` to a resource. A computed value is one segment (an id after
    its collection: ``nodes(n)``), except first on a client, where it is a path of any length."""
    if segments is None:
        return None
    if isinstance(value, Const):
        if value.value is None or value.value == "":
            return segments
        return (*segments, literal(str(int(value.value) if isinstance(value.value, bool) else value.value)))
    if isinstance(value, Text):
        found, _, _ = split_template(value.pieces, after_marker=False)
        return None if found is None else (*segments, *found)
    if isinstance(value, Seq):
        for item in value.items:
            segments = _add_segments(segments, item)
        return segments
    return (*segments, hole()) if segments else None


def _url_argument(args: list[Any], keywords: list[tuple[str | None, Any]]) -> Text | None:
    for value in args:
        if value.__class__ is Text and find_marker(value.pieces) is not None:
            return value
    for _, value in keywords:
        if value.__class__ is Text and find_marker(value.pieces) is not None:
            return value
    return None


def _http_verb(value: Text) -> str | None:
    text = value.literal
    return text.upper() if text is not None and text.upper() in METHODS else None


def _http_method(callee: str, args: list[Any], keywords: list[tuple[str | None, Any]]) -> str | None:
    """The method a request uses when the code shows it: a literal argument, else the callee's name."""
    for name, value in keywords:
        if name == "method":
            return _http_verb(value) if isinstance(value, Text) else None
    for arg in args:
        if isinstance(arg, Text) and _http_verb(arg) is not None:
            return _http_verb(arg)
    verbs = {word.upper() for word in _WORD.findall(callee)} & set(METHODS)
    return verbs.pop() if len(verbs) == 1 else None


def _column(lines: list[str], line: int, offset: int) -> int:
    """1-based character column of a byte offset (ast counts UTF-8 bytes)."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if text.isascii():
        return offset + 1
    return len(text.encode("utf-8")[:offset].decode("utf-8", "replace")) + 1


def _excerpt(lines: list[str], node: ast.Call) -> str:
    """The call as written (joined onto one line, secret literals masked, cut to a readable length)."""
    first, last = node.lineno, node.end_lineno or node.lineno
    if not 0 < first <= len(lines):
        return ""
    start = _column(lines, first, node.col_offset) - 1
    end_col = node.end_col_offset
    chunk = lines[first - 1 : min(last, first + 8, len(lines))]
    if last == first and end_col is not None:
        text = chunk[0][start : _column(lines, first, end_col) - 1]
    else:
        text = chunk[0][start:] + "".join(line.strip() for line in chunk[1:])
    text = _mask_secrets(text, node)
    return text if len(text) <= _EXCERPT_LIMIT else text[: _EXCERPT_LIMIT - 3] + "..."


def _mask_secrets(text: str, node: ast.Call) -> str:
    for keyword in node.keywords:
        value = keyword.value
        secret = keyword.arg is not None and secret_name(keyword.arg)
        if secret and isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
            text = text.replace(repr(value.value), MASK).replace(f'"{value.value}"', MASK)
    return text
