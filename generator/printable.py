"""Show spec text safely where a line means something: errors, terminal reports, XML, CI logs.

Spec text is untrusted and may hold line breaks or control characters (valid JSON); printed raw it
would split a one-line error, forge a line that CI runs as a workflow command (``::error::``), or
make XML unreadable. Each such character is written visibly instead (``\\n``, ``\\x1b``).
"""

from __future__ import annotations

import re

__all__ = ["printable"]

# C0 controls, DEL, and the two non-characters XML 1.0 forbids.
_CONTROL = re.compile("[\x00-\x1f\x7f\ufffe\uffff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: object) -> str:
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), str(text))
