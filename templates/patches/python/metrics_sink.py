"""A metrics sink: one record per evaluation or log step, appended to an NDJSON or CSV file.

``metrics.ndjson`` (or ``.jsonl``) gets one JSON object per line, ``metrics.csv`` one row per
record. Files are appended to and flushed after every record, so ``tail -f`` works during a run
and a crash loses at most the record being written. NaN and infinite values are written as
``null`` (empty in CSV), so the file stays valid JSON; tensors and NumPy scalars are unwrapped.
"""

from __future__ import annotations

import csv
import json
import math
import os
import time
from pathlib import Path
from typing import IO, Any, Dict, Iterator, List, Mapping, Optional, Union

__all__ = ["DEFAULT_METRICS_PATH", "MetricsSink", "read_metrics"]

DEFAULT_METRICS_PATH = "runs/metrics.ndjson"

PathLike = Union[str, "os.PathLike[str]"]


class MetricsSink:
    """Append metrics records to ``path``; the format follows the extension (.ndjson/.jsonl or .csv)."""

    def __init__(self, path: PathLike = DEFAULT_METRICS_PATH, add_time: bool = True) -> None:
        self.path = Path(path)
        suffix = self.path.suffix.lower()
        if suffix not in (".ndjson", ".jsonl", ".csv"):
            raise ValueError(f"unsupported metrics file extension {suffix!r}: use .ndjson, .jsonl or .csv")
        self.format = "csv" if suffix == ".csv" else "ndjson"
        self.add_time = add_time
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fields: Optional[List[str]] = self._existing_csv_header() if self.format == "csv" else None
        self._fh: Optional[IO[str]] = open(self.path, "a", encoding="utf-8", newline="")

    def log(self, metrics: Mapping[str, Any], step: Optional[int] = None, **extra: Any) -> Dict[str, Any]:
        """Append one record (``step``, the metrics and any ``extra`` fields such as ``split="val"``)."""
        if self._fh is None:
            raise ValueError("MetricsSink is closed")
        metrics_record: Dict[str, Any] = {}
        if step is not None:
            metrics_record["step"] = int(step)
        if self.add_time:
            metrics_record["time"] = round(time.time(), 3)
        metrics_record.update(extra)
        metrics_record.update(metrics)
        metrics_record = {str(k): _plain(v) for k, v in metrics_record.items()}
        if self.format == "ndjson":
            self._fh.write(json.dumps(metrics_record, ensure_ascii=False, allow_nan=False) + "\n")
        else:
            self._write_csv(metrics_record)
        self._fh.flush()
        return metrics_record

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> "MetricsSink":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _write_csv(self, metrics_record: Dict[str, Any]) -> None:
        assert self._fh is not None
        if self._fields is None:
            self._fields = list(metrics_record)
            csv.writer(self._fh, lineterminator="\n").writerow(self._fields)
        unknown = [k for k in metrics_record if k not in self._fields]
        if unknown:
            raise ValueError(f"{self.path}: columns {unknown} are not in the CSV header {self._fields}; start a new file")
        writer = csv.DictWriter(self._fh, fieldnames=self._fields, lineterminator="\n")
        writer.writerow({k: "" if v is None else v for k, v in metrics_record.items()})

    def _existing_csv_header(self) -> Optional[List[str]]:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return None
        with open(self.path, encoding="utf-8", newline="") as fh:
            return next(csv.reader(fh), None)


def read_metrics(path: PathLike) -> List[Dict[str, Any]]:
    """Every record of a metrics file written by ``MetricsSink`` (CSV values come back as strings)."""
    return list(_iter_records(Path(path)))


def _iter_records(path: Path) -> Iterator[Dict[str, Any]]:
    with open(path, encoding="utf-8", newline="") as fh:
        if path.suffix.lower() == ".csv":
            yield from csv.DictReader(fh)
            return
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _plain(value: Any) -> Any:
    if hasattr(value, "item") and callable(value.item):
        try:
            value = value.item()  # 0-d tensors and NumPy scalars
        except (TypeError, ValueError):
            pass
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
