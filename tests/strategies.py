"""Hypothesis strategies for random specs in our format (shared by the property tests)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

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


def documents() -> st.SearchStrategy[dict[str, Any]]:
    def unique(ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
        seen: dict[tuple[str, str], dict[str, Any]] = {}
        for op in ops:
            seen.setdefault((op["method"], op["path"]), op)
        return list(seen.values())

    return st.fixed_dictionaries(
        {
            "format": st.just("pvegen-spec/1"),
            "product": st.just("pve"),
            "operations": st.lists(operations(), max_size=6).map(unique),
        },
        optional={"version": st.from_regex(r"\A[0-9]\.[0-9]\Z")},
    )
