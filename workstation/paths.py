"""The one place that knows where shipped files live, frozen (PyInstaller) or not.

`resources/` and `migrations/` are package data of `workstation/` (in the repository they sit at its top, linked
from the package), so a wheel installed anywhere carries them and `importlib.resources` finds them; a PyInstaller
bundle unpacks them under `sys._MEIPASS`, which is the only frozen branch in the code.
"""

from __future__ import annotations

import os
import sys
from importlib.resources import files
from pathlib import Path

DEFAULT_SCHEMA = "pase-0.1.json"
SAMPLE_ARTICLE = "sample-article.md"
ICON_NAME = "workstation"


def package_root() -> Path:
    """The folder of the `workstation` package, as a real path: Alembic and Qt need file names, not streams."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "workstation"
    return Path(str(files("workstation")))


def resource(name: str) -> Path:
    return package_root() / "resources" / name


def icon(size: int | None = None) -> Path:
    """The application icon: the scalable SVG, or the PNG of one pixel size (16 to 256) where a raster is needed."""
    return resource(f"icons/{ICON_NAME}.svg" if size is None else f"icons/{ICON_NAME}-{size}.png")


def migrations_dir() -> Path:
    return package_root() / "migrations"


def cache_dir() -> Path:
    """The user's cache folder for the app, where the platform keeps caches (XDG_CACHE_HOME on Linux): what can be
    made again, such as a server project's models unpacked."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "Workstation"
