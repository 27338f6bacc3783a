"""Tests for {{module}}: atomic replacement, no stray temp files, metadata beside the checkpoint."""

import json
import os
import sys
import tempfile
import unittest
from pathlib import Path

# Run without installing the package: put the import root on sys.path.
_IMPORT_ROOT = {{import_root}}
if str(_IMPORT_ROOT) not in sys.path:
    sys.path.insert(0, str(_IMPORT_ROOT))

from {{module}} import (  # noqa: E402
    atomic_write_bytes,
    config_hash,
    metadata_path,
    read_metadata,
    save_checkpoint,
)


def _json_save(state, path):
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(state, fh)


def _failing_save(state, path):
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("partial")
    raise RuntimeError("disk full")


class AtomicWriteTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()

    def test_writes_the_bytes_and_leaves_no_temp_file(self):
        target = self.dir / "nested" / "blob.bin"
        atomic_write_bytes(target, b"abc")
        self.assertEqual(target.read_bytes(), b"abc")
        self.assertEqual(sorted(os.listdir(target.parent)), ["blob.bin"])

    def test_a_failed_write_keeps_the_previous_checkpoint(self):
        target = self.dir / "ckpt.json"
        save_checkpoint(target, {"w": 1}, step=1, save_fn=_json_save)
        with self.assertRaises(RuntimeError):
            save_checkpoint(target, {"w": 2}, step=2, save_fn=_failing_save)
        self.assertEqual(json.loads(target.read_text(encoding="utf-8")), {"w": 1})
        self.assertEqual(read_metadata(target)["step"], 1)
        self.assertEqual(sorted(p.name for p in self.dir.iterdir()), ["ckpt.json", "ckpt.json.metadata.json"])


class MetadataTest(unittest.TestCase):
    def test_metadata_records_step_metrics_and_config(self):
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "step_10.json"
            config = {"lr": 0.001, "model": {"layers": 2}}
            returned = save_checkpoint(target, {"w": [1, 2]}, step=10, config=config, metrics={"loss": 0.5}, save_fn=_json_save)
            stored = json.loads(metadata_path(target).read_text(encoding="utf-8"))
            self.assertEqual(stored, returned)
            self.assertEqual(stored["step"], 10)
            self.assertEqual(stored["metrics"], {"loss": 0.5})
            self.assertEqual(stored["config"], config)
            self.assertEqual(stored["config_hash"], config_hash(config))
            self.assertIn("git_commit", stored)

    def test_config_hash_ignores_key_order_but_not_values(self):
        self.assertEqual(config_hash({"a": 1, "b": 2}), config_hash({"b": 2, "a": 1}))
        self.assertNotEqual(config_hash({"a": 1}), config_hash({"a": 2}))


if __name__ == "__main__":
    unittest.main()
