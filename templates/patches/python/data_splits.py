"""Deterministic train/validation splits and seeded data order.

``train_val_split(items, val_fraction, seed)`` shuffles indices with a private
``random.Random(seed)``, so the split depends only on the seed and the number of items, never on
global random state. ``split_by_key`` assigns each item by a hash of its key instead: adding new
items never moves old ones to the other split. ``seeded_generator`` and ``seed_worker`` make a
PyTorch ``DataLoader`` shuffle and augment identically on every run:

    loader = DataLoader(dataset, shuffle=True, generator=seeded_generator(seed), worker_init_fn=seed_worker)

PyTorch and NumPy are optional.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from pathlib import Path
from typing import Any, Dict, Hashable, List, Optional, Sequence, Tuple, TypeVar, Union

try:
    import numpy as np
except ImportError:  # optional
    np = None  # type: ignore[assignment]

try:
    import torch
except ImportError:  # optional
    torch = None  # type: ignore[assignment]

__all__ = [
    "load_split",
    "save_split",
    "seed_worker",
    "seeded_generator",
    "split_by_key",
    "split_indices",
    "train_val_split",
]

T = TypeVar("T")
PathLike = Union[str, "os.PathLike[str]"]


def split_indices(n: int, val_fraction: float = 0.1, seed: int = 0) -> Tuple[List[int], List[int]]:
    """Disjoint, sorted train and validation indices covering ``range(n)``."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if not 0.0 <= val_fraction < 1.0:
        raise ValueError(f"val_fraction must be in [0, 1), got {val_fraction}")
    order = list(range(n))
    random.Random(seed).shuffle(order)
    val_size = int(round(n * val_fraction))
    val_indices = sorted(order[:val_size])
    train_indices = sorted(order[val_size:])
    return train_indices, val_indices


def train_val_split(items: Sequence[T], val_fraction: float = 0.1, seed: int = 0) -> Tuple[List[T], List[T]]:
    """``items`` split into (train, validation) lists, the same for the same seed."""
    train_indices, val_indices = split_indices(len(items), val_fraction, seed)
    return [items[i] for i in train_indices], [items[i] for i in val_indices]


def split_by_key(keys: Sequence[Hashable], val_fraction: float = 0.1, salt: str = "") -> Tuple[List[int], List[int]]:
    """Indices split by a hash of each key: stable when items are added, removed or reordered."""
    if not 0.0 <= val_fraction < 1.0:
        raise ValueError(f"val_fraction must be in [0, 1), got {val_fraction}")
    train_indices: List[int] = []
    val_indices: List[int] = []
    for index, key in enumerate(keys):
        digest = hashlib.sha256(f"{salt}:{key}".encode("utf-8")).digest()
        bucket = int.from_bytes(digest[:8], "big") / 2**64
        (val_indices if bucket < val_fraction else train_indices).append(index)
    return train_indices, val_indices


def save_split(path: PathLike, train_indices: Sequence[int], val_indices: Sequence[int], **info: Any) -> None:
    """Store a split (and e.g. the seed) as JSON, so later runs evaluate on exactly the same items."""
    data: Dict[str, Any] = dict(info)
    data.update({"train": [int(i) for i in train_indices], "val": [int(i) for i in val_indices]})
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, sort_keys=True) + "\n", encoding="utf-8")


def load_split(path: PathLike) -> Tuple[List[int], List[int]]:
    """The (train, validation) indices stored by ``save_split``."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return list(data["train"]), list(data["val"])


def seeded_generator(seed: int) -> Optional[Any]:
    """A ``torch.Generator`` seeded with ``seed`` for ``DataLoader(generator=...)``; None without PyTorch."""
    if torch is None:
        return None
    generator = torch.Generator()
    generator.manual_seed(seed)
    return generator


def seed_worker(worker_id: int) -> None:
    """``DataLoader(worker_init_fn=seed_worker)``: seed ``random`` and NumPy in each worker from PyTorch's seed."""
    # Inside a DataLoader worker, torch.initial_seed() is already the loader's base seed + worker id.
    worker_seed = torch.initial_seed() % 2**32 if torch is not None else worker_id
    random.seed(worker_seed)
    if np is not None:
        np.random.seed(worker_seed)
