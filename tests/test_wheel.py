"""The wheel an annotator installs: built from the sources, installed into a fresh venv outside the checkout,
and used from there to create, import into, export and check a project.

Marked `packaging` (a minute: a wheel build in an isolated environment): `make test-packaging` runs it, and
`.ci/run` does after `make test`. The venv borrows the already installed dependencies through a `.pth` line
rather than downloading 300 MB again; its own site-packages holds only the wheel, and `pip check` proves the
wheel's declared dependencies are met.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.packaging

SOURCES = ("pyproject.toml", "README.md", "workstation")


def run(*command: str | Path, cwd: Path) -> str:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built from a copy of the sources, so that the build leaves no `build/` or `.egg-info` in the checkout."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
        copy(REPO / name, source / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                              if (REPO / name).is_dir() else {}))
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", out, source, cwd=source)
    return next(out.glob("workstation-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the wheel; returns its bin folder."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=True)
    bin_dir = home / "bin"
    site = Path(run(bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                    cwd=home).strip())
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(bin_dir / "python", "-m", "pip", "install", "--no-deps", "--no-index", wheel, cwd=home)
    run(bin_dir / "python", "-m", "pip", "check", cwd=home)
    return bin_dir


def test_the_wheel_carries_resources_migrations_and_icons(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("workstation/resources/pase-0.1.json", "workstation/resources/sample-article.md",
                 "workstation/resources/icons/workstation.svg", "workstation/resources/icons/workstation-48.png",
                 "workstation/migrations/env.py", "workstation/migrations/script.py.mako",
                 "workstation/migrations/versions/0001_initial_data_model.py"):
        assert name in names
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "workstation = workstation.cli:main" in entry_points
    assert "[gui_scripts]" in entry_points and "workstation-gui = workstation.ui.app:main" in entry_points


def test_an_installed_wheel_creates_imports_exports_and_checks_a_project(installed: Path, tmp_path: Path):
    code = "import workstation.paths as p; print(p.resource(p.SAMPLE_ARTICLE)); print(p.migrations_dir())"
    article, migrations = run(installed / "python", "-c", code, cwd=tmp_path).split()
    assert Path(article).is_relative_to(installed.parent) and Path(migrations).is_relative_to(installed.parent)
    project = tmp_path / "news.sqlite"
    assert run(installed / "workstation", "--version", cwd=tmp_path).strip() == "workstation 0.1.0"
    run(installed / "workstation", "init", project, cwd=tmp_path)
    assert "1 document" in run(installed / "workstation", "import", project, article, cwd=tmp_path)
    run(installed / "workstation", "export", project, "--format", "jsonl", "--out", tmp_path / "news.jsonl",
        cwd=tmp_path)
    [line] = (tmp_path / "news.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["meta"]["title"] == "Erdogan Threatens to Use Force Against Syrian Military in Idlib"
    assert "no problems found" in run(installed / "workstation", "check", project, cwd=tmp_path)
    assert (installed / "workstation-gui").exists()
