"""The smoke test `make package` runs on the frozen bundle, run here on the sources: the CLI's round trip, and
the GUI opening a project, logging, and quitting cleanly (project closed, lock removed) when the desktop session
sends SIGTERM."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_the_smoke_script_passes_on_the_sources():
    done = subprocess.run([sys.executable, str(REPO / "packaging" / "smoke.py"), sys.executable,
                           str(REPO / "main.py")], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "gui: window shown, then quit cleanly on SIGTERM" in done.stdout
