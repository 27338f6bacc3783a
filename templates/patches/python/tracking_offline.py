"""Offline-safe experiment tracking: MLflow on a local file store, Weights & Biases in offline mode.

``offline_run()`` records one run (parameters, metrics, artifacts) in a local MLflow store
(``mlruns/`` by default) and sets ``WANDB_MODE=offline`` for code that also calls ``wandb.init``,
so nothing is sent over the network. Both variables are restored when the run ends. When MLflow is
not installed every ``log_*`` call is a no-op: training code can call the tracker unconditionally.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, Mapping, Optional, Union

try:
    import mlflow
except ImportError:  # optional: tracking becomes a no-op
    mlflow = None  # type: ignore[assignment]

__all__ = ["DEFAULT_STORE_DIR", "TrackedRun", "local_tracking_uri", "offline_run", "tracking_available"]

DEFAULT_STORE_DIR = "mlruns"
_OFFLINE_ENV = ("MLFLOW_TRACKING_URI", "WANDB_MODE")

PathLike = Union[str, "os.PathLike[str]"]


def tracking_available() -> bool:
    """True when MLflow is installed (otherwise runs are not recorded)."""
    return mlflow is not None


def local_tracking_uri(store_dir: PathLike = DEFAULT_STORE_DIR) -> str:
    """A ``file:`` URI for a local MLflow store in ``store_dir`` (created if missing)."""
    path = Path(store_dir).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path.as_uri()


class TrackedRun:
    """The active run; every method is a no-op when MLflow is not installed."""

    def __init__(self, run: Any = None) -> None:
        self.run = run

    @property
    def run_id(self) -> Optional[str]:
        return self.run.info.run_id if self.run is not None else None

    def log_params(self, params: Mapping[str, Any]) -> None:
        if self.run is not None:
            mlflow.log_params({str(k): v for k, v in params.items()})

    def log_metrics(self, metrics: Mapping[str, float], step: Optional[int] = None) -> None:
        if self.run is not None:
            mlflow.log_metrics({str(k): float(v) for k, v in metrics.items()}, step=step)

    def log_artifact(self, path: PathLike) -> None:
        if self.run is not None:
            mlflow.log_artifact(str(path))

    def set_tags(self, tags: Mapping[str, Any]) -> None:
        if self.run is not None:
            mlflow.set_tags({str(k): str(v) for k, v in tags.items()})


@contextmanager
def offline_run(
    experiment: str = "local",
    store_dir: PathLike = DEFAULT_STORE_DIR,
    run_name: Optional[str] = None,
    params: Optional[Mapping[str, Any]] = None,
) -> Iterator[TrackedRun]:
    """Track one run locally; yields a ``TrackedRun``. Nothing leaves the machine."""
    saved: Dict[str, Optional[str]] = {key: os.environ.get(key) for key in _OFFLINE_ENV}
    uri = local_tracking_uri(store_dir)
    os.environ["MLFLOW_TRACKING_URI"] = uri
    os.environ["WANDB_MODE"] = "offline"
    try:
        if mlflow is None:
            yield TrackedRun(None)
            return
        mlflow.set_tracking_uri(uri)
        mlflow.set_experiment(experiment)
        with mlflow.start_run(run_name=run_name) as active:
            run = TrackedRun(active)
            if params:
                run.log_params(params)
            yield run
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
