"""Atomic writes: a failure leaves the previous output exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from pvegen.atomic import replace_dir_atomic, write_text_atomic


def test_file_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "out" / "spec.json"
    write_text_atomic(target, "one")
    write_text_atomic(target, "two")
    assert target.read_text() == "two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["spec.json"]


def test_failed_folder_build_keeps_the_old_folder(tmp_path: Path) -> None:
    target = tmp_path / "pkg"
    with replace_dir_atomic(target) as staging:
        (staging / "a.py").write_text("A = 1\n")
    assert (target / "a.py").read_text() == "A = 1\n"
    with pytest.raises(RuntimeError), replace_dir_atomic(target) as staging:
        (staging / "a.py").write_text("half")
        raise RuntimeError("generation failed")
    assert (target / "a.py").read_text() == "A = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]
    with replace_dir_atomic(target) as staging:
        (staging / "b.py").write_text("B = 2\n")
    assert sorted(p.name for p in target.iterdir()) == ["b.py"]
