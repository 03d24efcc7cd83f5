"""The CI examples we ship work when copied into someone else's repository: their shell steps run here,
in a fresh git repository that has nothing of ours but the installed pvegen, against real servers
(``pvegen mock`` on 127.0.0.1) where the example talks to a cluster."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from pvegen.cli import build_parser
from pvegen.mock.tls import fingerprint
from tests.fixtures_mock import MockFactory
from tests.fixtures_shared import ROOT

yaml = pytest.importorskip("yaml")  # PyYAML comes with vcrpy, a test dependency

PR_WORKFLOW = ROOT / "examples" / "github-workflow-compat.yml"
UPGRADE_WORKFLOW = ROOT / "examples" / "github-workflow-upgrade.yml"
_EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _spec(version: str, params: dict[str, Any], extra: bool = False) -> dict[str, Any]:
    ops = [
        {
            "method": "POST",
            "path": "/nodes/{node}/thing",
            "name": "thing",
            "parameters": {"node": {"type": "string"}, **params},
        }
    ]
    if extra:
        ops.append(
            {
                "method": "GET",
                "path": "/nodes/{node}/other",
                "name": "other",
                "parameters": {"node": {"type": "string"}},
            }
        )
    return {"format": "pvegen-spec/1", "product": "pve", "version": version, "operations": ops}


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull}  # fmt: skip
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def _steps(workflow: Any) -> list[dict[str, Any]]:
    (job,) = workflow["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def _install_step(workflow: Any) -> dict[str, Any]:
    (step,) = [s for s in _steps(workflow) if s.get("name") == "Install pvegen"]
    return step


def _run_steps(workflow: Any, cwd: Path, values: Mapping[str, str], tmp: Path) -> list[tuple[str, int, str]]:
    """Each ``run:`` step as GitHub runs it (bash -eo pipefail, the workflow's and step's env, ``${{ }}``
    filled from ``values``), skipping ``uses:`` steps and the install (pvegen is installed here)."""
    summary = tmp / "step-summary.md"
    base = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp),
    }
    base.update({k: _fill(str(v), values) for k, v in workflow.get("env", {}).items()})
    results = []
    for step in _steps(workflow):
        if "run" not in step or step.get("name") == "Install pvegen":
            continue
        env = {**base, **{k: _fill(str(v), values) for k, v in step.get("env", {}).items()}}
        assert "${{" not in step["run"], "expressions reach scripts through env:, never pasted into them"
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        results.append((step["name"], done.returncode, done.stdout + done.stderr))
    return results


def _fill(text: str, values: Mapping[str, str]) -> str:
    return _EXPRESSION.sub(lambda m: values[m.group(1)], text)


# -- installing pvegen, not the user's repository ---------------------------------------------------


@pytest.mark.parametrize("path", [PR_WORKFLOW, UPGRADE_WORKFLOW])
def test_workflows_install_pvegen_itself_at_the_current_version(path: Path) -> None:
    workflow = _load(path)
    assert _install_step(workflow)["run"] == 'python -m pip install "$PVEGEN"'
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert workflow["env"]["PVEGEN"] == f"pvegen=={version}"
    for step in _steps(workflow):
        assert "pip install ." not in step.get("run", "") and "pip install -e" not in step.get("run", "")


# -- a spec kept in the repository: pull request vs. base branch -------------------------------------


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A user's repository: a bare origin with main holding spec/proxmox-ve.json (8.1), and a clone."""
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    _git(tmp_path, "init", "--bare", "-b", "main", str(origin))
    _git(tmp_path, "clone", str(origin), str(work))
    (work / "spec").mkdir()
    (work / "spec" / "proxmox-ve.json").write_text(
        json.dumps(_spec("8.1", {"size": {"type": "integer", "optional": 1}}))
    )
    _git(work, "add", "-A")
    _git(work, "commit", "-m", "released spec")
    _git(work, "push", "origin", "main")
    _git(work, "checkout", "-b", "pr")
    return work


_PR_VALUES = {
    "github.base_ref": "main",
    "github.server_url": "https://github.example",
    "github.repository": "someone/their-automation",
    "github.run_id": "42",
}


def _open_pr(work: Path, spec: dict[str, Any]) -> None:
    (work / "spec" / "proxmox-ve.json").write_text(json.dumps(spec))
    _git(work, "commit", "-am", "update the spec")


def test_pr_workflow_passes_a_harmless_change(repository: Path, tmp_path: Path) -> None:
    _open_pr(repository, _spec("8.2", {"size": {"type": "integer", "optional": 1}}, extra=True))
    results = _run_steps(_load(PR_WORKFLOW), repository, _PR_VALUES, tmp_path)
    assert [(name, code) for name, code, _ in results] == [
        ("Spec on the base branch", 0),
        ("Reports (annotations, job summary, JSON, JUnit)", 0),
        ("Gate (fails on breaking changes within a major release)", 0),
    ]
    assert "## API compatibility: pve 8.1 -> 8.2" in (tmp_path / "step-summary.md").read_text()
    assert json.loads((repository / "compat.json").read_text())["summary"]["non-breaking"] == 1
    assert (repository / "compat-junit.xml").is_file()


def test_pr_workflow_fails_the_gate_on_a_break_and_annotates_it(repository: Path, tmp_path: Path) -> None:
    _open_pr(repository, _spec("8.2", {}))  # 'size' removed
    results = {
        name: (code, out) for name, code, out in _run_steps(_load(PR_WORKFLOW), repository, _PR_VALUES, tmp_path)
    }
    code, out = results["Reports (annotations, job summary, JSON, JUnit)"]
    assert code == 0 and "::warning file=spec/proxmox-ve.json,title=param-removed" in out
    code, out = results["Gate (fails on breaking changes within a major release)"]
    assert code == 1 and "[param-removed] (documented) size: parameter 'size' was removed" in out


# -- a cluster upgrade: the running cluster's schema vs. the new release's ------------------------------


def test_upgrade_workflow_against_two_servers(
    mock_server: MockFactory, tls_cert: tuple[str, str], tmp_path: Path
) -> None:
    running = mock_server(
        _write(tmp_path / "a.json", _spec("8.4", {"size": {"type": "integer", "optional": 1}}, extra=True)), tls=True
    )
    upgraded = mock_server(
        _write(tmp_path / "b.json", _spec("9.1", {"size": {"type": "integer", "optional": 1}})), tls=True
    )
    work = tmp_path / "work"
    work.mkdir()
    values = {
        "inputs.current_release": "8.4",
        "inputs.next_release": "9.1",
        "inputs.fail_on": "breaking",
        "secrets.PVE_URL": running.url,
        "secrets.PVE_FINGERPRINT": fingerprint(tls_cert[0]),
        "secrets.PVE_NEXT_URL": upgraded.url,
        "secrets.PVE_NEXT_FINGERPRINT": fingerprint(tls_cert[0]),
    }
    results = _run_steps(_load(UPGRADE_WORKFLOW), work, values, tmp_path)
    fetch, report = results
    assert fetch[1] == 0, fetch[2]
    assert (report[0], report[1]) == ("Report and gate", 1), report[2]  # across majors too: asked for
    assert "endpoint-removed" in report[2] and "GET /nodes/{node}/other" in report[2]
    assert sorted(p.name for p in work.glob("pve-*.js")) == ["pve-8.4.js", "pve-9.1.js"]
    assert json.loads((work / "compat.json").read_text())["old"]["version"] == "8.4"


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc))
    return path


# -- pre-commit ----------------------------------------------------------------------------------


def test_pre_commit_hook_definition() -> None:
    (hook,) = _load(ROOT / ".pre-commit-hooks.yaml")
    assert hook["id"] == "pvegen-compat"
    assert hook["entry"] == "pvegen compat" and hook["pass_filenames"] is False
    # With the two specs a user adds as args, the entry parses as a real command line.
    args = build_parser().parse_args([*shlex.split(hook["entry"])[1:], "old.json", "new.json"])
    assert (args.old, args.new, args.format) == ("old.json", "new.json", "text")


def _docs() -> str:
    return (ROOT / "docs" / "compat.md").read_text(encoding="utf-8")


def test_docs_pre_commit_example_runs_without_any_tag(tmp_path: Path) -> None:
    block = _docs().split("```yaml\n# .pre-commit-config.yaml", 1)[1].split("```", 1)[0]
    config = yaml.safe_load("# .pre-commit-config.yaml" + block)
    (repo,) = config["repos"]
    assert repo["repo"] == "local" and "rev" not in repo  # nothing that names a tag of ours
    (hook,) = repo["hooks"]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert hook["language"] == "python" and hook["additional_dependencies"] == [f"pvegen=={version}"]
    # What pre-commit runs: entry + args, in the user's repository.
    (tmp_path / "spec").mkdir()
    _write(tmp_path / "spec" / "released.json", _spec("8.1", {"size": {"type": "integer", "optional": 1}}))
    _write(tmp_path / "spec" / "proxmox-ve.json", _spec("8.2", {}))
    command = [str(Path(sys.executable).parent / "pvegen"), *shlex.split(hook["entry"])[1:], *hook["args"]]
    done = subprocess.run(command, check=False, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "param-removed" in done.stdout


def test_docs_embed_the_shipped_workflows() -> None:
    docs = _docs()
    for path in (PR_WORKFLOW, UPGRADE_WORKFLOW):
        assert path.read_text(encoding="utf-8") in docs, path.name
    assert "id: pvegen-compat" in docs


def test_docs_list_every_rule() -> None:
    from pvegen.compat import RULES

    docs = _docs()
    for rule in RULES:
        listed = f"`{rule}`" in docs or f"`{rule.replace('param-subkey-', 'param-')}`" in docs
        assert listed, rule
