"""Plain-text and Markdown reports of what the tools found (no API calls here)."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str], markdown: bool = False) -> str:
    if not rows:
        return "(nothing)"
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    if markdown:
        head = "| " + " | ".join(columns) + " |"
        rule = "|" + "|".join("---" for _ in columns) + "|"
        body = ["| " + " | ".join(str(r.get(c, "")) for c in columns) + " |" for r in rows]
        return "\n".join([head, rule, *body])
    head = "  ".join(c.ljust(widths[c]) for c in columns)
    body = ["  ".join(str(r.get(c, "")).ljust(widths[c]) for c in columns) for r in rows]
    return "\n".join([head, "-" * len(head), *body])


def human_bytes(value: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(value) < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} PiB"


def human_age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} d"


def section(title: str, lines: Iterable[str], markdown: bool = False) -> str:
    text = "\n".join(lines) or "(nothing)"
    if markdown:
        return f"## {title}\n\n{text}\n"
    return f"{title}\n{'=' * len(title)}\n{text}\n"


def wrap(text: str, width: int = 100) -> str:
    return "\n".join(textwrap.fill(paragraph, width) for paragraph in text.split("\n\n"))


def stamp(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(tz=dt.UTC)
    return now.strftime("%Y-%m-%d %H:%M UTC")


class Report:
    def __init__(self, title: str, markdown: bool = False) -> None:
        self.title = title
        self.markdown = markdown
        self.parts: list[str] = []

    def add(self, title: str, lines: Iterable[str]) -> None:
        self.parts.append(section(title, lines, self.markdown))

    def add_table(self, title: str, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
        self.parts.append(section(title, [table(rows, columns, self.markdown)], self.markdown))

    def render(self) -> str:
        head = f"# {self.title}\n\n_{stamp()}_\n" if self.markdown else f"{self.title} ({stamp()})\n"
        return head + "\n" + "\n".join(self.parts)


def exit_code(findings: Iterable[Any]) -> int:
    severities = {getattr(f, "severity", "info") for f in findings}
    if "error" in severities:
        return 2
    if "warning" in severities:
        return 1
    return 0
