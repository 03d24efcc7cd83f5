"""A finished comparison: the changes that count, the ignored ones, the gate's threshold, and the
plain verdict on Proxmox's documented promise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import Spec
from .change import SEVERITIES, Change
from .diff import diff
from .ignore import IgnoreEntry, split_ignored
from .policy import crosses_major, default_fail_on, fails

__all__ = ["Report", "UsageScope", "build_report"]


@dataclass(frozen=True)
class UsageScope:
    """Set when ``compat --usage`` kept only the changes the user's calls touch."""

    sources: tuple[str, ...]  # the SRC arguments as given
    calls: int  # call sites found in them
    unfiltered: dict[str, int]  # per severity, before filtering: the one line of "what else changed"


@dataclass(frozen=True)
class Report:
    old_version: str | None
    new_version: str | None
    changes: list[Change]
    fail_on: str
    ignored: list[tuple[Change, str]] = field(default_factory=list)
    old_source: str | None = None
    new_source: str | None = None
    # (method, path) of every operation in either release: junit has one test case each.
    operations: tuple[tuple[str, str], ...] = ()
    usage: UsageScope | None = None
    # True when fail_on is the policy's default for the pair (not given by --fail-on).
    fail_on_default: bool = False

    @property
    def title(self) -> str:
        return f"pve {self.old_version or '?'} -> {self.new_version or '?'}"

    @property
    def across_majors(self) -> bool:
        return crosses_major(self.old_version, self.new_version)

    @property
    def failed(self) -> bool:
        return fails(self.changes, self.fail_on)

    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITIES, 0)
        for change in self.changes:
            counts[change.severity] += 1
        return counts

    def breaking(self, basis: str) -> list[Change]:
        return [c for c in self.changes if c.severity == "breaking" and c.basis == basis]

    def promise_kept(self) -> bool:
        """Proxmox's documented promise: no breaking change under a documented rule."""
        return not self.breaking("documented")

    def verdict(self) -> list[str]:
        """Plain sentences: does the pair keep the documented promise, what the refined rules found."""
        documented, refined = self.breaking("documented"), self.breaking("refined")
        lines = []
        if self.across_majors:
            lines.append("Across major releases Proxmox promises no compatibility: this is the migration list.")
        if documented:
            rules = sorted({c.rule for c in documented})
            lines.append(
                f"Proxmox's documented promise is BROKEN: {len(documented)} breaking change(s) under "
                f"documented rules ({', '.join(rules)})."
            )
        else:
            lines.append("Proxmox's documented promise is kept: no breaking change under the documented rules.")
        if refined:
            rules = sorted({c.rule for c in refined})
            lines.append(f"Refined rules found {len(refined)} more breaking change(s) ({', '.join(rules)}).")
        else:
            lines.append("Refined rules found no further breaking changes.")
        if self.ignored:
            lines.append(f"{len(self.ignored)} change(s) ignored by the ignore file (listed below).")
        unknown = self.unknown_versions()
        if unknown:
            lines.append(unknown)
        if self.usage is not None:
            lines.append(self.usage_line())
        gate = "never fails" if self.fail_on == "never" else f"fails on {self.fail_on} or worse"
        lines.append(f"Gate ({gate}): {'FAIL' if self.failed else 'pass'}.")
        return lines

    def unknown_versions(self) -> str | None:
        """One line when a release is unknown: what to pass, and which policy was applied meanwhile."""
        missing = [side for side, version in (("OLD", self.old_version), ("NEW", self.new_version)) if not version]
        if not missing:
            return None
        flags = " / ".join(f"--{side.lower()}-version LABEL" for side in missing)
        which = " and ".join(missing)
        if self.fail_on_default:
            policy = f"so the within-a-major policy applied (fail on {self.fail_on} or worse)"
        else:
            policy = f"the gate used --fail-on {self.fail_on} as given"
        return f"The release of {which} is unknown (pass {flags}): {policy}."

    def usage_line(self) -> str:
        """``compat --usage``: what was kept, against everything that changed."""
        assert self.usage is not None
        counts = ", ".join(f"{self.usage.unfiltered.get(s, 0)} {s}" for s in SEVERITIES)
        sources = " ".join(self.usage.sources)
        return (
            f"Kept the changes that {self.usage.calls} call site(s) in {sources} touch; "
            f"without that filter: {counts}."
        )


def build_report(old: Spec, new: Spec, *, fail_on: str | None = None, ignore: Sequence[IgnoreEntry] = ()) -> Report:
    """Diff two specs and apply the policy (``fail_on`` None: the default for the pair) and ignores."""
    changes, ignored = split_ignored(diff(old, new), list(ignore))
    keys = {op.key for op in old.operations} | {op.key for op in new.operations}
    return Report(
        old_version=old.version,
        new_version=new.version,
        changes=changes,
        fail_on=fail_on or default_fail_on(old.version, new.version),
        fail_on_default=fail_on is None,
        ignored=ignored,
        old_source=old.source,
        new_source=new.source,
        operations=tuple(sorted(keys, key=lambda k: (k[1], k[0]))),
    )
