"""Parameters as the scanner sees them: dicts built in sight, and the keywords of a call.

A dict stays "complete" while every change to it is in sight (literals, ``d["k"] = v``, ``update`` with
literals); handing it to code the scan does not follow, or a computed key, makes it incomplete.
"""

from __future__ import annotations

from typing import Any

from .urls import split_template
from .values import Const, Params, Text, literal_value

__all__ = ["add_body", "dict_key", "dict_method", "forget_dicts", "keyword_params", "merge_into", "put_param"]

# Callees that read a dict without changing it: passing one keeps it fully known.
READERS = frozenset(
    {
        "print", "format", "debug", "info", "warning", "warn", "error", "exception", "critical", "log", "len",
        "str", "repr", "isinstance", "dumps", "dict", "list", "sorted", "tuple", "copy", "deepcopy", "pprint",
        "items", "keys", "values", "echo", "secho", "write", "assertEqual", "assertIn",
    }
)  # fmt: skip


def dict_key(value: Any) -> str | int | None:
    if isinstance(value, Text):
        return value.literal
    if isinstance(value, Const) and isinstance(value.value, int) and not isinstance(value.value, bool):
        return value.value
    return None


def merge_into(params: Params, value: Any) -> None:
    if isinstance(value, Params):
        params.merge(value)
    else:
        params.incomplete()


def dict_method(params: Params, callee: str, args: list[Any], keywords: list[tuple[str | None, Any]]) -> Any:
    if callee == "update":
        for arg in args:
            merge_into(params, arg)
        for name, value in keywords:
            if name is None:
                merge_into(params, value)
            else:
                params.put(name, value)
        return None
    if callee == "setdefault" and args:
        key = dict_key(args[0])
        if key is None:
            params.incomplete()
        elif key not in params.items:
            params.put(key, args[1] if len(args) > 1 else Const(None))
        return None
    if callee == "pop" and args:
        key = dict_key(args[0])
        if key is not None:
            params.remove(key)
        return None
    if callee == "copy":
        return params.copy()
    if callee == "clear":
        for key in list(params.items):
            params.remove(key)
        return None
    if callee in ("get", "items", "keys", "values"):
        return None
    params.incomplete()
    return None


def forget_dicts(callee: str, args: list[Any], keywords: list[tuple[str | None, Any]]) -> None:
    """A dict handed to code the scan does not follow may come back with more keys."""
    if callee in READERS:
        return
    for value in (*args, *(value for _, value in keywords)):
        if isinstance(value, Params):
            value.incomplete()


def keyword_params(keywords: list[tuple[str | None, Any]]) -> tuple[dict[str, Any], bool]:
    params: dict[str, Any] = {}
    complete = True
    for name, value in keywords:
        if name is None:
            if isinstance(value, Params):
                complete = complete and value.complete
                for key, item in value.items.items():
                    put_param(params, str(key), item)
            else:
                complete = False
        else:
            put_param(params, name, value)
    return params, complete


def put_param(params: dict[str, Any], name: str, value: Any) -> None:
    # The generated client takes indexed parameters as a mapping: net={0: "..."} is net0.
    if isinstance(value, Params) and value.items and all(isinstance(k, int) for k in value.items):
        for index, item in value.items.items():
            params[f"{name}{index}"] = literal_value(item)
        return
    params[name] = literal_value(value)


def add_body(params: dict[str, Any], value: Any) -> bool:
    """A request body or query (``data=``/``json=``/``params=``, or a wrapper's dict argument)."""
    if isinstance(value, Params):
        for key, item in value.items.items():
            params[str(key)] = literal_value(item)
        return value.complete
    if isinstance(value, Const) and value.value is None:
        return True
    if isinstance(value, Text) and value.literal is not None:
        _, query, complete = split_template(("?" + value.literal,), after_marker=False)
        params.update(query)
        return complete
    return False
