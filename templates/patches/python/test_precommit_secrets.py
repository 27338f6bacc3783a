"""The pre-commit configuration keeps a secrets scanner."""

import re
import unittest
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[{{root_depth}}] / "{{precommit_file}}"
SCANNERS = ("gitleaks", "detect-secrets", "detect-private-key", "trufflehog")


class PreCommitSecretsTest(unittest.TestCase):
    def test_a_secrets_scanner_hook_is_configured(self):
        hook_ids = re.findall(r"^\s*-?\s*id:\s*['\"]?([\w.-]+)", CONFIG.read_text(encoding="utf-8"), re.M)
        self.assertTrue(set(hook_ids) & set(SCANNERS), f"no secrets scanner among the hooks {hook_ids}")


if __name__ == "__main__":
    unittest.main()
