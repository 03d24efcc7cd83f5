"""What the checker reports: one ``Change`` per finding, with a rule id, a severity and a basis.

Rule ids are a contract (DESIGN.md): they may be extended, never renamed. ``RULES`` lists every id
with its default severity and basis ("documented": Proxmox's own compatibility promise names it;
"refined": a finer rule of ours that the promise does not cover).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BASES", "RULES", "SEVERITIES", "Change", "Rule", "Use", "make_change", "severity_rank"]

# Highest first; the order is part of the CLI contract (--fail-on compares by it).
SEVERITIES = ("breaking", "warning", "non-breaking", "info")
BASES = ("documented", "refined")


def severity_rank(severity: str) -> int:
    """0 for breaking ... 3 for info (lower is more severe)."""
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    basis: str
    meaning: str


def _rules(*rows: tuple[str, str, str, str]) -> dict[str, Rule]:
    return {rule_id: Rule(rule_id, severity, basis, meaning) for rule_id, severity, basis, meaning in rows}


# The value-level rules exist once per place a value lives: a request parameter ("param"), a key
# inside a parameter's property string ("param-subkey") and a property of a return value
# ("return-property"); the return value itself uses the "return" rules below.
_VALUE_RULES = (
    ("type-changed", "breaking", "the value's type changed"),
    ("became-array", "warning", "a single value became a list (the server still takes one value as a 1-item list)"),
    ("became-property-string", "non-breaking", "a bare value became a property string; its default key keeps it valid"),
    ("enum-narrowed", "breaking", "allowed values were removed"),
    ("enum-widened", "non-breaking", "allowed values were added"),
    ("constraint-tightened", "breaking", "a bound, length limit, pattern or format now rejects values it accepted"),
    (
        "constraint-added",
        "warning",
        "a limit where there was none; breaking only with evidence (the old default, enum, typetext, an example "
        "or a range in the old description) that a value valid before is now rejected",
    ),
    ("constraint-loosened", "non-breaking", "a bound, length limit, pattern or format now accepts more"),
    ("pattern-changed", "warning", "the pattern changed in a way that cannot be proven wider or narrower"),
    ("format-changed", "warning", "the named format changed"),
    ("default-removed", "warning", "the documented default is gone: omitting the value may now behave differently"),
    ("default-changed", "warning", "the default changed: omitting the value now behaves differently"),
    ("default-added", "info", "a default is now documented"),
    ("deprecated", "warning", "the description now says it (or some of its values) is deprecated"),
    ("requires-added", "warning", "passing it now also needs another parameter (requires)"),
    ("requires-removed", "non-breaking", "passing it no longer needs another parameter"),
    ("extra-rejected", "breaking", "an object no longer accepts keys beyond those listed (additionalProperties)"),
    ("extra-accepted", "non-breaking", "an object now accepts keys beyond those listed"),
    ("variant-removed", "breaking", "a oneOf variant is gone: values of that type no longer validate"),
    ("variant-added", "non-breaking", "a new oneOf variant (chosen by the type-property)"),
)

RULES: dict[str, Rule] = _rules(
    ("endpoint-removed", "breaking", "documented", "the operation is gone"),
    ("endpoint-moved", "breaking", "documented", "the same operation now lives at another path"),
    ("endpoint-added", "non-breaking", "documented", "a new operation"),
    ("endpoint-deprecated", "warning", "refined", "the summary now says the operation is deprecated"),
    ("path-placeholder-renamed", "info", "refined", "a path placeholder was renamed: the URL is unchanged"),
    ("param-removed", "breaking", "documented", "a parameter is gone"),
    ("param-added-optional", "non-breaking", "documented", "a new optional parameter"),
    ("param-added-required", "breaking", "refined", "a new required parameter: existing calls lack it"),
    ("param-became-required", "breaking", "refined", "an optional parameter became required"),
    ("param-became-optional", "non-breaking", "refined", "a required parameter became optional"),
    *((f"param-{suffix}", severity, "refined", meaning) for suffix, severity, meaning in _VALUE_RULES),
    ("param-subkey-removed", "breaking", "refined", "a key of a property string is gone"),
    ("param-subkey-added-optional", "non-breaking", "refined", "a new optional key in a property string"),
    ("param-subkey-added-required", "breaking", "refined", "a new required key in a property string"),
    ("param-subkey-became-required", "breaking", "refined", "a property-string key became required"),
    ("param-subkey-became-optional", "non-breaking", "refined", "a property-string key became optional"),
    *((f"param-subkey-{suffix}", severity, "refined", meaning) for suffix, severity, meaning in _VALUE_RULES),
    ("return-type-changed", "breaking", "documented", "the return type changed (the old type was not null)"),
    ("return-type-changed-from-null", "non-breaking", "documented", "a null return now returns data"),
    ("return-property-added", "non-breaking", "documented", "a new property in the returned data"),
    ("return-property-removed", "breaking", "refined", "a property of the returned data is gone"),
    ("return-property-type-changed", "breaking", "refined", "a returned property has another type"),
    ("return-property-became-optional", "warning", "refined", "a returned property may now be missing"),
    (
        "return-enum-widened",
        "warning",
        "refined",
        "a returned value may take values it never took: readers may not know them",
    ),
    (
        "return-enum-narrowed",
        "non-breaking",
        "refined",
        "a returned value takes fewer values (or is now limited to a list)",
    ),
    (
        "return-format-changed",
        "warning",
        "refined",
        "a returned value's named format changed: parsers of the old form may fail",
    ),
    ("return-pattern-changed", "warning", "refined", "a returned value's pattern changed or was dropped"),
    ("return-extra-changed", "info", "refined", "whether returned objects may carry unlisted keys changed"),
    ("token-access-removed", "breaking", "refined", "API tokens may no longer make the call"),
    ("token-access-added", "non-breaking", "refined", "API tokens may now make the call"),
    (
        "permission-changed",
        "breaking",
        "refined",
        "the check, read as logic, rejects a role it accepted (warning: only ACL paths or the description "
        "say so; non-breaking: it accepts more; info: wording only)",
    ),
    ("privilege-removed", "breaking", "refined", "privileges vanished from the role model"),
    ("privilege-added", "non-breaking", "refined", "new privileges in the role model"),
)


@dataclass(frozen=True)
class Use:
    """A place in the user's code (or recording) that makes a call a change touches (``compat --usage``).

    ``file`` is relative to the SRC given; ``may_hit`` is True when the scan cannot be sure the change
    applies (parameters it could not see, a URL whose method it could not tell)."""

    file: str
    line: int
    column: int
    call: str
    may_hit: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column, "call": self.call, "may_hit": self.may_hit}


@dataclass(frozen=True)
class Change:
    """One finding. ``parameter`` is a dotted path for nested things (``net[n].model``,
    ``returns.memory``); ``related`` names a replacement (moved endpoint, renamed parameter)."""

    rule: str
    severity: str
    method: str
    path: str
    parameter: str | None
    old: Any
    new: Any
    message: str
    basis: str
    related: str | None = None
    fingerprint: str = field(default="", compare=False)
    # Filled only by ``compat --usage``: where the user's calls touch this change.
    uses: tuple[Use, ...] = field(default=(), compare=False)

    def sort_key(self) -> tuple[int, str, int, str, str]:
        method = _METHOD_ORDER.get(self.method, 9)
        return (severity_rank(self.severity), self.path, method, self.parameter or "", self.rule)

    def to_json(self) -> dict[str, Any]:
        """DESIGN.md's change object, extended with fingerprint, basis, related (and uses under --usage)."""
        data: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity,
            "method": self.method,
            "path": self.path,
            "parameter": self.parameter,
            "old": self.old,
            "new": self.new,
            "message": self.message,
            "basis": self.basis,
            "related": self.related,
            "fingerprint": self.fingerprint,
        }
        if self.uses:
            data["uses"] = [use.to_json() for use in self.uses]
        return data


_METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "DELETE": 3}


def fingerprint(rule: str, method: str, path: str, parameter: str | None) -> str:
    """Stable id of a finding: the same thing found again gets the same id, whatever the wording."""
    text = "\x1f".join((rule, method, path, parameter or ""))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def make_change(
    rule: str,
    method: str,
    path: str,
    parameter: str | None,
    old: Any,
    new: Any,
    message: str,
    *,
    severity: str | None = None,
    related: str | None = None,
) -> Change:
    """A Change with the rule's default severity and basis filled in and its fingerprint computed."""
    spec = RULES[rule]
    return Change(
        rule=rule,
        severity=severity or spec.severity,
        method=method,
        path=path,
        parameter=parameter,
        old=old,
        new=new,
        message=message,
        basis=spec.basis,
        related=related,
        fingerprint=fingerprint(rule, method, path, parameter),
    )
