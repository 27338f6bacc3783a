"""Deterministic seeding, and capture/restore of every random number generator's state.

``seed_everything(seed)`` seeds Python's ``random``, NumPy and PyTorch (CPU and every CUDA device)
from one number and can switch PyTorch to deterministic kernels. ``capture_rng_state()`` and
``restore_rng_state()`` save and set back the state of all of them, so a run resumed from a
checkpoint draws the same numbers it would have drawn without the interruption.

NumPy and PyTorch are optional: a library that is not installed is skipped.
"""

from __future__ import annotations

import os
import random
from typing import Any, Dict

try:
    import numpy as np
except ImportError:  # optional
    np = None  # type: ignore[assignment]

try:
    import torch
except ImportError:  # optional
    torch = None  # type: ignore[assignment]

__all__ = [
    "capture_rng_state",
    "restore_rng_state",
    "rng_state_from_jsonable",
    "rng_state_to_jsonable",
    "seed_everything",
]

_MAX_SEED = 2**32


def seed_everything(seed: int, deterministic: bool = False) -> int:
    """Seed ``random``, NumPy and PyTorch with ``seed`` and return it.

    With ``deterministic=True`` PyTorch is asked for deterministic kernels (cuDNN deterministic,
    benchmark off, ``use_deterministic_algorithms``); this can make some operations slower.
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if not 0 <= seed < _MAX_SEED:
        raise ValueError(f"seed must be in [0, 2**32), got {seed}")
    random.seed(seed)
    if np is not None:
        np.random.seed(seed)
    if torch is not None:
        torch.manual_seed(seed)
        if torch.cuda.is_available():
            torch.cuda.manual_seed_all(seed)
        if deterministic:
            # cuBLAS needs a fixed workspace for deterministic matrix products on CUDA >= 10.2.
            os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
            torch.backends.cudnn.deterministic = True
            torch.backends.cudnn.benchmark = False
            try:
                torch.use_deterministic_algorithms(True, warn_only=True)
            except TypeError:  # torch < 1.11 has no warn_only
                torch.use_deterministic_algorithms(True)
    return seed


def capture_rng_state() -> Dict[str, Any]:
    """The current state of every generator, to store in a checkpoint (``torch.save`` keeps it as is)."""
    state: Dict[str, Any] = {"python": random.getstate()}
    if np is not None:
        state["numpy"] = np.random.get_state()
    if torch is not None:
        state["torch"] = torch.get_rng_state()
        if torch.cuda.is_available():
            state["torch_cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng_state(state: Dict[str, Any]) -> None:
    """Set every generator back to a state from ``capture_rng_state`` or ``rng_state_from_jsonable``."""
    random.setstate(_as_tuple(state["python"]))
    if np is not None and state.get("numpy") is not None:
        np.random.set_state(_as_tuple(state["numpy"]))
    if torch is not None and state.get("torch") is not None:
        torch.set_rng_state(_as_byte_tensor(state["torch"]))
        cuda_states = state.get("torch_cuda")
        if cuda_states is not None and torch.cuda.is_available():
            torch.cuda.set_rng_state_all([_as_byte_tensor(s) for s in cuda_states])


def rng_state_to_jsonable(state: Dict[str, Any]) -> Dict[str, Any]:
    """A copy of ``state`` made only of lists, numbers and strings (for ``json.dump``)."""
    out: Dict[str, Any] = {"python": _plain(state["python"])}
    if state.get("numpy") is not None:
        out["numpy"] = _plain(state["numpy"])
    if state.get("torch") is not None:
        out["torch"] = _plain(state["torch"])
    if state.get("torch_cuda") is not None:
        out["torch_cuda"] = [_plain(s) for s in state["torch_cuda"]]
    return out


def rng_state_from_jsonable(data: Dict[str, Any]) -> Dict[str, Any]:
    """The inverse of ``rng_state_to_jsonable``: a state ``restore_rng_state`` accepts."""
    state: Dict[str, Any] = {"python": _as_tuple(data["python"])}
    if data.get("numpy") is not None:
        numpy_state = list(data["numpy"])
        if np is not None:
            numpy_state[1] = np.asarray(numpy_state[1], dtype=np.uint32)
        state["numpy"] = tuple(numpy_state)
    for key in ("torch", "torch_cuda"):
        if data.get(key) is not None:
            state[key] = data[key]
    return state


def _plain(value: Any) -> Any:
    """Tuples, NumPy arrays and tensors turned into nested lists of plain numbers."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _as_tuple(value: Any) -> Any:
    """``random.setstate`` and ``np.random.set_state`` want tuples where JSON gives lists."""
    if isinstance(value, list):
        return tuple(_as_tuple(v) for v in value)
    return value


def _as_byte_tensor(value: Any) -> Any:
    if torch is not None and not isinstance(value, torch.Tensor):
        return torch.tensor(list(value), dtype=torch.uint8)
    return value
