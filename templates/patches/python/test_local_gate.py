"""The local gate in {{gate_file}} keeps running the tests with a coverage floor."""

import re
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[{{root_depth}}]
GATE = ROOT / "{{gate_file}}"


class LocalGateTest(unittest.TestCase):
    def test_gate_runs_pytest_with_a_coverage_floor(self):
        text = GATE.read_text(encoding="utf-8")
        self.assertIn("pytest", text)
        match = re.search(r"cov-fail-under=(\d+)|COVERAGE_FLOOR = (\d+)", text)
        self.assertIsNotNone(match, "no coverage floor in " + GATE.name)
        floor = int(next(g for g in match.groups() if g))
        self.assertTrue(0 < floor <= 100)

    def test_gate_points_at_the_test_folder(self):
        self.assertTrue((ROOT / "{{tests_dir}}").is_dir())


if __name__ == "__main__":
    unittest.main()
