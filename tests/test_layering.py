"""Nothing outside workstation/ui imports Qt: the core, store and formats must run without a display."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO

QT_IMPORT = re.compile(r"^\s*(from|import)\s+(PySide6|shiboken6|PyQt5|PyQt6)\b", re.MULTILINE)


def test_no_qt_imports_outside_ui():
    offenders = [str(path.relative_to(REPO)) for path in (REPO / "workstation").rglob("*.py")
                 if "ui" not in path.relative_to(REPO / "workstation").parts[:1]
                 and QT_IMPORT.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_cli_commands_do_not_load_qt():
    code = "import sys, workstation.cli, workstation.formats.importing; print('PySide6' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout.strip() == "False"
