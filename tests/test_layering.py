"""Nothing outside workstation/ui loads Qt: the core, store and formats must run without a display.

Which module may import which is checked statically by the import-linter contracts in pyproject.toml
(`make lint`); this checks what a CLI run really loads, lazy imports included."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_cli_commands_do_not_load_qt():
    code = "import sys, workstation.cli, workstation.formats.importing; print('PySide6' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout.strip() == "False"
