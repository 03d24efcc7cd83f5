"""Reports that fit their channel: folding, the text/markdown/github limits, the lines about what was left
out, unknown releases, and the uses ``compat --usage`` attaches (Reports built here; the scanner and
its filtering are tested with the usage command)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from pvegen.compat import Change, Report, UsageScope, Use
from pvegen.compat.change import make_change
from pvegen.compat.fold import fold
from pvegen.compat.reporters import Options, render
from pvegen.compat.reporters.markdown import LIMIT

_ANNOTATION = re.compile(r"^::(error|warning|notice) ")


def _change(rule: str, path: str, parameter: str | None, message: str, **kw: object) -> Change:
    return make_change(rule, "POST", path, parameter, None, None, message, **kw)  # type: ignore[arg-type]


def _report(found: list[Change], **kw: object) -> Report:
    base = Report(old_version="8.1", new_version="8.2", changes=found, fail_on="breaking", fail_on_default=True)
    return replace(base, **kw)  # type: ignore[arg-type]


def annotation_kinds(text: str) -> list[str]:
    return [line.split(" ", 1)[0] for line in text.splitlines() if _ANNOTATION.match(line)]


# -- folding ------------------------------------------------------------------------------------


def test_identical_findings_across_buses_and_keys_fold_into_one_line() -> None:
    found = [
        _change("param-subkey-removed", "/vm", f"{bus}[n].{key}", f"key '{key}' of {bus}[n] was removed")
        for bus in ("ide", "sata", "scsi")
        for key in ("cyls", "heads")
    ] + [_change("param-subkey-removed", "/vm", "net[n].x", "key 'x' of net[n] was renamed to 'y'")]
    groups = fold(found)
    assert len(groups) == 2
    assert groups[0].parameter == "{ide,sata,scsi}[n].{cyls,heads}"
    assert groups[0].message == "key '{cyls,heads}' of {ide,sata,scsi}[n] was removed"
    assert len(groups[0].changes) == 6 and groups[1].changes == (found[-1],)
    text = render(_report(found), "text")
    assert "[param-subkey-removed] [6 findings] {ide,sata,scsi}[n].{cyls,heads}: key" in text


def test_findings_differing_in_more_than_names_do_not_fold() -> None:
    found = [
        _change("param-subkey-enum-narrowed", "/vm", "ide[n].format", "ide[n].format no longer accepts cow"),
        _change("param-subkey-enum-narrowed", "/vm", "sata[n].format", "sata[n].format no longer accepts qed"),
        _change("param-subkey-enum-narrowed", "/other", "scsi[n].format", "scsi[n].format no longer accepts cow"),
    ]
    assert [len(g.changes) for g in fold(found)] == [1, 1, 1]


# -- cutting to fit, saying where the rest is --------------------------------------------------------


def _many(count: int, severity: str = "non-breaking") -> list[Change]:
    rule = {"non-breaking": "endpoint-added", "breaking": "endpoint-removed", "warning": "endpoint-deprecated"}[
        severity
    ]
    return [_change(rule, f"/x/{severity}/{i:05d}/{'y' * 40}", None, f"operation {i} changed") for i in range(count)]


def test_verbose_text_lists_everything() -> None:
    found = [
        *_many(3, "breaking"),
        *_many(2, "warning"),
        *_many(40),
        _change("param-default-added", "/vm", "cores", "cores now defaults to 1"),
        _change("param-default-added", "/ct", "cores", "cores now defaults to 1"),
    ]
    plain = render(_report(found), "text")
    assert "== NON-BREAKING" not in plain and "== INFO" not in plain
    verbose = render(_report(found), "text", Options(verbose=True))
    for severity, count in (("BREAKING", 3), ("WARNING", 2), ("NON-BREAKING", 40), ("INFO", 2)):
        assert f"== {severity} ({count}) ==" in verbose
    assert all(change.message in verbose for change in found)
    assert sum(len(g.changes) for g in fold(found)) == len(found)


def test_markdown_is_cut_by_severity_and_says_where_the_full_report_is() -> None:
    found = _many(200, "breaking") + _many(200, "warning") + _many(3000)
    text = render(_report(found), "markdown", Options(full_report="https://ci.example/run/7#artifacts"))
    assert len(text) <= LIMIT
    assert text.count("| `POST` | /x/breaking/") == 200  # the most severe first, complete
    assert "/x/non-breaking/" not in text
    assert "not listed here are 3000 non-breaking (endpoint-added 3000)" in text
    assert "the complete report: https://ci.example/run/7#artifacts" in text


def test_markdown_cuts_rows_of_the_most_severe_table_last() -> None:
    text = render(_report(_many(2000, "breaking")), "markdown")
    assert len(text) <= LIMIT
    shown = text.count("| `POST` | /x/breaking/")
    assert 0 < shown < 2000
    assert f"not listed here are {2000 - shown} breaking (endpoint-removed {2000 - shown})" in text
    assert "pvegen compat with --format json" in text


def test_github_annotates_at_most_ten_errors_and_ten_warnings_and_one_notice() -> None:
    found = _many(30, "breaking") + _many(30, "warning") + _many(30)
    text = render(_report(found), "github", Options(full_report="compat.json"))
    kinds = annotation_kinds(text)
    assert kinds.count("::error") == 10 and kinds.count("::warning") == 9 and kinds == [*kinds[:19], "::notice"]
    notice = text.splitlines()[-1]
    assert (
        "Not annotated: 20 breaking (endpoint-removed 20); 21 warning (endpoint-deprecated 21); 30 non-breaking"
        in notice
    )
    assert "the complete report: compat.json" in notice
    never = annotation_kinds(render(_report(found, fail_on="never"), "github"))
    assert never.count("::warning") == 10 and never.count("::error") == 0 and len(never) == 11


# -- unknown releases ----------------------------------------------------------------------------


def test_an_unknown_release_is_named_with_the_flag_and_the_policy_applied() -> None:
    report = _report([], new_version=None)
    line = "The release of NEW is unknown (pass --new-version LABEL): so the within-a-major policy applied"
    for fmt in ("text", "markdown", "github", "junit"):
        assert line in render(report, fmt), fmt
    both = _report([], old_version=None, new_version=None, fail_on="warning", fail_on_default=False)
    assert both.unknown_versions() == (
        "The release of OLD and NEW is unknown (pass --old-version LABEL / --new-version LABEL): "
        "the gate used --fail-on warning as given."
    )
    assert _report([]).unknown_versions() is None


def test_unknown_release_through_the_cli(tmp_path: Path) -> None:
    from pvegen.cli import main

    doc = {"format": "pvegen-spec/1", "product": "pve", "operations": [{"method": "GET", "path": "/a"}]}
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(doc))
    new.write_text(json.dumps({**doc, "operations": []}))
    out = tmp_path / "report.txt"
    assert main(["compat", str(old), str(new), "-o", str(out)]) == 1
    text = out.read_text()
    assert "The release of OLD and NEW is unknown (pass --old-version LABEL / --new-version LABEL)" in text
    assert "fail on breaking or worse" in text


# -- uses from compat --usage ----------------------------------------------------------------------

_USES = (Use("app/vms.py", 12, 8, "pve.nodes(n).qemu.post(...)"), Use("app/ops.py", 40, 4, "pve.post(url)", True))


def _used_report() -> Report:
    found = [
        replace(
            _change("param-removed", "/nodes/{node}/qemu", "maxfiles", "parameter 'maxfiles' was removed"), uses=_USES
        ),
        _change("endpoint-removed", "/nodes/{node}/gone", None, "POST /nodes/{node}/gone was removed"),
    ]
    usage = UsageScope(
        sources=("app/",), calls=7, unfiltered={"breaking": 12, "warning": 3, "non-breaking": 40, "info": 1}
    )
    return _report(found, usage=usage, new_source="pve-8.2.js")


def test_text_and_markdown_list_each_use_under_its_change() -> None:
    report = _used_report()
    text = render(report, "text")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if "maxfiles" in line)
    assert lines[at + 1 : at + 3] == ["      at app/ops.py:40:4 (may hit)", "      at app/vms.py:12:8"]
    markdown = render(report, "markdown")
    assert "used at app/vms.py:12:8" in markdown and "used at app/ops.py:40:4 (may hit)" in markdown


def test_github_annotates_the_users_file_and_line_when_a_change_has_uses() -> None:
    lines = render(_used_report(), "github").splitlines()
    assert lines[0].startswith("::error file=app/ops.py,line=40,col=4,title=param-removed")
    assert lines[0].endswith("(may hit)")
    assert lines[1].startswith("::error file=app/vms.py,line=12,col=8,title=param-removed")
    assert lines[2].startswith("::error file=pve-8.2.js,title=endpoint-removed")


def test_every_reporter_prints_the_unfiltered_counts_when_usage_is_set() -> None:
    report = _used_report()
    line = (
        "Kept the changes that 7 call site(s) in app/ touch; "
        "without that filter: 12 breaking, 3 warning, 40 non-breaking, 1 info."
    )
    for fmt in ("text", "markdown", "github", "junit"):
        assert line in render(report, fmt), fmt
    assert json.loads(render(report, "json"))["usage"]["unfiltered"]["breaking"] == 12
    plain = replace(report, usage=None)
    assert "Kept the changes" not in render(plain, "text")
