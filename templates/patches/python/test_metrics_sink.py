"""Tests for {{module}}: records round-trip through NDJSON and CSV files."""

import json
import sys
import tempfile
import unittest
from pathlib import Path

# Run without installing the package: put the import root on sys.path.
_IMPORT_ROOT = {{import_root}}
if str(_IMPORT_ROOT) not in sys.path:
    sys.path.insert(0, str(_IMPORT_ROOT))

from {{module}} import MetricsSink, read_metrics  # noqa: E402


class MetricsSinkTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()

    def test_ndjson_records_round_trip_one_per_line(self):
        path = self.dir / "run" / "metrics.ndjson"
        with MetricsSink(path, add_time=False) as sink:
            sink.log({"loss": 1.5}, step=1, split="train")
            sink.log({"loss": 1.25, "accuracy": 0.5}, step=2, split="val")
        lines = path.read_text(encoding="utf-8").splitlines()
        self.assertEqual(len(lines), 2)
        self.assertEqual(json.loads(lines[1]), {"step": 2, "split": "val", "loss": 1.25, "accuracy": 0.5})
        self.assertEqual([r["step"] for r in read_metrics(path)], [1, 2])

    def test_non_finite_values_are_written_as_null(self):
        path = self.dir / "metrics.jsonl"
        with MetricsSink(path, add_time=False) as sink:
            sink.log({"loss": float("nan"), "ppl": float("inf")}, step=3)
        self.assertEqual(read_metrics(path), [{"step": 3, "loss": None, "ppl": None}])

    def test_csv_appends_under_one_header(self):
        path = self.dir / "metrics.csv"
        with MetricsSink(path, add_time=False) as sink:
            sink.log({"loss": 2.0}, step=1)
        with MetricsSink(path, add_time=False) as sink:
            sink.log({"loss": 1.0}, step=2)
        self.assertEqual(path.read_text(encoding="utf-8").splitlines()[0], "step,loss")
        self.assertEqual(read_metrics(path), [{"step": "1", "loss": "2.0"}, {"step": "2", "loss": "1.0"}])

    def test_csv_rejects_a_column_missing_from_the_header(self):
        with MetricsSink(self.dir / "metrics.csv", add_time=False) as sink:
            sink.log({"loss": 2.0}, step=1)
            with self.assertRaises(ValueError):
                sink.log({"loss": 1.0, "accuracy": 0.9}, step=2)

    def test_unknown_extension_is_refused(self):
        with self.assertRaises(ValueError):
            MetricsSink(self.dir / "metrics.txt")

    def test_time_is_added_by_default(self):
        path = self.dir / "metrics.ndjson"
        with MetricsSink(path) as sink:
            record = sink.log({"loss": 0.1}, step=1)
        self.assertIn("time", record)


if __name__ == "__main__":
    unittest.main()
