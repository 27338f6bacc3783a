"""Tests for {{module}}: system metrics are plain numbers; logging never fails offline."""

import math
import os
import sys
import tempfile
import unittest
from pathlib import Path

# Run without installing the package: put the import root on sys.path.
_IMPORT_ROOT = {{import_root}}
if str(_IMPORT_ROOT) not in sys.path:
    sys.path.insert(0, str(_IMPORT_ROOT))

from {{module}} import OfflineLogger, sample_system_metrics  # noqa: E402


class SystemMetricsTest(unittest.TestCase):
    def test_metrics_are_finite_floats_with_a_timestamp(self):
        metrics = sample_system_metrics()
        self.assertIn("system/time", metrics)
        for name, value in metrics.items():
            self.assertIsInstance(value, float, name)
            self.assertTrue(math.isfinite(value), name)


class OfflineLoggerTest(unittest.TestCase):
    def test_logging_works_with_or_without_tensorboard(self):
        with tempfile.TemporaryDirectory() as tmp:
            log_dir = Path(tmp) / "tb"
            with OfflineLogger(log_dir) as logger:
                logger.log_scalar("train/loss", 1.0, step=1)
                logger.log_scalars({"val/loss": 0.5}, step=1)
                logger.log_system_metrics(step=1)
                logger.flush()
                available = logger.available
            if available:
                self.assertTrue(any(name.startswith("events.") for name in os.listdir(log_dir)))
            else:
                self.assertFalse(log_dir.exists())

    def test_disabled_logger_writes_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            logger = OfflineLogger(Path(tmp) / "tb", enabled=False)
            logger.log_scalar("loss", 1.0, step=0)
            logger.close()
            self.assertFalse(logger.available)
            self.assertEqual(os.listdir(tmp), [])


if __name__ == "__main__":
    unittest.main()
