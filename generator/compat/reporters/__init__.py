"""Reporters: one module per ``--format``, each ``render(report) -> str``."""

from __future__ import annotations

from collections.abc import Callable

from ..report import Report
from . import github, junit, markdown, text
from . import json as json_reporter

__all__ = ["FORMATS", "render"]

FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "json": json_reporter.render,
    "markdown": markdown.render,
    "junit": junit.render,
    "github": github.render,
}


def render(report: Report, fmt: str) -> str:
    return FORMATS[fmt](report)
