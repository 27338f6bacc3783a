"""Tests for {{module}}: same seed, same numbers; a restored RNG state replays the sequence."""

import json
import random
import sys
import unittest
from pathlib import Path

# Run without installing the package: put the import root on sys.path.
_IMPORT_ROOT = {{import_root}}
if str(_IMPORT_ROOT) not in sys.path:
    sys.path.insert(0, str(_IMPORT_ROOT))

from {{module}} import (  # noqa: E402
    capture_rng_state,
    restore_rng_state,
    rng_state_from_jsonable,
    rng_state_to_jsonable,
    seed_everything,
)

try:
    import numpy as np
except ImportError:
    np = None


def _draw():
    values = [random.random() for _ in range(3)]
    if np is not None:
        values.extend(float(x) for x in np.random.random_sample(3))
    return values


class SeedEverythingTest(unittest.TestCase):
    def test_same_seed_gives_the_same_numbers(self):
        seed_everything(1234)
        first = _draw()
        seed_everything(1234)
        self.assertEqual(_draw(), first)

    def test_different_seeds_give_different_numbers(self):
        seed_everything(1)
        first = _draw()
        seed_everything(2)
        self.assertNotEqual(_draw(), first)

    def test_rejects_out_of_range_and_non_int_seeds(self):
        with self.assertRaises(ValueError):
            seed_everything(-1)
        with self.assertRaises(ValueError):
            seed_everything(2**32)
        with self.assertRaises(TypeError):
            seed_everything("42")  # type: ignore[arg-type]


class RngStateTest(unittest.TestCase):
    def test_restore_replays_the_sequence(self):
        seed_everything(7)
        _draw()
        state = capture_rng_state()
        expected = _draw()
        _draw()
        restore_rng_state(state)
        self.assertEqual(_draw(), expected)

    def test_state_survives_a_json_round_trip(self):
        seed_everything(99)
        text = json.dumps(rng_state_to_jsonable(capture_rng_state()))
        expected = _draw()
        seed_everything(5)
        restore_rng_state(rng_state_from_jsonable(json.loads(text)))
        self.assertEqual(_draw(), expected)


if __name__ == "__main__":
    unittest.main()
