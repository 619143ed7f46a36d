"""The one place that knows where shipped files live, frozen (PyInstaller) or not."""

from __future__ import annotations

import sys
from pathlib import Path


def app_root() -> Path:
    """Folder holding `resources/` and `migrations/` beside the package (or the frozen bundle)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def resource(name: str) -> Path:
    return app_root() / "resources" / name


def migrations_dir() -> Path:
    return app_root() / "migrations"


DEFAULT_SCHEMA = "pase-0.1.json"
SAMPLE_ARTICLE = "sample-article.md"
