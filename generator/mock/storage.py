"""Storage: the storage list and status, and volumes (list, allocate, upload, notes, delete)."""

from __future__ import annotations

import hashlib
import re
import time
from typing import Any

from ..runtime.redact import is_secret_name
from .call import Call, split_list, starts_task
from .errors import ApiError, param_error
from .state import Storage, Volume


def _storage(call: Call) -> Storage:
    name = call.values["storage"]
    storage = call.state.storages.get(name)
    if storage is None:
        raise ApiError(500, f"storage '{name}' does not exist")
    return storage


def _storage_config(storage: Storage) -> dict[str, Any]:
    data: dict[str, Any] = {"storage": storage.storage, "type": storage.type, "content": ",".join(storage.content)}
    if storage.path:
        data["path"] = storage.path
    if storage.shared:
        data["shared"] = 1
    data.update(storage.options)
    data["digest"] = hashlib.sha1(repr(sorted(data.items())).encode()).hexdigest()
    return data


# storage.cfg keys that are not options of the section, and secrets PVE keeps outside storage.cfg
_NOT_OPTIONS = frozenset({"storage", "type", "content", "path", "shared", "delete", "digest"})


def _options(call: Call) -> dict[str, Any]:
    return {k: v for k, v in call.values.items() if k not in _NOT_OPTIONS and not is_secret_name(k)}


def _created_answer(call: Call, storage: Storage) -> Any:
    if call.op.returns.type != "object":
        return None  # before 7.x these calls returned nothing
    return {"storage": storage.storage, "type": storage.type}


def storage_create(call: Call) -> Any:
    """``POST /storage``: a new storage (content defaults to disk images and container volumes)."""
    state = call.state
    name = str(call.values["storage"])
    if name in state.storages:
        raise ApiError(500, f"create storage failed: storage ID '{name}' already defined")
    content = split_list(call.values.get("content")) or ["images", "rootdir"]
    shared = 1 if call.values.get("shared") or call.values["type"] in ("nfs", "cifs", "rbd", "cephfs") else 0
    path = call.values.get("path")
    storage = Storage(name, str(call.values["type"]), content, str(path) if path else None, shared)
    storage.options = _options(call)
    state.storages[name] = storage
    return _created_answer(call, storage)


def storage_update(call: Call) -> Any:
    storage = _storage(call)
    digest = call.values.get("digest")
    if digest and digest != _storage_config(storage)["digest"]:
        raise ApiError(500, "update storage failed: detected modified configuration - file changed by other user? "
                       "Try again.")  # fmt: skip
    for key in split_list(call.values.get("delete")):
        storage.options.pop(key, None)
    if "content" in call.values:
        storage.content = split_list(call.values["content"])
    if "shared" in call.values:
        storage.shared = 1 if call.values["shared"] else 0
    storage.options.update(_options(call))
    return _created_answer(call, storage)


def storage_delete(call: Call) -> Any:
    """Removes the storage's configuration; its volumes stay where they are, as on PVE."""
    storage = _storage(call)
    del call.state.storages[storage.storage]
    for pool in call.state.pools.values():
        pool.storage.discard(storage.storage)
    return None


def storage_status(storage: Storage) -> dict[str, Any]:
    used = storage.used()
    return {
        "storage": storage.storage,
        "type": storage.type,
        "content": ",".join(storage.content),
        "active": 1,
        "enabled": 1,
        "shared": storage.shared,
        "total": storage.total,
        "used": used,
        "avail": storage.total - used,
        "used_fraction": round(used / storage.total, 6),
    }


def storage_list(call: Call) -> Any:
    wanted = call.values.get("type")
    return [_storage_config(s) for s in call.state.storages.values() if wanted in (None, s.type)]


def storage_get(call: Call) -> Any:
    return _storage_config(_storage(call))


def node_storage_list(call: Call) -> Any:
    call.node()
    content = [c for c in re.split(r"[,;\s]+", str(call.values.get("content", ""))) if c]
    only = call.values.get("storage")
    out = []
    for storage in call.state.storages.values():
        if content and not set(content) & set(storage.content):
            continue
        if only is not None and storage.storage != only:
            continue
        out.append(storage_status(storage))
    return out


def node_storage_status(call: Call) -> Any:
    call.node()
    return storage_status(_storage(call))


def _volume_entry(volume: Volume) -> dict[str, Any]:
    data: dict[str, Any] = {
        "volid": volume.volid,
        "format": volume.format,
        "size": volume.size,
        "content": volume.content,
        "ctime": volume.ctime,
    }
    if volume.vmid is not None:
        data["vmid"] = volume.vmid
        data["used"] = 0
    if volume.notes is not None:
        data["notes"] = volume.notes
    return data


def content_list(call: Call) -> Any:
    call.node()
    storage = _storage(call)
    content, vmid = call.values.get("content"), call.values.get("vmid")
    return [
        _volume_entry(v)
        for v in sorted(storage.volumes.values(), key=lambda v: v.volid)
        if content in (None, v.content) and vmid in (None, v.vmid)
    ]


def _volume(call: Call) -> tuple[Storage, Volume]:
    storage = _storage(call)
    name = str(call.values["volume"])
    volid = name if name.startswith(f"{storage.storage}:") else f"{storage.storage}:{name}"
    volume = storage.volumes.get(volid)
    if volume is None:
        raise ApiError(500, f"volume '{volid}' does not exist")
    return storage, volume


def content_get(call: Call) -> Any:
    call.node()
    storage, volume = _volume(call)
    base = storage.path or "/dev/pve"
    data: dict[str, Any] = {
        "path": f"{base}/{volume.volid.partition(':')[2]}",
        "size": volume.size,
        "used": volume.size,
        "format": volume.format,
    }
    if volume.notes is not None:
        data["notes"] = volume.notes
    return data


def content_update(call: Call) -> Any:
    call.node()
    _, volume = _volume(call)
    if "notes" in call.values:
        volume.notes = str(call.values["notes"])
    return None


def content_delete(call: Call) -> Any:
    call.node()
    storage, volume = _volume(call)
    del storage.volumes[volume.volid]
    if starts_task(call.op):
        return call.start_task("imgdel", volume.volid)
    return None


_SIZE = re.compile(r"^(\d+)([KMGT]?)$")


def content_allocate(call: Call) -> Any:
    call.node()
    storage = _storage(call)
    filename, vmid = str(call.values["filename"]), int(call.values["vmid"])
    size = _SIZE.match(str(call.values["size"]))
    if size is None:
        raise param_error("size", "unable to parse size")
    factor = {"": 1024, "K": 1024, "M": 2**20, "G": 2**30, "T": 2**40}[size.group(2)]
    volid = f"{storage.storage}:{filename}"
    if volid in storage.volumes:
        raise ApiError(500, f"volume '{volid}' already exists")
    fmt = call.values.get("format") or ("qcow2" if filename.endswith(".qcow2") else "raw")
    storage.volumes[volid] = Volume(volid, "images", fmt, int(size.group(1)) * factor, int(time.time()), vmid)
    return volid


def content_upload(call: Call) -> Any:
    call.node()
    storage = _storage(call)
    content = str(call.values["content"])
    if content not in storage.content:
        raise ApiError(500, f"storage '{storage.storage}' does not support '{content}' content")
    upload = call.files.get("filename")
    name = (upload.filename if upload else str(call.values.get("filename", ""))).rsplit("/", 1)[-1]
    if not name:
        raise param_error("filename", "missing file name")
    size = upload.size if upload else 0
    # PVE checks the checksum in the upload's task: the call succeeds, the task fails.
    expected = call.values.get("checksum")
    mismatch = upload is not None and expected is not None and str(expected).lower() != upload.digest
    outcome = f"checksum mismatch: got '{upload.digest}' instead of '{expected}'" if mismatch and upload else "OK"
    volid = f"{storage.storage}:{content}/{name}"
    fmt = name.rsplit(".", 1)[-1] if "." in name else "raw"

    def stored() -> None:
        if outcome == "OK":
            storage.volumes[volid] = Volume(volid, content, fmt, size, int(time.time()))

    return call.start_task(
        "imgcopy",
        "",
        log=[f"target file: {storage.path or ''}/{content}/{name}", f"file size is: {size}"],
        on_finish=stored,
        outcome=outcome,
    )
