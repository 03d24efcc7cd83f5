"""Settings: a TOML file, overridden by PVEFLEET_* environment variables."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from pathlib import Path
from typing import Any

DEFAULT_PATHS = (
    Path("/etc/pvefleet/pvefleet.toml"),
    Path.home() / ".config" / "pvefleet" / "pvefleet.toml",
)


class ConfigError(Exception):
    """A setting is missing or malformed."""


@dataclasses.dataclass
class Cluster:
    name: str
    host: str
    port: int = 8006
    user: str = "root@pam"
    token_name: str | None = None
    token_value: str | None = None
    password: str | None = None
    verify_ssl: bool | str = True
    default_node: str = "pve1"
    default_storage: str = "local-lvm"
    default_bridge: str = "vmbr0"
    iso_storage: str = "local"
    backup_storage: str = "pbs"
    template_pool: str = "templates"

    @property
    def uses_token(self) -> bool:
        return bool(self.token_name and self.token_value)


@dataclasses.dataclass
class Settings:
    clusters: dict[str, Cluster]
    inventory_tags: tuple[str, ...] = ("managed",)
    backup_max_age_hours: int = 26
    health_warn_load: float = 0.85
    dry_run: bool = False

    def cluster(self, name: str | None) -> Cluster:
        if name is None:
            if len(self.clusters) != 1:
                raise ConfigError("several clusters are configured: name one with --cluster")
            return next(iter(self.clusters.values()))
        try:
            return self.clusters[name]
        except KeyError:
            known = ", ".join(sorted(self.clusters)) or "none"
            raise ConfigError(f"unknown cluster {name!r} (configured: {known})") from None


def _bool(text: str) -> bool | str:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    return text  # a CA bundle path


def _cluster_from(name: str, raw: dict[str, Any]) -> Cluster:
    fields = {f.name for f in dataclasses.fields(Cluster)}
    unknown = sorted(set(raw) - fields)
    if unknown:
        raise ConfigError(f"cluster {name}: unknown setting(s) {', '.join(unknown)}")
    if "host" not in raw:
        raise ConfigError(f"cluster {name}: 'host' is required")
    values = dict(raw)
    values.setdefault("name", name)
    return Cluster(**values)


def _apply_environment(settings: Settings) -> None:
    prefix = "PVEFLEET_"
    for key, value in os.environ.items():
        if not key.startswith(prefix):
            continue
        parts = key[len(prefix) :].lower().split("__")
        if len(parts) != 2:
            continue
        cluster_name, field = parts
        cluster = settings.clusters.get(cluster_name)
        if cluster is None or not hasattr(cluster, field):
            continue
        current = getattr(cluster, field)
        if isinstance(current, bool) or field == "verify_ssl":
            setattr(cluster, field, _bool(value))
        elif isinstance(current, int):
            setattr(cluster, field, int(value))
        else:
            setattr(cluster, field, value)


def load(path: str | None = None) -> Settings:
    candidates = [Path(path)] if path else [p for p in DEFAULT_PATHS if p.exists()]
    if not candidates:
        raise ConfigError("no configuration found (give --config or create ~/.config/pvefleet/pvefleet.toml)")
    source = candidates[0]
    try:
        raw = tomllib.loads(source.read_text())
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{source}: {err}") from None
    clusters = {name: _cluster_from(name, values) for name, values in raw.get("clusters", {}).items()}
    if not clusters:
        raise ConfigError(f"{source}: no [clusters.NAME] table")
    options = raw.get("options", {})
    settings = Settings(
        clusters=clusters,
        inventory_tags=tuple(options.get("inventory_tags", ("managed",))),
        backup_max_age_hours=int(options.get("backup_max_age_hours", 26)),
        health_warn_load=float(options.get("health_warn_load", 0.85)),
        dry_run=bool(options.get("dry_run", False)),
    )
    _apply_environment(settings)
    return settings
