"""Start-up: process start → sample document painted, and `main.py stats` on a small project.

Each figure is the median of fresh processes, next to a baseline measured in the
same run: a bare PySide6 window painting the same article for the GUI, `python -c
pass` for the command line, and the floor every project command stands on:
importing SQLAlchemy's ORM. The GUI runs offscreen on the real `python main.py`
path (last project from the settings), with settings and data in a throw-away
folder so the user's own are untouched.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workstation.sample import ensure_sample_project

REPO = Path(__file__).resolve().parent.parent
RUNS = 5


def isolated_env(folder: Path) -> dict[str, str]:
    """Offscreen Qt with QSettings and app data under `folder` (XDG paths, as Qt reads them on Linux).

    Bytecode is cached (under `folder`, not in the tree) as in any installed app, even where the
    environment says PYTHONDONTWRITEBYTECODE: recompiling every module on every start is not what users meet.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(folder / "config"),
            "XDG_DATA_HOME": str(folder / "data"), "PYTHONPYCACHEPREFIX": str(folder / "bytecode"),
            "PYTHONPATH": str(REPO)}


def write_settings(folder: Path, project: Path) -> None:
    """The settings of a user past the first run, whose last project is `project` (no welcome dialog)."""
    config = folder / "config" / "Workstation"
    config.mkdir(parents=True, exist_ok=True)
    (config / "Workstation.conf").write_text(f"[General]\nannotator=bench\nlast_project={project}\n",
                                             encoding="utf-8")


def painted_seconds(mode: str, env: dict[str, str]) -> float:
    """Seconds from spawning the probe to its first paint of the text (as the probe reports them)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "benchmarks.startup_probe", mode, repr(started)], env=env,
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"the {mode} probe painted nothing (exit status {done.returncode}):\n{done.stderr}")
    return float(done.stdout.split()[-1])


def process_seconds(arguments: list[str], env: dict[str, str]) -> float:
    """Wall time of a whole process, start to exit, as a shell user waits for it."""
    started = time.perf_counter()
    subprocess.run([sys.executable, *arguments], env=env, cwd=REPO, capture_output=True, check=True)
    return time.perf_counter() - started


def run() -> dict[str, float]:
    """Rounds of the five processes in turn, so that a busy moment of the machine hits them alike; the first
    round only fills the bytecode cache."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = ensure_sample_project(folder / "project")
        write_settings(folder, project)
        env = isolated_env(folder)
        runs = [(painted_seconds("bare", env), painted_seconds("app", env), process_seconds(["-c", "pass"], env),
                 process_seconds(["-c", "import sqlalchemy.orm"], env),
                 process_seconds([str(REPO / "main.py"), "stats", str(project)], env)) for _ in range(RUNS + 1)][1:]
        bare, app, python, orm, stats = (statistics.median(column) for column in zip(*runs))
    return {"runs": RUNS, "bare_window_painted_s": round(bare, 3), "app_document_painted_s": round(app, 3),
            "app_ratio": round(app / bare, 2), "python_pass_s": round(python, 3),
            "sqlalchemy_orm_import_s": round(orm, 3), "stats_s": round(stats, 3),
            "stats_ratio": round(stats / python, 2)}
