"""Docstring text for generated operations, composed from untrusted spec text.

The result is plain text; it reaches code only through ``literals.literal``. It never starts
or ends with whitespace and always ends with a newline, so black leaves it byte-for-byte alone.
"""

from __future__ import annotations

import json
from typing import Any

from ..model import Operation, Schema, split_indexed
from .typemap import runtime_type

__all__ = ["docstring_text", "markdown_cell", "operation_doc", "resource_doc", "schema_facts"]


def docstring_text(text: str) -> str:
    # JSON may carry lone surrogates ("\ud800"); CPython refuses a __doc__ that UTF-8 cannot hold.
    return text.strip().encode("utf-8", "backslashreplace").decode("utf-8") + "\n"


def markdown_cell(text: str) -> str:
    """Spec text inside one cell of a Markdown table (one line, no ``|`` that ends the cell)."""
    line = " ".join(str(text).split()).replace("\\", "\\\\").replace("|", "\\|")
    return line.encode("utf-8", "backslashreplace").decode("utf-8")


def resource_doc(path: str, summaries: list[tuple[str, str]]) -> str:
    """The class docstring of a resource: its path and what each verb does."""
    lines = [path if path != "/" else "/ (the API root)"]
    if summaries:
        lines += ["", *(f"{verb}: {summary}" if summary else verb for verb, summary in summaries)]
    return docstring_text("\n".join(lines))


def _value(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def schema_facts(schema: Schema) -> list[str]:
    """What a schema says about its values, as short phrases (format, enum, range, ..., default)."""
    facts = []
    if schema.format is not None:
        facts.append(f"format {schema.format}")
    elif schema.is_property_string:
        facts.append("property string key=value,...")
    if schema.enum:
        facts.append("one of " + ", ".join(_value(v) for v in schema.enum))
    if schema.minimum is not None or schema.maximum is not None:
        low = "" if schema.minimum is None else _value(schema.minimum)
        high = "" if schema.maximum is None else _value(schema.maximum)
        facts.append(f"range {low}..{high}")
    if schema.min_length is not None or schema.max_length is not None:
        facts.append(f"length {schema.min_length or 0}..{'' if schema.max_length is None else schema.max_length}")
    if schema.pattern is not None:
        facts.append(f"pattern {schema.pattern}")
    if schema.has_default:
        # As Proxmox writes it (0/1 for booleans, sometimes free text): documented, not interpreted.
        facts.append(f"default {_value(schema.default)}")
    return facts


def _param_line(wire: str, schema: Schema) -> str:
    base, indexed = split_indexed(wire)
    facts = [runtime_type(schema)]
    if indexed:
        facts.append(f"indexed: pass {{index: value}}, sent as {base}0, {base}1, ...")
    if schema.required:
        facts.append("required")
    facts += schema_facts(schema)
    description = (schema.description or "").strip()
    line = f"    {wire} ({'; '.join(facts)})"
    return f"{line}: {description}" if description else line


def operation_doc(op: Operation) -> str:
    parts = [(op.summary or "").strip() or f"{op.method} {op.path}", "", f"{op.method} {op.path}"]
    if op.name:
        parts.append(f"Proxmox name: {op.name}")
    params = [(w, s) for w, s in op.parameters.items() if w not in op.path_parameters]
    if params:
        parts += ["", "Args:"]
        parts += [_param_line(w, s) for w, s in params]
    if op.permissions is not None:
        perm = op.permissions
        text = " ".join(x for x in (perm.description or "", f"check: {_value(perm.check)}" if perm.check else "") if x)
        if perm.user:
            text = f"user: {perm.user}. {text}".strip()
        if text:
            parts += ["", f"Permissions: {text}"]
    if op.allowtoken is False:
        parts.append("API tokens may not make this call.")
    returns = op.returns
    parts += ["", f"Returns: {runtime_type(returns) if returns.type else 'any'}"]
    if returns.description:
        parts[-1] += f" ({returns.description.strip()})"
    return docstring_text("\n".join(parts))
