"""Reporters: one module per ``--format``, each ``render(report, options) -> str``.

Text, markdown and github fit their channel: findings that differ only in a bus or key are folded
into one line, text lists breaking and warning changes (``--verbose``: all), markdown stays under
GitHub's comment limit and github under its annotation limits, each saying what it left out and
where the complete report is. JSON and JUnit are always complete."""

from __future__ import annotations

from collections.abc import Callable

from ..report import Report
from . import github, junit, markdown, text
from . import json as json_reporter
from .common import Options

__all__ = ["FORMATS", "Options", "render"]

FORMATS: dict[str, Callable[[Report, Options], str]] = {
    "text": text.render,
    "json": json_reporter.render,
    "markdown": markdown.render,
    "junit": junit.render,
    "github": github.render,
}


def render(report: Report, fmt: str, options: Options | None = None) -> str:
    return FORMATS[fmt](report, options or Options())
