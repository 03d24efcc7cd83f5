"""Reports on the real releases (needs ../shared): the disk geometry keys 9.1 dropped fold to one line per
operation, and the largest real report (8.4 -> 9.1) fits every channel."""

from __future__ import annotations

import json

import pytest

from pvegen.compat import build_report
from pvegen.compat.fold import fold
from pvegen.compat.reporters import render
from pvegen.compat.reporters.markdown import LIMIT
from tests.fixtures_shared import real_data_module
from tests.test_compat_reports import annotation_kinds
from tests.test_compat_support import changes, spec

real_data_module()


def test_real_disk_geometry_keys_fold_to_one_line_per_operation() -> None:
    report = build_report(spec("8.4"), spec("9.1"))
    geometry = [g for g in fold(report.changes) if g.first.rule == "param-subkey-removed"]
    assert {(g.first.method, g.first.path, g.parameter, len(g.changes)) for g in geometry} == {
        (method, path, "{ide,sata,scsi,virtio}[n].{cyls,heads,secs,trans}", 16)
        for method, path in (
            ("POST", "/nodes/{node}/qemu"),
            ("POST", "/nodes/{node}/qemu/{vmid}/config"),
            ("PUT", "/nodes/{node}/qemu/{vmid}/config"),
        )
    }


@pytest.mark.parametrize("fail_on", [None, "breaking", "warning"])
def test_8_4_to_9_1_fits_every_channel(fail_on: str | None) -> None:
    report = build_report(spec("8.4"), spec("9.1"), fail_on=fail_on)
    text = render(report, "text")
    assert len(text.splitlines()) <= 300
    assert "Not listed (--verbose lists them): " in text and "non-breaking (return-property-added" in text
    assert len(render(report, "markdown")) <= LIMIT
    github = render(report, "github")
    kinds = annotation_kinds(github)
    assert len(kinds) <= 20 and kinds.count("::error") <= 10 and kinds.count("::warning") <= 10
    assert kinds.count("::notice") == 1 and kinds[-1] == "::notice"
    assert len(github.splitlines()) == len(kinds)  # nothing but workflow commands
    # JSON stays complete, unfolded.
    document = json.loads(render(report, "json"))
    assert len(document["changes"]) == len(changes("8.4", "9.1")) == len(report.changes)
