"""Tests for {{module}}: splits are disjoint, complete and depend only on the seed."""

import random
import sys
import tempfile
import unittest
from pathlib import Path

# Run without installing the package: put the import root on sys.path.
_IMPORT_ROOT = {{import_root}}
if str(_IMPORT_ROOT) not in sys.path:
    sys.path.insert(0, str(_IMPORT_ROOT))

from {{module}} import load_split, save_split, seed_worker, split_by_key, split_indices, train_val_split  # noqa: E402


class SplitTest(unittest.TestCase):
    def test_splits_are_disjoint_and_complete(self):
        train, val = split_indices(100, val_fraction=0.2, seed=3)
        self.assertEqual(len(val), 20)
        self.assertEqual(set(train) & set(val), set())
        self.assertEqual(sorted(train + val), list(range(100)))

    def test_same_seed_same_split_whatever_the_global_state(self):
        random.seed(1)
        first = train_val_split(list("abcdefghij"), 0.3, seed=42)
        random.seed(2)
        self.assertEqual(train_val_split(list("abcdefghij"), 0.3, seed=42), first)
        self.assertNotEqual(split_indices(50, 0.5, seed=1), split_indices(50, 0.5, seed=2))

    def test_bad_fractions_are_refused(self):
        for fraction in (-0.1, 1.0, 1.5):
            with self.assertRaises(ValueError):
                split_indices(10, fraction)

    def test_key_split_is_stable_when_items_are_added(self):
        keys = [f"doc-{i}" for i in range(200)]
        _, val = split_by_key(keys, 0.25)
        _, val_more = split_by_key(keys + [f"new-{i}" for i in range(50)], 0.25)
        self.assertEqual([i for i in val_more if i < 200], val)

    def test_split_round_trips_through_a_file(self):
        train, val = split_indices(10, 0.3, seed=0)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "splits" / "split.json"
            save_split(path, train, val, seed=0)
            self.assertEqual(load_split(path), (train, val))

    def test_seed_worker_makes_worker_randomness_repeatable(self):
        seed_worker(1)
        first = random.random()
        seed_worker(1)
        self.assertEqual(random.random(), first)


if __name__ == "__main__":
    unittest.main()
