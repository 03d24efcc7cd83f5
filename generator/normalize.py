"""``pvegen normalize``: any spec -> our ``pvegen-spec/1`` format, written atomically."""

from __future__ import annotations

import json
import os

from .atomic import write_text_atomic
from .load_ours import spec_to_document
from .model import Spec


def spec_to_json(spec: Spec) -> str:
    """Deterministic text: same model, byte-identical output."""
    return json.dumps(spec_to_document(spec), indent=1, ensure_ascii=False) + "\n"


def write_spec(spec: Spec, path: str | os.PathLike[str]) -> None:
    write_text_atomic(path, spec_to_json(spec))
