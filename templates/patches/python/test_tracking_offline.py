"""Tests for {{module}}: the tracker stays on the local machine and no-ops without MLflow."""

import os
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

# Run without installing the package: put the import root on sys.path.
_IMPORT_ROOT = {{import_root}}
if str(_IMPORT_ROOT) not in sys.path:
    sys.path.insert(0, str(_IMPORT_ROOT))

from {{module}} import local_tracking_uri, offline_run, tracking_available  # noqa: E402


class OfflineRunTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.store = Path(self._tmp.name) / "mlruns"

    def tearDown(self):
        self._tmp.cleanup()

    def test_local_uri_is_a_file_uri_inside_the_store(self):
        uri = local_tracking_uri(self.store)
        self.assertTrue(uri.startswith("file:"))
        self.assertTrue(self.store.is_dir())

    def test_environment_is_offline_during_the_run_and_restored_after(self):
        env = {"MLFLOW_TRACKING_URI": "http://tracking.example.invalid", "WANDB_MODE": "online"}
        with mock.patch.dict(os.environ, env):
            with offline_run(store_dir=self.store) as run:
                self.assertEqual(os.environ["WANDB_MODE"], "offline")
                self.assertTrue(os.environ["MLFLOW_TRACKING_URI"].startswith("file:"))
                run.log_params({"lr": 0.001})
                run.log_metrics({"loss": 1.0}, step=1)
            self.assertEqual(os.environ["MLFLOW_TRACKING_URI"], env["MLFLOW_TRACKING_URI"])
            self.assertEqual(os.environ["WANDB_MODE"], "online")

    def test_unset_variables_are_removed_again(self):
        with mock.patch.dict(os.environ, {}, clear=False):
            os.environ.pop("WANDB_MODE", None)
            with offline_run(store_dir=self.store):
                pass
            self.assertNotIn("WANDB_MODE", os.environ)

    @unittest.skipIf(tracking_available(), "MLflow is installed")
    def test_without_mlflow_the_run_is_a_no_op(self):
        with offline_run(store_dir=self.store) as run:
            self.assertIsNone(run.run_id)
            run.log_artifact(__file__)

    @unittest.skipUnless(tracking_available(), "MLflow is not installed")
    def test_with_mlflow_the_run_is_recorded_in_the_store(self):
        with mock.patch.dict(os.environ, {}):
            with offline_run(experiment="unit-test", store_dir=self.store, params={"seed": 1}) as run:
                run.log_metrics({"loss": 0.5}, step=1)
                self.assertIsNotNone(run.run_id)
        self.assertTrue(any(self.store.iterdir()))


if __name__ == "__main__":
    unittest.main()
