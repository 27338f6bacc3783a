"""Offline-safe metrics logging: TensorBoard event files plus system metrics (CPU, RAM, GPU).

``OfflineLogger`` writes scalars to a local TensorBoard log folder (``tensorboard --logdir runs``
reads it; nothing is sent anywhere). When TensorBoard or PyTorch is not installed it logs nothing
and ``available`` is False, so training code can log unconditionally. ``sample_system_metrics()``
reads CPU and memory use with psutil and GPU memory with PyTorch when they are installed.
"""

from __future__ import annotations

import os
import time
from typing import Any, Dict, Mapping, Optional, Union

try:
    from torch.utils.tensorboard import SummaryWriter
except Exception:  # ImportError, or a broken TensorBoard install: stay usable without it
    SummaryWriter = None  # type: ignore[assignment,misc]

try:
    import psutil
except ImportError:  # optional
    psutil = None  # type: ignore[assignment]

try:
    import torch
except ImportError:  # optional
    torch = None  # type: ignore[assignment]

__all__ = ["DEFAULT_LOG_DIR", "OfflineLogger", "sample_system_metrics"]

DEFAULT_LOG_DIR = "runs/tensorboard"

PathLike = Union[str, "os.PathLike[str]"]
_GIB = float(1024**3)


def sample_system_metrics() -> Dict[str, float]:
    """CPU/RAM use of the machine and this process (psutil) and GPU memory (PyTorch), if available."""
    metrics: Dict[str, float] = {"system/time": time.time()}
    if psutil is not None:
        memory = psutil.virtual_memory()
        metrics["system/cpu_percent"] = float(psutil.cpu_percent(interval=None))
        metrics["system/mem_percent"] = float(memory.percent)
        metrics["system/mem_used_gb"] = memory.used / _GIB
        metrics["system/process_rss_gb"] = psutil.Process(os.getpid()).memory_info().rss / _GIB
    if torch is not None and torch.cuda.is_available():
        for index in range(torch.cuda.device_count()):
            metrics[f"system/gpu{index}_mem_allocated_gb"] = torch.cuda.memory_allocated(index) / _GIB
            metrics[f"system/gpu{index}_mem_max_allocated_gb"] = torch.cuda.max_memory_allocated(index) / _GIB
    return metrics


class OfflineLogger:
    """Scalars to local TensorBoard event files; a no-op when TensorBoard is not installed."""

    def __init__(self, log_dir: PathLike = DEFAULT_LOG_DIR, enabled: bool = True) -> None:
        self.log_dir = str(log_dir)
        self._writer: Any = None
        if enabled and SummaryWriter is not None:
            os.makedirs(self.log_dir, exist_ok=True)
            self._writer = SummaryWriter(log_dir=self.log_dir)

    @property
    def available(self) -> bool:
        """True when scalars are really written."""
        return self._writer is not None

    def log_scalar(self, tag: str, value: float, step: int) -> None:
        if self._writer is not None:
            self._writer.add_scalar(tag, float(value), step)

    def log_scalars(self, scalars: Mapping[str, float], step: int) -> None:
        for tag, value in scalars.items():
            self.log_scalar(tag, value, step)

    def log_system_metrics(self, step: int) -> Dict[str, float]:
        """Sample the system metrics, log them (except the timestamp) and return them."""
        metrics = sample_system_metrics()
        self.log_scalars({k: v for k, v in metrics.items() if k != "system/time"}, step)
        return metrics

    def flush(self) -> None:
        if self._writer is not None:
            self._writer.flush()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def __enter__(self) -> "OfflineLogger":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
