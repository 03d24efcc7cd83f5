"""Hypothesis strategies for random specs in our format (shared by the property tests)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from pvegen.model import path_placeholders, path_shape

# Text that tries to break things: quotes, backslashes, template syntax, NUL, newlines, unicode.
HOSTILE = st.sampled_from(['"""', "'''", "\\", "{{ x }}", "{% if %}", "\x00", "\n", "é漢", "def", "0abc", "</script>"])
TEXT = st.one_of(st.text(max_size=12), st.lists(HOSTILE, min_size=1, max_size=3).map("".join))
NAME = st.from_regex(r"\A[a-z][a-z0-9_-]{0,10}(\[n\])?\Z")
SCALAR = st.one_of(st.integers(-(2**40), 2**40), st.booleans(), TEXT, st.none())


def schemas(depth: int = 2) -> st.SearchStrategy[dict[str, Any]]:
    leaf = st.fixed_dictionaries(
        {"type": st.sampled_from(["string", "integer", "number", "boolean", "null", "any"])},
        optional={
            "optional": st.sampled_from([0, 1, "1", True]),
            "description": TEXT,
            "enum": st.one_of(st.none(), st.lists(TEXT, min_size=1, max_size=4, unique=True)),
            "minimum": st.one_of(st.integers(-5, 5), st.just("0")),
            "maxLength": st.integers(1, 64),
            "pattern": st.sampled_from(["(?^:[a-z]+)", "\\d+", "(?^i:x|y)"]),
            "default": SCALAR,
            "format": st.sampled_from(["pve-vmid", "pve-node", "ip"]),
            "x-custom": st.one_of(SCALAR, st.lists(SCALAR, max_size=3)),
        },
    )
    if depth == 0:
        return leaf
    child = schemas(depth - 1)
    return st.one_of(
        leaf,
        st.fixed_dictionaries(
            {"type": st.just("object"), "properties": st.dictionaries(NAME, child, max_size=3)},
            optional={"additionalProperties": st.one_of(st.sampled_from([0, 1]), child)},
        ),
        st.fixed_dictionaries({"type": st.just("array"), "items": child}),
        st.fixed_dictionaries(
            {"type": st.just("string"), "format": st.dictionaries(NAME, child, min_size=1, max_size=3)}
        ),
    )


def operations() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "method": st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
            "path": st.lists(st.from_regex(r"\A(\{[a-z]{1,5}\}|[a-z][a-z-]{0,6})\Z"), min_size=1, max_size=4).map(
                lambda segs: "/" + "/".join(segs)
            ),
            "parameters": st.dictionaries(NAME, schemas(1), max_size=4),
        },
        optional={
            "name": NAME,
            "summary": TEXT,
            "open": st.booleans(),
            "returns": schemas(2),
            "allowtoken": st.sampled_from([0, 1]),
            "protected": st.sampled_from([0, 1]),
            "proxyto": st.one_of(st.none(), st.just("node")),
            "permissions": st.one_of(
                st.none(),
                st.fixed_dictionaries({"check": st.just(["perm", "/", ["Sys.Audit"]])}, optional={"description": TEXT}),
            ),
            "download_allowed": st.just(1),
        },
    )


def routable_operations(ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The operations a server could route (what the loader accepts): the first of those sharing a
    method and URL shape (``/x/{a}``, ``/x/{b}``), none naming a placeholder twice."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for op in ops:
        key = (op["method"], path_shape(op["path"]))
        placeholders = path_placeholders(op["path"])
        if key not in seen and len(set(placeholders)) == len(placeholders):
            seen.add(key)
            kept.append(op)
    return kept


def documents() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "format": st.just("pvegen-spec/1"),
            "product": st.just("pve"),
            "operations": st.lists(operations(), max_size=6).map(routable_operations),
        },
        optional={"version": st.from_regex(r"\A[0-9]\.[0-9]\Z")},
    )


# -- hostile but valid documents (generator fuzzing) ---------------------------------------------
# Built for volume: most values come from pools with one draw each, and a schema draws only the
# keys it picks, so thousands of examples stay cheap to generate.

PWNED_FLAG = "PVEGEN_FUZZ_PWNED"  # an attribute of builtins that only executed spec text would set

_ODD = ["", " ", "\t", "\\", "\\\\", '"', "'", '"""', "\x00", "\r\n", "\U0010ffff", "é漢🚀", "\u202e", "\u2028",
        "None", "self", "class", "in", "0abc", "[n]", "{x}", "}{", "/", "?x=1", "#", "%2e%2e", "$", "`"]  # fmt: skip


def executable_payloads(marker: str) -> list[str]:
    """Strings that would create ``marker`` or set ``builtins.PVEGEN_FUZZ_PWNED`` if any part of
    them ever ran as code: quote and docstring break-outs, template syntax, comments, line breaks."""
    touch = f"__import__('pathlib').Path({marker!r}).touch()"
    flag = f"__import__('builtins').__setattr__({PWNED_FLAG!r}, 1)"
    return [
        f'"""\n{touch}\n"""',
        f"'''\n{flag}\n'''",
        f'"); {touch}; ("',
        f"'); {flag}; ('",
        f"\\'; {touch}; #",
        f'\\"""; {flag}; """',
        f"\n{flag}\n",
        f"{{{{ {flag} }}}}",
        f"{{% set x = {touch} %}}{{{{ x }}}}",
        f"{{# {flag} #}}",
        f"# {touch}",
        f"\\\n{flag}",
        f"{touch}\x00",
        f"x: {flag}\r\ny",
        f"\u2028{flag}\u2029",
        f"${{{touch}}} `{flag}` %({flag})s",
        f"lambda: {flag}",
        f"{flag} if True else None",
    ]


def _pool(marker: str) -> list[str]:
    payloads = executable_payloads(marker)
    pairs = [a + b for a in payloads[:6] for b in _ODD[:10]] + [b + a for a in payloads[6:] for b in _ODD[10:]]
    return payloads + _ODD + pairs


def hostile_text(marker: str) -> st.SearchStrategy[str]:
    """Short text that tries to break out: payloads, odd unicode, or anything (no lone surrogates:
    see test_fuzz_generator.test_lone_surrogates_in_class_docstrings_import)."""
    return st.one_of(st.sampled_from(_pool(marker)), st.text(max_size=8))


def hostile_name(marker: str) -> st.SearchStrategy[str]:
    """Parameter and property names: plain, clashing after sanitising, indexed, or hostile."""
    plain = ["node", "self", "timeout", "extra", "get", "a-b", "a_b", "a.b", "class", "1x", "_cls", "net[n]", "str",
             "list", "Any", "ClassVar", "TYPE_CHECKING", "P", "Op", "_t", "value", "propstrings", "types"]  # fmt: skip
    pool = _pool(marker)
    return st.one_of(st.sampled_from(plain), st.sampled_from(pool), st.sampled_from([t + "[n]" for t in pool]))


def _leaf_values(marker: str) -> dict[str, st.SearchStrategy[Any]]:
    text = hostile_text(marker)
    scalar = st.one_of(text, st.sampled_from([0, 1, -(2**70), 2**70, 0.5, -1e300, True, False, None]))
    number = st.sampled_from([0, -1, 2**53 + 1, -(2**63), 1e3, 0.5, -0.0, "0", "-1", "1e3", "0.5"])
    return {
        "type": st.sampled_from(["string", "integer", "number", "boolean", "null", "any", "array", "object"]),
        "optional": st.sampled_from([0, 1, "0", "1", True, False]),
        "description": text,
        "verbose_description": text,
        "enum": st.one_of(st.none(), st.lists(st.one_of(text, st.integers(-3, 3)), min_size=1, max_size=3)),
        "minimum": number,
        "maximum": number,
        "minLength": st.integers(0, 64),
        "maxLength": st.integers(0, 64),
        "pattern": st.one_of(text, st.sampled_from(["(?^:[a-z]+)", "\\d+", "(?^i:x|y)", "(?{ system('x') })", "["])),
        "default": scalar,
        "format": st.one_of(text, st.sampled_from(["pve-vmid", "pve-node", "pve-volume-id", "ip", "dns-name-list"])),
        "typetext": text,
        "renderer": text,
        "requires": text,
        "title": text,
        "x-custom": st.one_of(scalar, st.lists(scalar, max_size=2), st.dictionaries(text, scalar, max_size=2)),
    }


def hostile_schemas(marker: str, depth: int = 2) -> st.SearchStrategy[dict[str, Any]]:
    levels = [_schema_level(marker, None)]
    for _ in range(depth):
        levels.append(_schema_level(marker, levels[-1]))
    return levels[-1]


def _schema_level(marker: str, child: st.SearchStrategy[dict[str, Any]] | None) -> st.SearchStrategy[dict[str, Any]]:
    """Schemas whose nested schemas (properties, items, ...) come from ``child`` (None: leaves only).

    Every strategy is built here, once: building strategies inside a draw is what makes
    hypothesis slow."""
    values = _leaf_values(marker)
    picked_keys = st.lists(st.sampled_from(sorted(values)), max_size=5, unique=True)
    names = hostile_name(marker)
    text = hostile_text(marker)
    subkey_values = {"default_key": st.just(1), "alias": text, "keyAlias": text, "description": text,
                     "optional": st.just(1), "enum": st.lists(text, min_size=1, max_size=2)}  # fmt: skip
    picked_subkey_keys = st.lists(st.sampled_from(sorted(subkey_values)), max_size=2, unique=True)
    subkey_type = st.sampled_from(["string", "integer", "boolean"])
    subkey_names = st.lists(names, min_size=1, max_size=3, unique=True)
    shapes = st.sampled_from(["leaf", "leaf", "object", "array", "property-string"])
    if child is not None:
        properties = st.dictionaries(names, child, max_size=3)
        additional = st.one_of(st.sampled_from([0, 1]), child)

    @st.composite
    def schema(draw: st.DrawFn) -> dict[str, Any]:
        result: dict[str, Any] = {key: draw(values[key]) for key in draw(picked_keys)}
        shape = draw(shapes) if child is not None else "leaf"
        if shape == "object":
            result["type"] = "object"
            result.pop("format", None)
            result["properties"] = draw(properties)
            if draw(st.booleans()):
                result["additionalProperties"] = draw(additional)
        elif shape == "array" and child is not None:
            result["type"] = "array"
            result["items"] = draw(child)
        elif shape == "property-string":
            result["type"] = "string"
            keys: dict[str, Any] = {}
            for name in draw(subkey_names):
                keys[name] = {"type": draw(subkey_type)}
                keys[name].update({key: draw(subkey_values[key]) for key in draw(picked_subkey_keys)})
            result["format"] = keys
        return result

    return schema()


def hostile_paths(marker: str) -> st.SearchStrategy[str]:
    words = ["nodes", "qemu", "get", "in", "self", "list", "my-seg", "my_seg", "1st", "_x", "request", "base_url",
             "close", "..", ".", "{}", "{node}", "{vmid}", "{self}", "{class}", "{a-b}"]  # fmt: skip
    pool = [t.replace("/", "") for t in _pool(marker) if t.replace("/", "")]
    placeholders = ["{" + t + "}" for t in pool]
    segment = st.one_of(st.sampled_from(words), st.sampled_from(pool), st.sampled_from(placeholders))
    return st.lists(segment, max_size=4).map(lambda parts: "/" + "/".join(parts))


def hostile_operations(marker: str) -> st.SearchStrategy[dict[str, Any]]:
    text = hostile_text(marker)
    optional: dict[str, st.SearchStrategy[Any]] = {
        "name": text,
        "summary": text,
        "open": st.booleans(),
        "returns": hostile_schemas(marker, 2),
        "allowtoken": st.sampled_from([0, 1]),
        "protected": st.sampled_from([0, 1]),
        "proxyto": text,
        "permissions": st.fixed_dictionaries(
            {}, optional={"check": st.lists(text, max_size=2), "description": text, "user": text}
        ),
        "x-extra": st.dictionaries(text, text, max_size=2),
    }

    methods = st.sampled_from(["GET", "POST", "PUT", "DELETE"])
    paths = hostile_paths(marker)
    parameters = st.dictionaries(hostile_name(marker), hostile_schemas(marker, 1), max_size=4)
    picked_keys = st.lists(st.sampled_from(sorted(optional)), max_size=5, unique=True)

    @st.composite
    def operation(draw: st.DrawFn) -> dict[str, Any]:
        op: dict[str, Any] = {"method": draw(methods), "path": draw(paths), "parameters": draw(parameters)}
        op.update({key: draw(optional[key]) for key in draw(picked_keys)})
        return op

    return operation()


def hostile_documents(marker: str, max_operations: int = 5) -> st.SearchStrategy[dict[str, Any]]:
    """Valid ``pvegen-spec/1`` documents with hostile text in every free-text or name position."""

    text = hostile_text(marker)
    return st.fixed_dictionaries(
        {
            "format": st.just("pvegen-spec/1"),
            "product": text,
            "operations": st.lists(hostile_operations(marker), min_size=1, max_size=max_operations)
            .map(routable_operations)
            .filter(bool),
        },
        optional={"version": text, "description": text, "x-note": text},
    )


def health_checks(*extra: HealthCheck) -> list[HealthCheck]:
    """The health checks the project profile (conftest.py) suppresses, plus ``extra``: an explicit
    ``suppress_health_check`` replaces the profile's list, so pass this, never a bare list."""
    return [*settings().suppress_health_check, *extra]
