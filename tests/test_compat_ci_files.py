"""The CI examples we ship are valid and call the CLI the way it really works."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest

from pvegen.cli import build_parser
from tests.fixtures_shared import ROOT

yaml = pytest.importorskip("yaml")  # PyYAML comes with vcrpy, a test dependency


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_pre_commit_hook_definition() -> None:
    (hook,) = _load(ROOT / ".pre-commit-hooks.yaml")
    assert hook["id"] == "pvegen-compat"
    assert hook["entry"] == "pvegen compat" and hook["pass_filenames"] is False
    # With the two specs a user adds as args, the entry parses as a real command line.
    args = build_parser().parse_args([*shlex.split(hook["entry"])[1:], "old.json", "new.json"])
    assert (args.old, args.new, args.format) == ("old.json", "new.json", "text")


def test_github_workflow_example_runs_real_commands() -> None:
    workflow = _load(ROOT / "examples" / "github-workflow-compat.yml")
    steps = workflow["jobs"]["compat"]["steps"]
    scripts = "\n".join(step.get("run", "") for step in steps).replace("\\\n", " ")
    commands = [line.strip() for line in scripts.splitlines() if line.strip().startswith("pvegen compat")]
    assert len(commands) == 4
    parser = build_parser()
    for command in commands:
        words = [w for w in shlex.split(command) if w != "${ignore[@]}"]
        args = parser.parse_args(words[1:])
        assert args.command == "compat" and args.format in ("github", "markdown", "junit", "text")
    assert any("--fail-on never" not in c for c in commands)  # one step is the gate itself


def test_docs_embed_the_shipped_workflow() -> None:
    docs = (ROOT / "docs" / "compat.md").read_text(encoding="utf-8")
    assert (ROOT / "examples" / "github-workflow-compat.yml").read_text(encoding="utf-8") in docs
    assert "id: pvegen-compat" in docs


def test_docs_list_every_rule_and_design_rule_ids_exist() -> None:
    from pvegen.compat import RULES

    docs = (ROOT / "docs" / "compat.md").read_text(encoding="utf-8")
    for rule in RULES:
        listed = f"`{rule}`" in docs or f"`{rule.replace('param-subkey-', 'param-')}`" in docs
        assert listed, rule
    design = ROOT.parent / "shared" / "DESIGN.md"
    if not design.is_file():
        pytest.skip("../shared/DESIGN.md is absent")
    table = design.read_text(encoding="utf-8").split("## Compat rule ids", 1)[1].split("\n## ", 1)[0]
    cells = [line.split("|")[1].strip() for line in table.splitlines() if line.startswith("|")]
    ids = [part.split(" (")[0].strip() for cell in cells[2:] for part in cell.split(" / ")]  # past header rows
    assert len(ids) >= 20
    assert [rule_id for rule_id in ids if rule_id not in RULES] == []
