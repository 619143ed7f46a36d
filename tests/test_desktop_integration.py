"""`make install-desktop` as a Linux user runs it: menu entry, icons, file type and AppStream data land under
the user's data folder, valid for the desktop's own tools, with the menu entry running the given command."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

APP_ID = "org.workstation.Workstation"


def validator(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (.ci/run installs it)")
    return path


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("share")
    subprocess.run(["make", "--no-print-directory", "install-desktop", f"DATA_HOME={data}",
                    "GUI_COMMAND=/opt/workstation/workstation-gui"], cwd=REPO, check=True, capture_output=True)
    return data


def test_the_menu_entry_runs_the_given_command_and_opens_project_files(installed: Path):
    entry = (installed / "applications" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    assert "Exec=/opt/workstation/workstation-gui %f" in entry and "Icon=workstation" in entry
    assert "MimeType=application/x-workstation-project;application/vnd.sqlite3;" in entry
    subprocess.run([validator("desktop-file-validate"), installed / "applications" / f"{APP_ID}.desktop"],
                   check=True)


def test_icons_file_type_and_appstream_data_are_installed(installed: Path):
    assert (installed / "icons/hicolor/scalable/apps/workstation.svg").is_file()
    for size in (16, 32, 48, 256):
        assert (installed / f"icons/hicolor/{size}x{size}/apps/workstation.png").is_file()
    assert "application/x-workstation-project" in (installed / "mime/packages/workstation.xml").read_text()
    subprocess.run([validator("appstreamcli"), "validate", "--no-net",
                    installed / "metainfo" / f"{APP_ID}.metainfo.xml"], check=True, capture_output=True)


def test_a_work_package_file_has_the_project_type(installed: Path, tmp_path: Path):
    """update-mime-database compiled the type: a file manager asks it which application opens a package."""
    if not (installed / "mime" / "mime.cache").exists():
        pytest.skip("update-mime-database is not installed (.ci/run installs it)")
    globs = (installed / "mime" / "globs2").read_text()
    assert "application/x-workstation-project:*.package.sqlite" in globs
