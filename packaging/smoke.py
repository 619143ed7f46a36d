"""Smoke test of a built Workstation: the CLI's round trip and the GUI opening a project and quitting cleanly.

    python packaging/smoke.py dist/workstation/workstation      # the frozen bundle (`make package`)
    python packaging/smoke.py python main.py                    # the sources, as tests/test_smoke.py runs it

Everything runs in a temporary home (settings, data, log), offscreen. The GUI is asked to quit the way a
desktop session asks, with SIGTERM, and must close its project (lock file gone) and exit with status 0.
Prints how long each step took, the GUI's start to its window shown among them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "workstation" / "resources" / "sample-article.md"
TITLE = "Erdogan Threatens to Use Force Against Syrian Military in Idlib"
GUI_TIMEOUT = 120


def environment(home: Path) -> dict[str, str]:
    return {**{key: value for key, value in os.environ.items() if key != "PYTHONPATH"},
            "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
            "QT_QPA_PLATFORM": "offscreen"}


def run(command: list[str], *arguments: str | Path, env: dict[str, str]) -> str:
    started = time.monotonic()
    done = subprocess.run([*command, *map(str, arguments)], env=env, capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)
    print(f"{time.monotonic() - started:6.2f} s  {' '.join(map(str, arguments))}")
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {arguments}\n{done.stdout}\n{done.stderr}")
    return done.stdout


def command_line(command: list[str], home: Path, env: dict[str, str]) -> Path:
    version = run(command, "--version", env=env).strip()
    if not version.startswith("workstation "):
        raise SystemExit(f"--version printed {version!r}")
    project = home / "smoke.sqlite"
    run(command, "init", project, env=env)
    run(command, "import", project, ARTICLE, env=env)
    run(command, "export", project, "--format", "jsonl", "--out", home / "smoke.jsonl", env=env)
    if TITLE not in (home / "smoke.jsonl").read_text(encoding="utf-8"):
        raise SystemExit("the export lacks the sample article")
    run(command, "check", project, env=env)
    return project


def log_text(home: Path) -> str:
    return "".join(path.read_text(encoding="utf-8") for path in (home / "data").rglob("workstation.log"))


def gui(command: list[str], project: Path, home: Path, env: dict[str, str]) -> float:
    """Seconds from the start of the process to the window shown on `project`."""
    started = time.monotonic()
    process = subprocess.Popen([*command, "gui", str(project)], env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while "window shown on" not in log_text(home):
            if process.poll() is not None or time.monotonic() - started > GUI_TIMEOUT:
                raise SystemExit(f"the window did not show:\n{process.communicate()[1]}\n{log_text(home)}")
            time.sleep(0.05)
        shown = time.monotonic() - started
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    if process.returncode != 0 or "closed with status 0" not in log_text(home):
        raise SystemExit(f"the GUI did not quit cleanly ({process.returncode}):\n{errors}\n{log_text(home)}")
    if Path(f"{project}.lock").exists():
        raise SystemExit("the GUI left the project locked")
    print(f"{shown:6.2f} s  gui: window shown, then quit cleanly on SIGTERM")
    return shown


def main(command: list[str]) -> int:
    if not command:
        raise SystemExit(__doc__)
    with tempfile.TemporaryDirectory(prefix="workstation-smoke-") as folder:
        home = Path(folder)
        env = environment(home)
        gui(command, command_line(command, home, env), home, env)
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
