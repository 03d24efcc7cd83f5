"""Bad input never stops a scan: each bad file or folder is one warning line, the rest is scanned."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pvegen.cli import main
from pvegen.usage import scan
from pvegen.usage.scan import PYTHON_LIMIT

GOOD = "from proxmoxer import ProxmoxAPI\nProxmoxAPI('h').nodes.get()\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "good.py").write_text(GOOD)
    return tmp_path


def _warnings(root: Path) -> tuple[list[str], int]:
    result = scan([str(root)])
    return [str(w) for w in result.warnings], len(result.calls)


def test_a_file_that_does_not_parse(tree: Path) -> None:
    (tree / "broken.py").write_text("def f(:\n    pass\n")
    (tree / "py2.py").write_text('print "hello"\n')
    warnings, calls = _warnings(tree)
    assert calls == 1
    assert warnings[0].startswith(f"{tree}/broken.py:1:7: warning: cannot parse: invalid syntax")
    assert warnings[1].startswith(f"{tree}/py2.py:1:1: warning: cannot parse: Missing parentheses")
    assert len(warnings) == 2


def test_undecodable_bytes_and_nul_bytes(tree: Path) -> None:
    (tree / "latin.py").write_bytes(b"x = '\xff'\n")
    (tree / "nul.py").write_bytes(b"x = 1\x00\n")
    (tree / "declared.py").write_bytes(
        b"# -*- coding: latin-1 -*-\nfrom proxmoxer import ProxmoxAPI\nProxmoxAPI('h').nodes.get(comment='caf\xe9')\n"
    )
    warnings, calls = _warnings(tree)
    assert calls == 2  # good.py and the latin-1 file that says so
    assert warnings == [
        f"{tree}/latin.py: warning: not valid utf-8 text (byte 5); skipped",
        f"{tree}/nul.py: warning: contains NUL bytes: not Python source; skipped",
    ]


def test_a_huge_file(tree: Path) -> None:
    (tree / "huge.py").write_bytes(b"x = 1\n" * (PYTHON_LIMIT // 6 + 1))
    warnings, calls = _warnings(tree)
    assert calls == 1
    assert warnings == [f"{tree}/huge.py: warning: file larger than 8 MiB, not scanned as Python; skipped"]


def test_symlink_loops(tree: Path) -> None:
    (tree / "sub").mkdir()
    (tree / "sub" / "also.py").write_text(GOOD)
    (tree / "sub" / "back").symlink_to(tree)  # leads to a folder being walked
    (tree / "self.py").symlink_to(tree / "self.py")  # a link to itself
    (tree / "zz-link").symlink_to(tree / "sub")  # a second way into sub: walked once
    warnings, calls = _warnings(tree)
    assert calls == 2
    assert sorted(warnings) == [
        f"{tree}/self.py: warning: symbolic link loop; skipped",
        f"{tree}/sub/back: warning: symbolic link loop (leads back to a folder above); skipped",
    ]


def test_expressions_nested_too_deeply_to_follow(tree: Path) -> None:
    (tree / "deep.py").write_text("x = f(" + " + ".join(["'a'"] * 5000) + ")\n")
    warnings, calls = _warnings(tree)
    assert calls == 1
    assert len(warnings) == 1 and warnings[0].startswith(f"{tree}/deep.py")


def test_virtualenvs_and_tool_folders_are_skipped(tree: Path) -> None:
    for folder in ("env-any-name", ".git", "node_modules", "build"):
        (tree / folder).mkdir()
        (tree / folder / "x.py").write_text(GOOD)
    (tree / "env-any-name" / "pyvenv.cfg").write_text("home = /usr\n")
    assert _warnings(tree) == ([], 1)
    # Named on the command line, a skipped folder is scanned all the same.
    assert len(scan([str(tree / "build")]).calls) == 1


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder another user can reach (pytest's own tmp folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="pvegen-usage-"))
    folder.chmod(0o755)
    yield folder
    subprocess.run(["chmod", "-R", "u+rwx", str(folder)], check=False)
    subprocess.run(["rm", "-rf", str(folder)], check=False)


def test_unreadable_folders_and_files(shared_tmp: Path) -> None:
    (shared_tmp / "good.py").write_text(GOOD)
    (shared_tmp / "locked").mkdir()
    (shared_tmp / "locked" / "x.py").write_text(GOOD)
    (shared_tmp / "secret.py").write_text(GOOD)
    (shared_tmp / "good.py").chmod(0o644)
    (shared_tmp / "locked").chmod(0o000)
    (shared_tmp / "secret.py").chmod(0o000)
    warnings, files = _scan_as_a_user(shared_tmp)
    assert warnings == [
        f"{shared_tmp}/locked: warning: cannot read the folder (Permission denied); skipped",
        f"{shared_tmp}/secret.py: warning: cannot read the file (Permission denied); skipped",
    ]
    assert files == [f"{shared_tmp}/good.py"]


def _scan_as_a_user(folder: Path) -> tuple[list[str], list[str]]:
    """Root reads everything: when the tests run as root, scan in a child that became ``nobody``."""
    if os.geteuid() != 0:
        result = scan([str(folder)])
        return [str(w) for w in result.warnings], [c.file for c in result.calls]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to nobody, scan (everything is imported already), report, exit
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            result = scan([str(folder)])
            payload = json.dumps([[str(w) for w in result.warnings], [c.file for c in result.calls]])
            os.write(write, payload.encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    warnings, files = json.loads(data)
    return warnings, files


def test_warnings_go_to_stderr_one_line_each(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "broken.py").write_text("def f(:\n")
    (tree / "bad\nname.py").write_text("def g(:\n")
    assert main(["usage", str(tree)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all(": warning: cannot parse" in line for line in err)
    assert "bad\\nname.py" in err[0] + err[1]


def test_a_named_script_without_py_is_read_as_python(tmp_path: Path) -> None:
    script = tmp_path / "deploy"
    script.write_text("#!/usr/bin/env python3\n" + GOOD)
    result = scan([str(script)])
    assert [(c.line, c.method, c.shape) for c in result.calls] == [(3, "GET", "/nodes")]
