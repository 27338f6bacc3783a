"""Atomic checkpoint writes, with a metadata file beside every checkpoint.

A checkpoint is first written to a temporary file in the target folder, flushed to disk, then
renamed over the target with ``os.replace``: a crash or a full disk mid-write leaves the previous
checkpoint intact instead of a torn file. ``save_checkpoint`` also writes
``<checkpoint>.metadata.json`` with the step, the metrics, the config, a hash of the config and
the git commit the code was at, so every checkpoint says what produced it.

PyTorch is optional: without it, pass ``save_fn`` to choose how the state is serialised.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, Mapping, Optional, Union

try:
    import torch
except ImportError:  # optional
    torch = None  # type: ignore[assignment]

__all__ = [
    "atomic_write_bytes",
    "config_hash",
    "git_commit",
    "metadata_path",
    "read_metadata",
    "save_checkpoint",
]

PathLike = Union[str, "os.PathLike[str]"]
SaveFn = Callable[[Any, str], None]


def atomic_write_bytes(path: PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file in the same folder, then ``os.replace``)."""
    return _write_atomically(Path(path), lambda tmp_path: Path(tmp_path).write_bytes(data))


def save_checkpoint(
    path: PathLike,
    state: Mapping[str, Any],
    *,
    step: int,
    config: Optional[Mapping[str, Any]] = None,
    metrics: Optional[Mapping[str, float]] = None,
    save_fn: Optional[SaveFn] = None,
) -> Dict[str, Any]:
    """Write ``state`` (model/optimizer/scheduler state dicts, ...) to ``path`` atomically.

    ``save_fn(state, tmp_path)`` serialises the state; the default is ``torch.save``. The metadata
    written to ``metadata_path(path)`` is returned.
    """
    target = Path(path)

    def write_state(tmp_path: str) -> None:
        if save_fn is not None:
            save_fn(dict(state), tmp_path)
        elif torch is not None:
            torch.save(dict(state), tmp_path)
        else:
            raise ImportError("torch is not installed: pass save_fn= to choose how the checkpoint is serialised")

    _write_atomically(target, write_state)
    metadata = {
        "checkpoint": target.name,
        "step": int(step),
        "metrics": dict(metrics or {}),
        "config": dict(config) if config is not None else None,
        "config_hash": config_hash(config) if config is not None else None,
        "git_commit": git_commit(target.parent),
        "saved_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    text = json.dumps(metadata, indent=2, sort_keys=True, default=str) + "\n"
    atomic_write_bytes(metadata_path(target), text.encode("utf-8"))
    return metadata


def metadata_path(checkpoint: PathLike) -> Path:
    """Where the metadata of ``checkpoint`` lives: ``<checkpoint>.metadata.json``."""
    target = Path(checkpoint)
    return target.with_name(target.name + ".metadata.json")


def read_metadata(checkpoint: PathLike) -> Dict[str, Any]:
    """The metadata written by ``save_checkpoint`` for ``checkpoint``."""
    with open(metadata_path(checkpoint), encoding="utf-8") as fh:
        return json.load(fh)


def config_hash(config: Mapping[str, Any]) -> str:
    """A stable SHA-256 of a config: the same keys and values give the same hash in any key order."""
    canonical = json.dumps(config, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def git_commit(cwd: Optional[PathLike] = None) -> Optional[str]:
    """The commit SHA of the git checkout around ``cwd`` (with ``-dirty`` for local changes), or None."""
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return sha + ("-dirty" if status else "") if sha else None


def _write_atomically(target: Path, write: Callable[[str], Any]) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_path = tempfile.mkstemp(prefix="." + target.name + ".", suffix=".tmp", dir=str(target.parent))
    os.close(fd)
    try:
        write(tmp_path)
        with open(tmp_path, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, target)
    except BaseException:
        try:
            os.unlink(tmp_path)
        except FileNotFoundError:
            pass
        raise
    return target
