"""The CLI contract of DESIGN.md: the commands exist, have --help, and both entry points agree."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pvegen.cli import COMMANDS, main
from tests.fixtures_shared import ROOT

CONTRACT = ("generate", "normalize", "compat", "mock", "fetch-spec", "usage", "openapi")


def test_every_contract_command_is_registered() -> None:
    assert tuple(command.name for command in COMMANDS) == CONTRACT
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0


@pytest.mark.parametrize("command", CONTRACT)
def test_each_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert f"usage: pvegen {command}" in capsys.readouterr().out


def test_usage_errors_exit_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["normalize"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the following arguments are required" in err


def test_console_script_is_the_same_program(tmp_path: Path) -> None:
    script = shutil.which("pvegen", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the pvegen console script is not installed in this environment")
    spec = tmp_path / "s.json"
    spec.write_text('{"format": "pvegen-spec/1", "version": "1.0", "operations": []}')
    outputs: list[str] = []
    for argv in ([script], [sys.executable, "-m", "pvegen"]):
        out = tmp_path / f"out{len(outputs)}.json"
        result = subprocess.run(
            [*argv, "normalize", str(spec), "-o", str(out)], capture_output=True, text=True, cwd=ROOT, check=False
        )
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_text())
    assert outputs[0] == outputs[1]


_IMPORTED_BY = """
import sys
from pvegen.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = ("pvegen.cmd_", "pvegen.codegen", "pvegen.compat", "pvegen.usage", "pvegen.openapi", "yaml")
print(" ".join(sorted(m for m in sys.modules if m.startswith(heavy) and m.count(".") <= 1)))
"""


@pytest.mark.parametrize(
    ("argv", "imported"),
    [
        (["--version"], ""),
        (["normalize", "--help"], "pvegen.cmd_normalize"),
        (["compat", "--help"], "pvegen.cmd_compat pvegen.compat"),
        (["mock", "--help"], "pvegen.cmd_mock"),
        (["generate", "--help"], "pvegen.cmd_generate pvegen.codegen"),
    ],
)
def test_a_command_imports_only_its_own_stack(argv: list[str], imported: str) -> None:
    """Start-up is paid per command: `pvegen --version` loads no command, `pvegen compat` not the generator, ..."""
    result = subprocess.run([sys.executable, "-c", _IMPORTED_BY, *argv], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1].strip() == imported
