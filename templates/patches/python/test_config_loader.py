"""Tests for {{module}}: defaults < files < command-line overrides."""

import json
import sys
import tempfile
import unittest
from pathlib import Path

# Run without installing the package: put the import root on sys.path.
_IMPORT_ROOT = {{import_root}}
if str(_IMPORT_ROOT) not in sys.path:
    sys.path.insert(0, str(_IMPORT_ROOT))

from {{module}} import (  # noqa: E402
    DEFAULT_CONFIG,
    apply_overrides,
    config_from_args,
    deep_merge,
    load_config,
    parse_override,
)

try:
    import yaml
except ImportError:
    yaml = None


class LayeringTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self._tmp.name)
        self.defaults = self._write("defaults.json", {"seed": 1, "train": {"lr": 0.1, "batch_size": 8}})

    def tearDown(self):
        self._tmp.cleanup()

    def _write(self, name, data):
        path = self.dir / name
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    def test_files_merge_over_defaults_key_by_key(self):
        experiment = self._write("exp.json", {"train": {"lr": 0.01}})
        config = load_config(experiment, defaults=self.defaults)
        self.assertEqual(config, {"seed": 1, "train": {"lr": 0.01, "batch_size": 8}})

    def test_overrides_win_and_are_typed(self):
        config = load_config(defaults=self.defaults, overrides=["train.lr=0.001", "seed=7", "name=baseline", "tags=[1, 2]"])
        self.assertEqual(config["train"], {"lr": 0.001, "batch_size": 8})
        self.assertEqual((config["seed"], config["name"], config["tags"]), (7, "baseline", [1, 2]))

    def test_command_line_arguments(self):
        experiment = self._write("exp.json", {"train": {"batch_size": 32}})
        config = config_from_args(["--config", str(experiment), "--set", "train.lr=0.5"])
        self.assertEqual(config["train"]["batch_size"], 32)
        self.assertEqual(config["train"]["lr"], 0.5)

    def test_bad_override_is_refused(self):
        with self.assertRaises(ValueError):
            parse_override("train.lr")
        with self.assertRaises(ValueError):
            parse_override(".lr=1")

    def test_merging_does_not_modify_the_inputs(self):
        base = {"a": {"b": 1}}
        deep_merge(base, {"a": {"b": 2}})
        apply_overrides(base, ["a.b=3"])
        self.assertEqual(base, {"a": {"b": 1}})

    @unittest.skipIf(yaml is None or DEFAULT_CONFIG is None, "PyYAML is not installed or there is no default config")
    def test_the_default_config_loads(self):
        self.assertIsInstance(load_config(), dict)


if __name__ == "__main__":
    unittest.main()
