"""The README keeps a quick start, and the files its commands name exist."""

import re
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[{{root_depth}}]
README = ROOT / "{{readme}}"


def _quick_start():
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^#+\s*Quick start\s*$(.*?)(?=^#+\s|\Z)", text, re.M | re.S | re.I)
    return match.group(1) if match else None


class ReadmeQuickStartTest(unittest.TestCase):
    def test_readme_has_a_quick_start_with_commands(self):
        section = _quick_start()
        self.assertIsNotNone(section, "no 'Quick start' heading in " + README.name)
        self.assertIn("```", section)

    def test_files_named_by_the_commands_exist(self):
        section = _quick_start() or ""
        for name in re.findall(r"-r\s+(\S+)", section):
            self.assertTrue((ROOT / name).is_file(), f"the quick start installs from {name}, which does not exist")


if __name__ == "__main__":
    unittest.main()
